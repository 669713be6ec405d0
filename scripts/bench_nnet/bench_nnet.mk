# scripts/bench_nnet: speed of the int8 engine (part of make bench).
.PHONY: bench-nnet
BENCH_NNET := $(BUILD)/scripts/bench_nnet/bench_nnet
BENCH_NNET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter x86_64%,$(BENCH_NNET_MACHINE)),)
$(BUILD)/scripts/bench_nnet/bench_peak.o: EXTRA_CFLAGS += -mavx512f -mavx512bw -mavx512vnni
endif
$(BUILD)/scripts/bench_nnet/bench_nnet.o: EXTRA_CFLAGS += -Iscripts/bench_nnet
$(BENCH_NNET): $(BUILD)/scripts/bench_nnet/bench_nnet.o $(BUILD)/scripts/bench_nnet/bench_peak.o lib/libpercepnet.a
	$(CC) $(ALL_CFLAGS) $(filter %.o,$^) lib/libpercepnet.a $(LDLIBS_CORE) -o $@

bench-nnet: $(BENCH_NNET)
	@PYTHON=$(PYTHON) BUILD=$(BUILD) bash scripts/bench_nnet/run_bench.sh $(BENCH_NNET)
BENCH_STEPS += bench-nnet

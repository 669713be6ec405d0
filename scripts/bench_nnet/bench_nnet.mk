# scripts/bench_nnet: speed of the int8 engine (part of make bench).
.PHONY: bench-nnet
BENCH_NNET := $(native_DIR)/scripts/bench_nnet/bench_nnet
BENCH_NNET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter x86_64%,$(BENCH_NNET_MACHINE)),)
$(native_DIR)/scripts/bench_nnet/bench_peak.o: EXTRA_CFLAGS += -mavx512f -mavx512bw -mavx512vnni
endif
$(BENCH_NNET): $(native_DIR)/scripts/bench_nnet/bench_nnet.o $(native_DIR)/scripts/bench_nnet/bench_peak.o $(native_LIB)
	$(native_CC) $(native_CFLAGS) $^ $(LDLIBS_CORE) -o $@

bench-nnet: $(BENCH_NNET)
	@PYTHON=$(PYTHON) BUILD=$(BUILD) bash scripts/bench_nnet/run_bench.sh $(BENCH_NNET)
BENCH_STEPS += bench-nnet

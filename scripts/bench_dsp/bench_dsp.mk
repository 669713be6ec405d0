# scripts/bench_dsp: cost of the signal chain without the network, and what
# the comb filter adds in oracle mode (part of make bench).
.PHONY: bench-dsp
BENCH_DSP := $(BUILD)/scripts/bench_dsp/bench_dsp
$(BUILD)/scripts/bench_dsp/bench_dsp.o: EXTRA_CFLAGS += -Itest/dsp
$(BENCH_DSP): $(BUILD)/scripts/bench_dsp/bench_dsp.o lib/libpercepnet.a
	$(CC) $(ALL_CFLAGS) $(filter %.o,$^) lib/libpercepnet.a $(LDLIBS_CORE) -o $@

bench-dsp: $(BENCH_DSP)
	@BUILD=$(BUILD) bash scripts/bench_dsp/run_bench.sh $(BENCH_DSP)
BENCH_STEPS += bench-dsp

# scripts/bench_dsp: cost of the signal chain without the network, and what
# the comb filter adds in oracle mode (part of make bench).
.PHONY: bench-dsp
BENCH_DSP := $(native_DIR)/scripts/bench_dsp/bench_dsp
$(BENCH_DSP): $(native_DIR)/scripts/bench_dsp/bench_dsp.o $(native_LIB)
	$(native_CC) $(native_CFLAGS) $^ $(LDLIBS_CORE) -o $@

bench-dsp: $(BENCH_DSP)
	@BUILD=$(BUILD) bash scripts/bench_dsp/run_bench.sh $(BENCH_DSP)
BENCH_STEPS += bench-dsp

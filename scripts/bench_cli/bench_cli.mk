# scripts/bench_cli/bench_cli.mk - CLI benchmarks for `make bench`:
# instruction split decode/resample/core/encode, cost of the pre-roll on a
# 1 s and a 10 s file, resampler quality vs cost,
# peak RSS on a long file streamed through stdin (BENCH_RSS_HOURS, 3 h), and
# SI-SDR of oracle / oracle without comb / model on the bundled demo pair.
BENCH_RSS_HOURS ?= 3
BENCH_STEPS += bench-cli-split bench-cli-preroll bench-cli-resample bench-cli-rss bench-cli-oracle
.PHONY: bench-cli-split bench-cli-preroll bench-cli-resample bench-cli-rss bench-cli-oracle
bench-cli-split: percepnet
	$(PYTHON) -m scripts.bench_cli.bench_cli split
bench-cli-preroll: percepnet
	$(PYTHON) -m scripts.bench_cli.bench_cli preroll
bench-cli-resample: percepnet
	$(PYTHON) -m scripts.bench_cli.bench_cli resample
bench-cli-rss: percepnet
	$(PYTHON) -m scripts.bench_cli.bench_cli rss $(BENCH_RSS_HOURS)
bench-cli-oracle: percepnet
	$(PYTHON) -m scripts.demo.demo_sisdr

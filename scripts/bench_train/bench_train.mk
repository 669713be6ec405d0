# scripts/bench_train/bench_train.mk - `make bench-train`: frames/s of the
# real training step, one process and one per core (bench_train.sh).
.PHONY: bench-train

# what the training step imports (checked by test/repo/test_deps.py); the
# OpenBLAS build with threads is what makes python3-torch fast
BENCH_TRAIN_DEB_PKGS := python3 python3-torch libopenblas0-pthread python3-numpy
.PHONY: bench-train-deps
bench-train-deps: deps
	$(call deb_install,training benchmark,$(BENCH_TRAIN_DEB_PKGS))

bench-train: $(native_DIR)/percepnet-dump bench-train-deps
	PERCEPNET_DUMP=$(native_DIR)/percepnet-dump scripts/bench_train/bench_train.sh

# scripts/bench_train/bench_train.mk - `make bench-train`: frames/s of the
# real training step, one process and one per core (bench_train.sh).
.PHONY: bench-train

BENCH_TRAIN_DEB_PKGS := python3-torch libopenblas0-pthread python3-numpy
BENCH_TRAIN_DEPS_OK := $(shell /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null && \
  test -e /usr/lib/x86_64-linux-gnu/openblas-pthread -o ! -d /usr/lib/x86_64-linux-gnu && echo yes)

$(BUILD)/.bench-train-deps: $(BUILD)/.deps
ifneq ($(BENCH_TRAIN_DEPS_OK),yes)
	@echo "installing training dependencies: $(BENCH_TRAIN_DEB_PKGS)"
	$(call apt_install,$(BENCH_TRAIN_DEB_PKGS))
endif
	@touch $@

bench-train: $(native_DIR)/percepnet-dump $(BUILD)/.bench-train-deps
	PERCEPNET_DUMP=$(native_DIR)/percepnet-dump scripts/bench_train/bench_train.sh

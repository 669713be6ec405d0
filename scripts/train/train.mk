# scripts/train/train.mk - training (scripts/train/train.py, launched in the
# background by scripts/train/launch.sh once the dumps are complete):
#
#   make train-deps                       install what training imports
#   make train [TRAIN_OUT=DIR] [TRAIN_ARGS="--deadline 06:35 ..."]
#                                         launch on PERCEPNET_DATA/dumps
#
# TRAIN_DEB_PKGS is what train.py, trainer.py, model.py and the exporter
# import (checked by test/repo/test_deps.py); the OpenBLAS build with threads
# is what makes python3-torch fast.
TRAIN_DEB_PKGS := python3 python3-numpy python3-torch libopenblas0-pthread
TRAIN_OUT ?= $(PERCEPNET_DATA)/models/run
TRAIN_ARGS ?=
.PHONY: train-deps train
train-deps:
	$(call deb_install,training,$(TRAIN_DEB_PKGS))
train: train-deps
	scripts/train/launch.sh $(PERCEPNET_DATA)/dumps $(TRAIN_OUT) $(TRAIN_ARGS)

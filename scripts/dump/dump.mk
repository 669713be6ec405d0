# scripts/dump/dump.mk - the training-data dump tool, build/native/percepnet-dump
# (every build variant links one, see the top Makefile): prepared audio in,
# rows of features + targets out (dump_features.c), built on the core
# library so the features are those the denoiser computes.
.PHONY: dump-tool

DUMP_SRC := $(wildcard scripts/dump/*.c)

dump-tool: $(native_DIR)/percepnet-dump

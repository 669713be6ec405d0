# percepnet - build, test, benchmark, evaluate.
#
#   make            lib/libpercepnet.a and ./percepnet
#   make demo       denoise the bundled noisy sample and say where the result is
#   make test       the whole test suite (final line: "N passed, N failed")
#   make bench      speed benchmarks (callgrind instruction counts + wall time)
#   make eval       quality evaluation against the oracle and the RNNoise peer
#   make check-mem  tests under ASan+UBSan (clang) and valgrind memcheck
#   make fuzz       libFuzzer harnesses (FUZZ_SECONDS=N each)
#   make test-arm   aarch64 cross build of the kernels, run under qemu-user
#   make listening-deps  the packages scripts/listening-page needs (listening pages)
#   make install PREFIX=/usr/local
#
# Each area adds its rules in its own fragment (lib/*.mk, cli/cli.mk,
# test/test.mk, scripts/scripts.mk); this file holds what they share.

VERSION := 0.1.0
PREFIX ?= /usr/local
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
OPT ?= -O2 -g
# -ffp-contract=off: no FMA contraction, so float results do not depend on
# which compiler or flags built a file (the bit-exactness promise).
CFLAGS ?= $(OPT)
BASE_CFLAGS := -std=c11 -Wall -Wextra -Werror -ffp-contract=off -fno-strict-aliasing \
  -D_POSIX_C_SOURCE=200809L -DPERCEPNET_VERSION=\"$(VERSION)\" -Ilib -Ilib/dsp -Ilib/nnet \
  -I/usr/include/kissfft
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_CORE := -lkissfft-float -lm
LDLIBS_CLI := -lsndfile -lsamplerate -lpthread $(LDLIBS_CORE)
PYTHON := /usr/bin/python3
BUILD := build

.DEFAULT_GOAL := all
.PHONY: all deps demo test bench eval check-mem fuzz test-arm install clean

# ---- system dependencies (Debian): installed once when a header is missing
DEB_PKGS := libsndfile1-dev libsamplerate0-dev libkissfft-dev
DEPS_OK := $(shell test -f /usr/include/sndfile.h && test -f /usr/include/samplerate.h \
  && test -f /usr/include/kissfft/kiss_fft.h && echo yes)
$(BUILD)/.deps:
	@mkdir -p $(BUILD)
ifneq ($(DEPS_OK),yes)
	@echo "installing build dependencies: $(DEB_PKGS)"
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS)
endif
	@touch $@
deps: $(BUILD)/.deps
# $(call apt_install,PKGS): recipe line installing Debian packages; the
# package lists are updated only when a first try fails (area fragments
# install their own tools with it)
apt_install = DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1) || \
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1))

# ---- the core library: every .c under lib/ except the per-ISA kernel units,
# which lib/nnet/nnet.mk compiles once per instruction set.
LIB_SRC := $(filter-out lib/nnet/kernels/%,$(wildcard lib/*.c lib/dsp/*.c lib/nnet/*.c weights/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
KERNEL_OBJ :=

$(BUILD)/%.o: %.c $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include lib/nnet/nnet.mk

lib/libpercepnet.a: $(LIB_OBJ) $(KERNEL_OBJ)
	rm -f $@
	ar rcs $@ $^

-include cli/cli.mk
-include test/test.mk
-include scripts/scripts.mk

all: lib/libpercepnet.a percepnet

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(BUILD) lib/libpercepnet.a percepnet

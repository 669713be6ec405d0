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
# The data folder of the data, training and evaluation scripts (fetched
# packages, prepared audio, dumps, models, evaluation set): data/ under the
# repository (git-ignored) unless PERCEPNET_DATA says otherwise.
PERCEPNET_DATA ?= $(CURDIR)/data
export PERCEPNET_DATA

.DEFAULT_GOAL := all
.PHONY: all deps demo test bench eval check-mem fuzz test-arm install clean print-deb-pkgs

# ---- system dependencies (Debian). Each target that needs packages has a
# phony <area>-deps prerequisite installing the missing ones of its list
# *_DEB_PKGS; test/repo/test_deps.py checks every list against what the
# files that target runs include, import and call.
# $(call apt_install,PKGS): recipe line installing Debian packages; the
# package lists are updated only when a first try fails; waits for another
# apt or dpkg run to finish rather than failing on its lock.
apt_install = DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q $(1) || \
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q $(1))
# $(call deb_install,WHAT,PKGS): recipe line installing those of PKGS that
# dpkg does not list as installed. Checked on every run (a few ms), so a
# package added to a list is installed on a machine set up before; a machine
# without dpkg is left as it is.
deb_install = @missing=$$(command -v dpkg-query >/dev/null && for p in $(2); do \
    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q ' installed$$' || echo $$p; done); \
  if [ -n "$$missing" ]; then echo "installing $(1) dependencies:" $$missing; \
    $(call apt_install,$$missing); fi
# print-deb-pkgs: every *_DEB_PKGS list, "NAME = packages" (for the tests)
print-deb-pkgs:
	@:$(foreach v,$(sort $(filter %DEB_PKGS,$(.VARIABLES))),$(info $(v) = $($(v))))

# build: the C compiler and the libraries cli/ and lib/ include
DEB_PKGS := gcc libc6-dev libsndfile1-dev libsamplerate0-dev libkissfft-dev
deps:
	$(call deb_install,build,$(DEB_PKGS))

# ---- the core library: every .c under lib/ except the per-ISA kernel units,
# which lib/nnet/nnet.mk compiles once per instruction set.
LIB_SRC := $(filter-out lib/nnet/kernels/%,$(wildcard lib/*.c lib/dsp/*.c lib/nnet/*.c weights/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
KERNEL_OBJ :=

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include lib/nnet/nnet.mk

lib/libpercepnet.a: $(LIB_OBJ) $(KERNEL_OBJ)
	rm -f $@
	ar rcs $@ $^

-include lib/lib.mk
-include cli/cli.mk
-include test/test.mk
-include scripts/scripts.mk

all: lib/libpercepnet.a percepnet

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(BUILD) lib/libpercepnet.a percepnet

# percepnet - build, test, benchmark, evaluate.
#
#   make            build/native/libpercepnet.a and ./percepnet
#   make demo       denoise the bundled noisy sample and say where the result is
#   make test       the whole test suite (final line: "N passed, N failed")
#   make bench      speed benchmarks (callgrind instruction counts + wall time)
#   make eval       quality evaluation against the oracle and the RNNoise peer
#   make check-mem  tests under ASan+UBSan (clang) and valgrind memcheck
#   make fuzz       libFuzzer harnesses (FUZZ_SECONDS=N each)
#   make test-arm   aarch64 cross build of the kernels, run under qemu-user
#   make test-scaleout  GNU parallel and Slurm recipes run for real (root)
#   make bench-scaleout throughput on a mix of formats and rates
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
  -D_POSIX_C_SOURCE=200809L -DPERCEPNET_VERSION=\"$(VERSION)\" -I/usr/include/kissfft
# Include paths per source folder, so that an include pointing the wrong way
# does not compile: lib/dsp and lib/nnet see only their own folder (a quoted
# include finds the including file's folder first), never the public header
# or each other; lib/*.c joins them; cli sees lib/ (percepnet.h).
# test/layout/test_include_dirs.sh checks the same rules.
INC_lib := -Ilib/dsp -Ilib/nnet
INC_lib/dsp :=
INC_lib/nnet :=
INC_lib/nnet/kernels := -Ilib/nnet
INC_weights := -Ilib/nnet
INC_cli := -Ilib
INC_OTHER := -Ilib -Ilib/dsp -Ilib/nnet -Itest
INC_test/dump := $(INC_OTHER) -Iscripts/dump
INC_scripts/bench_dsp := $(INC_OTHER) -Itest/dsp
# include flags of the folder of the rule's first prerequisite
SRC_INC = $(if $(filter undefined,$(origin INC_$(<D))),$(INC_OTHER),$(INC_$(<D)))
# make print-inc DIR=lib/dsp: the include flags of a folder (test/layout)
print-inc:
	@echo '$(INC_$(DIR))'

LDLIBS_CORE := -lkissfft-float -lm
LDLIBS_CLI := -lsndfile -lsamplerate -lpthread $(LDLIBS_CORE)
# the dump tool resamples talkers (tape-speed augmentation, dump_mix.c)
LDLIBS_DUMP := -lsamplerate
PYTHON := /usr/bin/python3
BUILD := build
# The data folder of the data, training and evaluation scripts (fetched
# packages, prepared audio, dumps, models, evaluation set): data/ under the
# repository (git-ignored) unless PERCEPNET_DATA says otherwise.
PERCEPNET_DATA ?= $(CURDIR)/data
export PERCEPNET_DATA

.DEFAULT_GOAL := all
.PHONY: print-inc all deps demo test bench eval check-mem fuzz test-arm install clean print-deb-pkgs

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

# ---- build variants. One set of rules (variant_rules below) builds each
# variant into $(BUILD)/<variant>/ with its own compiler and flags:
#   native  $(CC) $(CFLAGS) $(EXTRA_CFLAGS): the library, the CLI (linked to
#           ./percepnet), tests and tools
#   san     clang with ASan + UBSan: the whole suite (make check-mem)
#   fuzz    clang with ASan + UBSan and fuzzer coverage: libFuzzer harnesses
#   arm     aarch64 cross compiler: the engine and its tests (make test-arm)
# A variant's outputs: $(BUILD)/V/libpercepnet.a, V/percepnet (native:
# ./percepnet), V/percepnet-dump, V/test/<area>/<program>, objects mirroring
# the source tree. Adding a source file: drop it in its folder (the lists
# are wildcards). Adding an instruction set: lib/nnet/nnet.mk.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
native_CC = $(CC)
native_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS)
native_AR := ar
native_LDLIBS := $(LDLIBS_CORE)
native_DEPS := deps
san_CC := clang
san_CFLAGS = -O1 -g $(SAN_FLAGS) $(EXTRA_CFLAGS)
san_AR := ar
san_LDLIBS := $(LDLIBS_CORE)
san_DEPS := fuzz-deps
fuzz_CC := clang
fuzz_CFLAGS = -O2 -g $(SAN_FLAGS) -fsanitize=fuzzer-no-link
fuzz_AR := ar
fuzz_LDLIBS := $(LDLIBS_CORE)
fuzz_DEPS := fuzz-deps
ARM_CC ?= aarch64-linux-gnu-gcc
arm_CC = $(ARM_CC)
arm_CFLAGS := -O2 -g
arm_AR := aarch64-linux-gnu-ar
arm_LDLIBS := -lm
arm_DEPS :=
VARIANTS := native san fuzz arm

# sources of the core library: every .c under lib/ and weights/ except the
# per-instruction-set kernel source, compiled once per set (lib/nnet/nnet.mk)
LIB_SRC := $(filter-out lib/nnet/kernels/%,$(wildcard lib/*.c lib/dsp/*.c lib/nnet/*.c weights/*.c))
# the arm variant builds the engine and the public model and CPU API over it
# only (no aarch64 libkissfft here for the signal chain)
arm_LIB_SRC := $(wildcard lib/nnet/*.c weights/*.c) lib/percepnet_model.c lib/percepnet_cpu.c

# every variant's folder, library and CLI, known to the fragments below
$(foreach v,$(VARIANTS),$(eval $(v)_DIR := $(BUILD)/$(v))$(eval $(v)_LIB := $(BUILD)/$(v)/libpercepnet.a)\
  $(eval $(v)_CLI_BIN := $(BUILD)/$(v)/percepnet))
native_CLI_BIN := percepnet

# $(call variant_rules,V): evaluated after the fragments, which define the
# source lists (CLI_SRC, DUMP_SRC) and the kernel sets (NNET_ISAS_V)
define variant_rules
$(1)_KOBJ := $$(NNET_ISAS_$(1):%=$$($(1)_DIR)/lib/nnet/kernels/pn_kernels_%.o)
$(1)_LIB_OBJ := $$(patsubst %.c,$$($(1)_DIR)/%.o,$$(or $$($(1)_LIB_SRC),$$(LIB_SRC))) $$($(1)_KOBJ)
$(1)_CLI_OBJ := $$(CLI_SRC:%.c=$$($(1)_DIR)/%.o)
$(1)_DUMP_OBJ := $$(DUMP_SRC:%.c=$$($(1)_DIR)/%.o)
$(1)_COMPILE = $$($(1)_CC) $$(BASE_CFLAGS) $$(SRC_INC) $$($(1)_CFLAGS)

$$($(1)_DIR)/%.o: %.c | $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$($(1)_COMPILE) -MMD -MP -c $$< -o $$@

# a static pattern rule: it applies to these objects only, so make never
# tries it for other names (e.g. when looking for a way to remake a .d file)
$$($(1)_KOBJ): $$($(1)_DIR)/lib/nnet/kernels/pn_kernels_%.o: $$(NNET_KSRC) | $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$($(1)_COMPILE) $$(NNET_KFLAGS_$$*) -DPN_KSUFFIX=_$$* -MMD -MP -c $$< -o $$@

$$($(1)_LIB): $$($(1)_LIB_OBJ)
	rm -f $$@
	$$($(1)_AR) rcs $$@ $$^

$$($(1)_CLI_BIN): $$($(1)_CLI_OBJ) $$($(1)_LIB)
	$$($(1)_CC) $$($(1)_CFLAGS) $$^ $$(LDLIBS_CLI) -o $$@

$$($(1)_DIR)/percepnet-dump: $$($(1)_DUMP_OBJ) $$($(1)_LIB)
	$$($(1)_CC) $$($(1)_CFLAGS) $$^ $$(LDLIBS_DUMP) $$($(1)_LDLIBS) -o $$@

# test and tool programs: test/<area>/<name>.c plus the objects a program
# lists as extra prerequisites (e.g. test_dump_dsp), linked with the library
# and the libraries it names in TEST_LDLIBS (a target-specific variable)
$$($(1)_DIR)/test/%: test/%.c $$($(1)_LIB) test/testutil.h | $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$($(1)_COMPILE) -MMD -MP -MT $$@ $$< $$(filter %.o,$$^) $$($(1)_LIB) $$(TEST_LDLIBS) $$($(1)_LDLIBS) -o $$@
endef

-include lib/nnet/nnet.mk

-include lib/lib.mk
-include cli/cli.mk
-include test/test.mk
-include scripts/scripts.mk

$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))

all: $(native_LIB) percepnet

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(BUILD) percepnet

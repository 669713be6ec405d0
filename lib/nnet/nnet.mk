# lib/nnet: the int8 inference engine. The kernel source
# lib/nnet/kernels/pn_kernels.c is compiled once per instruction set, with
# the set's flags and a name suffix, by every build variant (the top
# Makefile's variant_rules). Adding an instruction set: its flags here, its
# name in the list of its architecture, its PN_KISA value and table entry
# (pn_kernels.h, pn_kernel_table.c) and its level name (pn_cpu.c).

NNET_KSRC := lib/nnet/kernels/pn_kernels.c
NNET_ISAS_x86 := c sse41 avx2 avx512bw avx512vnni
NNET_ISAS_aarch64 := c neon
# the sets of the machine $(CC) builds for (the clang variants build for the
# same machine; the arm variant for aarch64); on a fresh machine the compiler
# is installed by the deps target after this is read, so the machine make
# runs on stands in for it then
NNET_MACHINE := $(or $(shell $(CC) -dumpmachine 2>/dev/null),$(shell uname -m))
ifneq ($(filter x86_64% i686% i386%,$(NNET_MACHINE)),)
NNET_ISAS := $(NNET_ISAS_x86)
else ifneq ($(filter aarch64%,$(NNET_MACHINE)),)
NNET_ISAS := $(NNET_ISAS_aarch64)
else
NNET_ISAS := c
endif
NNET_ISAS_native := $(NNET_ISAS)
NNET_ISAS_san := $(NNET_ISAS)
NNET_ISAS_fuzz := $(NNET_ISAS)
NNET_ISAS_arm := $(NNET_ISAS_aarch64)

# PN_KISA values: lib/nnet/pn_kernels.h
NNET_KFLAGS_c := -DPN_KISA=0
NNET_KFLAGS_sse41 := -DPN_KISA=1 -mssse3 -msse4.1
NNET_KFLAGS_avx2 := -DPN_KISA=2 -mavx2
NNET_KFLAGS_avx512bw := -DPN_KISA=3 -mavx2 -mavx512f -mavx512bw
NNET_KFLAGS_avx512vnni := -DPN_KISA=4 -mavx2 -mavx512f -mavx512bw -mavx512vnni
NNET_KFLAGS_neon := -DPN_KISA=5

# ---- make test-arm: the engine and its tests of the arm variant, run under
# qemu-user against the native build (not part of `make test`).
ARM_QEMU ?= qemu-aarch64 -L /usr/aarch64-linux-gnu
NNET_ARM_TESTS = $(addprefix $(arm_DIR)/test/nnet/,test_kernels test_model_load test_net_paths)

test-arm: $(NNET_ARM_TESTS) $(arm_DIR)/test/nnet/pn_run_model $(native_DIR)/test/nnet/pn_run_model
	@ARM_QEMU="$(ARM_QEMU)" PYTHON=$(PYTHON) bash test/nnet/run_arm.sh $(arm_DIR)/test/nnet/pn_run_model \
	  $(native_DIR)/test/nnet/pn_run_model $(NNET_ARM_TESTS)

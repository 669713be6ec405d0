# lib/nnet: the int8 inference engine. lib/nnet/*.c are compiled once by the
# top Makefile; the kernel source lib/nnet/kernels/pn_kernels.c is compiled
# here once per instruction set with its own flags and a name suffix.

NNET_KSRC := lib/nnet/kernels/pn_kernels.c
NNET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter x86_64% i686% i386%,$(NNET_MACHINE)),)
NNET_ISAS := c sse41 avx2 avx512bw avx512vnni
else ifneq ($(filter aarch64%,$(NNET_MACHINE)),)
NNET_ISAS := c neon
else
NNET_ISAS := c
endif

# PN_KISA values: lib/nnet/pn_kernels.h
NNET_KFLAGS_c := -DPN_KISA=0
NNET_KFLAGS_sse41 := -DPN_KISA=1 -mssse3 -msse4.1
NNET_KFLAGS_avx2 := -DPN_KISA=2 -mavx2
NNET_KFLAGS_avx512bw := -DPN_KISA=3 -mavx2 -mavx512f -mavx512bw
NNET_KFLAGS_avx512vnni := -DPN_KISA=4 -mavx2 -mavx512f -mavx512bw -mavx512vnni
NNET_KFLAGS_neon := -DPN_KISA=5

NNET_KOBJ := $(NNET_ISAS:%=$(BUILD)/lib/nnet/kernels/pn_kernels_%.o)
KERNEL_OBJ += $(NNET_KOBJ)

# A static pattern rule: it applies to these objects only, so make never
# tries it for other names (e.g. when looking for a way to remake a .d file).
$(NNET_KOBJ): $(BUILD)/lib/nnet/kernels/pn_kernels_%.o: $(NNET_KSRC) $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(NNET_KFLAGS_$*) -DPN_KSUFFIX=_$* -MMD -MP -c $< -o $@

# ---- make test-arm: the engine and its tests cross-compiled for aarch64
# and run under qemu-user (not part of `make test`).
ARM_CC ?= aarch64-linux-gnu-gcc
ARM_QEMU ?= qemu-aarch64 -L /usr/aarch64-linux-gnu
ARM_BUILD := $(BUILD)/arm
ARM_CFLAGS = $(BASE_CFLAGS) $(SRC_INC) -O2 -g
NNET_ARM_SRC := $(wildcard lib/nnet/*.c weights/*.c)
NNET_ARM_KOBJ := $(ARM_BUILD)/lib/nnet/kernels/pn_kernels_c.o $(ARM_BUILD)/lib/nnet/kernels/pn_kernels_neon.o
NNET_ARM_OBJ := $(NNET_ARM_SRC:%.c=$(ARM_BUILD)/%.o) $(NNET_ARM_KOBJ)
NNET_ARM_TESTS := $(patsubst test/nnet/%.c,$(ARM_BUILD)/test/nnet/%,$(wildcard test/nnet/test_kernels.c test/nnet/test_model_load.c test/nnet/test_net_paths.c))
NNET_ARM_RUNNER := $(ARM_BUILD)/test/nnet/pn_run_model

$(filter-out $(NNET_ARM_KOBJ),$(NNET_ARM_OBJ)): $(ARM_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -c $< -o $@
$(NNET_ARM_KOBJ): $(ARM_BUILD)/lib/nnet/kernels/pn_kernels_%.o: $(NNET_KSRC)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) $(NNET_KFLAGS_$*) -DPN_KSUFFIX=_$* -c $< -o $@
$(ARM_BUILD)/libpnnet.a: $(NNET_ARM_OBJ)
	rm -f $@
	aarch64-linux-gnu-ar rcs $@ $^
$(NNET_ARM_TESTS) $(NNET_ARM_RUNNER): $(ARM_BUILD)/test/nnet/%: test/nnet/%.c $(ARM_BUILD)/libpnnet.a test/testutil.h
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -Itest $< $(ARM_BUILD)/libpnnet.a -lm -o $@

test-arm: $(NNET_ARM_TESTS) $(NNET_ARM_RUNNER) $(BUILD)/test/nnet/pn_run_model
	@ARM_QEMU="$(ARM_QEMU)" PYTHON=$(PYTHON) bash test/nnet/run_arm.sh $(NNET_ARM_RUNNER) \
	  $(BUILD)/test/nnet/pn_run_model $(NNET_ARM_TESTS)

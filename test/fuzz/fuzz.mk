# test/fuzz: libFuzzer harnesses, built with clang and
# -fsanitize=fuzzer,address,undefined against a copy of the core (and of the
# CLI's input path) compiled with the same sanitizers and coverage.
#
#   make fuzz [FUZZ_SECONDS=N]   each harness N seconds (default 30), corpus
#                                grown in $(BUILD)/fuzz/corpus/<harness>/
#   make test                    test/fuzz/test_fuzz_smoke.sh: 30 s each
#
# Harness fuzz_<name>.c has its seed corpus in test/fuzz/corpus/<name>/.

FUZZ_CC := clang
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 30
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = $(BASE_CFLAGS) $(SRC_INC) -O2 -g $(FUZZ_SAN)
FUZZ_NAMES := model_load frames cli_input
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
# the CLI's input path: decoding, resampling, streaming into the core
FUZZ_CLI_SRC := cli/audio_in.c cli/resampler.c cli/denoise_stream.c cli/frame_fifo.c

# clang and its sanitizer/fuzzer runtimes (Debian), installed once if missing
FUZZ_DEB_PKGS := clang libclang-rt-14-dev
FUZZ_DEPS_OK := $(shell command -v $(FUZZ_CC) >/dev/null && \
  test -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" \
  && echo yes)
$(BUILD)/.fuzz-deps: $(BUILD)/.deps
ifneq ($(FUZZ_DEPS_OK),yes)
	@echo "installing fuzzing dependencies: $(FUZZ_DEB_PKGS)"
	$(call apt_install,$(FUZZ_DEB_PKGS))
endif
	@touch $@

FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) \
  $(NNET_ISAS:%=$(FUZZ_BUILD)/lib/nnet/kernels/pn_kernels_%.o)
FUZZ_CLI_OBJ := $(FUZZ_CLI_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(NNET_ISAS:%=$(FUZZ_BUILD)/lib/nnet/kernels/pn_kernels_%.o): $(FUZZ_BUILD)/lib/nnet/kernels/pn_kernels_%.o: $(NNET_KSRC) $(BUILD)/.fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(NNET_KFLAGS_$*) -DPN_KSUFFIX=_$* \
	  -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/%.o: %.c $(BUILD)/.fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/libpercepnet_fuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: test/fuzz/fuzz_%.c $(FUZZ_BUILD)/libpercepnet_fuzz.a $(FUZZ_CLI_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Icli $< $(FUZZ_CLI_OBJ) \
	  $(FUZZ_BUILD)/libpercepnet_fuzz.a $(LDLIBS_CLI) -o $@

fuzz-build: $(FUZZ_BINS)
.PHONY: fuzz-build

fuzz: $(FUZZ_BINS)
	@FUZZ_BIN_DIR=$(FUZZ_BUILD) test/fuzz/run_fuzz.sh $(FUZZ_SECONDS) 1 $(FUZZ_NAMES)

# make test runs every harness for 30 s (test/fuzz/test_fuzz_smoke.sh);
# FUZZ_IN_TEST=0 leaves them out (make check-mem)
FUZZ_IN_TEST ?= 1
ifeq ($(FUZZ_IN_TEST),1)
TEST_EXTRA_DEPS += $(FUZZ_BINS)
endif
# kept: make would otherwise delete them as intermediates of the link rule
.SECONDARY: $(FUZZ_CLI_OBJ)

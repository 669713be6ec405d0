# test/fuzz: libFuzzer harnesses, linked with -fsanitize=fuzzer against the
# fuzz build variant (the core and the CLI's input path compiled with clang,
# ASan + UBSan and coverage; see the top Makefile), in $(fuzz_DIR).
#
#   make fuzz [FUZZ_SECONDS=N]   each harness N seconds (default 30), corpus
#                                grown in $(BUILD)/fuzz/corpus/<harness>/
#   make test                    test/fuzz/test_fuzz_smoke.sh: 30 s each
#
# Harness fuzz_<name>.c has its seed corpus in test/fuzz/corpus/<name>/.

FUZZ_SECONDS ?= 30
FUZZ_NAMES := model_load frames cli_input
FUZZ_BINS := $(FUZZ_NAMES:%=$(fuzz_DIR)/fuzz_%)
# the CLI's input path: decoding, resampling, streaming into the core
FUZZ_CLI_OBJ := $(patsubst %.c,$(fuzz_DIR)/%.o,cli/audio_in.c cli/resampler.c cli/denoise_stream.c cli/frame_fifo.c)

# clang and its sanitizer/fuzzer runtimes (Debian): the san and fuzz
# variants' dependency
FUZZ_DEB_PKGS := clang libclang-rt-14-dev
.PHONY: fuzz-deps
fuzz-deps: deps
	$(call deb_install,fuzzing,$(FUZZ_DEB_PKGS))

$(FUZZ_BINS): $(fuzz_DIR)/fuzz_%: test/fuzz/fuzz_%.c $(fuzz_LIB) $(FUZZ_CLI_OBJ)
	@mkdir -p $(dir $@)
	$(fuzz_CC) $(BASE_CFLAGS) $(SRC_INC) -Icli $(fuzz_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_CLI_OBJ) \
	  $(fuzz_LIB) $(LDLIBS_CLI) -o $@

fuzz-build: $(FUZZ_BINS)
.PHONY: fuzz-build

fuzz: $(FUZZ_BINS)
	@FUZZ_BIN_DIR=$(fuzz_DIR) test/fuzz/run_fuzz.sh $(FUZZ_SECONDS) 1 $(FUZZ_NAMES)

# make test runs every harness for 30 s (test/fuzz/test_fuzz_smoke.sh)
TEST_EXTRA_DEPS += $(FUZZ_BINS)
# kept: make would otherwise delete them as intermediates of the link rule
.SECONDARY: $(FUZZ_CLI_OBJ)

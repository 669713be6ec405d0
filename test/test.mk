# Tests. Every test/<area>/test_*.c becomes a program linked with the core
# library; every test/<area>/test_*.sh and test_*.py is run as it is. Each
# prints TAP-style lines ("ok - name" / "not ok - name: reason");
# test/run_tests.sh counts them and prints the final "N passed, N failed".
# An area may add rules of its own in test/<area>/<area>.mk.

# What the tests import and run (checked by test/repo/test_deps.py); the
# OpenBLAS build with threads is what makes python3-torch fast; ffmpeg is
# reached through scripts/data/prepare.py (test_prepare_decoders.py).
TEST_DEB_PKGS := python3 python3-numpy python3-scipy python3-torch libopenblas0-pthread sox flac ffmpeg pkg-config git
.PHONY: test-deps
test-deps: deps
	$(call deb_install,test,$(TEST_DEB_PKGS))

TEST_C_SRC := $(wildcard test/*/test_*.c)
TEST_SCRIPTS := $(wildcard test/*/test_*.sh test/*/test_*.py)
# programs of variant V the suite needs besides its test_* programs (areas
# add theirs in test/<area>/<area>.mk); TEST_EXTRA_DEPS: other targets
# `make test` needs (the fuzz harnesses)
TEST_BINS = $(TEST_C_SRC:test/%.c=$($(1)_DIR)/test/%)
TEST_PROGS = $(call TEST_BINS,$(1)) $(foreach p,$(TEST_HELPERS),$($(1)_DIR)/$(p)) \
  $($(1)_CLI_BIN) $($(1)_DIR)/percepnet-dump
TEST_HELPERS :=
TEST_EXTRA_DEPS :=

-include $(wildcard test/*/*.mk)

# $(call run_suite,V): runs the suite on variant V's programs; scripts find
# them through PERCEPNET_TEST_BIN (the CLI) and PERCEPNET_TEST_BUILD (the
# variant's folder)
run_suite = PYTHON=$(PYTHON) PERCEPNET_TEST_BIN=$(abspath $($(1)_CLI_BIN)) PERCEPNET_TEST_BUILD=$($(1)_DIR) \
  test/run_tests.sh $(call TEST_BINS,$(1)) $(TEST_SCRIPTS)

test: all test-deps $(call TEST_PROGS,native) $(TEST_EXTRA_DEPS)
	@$(call run_suite,native)

# the suite built with clang under ASan + UBSan (make check-mem): scripts
# that compile C (test_export.py) use the same compiler and flags
san-test: test-deps $(call TEST_PROGS,san)
	@CC=$(san_CC) EXTRA_CFLAGS="$(SAN_FLAGS)" FUZZ_SMOKE_SECONDS=0 $(call run_suite,san)
.PHONY: san-test

# Tests. Every test/<area>/test_*.c becomes a program linked with the core
# library; every test/<area>/test_*.sh and test_*.py is run as it is. Each
# prints TAP-style lines ("ok - name" / "not ok - name: reason");
# test/run_tests.sh counts them and prints the final "N passed, N failed".
# An area may add rules of its own in test/<area>/<area>.mk.

# What the tests import and run (checked by test/repo/test_deps.py); the
# OpenBLAS build with threads is what makes python3-torch fast.
TEST_DEB_PKGS := python3 python3-numpy python3-scipy python3-torch libopenblas0-pthread sox flac pkg-config
.PHONY: test-deps
test-deps: deps
	$(call deb_install,test,$(TEST_DEB_PKGS))

TEST_C_SRC := $(wildcard test/*/test_*.c)
TEST_BIN := $(TEST_C_SRC:test/%.c=$(BUILD)/test/%)
TEST_SCRIPTS := $(wildcard test/*/test_*.sh test/*/test_*.py)
TEST_EXTRA_DEPS :=

-include $(wildcard test/*/*.mk)

$(BUILD)/test/%: test/%.c lib/libpercepnet.a test/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itest $< lib/libpercepnet.a $(LDLIBS_CORE) -o $@

test: all test-deps $(TEST_BIN) $(TEST_EXTRA_DEPS)
	@PYTHON=$(PYTHON) test/run_tests.sh $(TEST_BIN) $(TEST_SCRIPTS)

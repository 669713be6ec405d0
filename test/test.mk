# Tests. Every test/<area>/test_*.c becomes a program linked with the core
# library; every test/<area>/test_*.sh and test_*.py is run as it is. Each
# prints TAP-style lines ("ok - name" / "not ok - name: reason");
# test/run_tests.sh counts them and prints the final "N passed, N failed".
# An area may add rules of its own in test/<area>/<area>.mk.

TEST_DEB_PKGS := python3-numpy sox flac
TEST_DEPS_OK := $(shell test -f /usr/lib/python3/dist-packages/numpy/__init__.py \
  && command -v sox >/dev/null && command -v flac >/dev/null && echo yes)
$(BUILD)/.test-deps: $(BUILD)/.deps
ifneq ($(TEST_DEPS_OK),yes)
	@echo "installing test dependencies: $(TEST_DEB_PKGS)"
	$(call apt_install,$(TEST_DEB_PKGS))
endif
	@touch $@

TEST_C_SRC := $(wildcard test/*/test_*.c)
TEST_BIN := $(TEST_C_SRC:test/%.c=$(BUILD)/test/%)
TEST_SCRIPTS := $(wildcard test/*/test_*.sh test/*/test_*.py)
TEST_EXTRA_DEPS :=

-include $(wildcard test/*/*.mk)

$(BUILD)/test/%: test/%.c lib/libpercepnet.a test/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itest $< lib/libpercepnet.a $(LDLIBS_CORE) -o $@

test: all $(BUILD)/.test-deps $(TEST_BIN) $(TEST_EXTRA_DEPS)
	@PYTHON=$(PYTHON) test/run_tests.sh $(TEST_BIN) $(TEST_SCRIPTS)

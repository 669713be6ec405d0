# make check-mem: the whole test suite built with clang under AddressSanitizer
# + UndefinedBehaviorSanitizer (-fno-sanitize-recover=all), then valgrind
# memcheck of the regular ./percepnet on a few files. Zero reports required.
#
# The sanitizer build runs in a copy of the source tree under
# $(BUILD)/check-mem/tree (lib/libpercepnet.a and ./percepnet sit at fixed
# paths in the tree, so a second build in place would overwrite them); the
# copy is refreshed incrementally, so a rerun only recompiles what changed.
# The fuzz harnesses are left out of that run (FUZZ_IN_TEST=0): they are
# sanitizer builds already and run by `make test` / `make fuzz`.

# clang builds the suite, valgrind checks ./percepnet (test/repo/test_deps.py
# checks the list)
CHECK_MEM_DEB_PKGS := clang valgrind
.PHONY: check-mem-deps
check-mem-deps: deps
	$(call deb_install,check-mem,$(CHECK_MEM_DEB_PKGS))
check-mem: all check-mem-deps
	@BUILD=$(BUILD) test/fuzz/check_mem.sh

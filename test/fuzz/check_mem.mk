# make check-mem: the whole test suite of the san build variant (clang,
# AddressSanitizer + UndefinedBehaviorSanitizer, -fno-sanitize-recover=all;
# outputs in $(BUILD)/san/, beside the native build) through `make san-test`,
# then valgrind memcheck of the regular ./percepnet on a few files. Zero
# reports required. The fuzz harnesses are left out: they are sanitizer
# builds already and run by `make test` / `make fuzz`.

# clang builds the suite, valgrind checks ./percepnet (test/repo/test_deps.py
# checks the list)
CHECK_MEM_DEB_PKGS := clang valgrind
.PHONY: check-mem-deps
check-mem-deps: deps
	$(call deb_install,check-mem,$(CHECK_MEM_DEB_PKGS))
check-mem: all check-mem-deps
	@BUILD=$(BUILD) test/fuzz/check_mem.sh

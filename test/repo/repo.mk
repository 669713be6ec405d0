# test/repo: checks of the project as a whole (dependency lists, machine
# paths, import paths, install); test_install.sh installs the shared library
# built here.
TEST_EXTRA_DEPS += $(SO_FILE)

# `make test-fresh-machine`: the README's two commands (`make demo`, `make
# test`) in a fresh Debian root made by debootstrap (test/repo/fresh_machine.sh;
# root, about 2 GB, the Debian archive). Not part of `make test`: it downloads
# and installs every package the targets need.
FRESH_DEB_PKGS := debootstrap git coreutils
.PHONY: test-fresh-machine fresh-deps
fresh-deps:
	$(call deb_install,fresh-machine test,$(FRESH_DEB_PKGS))
test-fresh-machine: fresh-deps
	@test/repo/fresh_machine.sh

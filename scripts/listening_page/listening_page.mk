# scripts/listening_page/listening_page.mk - `make listening-deps`: the Debian
# packages scripts/listening-page imports and runs, with percepnet built, so
# the tool runs on a fresh machine (test/repo/test_deps.py checks the list).
.PHONY: listening-deps

LISTENING_DEB_PKGS := python3 python3-numpy python3-scipy python3-matplotlib python3-soundfile
listening-deps: percepnet deps
	$(call deb_install,listening-page,$(LISTENING_DEB_PKGS))

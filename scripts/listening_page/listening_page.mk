# scripts/listening_page/listening_page.mk - `make listening-deps`: the Debian
# packages scripts/listening-page imports (numpy, scipy, matplotlib,
# soundfile), with percepnet built, so the tool runs on a fresh machine.
.PHONY: listening-deps

LISTENING_PY_PKGS := python3-numpy python3-scipy python3-matplotlib python3-soundfile
LISTENING_PY_OK := $(shell test -f /usr/lib/python3/dist-packages/numpy/__init__.py \
  && test -f /usr/lib/python3/dist-packages/scipy/__init__.py \
  && test -f /usr/lib/python3/dist-packages/matplotlib/__init__.py \
  && test -f /usr/lib/python3/dist-packages/soundfile.py && echo yes)

$(BUILD)/.listening-py-deps: $(BUILD)/.deps
ifneq ($(LISTENING_PY_OK),yes)
	@echo "installing listening-page dependencies: $(LISTENING_PY_PKGS)"
	$(call apt_install,$(LISTENING_PY_PKGS))
endif
	@touch $@

listening-deps: percepnet $(BUILD)/.listening-py-deps

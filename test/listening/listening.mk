# test/listening: test_listening_page.py drives Debian's chromium through
# playwright-core (npm, the version in package-lock.json, installed under
# build/listening-npm) with node; the tool itself needs listening-deps.
LISTENING_NPM := $(BUILD)/listening-npm
LISTENING_BROWSER_OK := $(shell test -x /usr/bin/chromium && command -v node >/dev/null \
  && command -v npm >/dev/null && echo yes)

$(BUILD)/.listening-browser-deps: $(BUILD)/.deps
ifneq ($(LISTENING_BROWSER_OK),yes)
	@echo "installing the browser test's dependencies: chromium, node, npm"
	$(call apt_install,chromium)
	command -v node >/dev/null && command -v npm >/dev/null || { $(call apt_install,nodejs npm); }
endif
	@touch $@

$(LISTENING_NPM)/node_modules/playwright-core/package.json: test/listening/package.json \
    test/listening/package-lock.json $(BUILD)/.listening-browser-deps
	@mkdir -p $(LISTENING_NPM)
	cp test/listening/package.json test/listening/package-lock.json $(LISTENING_NPM)/
	cd $(LISTENING_NPM) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

TEST_EXTRA_DEPS += $(BUILD)/.listening-py-deps $(LISTENING_NPM)/node_modules/playwright-core/package.json

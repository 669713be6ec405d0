# test/listening: test_listening_page.py drives Debian's chromium through
# playwright-core (npm, the version in package-lock.json, installed under
# build/listening-npm) with node; the tool itself needs listening-deps.
LISTENING_NPM := $(BUILD)/listening-npm
LISTENING_TEST_DEB_PKGS := chromium nodejs npm
.PHONY: listening-test-deps
listening-test-deps: deps
	$(call deb_install,browser test,$(LISTENING_TEST_DEB_PKGS))

$(LISTENING_NPM)/node_modules/playwright-core/package.json: test/listening/package.json \
    test/listening/package-lock.json | listening-test-deps
	@mkdir -p $(LISTENING_NPM)
	cp test/listening/package.json test/listening/package-lock.json $(LISTENING_NPM)/
	cd $(LISTENING_NPM) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

TEST_EXTRA_DEPS += listening-deps listening-test-deps \
  $(LISTENING_NPM)/node_modules/playwright-core/package.json

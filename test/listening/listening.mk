# test/listening: test_listening_page.py drives Debian's chromium through
# playwright-core (npm, the version in package-lock.json, installed under
# build/listening-npm) with node; the tool itself needs listening-deps.
LISTENING_NPM := $(BUILD)/listening-npm
# node and npm are installed from Debian only when the commands are missing
# (a machine may have them from another nodejs build that conflicts with
# Debian's npm package)
LISTENING_TEST_DEB_PKGS := chromium nodejs npm
.PHONY: listening-test-deps
listening-test-deps: deps
	$(call deb_install,browser test,$(filter-out nodejs npm,$(LISTENING_TEST_DEB_PKGS)))
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "installing the browser test's node and npm"; $(call apt_install,nodejs npm); }

$(LISTENING_NPM)/node_modules/playwright-core/package.json: test/listening/package.json \
    test/listening/package-lock.json | listening-test-deps
	@mkdir -p $(LISTENING_NPM)
	cp test/listening/package.json test/listening/package-lock.json $(LISTENING_NPM)/
	cd $(LISTENING_NPM) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

TEST_EXTRA_DEPS += listening-deps listening-test-deps \
  $(LISTENING_NPM)/node_modules/playwright-core/package.json

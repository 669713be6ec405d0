# cli/cli.mk - the percepnet command-line front end, included by the top-level
# Makefile: its sources (each build variant links them with its library; the
# native binary is ./percepnet at the repository top, linked statically),
# `make demo`, `make install`, `make uninstall`.

CLI_SRC := $(wildcard cli/*.c)

# ---- make demo: denoise the bundled noisy sample.
# DEMO_MODE=model (default) uses the built-in trained model; DEMO_MODE=oracle
# runs the oracle (ideal gains from the bundled clean reference: the ceiling
# of the signal chain, to compare by ear).
DEMO_MODE ?= model
DEMO_DIR := $(BUILD)/demo
DEMO_CLEAN := test/data/demo_clean.flac
DEMO_NOISY := test/data/demo_noisy.flac

.PHONY: demo-run install-cli uninstall uninstall-cli
demo: demo-run
demo-run: percepnet
	@mkdir -p $(DEMO_DIR)
ifeq ($(DEMO_MODE),oracle)
	./percepnet -f --oracle $(DEMO_CLEAN) $(DEMO_NOISY) -o $(DEMO_DIR)/demo_noisy.oracle.flac \
	  --report $(DEMO_DIR)/demo_report.json
	@echo "demo (oracle mode: ideal gains from $(DEMO_CLEAN)):"
	@echo "  noisy input: $(DEMO_NOISY)"
	@echo "  denoised:    $(DEMO_DIR)/demo_noisy.oracle.flac"
else
	./percepnet -f $(DEMO_NOISY) -o $(DEMO_DIR)/demo_noisy.denoised.flac \
	  --report $(DEMO_DIR)/demo_report.json
	@echo "demo (built-in model $$(./percepnet --version | sed 's/.*model \([0-9a-f]*\).*/\1/')):"
	@echo "  noisy input: $(DEMO_NOISY)"
	@echo "  denoised:    $(DEMO_DIR)/demo_noisy.denoised.flac"
endif
	@echo "  report:      $(DEMO_DIR)/demo_report.json"

# ---- install
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
install: install-cli
install-cli: percepnet
	install -d $(BINDIR) $(MANDIR)
	install -m 755 percepnet $(BINDIR)/percepnet
	install -m 644 cli/percepnet.1 $(MANDIR)/percepnet.1
uninstall: uninstall-cli
uninstall-cli:
	rm -f $(BINDIR)/percepnet $(MANDIR)/percepnet.1

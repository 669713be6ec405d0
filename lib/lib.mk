# lib/lib.mk - the library as installed: the native variant's libpercepnet.a
# (top Makefile), the shared library libpercepnet.so.$(VERSION) with the
# soname libpercepnet.so.$(SO_MAJOR), built from the pic variant (the native
# flags plus -fPIC, in $(BUILD)/pic/), and percepnet.pc for pkg-config
# (written at install); `make install` / `make uninstall` add and remove them
# beside the CLI's files (cli/cli.mk). The shared library exports the
# functions that lib/percepnet.h declares and nothing else (a version script
# made from it).

pic_CC = $(CC)
pic_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) -fPIC
pic_AR := ar
pic_LDLIBS := $(LDLIBS_CORE)
pic_DEPS := deps
NNET_ISAS_pic := $(NNET_ISAS)
VARIANTS += pic
pic_DIR := $(BUILD)/pic
pic_LIB := $(pic_DIR)/libpercepnet.a
pic_CLI_BIN := $(pic_DIR)/percepnet

SO_MAJOR := $(firstword $(subst ., ,$(VERSION)))
SO_NAME := libpercepnet.so.$(SO_MAJOR)
SO_FILE := $(pic_DIR)/libpercepnet.so.$(VERSION)

$(pic_DIR)/percepnet.map: lib/percepnet.h
	@mkdir -p $(dir $@)
	{ echo '{ global:'; grep -o 'percepnet_[a-z0-9_]*(' $< | sort -u | sed 's/($$/;/'; \
	  echo 'local: *; };'; } >$@.tmp && mv $@.tmp $@
# the whole archive goes in: every object, so every declared function is there
$(SO_FILE): $(pic_LIB) $(pic_DIR)/percepnet.map
	$(CC) $(BASE_CFLAGS) $(pic_CFLAGS) -shared -Wl,-soname,$(SO_NAME) \
	  -Wl,--version-script=$(pic_DIR)/percepnet.map -Wl,--no-undefined \
	  -Wl,--whole-archive $(pic_LIB) -Wl,--no-whole-archive $(LDLIBS_CORE) -o $@
	ln -sf $(notdir $@) $(pic_DIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(pic_DIR)/libpercepnet.so

shared-lib: $(SO_FILE)
.PHONY: shared-lib install-lib uninstall-lib

LIBDIR = $(DESTDIR)$(PREFIX)/lib
INCLUDEDIR = $(DESTDIR)$(PREFIX)/include
PCDIR = $(LIBDIR)/pkgconfig
install: install-lib
# percepnet.pc names PREFIX (not DESTDIR, the staging folder)
install-lib: $(native_LIB) $(SO_FILE)
	install -d $(LIBDIR) $(INCLUDEDIR) $(PCDIR)
	install -m 644 $(native_LIB) $(LIBDIR)/libpercepnet.a
	install -m 755 $(SO_FILE) $(LIBDIR)/$(notdir $(SO_FILE))
	ln -sf $(notdir $(SO_FILE)) $(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(LIBDIR)/libpercepnet.so
	install -m 644 lib/percepnet.h $(INCLUDEDIR)/percepnet.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: percepnet' 'Description: speech denoiser (PercepNet design) on 48 kHz float frames' \
	  'Version: $(VERSION)' 'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lpercepnet' \
	  'Libs.private: -lkissfft-float -lm' >$(PCDIR)/percepnet.pc
	chmod 644 $(PCDIR)/percepnet.pc
uninstall: uninstall-lib
uninstall-lib:
	rm -f $(LIBDIR)/libpercepnet.a $(LIBDIR)/$(notdir $(SO_FILE)) $(LIBDIR)/$(SO_NAME) \
	  $(LIBDIR)/libpercepnet.so $(INCLUDEDIR)/percepnet.h $(PCDIR)/percepnet.pc

# lib/lib.mk - the library as installed: lib/libpercepnet.a (top Makefile),
# the shared library lib/libpercepnet.so.$(VERSION) with the soname
# libpercepnet.so.$(SO_MAJOR), and percepnet.pc for pkg-config (written at install);
# `make install` / `make uninstall` add and remove them beside the CLI's
# files (cli/cli.mk). The shared library exports the functions that
# lib/percepnet.h declares and nothing else (a version script made from it).

SO_MAJOR := $(firstword $(subst ., ,$(VERSION)))
SO_NAME := libpercepnet.so.$(SO_MAJOR)
SO_FILE := lib/libpercepnet.so.$(VERSION)
PIC_BUILD := $(BUILD)/pic
PIC_OBJ := $(LIB_SRC:%.c=$(PIC_BUILD)/%.o) $(NNET_ISAS:%=$(PIC_BUILD)/lib/nnet/kernels/pn_kernels_%.o)

$(PIC_BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(NNET_ISAS:%=$(PIC_BUILD)/lib/nnet/kernels/pn_kernels_%.o): $(PIC_BUILD)/lib/nnet/kernels/pn_kernels_%.o: $(NNET_KSRC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC $(NNET_KFLAGS_$*) -DPN_KSUFFIX=_$* -MMD -MP -c $< -o $@

$(PIC_BUILD)/percepnet.map: lib/percepnet.h
	@mkdir -p $(dir $@)
	{ echo '{ global:'; grep -o 'percepnet_[a-z0-9_]*(' $< | sort -u | sed 's/($$/;/'; \
	  echo 'local: *; };'; } >$@.tmp && mv $@.tmp $@
$(SO_FILE): $(PIC_OBJ) $(PIC_BUILD)/percepnet.map
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SO_NAME) -Wl,--version-script=$(PIC_BUILD)/percepnet.map \
	  -Wl,--no-undefined $(PIC_OBJ) $(LDLIBS_CORE) -o $@
	ln -sf $(notdir $@) lib/$(SO_NAME)
	ln -sf $(SO_NAME) lib/libpercepnet.so

shared-lib: $(SO_FILE)
.PHONY: shared-lib install-lib uninstall-lib
clean: clean-lib
clean-lib:
	rm -f lib/libpercepnet.so*
.PHONY: clean-lib

LIBDIR = $(DESTDIR)$(PREFIX)/lib
INCLUDEDIR = $(DESTDIR)$(PREFIX)/include
PCDIR = $(LIBDIR)/pkgconfig
install: install-lib
# percepnet.pc names PREFIX (not DESTDIR, the staging folder)
install-lib: lib/libpercepnet.a $(SO_FILE)
	install -d $(LIBDIR) $(INCLUDEDIR) $(PCDIR)
	install -m 644 lib/libpercepnet.a $(LIBDIR)/libpercepnet.a
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

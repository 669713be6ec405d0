# test/dump/dump.mk - the dump tool's tests: test_dump.sh runs the built
# tool; test_dump_dsp.c links the tool's generator units directly.
TEST_EXTRA_DEPS += $(BUILD)/percepnet-dump
DUMP_TEST_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out scripts/dump/dump_features.c,$(wildcard scripts/dump/*.c)))

$(BUILD)/test/dump/test_dump_dsp: test/dump/test_dump_dsp.c $(DUMP_TEST_OBJ) lib/libpercepnet.a test/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itest -Iscripts/dump $< $(DUMP_TEST_OBJ) lib/libpercepnet.a $(LDLIBS_CORE) -o $@

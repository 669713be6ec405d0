# test/dump/dump.mk - the dump tool's test needs the tool built.
TEST_EXTRA_DEPS += $(BUILD)/percepnet-dump

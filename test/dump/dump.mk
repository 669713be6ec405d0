# test/dump/dump.mk - the dump tool's tests: test_dump.sh runs the built
# tool; test_dump_dsp.c links the tool's generator units directly (in every
# variant that runs the suite).
DUMP_TEST_SRC := $(filter-out scripts/dump/dump_features.c,$(wildcard scripts/dump/*.c))
$(foreach v,native san,$(eval $($(v)_DIR)/test/dump/test_dump_dsp: $(DUMP_TEST_SRC:%.c=$($(v)_DIR)/%.o)))
$(foreach v,native san,$(eval $($(v)_DIR)/test/dump/test_dump_dsp: TEST_LDLIBS := $(LDLIBS_DUMP)))

# scripts/dump/dump.mk - the training-data dump tool, build/percepnet-dump:
# prepared audio in, rows of features + targets out (dump_features.c), built
# on lib/libpercepnet.a so the features are those the denoiser computes.
.PHONY: dump-tool

DUMP_SRC := $(wildcard scripts/dump/*.c)
DUMP_OBJ := $(DUMP_SRC:%.c=$(BUILD)/%.o)

$(BUILD)/scripts/dump/%.o: EXTRA_CFLAGS += -Iscripts/dump

$(BUILD)/percepnet-dump: $(DUMP_OBJ) lib/libpercepnet.a
	$(CC) $(ALL_CFLAGS) $(DUMP_OBJ) lib/libpercepnet.a $(LDLIBS_CORE) -o $@

dump-tool: $(BUILD)/percepnet-dump

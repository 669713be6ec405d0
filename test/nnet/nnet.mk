# test/nnet: helper program for test_torch_match.py (C run of a model file).
$(BUILD)/test/nnet/pn_run_model: test/nnet/pn_run_model.c lib/libpercepnet.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< lib/libpercepnet.a $(LDLIBS_CORE) -o $@
TEST_EXTRA_DEPS += $(BUILD)/test/nnet/pn_run_model
$(BUILD)/test/nnet/test_model_load: test/nnet/pn_linear_equal.h

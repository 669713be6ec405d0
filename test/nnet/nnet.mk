# test/nnet: helper program for test_torch_match.py (C run of a model file),
# built in every variant as $(V_DIR)/test/nnet/pn_run_model.
TEST_HELPERS += test/nnet/pn_run_model

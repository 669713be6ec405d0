# test/repo: checks of the project as a whole (dependency lists, machine
# paths, import paths, install); test_install.sh installs the shared library
# built here.
TEST_EXTRA_DEPS += $(SO_FILE)

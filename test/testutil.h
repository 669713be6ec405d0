/*
 * testutil.h - minimal TAP-style checks for the C tests.
 * Each CHECK prints "ok - name" or "not ok - name: reason"; main() returns
 * test_exit() so the program fails when any check failed.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stdio.h>

static int test_failures;

static void test_report(int pass, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), unused));
static void test_report(int pass, const char *name, const char *fmt, ...) {
  va_list ap;
  if (pass) {
    printf("ok - %s\n", name);
  } else {
    test_failures++;
    printf("not ok - %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
  }
  fflush(stdout);
}

/* CHECK(cond, name, fmt, ...): fmt explains a failure with the values seen. */
#define CHECK(cond, name, ...) test_report((cond) ? 1 : 0, (name), __VA_ARGS__)

static int test_exit(void) __attribute__((unused));
static int test_exit(void) { return test_failures ? 1 : 0; }

#endif

/*
 * interrupt.c - see interrupt.h. The flag is the only state a signal handler
 * touches (async-signal-safe).
 */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t received;

static void on_signal(int sig) { received = sig; }

void interrupt_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  /* a closed stdout pipe becomes a write error on that file, not a kill */
  signal(SIGPIPE, SIG_IGN);
}

int interrupt_signal(void) { return (int)received; }

void interrupt_reraise(void) {
  int sig = (int)received;
  if (!sig) return;
  signal(sig, SIG_DFL);
  raise(sig);
}

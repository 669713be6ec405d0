/*
 * interrupt.h - SIGINT/SIGTERM/SIGHUP set a flag that the processing loops
 * poll once per block (at most ~100 ms of work apart), so each worker removes
 * its temporary files before main() re-raises the signal.
 */
#ifndef CLI_INTERRUPT_H
#define CLI_INTERRUPT_H

void interrupt_install(void);
/* The signal number received, 0 if none. */
int interrupt_signal(void);
/* Restores the default action and raises the received signal (if any). */
void interrupt_reraise(void);

#endif

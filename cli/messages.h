/*
 * messages.h - everything percepnet says goes to stderr, one line at a time,
 * from any thread: errors and warnings naming the file, detail at -v, and a
 * progress line that is only drawn when stderr is a terminal.
 */
#ifndef CLI_MESSAGES_H
#define CLI_MESSAGES_H

/* verbosity: 0 = errors only (-q), 1 = warnings (default), 2 = detail (-v). */
void msg_init(int verbosity);

/* While files are decoded: points stderr at /dev/null so that the
 * decoders' own notes (libmpg123 on a damaged MP3) never reach the user,
 * and keeps percepnet's messages on a copy of the real stderr. Not
 * thread-safe: call with no worker running. */
void msg_mute_libraries(void);
void msg_unmute_libraries(void);

/* "percepnet: FILE: reason" (file may be NULL). */
void msg_error(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_warn(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Printed at verbosity >= level. */
void msg_info(int level, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Progress of one file: done in [0, 1], speed as a multiple of real time
 * (0 = not known yet: not shown).
 * Redrawn at most every 200 ms; a no-op when stderr is not a terminal or at
 * -q. msg_progress_end() clears the line. */
void msg_progress(const char *file, double done, double speed);
void msg_progress_end(void);

#endif

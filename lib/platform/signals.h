/*  signals.h: SIGTERM and SIGINT as a file descriptor.
 *
 *  The gateway owns its stop signals (czmq is told not to install handlers, and lws
 *  installs none with its default poll loop). They are blocked in every thread and
 *  read from a signalfd inside the event loop, so no code runs in signal context.
 *  Call signals_open() first thing in main(), before any thread exists (libzmq's
 *  threads inherit the blocked mask).
 */
#ifndef SIGNALS_H_INCLUDED
#define SIGNALS_H_INCLUDED

/* Blocks SIGTERM and SIGINT, ignores SIGPIPE, and returns a non-blocking signalfd
 * that becomes readable when a stop signal arrives; -1 (logged) on failure. */
int signals_open(void);

#endif

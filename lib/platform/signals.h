/*  signals.h: the one way every process takes its stop signals (SIGTERM, SIGINT).
 *
 *  One owner, no code in signal context: signals_open() first thing in main(), before
 *  any thread exists, disables czmq's own handlers, blocks the stop signals (every
 *  thread started later, libzmq's and czmq actors' included, inherits the mask) and
 *  returns a signalfd. The process reads that descriptor where it waits anyway: the
 *  gateway adopts it into its libwebsockets loop, the broker and the services wait on
 *  it in their main thread with signals_wait().
 */
#ifndef SIGNALS_H_INCLUDED
#define SIGNALS_H_INCLUDED

/* Disables czmq's SIGINT/SIGTERM handlers, blocks SIGTERM and SIGINT in the calling
 * thread, ignores SIGPIPE, and returns a non-blocking signalfd that becomes readable
 * when a stop signal arrives; -1 (logged) on failure. */
int signals_open(void);

/* Waits for a stop signal on a descriptor from signals_open(). Returns the signal
 * number, or -1 (logged) when the descriptor cannot be read. */
int signals_wait(int fd);

#endif

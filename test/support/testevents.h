/*  testevents.h: a scripted gateway on the event path, for integration tests.
 *
 *  A SUB socket with the "client" role's CURVE keys connected to EVENTS_SUB_ENDPOINT
 *  (the broker's XPUB), subscribed to "EV1", as a gateway's is; events are read as
 *  JSON: {"kind", "to", "id", "body"} (bus_events.h).
 */
#ifndef TESTEVENTS_H_INCLUDED
#define TESTEVENTS_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include <stdint.h>

/* Connects and subscribes, and waits until the subscription has had time to reach the
 * publisher (events published before that are dropped, as for any late joiner).
 * Fails the test when the socket cannot be made. */
zsock_t *testevents_subscribe(void);
/*  Waits at most timeout_ms for the next event of `kind` about `about` (the
 *  notification id, the presence or gone user's id, or the chat message id), dropping the others; returns
 *  it (caller decrefs) or NULL. Every event read on the way is checked to be well
 *  formed (two frames, "EV1", a map with recipients). */
json_t *testevents_next(zsock_t *sub, int timeout_ms, const char *kind, int64_t about);
/* True when the recipients ("to") of event include uid. */
bool testevents_to(const json_t *event, int64_t uid);

#endif

/*  subscriber.h: the gateway's SUB socket on the event path.
 *
 *  Connects to the broker's event endpoint (EVENTS_SUB_ENDPOINT, CURVE with the
 *  gateway's keys like its bus socket), subscribes to EVENT_TAG and, watched by
 *  loop/zwatch in the lws loop, hands every valid event to its owner. Malformed
 *  events are counted in the log and dropped: a broken publisher cannot reach a
 *  WebSocket. SUB drops nothing on its own side before its high-water mark (BUS_HWM
 *  messages); what the path drops anywhere is covered by notifications.resume.
 */
#ifndef SUBSCRIBER_H_INCLUDED
#define SUBSCRIBER_H_INCLUDED

#include <libwebsockets.h>

#include "bus_keys.h"
#include "event.h"

typedef struct subscriber subscriber_t;

/* Handles one decoded event (valid only during the call). */
typedef void subscriber_deliver_fn(void *arg, const event_t *ev);

/* A subscriber connected to `endpoint` in vhost's loop, or NULL (logged). */
subscriber_t *subscriber_new(struct lws_context *context, struct lws_vhost *vhost,
                             const char *endpoint, const bus_keys_t *keys,
                             subscriber_deliver_fn *deliver, void *arg);
/* Closes the socket; sets *self_p to NULL; safe on NULL. */
void subscriber_destroy(subscriber_t **self_p);

#endif

/*  event_frame.h: the WebSocket frame (JSON text) that delivers an event.
 *
 *      notification  {"type": "notification", "notification": <Notification>}
 *      presence      {"type": "presence", "user_id": N, "status": "online"|"offline"}
 *      chat.message  {"type": "chat.message", "message": <Message>}
 *
 *  Built once per event, whatever the number of sockets it goes to. A body of the
 *  wrong shape (an event from a newer or broken publisher) yields no frame: the event
 *  is not delivered rather than delivered malformed.
 */
#ifndef EVENT_FRAME_H_INCLUDED
#define EVENT_FRAME_H_INCLUDED

#include <stddef.h>

#include "event.h"

/*  The frame of an event of `kind` with `body` (malloc'ed, caller frees; *len its
 *  length without the NUL), or NULL when the kind has no frame (user_gone) or the
 *  body has the wrong shape. Replayed notifications use it too: a row of a replay
 *  page is the body of a notification event. */
char *event_frame_text(event_kind_t kind, const msgpack_object *body, size_t *len);

#endif

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

/*  The frame of `ev` (malloc'ed, caller frees; *len its length without the NUL), or
 *  NULL when the event has no frame (user_gone) or its body has the wrong shape. */
char *event_frame_text(const event_t *ev, size_t *len);

#endif

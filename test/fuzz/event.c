/*  Fuzz harness: events from a publisher the gateway must not trust blindly. What
 *  event_decode accepts must render as a frame or be refused, without a leak or an
 *  out-of-bounds read; recipients are read back through the accessor. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "event.h"
#include "event_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    event_t ev;
    if (event_decode(data, size, &ev) == 0) {
        uint64_t sum = 0;
        for (size_t i = 0; i < ev.recipients; i++)
            sum += event_recipient(&ev, i);
        size_t len = 0;
        char *text = event_frame_text(ev.kind, &ev.body, &len);
        free(text);
        (void) sum;
    }
    event_release(&ev);
    return 0;
}

/*  notification_config.h: the notification service's own settings, read once at start.
 *
 *      EVENTS_PUB_ENDPOINT   tcp://127.0.0.1:5556   the broker's event XSUB, where the
 *                                                   outbox actor's PUB connects
 *
 *  notification_config_setup and _teardown are the service's setup and teardown
 *  (service.h): the actors read the result as ctx->state.
 */
#ifndef NOTIFICATION_CONFIG_H_INCLUDED
#define NOTIFICATION_CONFIG_H_INCLUDED

typedef struct {
    const char *events_pub_endpoint;    /* EVENTS_PUB_ENDPOINT */
} notification_config_t;

/* Reads the settings into a new notification_config_t in *state. Returns 0 or -1. */
int notification_config_setup(const void **state);
/* Frees what setup made. */
void notification_config_teardown(const void *state);

#endif

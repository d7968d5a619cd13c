/*  main.c: the notification service process: its methods, statements and background
 *  actors, wired to the runtime. */
#include "notification_config.h"
#include "notification_service.h"

/* The bus methods: name, handler, whether a caller is required. */
static const service_method_t notification_methods[] = {
    { "list", notification_list, 1 },
    { "unread_count", notification_unread_count, 1 },
    { "read", notification_read, 1 },
    { "read_all", notification_read_all, 1 },
    { "delete", notification_delete, 1 },
    { "replay", notification_replay, 1 },
    { "presence.open", notification_presence_open, 1 },
    { "presence.close", notification_presence_close, 1 },
    { "presence.lease", notification_presence_lease, 0 },
    { NULL, NULL, 0 },
};

/* Background actors: the outbox publisher and the lease sweeper, each with its own
 * database connection (the publisher's holds its session lock and LISTEN). */
static const service_actor_t notification_actors[] = {
    { "outbox", notification_outbox_actor, notification_outbox_statements },
    { "sweeper", notification_sweeper_actor, notification_sweeper_statements },
    { NULL, NULL, NULL },
};

static const service_def_t notification_service = {
    .name = "notification",
    .statements = notification_statements,
    .methods = notification_methods,
    .setup = notification_config_setup,
    .teardown = notification_config_teardown,
    .actors = notification_actors,
};

int main(void)
{
    return service_main(&notification_service);
}

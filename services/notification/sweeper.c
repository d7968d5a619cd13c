/*  sweeper.c: the "sweeper" background actor: presence of gateways that died.
 *
 *  Every second it removes the presence rows of gateways whose lease expired, in
 *  batches of NOTIFICATION_SWEEP_BATCH (presence_sweep, sql/004): users left with no
 *  other row go offline, with a presence event to their friends in the outbox. Any
 *  number of processes may sweep at once: the rows are removed under each user's lock,
 *  in ascending order, and a row already removed is simply not found again.
 */
#include "notification_service.h"

#include <stdio.h>

#include "db_value.h"
#include "log.h"

#define SWEEP_INTERVAL_MS 1000

/* Runs presence_sweep until a batch comes back short (or fails: next second). */
static void sweep(db_t *db)
{
    char batch[16];
    snprintf(batch, sizeof batch, "%d", NOTIFICATION_SWEEP_BATCH);
    const char *params[] = { batch };
    long long removed;
    do {
        PGresult *res = NULL;
        removed = 0;
        if (db_exec(db, NOTIFICATION_Q_SWEEP, 1, params, &res) != DB_OK)
            return;
        db_value_int(res, 0, 0, &removed);
        PQclear(res);
        if (removed > 0)
            log_info("sweeper: %lld presence rows of expired gateways removed", removed);
    } while (removed == NOTIFICATION_SWEEP_BATCH);
}

int notification_sweeper_actor(service_actor_ctx_t *ctx)
{
    zpoller_t *poller = zpoller_new(ctx->pipe, NULL);
    if (!poller)
        return -1;
    service_actor_ready(ctx);
    int rc = 0;
    for (;;) {
        void *which = zpoller_wait(poller, SWEEP_INTERVAL_MS);
        if (which == ctx->pipe) {
            char *command = zstr_recv(ctx->pipe);
            bool stop = !command || streq(command, "$TERM");
            zstr_free(&command);
            if (stop)
                break;
        } else if (zpoller_terminated(poller)) {
            rc = -1;
            break;
        }
        sweep(ctx->db);
    }
    zpoller_destroy(&poller);
    return rc;
}

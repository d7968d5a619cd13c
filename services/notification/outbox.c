/*  outbox.c: the "outbox" background actor: publishes event_outbox to the gateways.
 *
 *  Exactly one process publishes at a time: the one whose database session holds the
 *  advisory lock NOTIFICATION_Q_OUTBOX_LOCK. The others try again every second, so
 *  when the publisher's session ends (the process stopped, was killed, or lost its
 *  connection) another one takes over within a second. One publisher reading in id
 *  order, and ZeroMQ keeping order on every pipe (PUB -> broker XSUB -> XPUB ->
 *  gateway SUB), is what keeps one recipient's events in order.
 *
 *  Awake and asleep (sql/007): while there is work the publisher is awake, looking at
 *  the outbox every OUTBOX_AWAKE_POLL_MS, and writers do not NOTIFY (a NOTIFY
 *  serializes commits database-wide). After OUTBOX_AWAKE_LOOKS empty looks in a row
 *  it says it is asleep, waits until no writer can still have read that it was awake
 *  (a lock it only tries, never waits for), looks once more, and then sleeps: it
 *  LISTENs on event_outbox (writers notify on commit while it sleeps) and also looks
 *  every second. The first rows it finds asleep wake it.
 *
 *  Each batch, in one transaction: read the oldest rows in id order, publish each as
 *  a two-frame event (bus_events.h), delete exactly those rows, commit. Rows of kind
 *  chat.message (written by the chat service, sql/005) are published with the
 *  Message read from the messages table. A crash after publishing and before the
 *  commit publishes the rows again (at-least-once; gateways drop notification ids
 *  they have sent). Since a new connection has lost the lock, the session number is
 *  checked at the start of every batch, inside its transaction (where no reconnect
 *  can happen).
 *
 *  The PUB socket's high-water mark is high (OUTBOX_SNDHWM messages, about a minute
 *  of peak traffic held in memory while the broker is away); past it, and before the
 *  broker's subscriptions reach us, a PUB drops. What is dropped was committed, so
 *  clients get it back: notifications by replay (notifications.resume), presence from
 *  is_online. Closing lingers OUTBOX_LINGER_MS, so a graceful stop flushes what it
 *  had queued.
 */
#include "notification_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "bus_events.h"
#include "db_value.h"
#include "event.h"
#include "log.h"
#include "message_record.h"
#include "notification_config.h"
#include "notification_record.h"
#include "proto.h"

#define OUTBOX_SNDHWM 1000000
#define OUTBOX_LINGER_MS 2000
/* Asleep: the look at the outbox without a wake-up, and the retry of the lock. */
#define OUTBOX_POLL_MS 1000
/* Awake: the look at the outbox (the most an event waits for it), and how many empty
 * looks in a row (50 ms) put the publisher to sleep. */
#define OUTBOX_AWAKE_POLL_MS 2
#define OUTBOX_AWAKE_LOOKS 25

/* Columns of NOTIFICATION_Q_OUTBOX_BATCH. */
enum { COL_ID, COL_KIND, COL_TO, COL_SUBJECT, COL_STATUS, COL_NOTIFICATION,
       COL_MESSAGE = COL_NOTIFICATION + NOTIFICATION_NCOLS };

typedef struct {
    service_actor_ctx_t *ctx;       /* the actor: pipe, database, keys */
    zsock_t *pub;                   /* connected to EVENTS_PUB_ENDPOINT */
    unsigned long session;          /* db_session() the lock was taken on; 0: not held */
    bool awake;                     /* looking every OUTBOX_AWAKE_POLL_MS */
    bool said_asleep;               /* event_outbox_publisher.asleep is true (as set by
                                     * this publisher; false is assumed at take-over) */
    int empty_looks;                /* awake: looks in a row that found nothing */
} outbox_t;

/*  True when this process is the publisher: it holds the lock on the current
 *  session, or has just taken it (and then LISTENs on that session). */
static bool outbox_hold(outbox_t *self)
{
    db_t *db = self->ctx->db;
    if (self->session != 0 && self->session == db_session(db) && db_connected(db))
        return true;
    if (self->session != 0) {
        log_warn("outbox: the database session was lost; taking the publisher's lock again");
        self->session = 0;
    }
    PGresult *res = NULL;
    if (db_exec(db, NOTIFICATION_Q_OUTBOX_LOCK, 0, NULL, &res) != DB_OK)
        return false;
    unsigned long session = db_session(db);
    bool taken = db_value_true(res, 0, 0);
    PQclear(res);
    if (!taken || db_run(db, NOTIFICATION_Q_OUTBOX_LISTEN, 0, NULL) != DB_OK
        || db_session(db) != session)
        return false;
    self->session = session;
    /* Awake until the outbox has been quiet a while: whatever a previous publisher
     * left in event_outbox_publisher, the way to sleep sets it. */
    self->awake = true;
    self->said_asleep = false;
    self->empty_looks = 0;
    log_info("outbox: this process publishes the events");
    return true;
}

/*  Reads the recipients "1,2,3" into a new array (caller frees) of *count ids.
 *  Returns NULL when there is none, one is not a positive id, or memory ran out. */
static uint64_t *read_recipients(const char *text, size_t *count)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    if (!*text || n > EVENT_MAX_RECIPIENTS)
        return NULL;
    uint64_t *ids = malloc(n * sizeof *ids);
    if (!ids)
        return NULL;
    const char *p = text;
    for (size_t i = 0; i < n; i++) {
        char *end;
        long long uid = strtoll(p, &end, 10);
        if (end == p || uid <= 0 || (*end != ',' && *end != '\0')) {
            free(ids);
            return NULL;
        }
        ids[i] = (uint64_t) uid;
        p = *end == ',' ? end + 1 : end;
    }
    *count = n;
    return ids;
}

/*  Packs the event of outbox row `row` into buf (event.h, the codec the gateways
 *  read). Returns 1 when there is one, 0 when there is nothing to deliver (a
 *  notification deleted since), -1 when the row is malformed (logged; skipped so one
 *  bad row never stops the outbox). */
static int pack_event(const PGresult *res, int row, msgpack_sbuffer *buf)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    event_kind_t kind;
    if (event_kind_parse(PQgetvalue(res, row, COL_KIND), &kind) != 0)
        return -1;
    long long subject = 0;
    db_value_int(res, row, COL_SUBJECT, &subject);
    if ((kind == EVENT_NOTIFICATION && PQgetisnull(res, row, COL_NOTIFICATION))
        || (kind == EVENT_CHAT_MESSAGE && PQgetisnull(res, row, COL_MESSAGE)))
        return 0;
    size_t count = 0;
    uint64_t *to = read_recipients(PQgetvalue(res, row, COL_TO), &count);
    if (!to)
        return -1;
    event_pack_begin(&pk, kind, to, count,
                     kind == EVENT_NOTIFICATION ? (uint64_t) subject : 0);
    free(to);
    switch (kind) {
    case EVENT_NOTIFICATION:
        return notification_record_pack(&pk, res, row, COL_NOTIFICATION) == 0 ? 1 : -1;
    case EVENT_PRESENCE:
        msgpack_pack_map(&pk, 2);
        proto_pack_kv_int(&pk, "user_id", subject);
        proto_pack_kv_str(&pk, "status", PQgetvalue(res, row, COL_STATUS));
        return 1;
    case EVENT_USER_GONE:
        msgpack_pack_nil(&pk);
        return 1;
    case EVENT_CHAT_MESSAGE:
        /* The Message with the sender's client_id, so a sending socket can match it. */
        return message_record_pack_full(&pk, res, row, COL_MESSAGE, true) == 0 ? 1 : -1;
    }
    return -1;
}

/*  Publishes one batch and deletes it, in one transaction. Returns the number of rows
 *  it took (NOTIFICATION_OUTBOX_BATCH: there may be more), or -1 on a failure (rolled
 *  back: the rows are published again next time). */
static int outbox_publish_batch(outbox_t *self)
{
    db_t *db = self->ctx->db;
    if (db_begin(db) != DB_OK)
        return -1;
    if (db_session(db) != self->session) {
        /* BEGIN went to a new connection: the lock is gone with the old one. */
        db_rollback(db);
        self->session = 0;
        return -1;
    }
    if (db_run(db, NOTIFICATION_Q_OUTBOX_ASYNC, 0, NULL) != DB_OK) {
        db_rollback(db);
        return -1;
    }
    char limit[16];
    snprintf(limit, sizeof limit, "%d", NOTIFICATION_OUTBOX_BATCH);
    const char *params[] = { limit };
    PGresult *res = NULL;
    if (db_exec(db, NOTIFICATION_Q_OUTBOX_BATCH, 1, params, &res) != DB_OK) {
        db_rollback(db);
        return -1;
    }
    int rows = PQntuples(res);
    /* "{id,id,...}": at most 20 digits and a comma per row. */
    char ids[NOTIFICATION_OUTBOX_BATCH * 21 + 3];
    size_t used = 0;
    ids[used++] = '{';
    for (int i = 0; i < rows; i++) {
        msgpack_sbuffer buf;
        msgpack_sbuffer_init(&buf);
        int event = pack_event(res, i, &buf);
        if (event < 0)
            log_error("outbox row %s is malformed: dropped", PQgetvalue(res, i, COL_ID));
        if (event > 0) {
            const void *parts[] = { EVENT_TAG, buf.data };
            const size_t sizes[] = { strlen(EVENT_TAG), buf.size };
            /* A PUB never blocks: past its high-water mark it drops (see the top). */
            if (bus_send(self->pub, 2, parts, sizes) != 0)
                log_warn("outbox: an event was dropped at the high-water mark");
        }
        msgpack_sbuffer_destroy(&buf);
        used += (size_t) snprintf(ids + used, sizeof ids - used, "%s%s", i ? "," : "",
                                  PQgetvalue(res, i, COL_ID));
    }
    ids[used++] = '}';
    ids[used] = 0;
    PQclear(res);
    if (rows == 0) {
        db_rollback(db);
        return 0;
    }
    const char *del[] = { ids };
    if (db_run(db, NOTIFICATION_Q_OUTBOX_DELETE, 1, del) != DB_OK || db_commit(db) != DB_OK) {
        db_rollback(db);
        return -1;
    }
    log_debug("outbox: %d events published", rows);
    return rows;
}

/*  Publishes until the outbox is empty. Returns how many rows it published, or -1 on
 *  a failure (the next look tries again). */
static int outbox_drain(outbox_t *self)
{
    int total = 0, rows;
    while ((rows = outbox_publish_batch(self)) == NOTIFICATION_OUTBOX_BATCH)
        total += rows;
    return rows < 0 ? -1 : total + rows;
}

/* Sets event_outbox_publisher.asleep. Returns 0, or -1 on a failure. */
static int outbox_say_asleep(outbox_t *self, bool asleep)
{
    const char *params[] = { asleep ? "true" : "false" };
    if (db_run(self->ctx->db, NOTIFICATION_Q_OUTBOX_ASLEEP, 1, params) != DB_OK)
        return -1;
    self->said_asleep = asleep;
    return 0;
}

/* True when no writer that may have read asleep = false is still uncommitted. */
static bool outbox_writers_quiet(outbox_t *self)
{
    PGresult *res = NULL;
    if (db_exec(self->ctx->db, NOTIFICATION_Q_OUTBOX_QUIET, 0, NULL, &res) != DB_OK)
        return false;
    bool quiet = db_value_true(res, 0, 0);
    PQclear(res);
    return quiet;
}

/*  One look at the outbox: publishes what is there, then moves between awake and
 *  asleep (see the top). A failure changes nothing: the next look tries again. */
static void outbox_look(outbox_t *self)
{
    int published = outbox_drain(self);
    if (published < 0)
        return;
    if (published > 0) {
        /* Work: be awake, and tell writers they need not wake us. */
        self->awake = true;
        self->empty_looks = 0;
        if (self->said_asleep)
            outbox_say_asleep(self, false);
        return;
    }
    if (!self->awake || ++self->empty_looks < OUTBOX_AWAKE_LOOKS)
        return;
    if (!self->said_asleep && outbox_say_asleep(self, true) != 0)
        return;
    /* Writers from now on NOTIFY; a writer that read the old state may still be
     * committing, and until none is, stay awake and try again at the next look. */
    if (!outbox_writers_quiet(self))
        return;
    published = outbox_drain(self);
    if (published == 0) {
        self->awake = false;
        log_debug("outbox: asleep");
    } else if (published > 0) {
        self->empty_looks = 0;
        outbox_say_asleep(self, false);
    }
}

/* Reads a command from the pipe. True when it is $TERM (or the pipe failed). */
static bool outbox_told_to_stop(zsock_t *pipe)
{
    char *command = zstr_recv(pipe);
    bool stop = !command || streq(command, "$TERM");
    zstr_free(&command);
    return stop;
}

int notification_outbox_actor(service_actor_ctx_t *ctx)
{
    const notification_config_t *config = ctx->state;
    outbox_t self = { ctx, bus_socket_new(ZMQ_PUB, ctx->keys), 0, false, false, 0 };
    int hwm = OUTBOX_SNDHWM, linger = OUTBOX_LINGER_MS;
    if (!self.pub
        || zmq_setsockopt(zsock_resolve(self.pub), ZMQ_SNDHWM, &hwm, sizeof hwm) != 0
        || zmq_setsockopt(zsock_resolve(self.pub), ZMQ_LINGER, &linger, sizeof linger) != 0
        || zsock_connect(self.pub, "%s", config->events_pub_endpoint) != 0) {
        log_error("outbox: cannot connect a PUB socket to EVENTS_PUB_ENDPOINT");
        zsock_destroy(&self.pub);
        return -1;
    }
    service_actor_ready(ctx);
    for (;;) {
        int fd = self.session != 0 ? db_socket(ctx->db) : -1;
        zmq_pollitem_t items[] = { { zsock_resolve(ctx->pipe), 0, ZMQ_POLLIN, 0 },
                                   { NULL, fd, ZMQ_POLLIN, 0 } };
        int timeout = self.session != 0 && self.awake ? OUTBOX_AWAKE_POLL_MS : OUTBOX_POLL_MS;
        if (zmq_poll(items, fd >= 0 ? 2 : 1, timeout) < 0 && zmq_errno() != EINTR)
            break;
        if ((items[0].revents & ZMQ_POLLIN) && outbox_told_to_stop(ctx->pipe))
            break;
        if (fd >= 0 && (items[1].revents & ZMQ_POLLIN))
            db_notifications(ctx->db);
        /* Woken, or the look's time came: publish what is there if we are the
         * publisher. */
        if (outbox_hold(&self))
            outbox_look(&self);
    }
    zsock_destroy(&self.pub);
    return 0;
}

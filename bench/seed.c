/*  seed.c: creates a data set for benchmarks through the services' own code paths.
 *
 *      seed [-n USERS] [-f REQUESTS_PER_USER] [-p PREFIX] [-w WINDOW] [-o IDS_FILE]
 *
 *  Talks to the broker at BUS_ENDPOINT exactly as the gateway does, in three phases:
 *    1. auth.register for USERS users named PREFIX<i> (password SEED_PASSWORD, default
 *       "seed-password-1"), with first and last names drawn from a fixed list that
 *       includes accented ones, so ?search= has realistic selectivity;
 *    2. friend.request_create: every user sends REQUESTS_PER_USER (0: none) requests to users
 *       picked pseudo-randomly (a request to someone who already asked accepts theirs,
 *       as the API says);
 *    3. friend.request_answer: the receivers accept nine requests in ten and leave the
 *       tenth pending, so request lists have content too.
 *  Up to WINDOW requests are in flight at once on one socket (the broker spreads them
 *  over every live worker of every process), so seeding is bounded by the services,
 *  not by round trips. Requests answered 503 are sent again.
 *
 *  For speed, run the auth service with a cheap password hash while seeding:
 *      PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 SERVICE_WORKERS=4 auth_service
 *  and start two or more processes of each service. With -o, writes "id username" of
 *  every created user, one per line, for benchmarks to pick callers from.
 *  Exit status: 0 when every user was created, 1 otherwise, 2 on bad usage.
 *
 *  Example (a fresh database, the stack running as scripts/run starts it):
 *      BUS_ENDPOINT=tcp://127.0.0.1:5555 build/seed -n 100000 -f 5 -w 512 -o var/seed-ids.txt
 *  On the 2-core development machine, with two processes of 4 workers per service and
 *  fsync on: 100,000 users in 25 s, 500,000 requests in 4 min, 450,000 accepts in
 *  3.5 min: about 8 minutes in all.
 */
#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "config.h"
#include "proto.h"

#define SEED_DEFAULT_USERS 1000
#define SEED_DEFAULT_REQUESTS 5
#define SEED_DEFAULT_WINDOW 256
/* Give up when no reply at all arrives for this long. */
#define SEED_STALL_MS 30000

static const char *first_names[] = {
    "Anna", "Ben", "Chloé", "David", "Élodie", "Farid", "Greta", "Hugo", "Inès", "Jonas",
    "Karin", "Léa", "Marco", "Nadia", "Oscar", "Paula", "Quentin", "Rosa", "Søren", "Tomás",
    "Uma", "Victor", "Wanda", "Xavier", "Yara", "Zoë", "Ärne", "José", "Miyu", "Олег",
};
static const char *last_names[] = {
    "Martin", "Bernard", "Dubois", "Thomas", "Müller", "Schmidt", "García", "Fernández",
    "Rossi", "Russo", "Nowak", "Kowalski", "Jensen", "Nielsen", "O'Brien", "Murphy",
    "Smith", "Jones", "Brown", "Taylor", "Johansson", "Andersson", "Novák", "Dvořák",
    "Yılmaz", "Kaya", "Lefèvre", "Moreau", "Silva", "Иванов",
};

#define COUNT_OF(a) (sizeof (a) / sizeof (a)[0])

/* What one phase does for item i: pack the request body, and read the reply. */
typedef struct phase phase_t;
struct phase {
    const char *name;                       /* for the report */
    const char *service;                    /* service of every request */
    const char *method;                     /* its method */
    size_t count;                           /* number of items */
    /* Packs item i's body; returns the caller's uid, or 0 to skip the item. */
    uint64_t (*build)(phase_t *phase, size_t i, msgpack_packer *pk);
    /* Handles item i's reply. */
    void (*done)(phase_t *phase, size_t i, int status, const msgpack_object *body);
    void *ctx;                              /* the seeder */
    size_t ok;                              /* items that succeeded */
    size_t refused;                         /* items answered with an error */
};

typedef struct {
    bus_client_t *bus;        /* one DEALER to the broker */
    uint64_t next_id;         /* correlation ids: item i of a phase has base + i */
    size_t window;            /* most requests in flight */
    size_t users;             /* users to create */
    size_t per_user;          /* requests each user sends */
    const char *prefix;       /* username prefix */
    const char *password;     /* everyone's password */
    int64_t *user_ids;        /* user i's id, 0 when not created */
    int64_t *request_ids;     /* request (i, k)'s id, 0 when none was created */
    int64_t *receivers;       /* request (i, k)'s receiver */
} seeder_t;

/* A pseudo-random number for (i, k): splitmix64. */
static uint64_t mix(uint64_t i, uint64_t k)
{
    uint64_t z = i * 0x9e3779b97f4a7c15ULL + k * 0xbf58476d1ce4e5b9ULL + 0x94d049bb133111ebULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- phase 1: users ---- */

/* auth.register of user i: name, email, password, first and last name. */
static uint64_t build_register(phase_t *phase, size_t i, msgpack_packer *pk)
{
    seeder_t *s = phase->ctx;
    char username[96], email[128];
    snprintf(username, sizeof username, "%s%zu", s->prefix, i);
    snprintf(email, sizeof email, "%s@seed.example.com", username);
    msgpack_pack_map(pk, 1);
    proto_pack_str(pk, "data");
    msgpack_pack_map(pk, 5);
    proto_pack_kv_str(pk, "username", username);
    proto_pack_kv_str(pk, "email", email);
    proto_pack_kv_str(pk, "password", s->password);
    proto_pack_kv_str(pk, "first_name", first_names[mix(i, 1) % COUNT_OF(first_names)]);
    proto_pack_kv_str(pk, "last_name", last_names[mix(i, 2) % COUNT_OF(last_names)]);
    return 0;
}

/* Remembers user i's id. */
static void done_register(phase_t *phase, size_t i, int status, const msgpack_object *body)
{
    seeder_t *s = phase->ctx;
    int64_t id = 0;
    if (status == PROTO_CREATED && proto_get_int(body, "id", &id) == PROTO_FIELD_OK && id > 0) {
        s->user_ids[i] = id;
        phase->ok++;
    } else {
        phase->refused++;
    }
}

/* ---- phase 2: friend requests ---- */

/* The user that request (i, k) goes to, or SIZE_MAX for none. */
static size_t request_target(const seeder_t *s, size_t i, size_t k)
{
    size_t j = (size_t) (mix(i, k + 3) % s->users);
    return j == i ? SIZE_MAX : j;
}

/* Request k of user i (item = i * per_user + k), sent as user i; skipped when it
 * would go to oneself or a user that was not created. */
static uint64_t build_request(phase_t *phase, size_t item, msgpack_packer *pk)
{
    seeder_t *s = phase->ctx;
    size_t i = item / s->per_user, j = request_target(s, i, item % s->per_user);
    if (j == SIZE_MAX || !s->user_ids[i] || !s->user_ids[j])
        return 0;
    s->receivers[item] = s->user_ids[j];
    msgpack_pack_map(pk, 1);
    proto_pack_str(pk, "data");
    msgpack_pack_map(pk, 1);
    proto_pack_kv_int(pk, "receiver", s->user_ids[j]);
    return (uint64_t) s->user_ids[i];
}

/* Remembers the id of a created request, to be answered in phase 3. */
static void done_request(phase_t *phase, size_t item, int status, const msgpack_object *body)
{
    seeder_t *s = phase->ctx;
    int64_t id = 0;
    /* 201: a new pending request to answer. 200: it accepted the other side's. 400: a
     * duplicate pick (already pending or already friends). */
    if (status == PROTO_CREATED && proto_get_int(body, "id", &id) == PROTO_FIELD_OK) {
        s->request_ids[item] = id;
        phase->ok++;
    } else if (status == PROTO_OK) {
        phase->ok++;
    } else {
        phase->refused++;
    }
}

/* ---- phase 3: answers ---- */

/* The receiver accepts request `item`, except one in ten left pending. */
static uint64_t build_answer(phase_t *phase, size_t item, msgpack_packer *pk)
{
    seeder_t *s = phase->ctx;
    if (!s->request_ids[item] || mix(item, 7) % 10 == 0)
        return 0;
    msgpack_pack_map(pk, 2);
    proto_pack_str(pk, "path");
    msgpack_pack_map(pk, 1);
    proto_pack_kv_int(pk, "id", s->request_ids[item]);
    proto_pack_str(pk, "data");
    msgpack_pack_map(pk, 1);
    proto_pack_kv_str(pk, "status", "accepted");
    return (uint64_t) s->receivers[item];
}

/* Counts the answer. */
static void done_answer(phase_t *phase, size_t item, int status, const msgpack_object *body)
{
    (void) item;
    (void) body;
    if (status == PROTO_OK)
        phase->ok++;
    else
        phase->refused++;
}

/* ---- the pipelined engine ---- */

/*  Sends item i of the phase. Returns 1 when sent, 0 when skipped, -1 when the socket
 *  refused it (try again later). */
static int send_item(seeder_t *s, phase_t *phase, uint64_t base, size_t i)
{
    msgpack_sbuffer body;
    msgpack_packer body_pk;
    msgpack_sbuffer_init(&body);
    msgpack_packer_init(&body_pk, &body, msgpack_sbuffer_write);
    uint64_t uid = phase->build(phase, i, &body_pk);
    int rc = 0;
    if (uid != 0 || strcmp(phase->service, "auth") == 0) {
        msgpack_sbuffer buf;
        msgpack_packer pk;
        msgpack_sbuffer_init(&buf);
        msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
        proto_request_begin(&pk, base + i, phase->service, phase->method, uid);
        msgpack_sbuffer_write(&buf, body.data, body.size);
        rc = bus_client_send(s->bus, phase->service, buf.data, buf.size) == 0 ? 1 : -1;
        msgpack_sbuffer_destroy(&buf);
    }
    msgpack_sbuffer_destroy(&body);
    return rc;
}

/*  Runs every item of a phase with up to s->window in flight; items answered 503 are
 *  queued again. Returns 0, or -1 when replies stopped coming. */
static int run_phase(seeder_t *s, phase_t *phase)
{
    uint64_t base = s->next_id;
    s->next_id += phase->count;
    size_t *retry = malloc((phase->count + 1) * sizeof *retry);
    if (!retry)
        return -1;
    size_t retries = 0, next = 0, in_flight = 0, resent = 0;
    int64_t started = zclock_mono(), last_reply = started;
    int rc = 0;
    while (next < phase->count || retries > 0 || in_flight > 0) {
        /* Fill the window. */
        while (in_flight < s->window && (retries > 0 || next < phase->count)) {
            size_t i = retries > 0 ? retry[retries - 1] : next;
            int sent = send_item(s, phase, base, i);
            if (sent < 0)
                break;
            if (retries > 0)
                retries--;
            else
                next++;
            in_flight += (size_t) sent;
        }
        const void *data = NULL;
        long n = bus_client_recv(s->bus, in_flight > 0 ? 100 : 5, &data);
        if (n <= 0) {
            if (zclock_mono() - last_reply > SEED_STALL_MS) {
                fprintf(stderr, "seed: %s: no reply for %d s, giving up\n", phase->name,
                        SEED_STALL_MS / 1000);
                rc = -1;
                break;
            }
            continue;
        }
        last_reply = zclock_mono();
        proto_msg_t msg;
        if (proto_reply_decode(data, (size_t) n, &msg) == 0 && msg.id >= base
            && msg.id < base + phase->count) {
            size_t i = (size_t) (msg.id - base);
            in_flight--;
            if (msg.status == PROTO_UNAVAILABLE) {
                retry[retries++] = i;
                resent++;
            } else {
                phase->done(phase, i, msg.status, &msg.body);
            }
        }
        proto_msg_release(&msg);
    }
    free(retry);
    double seconds = (double) (zclock_mono() - started) / 1000.0;
    printf("%-16s %8zu ok %8zu refused %6zu resent %8.1f s %9.0f/s\n", phase->name, phase->ok,
           phase->refused, resent, seconds, seconds > 0 ? (double) (phase->ok + phase->refused) / seconds : 0.0);
    fflush(stdout);
    return rc;
}

/* Parses a positive size option; exits with status 2 on a bad value. */
static size_t size_option(const char *text, const char *name, size_t min, size_t max)
{
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (!end || *end || text[0] == '-' || value < min || value > max) {
        fprintf(stderr, "seed: %s must be an integer in %zu..%zu\n", name, min, max);
        exit(2);
    }
    return (size_t) value;
}

/* Writes "id username" of every created user. Returns 0 or -1. */
static int write_ids(const seeder_t *s, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < s->users; i++)
        if (s->user_ids[i])
            fprintf(f, "%" PRId64 " %s%zu\n", s->user_ids[i], s->prefix, i);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    seeder_t s = { 0 };
    s.users = SEED_DEFAULT_USERS;
    s.per_user = SEED_DEFAULT_REQUESTS;
    s.window = SEED_DEFAULT_WINDOW;
    s.prefix = "seed";
    s.next_id = 1;
    const char *ids_file = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "n:f:p:w:o:")) != -1) {
        switch (opt) {
        case 'n': s.users = size_option(optarg, "-n", 1, 10000000); break;
        case 'f': s.per_user = size_option(optarg, "-f", 0, 1000); break;
        case 'w': s.window = size_option(optarg, "-w", 1, 100000); break;
        case 'p': s.prefix = optarg; break;
        case 'o': ids_file = optarg; break;
        default:
            fprintf(stderr, "usage: seed [-n USERS] [-f REQUESTS_PER_USER] [-p PREFIX] "
                            "[-w WINDOW] [-o IDS_FILE]\n");
            return 2;
        }
    }
    if (strlen(s.prefix) == 0 || strlen(s.prefix) > 64) {
        fprintf(stderr, "seed: -p must be 1..64 characters\n");
        return 2;
    }
    s.password = config_str("SEED_PASSWORD", "seed-password-1");
    zsys_handler_set(NULL);
    bus_keys_config_t keys_config;
    bus_keys_t *keys = NULL;
    if (bus_keys_config_load(&keys_config, BUS_ROLE_CLIENT) == 0)
        keys = bus_keys_new(&keys_config, false);
    s.bus = keys ? bus_client_new(config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT), keys) : NULL;
    size_t requests = s.users * s.per_user;
    s.user_ids = calloc(s.users, sizeof *s.user_ids);
    /* -f 0 makes users only (nobody befriends anybody): no request to remember. */
    s.request_ids = calloc(requests ? requests : 1, sizeof *s.request_ids);
    s.receivers = calloc(requests ? requests : 1, sizeof *s.receivers);
    int status = 1;
    if (!s.bus || !s.user_ids || !s.request_ids || !s.receivers) {
        fprintf(stderr, "seed: cannot start (bus or memory)\n");
        goto cleanup;
    }
    printf("seeding %zu users, %zu requests each, window %zu\n", s.users, s.per_user, s.window);
    phase_t users = { "users", "auth", "register", s.users, build_register, done_register, &s, 0, 0 };
    phase_t sent = { "friend requests", "friend", "request_create", requests, build_request,
                     done_request, &s, 0, 0 };
    phase_t answers = { "accepts", "friend", "request_answer", requests, build_answer,
                        done_answer, &s, 0, 0 };
    if (run_phase(&s, &users) != 0 || run_phase(&s, &sent) != 0 || run_phase(&s, &answers) != 0)
        goto cleanup;
    if (ids_file && write_ids(&s, ids_file) != 0) {
        fprintf(stderr, "seed: cannot write %s\n", ids_file);
        goto cleanup;
    }
    status = users.ok == s.users ? 0 : 1;
cleanup:
    free(s.user_ids);
    free(s.request_ids);
    free(s.receivers);
    bus_client_destroy(&s.bus);
    bus_keys_destroy(&keys);
    return status;
}

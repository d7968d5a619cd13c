/*  bus_keys.h: who may speak on the bus: CURVE keys (RFC 26) and roles. See bus.h.
 *
 *  Every process of the deployment has one certificate per role: the broker, the
 *  gateway, "client" (tests and tools: may call, never serve) and one per service,
 *  named after it ("auth", "user", "friend", ... a new service is a new name). The
 *  certificate's metadata "role" names the role; the broker admits only peers whose
 *  public key is in its store of public certificates (ZAP, RFC 27, czmq's zauth), and
 *  zauth hands each message the metadata of its sender's certificate, so the broker
 *  reads the role off every READY and accepts it only for the service it names.
 *
 *  bus_keys_create() writes a folder (BUS_KEYS, e.g. var/secrets/bus, mode 0700):
 *
 *      <role>.key          the role's secret certificate (mode 0600), for BUS_CERT
 *      broker.crt          the broker's public certificate, for BUS_BROKER_CERT
 *      certs/<role>.crt    every other role's public certificate: the broker's store
 *                          of admitted keys (BUS_CERTS_DIR), re-read when it changes
 *
 *      bus_keys_config_t config;
 *      bus_keys_config_load(&config, "gateway");     // BUS_CURVE, BUS_KEYS, BUS_CERT...
 *      bus_keys_t *keys = bus_keys_new(&config, false);
 *      bus_client_t *client = bus_client_new(endpoint, keys);
 *      ...
 *      bus_keys_destroy(&keys);                      // after every socket using it
 *
 *  A bus_keys_t is read-only once made: any thread may use it to open sockets.
 */
#ifndef BUS_KEYS_H_INCLUDED
#define BUS_KEYS_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

/* Longest role name, NUL included (a role that serves is a service name). */
#define BUS_ROLE_MAX 32
/* Longest path of a key file or folder, NUL included. */
#define BUS_KEYS_PATH_MAX 512
/* Where the keys are when BUS_KEYS is not set (relative to the working directory). */
#define BUS_KEYS_DEFAULT_DIR "var/secrets/bus"

/* Roles that may call but never serve. */
#define BUS_ROLE_BROKER "broker"
#define BUS_ROLE_GATEWAY "gateway"
#define BUS_ROLE_CLIENT "client"

typedef struct {
    bool curve;                         /* BUS_CURVE: false only for "off" (development only) */
    char role[BUS_ROLE_MAX];            /* the role this process takes by default */
    char cert[BUS_KEYS_PATH_MAX];       /* BUS_CERT: our secret certificate */
    char broker_cert[BUS_KEYS_PATH_MAX];/* BUS_BROKER_CERT: the broker's public certificate */
    char certs_dir[BUS_KEYS_PATH_MAX];  /* BUS_CERTS_DIR: the admitted public certificates */
} bus_keys_config_t;

typedef struct bus_keys bus_keys_t;

/*  Reads BUS_CURVE (on|off, default on), BUS_KEYS (default BUS_KEYS_DEFAULT_DIR) and
 *  BUS_CERT (default BUS_KEYS/<role>.key), BUS_BROKER_CERT (BUS_KEYS/broker.crt),
 *  BUS_CERTS_DIR (BUS_KEYS/certs) for a process of `role`. Returns 0, or -1 (logged)
 *  when a value is invalid or BUS_CURVE=off outside development. */
int bus_keys_config_load(bus_keys_config_t *config, const char *role);

/*  Loads the keys of config: our secret certificate, and the broker's public key
 *  (server false: clients and workers) or the store folder (server true: the
 *  broker). With CURVE off, keys that open plain sockets. Returns NULL (logged) when a
 *  file is missing or unreadable, or the certificate names no valid role. */
bus_keys_t *bus_keys_new(const bus_keys_config_t *config, bool server);
/* Frees the keys; sets *self_p to NULL; safe on NULL. */
void bus_keys_destroy(bus_keys_t **self_p);
/* True when sockets made with these keys use CURVE. */
bool bus_keys_curve(const bus_keys_t *self);
/* The role our certificate names ("" with CURVE off). */
const char *bus_keys_role(const bus_keys_t *self);
/* The folder of admitted public certificates (server keys; NULL otherwise). */
const char *bus_keys_store(const bus_keys_t *self);
/*  Sets the CURVE options on sock: server (our certificate, CURVE_SERVER, ZAP domain
 *  "bus") or client (our certificate and the broker's public key). Nothing with
 *  CURVE off or NULL keys. Returns 0, or -1 when an option is refused. */
int bus_keys_apply(const bus_keys_t *self, zsock_t *sock, bool server);

/* True when `role` is a usable role name: 1-31 of [a-z0-9_-]. */
bool bus_keys_role_valid(const char *role);
/* True when `role` may serve (announce READY for the service of its name). */
bool bus_keys_role_serves(const char *role);
/*  Creates dir's files for `role` (see above) unless its secret certificate exists:
 *  then only a missing public certificate is written again from it. Returns 0, or -1
 *  (logged). */
int bus_keys_create(const char *dir, const char *role);

#endif

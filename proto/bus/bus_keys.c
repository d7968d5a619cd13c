/*  bus_keys.c: CURVE keys and roles of the bus. See bus_keys.h. */
#include "bus_keys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

struct bus_keys {
    bool curve;                 /* false: sockets stay plain (development only) */
    zcert_t *cert;              /* our certificate, with its secret key */
    char *role;                 /* the role our certificate names */
    char *broker_key;           /* the broker's public key, Z85 (clients and workers) */
    char *store;                /* the admitted public certificates (the broker) */
};

/* Copies `value` into a path buffer. Returns 0, or -1 (logged) when it is too long. */
static int set_path(char *buf, const char *name, const char *value)
{
    if (snprintf(buf, BUS_KEYS_PATH_MAX, "%s", value) >= BUS_KEYS_PATH_MAX) {
        log_error("%s is too long", name);
        return -1;
    }
    return 0;
}

/* Sets buf to the variable `name`, or to dir/leaf when it is unset. Returns 0 or -1. */
static int path_setting(char *buf, const char *name, const char *dir, const char *leaf)
{
    const char *value = config_str(name, NULL);
    if (value)
        return set_path(buf, name, value);
    if (snprintf(buf, BUS_KEYS_PATH_MAX, "%s/%s", dir, leaf) >= BUS_KEYS_PATH_MAX) {
        log_error("BUS_KEYS is too long");
        return -1;
    }
    return 0;
}

int bus_keys_config_load(bus_keys_config_t *config, const char *role)
{
    memset(config, 0, sizeof *config);
    const char *curve = config_str("BUS_CURVE", "on");
    if (strcmp(curve, "on") == 0) {
        config->curve = true;
    } else if (strcmp(curve, "off") == 0) {
        if (!config_is_development()) {
            log_error("BUS_CURVE=off is refused outside development (APP_ENV)");
            return -1;
        }
        log_warn("BUS_CURVE=off: the bus is not authenticated");
    } else {
        log_error("BUS_CURVE must be on or off");
        return -1;
    }
    if (!bus_keys_role_valid(role)) {
        log_error("invalid bus role \"%s\"", role);
        return -1;
    }
    snprintf(config->role, sizeof config->role, "%s", role);
    const char *dir = config_str("BUS_KEYS", BUS_KEYS_DEFAULT_DIR);
    char leaf[BUS_ROLE_MAX + 8];
    snprintf(leaf, sizeof leaf, "%s.key", role);
    return path_setting(config->cert, "BUS_CERT", dir, leaf) != 0
           || path_setting(config->broker_cert, "BUS_BROKER_CERT", dir, "broker.crt") != 0
           || path_setting(config->certs_dir, "BUS_CERTS_DIR", dir, "certs") != 0
               ? -1 : 0;
}

bus_keys_t *bus_keys_new(const bus_keys_config_t *config, bool server)
{
    bus_keys_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->curve = config->curve;
    if (!self->curve) {
        self->role = strdup("");
        if (!self->role)
            goto fail;
        return self;
    }
    if (!zsys_has_curve()) {
        log_error("this libzmq has no CURVE security");
        goto fail;
    }
    self->cert = zcert_load(config->cert);
    const char *role = self->cert ? zcert_meta(self->cert, "role") : NULL;
    if (!self->cert) {
        log_error("cannot read the bus certificate %s (BUS_CERT)", config->cert);
        goto fail;
    }
    if (!role || !bus_keys_role_valid(role)) {
        log_error("the bus certificate %s names no valid role", config->cert);
        goto fail;
    }
    self->role = strdup(role);
    if (!self->role)
        goto fail;
    if (server) {
        struct stat st;
        if (stat(config->certs_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            log_error("no folder of bus certificates at %s (BUS_CERTS_DIR)", config->certs_dir);
            goto fail;
        }
        self->store = strdup(config->certs_dir);
        if (!self->store)
            goto fail;
    } else {
        zcert_t *broker = zcert_load(config->broker_cert);
        if (!broker) {
            log_error("cannot read the broker's certificate %s (BUS_BROKER_CERT)",
                      config->broker_cert);
            goto fail;
        }
        self->broker_key = strdup(zcert_public_txt(broker));
        zcert_destroy(&broker);
        if (!self->broker_key)
            goto fail;
    }
    return self;
fail:
    bus_keys_destroy(&self);
    return NULL;
}

void bus_keys_destroy(bus_keys_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    bus_keys_t *self = *self_p;
    zcert_destroy(&self->cert);
    free(self->role);
    free(self->broker_key);
    free(self->store);
    free(self);
    *self_p = NULL;
}

bool bus_keys_curve(const bus_keys_t *self)
{
    return self && self->curve;
}

const char *bus_keys_role(const bus_keys_t *self)
{
    return self && self->role ? self->role : "";
}

const char *bus_keys_store(const bus_keys_t *self)
{
    return self ? self->store : NULL;
}

int bus_keys_apply(const bus_keys_t *self, zsock_t *sock, bool server)
{
    if (!bus_keys_curve(self))
        return 0;
    void *handle = zsock_resolve(sock);
    int one = 1;
    if (zmq_setsockopt(handle, ZMQ_CURVE_SECRETKEY, zcert_secret_key(self->cert), 32) != 0
        || zmq_setsockopt(handle, ZMQ_CURVE_PUBLICKEY, zcert_public_key(self->cert), 32) != 0)
        return -1;
    if (server)
        return zmq_setsockopt(handle, ZMQ_ZAP_DOMAIN, "bus", 3) != 0
               || zmq_setsockopt(handle, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ? -1 : 0;
    if (!self->broker_key)
        return -1;
    return zmq_setsockopt(handle, ZMQ_CURVE_SERVERKEY, self->broker_key, 40) != 0 ? -1 : 0;
}

bool bus_keys_role_valid(const char *role)
{
    size_t n = role ? strlen(role) : 0;
    if (n == 0 || n >= BUS_ROLE_MAX)
        return false;
    return strspn(role, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

bool bus_keys_role_serves(const char *role)
{
    return bus_keys_role_valid(role) && strcmp(role, BUS_ROLE_BROKER) != 0
           && strcmp(role, BUS_ROLE_GATEWAY) != 0 && strcmp(role, BUS_ROLE_CLIENT) != 0;
}

/* Makes `path` a folder of `mode` unless it is one. Returns 0, or -1 (logged). */
static int ensure_dir(const char *path, mode_t mode)
{
    if (mkdir(path, mode) != 0 && errno != EEXIST) {
        log_error("cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    return chmod(path, mode) == 0 ? 0 : -1;
}

int bus_keys_create(const char *dir, const char *role)
{
    if (!bus_keys_role_valid(role)) {
        log_error("invalid role \"%s\": 1-31 of a-z 0-9 _ -", role ? role : "");
        return -1;
    }
    char certs[BUS_KEYS_PATH_MAX], secret[BUS_KEYS_PATH_MAX], public[BUS_KEYS_PATH_MAX];
    bool broker = strcmp(role, BUS_ROLE_BROKER) == 0;
    if (snprintf(certs, sizeof certs, "%s/certs", dir) >= (int) sizeof certs
        || snprintf(secret, sizeof secret, "%s/%s.key", dir, role) >= (int) sizeof secret
        || snprintf(public, sizeof public, broker ? "%s/%s.crt" : "%s/certs/%s.crt", dir,
                    role) >= (int) sizeof public) {
        log_error("the folder name %s is too long", dir);
        return -1;
    }
    if (ensure_dir(dir, 0700) != 0 || ensure_dir(certs, 0755) != 0)
        return -1;
    zcert_t *cert = NULL;
    int rc = -1;
    if (access(secret, F_OK) == 0) {
        cert = zcert_load(secret);
        if (!cert || !zcert_meta(cert, "role") || strcmp(zcert_meta(cert, "role"), role) != 0) {
            log_error("%s is not a certificate of role %s", secret, role);
            goto done;
        }
        if (access(public, F_OK) == 0) {
            rc = 0;
            goto done;
        }
    } else {
        cert = zcert_new();
        if (!cert)
            goto done;
        zcert_set_meta(cert, "role", "%s", role);
        /* zcert_save_secret writes through zsys_file_mode_private: 0600. */
        if (zcert_save_secret(cert, secret) != 0 || chmod(secret, 0600) != 0) {
            log_error("cannot write %s", secret);
            goto done;
        }
    }
    if (zcert_save_public(cert, public) != 0) {
        log_error("cannot write %s", public);
        goto done;
    }
    rc = 0;
done:
    zcert_destroy(&cert);
    return rc;
}

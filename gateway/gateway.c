/*  gateway.c: the gateway object and its event loop. See gateway.h. */
#include "gateway.h"

#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "adopt.h"
#include "listener.h"
#include "log.h"
#include "protocol.h"
#include "zwatch.h"

/* While draining: ends the loop once every WebSocket has closed, or at the bound. */
static void check_drained(lws_sorted_usec_list_t *sul)
{
    gateway_t *gw = lws_container_of(sul, gateway_t, drain_timer);
    if (ws_server_sockets(gw->ws) == 0 || lws_now_usecs() >= gw->drain_until) {
        if (ws_server_sockets(gw->ws) > 0)
            log_warn("%zu WebSockets still open after WS_DRAIN_S: stopping",
                     ws_server_sockets(gw->ws));
        gw->stopping = true;
        return;
    }
    lws_sul_schedule(gw->context, 0, &gw->drain_timer, check_drained, 100 * 1000);
}

/* The first stop signal: stop accepting, close every WebSocket with 1001, and wait
 * (at most WS_DRAIN_S) for them to go; the second ends the loop at once. */
static void on_stop_signal(gateway_t *gw)
{
    if (gw->drain_until) {
        gw->stopping = true;
        return;
    }
    log_info("draining: %zu WebSockets to close", ws_server_sockets(gw->ws));
    gw->drain_until = lws_now_usecs() + (int64_t) gw->settings.ws_drain_s * 1000000;
    listener_stop_accepting(gw->listener);
    ws_server_drain(gw->ws);
    check_drained(&gw->drain_timer);
}

/* Protocol of the adopted signalfd: a stop signal drains, then ends the loop. */
static int signal_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                           void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    gateway_t *gw = lws_get_opaque_user_data(wsi);
    if (!gw)
        return 0;
    if (reason == LWS_CALLBACK_RAW_RX_FILE) {
        struct signalfd_siginfo info;
        while (read(gw->signal_fd, &info, sizeof info) == (ssize_t) sizeof info) {
            log_info("signal %u: stopping", info.ssi_signo);
            on_stop_signal(gw);
        }
    } else if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) {
        gw->signal_fd = -1;           /* lws closed it */
    }
    return 0;
}

/* The vhost's protocols. lws serves no HTTP itself (listener.c and conn.c do):
 * protocols[0], which lws requires and which gets WSI_DESTROY for every wsi, is
 * lws's dummy. WebSocket sockets of /ws/main/ are handed to lws with a request
 * head of ours (ws/endpoint.h) and bound to WS_PROTOCOL, made the vhost's default
 * (ws_default_pvo) since clients name no subprotocol; the event subscriber's socket
 * is one more ZeroMQ watcher. */
static void set_protocols(gateway_t *self)
{
    const struct lws_protocols list[] = {
        { "default", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
        WS_PROTOCOL_ENTRY(self->ws),
        { LISTENER_PROTOCOL, listener_callback, 0, 0, 0, NULL, 0 },
        { ZWATCH_PROTOCOL, zwatch_callback, 0, 0, 0, NULL, 0 },
        { "signals", signal_callback, 0, 0, 0, NULL, 0 },
        { NULL, NULL, 0, 0, 0, NULL, 0 },
    };
    _Static_assert(sizeof list == sizeof self->protocols, "gateway_t.protocols size");
    memcpy(self->protocols, list, sizeof list);
}

/* WS_PROTOCOL is the vhost's default protocol ("default" option, vhost.c:331). */
static const struct lws_protocol_vhost_options ws_default_option = {
    NULL, NULL, "default", ""
};
static const struct lws_protocol_vhost_options ws_default_pvo = {
    NULL, &ws_default_option, WS_PROTOCOL, ""
};

/* Routes lws's own log lines (errors and warnings only) to our logger. */
static void lws_log(int level, const char *line)
{
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    /* lws 4.1.6 logs every adoption with a read buffer (each WebSocket handshake)
     * as an error (adopt.c: "calling service", "deferring handling ah"). */
    if (strstr(line, "adopt_socket_readbuf:"))
        return;
    if (level & LLL_ERR)
        log_error("lws: %.*s", (int) len, line);
    else
        log_warn("lws: %.*s", (int) len, line);
}

/* Creates the lws context and its vhost. lws does not listen: the listener
 * (listener.c) does, and serves HTTP itself. Returns 0, or -1 (logged). */
static int create_context(gateway_t *self)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    set_protocols(self);
    info.protocols = self->protocols;
    info.pvo = &ws_default_pvo;
    /* WebSockets that answer no ping within WS_HANGUP_S are dropped: lws pings each
     * one WS_PING_S after its last pong (only ws wsis have validity timers). */
    self->ws_idle.secs_since_valid_ping = (uint16_t) self->settings.ws_ping_s;
    self->ws_idle.secs_since_valid_hangup = (uint16_t) self->settings.ws_hangup_s;
    info.retry_and_idle_policy = &self->ws_idle;
    info.user = self->http;
    info.vhost_name = "default";
    info.server_string = "gateway";
    /* Used by WebSocket handshakes only (HTTP is ours), whose heads we write
     * (ws/handshake.h): small. */
    info.max_http_header_data = 1024;
    info.timeout_secs_ah_idle = 10;
    info.keepalive_timeout = (int) self->settings.keepalive_s;
    info.pt_serv_buf_size = 16384;
    lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
    self->context = lws_create_context(&info);
    if (!self->context) {
        log_error("cannot create the lws context");
        return -1;
    }
    self->vhost = lws_get_vhost_by_name(self->context, "default");
    if (!self->vhost) {
        log_error("the lws vhost is missing");
        return -1;
    }
    return 0;
}

/* Adopts the signalfd into the loop (lws owns it from now on, closed already when
 * adoption fails). Returns 0, or -1 (logged). */
static int watch_signals(gateway_t *self)
{
    if (self->signal_fd < 0)
        return 0;
    if (!adopt_raw_fd(self->vhost, self->signal_fd, "signals", self)) {
        self->signal_fd = -1;
        log_error("cannot watch stop signals");
        return -1;
    }
    return 0;
}

gateway_t *gateway_new(const settings_t *settings, int signal_fd)
{
    gateway_t *self = calloc(1, sizeof *self);
    if (!self) {
        if (signal_fd >= 0)
            close(signal_fd);
        return NULL;
    }
    self->settings = *settings;
    self->signal_fd = signal_fd;
    self->http = http_server_new(&self->settings);
    if (!self->http)
        goto fail;
    ws_limits_t limits = {
        .max_sockets_per_user = (size_t) settings->ws_max_sockets_per_user,
        .max_message = (size_t) settings->ws_max_frame,
        .send_queue_max = (size_t) settings->ws_send_queue_max,
        .call_timeout_ms = settings->request_timeout_ms,
        .gateway_id = self->settings.gateway_id,
        .lease_ms = settings->lease_ms,
    };
    self->ws = ws_server_new(&limits);
    if (!self->ws)
        goto fail;
    self->http->ws = self->ws;
    self->bus_keys = bus_keys_new(&settings->bus_keys, false);
    if (!self->bus_keys)
        goto fail;
    self->bus = bus_client_new(settings->bus_endpoint, self->bus_keys);
    if (!self->bus) {
        log_error("cannot connect to the broker at BUS_ENDPOINT");
        goto fail;
    }
    if (create_context(self) != 0 || watch_signals(self) != 0)
        goto fail;
    self->calls = calls_new(self->context, self->vhost, self->bus);
    if (!self->calls)
        goto fail;
    self->http->context = self->context;
    self->http->vhost = self->vhost;
    self->http->calls = self->calls;
    self->ws->vhost = self->vhost;
    self->ws->calls = self->calls;
    events_config_t events = {
        .sub_endpoint = settings->events_sub_endpoint,
        .keys = self->bus_keys,
        .gateway_id = self->settings.gateway_id,
        .lease_ms = settings->lease_ms,
        .call_timeout_ms = settings->request_timeout_ms,
    };
    self->events = events_new(self->context, self->vhost, self->calls, self->ws, &events);
    if (!self->events)
        goto fail;
    self->chat = chat_new(self->calls, self->ws, settings->request_timeout_ms);
    if (!self->chat)
        goto fail;
    self->listener = listener_new(self->http);
    if (!self->listener)
        goto fail;
    log_info("listening on port %d (gateway id %s)", settings->port,
             self->settings.gateway_id);
    return self;
fail:
    gateway_destroy(&self);
    return NULL;
}

void gateway_destroy(gateway_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gateway_t *self = *self_p;
    /* While the context lives: the calls stop their timer and bus watcher. The
     * sessions closed below then have nothing left to withdraw. */
    events_stop(self->events);
    chat_stop(self->chat);
    calls_destroy(&self->calls);
    if (self->http)
        self->http->calls = NULL;
    if (self->ws)
        self->ws->calls = NULL;
    if (self->context) {
        /* Closes every connection and the adopted descriptors. */
        lws_context_destroy(self->context);
        self->context = NULL;
    }
    /* After the context: its close callback of the epoll set still reaches the
     * listener, which closes every connection then. */
    listener_destroy(&self->listener);
    if (self->signal_fd >= 0)
        close(self->signal_fd);
    bus_client_destroy(&self->bus);
    bus_keys_destroy(&self->bus_keys);
    http_server_destroy(&self->http);
    /* After the context: its WebSockets' CLOSED callbacks unregistered them and
     * freed their event states. */
    ws_server_destroy(&self->ws);
    events_destroy(&self->events);
    chat_destroy(&self->chat);
    free(self);
    *self_p = NULL;
}

int gateway_run(gateway_t *self)
{
    while (!self->stopping)
        if (lws_service(self->context, 0) < 0) {
            log_error("the event loop failed");
            return 1;
        }
    log_info("stopped");
    return 0;
}

/*  protocol.h: the lws protocol of /ws/main/ sockets.
 *
 *  Memory per socket: lws allocates, per WebSocket, its wsi, its ws state, a
 *  receive buffer of rx_buffer_size + LWS_PRE bytes (pt_serv_buf_size, 16 KiB here,
 *  when rx_buffer_size is 0: hence WS_RX_BUFFER), and per_session_data_size for
 *  our ws_socket_t. An idle socket holds nothing else: no queued frame, no
 *  reassembly buffer. Client messages longer than WS_RX_BUFFER arrive in pieces
 *  and are reassembled (frame.h) up to WS_MAX_FRAME.
 *
 *  Callbacks: ESTABLISHED registers the socket under the user ws_server_accept()
 *  is handing over (any other socket is refused); RECEIVE reassembles and
 *  dispatches (dispatch.h), answering an error frame for anything unusable, and
 *  closes with 1008 after WS_BAD_IN_A_ROW unusable messages in a row;
 *  SERVER_WRITEABLE writes one queued frame, runs the drained hook, and performs a
 *  requested close; CLOSED unregisters. Everything else goes to lws's dummy HTTP
 *  callback (the socket is bound to this protocol, the vhost's default, before its
 *  upgrade).
 */
#ifndef WS_PROTOCOL_H_INCLUDED
#define WS_PROTOCOL_H_INCLUDED

#include <libwebsockets.h>

#include "socket.h"

/* Name of the protocol in the vhost (made its default, so sockets that name no
 * subprotocol, as ours, are bound to it). */
#define WS_PROTOCOL "ws-main"
/* lws's receive buffer per socket: most client messages fit whole. */
#define WS_RX_BUFFER 1024
/* Most bytes lws sends in one write: a queued frame normally goes whole. */
#define WS_TX_PACKET 65536
/* Unusable client messages in a row after which the socket is closed (1008). */
#define WS_BAD_IN_A_ROW 20

/* The protocol's callback; its lws_protocols `user` is the ws_server_t. */
int ws_protocol_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                         void *in, size_t len);

/* The protocol's entry in a vhost's list, serving `server` (a ws_server_t *). */
#define WS_PROTOCOL_ENTRY(server) \
    { WS_PROTOCOL, ws_protocol_callback, sizeof(ws_socket_t), WS_RX_BUFFER, 0, \
      (server), WS_TX_PACKET }

#endif

/*  bus.c: what every bus socket shares. See bus.h. */
#include "bus.h"

zsock_t *bus_socket_new(int type, const bus_keys_t *keys)
{
    zsock_t *sock = zsock_new(type);
    if (!sock)
        return NULL;
    void *handle = zsock_resolve(sock);
    int64_t maxsize = PROTO_MAX_MESSAGE;
    int hwm = BUS_HWM, zero = 0;
    if (zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &maxsize, sizeof maxsize) != 0
        || zmq_setsockopt(handle, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0
        || zmq_setsockopt(handle, ZMQ_RCVHWM, &hwm, sizeof hwm) != 0
        || zmq_setsockopt(handle, ZMQ_LINGER, &zero, sizeof zero) != 0
        || bus_keys_apply(keys, sock,
                          type == ZMQ_ROUTER || type == ZMQ_XSUB || type == ZMQ_XPUB) != 0)
        zsock_destroy(&sock);
    return sock;
}

int bus_send(zsock_t *sock, int count, const void *const *data, const size_t *size)
{
    void *handle = zsock_resolve(sock);
    for (int i = 0; i < count; i++) {
        int flags = i + 1 < count ? ZMQ_SNDMORE : 0;
        if (i == 0)
            flags |= ZMQ_DONTWAIT;
        if (zmq_send(handle, data[i], size[i], flags) < 0 && i == 0)
            return -1;
    }
    return 0;
}

void bus_reply_pack(msgpack_sbuffer *buf, uint64_t id, int status)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(buf);
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    proto_reply_begin(&pk, id, status);
    msgpack_pack_nil(&pk);
}

bool bus_has_more(void *handle)
{
    int more = 0;
    size_t len = sizeof more;
    zmq_getsockopt(handle, ZMQ_RCVMORE, &more, &len);
    return more != 0;
}

void bus_drain_parts(void *handle)
{
    while (bus_has_more(handle)) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        zmq_msg_recv(&part, handle, 0);
        zmq_msg_close(&part);
    }
}

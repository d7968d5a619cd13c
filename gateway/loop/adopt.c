/*  adopt.c: file descriptors into the lws loop. See adopt.h for the ownership rule
 *  and the lws 4.1.6 code paths it rests on. */
#include "adopt.h"

#include <string.h>
#include <unistd.h>

#include "log.h"

struct lws *adopt_raw_fd(struct lws_vhost *vhost, int fd, const char *protocol,
                         void *opaque)
{
    lws_adopt_desc_t info;
    memset(&info, 0, sizeof info);
    info.vh = vhost;
    info.type = LWS_ADOPT_RAW_FILE_DESC;
    info.fd.filefd = fd;
    info.vh_prot_name = protocol;
    info.opaque = opaque;
    struct lws *wsi = lws_adopt_descriptor_vhost_via_info(&info);
    if (!wsi) {
        /* lws never closes a raw file it failed to adopt (adopt.h). */
        close(fd);
        log_debug("cannot adopt a descriptor for protocol %s", protocol);
    }
    return wsi;
}

struct lws *adopt_http_socket(struct lws_vhost *vhost, int fd)
{
    /* lws closes the socket itself on every failure (adopt.h). */
    return lws_adopt_socket_vhost(vhost, fd);
}

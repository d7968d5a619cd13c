/*  main.c: the chat service process: its methods and statements, wired to the
 *  runtime. */
#include "chat_service.h"

/* The bus methods: name, handler, whether a caller is required. */
static const service_method_t chat_methods[] = {
    { "conversations", chat_conversations, 1 },
    { "history", chat_history, 1 },
    { "send", chat_send, 1 },
    { "read", chat_read, 1 },
    { NULL, NULL, 0 },
};

static const service_def_t chat_service = {
    .name = "chat",
    .statements = chat_statements,
    .methods = chat_methods,
    .setup = NULL,
    .teardown = NULL,
};

int main(void)
{
    return service_main(&chat_service);
}

/*  testassert.h: assertions on and readers of bus replies, and the accounts they need,
 *  shared by the integration tests. */
#ifndef TESTASSERT_H_INCLUDED
#define TESTASSERT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "testbus.h"

/* Asserts that the reply is a 400 whose `field` lists `message` first. */
void assert_field_error(const testbus_reply_t *r, const char *field, const char *message);
/* Asserts a 401 for a caller whose account does not exist. */
void assert_user_gone(const testbus_reply_t *r);
/*  Registers an account through auth.register: username, email <username>@example.com,
 *  password, and first and last name unless NULL. Asserts it was created; returns its
 *  id. */
int64_t register_account(const char *username, const char *password, const char *first_name,
                         const char *last_name);
/* Asserts a list reply ({"results": [...]}) and copies up to max of its results' ids,
 * in order, into ids; returns how many results there are. */
size_t result_ids(const testbus_reply_t *r, int64_t *ids, size_t max);

#endif

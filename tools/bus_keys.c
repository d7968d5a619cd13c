/*  bus_keys: creates the bus's CURVE certificates, one per role (bus_keys.h).
 *
 *      bus_keys DIR ROLE...
 *
 *  For each role, unless DIR/ROLE.key exists: a new certificate whose metadata "role"
 *  names it, its secret half in DIR/ROLE.key (0600) and its public half in
 *  DIR/certs/ROLE.crt (the broker's store of admitted keys) or, for the broker,
 *  DIR/broker.crt. Idempotent: running it again changes nothing, and adds the roles
 *  that are new. Exits 0, 1 when a file cannot be written, 2 on a bad argument.
 */
#include <stdio.h>

#include "bus.h"
#include "log.h"

int main(int argc, char **argv)
{
    log_init("bus_keys");
    if (argc < 3) {
        fprintf(stderr, "usage: bus_keys DIR ROLE...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++)
        if (!bus_keys_role_valid(argv[i])) {
            fprintf(stderr, "bus_keys: invalid role \"%s\" (1-31 of a-z 0-9 _ -)\n", argv[i]);
            return 2;
        }
    for (int i = 2; i < argc; i++)
        if (bus_keys_create(argv[1], argv[i]) != 0)
            return 1;
    return 0;
}

/*  pwhash_verify: the raw rate of libsodium's Argon2id verification, the ceiling of
 *  POST /api/auth/login/ (bench/logins.sh runs it beside the login benchmark).
 *
 *      pwhash_verify [-t THREADS] [-s SECONDS] [-o OPSLIMIT] [-m MEMLIMIT_KIB]
 *
 *  Hashes one password with the given parameters (the auth service's defaults:
 *  crypto_pwhash_OPSLIMIT_INTERACTIVE and 65536 KiB, read from PASSWORD_HASH_OPSLIMIT
 *  and PASSWORD_HASH_MEMLIMIT_KIB like the service when set), then THREADS threads
 *  (default 4, SERVICE_WORKERS' bench value) verify it for SECONDS (default 10) and it
 *  prints "verifications/s <rate>". A failed verification is an error (exit 1).
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD "seed-password-1"

static char hashed[crypto_pwhash_STRBYTES];
static atomic_bool stop;
static atomic_long done;
static atomic_bool failed;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void *verify_loop(void *arg)
{
    (void) arg;
    while (!atomic_load(&stop)) {
        if (crypto_pwhash_str_verify(hashed, PASSWORD, strlen(PASSWORD)) != 0)
            atomic_store(&failed, true);
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

/* A positive number from an option or an environment variable, or the fallback. */
static long positive(const char *text, long fallback)
{
    if (!text)
        return fallback;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v <= 0) {
        fprintf(stderr, "pwhash_verify: not a positive number: %s\n", text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long threads = 4, seconds = 10;
    long opslimit = positive(getenv("PASSWORD_HASH_OPSLIMIT"), crypto_pwhash_OPSLIMIT_INTERACTIVE);
    long memlimit_kib = positive(getenv("PASSWORD_HASH_MEMLIMIT_KIB"), 65536);
    int opt;
    while ((opt = getopt(argc, argv, "t:s:o:m:")) != -1) {
        switch (opt) {
        case 't': threads = positive(optarg, 0); break;
        case 's': seconds = positive(optarg, 0); break;
        case 'o': opslimit = positive(optarg, 0); break;
        case 'm': memlimit_kib = positive(optarg, 0); break;
        default:
            fprintf(stderr, "usage: pwhash_verify [-t THREADS] [-s SECONDS] [-o OPSLIMIT] [-m MEMLIMIT_KIB]\n");
            return 2;
        }
    }
    if (threads > 256 || sodium_init() < 0
        || crypto_pwhash_str_alg(hashed, PASSWORD, strlen(PASSWORD), (unsigned long long) opslimit,
                                 (size_t) memlimit_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fprintf(stderr, "pwhash_verify: cannot hash with opslimit %ld, memlimit %ld KiB\n",
                opslimit, memlimit_kib);
        return 1;
    }
    pthread_t tids[256];
    double start = now_s();
    for (long i = 0; i < threads; i++) {
        if (pthread_create(&tids[i], NULL, verify_loop, NULL) != 0) {
            fprintf(stderr, "pwhash_verify: cannot start thread %ld\n", i);
            return 1;
        }
    }
    sleep((unsigned) seconds);
    atomic_store(&stop, true);
    for (long i = 0; i < threads; i++)
        pthread_join(tids[i], NULL);
    double elapsed = now_s() - start;
    if (atomic_load(&failed)) {
        fprintf(stderr, "pwhash_verify: a verification failed\n");
        return 1;
    }
    printf("verifications/s %.1f\n", (double) atomic_load(&done) / elapsed);
    return 0;
}

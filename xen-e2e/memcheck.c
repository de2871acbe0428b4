/*
 * memcheck SECONDS SIZE: a check of the emulated platform, not of the
 * project. For SECONDS, fills a SIZE-byte buffer with pseudo-random bytes,
 * copies it twice with memcpy() (at an offset that moves each round, so
 * that the copies start unaligned) and compares every byte. Prints one
 * MEMCHECK line per round that came back wrong and a summary; exits 1 if
 * any did. `scripts/xen-e2e --memcheck` runs it in dom0 alone, while two
 * guests are created and boot, and while they run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: memcheck SECONDS SIZE\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    size_t size = strtoul(argv[2], NULL, 0);
    if (size < 8192) {
        fprintf(stderr, "memcheck: SIZE must be at least 8192\n");
        return 2;
    }
    unsigned char *want = malloc(size), *mid = malloc(size), *got = malloc(size);
    if (!want || !mid || !got) {
        fprintf(stderr, "memcheck: out of memory\n");
        return 2;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long rounds = 0, bad_rounds = 0, bad_bytes = 0;
    unsigned state = 1;
    do {
        for (size_t i = 0; i < size; i++) {
            state = state * 1103515245u + 12345u;
            want[i] = (unsigned char)(state >> 24);
        }
        size_t off = (rounds * 37) % 4096, n = size - off;
        memcpy(mid, want + off, n);
        memcpy(got, mid, n);
        size_t first = 0, wrong = 0;
        for (size_t i = 0; i < n; i++) {
            if (got[i] != want[i + off]) {
                if (wrong++ == 0)
                    first = i;
            }
        }
        if (wrong) {
            bad_rounds++;
            bad_bytes += wrong;
            printf("MEMCHECK round %lu: %zu of %zu bytes wrong, the first at %zu\n", rounds, wrong, n, first);
            fflush(stdout);
        }
        rounds++;
    } while (since(&t0) < seconds);
    printf("MEMCHECK %lu rounds of %zu bytes: %lu wrong (%lu bytes)\n", rounds, size, bad_rounds, bad_bytes);
    return bad_rounds != 0;
}

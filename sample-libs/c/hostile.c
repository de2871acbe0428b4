/* hostile: implementation of hostile.h. Every misbehaviour must really happen
 * at -O2: the NULL pointer and the recursion's stop flag are volatile so the
 * compiler can neither prove the crash nor turn it into a trap instruction,
 * and the busy loop and the allocations go through volatile objects so they
 * are not optimised away. */
#define _GNU_SOURCE

#include "hostile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The highest descriptor number probed, plus one. */
#define HX_FD_PROBE_LIMIT 1024
/* The descriptor at which the domain finds its shared memory. */
#define HX_RING_FD 3
/* Size of one block of hx_alloc_unbounded. */
#define HX_ALLOC_BLOCK ((size_t)16 << 20)
/* Size of the buffer in each frame of hx_stack_overflow. */
#define HX_FRAME_BYTES 16384
/* Size of each write of hx_flood. */
#define HX_FLOOD_CHUNK 4096
/* The page size of the ring layout (the event page is the mapping's last page). */
#define HX_PAGE_SIZE 4096

/* ---- a healthy call ---- */

int hx_ok(int x) { return (int)((unsigned int)x + 1u); }

int hx_twice(int x) { return (int)((unsigned int)x * 2u); }

/* ---- crashes ---- */

/* A volatile pointer object: the compiler cannot know it holds NULL, so the
 * store below is a real store to address 0 (SIGSEGV), never a `ud2` trap. */
static int *volatile hx_null_pointer = NULL;

int hx_segfault(void)
{
    *hx_null_pointer = 42;
    return -1;
}

int hx_abort(void)
{
    abort();
}

/* Never set: only there so the recursion has an exit the compiler cannot see
 * through (no -Winfinite-recursion, no removal of the recursion). */
static volatile int hx_stop_recursion = 0;

/* noinline: at -O3 GCC would otherwise inline a few levels of the recursion
 * into one frame whose first access is far below the caller's. */
__attribute__((noinline)) int hx_stack_overflow(int depth)
{
    volatile unsigned char frame[HX_FRAME_BYTES];
    if (hx_stop_recursion) {
        return depth;
    }
    /* Touch the frame from its top (nearest the caller) down, one byte per 64,
     * so that each access is close to the last one and the first access
     * beyond the stack lands on the guard page instead of jumping over it. */
    for (size_t i = HX_FRAME_BYTES; i > 0; i -= 64) {
        frame[i - 1] = (unsigned char)i;
    }
    frame[0] = (unsigned char)depth;
    /* Using the frame after the call keeps it from being a tail call. */
    int deeper = hx_stack_overflow((int)((unsigned int)depth + 1u));
    return deeper + frame[0] + frame[HX_FRAME_BYTES - 1];
}

int hx_kill_self(void)
{
    raise(SIGKILL);
    /* Not reached: SIGKILL can be neither caught nor ignored. */
    return -1;
}

int hx_exit(int code)
{
    exit(code);
}

/* ---- hangs ---- */

int hx_loop_forever(void)
{
    volatile unsigned long spins = 0;
    for (;;) {
        spins = spins + 1;
    }
}

int hx_sleep_forever(void)
{
    for (;;) {
        struct timespec second = {.tv_sec = 1, .tv_nsec = 0};
        nanosleep(&second, NULL);
    }
}

/* Sleeps for `ts`, resuming after signal handlers. Returns 0 or -errno. */
static int hx_sleep_for(struct timespec ts)
{
    while (nanosleep(&ts, &ts) != 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return 0;
}

int hx_sleep_ms(int ms)
{
    if (ms < 0) {
        return -EINVAL;
    }
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    int rc = hx_sleep_for(ts);
    return rc == 0 ? ms : rc;
}

/* ---- resource exhaustion ---- */

/* The head of the list of blocks obtained so far, volatile so that the
 * allocations and page writes cannot be elided. */
static void *volatile hx_alloc_head = NULL;

long hx_alloc_unbounded(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t step = page > 0 ? (size_t)page : 4096;
    long mib = 0;
    for (;;) {
        unsigned char *block = malloc(HX_ALLOC_BLOCK);
        if (block == NULL) {
            break;
        }
        volatile unsigned char *touch = block;
        for (size_t at = 0; at < HX_ALLOC_BLOCK; at += step) {
            touch[at] = (unsigned char)at | 1u;
        }
        /* Chain the block: its first bytes hold the previous head. */
        void *previous = hx_alloc_head;
        memcpy(block, &previous, sizeof previous);
        hx_alloc_head = block;
        mib += (long)(HX_ALLOC_BLOCK >> 20);
    }
    while (hx_alloc_head != NULL) {
        void *block = hx_alloc_head;
        void *previous;
        memcpy(&previous, block, sizeof previous);
        hx_alloc_head = previous;
        free(block);
    }
    return mib;
}

int hx_fork_loop(void)
{
    int failure = 0;
    for (;;) {
        pid_t child = fork();
        if (child == 0) {
            _exit(0);
        }
        if (child < 0) {
            failure = -errno;
            break;
        }
    }
    /* Reap every child (they have all exited or are about to). */
    for (;;) {
        pid_t reaped = waitpid(-1, NULL, 0);
        if (reaped < 0 && errno != EINTR) {
            break;
        }
    }
    return failure;
}

/* Writes all of `len` bytes of `buf` to `fd`. Returns 0 or -errno. */
static int hx_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int hx_flood(int bytes)
{
    if (bytes < 0) {
        return -EINVAL;
    }
    static char chunk[HX_FLOOD_CHUNK];
    memset(chunk, 'x', sizeof chunk);
    chunk[sizeof chunk - 1] = '\n';
    static const int fds[2] = {STDOUT_FILENO, STDERR_FILENO};
    for (size_t f = 0; f < 2; f++) {
        size_t left = (size_t)bytes;
        while (left > 0) {
            size_t n = left < sizeof chunk ? left : sizeof chunk;
            /* Send each chunk's tail so that the last byte written is '\n'. */
            int rc = hx_write_all(fds[f], chunk + sizeof chunk - n, n);
            if (rc != 0) {
                return rc;
            }
            left -= n;
        }
    }
    return 0;
}

static void *hx_spinner_main(void *arg)
{
    (void)arg;
    for (;;) {
        sched_yield();
    }
    return NULL;
}

/* Starts a detached thread running `main(arg)`. Returns 0 or the pthread
 * error number (positive). */
static int hx_start_detached(void *(*main)(void *), void *arg)
{
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc != 0) {
        return rc;
    }
    rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (rc == 0) {
        pthread_t thread;
        rc = pthread_create(&thread, &attr, main, arg);
    }
    pthread_attr_destroy(&attr);
    return rc;
}

int hx_spawn_spinner(void) { return hx_start_detached(hx_spinner_main, NULL); }

/* ---- escape attempts ---- */

int hx_open_passwd(void)
{
    int fd = open("/etc/passwd", O_RDONLY);
    return fd >= 0 ? fd : -errno;
}

int hx_connect_local(int port)
{
    if (port < 0 || port > 65535) {
        return -EINVAL;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -errno;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (const struct sockaddr *)&addr, sizeof addr) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

int hx_exec_shell(void)
{
    char *const argv[] = {"sh", "-c", "true", NULL};
    execve("/bin/sh", argv, environ);
    return -errno;
}

int hx_ptrace_parent(void)
{
    pid_t parent = getppid();
    if (ptrace(PTRACE_ATTACH, parent, NULL, NULL) != 0) {
        return -errno;
    }
    /* Attached: the parent is being stopped. Let it go again. */
    while (waitpid(parent, NULL, __WALL) < 0 && errno == EINTR) {
    }
    ptrace(PTRACE_DETACH, parent, NULL, NULL);
    return 0;
}

static void *hx_open_passwd_main(void *arg)
{
    *(int *)arg = hx_open_passwd();
    return NULL;
}

int hx_thread_open_passwd(void)
{
    int result = -EINVAL;
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, hx_open_passwd_main, &result);
    if (rc != 0) {
        return -rc;
    }
    rc = pthread_join(thread, NULL);
    if (rc != 0) {
        return -rc;
    }
    return result;
}

/* ---- inspection ---- */

int hx_count_fds(void) { return hx_list_fds(NULL, 0); }

int hx_list_fds(int *out, int cap)
{
    int open_fds = 0;
    for (int fd = 0; fd < HX_FD_PROBE_LIMIT; fd++) {
        if (fcntl(fd, F_GETFD) != -1) {
            if (out != NULL && open_fds < cap) {
                out[open_fds] = fd;
            }
            open_fds++;
        }
    }
    return open_fds;
}

long hx_get_rlimit(int resource, int want_max)
{
    struct rlimit limit;
    if (getrlimit(resource, &limit) != 0) {
        return -errno;
    }
    rlim_t value = want_max ? limit.rlim_max : limit.rlim_cur;
    if (value == RLIM_INFINITY) {
        return -1;
    }
    return value > (rlim_t)LONG_MAX ? LONG_MAX : (long)value;
}

/* ---- ring attacks ---- */

/* The whole of descriptor 3, mapped shared and writable. */
struct hx_mapping {
    unsigned char *base;
    size_t len;
};

/* Maps descriptor 3 after checking that bytes [offset, offset + width) lie
 * inside it. Returns 0 or -errno. */
static int hx_map_ring(int offset, int width, struct hx_mapping *map)
{
    if (offset < 0 || width <= 0) {
        return -EINVAL;
    }
    struct stat st;
    if (fstat(HX_RING_FD, &st) != 0) {
        return -errno;
    }
    if (!S_ISREG(st.st_mode)) {
        return -ENODEV;
    }
    if (st.st_size <= 0 || (uint64_t)st.st_size < (uint64_t)offset + (uint64_t)width) {
        return -ERANGE;
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        return -EFBIG;
    }
    size_t len = (size_t)st.st_size;
    void *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, HX_RING_FD, 0);
    if (base == MAP_FAILED) {
        return -errno;
    }
    map->base = base;
    map->len = len;
    return 0;
}

static int hx_valid_width(int width) { return width == 1 || width == 2 || width == 4 || width == 8; }

/* Stores the low `width` bytes of `value` at `at`: one volatile store when
 * aligned, byte by byte (still in native order) otherwise. */
static void hx_store(unsigned char *at, int width, unsigned long long value)
{
    if (((uintptr_t)at % (uintptr_t)width) == 0) {
        switch (width) {
        case 1:
            *(volatile uint8_t *)at = (uint8_t)value;
            return;
        case 2:
            *(volatile uint16_t *)at = (uint16_t)value;
            return;
        case 4:
            *(volatile uint32_t *)at = (uint32_t)value;
            return;
        default:
            *(volatile uint64_t *)at = (uint64_t)value;
            return;
        }
    }
    unsigned char bytes[8];
    uint64_t wide = (uint64_t)value;
    memcpy(bytes, &wide, sizeof bytes);
    /* Little-endian hosts keep the low bytes first; big-endian ones last. */
    const unsigned char *low = bytes;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    low = bytes + (sizeof bytes - (size_t)width);
#endif
    volatile unsigned char *dst = at;
    for (int i = 0; i < width; i++) {
        dst[i] = low[i];
    }
}

int hx_ring_poke(int offset, int width, unsigned long long value)
{
    if (!hx_valid_width(width)) {
        return -EINVAL;
    }
    struct hx_mapping map = {NULL, 0};
    int rc = hx_map_ring(offset, width, &map);
    if (rc != 0) {
        return rc;
    }
    hx_store(map.base + offset, width, value);
    munmap(map.base, map.len);
    return 0;
}

/* What a delayed poke's thread needs; freed by the thread. */
struct hx_later {
    struct hx_mapping map;
    int offset;
    int width;
    unsigned long long value;
    struct timespec delay;
};

static void *hx_poke_later_main(void *arg)
{
    struct hx_later *later = arg;
    hx_sleep_for(later->delay);
    hx_store(later->map.base + later->offset, later->width, later->value);
    munmap(later->map.base, later->map.len);
    free(later);
    return NULL;
}

int hx_ring_poke_later(int offset, int width, unsigned long long value, int delay_us)
{
    if (!hx_valid_width(width) || delay_us < 0) {
        return -EINVAL;
    }
    struct hx_later *later = malloc(sizeof *later);
    if (later == NULL) {
        return -ENOMEM;
    }
    int rc = hx_map_ring(offset, width, &later->map);
    if (rc != 0) {
        free(later);
        return rc;
    }
    later->offset = offset;
    later->width = width;
    later->value = value;
    later->delay.tv_sec = delay_us / 1000000;
    later->delay.tv_nsec = (long)(delay_us % 1000000) * 1000L;
    rc = hx_start_detached(hx_poke_later_main, later);
    if (rc != 0) {
        munmap(later->map.base, later->map.len);
        free(later);
        return -rc;
    }
    return 0;
}

/* What a flipping thread needs; freed by the thread. */
struct hx_flipper {
    struct hx_mapping map;
    int offset;
    struct timespec until;
};

/* Whether the monotonic clock has reached `until`. */
static int hx_reached(const struct timespec *until)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > until->tv_sec ||
           (now.tv_sec == until->tv_sec && now.tv_nsec >= until->tv_nsec);
}

static void *hx_flip_main(void *arg)
{
    struct hx_flipper *flipper = arg;
    volatile unsigned char *byte = flipper->map.base + flipper->offset;
    do {
        /* Flips in pairs, so the byte ends as it was; a reader in between
         * sees the flipped value. Check the clock only now and then. */
        for (int i = 0; i < 1024; i++) {
            *byte ^= 0xffu;
            *byte ^= 0xffu;
        }
    } while (!hx_reached(&flipper->until));
    munmap(flipper->map.base, flipper->map.len);
    free(flipper);
    return NULL;
}

int hx_ring_flip_loop(int offset, int duration_ms)
{
    if (duration_ms < 0) {
        return -EINVAL;
    }
    struct hx_flipper *flipper = malloc(sizeof *flipper);
    if (flipper == NULL) {
        return -ENOMEM;
    }
    int rc = hx_map_ring(offset, 1, &flipper->map);
    if (rc != 0) {
        free(flipper);
        return rc;
    }
    flipper->offset = offset;
    clock_gettime(CLOCK_MONOTONIC, &flipper->until);
    flipper->until.tv_sec += duration_ms / 1000;
    flipper->until.tv_nsec += (long)(duration_ms % 1000) * 1000000L;
    if (flipper->until.tv_nsec >= 1000000000L) {
        flipper->until.tv_sec += 1;
        flipper->until.tv_nsec -= 1000000000L;
    }
    rc = hx_start_detached(hx_flip_main, flipper);
    if (rc != 0) {
        munmap(flipper->map.base, flipper->map.len);
        free(flipper);
        return -rc;
    }
    return 0;
}

/* What a futex-storm thread needs; freed by the thread. */
struct hx_storm {
    struct hx_mapping map;
    struct timespec until;
};

static void *hx_storm_main(void *arg)
{
    struct hx_storm *storm = arg;
    /* The client's futex word: the first word of the event page, the last
     * page of the mapping. */
    uint32_t *word = (uint32_t *)(void *)(storm->map.base + storm->map.len - HX_PAGE_SIZE);
    do {
        for (int i = 0; i < 256; i++) {
            __atomic_fetch_add(word, 1u, __ATOMIC_SEQ_CST);
            /* A shared futex (no FUTEX_PRIVATE_FLAG), as the client parks on. */
            syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
        }
    } while (!hx_reached(&storm->until));
    munmap(storm->map.base, storm->map.len);
    free(storm);
    return NULL;
}

int hx_futex_storm(int duration_ms)
{
    if (duration_ms < 0) {
        return -EINVAL;
    }
    struct hx_storm *storm = malloc(sizeof *storm);
    if (storm == NULL) {
        return -ENOMEM;
    }
    /* The event page is the mapping's last page: check that there is one
     * beyond the control page. */
    int rc = hx_map_ring(HX_PAGE_SIZE, HX_PAGE_SIZE, &storm->map);
    if (rc != 0) {
        free(storm);
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &storm->until);
    storm->until.tv_sec += duration_ms / 1000;
    storm->until.tv_nsec += (long)(duration_ms % 1000) * 1000000L;
    if (storm->until.tv_nsec >= 1000000000L) {
        storm->until.tv_sec += 1;
        storm->until.tv_nsec -= 1000000000L;
    }
    rc = hx_start_detached(hx_storm_main, storm);
    if (rc != 0) {
        munmap(storm->map.base, storm->map.len);
        free(storm);
        return -rc;
    }
    return 0;
}

static int events_freed;

int hx_event_make(int mode, hx_event *out) {
    static const char not_utf8[] = "\xff\xfe";
    switch (mode) {
    case 0:
        out->kind = HX_EV_TEXT;
        out->u.text.text = strdup("hello");
        break;
    case 1:
        out->kind = (hx_event_kind)7;
        break;
    case 2:
        out->kind = HX_EV_TEXT;
        out->u.text.text = strdup(not_utf8);
        break;
    case 3:
    case 4:
        out->kind = HX_EV_BYTES;
        out->u.bytes.data = malloc(3);
        if (out->u.bytes.data) {
            memcpy(out->u.bytes.data, "\x01\x02\x03", 3);
        }
        out->u.bytes.len = mode == 3 ? 3 : (size_t)1 << 62;
        break;
    default:
        out->kind = HX_EV_TEXT;
        out->u.text.text = NULL;
        break;
    }
    return 1;
}

void hx_event_free(hx_event *ev) {
    events_freed++;
    if (ev->kind == HX_EV_TEXT) {
        free(ev->u.text.text);
    } else if (ev->kind == HX_EV_BYTES) {
        free(ev->u.bytes.data);
    }
    memset(ev, 0, sizeof *ev);
}

int hx_events_freed(void) { return events_freed; }

const hx_event *hx_event_static(int mode) {
    static char text[] = "static";
    static hx_event kept = {HX_EV_TEXT, {{text}}};
    static hx_event lying = {(hx_event_kind)9, {{NULL}}};
    switch (mode) {
    case 0:
        return &kept;
    case 2:
        return &lying;
    default:
        return NULL;
    }
}

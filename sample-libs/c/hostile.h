/* hostile: a sample C library that misbehaves on purpose, to test what the
 * Isolated linkage's domain survives. Every function is prefixed `hx_`. Apart
 * from hx_ok, each one crashes, hangs, leaks, tries to escape the sandbox or
 * attacks the shared ring. Only the harmless ones may be called in the
 * caller's own process: hx_ok, hx_sleep_ms, hx_count_fds, hx_list_fds,
 * hx_get_rlimit, hx_flood with a small count, and the ring attacks when
 * descriptor 3 is not a writable regular file. Like vocab, the library is
 * built both as a static archive and as a shared object.
 *
 * Errors are returned as a negative errno value (-EBADF, ...) unless a
 * comment says otherwise. */
#ifndef SAMPLE_HOSTILE_H
#define SAMPLE_HOSTILE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a healthy call ---- */

/* Returns x + 1 (wrapping at INT_MAX). */
int hx_ok(int x);

/* Returns 2 * x (wrapping): a second healthy call, for descriptions that
 * need two of them with different thread safety. */
int hx_twice(int x);

/* ---- crashes ---- */

/* Writes through a NULL pointer: dies of SIGSEGV. Never returns. */
int hx_segfault(void);
/* Calls abort(): dies of SIGABRT. Never returns. */
int hx_abort(void);
/* Recurses without bound, each frame holding a 16 KiB buffer that it touches
 * from the top down (so the guard page is hit, not jumped over): dies of
 * SIGSEGV when the stack runs out. `depth` is the depth of the first call.
 * Never returns. */
int hx_stack_overflow(int depth);
/* raise(SIGKILL). Never returns. */
int hx_kill_self(void);
/* exit(code) in the middle of a call: atexit handlers run, the process ends
 * with status `code`. Never returns. */
int hx_exit(int code);

/* ---- hangs ---- */

/* A busy loop on one CPU. Never returns. */
int hx_loop_forever(void);
/* nanosleep in a loop, one second at a time. Never returns. */
int hx_sleep_forever(void);
/* Sleeps `ms` milliseconds with nanosleep (resumed after signals), then
 * returns `ms`. A negative `ms` sleeps not at all and returns -EINVAL. */
int hx_sleep_ms(int ms);

/* ---- resource exhaustion ---- */

/* Allocates 16 MiB blocks with malloc and writes to every page of each until
 * malloc returns NULL (under RLIMIT_AS; without a limit the kernel's OOM
 * killer is what ends it), then frees them all and returns the number of MiB
 * it obtained (a multiple of 16). */
long hx_alloc_unbounded(void);
/* fork() in a loop; each child calls _exit(0) at once and is not reaped until
 * fork fails. Then reaps every child and returns -errno of the first failed
 * fork (typically -EAGAIN under RLIMIT_NPROC). */
int hx_fork_loop(void);
/* Writes `bytes` bytes to stdout and the same number to stderr, in write()
 * calls of at most 4 KiB (lines of 'x' ending in '\n'). Returns 0, -EINVAL if
 * `bytes` is negative, or -errno of the first failed write. */
int hx_flood(int bytes);
/* Starts a detached pthread that calls sched_yield forever. Returns 0, or the
 * error number pthread_create returned (positive). */
int hx_spawn_spinner(void);

/* ---- escape attempts ---- */

/* open("/etc/passwd", O_RDONLY). Returns the descriptor (left open) or
 * -errno. */
int hx_open_passwd(void);
/* Opens an AF_INET stream socket and connects it to 127.0.0.1:port, then
 * closes it. Returns 0 or -errno (of socket or connect). */
int hx_connect_local(int port);
/* execve("/bin/sh", {"sh", "-c", "true", NULL}, environ). On success the
 * process becomes the shell and exits 0; if execve returns, returns -errno. */
int hx_exec_shell(void);
/* ptrace(PTRACE_ATTACH, getppid()). If the attach succeeds, waits for the
 * parent to stop and detaches again at once. Returns 0 or -errno. */
int hx_ptrace_parent(void);
/* Starts a pthread that calls open("/etc/passwd", O_RDONLY), joins it and
 * returns the thread's result: the descriptor (left open) or -errno; or
 * -(the pthread error) if the thread could not be created or joined. */
int hx_thread_open_passwd(void);

/* ---- inspection ---- */

/* Counts the open descriptors among 0..1023 by trying fcntl(fd, F_GETFD). */
int hx_count_fds(void);
/* Writes the numbers of up to `cap` open descriptors among 0..1023 (found as
 * hx_count_fds does), in increasing order, into `out` (which may be NULL when
 * `cap` is 0 or less). Returns how many are open, which may exceed `cap`. */
int hx_list_fds(int *out, int cap);
/* getrlimit(resource). Returns rlim_max if `want_max` is non-zero, else
 * rlim_cur; RLIM_INFINITY as -1 (a finite limit above LONG_MAX as LONG_MAX);
 * -errno on failure (-EINVAL for an unknown resource). */
long hx_get_rlimit(int resource, int want_max);

/* ---- ring attacks ----
 * The domain finds its shared memory at descriptor 3: a memfd holding the
 * vchan control page at offset 0. Each function below checks its arguments
 * (-EINVAL), fstat()s descriptor 3 (-EBADF when it is not open), requires a
 * regular file (-ENODEV otherwise) whose size holds the bytes to touch
 * (-ERANGE otherwise), and maps the whole of it shared and writable
 * (-errno of mmap, for instance -EACCES when it is open read-only). */

/* Stores the low `width` bytes (1, 2, 4 or 8) of `value`, in native byte
 * order, at byte `offset` of the mapping, as one store when `offset` is a
 * multiple of `width`. Returns 0 or -errno. */
int hx_ring_poke(int offset, int width, unsigned long long value);
/* Maps the memory now, then starts a detached thread that sleeps `delay_us`
 * microseconds and does the same store as hx_ring_poke, so that it lands
 * after the current reply was published. Returns 0 or -errno (also for a
 * failed pthread_create, or a negative `delay_us`). */
int hx_ring_poke_later(int offset, int width, unsigned long long value, int delay_us);
/* Maps the memory now, then starts a detached thread that XORs the byte at
 * `offset` with 0xff over and over for `duration_ms` milliseconds (a
 * double-fetch attacker), ending on an even number of flips so that the byte
 * is left as it was. Returns 0 or -errno. */
int hx_ring_flip_loop(int offset, int duration_ms);
/* Maps the memory now, then starts a detached thread that, for
 * `duration_ms` milliseconds, increments the client's futex word (the first
 * 32-bit word of the mapping's last page, the event page) and calls
 * FUTEX_WAKE on it, over and over, without writing anything into the ring:
 * wake-ups that bring no data. The mapping must hold at least two pages
 * (-ERANGE otherwise). Returns 0 or -errno. */
int hx_futex_storm(int duration_ms);

/* A struct with a tag, a union and pointer fields, written by a library that
 * lies in it on request. */
typedef enum { HX_EV_NONE = 0, HX_EV_TEXT = 1, HX_EV_BYTES = 2 } hx_event_kind;
typedef struct {
    hx_event_kind kind;
    union {
        struct { char *text; } text;
        struct { unsigned char *data; size_t len; } bytes;
    } u;
} hx_event;
/* Fills `out` (malloc'd pointers), by `mode`: 0 the text "hello", 1 a kind
 * no enumerator has (7), 2 text that is not UTF-8, 3 the bytes {1, 2, 3},
 * 4 bytes with a length no allocation has (2^62), 5 a NULL text. Returns 1. */
int hx_event_make(int mode, hx_event *out);
/* Frees what hx_event_make allocated and counts the call. */
void hx_event_free(hx_event *ev);
/* How many times hx_event_free ran. */
int hx_events_freed(void);
/* An event the library keeps: by `mode`, 0 the text "static", 1 NULL, 2 one
 * whose kind no enumerator has. */
const hx_event *hx_event_static(int mode);

#ifdef __cplusplus
}
#endif

#endif /* SAMPLE_HOSTILE_H */

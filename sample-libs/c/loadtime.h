/* loadtime: a sample C library whose load-time code attacks the process it
 * is loaded into, to test that an isolated domain is confined before any of
 * the library's code runs. Every name is prefixed `hl_`.
 *
 * The attack itself is hl_attack_from_env(): the library's load-time hooks
 * (a constructor and an .init_array entry, in tests/c/loadtime_hooks.c,
 * linked only into the loadtime domain) call it before main(). It reads the
 * process's own environment:
 *
 *   HL_HOOK    which hook attacks: "constructor" or "init_array";
 *   HL_ATTACK  what it attempts (below);
 *   HL_ARG     the attack's argument (a path, a pid, "pid:address", a port).
 *
 * Attacks: "write_file" (create HL_ARG and write to it), "read_env" (read
 * /proc/HL_ARG/environ), "write_mem" (open /proc/PID/mem read-write and write
 * 8 bytes at ADDRESS), "vm_write" (process_vm_writev the same 8 bytes),
 * "connect" (TCP to 127.0.0.1:HL_ARG), "fork" (a child that outlives its
 * parent), "exec" (/bin/sh), "ptrace" (attach to pid HL_ARG), "kill" (SIGTERM
 * to pid HL_ARG), "rewrite_policy" (sets FFI_ISOLATE_POLICY and
 * FFI_ISOLATE_LOCKDOWN to a policy that allows everything), "arena_write"
 * (write access to the memfd at descriptor HL_ARG by a writable mapping,
 * mprotect and write: the result is how many worked). The result (0 or
 * -errno of the first failing step) is kept for hl_result().
 *
 * Errors are returned as -errno. */
#ifndef SAMPLE_LOADTIME_H
#define SAMPLE_LOADTIME_H

#ifdef __cplusplus
extern "C" {
#endif

/* Runs the attack HL_ATTACK names, if the hook HL_HOOK names is `hook`. */
void hl_attack_from_env(const char *hook);
/* Which attack ran at load time (1) or none (0). */
int hl_attacked(void);
/* The result of the load-time attack: 0 or -errno. */
int hl_result(void);
/* read(fd, one byte): the bytes read (0 at the end) or -errno. */
int hl_read_fd(int fd);
/* open(path, O_RDONLY): the descriptor (left open) or -errno. */
int hl_open(const char *path);
/* Opens and closes `path` `n` times; returns how many opens succeeded, or
 * -errno of the first that failed. */
int hl_open_loop(const char *path, int n);
/* Writes `text` and a newline to stderr; returns 0 or -errno. */
int hl_say(const char *text);
/* Starts up to `n` threads with raw clone(), each on a 16 KiB stack, that
 * spin forever; returns how many it started before clone failed. */
int hl_spin_threads(int n);

#ifdef __cplusplus
}
#endif

#endif /* SAMPLE_LOADTIME_H */

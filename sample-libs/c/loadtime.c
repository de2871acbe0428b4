/* loadtime: see loadtime.h. */
#define _GNU_SOURCE
#include "loadtime.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int attacked;
static int result;

static int fail(void) { return -errno; }

static int write_file(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail();
    ssize_t n = write(fd, "escaped\n", 8);
    close(fd);
    return n == 8 ? 0 : fail();
}

static int read_env(const char *pid) {
    char path[64];
    char buf[4096];
    strcpy(path, "/proc/");
    strncat(path, pid, 20);
    strcat(path, "/environ");
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail();
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n >= 0 ? 0 : fail();
}

/* "pid:address" */
static int parse_target(const char *arg, long *pid, unsigned long long *addr) {
    char *end;
    *pid = strtol(arg, &end, 10);
    if (*end != ':') return -EINVAL;
    *addr = strtoull(end + 1, &end, 0);
    return *end ? -EINVAL : 0;
}

static const uint64_t OWNED = 0x0bad0bad0bad0badULL;

static int write_mem(const char *arg) {
    long pid;
    unsigned long long addr;
    if (parse_target(arg, &pid, &addr)) return -EINVAL;
    char path[64];
    char num[24];
    char *p = num + sizeof num;
    *--p = 0;
    do { *--p = (char)('0' + pid % 10); pid /= 10; } while (pid);
    strcpy(path, "/proc/");
    strcat(path, p);
    strcat(path, "/mem");
    int fd = open(path, O_RDWR);
    if (fd < 0) return fail();
    ssize_t n = pwrite(fd, &OWNED, sizeof OWNED, (off_t)addr);
    close(fd);
    return n == (ssize_t)sizeof OWNED ? 0 : fail();
}

static int vm_write(const char *arg) {
    long pid;
    unsigned long long addr;
    if (parse_target(arg, &pid, &addr)) return -EINVAL;
    struct iovec local = {(void *)&OWNED, sizeof OWNED};
    struct iovec remote = {(void *)(uintptr_t)addr, sizeof OWNED};
    ssize_t n = process_vm_writev((pid_t)pid, &local, 1, &remote, 1, 0);
    return n == (ssize_t)sizeof OWNED ? 0 : fail();
}

/* Tries to get write access to the memfd at descriptor `arg` (the shared
 * arena, before the domain's main maps it): a writable shared mapping,
 * mprotect of a read-only one to writable, write. Returns how many worked
 * (0 when the seals hold), or -errno when it cannot even be mapped to read. */
static int arena_write(const char *arg) {
    int fd = atoi(arg);
    int won = 0;
    void *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (rw != MAP_FAILED) {
        memset(rw, 0xee, 4096);
        won++;
    }
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    if (ro == MAP_FAILED) return fail();
    if (mprotect(ro, 4096, PROT_READ | PROT_WRITE) == 0) {
        memset(ro, 0xee, 4096);
        won++;
    }
    munmap(ro, 4096);
    if (write(fd, "\xee", 1) > 0) won++;
    return won;
}

static int connect_local(const char *port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return fail();
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(s, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    close(s);
    return rc == 0 ? 0 : -e;
}

static int fork_outliving(void) {
    pid_t child = fork();
    if (child < 0) return fail();
    if (child == 0) {
        for (;;) pause();
    }
    return 0;
}

static int exec_shell(void) {
    char *argv[] = {"sh", "-c", "true", NULL};
    execve("/bin/sh", argv, NULL);
    return fail();
}

static int rewrite_policy(void) {
    if (setenv("FFI_ISOLATE_POLICY", "as=;nofile=1024;core=0;cpu=;threads=1;landlock=0;"
               "extra=2,41,42,56,57,59,101,257", 1) != 0)
        return fail();
    if (setenv("FFI_ISOLATE_LOCKDOWN", "", 1) != 0) return fail();
    return 0;
}

void hl_attack_from_env(const char *hook) {
    const char *want = getenv("HL_HOOK");
    const char *attack = getenv("HL_ATTACK");
    const char *arg = getenv("HL_ARG");
    if (!want || !attack || strcmp(want, hook) != 0) return;
    if (!arg) arg = "";
    attacked = 1;
    if (!strcmp(attack, "write_file")) result = write_file(arg);
    else if (!strcmp(attack, "read_env")) result = read_env(arg);
    else if (!strcmp(attack, "write_mem")) result = write_mem(arg);
    else if (!strcmp(attack, "vm_write")) result = vm_write(arg);
    else if (!strcmp(attack, "connect")) result = connect_local(arg);
    else if (!strcmp(attack, "arena_write")) result = arena_write(arg);
    else if (!strcmp(attack, "fork")) result = fork_outliving();
    else if (!strcmp(attack, "exec")) result = exec_shell();
    else if (!strcmp(attack, "ptrace"))
        result = ptrace(PTRACE_ATTACH, (pid_t)atol(arg), NULL, NULL) == 0 ? 0 : fail();
    else if (!strcmp(attack, "kill")) result = kill((pid_t)atol(arg), SIGTERM) == 0 ? 0 : fail();
    else if (!strcmp(attack, "rewrite_policy")) result = rewrite_policy();
    else result = -EINVAL;
}

int hl_attacked(void) { return attacked; }

int hl_result(void) { return result; }

int hl_read_fd(int fd) {
    char c;
    ssize_t n = read(fd, &c, 1);
    return n < 0 ? fail() : (int)n;
}

int hl_open(const char *path) {
    int fd = open(path, O_RDONLY);
    return fd < 0 ? fail() : fd;
}

int hl_open_loop(const char *path, int n) {
    for (int i = 0; i < n; i++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) return fail();
        close(fd);
    }
    return n;
}

int hl_say(const char *text) {
    size_t len = strlen(text);
    if (write(2, text, len) != (ssize_t)len || write(2, "\n", 1) != 1) return fail();
    return 0;
}

static int spin(void *unused) {
    (void)unused;
    for (;;) {
    }
    return 0;
}

int hl_spin_threads(int n) {
    int started = 0;
    for (int i = 0; i < n; i++) {
        int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                    CLONE_SYSVSEM;
        /* A small stack of its own (glibc's clone pops the function off
         * it), never freed: the thread never ends. */
        enum { STACK = 16 * 1024 };
        char *stack = malloc(STACK);
        if (!stack) break;
        if (clone(spin, stack + STACK, flags, NULL) < 0) {
            free(stack);
            break;
        }
        started++;
    }
    return started;
}

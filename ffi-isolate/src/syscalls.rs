//! Names of the x86_64 system calls, for reporting a refused one.
//!
//! When the seccomp filter refuses a call, the domain reports it by name. The
//! filter sees every number a thread can issue under `AUDIT_ARCH_X86_64`: the
//! native ABI and x32, whose numbers carry [`X32_SYSCALL_BIT`]. So this table
//! covers both ABIs in full; a number missing here would only be reported as
//! `syscall N`.
//!
//! Numbers and ABI tags follow the kernel's
//! `arch/x86/entry/syscalls/syscall_64.tbl`: a `common` call exists in both
//! ABIs under the same number (with the bit set for x32), an `only64` call is
//! native only, and 512..=547 are x32-only entries. An x32 call is named
//! `"x32 <name>"`, so callers can tell the ABIs apart.

/// The bit that marks an x32 system call number (`__X32_SYSCALL_BIT`).
const X32_SYSCALL_BIT: i64 = 0x4000_0000;

/// One native x86_64 system call.
struct Syscall {
    nr: i64,
    name: &'static str,
    /// Its name as an x32 call, when it is one (`common` in the kernel table).
    x32: Option<&'static str>,
}

/// `common` rows are in both ABIs, `only64` rows in the native one only.
#[cfg(target_arch = "x86_64")]
macro_rules! syscalls {
    ($($abi:ident $nr:expr => $name:literal,)*) => {
        &[$(Syscall { nr: $nr, name: $name, x32: x32_name!($abi $name) },)*]
    };
}

#[cfg(target_arch = "x86_64")]
macro_rules! x32_name {
    (common $name:literal) => {
        Some(concat!("x32 ", $name))
    };
    (only64 $name:literal) => {
        None
    };
}

/// The native table, by number. Bare numbers are calls that libc 0.2.191
/// does not define, with the kernel release that added them.
#[cfg(target_arch = "x86_64")]
const X86_64: &[Syscall] = syscalls![
    common libc::SYS_read => "read",
    common libc::SYS_write => "write",
    common libc::SYS_open => "open",
    common libc::SYS_close => "close",
    common libc::SYS_stat => "stat",
    common libc::SYS_fstat => "fstat",
    common libc::SYS_lstat => "lstat",
    common libc::SYS_poll => "poll",
    common libc::SYS_lseek => "lseek",
    common libc::SYS_mmap => "mmap",
    common libc::SYS_mprotect => "mprotect",
    common libc::SYS_munmap => "munmap",
    common libc::SYS_brk => "brk",
    only64 libc::SYS_rt_sigaction => "rt_sigaction",
    common libc::SYS_rt_sigprocmask => "rt_sigprocmask",
    only64 libc::SYS_rt_sigreturn => "rt_sigreturn",
    only64 libc::SYS_ioctl => "ioctl",
    common libc::SYS_pread64 => "pread64",
    common libc::SYS_pwrite64 => "pwrite64",
    only64 libc::SYS_readv => "readv",
    only64 libc::SYS_writev => "writev",
    common libc::SYS_access => "access",
    common libc::SYS_pipe => "pipe",
    common libc::SYS_select => "select",
    common libc::SYS_sched_yield => "sched_yield",
    common libc::SYS_mremap => "mremap",
    common libc::SYS_msync => "msync",
    common libc::SYS_mincore => "mincore",
    common libc::SYS_madvise => "madvise",
    common libc::SYS_shmget => "shmget",
    common libc::SYS_shmat => "shmat",
    common libc::SYS_shmctl => "shmctl",
    common libc::SYS_dup => "dup",
    common libc::SYS_dup2 => "dup2",
    common libc::SYS_pause => "pause",
    common libc::SYS_nanosleep => "nanosleep",
    common libc::SYS_getitimer => "getitimer",
    common libc::SYS_alarm => "alarm",
    common libc::SYS_setitimer => "setitimer",
    common libc::SYS_getpid => "getpid",
    common libc::SYS_sendfile => "sendfile",
    common libc::SYS_socket => "socket",
    common libc::SYS_connect => "connect",
    common libc::SYS_accept => "accept",
    common libc::SYS_sendto => "sendto",
    only64 libc::SYS_recvfrom => "recvfrom",
    only64 libc::SYS_sendmsg => "sendmsg",
    only64 libc::SYS_recvmsg => "recvmsg",
    common libc::SYS_shutdown => "shutdown",
    common libc::SYS_bind => "bind",
    common libc::SYS_listen => "listen",
    common libc::SYS_getsockname => "getsockname",
    common libc::SYS_getpeername => "getpeername",
    common libc::SYS_socketpair => "socketpair",
    only64 libc::SYS_setsockopt => "setsockopt",
    only64 libc::SYS_getsockopt => "getsockopt",
    common libc::SYS_clone => "clone",
    common libc::SYS_fork => "fork",
    common libc::SYS_vfork => "vfork",
    only64 libc::SYS_execve => "execve",
    common libc::SYS_exit => "exit",
    common libc::SYS_wait4 => "wait4",
    common libc::SYS_kill => "kill",
    common libc::SYS_uname => "uname",
    common libc::SYS_semget => "semget",
    common libc::SYS_semop => "semop",
    common libc::SYS_semctl => "semctl",
    common libc::SYS_shmdt => "shmdt",
    common libc::SYS_msgget => "msgget",
    common libc::SYS_msgsnd => "msgsnd",
    common libc::SYS_msgrcv => "msgrcv",
    common libc::SYS_msgctl => "msgctl",
    common libc::SYS_fcntl => "fcntl",
    common libc::SYS_flock => "flock",
    common libc::SYS_fsync => "fsync",
    common libc::SYS_fdatasync => "fdatasync",
    common libc::SYS_truncate => "truncate",
    common libc::SYS_ftruncate => "ftruncate",
    common libc::SYS_getdents => "getdents",
    common libc::SYS_getcwd => "getcwd",
    common libc::SYS_chdir => "chdir",
    common libc::SYS_fchdir => "fchdir",
    common libc::SYS_rename => "rename",
    common libc::SYS_mkdir => "mkdir",
    common libc::SYS_rmdir => "rmdir",
    common libc::SYS_creat => "creat",
    common libc::SYS_link => "link",
    common libc::SYS_unlink => "unlink",
    common libc::SYS_symlink => "symlink",
    common libc::SYS_readlink => "readlink",
    common libc::SYS_chmod => "chmod",
    common libc::SYS_fchmod => "fchmod",
    common libc::SYS_chown => "chown",
    common libc::SYS_fchown => "fchown",
    common libc::SYS_lchown => "lchown",
    common libc::SYS_umask => "umask",
    common libc::SYS_gettimeofday => "gettimeofday",
    common libc::SYS_getrlimit => "getrlimit",
    common libc::SYS_getrusage => "getrusage",
    common libc::SYS_sysinfo => "sysinfo",
    common libc::SYS_times => "times",
    only64 libc::SYS_ptrace => "ptrace",
    common libc::SYS_getuid => "getuid",
    common libc::SYS_syslog => "syslog",
    common libc::SYS_getgid => "getgid",
    common libc::SYS_setuid => "setuid",
    common libc::SYS_setgid => "setgid",
    common libc::SYS_geteuid => "geteuid",
    common libc::SYS_getegid => "getegid",
    common libc::SYS_setpgid => "setpgid",
    common libc::SYS_getppid => "getppid",
    common libc::SYS_getpgrp => "getpgrp",
    common libc::SYS_setsid => "setsid",
    common libc::SYS_setreuid => "setreuid",
    common libc::SYS_setregid => "setregid",
    common libc::SYS_getgroups => "getgroups",
    common libc::SYS_setgroups => "setgroups",
    common libc::SYS_setresuid => "setresuid",
    common libc::SYS_getresuid => "getresuid",
    common libc::SYS_setresgid => "setresgid",
    common libc::SYS_getresgid => "getresgid",
    common libc::SYS_getpgid => "getpgid",
    common libc::SYS_setfsuid => "setfsuid",
    common libc::SYS_setfsgid => "setfsgid",
    common libc::SYS_getsid => "getsid",
    common libc::SYS_capget => "capget",
    common libc::SYS_capset => "capset",
    only64 libc::SYS_rt_sigpending => "rt_sigpending",
    only64 libc::SYS_rt_sigtimedwait => "rt_sigtimedwait",
    only64 libc::SYS_rt_sigqueueinfo => "rt_sigqueueinfo",
    common libc::SYS_rt_sigsuspend => "rt_sigsuspend",
    only64 libc::SYS_sigaltstack => "sigaltstack",
    common libc::SYS_utime => "utime",
    common libc::SYS_mknod => "mknod",
    only64 libc::SYS_uselib => "uselib",
    common libc::SYS_personality => "personality",
    common libc::SYS_ustat => "ustat",
    common libc::SYS_statfs => "statfs",
    common libc::SYS_fstatfs => "fstatfs",
    common libc::SYS_sysfs => "sysfs",
    common libc::SYS_getpriority => "getpriority",
    common libc::SYS_setpriority => "setpriority",
    common libc::SYS_sched_setparam => "sched_setparam",
    common libc::SYS_sched_getparam => "sched_getparam",
    common libc::SYS_sched_setscheduler => "sched_setscheduler",
    common libc::SYS_sched_getscheduler => "sched_getscheduler",
    common libc::SYS_sched_get_priority_max => "sched_get_priority_max",
    common libc::SYS_sched_get_priority_min => "sched_get_priority_min",
    common libc::SYS_sched_rr_get_interval => "sched_rr_get_interval",
    common libc::SYS_mlock => "mlock",
    common libc::SYS_munlock => "munlock",
    common libc::SYS_mlockall => "mlockall",
    common libc::SYS_munlockall => "munlockall",
    common libc::SYS_vhangup => "vhangup",
    common libc::SYS_modify_ldt => "modify_ldt",
    common libc::SYS_pivot_root => "pivot_root",
    only64 libc::SYS__sysctl => "_sysctl",
    common libc::SYS_prctl => "prctl",
    common libc::SYS_arch_prctl => "arch_prctl",
    common libc::SYS_adjtimex => "adjtimex",
    common libc::SYS_setrlimit => "setrlimit",
    common libc::SYS_chroot => "chroot",
    common libc::SYS_sync => "sync",
    common libc::SYS_acct => "acct",
    common libc::SYS_settimeofday => "settimeofday",
    common libc::SYS_mount => "mount",
    common libc::SYS_umount2 => "umount2",
    common libc::SYS_swapon => "swapon",
    common libc::SYS_swapoff => "swapoff",
    common libc::SYS_reboot => "reboot",
    common libc::SYS_sethostname => "sethostname",
    common libc::SYS_setdomainname => "setdomainname",
    common libc::SYS_iopl => "iopl",
    common libc::SYS_ioperm => "ioperm",
    only64 174 => "create_module", // unimplemented since 2.6
    common libc::SYS_init_module => "init_module",
    common libc::SYS_delete_module => "delete_module",
    only64 177 => "get_kernel_syms", // unimplemented since 2.6
    only64 178 => "query_module", // unimplemented since 2.6
    common libc::SYS_quotactl => "quotactl",
    only64 libc::SYS_nfsservctl => "nfsservctl",
    common libc::SYS_getpmsg => "getpmsg",
    common libc::SYS_putpmsg => "putpmsg",
    common libc::SYS_afs_syscall => "afs_syscall",
    common libc::SYS_tuxcall => "tuxcall",
    common libc::SYS_security => "security",
    common libc::SYS_gettid => "gettid",
    common libc::SYS_readahead => "readahead",
    common libc::SYS_setxattr => "setxattr",
    common libc::SYS_lsetxattr => "lsetxattr",
    common libc::SYS_fsetxattr => "fsetxattr",
    common libc::SYS_getxattr => "getxattr",
    common libc::SYS_lgetxattr => "lgetxattr",
    common libc::SYS_fgetxattr => "fgetxattr",
    common libc::SYS_listxattr => "listxattr",
    common libc::SYS_llistxattr => "llistxattr",
    common libc::SYS_flistxattr => "flistxattr",
    common libc::SYS_removexattr => "removexattr",
    common libc::SYS_lremovexattr => "lremovexattr",
    common libc::SYS_fremovexattr => "fremovexattr",
    common libc::SYS_tkill => "tkill",
    common libc::SYS_time => "time",
    common libc::SYS_futex => "futex",
    common libc::SYS_sched_setaffinity => "sched_setaffinity",
    common libc::SYS_sched_getaffinity => "sched_getaffinity",
    only64 libc::SYS_set_thread_area => "set_thread_area",
    only64 libc::SYS_io_setup => "io_setup",
    common libc::SYS_io_destroy => "io_destroy",
    common libc::SYS_io_getevents => "io_getevents",
    only64 libc::SYS_io_submit => "io_submit",
    common libc::SYS_io_cancel => "io_cancel",
    only64 libc::SYS_get_thread_area => "get_thread_area",
    common libc::SYS_lookup_dcookie => "lookup_dcookie",
    common libc::SYS_epoll_create => "epoll_create",
    only64 libc::SYS_epoll_ctl_old => "epoll_ctl_old",
    only64 libc::SYS_epoll_wait_old => "epoll_wait_old",
    common libc::SYS_remap_file_pages => "remap_file_pages",
    common libc::SYS_getdents64 => "getdents64",
    common libc::SYS_set_tid_address => "set_tid_address",
    common libc::SYS_restart_syscall => "restart_syscall",
    common libc::SYS_semtimedop => "semtimedop",
    common libc::SYS_fadvise64 => "fadvise64",
    only64 libc::SYS_timer_create => "timer_create",
    common libc::SYS_timer_settime => "timer_settime",
    common libc::SYS_timer_gettime => "timer_gettime",
    common libc::SYS_timer_getoverrun => "timer_getoverrun",
    common libc::SYS_timer_delete => "timer_delete",
    common libc::SYS_clock_settime => "clock_settime",
    common libc::SYS_clock_gettime => "clock_gettime",
    common libc::SYS_clock_getres => "clock_getres",
    common libc::SYS_clock_nanosleep => "clock_nanosleep",
    common libc::SYS_exit_group => "exit_group",
    common libc::SYS_epoll_wait => "epoll_wait",
    common libc::SYS_epoll_ctl => "epoll_ctl",
    common libc::SYS_tgkill => "tgkill",
    common libc::SYS_utimes => "utimes",
    only64 libc::SYS_vserver => "vserver",
    common libc::SYS_mbind => "mbind",
    common libc::SYS_set_mempolicy => "set_mempolicy",
    common libc::SYS_get_mempolicy => "get_mempolicy",
    common libc::SYS_mq_open => "mq_open",
    common libc::SYS_mq_unlink => "mq_unlink",
    common libc::SYS_mq_timedsend => "mq_timedsend",
    common libc::SYS_mq_timedreceive => "mq_timedreceive",
    only64 libc::SYS_mq_notify => "mq_notify",
    common libc::SYS_mq_getsetattr => "mq_getsetattr",
    only64 libc::SYS_kexec_load => "kexec_load",
    only64 libc::SYS_waitid => "waitid",
    common libc::SYS_add_key => "add_key",
    common libc::SYS_request_key => "request_key",
    common libc::SYS_keyctl => "keyctl",
    common libc::SYS_ioprio_set => "ioprio_set",
    common libc::SYS_ioprio_get => "ioprio_get",
    common libc::SYS_inotify_init => "inotify_init",
    common libc::SYS_inotify_add_watch => "inotify_add_watch",
    common libc::SYS_inotify_rm_watch => "inotify_rm_watch",
    common libc::SYS_migrate_pages => "migrate_pages",
    common libc::SYS_openat => "openat",
    common libc::SYS_mkdirat => "mkdirat",
    common libc::SYS_mknodat => "mknodat",
    common libc::SYS_fchownat => "fchownat",
    common libc::SYS_futimesat => "futimesat",
    common libc::SYS_newfstatat => "newfstatat",
    common libc::SYS_unlinkat => "unlinkat",
    common libc::SYS_renameat => "renameat",
    common libc::SYS_linkat => "linkat",
    common libc::SYS_symlinkat => "symlinkat",
    common libc::SYS_readlinkat => "readlinkat",
    common libc::SYS_fchmodat => "fchmodat",
    common libc::SYS_faccessat => "faccessat",
    common libc::SYS_pselect6 => "pselect6",
    common libc::SYS_ppoll => "ppoll",
    common libc::SYS_unshare => "unshare",
    only64 libc::SYS_set_robust_list => "set_robust_list",
    only64 libc::SYS_get_robust_list => "get_robust_list",
    common libc::SYS_splice => "splice",
    common libc::SYS_tee => "tee",
    common libc::SYS_sync_file_range => "sync_file_range",
    only64 libc::SYS_vmsplice => "vmsplice",
    only64 libc::SYS_move_pages => "move_pages",
    common libc::SYS_utimensat => "utimensat",
    common libc::SYS_epoll_pwait => "epoll_pwait",
    common libc::SYS_signalfd => "signalfd",
    common libc::SYS_timerfd_create => "timerfd_create",
    common libc::SYS_eventfd => "eventfd",
    common libc::SYS_fallocate => "fallocate",
    common libc::SYS_timerfd_settime => "timerfd_settime",
    common libc::SYS_timerfd_gettime => "timerfd_gettime",
    common libc::SYS_accept4 => "accept4",
    common libc::SYS_signalfd4 => "signalfd4",
    common libc::SYS_eventfd2 => "eventfd2",
    common libc::SYS_epoll_create1 => "epoll_create1",
    common libc::SYS_dup3 => "dup3",
    common libc::SYS_pipe2 => "pipe2",
    common libc::SYS_inotify_init1 => "inotify_init1",
    only64 libc::SYS_preadv => "preadv",
    only64 libc::SYS_pwritev => "pwritev",
    only64 libc::SYS_rt_tgsigqueueinfo => "rt_tgsigqueueinfo",
    common libc::SYS_perf_event_open => "perf_event_open",
    only64 libc::SYS_recvmmsg => "recvmmsg",
    common libc::SYS_fanotify_init => "fanotify_init",
    common libc::SYS_fanotify_mark => "fanotify_mark",
    common libc::SYS_prlimit64 => "prlimit64",
    common libc::SYS_name_to_handle_at => "name_to_handle_at",
    common libc::SYS_open_by_handle_at => "open_by_handle_at",
    common libc::SYS_clock_adjtime => "clock_adjtime",
    common libc::SYS_syncfs => "syncfs",
    only64 libc::SYS_sendmmsg => "sendmmsg",
    common libc::SYS_setns => "setns",
    common libc::SYS_getcpu => "getcpu",
    only64 libc::SYS_process_vm_readv => "process_vm_readv",
    only64 libc::SYS_process_vm_writev => "process_vm_writev",
    common libc::SYS_kcmp => "kcmp",
    common libc::SYS_finit_module => "finit_module",
    common libc::SYS_sched_setattr => "sched_setattr",
    common libc::SYS_sched_getattr => "sched_getattr",
    common libc::SYS_renameat2 => "renameat2",
    common libc::SYS_seccomp => "seccomp",
    common libc::SYS_getrandom => "getrandom",
    common libc::SYS_memfd_create => "memfd_create",
    common libc::SYS_kexec_file_load => "kexec_file_load",
    common libc::SYS_bpf => "bpf",
    only64 libc::SYS_execveat => "execveat",
    common libc::SYS_userfaultfd => "userfaultfd",
    common libc::SYS_membarrier => "membarrier",
    common libc::SYS_mlock2 => "mlock2",
    common libc::SYS_copy_file_range => "copy_file_range",
    only64 libc::SYS_preadv2 => "preadv2",
    only64 libc::SYS_pwritev2 => "pwritev2",
    common libc::SYS_pkey_mprotect => "pkey_mprotect",
    common libc::SYS_pkey_alloc => "pkey_alloc",
    common libc::SYS_pkey_free => "pkey_free",
    common libc::SYS_statx => "statx",
    common 333 => "io_pgetevents", // Linux 4.18
    common libc::SYS_rseq => "rseq",
    common 335 => "uretprobe", // Linux 6.11
    common 336 => "uprobe", // Linux 6.18
    // 337..=423: never assigned. Calls added since Linux 5.1 take the same
    // number on every architecture, starting at 424.
    common libc::SYS_pidfd_send_signal => "pidfd_send_signal",
    common libc::SYS_io_uring_setup => "io_uring_setup",
    common libc::SYS_io_uring_enter => "io_uring_enter",
    common libc::SYS_io_uring_register => "io_uring_register",
    common libc::SYS_open_tree => "open_tree",
    common libc::SYS_move_mount => "move_mount",
    common libc::SYS_fsopen => "fsopen",
    common libc::SYS_fsconfig => "fsconfig",
    common libc::SYS_fsmount => "fsmount",
    common libc::SYS_fspick => "fspick",
    common libc::SYS_pidfd_open => "pidfd_open",
    common libc::SYS_clone3 => "clone3",
    common libc::SYS_close_range => "close_range",
    common libc::SYS_openat2 => "openat2",
    common libc::SYS_pidfd_getfd => "pidfd_getfd",
    common libc::SYS_faccessat2 => "faccessat2",
    common libc::SYS_process_madvise => "process_madvise",
    common libc::SYS_epoll_pwait2 => "epoll_pwait2",
    common libc::SYS_mount_setattr => "mount_setattr",
    common libc::SYS_quotactl_fd => "quotactl_fd",
    common libc::SYS_landlock_create_ruleset => "landlock_create_ruleset",
    common libc::SYS_landlock_add_rule => "landlock_add_rule",
    common libc::SYS_landlock_restrict_self => "landlock_restrict_self",
    common libc::SYS_memfd_secret => "memfd_secret",
    common libc::SYS_process_mrelease => "process_mrelease",
    common libc::SYS_futex_waitv => "futex_waitv",
    common libc::SYS_set_mempolicy_home_node => "set_mempolicy_home_node",
    common 451 => "cachestat", // Linux 6.5
    common libc::SYS_fchmodat2 => "fchmodat2",
    common 453 => "map_shadow_stack", // Linux 6.6
    common 454 => "futex_wake", // Linux 6.7
    common 455 => "futex_wait", // Linux 6.7
    common 456 => "futex_requeue", // Linux 6.7
    common 457 => "statmount", // Linux 6.8
    common 458 => "listmount", // Linux 6.8
    common 459 => "lsm_get_self_attr", // Linux 6.8
    common 460 => "lsm_set_self_attr", // Linux 6.8
    common 461 => "lsm_list_modules", // Linux 6.8
    common libc::SYS_mseal => "mseal",
    common 463 => "setxattrat", // Linux 6.13
    common 464 => "getxattrat", // Linux 6.13
    common 465 => "listxattrat", // Linux 6.13
    common 466 => "removexattrat", // Linux 6.13
    common 467 => "open_tree_attr", // Linux 6.15
    common 468 => "file_getattr", // Linux 6.17
    common 469 => "file_setattr", // Linux 6.17
    common 470 => "listns", // Linux 6.19
    common 471 => "rseq_slice_yield", // Linux 7.0
];

/// The x32-only calls (the kernel table's `x32` rows); numbered here without
/// [`X32_SYSCALL_BIT`]. They replace the `only64` calls of the same name.
#[cfg(target_arch = "x86_64")]
const X32_ONLY: &[(i64, &str)] = &[
    (512, "x32 rt_sigaction"),
    (513, "x32 rt_sigreturn"),
    (514, "x32 ioctl"),
    (515, "x32 readv"),
    (516, "x32 writev"),
    (517, "x32 recvfrom"),
    (518, "x32 sendmsg"),
    (519, "x32 recvmsg"),
    (520, "x32 execve"),
    (521, "x32 ptrace"),
    (522, "x32 rt_sigpending"),
    (523, "x32 rt_sigtimedwait"),
    (524, "x32 rt_sigqueueinfo"),
    (525, "x32 sigaltstack"),
    (526, "x32 timer_create"),
    (527, "x32 mq_notify"),
    (528, "x32 kexec_load"),
    (529, "x32 waitid"),
    (530, "x32 set_robust_list"),
    (531, "x32 get_robust_list"),
    (532, "x32 vmsplice"),
    (533, "x32 move_pages"),
    (534, "x32 preadv"),
    (535, "x32 pwritev"),
    (536, "x32 rt_tgsigqueueinfo"),
    (537, "x32 recvmmsg"),
    (538, "x32 sendmmsg"),
    (539, "x32 process_vm_readv"),
    (540, "x32 process_vm_writev"),
    (541, "x32 setsockopt"),
    (542, "x32 getsockopt"),
    (543, "x32 io_setup"),
    (544, "x32 io_submit"),
    (545, "x32 execveat"),
    (546, "x32 preadv2"),
    (547, "x32 pwritev2"),
];

#[cfg(not(target_arch = "x86_64"))]
const X86_64: &[Syscall] = &[];
#[cfg(not(target_arch = "x86_64"))]
const X32_ONLY: &[(i64, &str)] = &[];

/// Every (number, name) pair: native calls, then x32 calls with the bit set.
fn entries() -> impl Iterator<Item = (i64, &'static str)> {
    let native = X86_64.iter().map(|s| (s.nr, s.name));
    let x32 = X86_64
        .iter()
        .filter_map(|s| Some((s.nr | X32_SYSCALL_BIT, s.x32?)));
    let x32_only = X32_ONLY
        .iter()
        .map(|&(nr, name)| (nr | X32_SYSCALL_BIT, name));
    native.chain(x32).chain(x32_only)
}

/// The name of system call `nr` as the seccomp filter sees it (x32 calls
/// have [`X32_SYSCALL_BIT`] set and are named `"x32 <name>"`), or `None` when
/// the kernel assigns no call to `nr`.
pub fn name(nr: u32) -> Option<&'static str> {
    let nr = i64::from(nr);
    entries().find(|&(n, _)| n == nr).map(|(_, name)| name)
}

/// The number of the system call called `name`: `"openat"` gives the native
/// number, `"x32 openat"` the x32 one (with [`X32_SYSCALL_BIT`] set).
pub fn number(name: &str) -> Option<i64> {
    entries().find(|&(_, n)| n == name).map(|(nr, _)| nr)
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    /// Numbers below the highest call that the kernel never assigned.
    const HOLES: std::ops::RangeInclusive<i64> = 337..=423;

    /// The `64` rows of the kernel table: native calls with no x32 twin.
    const ONLY_64: &[i64] = &[
        13, 15, 16, 19, 20, 45, 46, 47, 54, 55, 59, 101, 127, 128, 129, 131, 134, 156, 174, 177,
        178, 180, 205, 206, 209, 211, 214, 215, 222, 236, 244, 246, 247, 273, 274, 278, 279, 295,
        296, 297, 299, 307, 310, 311, 322, 327, 328,
    ];

    fn max() -> i64 {
        X86_64.iter().map(|s| s.nr).max().unwrap()
    }

    fn name_of(nr: i64) -> Option<&'static str> {
        name(u32::try_from(nr).unwrap())
    }

    #[test]
    fn table_is_sorted_without_duplicates() {
        assert!(X86_64.windows(2).all(|w| w[0].nr < w[1].nr));
        assert!(X32_ONLY.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn native_numbers_have_names_except_the_holes() {
        assert_eq!(max(), 471);
        for nr in 0..=max() {
            assert_eq!(name_of(nr).is_none(), HOLES.contains(&nr), "syscall {nr}");
        }
        // The x32-only numbers are not native calls.
        for nr in 512..=547 {
            assert_eq!(name_of(nr), None, "syscall {nr}");
        }
    }

    #[test]
    fn x32_numbers_have_names_except_the_64_bit_only_ones() {
        for nr in 0..=max() {
            let x32 = name_of(nr | X32_SYSCALL_BIT);
            if HOLES.contains(&nr) || ONLY_64.contains(&nr) {
                assert_eq!(x32, None, "x32 syscall {nr}");
            } else {
                let x32 = x32.unwrap_or_else(|| panic!("x32 syscall {nr} has no name"));
                assert_eq!(x32.strip_prefix("x32 "), name_of(nr), "x32 syscall {nr}");
            }
        }
        for nr in 512..=547 {
            let x32 = name_of(nr | X32_SYSCALL_BIT).unwrap();
            let native = x32.strip_prefix("x32 ").unwrap();
            // Each replaces a 64-bit-only call of the same name.
            let replaced = number(native).unwrap();
            assert!(ONLY_64.contains(&replaced), "{x32}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = entries().map(|(_, name)| name).collect();
        let len = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), len);
        // 337 + 48 native, 338 common x32, 36 x32-only.
        assert_eq!(len, 385 + 338 + 36);
    }

    #[test]
    fn names_round_trip() {
        for (nr, name) in entries() {
            assert_eq!(name_of(nr), Some(name));
            assert_eq!(number(name), Some(nr));
        }
        assert_eq!(number("no_such_call"), None);
        assert_eq!(number("x32 execve"), Some(X32_SYSCALL_BIT + 520));
        assert_eq!(number("x32 openat"), Some(X32_SYSCALL_BIT + 257));
    }

    #[test]
    fn spot_values() {
        assert_eq!(name(0), Some("read"));
        assert_eq!(name(2), Some("open"));
        assert_eq!(name(41), Some("socket"));
        assert_eq!(name(56), Some("clone"));
        assert_eq!(name(57), Some("fork"));
        assert_eq!(name(59), Some("execve"));
        assert_eq!(name(101), Some("ptrace"));
        assert_eq!(name(257), Some("openat"));
        assert_eq!(name(310), Some("process_vm_readv"));
        assert_eq!(name(435), Some("clone3"));
        assert_eq!(name(462), Some("mseal"));
        assert_eq!(name(471), Some("rseq_slice_yield"));
        assert_eq!(name(0x4000_0000), Some("x32 read"));
        assert_eq!(name(0x4000_0000 + 257), Some("x32 openat"));
        assert_eq!(name(0x4000_0000 + 59), None);
        assert_eq!(name(0x4000_0000 + 206), None);
        assert_eq!(name(0x4000_0000 + 520), Some("x32 execve"));
        assert_eq!(name(0x4000_0000 + 547), Some("x32 pwritev2"));
        assert_eq!(name(520), None);
        assert_eq!(name(100_000), None);
        assert_eq!(name(u32::MAX), None);
    }
}

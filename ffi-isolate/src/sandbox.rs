//! The sandbox policy, its system-call allowlist, and [`enter`], the
//! sandbox a process applies to itself.
//!
//! A domain that the client launches ([`crate::Domain`],
//! [`crate::domain::Process::spawn_confined`]) does not enter the sandbox
//! itself: the client confines it before it executes ([`crate::confine`]),
//! because the described library's load-time code runs before any `main`.
//! Its filter is this allowlist plus what the dynamic loader needs, and what
//! the allowlist refuses goes to the client's supervisor
//! ([`crate::supervise`]), which also decides every file open.
//!
//! [`enter`] is for a process that has not loaded untrusted code yet and
//! confines itself (the transport's own tests use it). In order it:
//!
//! 1. closes every descriptor except 0, 1, 2 and the ones it is told to keep
//!    (`close_range`, or a walk of `/proc/self/fd` on kernels without it);
//! 2. resets every signal disposition to the default and unblocks all signals
//!    in the calling thread;
//! 3. sets `PR_SET_NO_NEW_PRIVS`;
//! 4. sets `PR_SET_PDEATHSIG(SIGKILL)` and then checks that the parent it was
//!    started by is still its parent (the client passes its pid in
//!    [`PARENT_PID_ENV`]): if the parent died before the signal was armed, the
//!    signal will never come, so the domain must not run on as an orphan;
//! 5. applies the resource limits (address space, open files, no core dumps,
//!    optionally CPU time);
//! 6. installs a `SIGSYS` handler that reports a seccomp violation;
//! 7. applies Landlock, denying all filesystem and network access and (where
//!    the kernel has scoping) signals and abstract sockets outside the domain;
//! 8. installs a seccomp allowlist on **all threads** (`SECCOMP_FILTER_FLAG_TSYNC`).
//!
//! # The allowlist
//!
//! What a C library computing in memory needs, and nothing that reaches
//! outside the process:
//!
//! * unconditionally: [`BASE_ALLOWLIST`] — `read`, `write`, `readv`, `writev`,
//!   `close`, `fstat`, memory management (`brk`, `mmap`, `munmap`, `mremap`,
//!   `mprotect`), `futex`, clocks and sleeping (`clock_gettime`,
//!   `clock_getres`, `clock_nanosleep`, `nanosleep`, `gettimeofday`),
//!   `exit`, `exit_group`, `rt_sigreturn`, `rt_sigprocmask`, `sigaltstack`,
//!   `getpid`, `gettid`, `sched_yield`, `getrandom`, `restart_syscall`;
//! * with a condition on the arguments: `kill` and `tgkill` only aimed at the
//!   domain's own pid (so `abort()` works, signalling anyone else does not);
//!   `ioctl` only with `TCGETS` (glibc's `isatty` while setting up stdio
//!   buffering);
//!   `sched_setaffinity` and `sched_getaffinity` only on the calling thread
//!   (pid 0: a serving thread runs a large bulk call on its caller's CPU); `madvise` only with the advice allocators and thread stacks
//!   use (`MADV_DONTNEED`, `MADV_FREE`, `MADV_HUGEPAGE`, …; not KSM merging,
//!   paging out or removing pages of the shared memory); `newfstatat` only with `AT_EMPTY_PATH` (glibc's `fstat`).
//!   The last one is a deliberate, small leak: a path together with
//!   `AT_EMPTY_PATH` still resolves the path, so the domain can learn the
//!   *metadata* (not the contents) of files it names;
//! * threads, when [`SandboxPolicy::allow_threads`] is set (the default):
//!   `clone` only when its flags contain `CLONE_THREAD` and no namespace flag,
//!   plus `set_robust_list` and `rseq`, which glibc calls in every new
//!   thread, and `sched_getaffinity`, which `pthread_getattr_np` calls with
//!   the thread's tid (Rust's runtime does so in every new thread, glibc's
//!   malloc when a thread first allocates). It cannot be limited to the
//!   domain's own threads, so it leaks which pids exist and their CPU masks.
//!   `clone3` passes its flags in memory that a filter cannot read, so it is
//!   answered with `ENOSYS` (a second, small filter), and glibc falls back to
//!   `clone`. A thread shares the process and inherits the filter, so allowing
//!   threads opens no way out: "fork in a loop" still traps (a `clone` without
//!   `CLONE_THREAD`, `fork`, `vfork`), and a thread that was already running
//!   when the filter went in is covered by TSYNC;
//! * plus [`SandboxPolicy::extra_syscalls`], allowed unconditionally.
//!
//! Everything else — `open`/`openat`, `socket`, `connect`, `execve`, `ptrace`,
//! `fork`, `kill` of another process, `prctl`, `seccomp`, … — returns
//! `SECCOMP_RET_TRAP`: the kernel does not run the call and sends `SIGSYS` to
//! the thread. A syscall of another ABI (i386 `int 0x80`) kills the process
//! outright (seccompiler's architecture check); an x32 syscall number matches
//! no entry and traps.
//!
//! # Reporting a violation
//!
//! The `SIGSYS` handler runs with `SA_SIGINFO` (on the alternate signal stack
//! when the thread has one). It reads the number of the refused syscall from
//! `siginfo_t::si_syscall`: on x86_64, `siginfo_t` is `si_signo`, `si_errno`,
//! `si_code` (three `int`s), 4 bytes of padding, then the union at offset 16;
//! for `SIGSYS` the union is `{ void *_call_addr; int _syscall; unsigned
//! _arch; }`, so `si_syscall` is the `int` at offset **24** (see
//! [`SI_SYSCALL_OFFSET`]). It stores that number plus one into the violation
//! word given to [`enter`] (first violation wins; 0 means "none") and ends the
//! process with `exit_group(`[`VIOLATION_EXIT_CODE`]`)` as a raw syscall: both
//! are async-signal-safe. The client reads the word from shared memory and
//! classifies the exit (see `crate::domain::Termination::classify`).
//!
//! A library that installs its own `SIGSYS` handler (only possible if
//! `rt_sigaction` was added to the allowlist) can hide a violation, but not
//! perform the refused call: the kernel never runs it.

use std::collections::BTreeMap;
use std::ffi::c_void;
use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use libc::c_long;
use seccompiler::{
    apply_filter_all_threads, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp,
    SeccompCondition, SeccompFilter, SeccompRule, TargetArch,
};

/// Name of the environment variable through which the client tells the domain
/// its own pid, for the parent-death race check in [`enter`].
pub const PARENT_PID_ENV: &str = "FFI_ISOLATE_PARENT_PID";

/// Exit code with which the `SIGSYS` handler ends the process after a
/// seccomp violation. It is distinctive but not proof: a hostile library can
/// exit with it too, which only misreports its own death.
pub const VIOLATION_EXIT_CODE: i32 = 159;

/// Byte offset of `si_syscall` inside `siginfo_t` for `SIGSYS` on x86_64:
/// three `int`s and 4 bytes of padding put the union at 16, and in the
/// `_sigsys` member a pointer (`_call_addr`) precedes the `int` `_syscall`.
pub const SI_SYSCALL_OFFSET: usize = 24;

/// `si_code` value of a `SIGSYS` raised by seccomp (`SYS_SECCOMP`).
const SYS_SECCOMP: i32 = 1;

/// Default address-space limit: 2 GiB.
const DEFAULT_ADDRESS_SPACE: u64 = 2 << 30;

/// The syscalls every domain may make, whatever its policy (see the module
/// documentation for the conditional ones and for threads).
pub const BASE_ALLOWLIST: &[c_long] = &[
    libc::SYS_read,
    libc::SYS_write,
    libc::SYS_readv,
    libc::SYS_writev,
    libc::SYS_close,
    libc::SYS_fstat,
    libc::SYS_brk,
    libc::SYS_mmap,
    libc::SYS_munmap,
    libc::SYS_mremap,
    libc::SYS_mprotect,
    libc::SYS_futex,
    libc::SYS_clock_gettime,
    libc::SYS_clock_getres,
    libc::SYS_clock_nanosleep,
    libc::SYS_nanosleep,
    libc::SYS_gettimeofday,
    libc::SYS_exit,
    libc::SYS_exit_group,
    libc::SYS_rt_sigreturn,
    libc::SYS_rt_sigprocmask,
    libc::SYS_sigaltstack,
    libc::SYS_getpid,
    libc::SYS_gettid,
    libc::SYS_sched_yield,
    libc::SYS_getrandom,
    libc::SYS_restart_syscall,
];

/// Syscalls allowed in addition when [`SandboxPolicy::allow_threads`] is set;
/// `clone` is allowed too, but only with `CLONE_THREAD`.
pub const THREAD_SYSCALLS: &[c_long] = &[
    libc::SYS_set_robust_list,
    libc::SYS_rseq,
    libc::SYS_sched_getaffinity,
];

/// What the sandbox allows and limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxPolicy {
    /// `RLIMIT_AS` in bytes (soft and hard), or `None` to leave it alone.
    /// Clamped to the current hard limit.
    pub address_space_limit: Option<u64>,
    /// `RLIMIT_NOFILE` (soft and hard): one more than the highest descriptor
    /// number the domain may create. Clamped to the current hard limit.
    pub max_open_files: u64,
    /// Set `RLIMIT_CORE` to 0 so a crash writes no core file.
    pub disable_core_dumps: bool,
    /// `RLIMIT_CPU` in seconds, or `None` (the default: a long-lived server
    /// accumulates CPU time legitimately).
    pub cpu_time_limit: Option<u64>,
    /// Syscall numbers allowed unconditionally on top of the allowlist
    /// (`libc::SYS_*`, or [`syscall_number`]).
    pub extra_syscalls: Vec<c_long>,
    /// Allow thread creation (`clone` with `CLONE_THREAD`); see the module
    /// documentation.
    pub allow_threads: bool,
    /// Apply Landlock where the kernel supports it. Only for [`enter`]: a
    /// launched domain opens no file itself (the client's supervisor does,
    /// for the paths the policy grants), so Landlock has nothing to add.
    pub landlock: bool,
    /// The pid the domain's parent must have. `None`: read it from
    /// [`PARENT_PID_ENV`]; if that is unset too, the check is skipped (and
    /// [`SandboxReport::parent_checked`] says so). Only for [`enter`]: a
    /// domain the client launches is checked before it executes.
    pub expected_parent: Option<i32>,
    /// The most tasks (the domain's first thread included) the domain may
    /// have at once: `RLIMIT_NPROC` in the domain's own user namespace, so
    /// it counts this domain's tasks alone.
    pub max_tasks: u64,
    /// Files, and directories whose contents, the domain may open for
    /// reading. The client's supervisor opens them on the domain's behalf
    /// (see [`crate::supervise`]); a directory grants what lies beneath it,
    /// never more (`..` and symbolic links out of it are refused).
    pub read_paths: Vec<std::path::PathBuf>,
    /// The same for reading, writing and creating.
    pub write_paths: Vec<std::path::PathBuf>,
    /// What an open of a path the policy does not grant does, once the
    /// domain has loaded.
    pub refused_open: OpenRefusal,
    /// The user and group ids a domain runs as when the client is root (a
    /// client that is not root cannot change them; its domain is its own
    /// user in a user namespace of its own).
    pub run_as: (u32, u32),
    /// Give the domain new user, network and IPC namespaces (no network
    /// interface, its own task count). Turn off only where the kernel
    /// refuses user namespaces; `max_tasks` then counts the whole user's
    /// tasks.
    pub namespaces: bool,
}

/// What an open of a path the policy does not grant does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OpenRefusal {
    /// A violation: the supervisor names it and ends the domain.
    #[default]
    EndDomain,
    /// The open fails with this `errno` (`libc::EACCES`, say), and the C
    /// library goes on: for libraries that open paths their callers name.
    Fail(i32),
}

/// The user and group id of `nobody`.
pub const NOBODY: (u32, u32) = (65534, 65534);

impl Default for SandboxPolicy {
    fn default() -> Self {
        SandboxPolicy {
            address_space_limit: Some(DEFAULT_ADDRESS_SPACE),
            max_open_files: 16,
            disable_core_dumps: true,
            cpu_time_limit: None,
            extra_syscalls: Vec::new(),
            allow_threads: true,
            landlock: true,
            expected_parent: None,
            max_tasks: 32,
            read_paths: Vec::new(),
            write_paths: Vec::new(),
            refused_open: OpenRefusal::EndDomain,
            run_as: NOBODY,
            namespaces: true,
        }
    }
}

/// How far Landlock was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LandlockOutcome {
    /// Every requested restriction is enforced.
    FullyEnforced,
    /// Some restrictions are enforced; the kernel lacks the newer ones.
    PartiallyEnforced,
    /// The kernel has no (enabled) Landlock: nothing was applied. The caller
    /// should log this; seccomp still refuses `open`/`openat`.
    NotEnforced,
    /// The policy did not ask for Landlock.
    Disabled,
}

/// Resource limits as they were set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppliedLimits {
    /// `RLIMIT_AS` (bytes), if set.
    pub address_space: Option<u64>,
    /// `RLIMIT_NOFILE`.
    pub open_files: u64,
    /// `RLIMIT_CORE`, if set.
    pub core: Option<u64>,
    /// `RLIMIT_CPU` (seconds), if set.
    pub cpu_seconds: Option<u64>,
}

/// What [`enter`] did, for the domain to log or report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxReport {
    /// Whether and how far Landlock applies.
    pub landlock: LandlockOutcome,
    /// Whether the parent pid was known and checked after arming the
    /// parent-death signal.
    pub parent_checked: bool,
    /// The limits in force.
    pub limits: AppliedLimits,
    /// Number of distinct syscalls the filter allows (with or without a
    /// condition on the arguments).
    pub allowed_syscalls: usize,
}

/// Why entering the sandbox failed. The domain must not run the C library
/// after any of these: it should exit.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Closing inherited descriptors failed.
    #[error("closing inherited descriptors failed: {0}")]
    CloseDescriptors(#[source] io::Error),
    /// Resetting a signal disposition or the signal mask failed.
    #[error("resetting signal {signal} failed: {source}")]
    Signals {
        /// The signal (0 for the mask).
        signal: i32,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A `prctl` failed.
    #[error("prctl({what}) failed: {source}")]
    Prctl {
        /// Which option.
        what: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The parent died before the parent-death signal was armed, or
    /// [`PARENT_PID_ENV`] is malformed.
    #[error("parent is gone: expected parent {expected}, have {actual}")]
    ParentGone {
        /// The pid the parent should have.
        expected: i32,
        /// `getppid()`.
        actual: i32,
    },
    /// [`PARENT_PID_ENV`] does not hold a pid.
    #[error("{PARENT_PID_ENV} does not hold a pid: {0:?}")]
    BadParentEnv(String),
    /// Setting a resource limit failed.
    #[error("setting {resource} failed: {source}")]
    Rlimit {
        /// The limit's name.
        resource: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Installing the `SIGSYS` handler or its stack failed.
    #[error("installing the SIGSYS handler failed: {0}")]
    SigsysHandler(#[source] io::Error),
    /// Landlock was supported but could not be applied.
    #[error("landlock: {0}")]
    Landlock(#[source] landlock::RulesetError),
    /// Building or installing the seccomp filter failed.
    #[error("seccomp: {0}")]
    Seccomp(#[source] seccompiler::Error),
    /// Building the seccomp filter failed.
    #[error("seccomp filter: {0}")]
    SeccompBuild(#[source] seccompiler::BackendError),
}

/// Enters the sandbox (see the module documentation for the steps and the
/// allowlist) and returns what was applied.
///
/// `keep_fds` are kept open besides 0, 1 and 2 (typically the shared memory
/// at descriptor 3). `violation_word`, if given, receives the number of the
/// first refused syscall plus one; it should live in memory the client can
/// read after the domain died (the shared page).
///
/// On error the sandbox may be partly applied; the caller must exit rather
/// than run the C library.
///
/// # Safety
///
/// Every descriptor other than 0, 1, 2 and `keep_fds` is closed: no live
/// object (a `File`, an `OwnedFd`, a mapping's descriptor…) in this process
/// may own one of them, or it would later use or close a descriptor number
/// that is closed or reused (an I/O-safety violation). Call it early in a
/// domain's `main`, before objects owning descriptors exist, and preferably
/// while single-threaded: the signal mask is reset only in the calling
/// thread, and Landlock restricts only the calling thread and what it
/// creates afterwards (the seccomp filter covers every thread).
pub unsafe fn enter(
    policy: &SandboxPolicy,
    keep_fds: &[RawFd],
    violation_word: Option<&'static AtomicU32>,
) -> Result<SandboxReport, SandboxError> {
    let expected_parent = match policy.expected_parent {
        Some(pid) => Some(pid),
        None => match std::env::var(PARENT_PID_ENV) {
            Ok(text) => Some(
                text.trim()
                    .parse::<i32>()
                    .map_err(|_| SandboxError::BadParentEnv(text.clone()))?,
            ),
            Err(_) => None,
        },
    };

    close_descriptors(keep_fds).map_err(SandboxError::CloseDescriptors)?;
    reset_signals()?;

    prctl("PR_SET_NO_NEW_PRIVS", libc::PR_SET_NO_NEW_PRIVS, 1)?;
    prctl(
        "PR_SET_PDEATHSIG",
        libc::PR_SET_PDEATHSIG,
        libc::SIGKILL as libc::c_ulong,
    )?;
    if let Some(expected) = expected_parent {
        // SAFETY: getppid takes no arguments and cannot fail.
        let actual = unsafe { libc::getppid() };
        if actual != expected {
            return Err(SandboxError::ParentGone { expected, actual });
        }
    }

    let limits = apply_limits(policy)?;

    install_sigsys_handler(violation_word).map_err(SandboxError::SigsysHandler)?;

    let landlock = if policy.landlock {
        apply_landlock()?
    } else {
        LandlockOutcome::Disabled
    };

    let allowed_syscalls = install_seccomp(policy)?;

    Ok(SandboxReport {
        landlock,
        parent_checked: expected_parent.is_some(),
        limits,
        allowed_syscalls,
    })
}

// ---------------------------------------------------------------------------
// Descriptors

fn close_descriptors(keep: &[RawFd]) -> io::Result<()> {
    let mut keep: Vec<u32> = keep
        .iter()
        .filter(|&&fd| fd > 2)
        .map(|&fd| fd as u32)
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let mut next = 3u32;
    for fd in keep {
        if fd > next {
            close_range(next, fd - 1)?;
        }
        next = fd + 1;
    }
    close_range(next, u32::MAX)
}

/// Closes descriptors `first..=last`.
fn close_range(first: u32, last: u32) -> io::Result<()> {
    // SAFETY: close_range takes three integers and touches no memory of
    // ours; the caller of `enter` vouched that nobody owns these descriptors.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first as libc::c_uint,
            last as libc::c_uint,
            0 as libc::c_uint,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::ENOSYS) {
        return Err(err);
    }
    // Kernels before 5.9: walk /proc/self/fd. Collect first, so the
    // directory's own descriptor is closed before we close the others.
    let fds: Vec<u32> = std::fs::read_dir("/proc/self/fd")?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .collect();
    for fd in fds {
        if (first..=last).contains(&fd) {
            // SAFETY: as above; the directory handle is already dropped, so
            // its (now stale) number is either free (EBADF, ignored) or
            // belongs to nobody we care about.
            unsafe { libc::close(fd as RawFd) };
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Signals and prctl

fn reset_signals() -> Result<(), SandboxError> {
    for signal in 1..=64 {
        if signal == libc::SIGKILL || signal == libc::SIGSTOP {
            continue;
        }
        // SAFETY: an all-zero sigaction is a valid value (handler SIG_DFL = 0,
        // empty mask, no flags).
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = libc::SIG_DFL;
        // SAFETY: `action` is a valid, initialised sigaction; the old action
        // is not requested (null).
        let rc = unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) };
        if rc != 0 {
            let err = io::Error::last_os_error();
            // glibc reserves two real-time signals for itself and refuses
            // them with EINVAL; they are not ours to reset.
            if err.raw_os_error() == Some(libc::EINVAL) {
                continue;
            }
            return Err(SandboxError::Signals {
                signal,
                source: err,
            });
        }
    }
    // SAFETY: an all-zero sigset_t is a valid (empty) set on Linux, and
    // sigemptyset makes that explicit.
    let mut empty: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `empty` is a valid sigset_t we own.
    unsafe { libc::sigemptyset(&mut empty) };
    // SAFETY: valid set pointer; the old mask is not requested.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(SandboxError::Signals {
            signal: 0,
            source: io::Error::from_raw_os_error(rc),
        });
    }
    Ok(())
}

fn prctl(what: &'static str, option: libc::c_int, arg: libc::c_ulong) -> Result<(), SandboxError> {
    // SAFETY: the options used here (NO_NEW_PRIVS, PDEATHSIG) take integer
    // arguments only; the unused ones are passed as 0 as the man page asks.
    let rc = unsafe {
        libc::prctl(
            option,
            arg,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };
    if rc != 0 {
        return Err(SandboxError::Prctl {
            what,
            source: io::Error::last_os_error(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Resource limits

fn apply_limits(policy: &SandboxPolicy) -> Result<AppliedLimits, SandboxError> {
    let address_space = policy
        .address_space_limit
        .map(|bytes| set_limit("RLIMIT_AS", libc::RLIMIT_AS, bytes))
        .transpose()?;
    let open_files = set_limit("RLIMIT_NOFILE", libc::RLIMIT_NOFILE, policy.max_open_files)?;
    let core = if policy.disable_core_dumps {
        Some(set_limit("RLIMIT_CORE", libc::RLIMIT_CORE, 0)?)
    } else {
        None
    };
    let cpu_seconds = policy
        .cpu_time_limit
        .map(|secs| set_limit("RLIMIT_CPU", libc::RLIMIT_CPU, secs))
        .transpose()?;
    Ok(AppliedLimits {
        address_space,
        open_files,
        core,
        cpu_seconds,
    })
}

/// Sets soft and hard limit to `min(value, current hard limit)`; returns it.
fn set_limit(
    name: &'static str,
    resource: libc::__rlimit_resource_t,
    value: u64,
) -> Result<u64, SandboxError> {
    let err = |source| SandboxError::Rlimit {
        resource: name,
        source,
    };
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `current` is a valid rlimit for the kernel to fill in.
    if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
        return Err(err(io::Error::last_os_error()));
    }
    let value = value.min(current.rlim_max);
    let new = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: `new` is a valid rlimit read by the kernel.
    if unsafe { libc::setrlimit(resource, &new) } != 0 {
        return Err(err(io::Error::last_os_error()));
    }
    Ok(value)
}

// ---------------------------------------------------------------------------
// SIGSYS

/// Where the handler reports a violation (null: nowhere).
static VIOLATION_WORD: AtomicPtr<AtomicU32> = AtomicPtr::new(std::ptr::null_mut());

/// The `SIGSYS` handler: record the refused syscall, then `exit_group`.
/// Only async-signal-safe operations: an atomic load, a lock-free
/// compare-and-swap, and a raw syscall.
extern "C" fn on_sigsys(_signal: libc::c_int, info: *mut libc::siginfo_t, _context: *mut c_void) {
    // SAFETY: with SA_SIGINFO the kernel passes a valid siginfo_t pointer.
    let code = unsafe { (*info).si_code };
    if code == SYS_SECCOMP {
        // SAFETY: for a seccomp SIGSYS the union holds `_sigsys`, whose
        // `_syscall` int sits at SI_SYSCALL_OFFSET (documented above) inside
        // the 128-byte siginfo_t; the address is 4-byte aligned.
        let nr = unsafe {
            info.cast::<u8>()
                .add(SI_SYSCALL_OFFSET)
                .cast::<i32>()
                .read()
        };
        let word = VIOLATION_WORD.load(Ordering::Acquire);
        if !word.is_null() {
            // SAFETY: the pointer was made from a `&'static AtomicU32`.
            let word = unsafe { &*word };
            let _ = word.compare_exchange(
                0,
                (nr as u32).wrapping_add(1),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }
    // SAFETY: exit_group takes an integer and does not return; it is
    // async-signal-safe (no libc state is touched: no atexit handlers, no
    // stdio flush).
    unsafe {
        libc::syscall(libc::SYS_exit_group, VIOLATION_EXIT_CODE as c_long);
    }
}

fn install_sigsys_handler(word: Option<&'static AtomicU32>) -> io::Result<()> {
    VIOLATION_WORD.store(
        word.map_or(std::ptr::null_mut(), |w| (w as *const AtomicU32).cast_mut()),
        Ordering::Release,
    );
    ensure_alternate_stack()?;
    // SAFETY: an all-zero sigaction is valid; every field we rely on is set
    // below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_sigsys as *const () as libc::sighandler_t;
    action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
    // SAFETY: `action.sa_mask` is a valid sigset_t we own; blocking every
    // signal while the handler runs keeps it from being interrupted.
    unsafe { libc::sigfillset(&mut action.sa_mask) };
    // SAFETY: `action` is fully initialised and its handler has the
    // SA_SIGINFO signature; the old action is not requested.
    if unsafe { libc::sigaction(libc::SIGSYS, &action, std::ptr::null_mut()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Gives the calling thread an alternate signal stack if it has none (Rust's
/// runtime usually installed one already; other threads keep theirs, and a
/// thread without one runs the handler on its own stack).
fn ensure_alternate_stack() -> io::Result<()> {
    // SAFETY: an all-zero stack_t is a valid value to be overwritten.
    let mut old: libc::stack_t = unsafe { std::mem::zeroed() };
    // SAFETY: querying only: null new stack, valid pointer for the old one.
    if unsafe { libc::sigaltstack(std::ptr::null(), &mut old) } != 0 {
        return Err(io::Error::last_os_error());
    }
    if old.ss_flags & libc::SS_DISABLE == 0 {
        return Ok(());
    }
    const SIZE: usize = 64 * 1024;
    // SAFETY: an anonymous private mapping with no address hint; the
    // result is checked for MAP_FAILED.
    let stack = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
            -1,
            0,
        )
    };
    if stack == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    let new = libc::stack_t {
        ss_sp: stack,
        ss_flags: 0,
        ss_size: SIZE,
    };
    // SAFETY: `new` describes a mapping of SIZE bytes that is never
    // unmapped (deliberately leaked: it must outlive the thread).
    if unsafe { libc::sigaltstack(&new, std::ptr::null_mut()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Landlock

fn apply_landlock() -> Result<LandlockOutcome, SandboxError> {
    use landlock::{Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetStatus, Scope, ABI};
    // The newest ABI whose meaning was reviewed here; the crate's best-effort
    // mode drops what the running kernel lacks.
    let abi = ABI::V6;
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
        .and_then(|r| r.scope(Scope::from_all(abi)))
        .and_then(|r| r.create())
        // No rule is added: every handled access is denied everywhere.
        .and_then(|r| r.restrict_self())
        .map_err(SandboxError::Landlock)?;
    Ok(match status.ruleset {
        RulesetStatus::FullyEnforced => LandlockOutcome::FullyEnforced,
        RulesetStatus::PartiallyEnforced => LandlockOutcome::PartiallyEnforced,
        RulesetStatus::NotEnforced => LandlockOutcome::NotEnforced,
    })
}

// ---------------------------------------------------------------------------
// seccomp

#[cfg(target_arch = "x86_64")]
const TARGET_ARCH: TargetArch = TargetArch::x86_64;
#[cfg(target_arch = "aarch64")]
const TARGET_ARCH: TargetArch = TargetArch::aarch64;

/// `clone` flags that must not accompany `CLONE_THREAD` (namespaces).
const CLONE_FORBIDDEN: u64 = (libc::CLONE_NEWNS
    | libc::CLONE_NEWCGROUP
    | libc::CLONE_NEWUTS
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWUSER
    | libc::CLONE_NEWPID
    | libc::CLONE_NEWNET) as u64;

fn cond(
    arg: u8,
    len: SeccompCmpArgLen,
    op: SeccompCmpOp,
    value: u64,
) -> Result<SeccompRule, SandboxError> {
    rule(&[(arg, len, op, value)])
}

/// A rule that holds when every condition does.
pub(crate) fn rule(
    conditions: &[(u8, SeccompCmpArgLen, SeccompCmpOp, u64)],
) -> Result<SeccompRule, SandboxError> {
    conditions
        .iter()
        .map(|(arg, len, op, value)| SeccompCondition::new(*arg, len.clone(), op.clone(), *value))
        .collect::<Result<Vec<_>, _>>()
        .and_then(SeccompRule::new)
        .map_err(SandboxError::SeccompBuild)
}

/// The `madvise` advice that allocators and thread stacks use. The others
/// reach beyond the domain's own pages (KSM merging, paging out or removing
/// the pages of the shared memory) or need privileges.
const MADVISE_ADVICE: &[i32] = &[
    libc::MADV_NORMAL,
    libc::MADV_RANDOM,
    libc::MADV_SEQUENTIAL,
    libc::MADV_WILLNEED,
    libc::MADV_DONTNEED,
    libc::MADV_FREE,
    libc::MADV_HUGEPAGE,
    libc::MADV_NOHUGEPAGE,
    libc::MADV_DONTDUMP,
    libc::MADV_DODUMP,
];

/// The allowlist filter's rules: syscall number to conditions (an empty
/// list allows unconditionally). `pid` is the domain's own, the only one
/// `kill` and `tgkill` may aim at.
pub(crate) fn allowlist_rules(
    policy: &SandboxPolicy,
    pid: u64,
) -> Result<BTreeMap<i64, Vec<SeccompRule>>, SandboxError> {
    use SeccompCmpArgLen::{Dword, Qword};
    use SeccompCmpOp::{Eq, MaskedEq};

    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for &nr in BASE_ALLOWLIST {
        rules.insert(nr, Vec::new());
    }
    rules.insert(
        libc::SYS_madvise,
        MADVISE_ADVICE
            .iter()
            .map(|&advice| cond(2, Dword, Eq, advice as u64))
            .collect::<Result<_, _>>()?,
    );
    rules.insert(libc::SYS_kill, vec![cond(0, Dword, Eq, pid)?]);
    rules.insert(libc::SYS_tgkill, vec![cond(0, Dword, Eq, pid)?]);
    rules.insert(libc::SYS_ioctl, vec![cond(1, Dword, Eq, libc::TCGETS)?]);
    // A serving thread moves itself next to the caller of a large bulk call
    // (crate::placement): its own CPUs only, thread 0 being the caller.
    rules.insert(libc::SYS_sched_setaffinity, vec![cond(0, Dword, Eq, 0)?]);
    rules.insert(libc::SYS_sched_getaffinity, vec![cond(0, Dword, Eq, 0)?]);
    // glibc installs handlers of its own (thread cancellation); the SIGSYS
    // handler that names violations stays ours.
    rules.insert(
        libc::SYS_rt_sigaction,
        vec![cond(0, Dword, SeccompCmpOp::Ne, libc::SIGSYS as u64)?],
    );
    let empty_path = libc::AT_EMPTY_PATH as u64;
    rules.insert(
        libc::SYS_newfstatat,
        vec![cond(3, Dword, MaskedEq(empty_path), empty_path)?],
    );
    if policy.allow_threads {
        for &nr in THREAD_SYSCALLS {
            rules.insert(nr, Vec::new());
        }
        let thread = libc::CLONE_THREAD as u64;
        rules.insert(
            libc::SYS_clone,
            vec![cond(0, Qword, MaskedEq(thread | CLONE_FORBIDDEN), thread)?],
        );
        // Refused with ENOSYS by the first filter; this one must let it
        // through so that the ENOSYS (not a trap) is what the caller sees.
        rules.insert(libc::SYS_clone3, Vec::new());
    }
    for &nr in &policy.extra_syscalls {
        rules.insert(nr, Vec::new());
    }
    Ok(rules)
}

pub(crate) fn compile(
    rules: BTreeMap<i64, Vec<SeccompRule>>,
    mismatch: SeccompAction,
    matched: SeccompAction,
) -> Result<BpfProgram, SandboxError> {
    let filter = SeccompFilter::new(rules, mismatch, matched, TARGET_ARCH)
        .map_err(SandboxError::SeccompBuild)?;
    filter.try_into().map_err(SandboxError::SeccompBuild)
}

/// Installs the filters on all threads; returns the number of allowed
/// syscalls.
fn install_seccomp(policy: &SandboxPolicy) -> Result<usize, SandboxError> {
    // SAFETY: getpid takes no arguments and cannot fail.
    let pid = unsafe { libc::getpid() } as u32 as u64;
    let rules = allowlist_rules(policy, pid)?;
    let allowed = rules.len() - usize::from(policy.allow_threads); // clone3 is refused
    let allowlist = compile(rules, SeccompAction::Trap, SeccompAction::Allow)?;
    // When several filters are installed the kernel takes the most severe
    // answer (trap > errno > allow). The clone3 filter goes first because
    // after the allowlist the seccomp syscall itself traps.
    if policy.allow_threads {
        let clone3 = compile(
            BTreeMap::from([(libc::SYS_clone3, Vec::new())]),
            SeccompAction::Allow,
            SeccompAction::Errno(libc::ENOSYS as u32),
        )?;
        apply_filter_all_threads(&clone3).map_err(SandboxError::Seccomp)?;
    }
    apply_filter_all_threads(&allowlist).map_err(SandboxError::Seccomp)?;
    Ok(allowed)
}

// ---------------------------------------------------------------------------
// Syscall names

/// The name of x86_64 syscall `nr` (an x32 one reads `"x32 openat"`), or
/// `"unknown"` for a number no system call has.
pub fn syscall_name(nr: u32) -> &'static str {
    crate::syscalls::name(nr).unwrap_or("unknown")
}

/// The x86_64 number of the syscall called `name`; handy for
/// [`SandboxPolicy::extra_syscalls`].
pub fn syscall_number(name: &str) -> Option<c_long> {
    crate::syscalls::number(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(syscall_name(257), "openat");
        assert_eq!(syscall_name(41), "socket");
        assert_eq!(syscall_name(59), "execve");
        assert_eq!(syscall_name(57), "fork");
        assert_eq!(syscall_name(56), "clone");
        assert_eq!(syscall_name(100_000), "unknown");
        assert_eq!(syscall_number("no_such_call"), None);
    }

    #[test]
    fn allowlist_has_names() {
        for &nr in BASE_ALLOWLIST.iter().chain(THREAD_SYSCALLS) {
            assert_ne!(syscall_name(nr as u32), "unknown", "syscall {nr}");
        }
    }

    #[test]
    fn filters_compile() {
        let policy = SandboxPolicy {
            extra_syscalls: vec![libc::SYS_prlimit64],
            ..SandboxPolicy::default()
        };
        let rules = allowlist_rules(&policy, 1).unwrap();
        assert!(rules.contains_key(&libc::SYS_prlimit64));
        assert!(!rules.contains_key(&libc::SYS_openat));
        assert!(!rules.contains_key(&libc::SYS_execve));
        assert!(!rules.contains_key(&libc::SYS_socket));
        assert!(!rules.contains_key(&libc::SYS_fork));
        assert!(!rules[&libc::SYS_clone].is_empty(), "clone is conditional");
        compile(rules, SeccompAction::Trap, SeccompAction::Allow).unwrap();

        let no_threads = SandboxPolicy {
            allow_threads: false,
            ..SandboxPolicy::default()
        };
        let rules = allowlist_rules(&no_threads, 1).unwrap();
        assert!(!rules.contains_key(&libc::SYS_clone));
        assert!(!rules.contains_key(&libc::SYS_clone3));
    }

    #[test]
    fn policy_default_is_strict() {
        let policy = SandboxPolicy::default();
        assert_eq!(policy.max_open_files, 16);
        assert!(policy.disable_core_dumps);
        assert!(policy.landlock);
        assert!(policy.extra_syscalls.is_empty());
    }
}

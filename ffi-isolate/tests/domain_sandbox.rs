//! A domain process enters the sandbox and then misbehaves; the client sees
//! how it ended.
//!
//! The child is this test binary itself, re-executed with
//! `FFI_ISOLATE_TEST_CHILD=<mode>` so that the `child_entry` test acts as the
//! domain. Child and parent share one memfd page (descriptor 3 in the
//! child): the violation word at offset 0, a report length at 8 and the
//! report text from 64.

use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ffi_isolate::domain::{DomainConfig, Process, StdioMode, Termination};
use ffi_isolate::sandbox::{self, LandlockOutcome, SandboxPolicy};

const CHILD_ENV: &str = "FFI_ISOLATE_TEST_CHILD";
const PAGE: usize = 4096;
const REPORT_AT: usize = 64;
const WAIT: Duration = Duration::from_secs(10);

/// One shared page, mapped.
struct Shared {
    fd: Option<OwnedFd>,
    base: *mut u8,
}

// SAFETY: the mapping is only accessed through atomics or byte copies of
// data that the other side published with a release store; the pointer stays
// valid for the value's lifetime.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

impl Shared {
    /// The parent's side: a new memfd of one page.
    fn new() -> Arc<Shared> {
        // SAFETY: the name is a NUL-terminated literal.
        let raw = unsafe { libc::memfd_create(c"domain-test".as_ptr(), libc::MFD_CLOEXEC) };
        assert!(
            raw >= 0,
            "memfd_create: {}",
            std::io::Error::last_os_error()
        );
        // SAFETY: memfd_create returned a new descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: resizing our own memfd.
        assert_eq!(unsafe { libc::ftruncate(raw, PAGE as libc::off_t) }, 0);
        Arc::new(Shared {
            base: map(raw),
            fd: Some(fd),
        })
    }

    /// The child's side: descriptor 3, mapped once for the whole process.
    fn child() -> &'static Shared {
        Box::leak(Box::new(Shared {
            fd: None,
            base: map(3),
        }))
    }

    fn word(&self, offset: usize) -> &AtomicU32 {
        assert!(offset % 4 == 0 && offset + 4 <= REPORT_AT);
        // SAFETY: in bounds, aligned, and shared memory is only accessed
        // atomically at these offsets.
        unsafe { &*self.base.add(offset).cast::<AtomicU32>() }
    }

    fn violation(&self) -> &AtomicU32 {
        self.word(0)
    }

    fn report(&self, text: &str) {
        let bytes = text.as_bytes();
        assert!(bytes.len() <= PAGE - REPORT_AT);
        // SAFETY: in bounds of the mapping; the reader waits for the release
        // store of the length below before reading.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.base.add(REPORT_AT), bytes.len())
        };
        self.word(8)
            .store(bytes.len() as u32 + 1, Ordering::Release);
    }

    fn read_report(&self) -> Option<String> {
        let len = self.word(8).load(Ordering::Acquire).checked_sub(1)? as usize;
        let len = len.min(PAGE - REPORT_AT);
        let mut bytes = vec![0u8; len];
        // SAFETY: in bounds; the writer published these bytes before the
        // length.
        unsafe { std::ptr::copy_nonoverlapping(self.base.add(REPORT_AT), bytes.as_mut_ptr(), len) };
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn map(fd: i32) -> *mut u8 {
    // SAFETY: a shared mapping of one page of a memfd of at least that size.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            fd,
            0,
        )
    };
    assert_ne!(p, libc::MAP_FAILED);
    p.cast()
}

impl Drop for Shared {
    fn drop(&mut self) {
        // SAFETY: unmapping our own mapping; no reference into it outlives
        // `self` (the child side is leaked and never dropped).
        unsafe { libc::munmap(self.base.cast(), PAGE) };
    }
}

fn config(mode: &str) -> DomainConfig {
    let mut config = DomainConfig::new(std::env::current_exe().unwrap())
        .arg("child_entry")
        .arg("--exact")
        .arg("--nocapture")
        .arg("--test-threads=1")
        .env(CHILD_ENV, mode);
    config.stdout = StdioMode::Null;
    config
}

fn spawn(mode: &str, shared: &Arc<Shared>) -> Process {
    let mut process = Process::spawn(&config(mode), shared.fd.as_ref().unwrap().as_fd())
        .expect("spawn the child");
    let probe = Arc::clone(shared);
    process.set_violation_probe(move || probe.violation().load(Ordering::Acquire));
    process
}

/// Runs `mode` to its end.
fn run(mode: &str) -> (Termination, Option<String>) {
    let shared = Shared::new();
    let mut process = spawn(mode, &shared);
    let end = process
        .wait_timeout(WAIT)
        .unwrap_or_else(|| panic!("child {mode} did not end"));
    (end, shared.read_report())
}

fn violation(name: &'static str) -> Termination {
    Termination::SandboxViolation {
        syscall: sandbox::syscall_number(name).unwrap() as u32,
        name,
    }
}

// ---------------------------------------------------------------------------
// The child

#[test]
fn child_entry() {
    let Ok(mode) = std::env::var(CHILD_ENV) else {
        return;
    };
    let code = child_main(&mode);
    // Never return into the test harness: it would make syscalls the
    // sandbox refuses.
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(code) }
}

fn enter(shared: &'static Shared, policy: &SandboxPolicy) -> sandbox::SandboxReport {
    // SAFETY: this process owns no descriptor besides 0-2 and 3 that anyone
    // uses after this point (the harness's are idle until we _exit).
    match unsafe { sandbox::enter(policy, &[3], Some(shared.violation())) } {
        Ok(report) => report,
        Err(e) => {
            eprintln!("entering the sandbox failed: {e}");
            // SAFETY: ends the process.
            unsafe { libc::_exit(100) }
        }
    }
}

fn child_main(mode: &str) -> i32 {
    let shared = Shared::child();
    match mode {
        "thread_before" => thread_before_child(shared),
        "rlimits" => rlimits_child(shared),
        "landlock" => landlock_child(shared),
        _ => {
            enter(shared, &SandboxPolicy::default());
            default_policy_child(shared, mode)
        }
    }
}

/// What a child in the default sandbox tries, after entering it.
fn default_policy_child(shared: &'static Shared, mode: &str) -> i32 {
    match mode {
        "fds" => {
            let open: Vec<String> = (0..1024)
                .filter(|&fd| {
                    // SAFETY: fstat into a zeroed stat buffer we own; a
                    // closed descriptor gives EBADF.
                    let mut st: libc::stat = unsafe { std::mem::zeroed() };
                    // SAFETY: as above.
                    unsafe { libc::syscall(libc::SYS_fstat, fd, &mut st) == 0 }
                })
                .map(|fd| fd.to_string())
                .collect();
            shared.report(&open.join(","));
            0
        }
        "openat" => {
            // SAFETY: a NUL-terminated path.
            unsafe { libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY) };
            1
        }
        "socket" => {
            // SAFETY: integer arguments only.
            unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
            1
        }
        "execve" => {
            let argv = [c"/bin/true".as_ptr(), std::ptr::null()];
            let envp = [std::ptr::null()];
            // SAFETY: NUL-terminated path, NULL-terminated vectors.
            unsafe { libc::execve(c"/bin/true".as_ptr(), argv.as_ptr(), envp.as_ptr()) };
            1
        }
        "fork" => {
            // SAFETY: if fork ever succeeded, the child only calls _exit.
            if unsafe { libc::fork() } == 0 {
                // SAFETY: ends the (unexpected) child.
                unsafe { libc::_exit(0) };
            }
            1
        }
        "raw_fork" => {
            // SAFETY: as above.
            if unsafe { libc::syscall(libc::SYS_fork) } == 0 {
                // SAFETY: ends the (unexpected) child.
                unsafe { libc::_exit(0) };
            }
            1
        }
        "fork_loop" => {
            for _ in 0..1000 {
                // SAFETY: as above.
                if unsafe { libc::fork() } == 0 {
                    // SAFETY: ends the (unexpected) child.
                    unsafe { libc::_exit(0) };
                }
            }
            1
        }
        "kill_other" => {
            // Signal 0 to init: only a probe, harmless even if it got through.
            // SAFETY: integer arguments only.
            unsafe { libc::kill(1, 0) };
            1
        }
        "ptrace" => {
            // SAFETY: PTRACE_TRACEME takes no pointers.
            unsafe { libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) };
            1
        }
        "thread_after" => {
            let thread = std::thread::spawn(|| {
                // SAFETY: a NUL-terminated path.
                unsafe { libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY) };
            });
            let _ = thread.join();
            std::thread::sleep(Duration::from_secs(5));
            2
        }
        "threads_ok" => {
            let handles: Vec<_> = (0..4u64)
                .map(|i| std::thread::spawn(move || (0..100_000u64).map(|x| x * i).sum::<u64>()))
                .collect();
            let sum: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
            let boxed = vec![7u8; 8 << 20]; // malloc's mmap path
            shared.report(&format!("sum={sum} boxed={}", boxed.len()));
            7
        }
        "printf" => {
            // glibc stdio on /dev/null: fstat, isatty (ioctl TCGETS), write.
            // SAFETY: a format with one int argument, then a flush of stdout.
            unsafe {
                libc::printf(c"hello %d\n".as_ptr(), 42);
                libc::fflush(std::ptr::null_mut());
            }
            0
        }
        "abort" => {
            // SAFETY: ends the process with SIGABRT (tgkill on itself).
            unsafe { libc::abort() }
        }
        "segv" => {
            // SAFETY: not safe at all, on purpose: the write faults and the
            // default SIGSEGV disposition kills the process.
            unsafe { std::ptr::write_volatile(std::ptr::null_mut::<u64>(), 1) };
            1
        }
        other => {
            eprintln!("unknown child mode {other}");
            3
        }
    }
}

/// A thread started before the sandbox is confined with the process.
fn thread_before_child(shared: &'static Shared) -> i32 {
    static GO: AtomicBool = AtomicBool::new(false);
    let _thread = std::thread::spawn(|| {
        while !GO.load(Ordering::Acquire) {
            std::thread::sleep(Duration::from_millis(1));
        }
        // SAFETY: a NUL-terminated path.
        unsafe { libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY) };
    });
    enter(shared, &SandboxPolicy::default());
    GO.store(true, Ordering::Release);
    std::thread::sleep(Duration::from_secs(5));
    2
}

/// The resource limits a policy sets, as the child sees them.
fn rlimits_child(shared: &'static Shared) -> i32 {
    let policy = SandboxPolicy {
        address_space_limit: Some(1 << 30),
        max_open_files: 16,
        extra_syscalls: vec![libc::SYS_prlimit64],
        ..SandboxPolicy::default()
    };
    let report = enter(shared, &policy);
    let get = |resource| {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: a valid rlimit buffer.
        unsafe { libc::getrlimit(resource, &mut limit) };
        format!("{}/{}", limit.rlim_cur, limit.rlim_max)
    };
    // SAFETY: an anonymous mapping with no hint; the result is only
    // compared and unmapped.
    let big = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            2 << 30,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    let big = if big == libc::MAP_FAILED {
        "refused"
    } else {
        "granted"
    };
    shared.report(&format!(
        "as={} nofile={} core={} big={big} applied_as={:?}",
        get(libc::RLIMIT_AS),
        get(libc::RLIMIT_NOFILE),
        get(libc::RLIMIT_CORE),
        report.limits.address_space,
    ));
    0
}

/// Landlock refusing an open that seccomp lets through.
fn landlock_child(shared: &'static Shared) -> i32 {
    // Let openat through seccomp to see Landlock refuse it.
    let policy = SandboxPolicy {
        extra_syscalls: vec![libc::SYS_openat],
        ..SandboxPolicy::default()
    };
    let report = enter(shared, &policy);
    // SAFETY: a NUL-terminated path.
    let fd = unsafe { libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY) };
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    shared.report(&format!(
        "landlock={:?} parent_checked={} fd={fd} errno={errno}",
        report.landlock, report.parent_checked
    ));
    0
}

// ---------------------------------------------------------------------------
// The parent

#[test]
fn only_kept_descriptors_survive() {
    // 64 descriptors without CLOEXEC: all inherited through exec.
    let leaked: Vec<i32> = (0..64)
        .map(|_| {
            // SAFETY: a NUL-terminated path; closed below.
            let fd = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY) };
            assert!(fd >= 0);
            fd
        })
        .collect();
    let outcome = run("fds");
    for fd in leaked {
        // SAFETY: closing the descriptors opened above, owned by nobody else.
        unsafe { libc::close(fd) };
    }
    assert_eq!(
        outcome,
        (Termination::Exited(0), Some("0,1,2,3".to_string()))
    );
}

#[test]
fn refused_syscalls_are_named() {
    let cases = [
        ("openat", violation("openat")),
        ("socket", violation("socket")),
        ("execve", violation("execve")),
        ("fork", violation("clone")),
        ("raw_fork", violation("fork")),
        ("fork_loop", violation("clone")),
        ("kill_other", violation("kill")),
        ("ptrace", violation("ptrace")),
    ];
    for (mode, expected) in cases {
        let (end, _) = run(mode);
        assert_eq!(end, expected, "mode {mode}: {end}");
    }
    assert_eq!(
        violation("openat").to_string(),
        "sandbox violation: openat (syscall 257)"
    );
}

#[test]
fn threads_started_before_and_after_the_filter_trap() {
    assert_eq!(run("thread_before").0, violation("openat"));
    assert_eq!(run("thread_after").0, violation("openat"));
}

#[test]
fn threads_and_allocation_work_inside() {
    let (end, report) = run("threads_ok");
    assert_eq!(end, Termination::Exited(7));
    let expected_sum: u64 = (0..4u64)
        .map(|i| (0..100_000u64).map(|x| x * i).sum::<u64>())
        .sum();
    assert_eq!(
        report.as_deref(),
        Some(format!("sum={expected_sum} boxed={}", 8 << 20).as_str())
    );
}

#[test]
fn stdio_and_abort_work_inside() {
    assert_eq!(run("printf").0, Termination::Exited(0));
    assert_eq!(
        run("abort").0,
        Termination::Signaled {
            signal: libc::SIGABRT,
            name: "SIGABRT"
        }
    );
}

#[test]
fn segfault_is_reported_as_signal() {
    assert_eq!(
        run("segv").0,
        Termination::Signaled {
            signal: libc::SIGSEGV,
            name: "SIGSEGV"
        }
    );
}

#[test]
fn rlimits_match_the_policy() {
    let (end, report) = run("rlimits");
    assert_eq!(end, Termination::Exited(0));
    let gib = 1u64 << 30;
    assert_eq!(
        report.as_deref(),
        Some(
            format!("as={gib}/{gib} nofile=16/16 core=0/0 big=refused applied_as=Some({gib})")
                .as_str()
        )
    );
}

#[test]
fn landlock_denies_the_filesystem() {
    let (end, report) = run("landlock");
    assert_eq!(end, Termination::Exited(0));
    let report = report.unwrap();
    eprintln!("landlock child: {report}");
    assert!(report.contains("parent_checked=true"), "{report}");
    if report.contains(&format!("landlock={:?}", LandlockOutcome::NotEnforced)) {
        eprintln!("Landlock is not available on this kernel; skipping its check");
        return;
    }
    assert!(
        report.contains(&format!("fd=-1 errno={}", libc::EACCES)),
        "{report}"
    );
}

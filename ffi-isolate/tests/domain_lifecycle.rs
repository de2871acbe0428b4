//! Starting, watching and ending domain processes: no zombie, no leaked
//! descriptor, no orphan outliving its parent, no death of a domain because
//! the thread that asked for it ended.
//!
//! The tests of this file share process-wide state (children, descriptors,
//! the child-subreaper flag), so they run one at a time under `LOCK`.
//! Children that must run Rust code are this test binary re-executed with
//! `FFI_ISOLATE_TEST_CHILD=<mode>`; they share one memfd page with the test
//! (descriptor 3 in the child).

use std::os::fd::{AsFd, BorrowedFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ffi_isolate::domain::{DomainConfig, Process, StdioMode, Termination};
use ffi_isolate::sandbox::{self, SandboxPolicy};

const CHILD_ENV: &str = "FFI_ISOLATE_TEST_CHILD";
const PAGE: usize = 4096;
/// Offsets in the shared page.
const READY: usize = 4;
const GRANDCHILD: usize = 12;

static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|poison| poison.into_inner())
}

const KILLED: Termination = Termination::Signaled {
    signal: libc::SIGKILL,
    name: "SIGKILL",
};

/// One shared memfd page, mapped (leaked: a few per test run).
struct Shared {
    fd: Option<OwnedFd>,
    base: *mut u8,
}

impl Shared {
    fn new() -> Shared {
        // SAFETY: the name is a NUL-terminated literal.
        let raw = unsafe { libc::memfd_create(c"domain-test".as_ptr(), libc::MFD_CLOEXEC) };
        assert!(raw >= 0);
        // SAFETY: memfd_create returned a new descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: resizing our own memfd.
        assert_eq!(unsafe { libc::ftruncate(raw, PAGE as libc::off_t) }, 0);
        Shared {
            base: map(raw),
            fd: Some(fd),
        }
    }

    fn child() -> Shared {
        Shared {
            fd: None,
            base: map(3),
        }
    }

    fn word(&self, offset: usize) -> &AtomicI32 {
        assert!(offset % 4 == 0 && offset + 4 <= PAGE);
        // SAFETY: in bounds and aligned; the page is only accessed
        // atomically.
        unsafe { &*self.base.add(offset).cast::<AtomicI32>() }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // SAFETY: our own mapping; no reference into it outlives `self`.
        unsafe { libc::munmap(self.base.cast(), PAGE) };
    }
}

fn map(fd: i32) -> *mut u8 {
    // SAFETY: a shared mapping of one page of a memfd of that size.
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

fn child_config(mode: &str) -> DomainConfig {
    let mut config = DomainConfig::new(std::env::current_exe().unwrap())
        .arg("child_entry")
        .arg("--exact")
        .arg("--nocapture")
        .arg("--test-threads=1")
        .env(CHILD_ENV, mode);
    config.stdout = StdioMode::Null;
    config
}

fn sleep_config() -> DomainConfig {
    let mut config = DomainConfig::new("/bin/sleep").arg("30");
    config.stdout = StdioMode::Null;
    config
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn count_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Pids whose parent is this process.
fn children_of_self() -> Vec<i32> {
    let me = std::process::id() as i32;
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<i32>().ok());
        if ppid == Some(me) {
            children.push(pid);
        }
    }
    children
}

/// Whether `pid` is gone or a zombie.
fn is_dead(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state == "Z" || state == "X"),
    }
}

// ---------------------------------------------------------------------------
// The child

#[test]
fn child_entry() {
    let Ok(mode) = std::env::var(CHILD_ENV) else {
        return;
    };
    let shared = Shared::child();
    match mode.as_str() {
        "sleeper" => {
            // SAFETY: nothing in this process owns a descriptor besides
            // 0-2 and 3 that is used after this point.
            if let Err(e) = unsafe { sandbox::enter(&SandboxPolicy::default(), &[3], None) } {
                eprintln!("sandbox: {e}");
                // SAFETY: ends the process.
                unsafe { libc::_exit(100) };
            }
            shared.word(READY).store(1, Ordering::Release);
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        "middle" => {
            // SAFETY: descriptor 3 is the shared memfd, open for the whole
            // life of this process.
            let fd = unsafe { BorrowedFd::borrow_raw(3) };
            let grandchild = Process::spawn(&child_config("sleeper"), fd).expect("spawn");
            shared
                .word(GRANDCHILD)
                .store(grandchild.pid(), Ordering::Release);
            // Leave it running: this process is about to be killed.
            std::mem::forget(grandchild);
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        other => {
            eprintln!("unknown child mode {other}");
            // SAFETY: ends the process without returning to the harness.
            unsafe { libc::_exit(3) }
        }
    }
}

// ---------------------------------------------------------------------------
// The parent

#[test]
fn grandchild_dies_with_its_parent() {
    let _guard = lock();
    // Orphans are re-parented to us, so we can reap the grandchild and see
    // how it died.
    // SAFETY: integer arguments only.
    let subreaper = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } == 0;

    let shared = Shared::new();
    let mut middle =
        Process::spawn(&child_config("middle"), shared.fd.as_ref().unwrap().as_fd()).unwrap();
    wait_for("the sandboxed grandchild", Duration::from_secs(10), || {
        shared.word(READY).load(Ordering::Acquire) == 1
            && shared.word(GRANDCHILD).load(Ordering::Acquire) != 0
    });
    let grandchild = shared.word(GRANDCHILD).load(Ordering::Acquire);
    assert!(!is_dead(grandchild));

    assert_eq!(middle.kill_and_reap(), KILLED);
    let killed_at = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: a valid status pointer; the pid is only ours once the
        // grandchild was re-parented to us.
        let rc = unsafe { libc::waitpid(grandchild, &mut status, libc::WNOHANG) };
        if rc == grandchild {
            assert!(libc::WIFSIGNALED(status), "status {status:#x}");
            assert_eq!(libc::WTERMSIG(status), libc::SIGKILL);
            break;
        }
        if !subreaper && is_dead(grandchild) {
            break;
        }
        assert!(
            killed_at.elapsed() < Duration::from_secs(1),
            "grandchild {grandchild} outlived its parent by a second"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    eprintln!("grandchild gone {:?} after its parent", killed_at.elapsed());
}

#[test]
fn spawn_from_a_short_lived_thread_survives_the_thread() {
    let _guard = lock();
    let devnull = std::fs::File::open("/dev/null").unwrap();
    let config = sleep_config();
    let mut process = std::thread::scope(|scope| {
        scope
            .spawn(|| Process::spawn(&config, devnull.as_fd()))
            .join()
            .unwrap()
    })
    .unwrap();
    // Had the short-lived thread forked, PR_SET_PDEATHSIG would kill the
    // child now that the thread is gone.
    assert_eq!(process.wait_timeout(Duration::from_millis(300)), None);
    assert_eq!(process.try_status(), None);
    assert_eq!(process.kill_and_reap(), KILLED);
    assert_eq!(process.kill_and_reap(), KILLED, "idempotent");
    assert_eq!(process.try_status(), Some(KILLED));
}

#[test]
fn the_child_sees_its_environment_and_descriptor() {
    let _guard = lock();
    let devnull = std::fs::File::open("/dev/null").unwrap();
    let mut config = DomainConfig::new("/bin/sh")
        .arg("-c")
        .arg(r#"test "$FFI_ISOLATE_PARENT_PID" = "$PPID" && test "$GREETING" = hi && test -e /proc/self/fd/3 && exit 42"#)
        .env("GREETING", "hi");
    config.stdout = StdioMode::Null;
    let mut process = Process::spawn(&config, devnull.as_fd()).unwrap();
    assert!(process.pid() > 0);
    assert_eq!(
        process.wait_timeout(Duration::from_secs(10)),
        Some(Termination::Exited(42))
    );
}

#[test]
fn hundred_spawn_kill_cycles_leave_nothing_behind() {
    let _guard = lock();
    let devnull = std::fs::File::open("/dev/null").unwrap();
    let config = sleep_config();
    // Start the launcher thread before counting.
    drop(Process::spawn(&config, devnull.as_fd()).unwrap());
    let fds_before = count_fds();

    let mut dropped = Vec::new();
    for round in 0..100 {
        let mut process = Process::spawn(&config, devnull.as_fd()).unwrap();
        if round % 2 == 0 {
            assert_eq!(process.kill_and_reap(), KILLED);
        } else {
            // Dropping kills and reaps.
            dropped.push(process.pid());
            drop(process);
        }
    }

    assert_eq!(count_fds(), fds_before, "descriptors leaked");
    assert_eq!(children_of_self(), Vec::<i32>::new(), "children left");
    for pid in dropped {
        assert!(is_dead(pid), "{pid} still there");
    }
}

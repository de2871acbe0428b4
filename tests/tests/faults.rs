//! The fault matrix and the long-run containment properties of the Isolated
//! linkage, through the hostile sample library.
//!
//! * A domain is killed at each of the six points of a call (see
//!   `ffi_isolate::server::fault`) by SIGKILL, a NULL dereference's SIGSEGV
//!   and `abort`: 18 cases, each a typed error within 1 s, no partial result,
//!   and a working domain in a new incarnation on the next call.
//! * 100 crash-and-restart cycles leak no descriptor, leave no zombie and
//!   grow the client by less than 1 MiB (run in a fresh process, so that no
//!   other test disturbs the counts).
//! * 50 slow but healthy calls at 0.9 of the deadline never time out.
//! * When the client dies, its domains (idle or inside a call) exit within 1 s.
//! * A thread the C code starts after the sandbox was entered is filtered too.
//! * Flooding stdout and stderr costs the client nothing.
//!
//! `containment.rs` holds the rest (crashes, hangs, cancel, escapes,
//! descriptors, limits, stale handles, ring pokes). Every test here takes the
//! [`serial`] lock: the timing bounds are about the isolation, not about
//! contention with the tests running next to it on a two-CPU machine.

use ffi_desc::DomainFailure;
use ffi_isolate::domain::StdioMode;
use ffi_isolate::server::fault::{How, Plan, FAULT_ENV};
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness;
use ffi_tests::hostile::hostile::{Hostile, HostileIsolated};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

static SERIAL: Mutex<()> = Mutex::new(());

/// One test at a time in this binary.
fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

use ffi_tests::harness::check::{failure, signaled};

fn domain(lib: &HostileIsolated) -> &Domain {
    ffi_tests::harness::check::domain(lib.channel())
}

fn launch(o: IsolatedOptions) -> HostileIsolated {
    Domain::launch(o).expect("start the hostile domain")
}

// ---------------------------------------------------------------------------
// The fault matrix.

/// What the faulting call's out buffer holds before the call; a failed call
/// must leave every element as it was.
const SENTINEL: i32 = -7;

/// Kills a domain at `point` of its second call, by `how`, and checks the
/// outcome. The faulting call is `list_fds`, whose reply (a 64-element slice,
/// 292 bytes with its header) is large enough for point 5 to leave a real
/// half of it in the ring; its out buffer shows whether anything partial
/// reached the caller.
fn fault_case(point: u8, how: How) {
    let _serial = serial();
    let expected = match how {
        How::Kill => libc::SIGKILL,
        How::Null => libc::SIGSEGV,
        How::Abort => libc::SIGABRT,
    };
    let mut o = harness::hostile::options();
    // `list_fds` probes descriptors with fcntl, which the default filter refuses.
    o.sandbox
        .extra_syscalls
        .extend(ffi_isolate::sandbox::syscall_number("fcntl"));
    // The plan holds for every incarnation: each one dies on its second call.
    let plan = Plan {
        point,
        how,
        on_call: 2,
    };
    o.domain.env.push((FAULT_ENV.into(), plan.to_env().into()));
    let lib = launch(o);

    // Call 1 is healthy and gives the reference result.
    let mut reference = [SENTINEL; 64];
    let n = lib.list_fds(&mut reference).unwrap();
    assert_eq!(&reference[..n as usize], &[0, 1, 2, 3]);
    let generation = lib.channel().generation();
    let mut fds = [SENTINEL; 64];
    let started = Instant::now();
    let outcome = lib.list_fds(&mut fds);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "point {point} {how:?}: the call took {took:?}"
    );
    let survived_with_reply = match outcome {
        Err(e) => {
            assert_eq!(signaled(e), expected, "point {point} {how:?}");
            assert!(fds.iter().all(|&f| f == SENTINEL), "point {point} {how:?}: a partial result reached the caller");
            assert_eq!(
                domain(&lib).last_death(),
                Some(DomainFailure::Signaled {
                    signal: expected,
                    name: ffi_isolate::domain::signal_name(expected).into()
                })
            );
            false
        }
        // Point 6 dies after the whole reply was published (only the wake-up
        // is missing), so the client may legitimately read it before it
        // notices the death: then the result must be the complete, correct one.
        Ok(n) if point == 6 => {
            assert_eq!(n, 4, "point 6 {how:?}: the domain's descriptors");
            assert_eq!(fds, reference, "point 6 {how:?}: the complete reply");
            true
        }
        Ok(n) => panic!("point {point} {how:?}: the call succeeded ({n}) although the domain died before replying"),
    };
    if survived_with_reply {
        // The domain died after its reply: the client learns of the death
        // only when it next needs the domain (see `after_a_delivered_reply`).
        after_a_delivered_reply(&lib, expected);
    }
    assert!(
        lib.channel().generation() > generation,
        "point {point} {how:?}: a new incarnation"
    );
    let restarted = Instant::now();
    assert_eq!(
        lib.ok(41).unwrap(),
        42,
        "point {point} {how:?}: the next call works"
    );
    eprintln!(
        "fault point {point} {how:?}: {} in {took:?}; restarted and answered in {:?}",
        if survived_with_reply {
            "complete reply delivered"
        } else {
            "typed error"
        },
        restarted.elapsed()
    );
}

/// A domain that died *after* delivering its reply (point 6) is still the
/// live incarnation for the client. The next call must either be served by a
/// new incarnation or, if the client only notices the death while waiting
/// for that call's reply, fail with the typed death of the old incarnation;
/// the call after it then works. Which of the two happens is recorded.
fn after_a_delivered_reply(lib: &HostileIsolated, expected: i32) {
    let pid = domain(lib)
        .pid()
        .expect("the dead incarnation is still recorded");
    // Wait until the old process has really died, so the outcome does not
    // depend on how fast it does.
    let until = Instant::now() + Duration::from_secs(1);
    while proc_state(pid).is_some_and(|s| s != 'Z') && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(1));
    }
    let generation = lib.channel().generation();
    match lib.ok(1) {
        Ok(2) => eprintln!("  point 6: the next call was served by a new incarnation"),
        Ok(other) => panic!("wrong answer {other}"),
        Err(e) => {
            assert_eq!(signaled(e), expected, "the death of the old incarnation");
            assert!(lib.channel().generation() > generation);
            eprintln!("  point 6: the next call failed with the old incarnation's death (the request was never read)");
        }
    }
}

macro_rules! fault_matrix {
    ($($point:ident = $p:literal),* $(,)?) => {$(
        mod $point {
            use super::*;
            #[test]
            fn kill() {
                fault_case($p, How::Kill);
            }
            #[test]
            fn null() {
                fault_case($p, How::Null);
            }
            #[test]
            fn abort() {
                fault_case($p, How::Abort);
            }
        }
    )*};
}

fault_matrix!(
    point1_request_waiting_unread = 1,
    point2_header_read = 2,
    point3_request_read_c_not_run = 3,
    point4_c_ran_no_reply = 4,
    point5_reply_half_written = 5,
    point6_reply_published_not_notified = 6,
);

// ---------------------------------------------------------------------------
// Child processes: some properties are measured in a process of their own.

/// Set in a child process to the name of the test it runs as a child.
const CHILD_ENV: &str = "FFI_FAULTS_CHILD";

/// Whether this process is the child of test `name`.
fn is_child(name: &str) -> bool {
    std::env::var(CHILD_ENV).is_ok_and(|v| v == name)
}

/// Runs test `name` of this binary in a fresh process, as its own child,
/// and returns its stdout; fails if it fails.
fn run_child(name: &str) -> String {
    let exe = std::env::current_exe().expect("this test binary");
    let out = Command::new(exe)
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .stdin(Stdio::null())
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "child {name} failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("1 passed"),
        "child {name} did not run:\n{stdout}"
    );
    for line in child_lines(&stdout) {
        eprintln!("{line}");
    }
    stdout
}

/// The lines a child printed, each starting at `child:` (with `--nocapture`
/// the harness may have printed `test <name> ... ` before it on the same line).
fn child_lines(out: &str) -> impl Iterator<Item = &str> {
    out.lines()
        .filter_map(|l| l.find("child:").map(|at| &l[at..]))
}

fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// State and parent of a process, from `/proc/<pid>/stat`.
fn proc_stat(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may itself hold any character.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

fn proc_state(pid: i32) -> Option<char> {
    proc_stat(pid).map(|(s, _)| s)
}

/// Children of this process that are zombies.
fn zombies() -> Vec<i32> {
    let me = std::process::id() as i32;
    std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| matches!(proc_stat(pid), Some(('Z', ppid)) if ppid == me))
        .collect()
}

/// A segfault, then a healthy call in the next incarnation.
fn crash_and_restart(lib: &HostileIsolated) {
    assert_eq!(signaled(lib.segfault().unwrap_err()), libc::SIGSEGV);
    assert_eq!(lib.ok(1).unwrap(), 2);
}

/// Measured in a process of its own, so other tests' domains do not count.
#[test]
fn crash_and_restart_cycles_leak_nothing() {
    if is_child("crash_and_restart_cycles_leak_nothing") {
        return child_crash_and_restart_cycles();
    }
    let _serial = serial();
    let out = run_child("crash_and_restart_cycles_leak_nothing");
    assert!(out.contains("child: cycles 100"), "{out}");
}

/// The child's side of [`crash_and_restart_cycles_leak_nothing`].
fn child_crash_and_restart_cycles() {
    let lib = harness::hostile::isolated();
    // Warm-up: the launcher thread, lazily built tables, the allocator's arenas.
    for _ in 0..10 {
        crash_and_restart(&lib);
    }
    let (fds, rss) = (fd_count(), rss_kib());
    let started = Instant::now();
    for _ in 0..100 {
        crash_and_restart(&lib);
    }
    let took = started.elapsed();
    let (fds_after, rss_after, zombies) = (fd_count(), rss_kib(), zombies());
    println!(
        "child: cycles 100 in {took:?}; descriptors {fds} -> {fds_after}; VmRSS {rss} -> {rss_after} KiB; zombies {zombies:?}; restarts {}",
        domain(&lib).restarts()
    );
    assert_eq!(domain(&lib).restarts(), 110);
    assert_eq!(fds_after, fds, "descriptors leaked");
    assert!(zombies.is_empty(), "zombies: {zombies:?}");
    assert!(
        rss_after < rss + 1024,
        "VmRSS grew from {rss} to {rss_after} KiB"
    );
}

#[test]
fn client_death_ends_its_domains_within_a_second() {
    const NAME: &str = "client_death_ends_its_domains_within_a_second";
    if is_child(NAME) {
        return child_hold_domains();
    }
    let _serial = serial();
    let exe = std::env::current_exe().expect("this test binary");
    let mut child = Command::new(exe)
        .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, NAME)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the child client");
    let child_pid = child.id() as i32;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut domains = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("the child's output");
        let Some(line) = child_lines(&line).next().map(str::to_owned) else {
            continue;
        };
        if let Some(pid) = line.strip_prefix("child: domain ") {
            domains.push(pid.trim().parse::<i32>().expect("a pid"));
        }
        if line.trim() == "child: ready" {
            break;
        }
    }
    assert_eq!(domains.len(), 2, "an idle and a busy domain");
    for &pid in &domains {
        assert_eq!(
            proc_stat(pid).map(|(_, ppid)| ppid),
            Some(child_pid),
            "domain {pid} is the child's"
        );
    }
    // Let the busy domain's call get under way, then kill the client.
    std::thread::sleep(Duration::from_millis(100));
    child.kill().expect("kill the child client");
    let killed = Instant::now();
    child.wait().expect("reap the child client");
    // Once the client is gone, nobody reaps the domains but an init that may
    // not do so promptly (or at all, in a container): a zombie has exited too.
    for &pid in &domains {
        while proc_state(pid).is_some_and(|s| s != 'Z') {
            assert!(
                killed.elapsed() < Duration::from_secs(1),
                "domain {pid} still runs after the client died"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    eprintln!(
        "client death: both domains gone {:?} after the client was killed",
        killed.elapsed()
    );
}

/// The child client of [`client_death_ends_its_domains_within_a_second`].
fn child_hold_domains() {
    let idle = harness::hostile::isolated();
    let mut o = harness::hostile::options();
    o.deadline = Duration::from_secs(60);
    let busy = std::sync::Arc::new(launch(o));
    assert_eq!(idle.ok(1).unwrap(), 2);
    assert_eq!(busy.ok(1).unwrap(), 2);
    println!("child: domain {}", domain(&idle).pid().expect("running"));
    println!("child: domain {}", domain(&busy).pid().expect("running"));
    let caller = busy.clone();
    std::thread::spawn(move || caller.sleep_forever());
    println!("child: ready");
    // The parent kills this process; should it not, the test ends by itself.
    std::thread::sleep(Duration::from_secs(30));
}

// ---------------------------------------------------------------------------
// Timing, threads and output.

#[test]
fn slow_but_healthy_at_nine_tenths_of_the_deadline() {
    let _serial = serial();
    let mut o = harness::hostile::options();
    o.deadline = Duration::from_millis(100);
    let lib = launch(o);
    let mut slowest = Duration::ZERO;
    for i in 0..50 {
        let started = Instant::now();
        let r = lib.sleep_ms(90);
        slowest = slowest.max(started.elapsed());
        assert_eq!(r, Ok(90), "call {i}");
    }
    assert_eq!(domain(&lib).restarts(), 0);
    eprintln!("slow but healthy: 50 calls of 90 ms under a 100 ms deadline, slowest {slowest:?}");
}

#[test]
fn every_thread_runs_under_the_filter() {
    let _serial = serial();
    let lib = harness::hostile::isolated();
    // A thread that keeps running, started after the sandbox was entered...
    assert_eq!(lib.spawn_spinner().unwrap(), 0);
    assert_eq!(lib.ok(1).unwrap(), 2, "the spinner does not disturb calls");
    // ...and one that tries to open a file.
    match failure(lib.thread_open_passwd().unwrap_err()) {
        DomainFailure::SandboxViolation { syscall } => assert_eq!(syscall, "openat"),
        other => panic!("expected a sandbox violation, got {other:?}"),
    }
    assert_eq!(lib.ok(1).unwrap(), 2);
}

#[test]
fn flooding_stdout_and_stderr_does_not_hurt_the_client() {
    let _serial = serial();
    let mut o = harness::hostile::options();
    o.domain.stdout = StdioMode::Null;
    o.domain.stderr = StdioMode::Null;
    let lib = launch(o);
    assert_eq!(lib.ok(1).unwrap(), 2);
    let (fds, rss) = (fd_count(), rss_kib());
    let started = Instant::now();
    assert_eq!(
        lib.flood(10 << 20).unwrap(),
        0,
        "10 MiB to each of stdout and stderr"
    );
    let took = started.elapsed();
    assert_eq!(lib.ok(2).unwrap(), 3);
    assert_eq!(domain(&lib).restarts(), 0);
    assert_eq!(fd_count(), fds);
    // The bytes went to /dev/null, not through the client.
    assert!(rss_kib() < rss + 1024);
    eprintln!("flood: 2 x 10 MiB in {took:?}");
}

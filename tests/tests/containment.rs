//! A hostile C library, isolated: every crash, hang and escape attempt costs
//! one failed call with a typed error, never the caller, and the domain
//! restarts for the next call.

use ffi_desc::{DomainFailure, Error};
use ffi_isolate::{Domain, IsolatedOptions, RestartPolicy};
use ffi_tests::harness;
use ffi_tests::hostile::hostile::{Hostile, HostileIsolated};
use std::time::{Duration, Instant};

use ffi_tests::harness::check::{failure, signaled};

fn domain(lib: &HostileIsolated) -> &Domain {
    ffi_tests::harness::check::domain(lib.channel())
}

fn violation(e: Error) -> String {
    match failure(e) {
        DomainFailure::SandboxViolation { syscall } => syscall,
        other => panic!("expected a sandbox violation, got {other:?}"),
    }
}

/// The call fails as `check` says, quickly, and the next call works in a new incarnation.
fn contained(
    lib: &HostileIsolated,
    call: impl FnOnce(&HostileIsolated) -> Result<i64, Error>,
    check: impl FnOnce(Error),
) {
    assert_eq!(lib.ok(1).unwrap(), 2);
    let generation = lib.channel().generation();
    let started = Instant::now();
    let err = call(lib).expect_err("the hostile call must fail");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    check(err);
    assert!(lib.channel().generation() > generation, "a new incarnation");
    assert_eq!(
        lib.ok(41).unwrap(),
        42,
        "the next call works after a restart"
    );
}

#[test]
fn segfault() {
    contained(
        &harness::hostile::isolated(),
        |l| l.segfault().map(i64::from),
        |e| assert_eq!(signaled(e), 11),
    );
}

#[test]
fn abort() {
    contained(
        &harness::hostile::isolated(),
        |l| l.abort().map(i64::from),
        |e| assert_eq!(signaled(e), 6),
    );
}

#[test]
fn stack_overflow() {
    contained(
        &harness::hostile::isolated(),
        |l| l.stack_overflow(0).map(i64::from),
        |e| assert!(matches!(signaled(e), 11 | 6)),
    );
}

#[test]
fn kill_self() {
    contained(
        &harness::hostile::isolated(),
        |l| l.kill_self().map(i64::from),
        |e| assert_eq!(signaled(e), 9),
    );
}

#[test]
fn exit_in_the_middle_of_a_call() {
    contained(
        &harness::hostile::isolated(),
        |l| l.exit(7).map(i64::from),
        |e| assert_eq!(failure(e), DomainFailure::Exited { code: 7 }),
    );
}

#[test]
fn sigkill_from_outside_during_a_call() {
    let lib = harness::hostile::isolated();
    assert_eq!(lib.ok(1).unwrap(), 2);
    let pid = domain(&lib).pid().expect("running");
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        // SAFETY: kill(2) on the domain's pid, which is our unreaped child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        Instant::now()
    });
    let err = lib.sleep_ms(1500).unwrap_err();
    let killed_at = killer.join().unwrap();
    assert!(killed_at.elapsed() < Duration::from_secs(1));
    assert_eq!(signaled(err), 9);
    assert_eq!(lib.ok(2).unwrap(), 3);
    assert_ne!(domain(&lib).pid(), Some(pid));
}

#[test]
fn hang_ends_at_the_deadline() {
    let mut o = harness::hostile::options();
    o.deadline = Duration::from_secs(1);
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    for hang in [
        HostileIsolated::loop_forever,
        HostileIsolated::sleep_forever,
    ] {
        let started = Instant::now();
        let err = hang(&lib).unwrap_err();
        let took = started.elapsed();
        assert_eq!(
            failure(err),
            DomainFailure::Deadline {
                deadline: Duration::from_secs(1)
            }
        );
        assert!(
            took >= Duration::from_secs(1) && took < Duration::from_millis(1500),
            "took {took:?}"
        );
        assert_eq!(lib.ok(1).unwrap(), 2);
    }
}

#[test]
fn cancel_from_another_thread() {
    let lib = std::sync::Arc::new(harness::hostile::isolated());
    assert_eq!(lib.ok(1).unwrap(), 2);
    let other = lib.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        domain(&other).cancel();
        Instant::now()
    });
    let err = lib.sleep_forever().unwrap_err();
    let cancelled_at = canceller.join().unwrap();
    assert!(
        cancelled_at.elapsed() < Duration::from_millis(200),
        "took {:?}",
        cancelled_at.elapsed()
    );
    assert_eq!(failure(err), DomainFailure::Cancelled);
    assert_eq!(lib.ok(1).unwrap(), 2);
}

#[test]
fn slow_but_healthy_calls_never_time_out() {
    let mut o = harness::hostile::options();
    o.deadline = Duration::from_millis(200);
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    for _ in 0..10 {
        assert_eq!(lib.sleep_ms(180).unwrap(), 180);
    }
    assert_eq!(domain(&lib).restarts(), 0);
}

#[test]
fn escapes_are_stopped_and_named() {
    let lib = harness::hostile::isolated();
    type Attempt = fn(&HostileIsolated) -> Result<i32, Error>;
    let cases: [(&str, Attempt, &[&str]); 6] = [
        (
            "open /etc/passwd",
            HostileIsolated::open_passwd,
            &["openat"],
        ),
        ("connect to 127.0.0.1", |l| l.connect_local(9), &["socket"]),
        ("execve a shell", HostileIsolated::exec_shell, &["execve"]),
        // Finding the parent is refused before ptrace itself is reached.
        (
            "ptrace the parent",
            HostileIsolated::ptrace_parent,
            &["ptrace", "getppid"],
        ),
        (
            "fork in a loop",
            HostileIsolated::fork_loop,
            &["clone", "fork", "clone3"],
        ),
        (
            "open from a thread",
            HostileIsolated::thread_open_passwd,
            &["openat"],
        ),
    ];
    for (what, attempt, names) in cases {
        let syscall = violation(attempt(&lib).unwrap_err());
        assert!(names.contains(&syscall.as_str()), "{what}: {syscall}");
        assert_eq!(lib.ok(1).unwrap(), 2, "{what}: next call");
    }
}

#[test]
fn domain_descriptors_and_limits() {
    // Descriptors the client leaves open without CLOEXEC never reach the C code.
    let files: Vec<std::fs::File> = (0..64)
        .map(|_| std::fs::File::open("/dev/null").unwrap())
        .collect();
    for f in &files {
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a descriptor we own, clearing FD_CLOEXEC.
        unsafe { libc::fcntl(f.as_raw_fd(), libc::F_SETFD, 0) };
    }
    // The probe reads descriptor flags, which the default filter refuses.
    let mut o = harness::hostile::options();
    for probe in ["fcntl", "prlimit64"] {
        o.sandbox
            .extra_syscalls
            .extend(ffi_isolate::sandbox::syscall_number(probe));
    }
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    drop(files);
    let mut fds = [0; 64];
    let n = lib.list_fds(&mut fds).unwrap();
    assert_eq!(&fds[..n as usize], &[0, 1, 2, 3]);
    let policy = &domain(&lib).options().sandbox;
    assert_eq!(
        lib.get_rlimit(libc::RLIMIT_NOFILE as i32, 0).unwrap() as u64,
        policy.max_open_files
    );
    assert_eq!(lib.get_rlimit(libc::RLIMIT_CORE as i32, 1).unwrap(), 0);
    assert_eq!(
        lib.get_rlimit(libc::RLIMIT_AS as i32, 0).unwrap() as u64,
        policy.address_space_limit.unwrap()
    );
}

#[test]
fn unbounded_allocation_hits_the_address_space_bound() {
    let mut o = harness::hostile::options();
    o.sandbox.address_space_limit = Some(256 << 20);
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    let mib = lib.alloc_unbounded().unwrap();
    assert!(mib < 256, "{mib} MiB");
    assert_eq!(lib.ok(1).unwrap(), 2);
}

#[test]
fn restart_policy_never_leaves_the_domain_down() {
    let mut o = harness::hostile::options();
    o.restart = RestartPolicy::Never;
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    assert_eq!(signaled(lib.segfault().unwrap_err()), 11);
    assert!(matches!(
        failure(lib.ok(1).unwrap_err()),
        DomainFailure::Unavailable { .. }
    ));
    domain(&lib).restart().unwrap();
    assert_eq!(lib.ok(1).unwrap(), 2, "an explicit restart still works");
}

#[test]
fn fingerprint_mismatch_is_refused() {
    let o = IsolatedOptions::new(harness::domain_executable("vocab-domain"));
    let err = Domain::launch::<HostileIsolated>(o).unwrap_err();
    assert!(
        matches!(err, DomainFailure::FingerprintMismatch { .. }),
        "{err:?}"
    );
}

#[test]
fn handles_of_a_dead_incarnation_are_stale() {
    use ffi_tests::vocab::vocab::Vocab;
    let lib = harness::vocab::isolated();
    let c = lib.counter_new(3).unwrap();
    assert_eq!(lib.counter_get(&c).unwrap(), 3);
    let d = lib.channel().as_any().downcast_ref::<Domain>().unwrap();
    d.restart().unwrap();
    assert_eq!(
        lib.counter_get(&c).unwrap_err(),
        Error::StaleHandle {
            function: "counter_get",
            param: "c"
        }
    );
    drop(c); // Dropping a stale handle sends nothing.
    let fresh = lib.counter_new(5).unwrap();
    assert_eq!(lib.counter_get(&fresh).unwrap(), 5);
}

#[test]
fn handles_of_an_incarnation_that_died_idle_are_stale() {
    use ffi_tests::vocab::vocab::Vocab;
    let lib = harness::vocab::isolated();
    let c = lib.counter_new(3).unwrap();
    let d = lib.channel().as_any().downcast_ref::<Domain>().unwrap();
    let before = lib.channel().generation();
    // SAFETY: kill on the domain's pid, which this client has not reaped.
    unsafe { libc::kill(d.pid().unwrap(), libc::SIGKILL) };
    // The watcher notices the death while no call runs.
    let noticed = Instant::now();
    while lib.channel().generation() == before {
        assert!(
            noticed.elapsed() < Duration::from_secs(2),
            "death unnoticed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // The handle is stale before any call restarts the domain, so it is
    // never sent to the next incarnation.
    assert_eq!(
        lib.counter_get(&c).unwrap_err(),
        Error::StaleHandle {
            function: "counter_get",
            param: "c"
        }
    );
    drop(c);
    let fresh = lib.counter_new(5).unwrap();
    assert_eq!(lib.counter_get(&fresh).unwrap(), 5);
    assert_eq!(d.restarts(), 1);
}

#[test]
fn threads_left_running_are_seen_and_ended_by_a_restart() {
    let lib = harness::hostile::isolated();
    let d = domain(&lib);
    let idle = d.usage().expect("a running domain");
    assert_eq!(lib.spawn_spinner().unwrap(), 0);
    // The spinner burns CPU between calls: the client sees it.
    std::thread::sleep(Duration::from_millis(300));
    let busy = d.usage().unwrap();
    assert_eq!(busy.tasks, idle.tasks + 1, "{idle:?} then {busy:?}");
    assert!(
        busy.cpu_time >= idle.cpu_time + Duration::from_millis(50),
        "{idle:?} then {busy:?}"
    );
    d.restart().unwrap();
    assert_eq!(d.usage().unwrap().tasks, idle.tasks);
    assert_eq!(lib.ok(1).unwrap(), 2);
}

#[test]
fn ring_attacks_end_in_typed_errors() {
    // Offsets in the control page: 8 right cons, 12 right prod, 21 srv_live, 16 orders.
    let attacks: [(i32, i32, u64); 5] = [
        (12, 4, 0xdead_beef),
        (8, 4, 0x7fff_ffff),
        (21, 1, 0),
        (16, 2, 31),
        (12, 4, u32::MAX as u64),
    ];
    let lib = harness::hostile::isolated();
    for (offset, width, value) in attacks {
        match lib.ring_poke(offset, width, value) {
            Ok(_) => {}
            Err(Error::Domain { .. }) => {}
            Err(other) => panic!("poke {offset}: {other:?}"),
        }
        // Whatever the poke did, the next calls end typed, and the domain recovers.
        let mut ok = false;
        for _ in 0..3 {
            match lib.ok(1) {
                Ok(2) => {
                    ok = true;
                    break;
                }
                Ok(other) => panic!("poke {offset}: wrong answer {other}"),
                Err(Error::Domain { .. }) => {}
                Err(other) => panic!("poke {offset}: {other:?}"),
            }
        }
        assert!(ok, "poke {offset}: the domain recovered");
    }
}

#[test]
fn a_missing_domain_executable_is_named_with_the_command_that_builds_it() {
    let err = IsolatedOptions::beside_current_exe("no-such-domain").unwrap_err();
    let DomainFailure::Unavailable { reason } = &err else {
        panic!("{err:?}")
    };
    assert!(reason.contains("no-such-domain"), "{reason}");
    assert!(
        reason.contains("looked for /"),
        "the places searched: {reason}"
    );
    assert!(
        reason.contains("`cargo build --bin no-such-domain`"),
        "{reason}"
    );

    // A path that does not exist: the failure names it.
    let missing = std::env::temp_dir().join("ffi-tests-no-such-domain");
    let err = Domain::launch::<HostileIsolated>(IsolatedOptions::new(&missing)).unwrap_err();
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
}

#[test]
fn a_stale_domain_executable_is_named_with_the_command_that_rebuilds_it() {
    // A domain built before this program from another description: the
    // same executable, given an older time.
    let name = format!("stale-domain-{}", std::process::id());
    let stale = std::env::temp_dir().join(&name);
    std::fs::copy(harness::domain_executable("vocab-domain"), &stale).unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let err = Domain::launch::<HostileIsolated>(IsolatedOptions::new(&stale)).unwrap_err();
    let DomainFailure::FingerprintMismatch { detail } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains(&stale.display().to_string()), "{detail}");
    assert!(detail.contains("is older than this program"), "{detail}");
    assert!(
        detail.contains(&format!("`cargo build --bin {name}`")),
        "{detail}"
    );

    // The other way round: this program is the older one.
    let newer = std::time::SystemTime::now() + Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(newer)
        .unwrap();
    let err = Domain::launch::<HostileIsolated>(IsolatedOptions::new(&stale)).unwrap_err();
    assert!(
        err.to_string()
            .contains("this program is older than the domain executable"),
        "{err}"
    );
    std::fs::remove_file(&stale).unwrap();
}

/// Waits (at most 10 s) until the domain has a spare that completed its
/// handshake, and returns its pid.
fn ready_spare(d: &Domain) -> i32 {
    let t = Instant::now();
    loop {
        if let Some(pid) = d.spare_pid() {
            return pid;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "no spare started");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn proc_status(pid: i32, field: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    Some(line[field.len()..].trim().to_string())
}

#[test]
fn a_spare_domain_takes_over_after_a_crash_and_is_replaced() {
    let mut o = harness::hostile::options();
    o.spare = true;
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    let d = domain(&lib);
    let first = d.pid().unwrap();
    let spare = ready_spare(d);
    assert_ne!(spare, first);
    // The spare is confined as the running domain is, before it is needed.
    assert_eq!(proc_status(spare, "Seccomp:").as_deref(), Some("2"));
    assert_eq!(proc_status(spare, "NoNewPrivs:").as_deref(), Some("1"));

    assert_eq!(signaled(lib.segfault().unwrap_err()), 11);
    assert_eq!(lib.ok(1).unwrap(), 2, "the spare serves the next call");
    assert_eq!(d.pid(), Some(spare), "the spare took over");
    assert_eq!(d.restarts(), 1);
    // A new spare is started in the background, and takes over in turn.
    let next = ready_spare(d);
    assert!(next != spare && next != first);
    d.restart().unwrap();
    assert_eq!(d.pid(), Some(next));
    assert_eq!(lib.ok(41).unwrap(), 42);
}

#[test]
fn a_spare_that_died_unused_is_replaced_and_leaves_the_running_handles_valid() {
    use ffi_tests::vocab::vocab::{Vocab, VocabIsolated};
    let mut o = harness::isolated_options("vocab-domain");
    o.spare = true;
    let lib: VocabIsolated = Domain::launch(o).unwrap();
    let d = lib.channel().as_any().downcast_ref::<Domain>().unwrap();
    let c = lib.counter_new(3).unwrap();
    let spare = ready_spare(d);
    let running = d.pid().unwrap();
    // SAFETY: kill on the spare's pid, which this client has not reaped.
    unsafe { libc::kill(spare, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(100));
    // The running incarnation and its handles are untouched.
    assert_eq!(lib.counter_get(&c).unwrap(), 3);
    assert_eq!(d.pid(), Some(running));
    // Its own death then starts a domain the slow way, not the dead spare.
    d.restart().unwrap();
    assert_ne!(d.pid(), Some(spare));
    assert_eq!(
        lib.counter_get(&c).unwrap_err(),
        Error::StaleHandle {
            function: "counter_get",
            param: "c"
        }
    );
    drop(c);
    let fresh = lib.counter_new(5).unwrap();
    assert_eq!(lib.counter_get(&fresh).unwrap(), 5);
}

#[test]
fn dropping_the_client_ends_its_spare() {
    let mut o = harness::hostile::options();
    o.spare = true;
    let lib: HostileIsolated = Domain::launch(o).unwrap();
    let spare = ready_spare(domain(&lib));
    drop(lib);
    // Killed and reaped by the drop: the pid names no process any more.
    assert_eq!(proc_status(spare, "Name:"), None);
}

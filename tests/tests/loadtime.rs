//! Confinement before code: a library's load-time code (a constructor, an
//! `.init_array` entry) runs inside the sandbox, and every escape it attempts
//! is refused and named.
//!
//! The `loadtime` sample library attacks from its load-time hooks, before
//! the domain's `main` runs, as the environment of the domain asks. These
//! tests exist for the Isolated linkage only: Linked and Loaded run a
//! library's load-time code in the caller's own process and promise nothing
//! against it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ffi_desc::DomainFailure;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness;
use ffi_tests::loadtime::loadtime::{Loadtime, LoadtimeIsolated};

/// A word of this process's memory the attacks try to overwrite.
static TARGET: AtomicU64 = AtomicU64::new(0x5afe_5afe_5afe_5afe);

fn options(hook: &str, attack: &str, arg: &str) -> IsolatedOptions {
    let mut o = harness::isolated_options("loadtime-domain");
    o.deadline = Duration::from_secs(5);
    o.domain = o
        .domain
        .env("HL_HOOK", hook)
        .env("HL_ATTACK", attack)
        .env("HL_ARG", arg);
    o
}

/// Starts the domain; the start must fail with a violation naming `syscall`.
fn refused(o: IsolatedOptions, syscall: &str) {
    match Domain::launch::<LoadtimeIsolated>(o) {
        Err(DomainFailure::SandboxViolation { syscall: named }) => {
            assert_eq!(named, syscall, "the refused call is named")
        }
        Err(other) => panic!("expected a violation of `{syscall}`, got {other}"),
        Ok(lib) => panic!("the domain started: the attack returned {:?}", lib.result()),
    }
}

fn client_memory() -> String {
    format!("{}:{:#x}", std::process::id(), TARGET.as_ptr() as usize)
}

#[test]
fn writing_a_file_at_load_time_is_refused() {
    let dir = std::env::temp_dir().join(format!("ffi-loadtime-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for hook in ["constructor", "init_array"] {
        let path = dir.join(format!("{hook}-escaped"));
        refused(
            options(hook, "write_file", path.to_str().unwrap()),
            "openat",
        );
        assert!(!path.exists(), "{hook}: the file was written");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reading_the_clients_environment_is_refused() {
    let pid = std::process::id().to_string();
    refused(options("constructor", "read_env", &pid), "openat");
}

#[test]
fn writing_the_clients_memory_is_refused() {
    refused(
        options("constructor", "write_mem", &client_memory()),
        "openat",
    );
    refused(
        options("init_array", "vm_write", &client_memory()),
        "process_vm_writev",
    );
    assert_eq!(TARGET.load(Ordering::SeqCst), 0x5afe_5afe_5afe_5afe);
}

#[test]
fn a_policy_that_grants_proc_still_cannot_reach_the_client() {
    // Even a careless policy that grants all of /proc: the supervisor never
    // hands out a file of procfs.
    let mut o = options("constructor", "read_env", &std::process::id().to_string());
    o.sandbox.read_paths.push("/proc".into());
    o.sandbox.write_paths.push("/proc".into());
    refused(o, "openat");
    let mut o = options("constructor", "write_mem", &client_memory());
    o.sandbox.write_paths.push("/proc".into());
    refused(o, "openat");
    assert_eq!(TARGET.load(Ordering::SeqCst), 0x5afe_5afe_5afe_5afe);
}

#[test]
fn network_processes_and_signals_are_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    refused(options("constructor", "connect", &port), "socket");
    refused(options("init_array", "connect", &port), "socket");
    listener.set_nonblocking(true).unwrap();
    assert!(listener.accept().is_err(), "nothing connected");

    refused(options("constructor", "fork", ""), "clone");
    refused(options("constructor", "exec", ""), "execve");
    let me = std::process::id().to_string();
    refused(options("constructor", "ptrace", &me), "ptrace");
    refused(options("constructor", "kill", &me), "kill");
}

#[test]
fn a_rewritten_policy_changes_nothing() {
    // The constructor rewrites the variables an earlier design read its
    // policy from; the domain's policy was fixed before it executed.
    let lib = Domain::launch::<LoadtimeIsolated>(options("constructor", "rewrite_policy", ""))
        .expect("the domain starts");
    assert_eq!(lib.attacked().unwrap(), 1, "the hook ran");
    assert_eq!(lib.result().unwrap(), 0, "setenv succeeded");
    let err = lib.open("/etc/passwd").unwrap_err();
    assert_eq!(
        harness::check::failure(err),
        DomainFailure::SandboxViolation {
            syscall: "openat".into()
        }
    );
}

/// The domain's `/proc/<pid>/status` field `name`, read by the client.
fn status_field(pid: i32, name: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {name} in the status"))
        .trim()
        .to_string()
}

fn started(attack: &str) -> (LoadtimeIsolated, i32) {
    let lib = Domain::launch::<LoadtimeIsolated>(options("none", attack, "")).unwrap();
    let pid = harness::check::domain(lib.channel()).pid().unwrap();
    (lib, pid)
}

#[test]
fn the_domain_holds_no_privilege_and_no_network() {
    let (_lib, pid) = started("none");
    assert_eq!(status_field(pid, "CapEff"), "0000000000000000");
    assert_eq!(status_field(pid, "CapPrm"), "0000000000000000");
    assert_eq!(status_field(pid, "NoNewPrivs"), "1");
    assert_eq!(status_field(pid, "Seccomp"), "2");
    // SAFETY: geteuid takes no arguments and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        let uids = status_field(pid, "Uid");
        assert!(
            uids.split_whitespace().all(|u| u == "65534"),
            "a root client's domain runs as nobody: {uids}"
        );
    }
    // Its own network namespace: the loopback interface, nothing else.
    let dev = std::fs::read_to_string(format!("/proc/{pid}/net/dev")).unwrap();
    let interfaces: Vec<&str> = dev
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(interfaces, ["lo"]);
}

#[test]
fn stdio_cannot_be_read_from() {
    let (lib, _) = started("none");
    assert_eq!(lib.read_fd(0).unwrap(), 0, "stdin is /dev/null");
    assert_eq!(
        lib.read_fd(1).unwrap(),
        -libc::EBADF,
        "stdout is write-only"
    );
    assert_eq!(
        lib.read_fd(2).unwrap(),
        -libc::EBADF,
        "stderr is write-only"
    );
    assert_eq!(
        lib.read_fd(4).unwrap(),
        -libc::EBADF,
        "nothing else is open"
    );
}

#[test]
fn tasks_are_bounded_per_domain() {
    let (lib, pid) = started("none");
    // Raw clone() threads on one shared stack, as fast as the kernel allows.
    let spun = lib.spin_threads(3000).unwrap();
    let bound = ffi_isolate::sandbox::SandboxPolicy::default().max_tasks as i32;
    assert!(
        spun > 0 && spun < bound,
        "{spun} threads started under a bound of {bound} tasks"
    );
    let threads: i32 = status_field(pid, "Threads").parse().unwrap();
    assert!(threads <= bound, "{threads} tasks");
    // The client sees them, and ends them with the incarnation.
    let domain = harness::check::domain(lib.channel());
    domain.restart().unwrap();
    let pid = domain.pid().unwrap();
    assert!(status_field(pid, "Threads").parse::<i32>().unwrap() < 4);
    assert_eq!(lib.attacked().unwrap(), 0);
}

/// Set in the child process of `output_reaches_the_clients_stderr`.
const SAY_ENV: &str = "FFI_LOADTIME_SAY";

#[test]
fn output_reaches_the_clients_stderr() {
    if let Ok(marker) = std::env::var(SAY_ENV) {
        // The child: the domain writes to its stderr, which is forwarded.
        let (lib, _) = started("none");
        assert_eq!(lib.say(marker.as_str()).unwrap(), 0);
        return;
    }
    let marker = format!("loadtime-marker-{}", std::process::id());
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "output_reaches_the_clients_stderr",
            "--nocapture",
        ])
        .env(SAY_ENV, &marker)
        .output()
        .unwrap();
    assert!(out.status.success(), "the child failed: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().any(|l| l == marker),
        "the domain's line is not in the client's stderr:\n{stderr}"
    );
}

#[test]
fn granted_files_are_opened_and_a_flood_of_requests_is_paced() {
    let mut o = options("none", "none", "");
    o.sandbox.read_paths.push("/etc/hostname".into());
    let lib = Domain::launch::<LoadtimeIsolated>(o).unwrap();
    let fd = lib.open("/etc/hostname").unwrap();
    assert!(fd > 3, "a descriptor of the domain's: {fd}");
    let started = std::time::Instant::now();
    assert_eq!(lib.open_loop("/etc/hostname", 3000).unwrap(), 3000);
    // The supervisor answers at most 1,000 requests per 100 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "3,000 opens in {:?}",
        started.elapsed()
    );
    // Beside the grant, nothing: its directory is not granted.
    assert_eq!(
        harness::check::failure(lib.open("/etc/passwd").unwrap_err()),
        DomainFailure::SandboxViolation {
            syscall: "openat".into()
        }
    );
}

#[test]
fn an_ifunc_resolver_is_confined_too() {
    // The resolver runs during relocation, before any constructor, and
    // attacks when the CPU-time limit reads 4242 s (tests/c/loadtime_hooks.c).
    let mut o = options("none", "none", "");
    o.sandbox.cpu_time_limit = Some(4242);
    refused(o, "socket");
    // Any other limit: it stays quiet, and the domain starts.
    let mut o = options("none", "none", "");
    o.sandbox.cpu_time_limit = Some(4243);
    let lib = Domain::launch::<LoadtimeIsolated>(o).expect("the domain starts");
    assert_eq!(lib.attacked().unwrap(), 0);
}

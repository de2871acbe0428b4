//! The hostile C library: its header declares exactly the documented API, its
//! shared object exports all of it, its static archive is linked into
//! dependents, and the harmless functions do what `hostile.h` says when
//! called in this process. The crashing, hanging and escaping functions are
//! never called here: they belong inside an isolated domain.

#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_int, c_long, c_ulonglong};
use std::fs::File;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

// Make rustc load sample-libs, which carries the whole static archive.
use sample_libs as _;

unsafe extern "C" {
    fn hx_ok(x: c_int) -> c_int;
    fn hx_sleep_ms(ms: c_int) -> c_int;
    fn hx_count_fds() -> c_int;
    fn hx_list_fds(out: *mut c_int, cap: c_int) -> c_int;
    fn hx_get_rlimit(resource: c_int, want_max: c_int) -> c_long;
    fn hx_flood(bytes: c_int) -> c_int;
    fn hx_ring_poke(offset: c_int, width: c_int, value: c_ulonglong) -> c_int;
    fn hx_ring_poke_later(
        offset: c_int,
        width: c_int,
        value: c_ulonglong,
        delay_us: c_int,
    ) -> c_int;
    fn hx_ring_flip_loop(offset: c_int, duration_ms: c_int) -> c_int;
    fn hx_futex_storm(duration_ms: c_int) -> c_int;
}

/// Linux errno values.
const EBADF: c_int = 9;
const EINVAL: c_int = 22;

/// `RLIMIT_NOFILE` on Linux (every architecture but alpha, mips and sparc).
const RLIMIT_NOFILE: c_int = 7;

/// The descriptor at which an isolated domain finds its ring.
const RING_FD: c_int = 3;

/// The exact declarations of `hostile.h`: the library's API.
const DECLARATIONS: &[&str] = &[
    "int hx_ok(int x);",
    "int hx_twice(int x);",
    "int hx_segfault(void);",
    "int hx_abort(void);",
    "int hx_stack_overflow(int depth);",
    "int hx_kill_self(void);",
    "int hx_loop_forever(void);",
    "int hx_sleep_forever(void);",
    "int hx_sleep_ms(int ms);",
    "int hx_exit(int code);",
    "long hx_alloc_unbounded(void);",
    "int hx_open_passwd(void);",
    "int hx_connect_local(int port);",
    "int hx_exec_shell(void);",
    "int hx_ptrace_parent(void);",
    "int hx_fork_loop(void);",
    "int hx_flood(int bytes);",
    "int hx_spawn_spinner(void);",
    "int hx_thread_open_passwd(void);",
    "int hx_count_fds(void);",
    "int hx_list_fds(int *out, int cap);",
    "long hx_get_rlimit(int resource, int want_max);",
    "int hx_ring_poke(int offset, int width, unsigned long long value);",
    "int hx_ring_poke_later(int offset, int width, unsigned long long value, int delay_us);",
    "int hx_ring_flip_loop(int offset, int duration_ms);",
    "int hx_futex_storm(int duration_ms);",
    "int hx_event_make(int mode, hx_event *out);",
    "void hx_event_free(hx_event *ev);",
    "int hx_events_freed(void);",
    "const hx_event *hx_event_static(int mode);",
];

/// Serialises the tests that open descriptors or depend on which are open.
static FDS: Mutex<()> = Mutex::new(());

fn lock_fds() -> MutexGuard<'static, ()> {
    FDS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The open descriptors among 0..1023, as `hx_list_fds` sees them.
fn open_fds() -> Vec<c_int> {
    let mut out = vec![-1; 1024];
    let n = unsafe { hx_list_fds(out.as_mut_ptr(), 1024) };
    assert!((0..=1024).contains(&n), "{n}");
    out.truncate(n as usize);
    out
}

/// The `hx_` function names declared in the header, in order.
/// Reads a file while no test depends on which descriptors are open (the
/// read opens one).
fn read_locked(path: &str) -> String {
    let _fds = lock_fds();
    std::fs::read_to_string(path).unwrap()
}

fn header_functions() -> Vec<String> {
    let header = read_locked(sample_libs::HOSTILE_HEADER);
    let mut functions: Vec<String> = Vec::new();
    for (at, _) in header.match_indices("hx_") {
        let rest = &header[at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let before = header[..at].chars().next_back();
        let is_word_start = !matches!(before, Some(c) if c.is_ascii_alphanumeric() || c == '_');
        let name = &rest[..end];
        if is_word_start && rest[end..].starts_with('(') && !functions.iter().any(|f| f == name) {
            functions.push(name.to_owned());
        }
    }
    functions
}

#[test]
fn header_declares_exactly_the_api() {
    let dir = Path::new(sample_libs::VOCAB_HEADER_DIR);
    assert_eq!(
        Path::new(sample_libs::HOSTILE_HEADER),
        dir.join("hostile.h")
    );
    let header = read_locked(sample_libs::HOSTILE_HEADER);
    for declaration in DECLARATIONS {
        assert!(header.contains(declaration), "missing: {declaration}");
    }
    assert_eq!(header_functions().len(), DECLARATIONS.len());
    let source = read_locked(sample_libs::HOSTILE_SOURCE);
    assert!(source.contains("#include \"hostile.h\""));
}

#[test]
fn shared_object_exports_every_function_of_the_header() {
    let path = Path::new(sample_libs::HOSTILE_SHARED_LIBRARY);
    assert!(path.is_absolute(), "{}", path.display());
    assert_eq!(path.file_name().unwrap(), "libsample_hostile.so");
    let so = {
        let _fds = lock_fds();
        std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert_eq!(&so[..4], b"\x7fELF", "{} is not ELF", path.display());
    let functions = header_functions();
    assert_eq!(functions.len(), DECLARATIONS.len(), "{functions:?}");
    for f in functions {
        let mut needle = f.as_bytes().to_vec();
        needle.push(0);
        assert!(
            so.windows(needle.len()).any(|w| w == needle.as_slice()),
            "{f} is not in the shared object"
        );
    }
}

#[test]
fn shared_object_is_beside_vocab_and_not_beside_the_static_archive() {
    let so_dir = Path::new(sample_libs::HOSTILE_SHARED_LIBRARY)
        .parent()
        .unwrap();
    assert_eq!(
        so_dir,
        Path::new(sample_libs::VOCAB_SHARED_LIBRARY)
            .parent()
            .unwrap()
    );
    assert!(!so_dir.join("libsample_hostile.a").exists());
    assert!(so_dir
        .parent()
        .unwrap()
        .join("libsample_hostile.a")
        .exists());
}

#[test]
fn ok_returns_its_argument_plus_one() {
    assert_eq!(unsafe { hx_ok(41) }, 42);
    assert_eq!(unsafe { hx_ok(-1) }, 0);
    assert_eq!(unsafe { hx_ok(c_int::MAX) }, c_int::MIN);
}

#[test]
fn sleep_ms_sleeps_and_returns_its_argument() {
    let start = Instant::now();
    assert_eq!(unsafe { hx_sleep_ms(1) }, 1);
    assert!(start.elapsed() >= Duration::from_millis(1));
    assert_eq!(unsafe { hx_sleep_ms(0) }, 0);
    assert_eq!(unsafe { hx_sleep_ms(-1) }, -EINVAL);
}

#[test]
fn count_and_list_fds_agree_and_see_a_new_descriptor() {
    let _fds = lock_fds();
    let before = open_fds();
    assert_eq!(unsafe { hx_count_fds() } as usize, before.len());
    assert!(before.windows(2).all(|w| w[0] < w[1]), "{before:?}");
    assert!(before.iter().all(|fd| (0..1024).contains(fd)), "{before:?}");

    let file = File::open(sample_libs::HOSTILE_HEADER).unwrap();
    let during = open_fds();
    assert_eq!(during.len(), before.len() + 1, "{before:?} -> {during:?}");
    let new: Vec<c_int> = during
        .iter()
        .copied()
        .filter(|fd| !before.contains(fd))
        .collect();
    assert_eq!(new.len(), 1, "{before:?} -> {during:?}");
    {
        use std::os::fd::AsRawFd;
        assert_eq!(new[0], file.as_raw_fd());
    }
    drop(file);
    assert_eq!(open_fds(), before);

    // A short buffer: only `cap` entries are written, the count is still
    // all of them.
    let mut two = [-7; 4];
    let n = unsafe { hx_list_fds(two.as_mut_ptr(), 2) };
    assert_eq!(n as usize, before.len());
    let written = before.len().min(2);
    assert_eq!(&two[..written], &before[..written]);
    assert!(two[written..].iter().all(|&v| v == -7), "{two:?}");
    // No buffer at all.
    assert_eq!(
        unsafe { hx_list_fds(std::ptr::null_mut(), 0) } as usize,
        before.len()
    );
}

/// The soft and hard limits on open files, from `/proc/self/limits`
/// (`None` for "unlimited").
fn proc_nofile_limits() -> (Option<c_long>, Option<c_long>) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("a Max open files line");
    let mut fields = line["Max open files".len()..].split_whitespace();
    let mut parse = || match fields.next().unwrap() {
        "unlimited" => None,
        n => Some(n.parse::<c_long>().unwrap()),
    };
    let soft = parse();
    let hard = parse();
    (soft, hard)
}

#[test]
fn get_rlimit_reads_the_open_files_limit() {
    let (soft, hard) = {
        let _fds = lock_fds();
        proc_nofile_limits()
    };
    let cur = unsafe { hx_get_rlimit(RLIMIT_NOFILE, 0) };
    let max = unsafe { hx_get_rlimit(RLIMIT_NOFILE, 1) };
    assert_eq!(cur, soft.unwrap_or(-1));
    assert_eq!(max, hard.unwrap_or(-1));
    assert!(cur > 0 || cur == -1, "{cur}");
    assert_eq!(unsafe { hx_get_rlimit(-1, 0) }, -c_long::from(EINVAL));
    assert_eq!(unsafe { hx_get_rlimit(1000, 1) }, -c_long::from(EINVAL));
}

#[test]
fn ring_attacks_fail_cleanly_without_a_ring() {
    let _fds = lock_fds();
    // Bad arguments are refused before descriptor 3 is looked at.
    assert_eq!(unsafe { hx_ring_poke(0, 3, 1) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_poke(0, 0, 1) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_poke(-1, 4, 1) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_poke_later(0, 16, 1, 0) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_poke_later(0, 4, 1, -1) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_flip_loop(-5, 1) }, -EINVAL);
    assert_eq!(unsafe { hx_ring_flip_loop(0, -1) }, -EINVAL);
    assert_eq!(unsafe { hx_futex_storm(-1) }, -EINVAL);

    if open_fds().contains(&RING_FD) {
        // Inherited from whatever started the tests: what it is decides the
        // error, and nothing here may write to it. The calls above were all
        // refused before touching it.
        eprintln!("descriptor {RING_FD} is open here; skipping the no-ring checks");
        return;
    }
    assert_eq!(unsafe { hx_ring_poke(0, 4, 0xdead_beef) }, -EBADF);
    assert_eq!(unsafe { hx_ring_poke(8, 8, u64::MAX) }, -EBADF);
    assert_eq!(unsafe { hx_ring_poke_later(0, 4, 1, 1000) }, -EBADF);
    assert_eq!(unsafe { hx_ring_flip_loop(20, 10) }, -EBADF);
    assert_eq!(unsafe { hx_futex_storm(10) }, -EBADF);
}

#[test]
fn flood_of_nothing_writes_nothing() {
    assert_eq!(unsafe { hx_flood(0) }, 0);
    assert_eq!(unsafe { hx_flood(-1) }, -EINVAL);
}

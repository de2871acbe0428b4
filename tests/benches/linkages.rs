//! The `linkages` benchmark: every linkage against its peers and against the
//! physical floor, as ratios measured in one run on one machine.
//!
//! ```text
//! cargo bench -p ffi-tests --bench linkages              # the full run
//! cargo bench -p ffi-tests --bench linkages -- --quick   # under a minute
//! scripts/callgrind-linked                               # instruction counts, Linked vs raw
//! ```
//!
//! It prints a table and writes every figure to `<target>/bench/linkages.json`
//! (one object per measurement: `name`, `median_ns`, `p99_ns`, `ratio_to`,
//! `ratio`, and where it applies `bytes`/`gb_per_s` or `kib`), and the
//! issue's targets, checked, to `<target>/bench/linkages-targets.json`.
//!
//! Other modes of the same binary: `--callgrind-linked [N]` runs N raw calls
//! and N Linked calls in separately named functions for callgrind;
//! `--wait-sweep` times the Isolated null call and 1 MiB in and out for a
//! range of client spin bounds and two ring sizes; `--callers` runs the
//! many-callers section alone;
//! `--child-exit` and `--child-idle` are the children of the process
//! baselines. `--only <text>` runs only the sections whose title holds it.
//!
//! The domain executables (`vocab-domain`, `zlib-domain`, `sqlite-domain`,
//! `expat-domain`, `yaml-domain`) are this package's binaries: Cargo builds them, with the
//! bench profile, before it runs a benchmark of the package, and their
//! paths are compiled in.

#[path = "linkages/callers.rs"]
mod callers;
#[path = "linkages/cross_core.rs"]
mod cross_core;
#[path = "linkages/ipc.rs"]
mod ipc;
#[path = "linkages/measure.rs"]
mod measure;
#[path = "linkages/report.rs"]
mod report;
#[path = "linkages/targets.rs"]
mod targets;

use ffi_desc::shared::SharedBuf;
use ffi_desc::shared_out::SharedOut;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::vocab::vocab::{Vocab, VocabIsolated, VocabLinked, VocabLoaded};
use ffi_tests::zlib::zlib::{Zlib, ZlibIsolated, ZlibLinked, ZlibLoaded};
use measure::{measure, measure_each, measure_pair, measure_pair_around, Config, Stats};
use report::{fmt_ratio, Report};
use std::ffi::{c_char, c_int, c_long, c_void};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const VOCAB_DOMAIN: &str = env!("CARGO_BIN_EXE_vocab-domain");
const ZLIB_DOMAIN: &str = env!("CARGO_BIN_EXE_zlib-domain");
const SQLITE_DOMAIN: &str = env!("CARGO_BIN_EXE_sqlite-domain");
const EXPAT_DOMAIN: &str = env!("CARGO_BIN_EXE_expat-domain");
const YAML_DOMAIN: &str = env!("CARGO_BIN_EXE_yaml-domain");

/// `--only <text>`: run only the sections whose title holds it (the ratios
/// of a row are always against a baseline of its own section).
static ONLY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Calls `$m!` with every arity 0..=15: the number, the method, the C
/// symbol and one parameter name per argument.
macro_rules! arities {
    ($m:ident) => {
        $m! {
            0, int0, sv_int0, [];
            1, int1, sv_int1, [a1];
            2, int2, sv_int2, [a1 a2];
            3, int3, sv_int3, [a1 a2 a3];
            4, int4, sv_int4, [a1 a2 a3 a4];
            5, int5, sv_int5, [a1 a2 a3 a4 a5];
            6, int6, sv_int6, [a1 a2 a3 a4 a5 a6];
            7, int7, sv_int7, [a1 a2 a3 a4 a5 a6 a7];
            8, int8, sv_int8, [a1 a2 a3 a4 a5 a6 a7 a8];
            9, int9, sv_int9, [a1 a2 a3 a4 a5 a6 a7 a8 a9];
            10, int10, sv_int10, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10];
            11, int11, sv_int11, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11];
            12, int12, sv_int12, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12];
            13, int13, sv_int13, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13];
            14, int14, sv_int14, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14];
            15, int15, sv_int15, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15];
        }
    };
}

/// The vocab functions called directly, as a program with its own `extern`
/// block would; the symbols come from the static archive `sample-libs` links.
mod raw {
    use std::ffi::{c_char, c_int, c_long};

    /// The type of an `int` parameter, for the arity macros.
    macro_rules! int_ty {
        ($x:ident) => {
            c_int
        };
    }
    pub(crate) use int_ty;

    macro_rules! declare_ints {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {
            extern "C" {
                $(pub fn $s($($x: c_int),*) -> c_int;)*
            }
        };
    }
    arities!(declare_ints);

    extern "C" {
        pub fn sv_noop();
        pub fn sv_strlen(s: *const c_char) -> usize;
        pub fn sv_sum(xs: *const c_int, n: usize) -> c_long;
        pub fn sv_fill(buf: *mut u8, cap: usize, fill: u8) -> usize;
        pub fn sv_reverse(buf: *mut u8, len: usize);
    }
}

/// A few arities, for the rows that need not cover all sixteen.
macro_rules! some_arities {
    ($m:ident) => {
        $m! {
            0, int0, sv_int0, [];
            1, int1, sv_int1, [a1];
            7, int7, sv_int7, [a1 a2 a3 a4 a5 a6 a7];
            8, int8, sv_int8, [a1 a2 a3 a4 a5 a6 a7 a8];
            15, int15, sv_int15, [a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15];
        }
    };
}

/// The same vocab functions described a second time, in a description with
/// no callbacks. A description with a stored callback (vocab has `set_logger`)
/// makes every wrapper clear and check the thread's callback-panic flag
/// around the call; this one does not, which separates that cost from the
/// rest of the wrapper.
#[ffi_desc::foreign(
    library = "sample_vocab",
    header = "vocab.h",
    prefix = "sv_",
    link = false
)]
mod plain {
    /// vocab without callbacks.
    pub trait Plain {
        fn noop();
        fn int0() -> c_int;
        fn int1(a1: c_int) -> c_int;
        fn int7(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
        ) -> c_int;
        fn int8(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
            a8: c_int,
        ) -> c_int;
        fn int15(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
            a8: c_int,
            a9: c_int,
            a10: c_int,
            a11: c_int,
            a12: c_int,
            a13: c_int,
            a14: c_int,
            a15: c_int,
        ) -> c_int;
        fn strlen(s: CStr) -> size_t;
    }
}
use plain::{Plain, PlainLinked, PlainLoaded};

const KIB4: usize = 4096;
const MIB: usize = 1 << 20;
const STRING: &std::ffi::CStr = c"the quick brown fox jumps over the lazy dog";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    if flag("--child-exit") {
        return;
    }
    if flag("--child-idle") {
        // Blocks until the parent closes our standard input.
        let _ = std::io::Read::read(&mut std::io::stdin(), &mut [0u8; 1]);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--callgrind-linked") {
        let n = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(100_000);
        callgrind_linked(n);
        return;
    }
    if flag("--wait-sweep") {
        wait_sweep();
        return;
    }
    if flag("--callers") {
        let mut rep = Report::default();
        callers::many_callers(&Config::quick(), true, &mut rep);
        println!("{}", rep.table());
        return;
    }
    if let Some(only) = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
    {
        let _ = ONLY.set(only.clone());
    }
    let quick = flag("--quick");
    let cfg = if quick {
        Config::quick()
    } else {
        Config::full()
    };
    let json_path = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("bench").join("linkages.json"));

    let started = Instant::now();
    let load_before = loadavg();
    eprintln!(
        "linkages: {} run; load average {load_before}",
        if quick { "quick" } else { "full" }
    );
    let mut rep = Report::default();

    section(&mut rep, "baselines between two processes", |rep| {
        ipc_baselines(&cfg, rep)
    });
    section(&mut rep, "Linked against raw extern \"C\"", |rep| {
        linked_vs_raw(&cfg, rep)
    });
    section(
        &mut rep,
        "Loaded against raw libloading and libffi",
        |rep| loaded_vs_dl(&cfg, rep),
    );
    section(&mut rep, "Isolated calls", |rep| isolated_calls(&cfg, rep));
    section(&mut rep, "many callers", |rep| {
        callers::many_callers(&cfg, quick, rep)
    });
    section(&mut rep, "domain start, restart, memory", |rep| {
        domain_lifecycle(&cfg, quick, rep)
    });
    section(&mut rep, "zlib 1 MiB", |rep| zlib_workload(quick, rep));
    section(&mut rep, "sqlite3 10,000 inserts", |rep| {
        sqlite_workload(quick, rep)
    });
    section(&mut rep, "expat 100,000 elements", |rep| {
        expat_workload(quick, rep)
    });
    section(&mut rep, "libyaml 10,000 events", |rep| {
        yaml_workload(quick, rep)
    });

    let targets = targets::targets(&rep);
    let load_after = loadavg();
    let cpu = cpu_model();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!();
    println!(
        "linkages: {} run, {:.1} s, on {cores} cores of {cpu}; load average {load_before} before, {load_after} after",
        if quick { "quick" } else { "full" },
        started.elapsed().as_secs_f64(),
    );
    println!("ratios are against the row named under `against`, measured in this run");
    println!();
    print!("{}", rep.table());
    println!();
    println!("targets (the goals of the open issues):");
    for t in &targets {
        let v = t.value.map(fmt_ratio).unwrap_or_else(|| "-".into());
        let verdict = match t.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "not measured",
        };
        println!("  {:<62} {:>10}  {}", t.text, v, verdict);
    }

    let targets_json: Vec<serde_json::Value> = targets
        .iter()
        .map(|t| serde_json::json!({ "target": t.text, "value": t.value, "met": t.met }))
        .collect();
    let run_json = serde_json::json!({
        "mode": if quick { "quick" } else { "full" },
        "seconds": started.elapsed().as_secs_f64(),
        "cpu": cpu,
        "cores": cores,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "targets": targets_json,
    });
    let write = |path: &Path, v: &serde_json::Value| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(v).expect("JSON") + "\n")
    };
    let targets_path = json_path.with_file_name("linkages-targets.json");
    match write(&json_path, &rep.json()).and_then(|()| write(&targets_path, &run_json)) {
        Ok(()) => println!(
            "\nwrote {} and {}",
            json_path.display(),
            targets_path.display()
        ),
        Err(e) => eprintln!("could not write {}: {e}", json_path.display()),
    }
}

/// The 1, 5 and 15 minute load averages.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// The processor's model name.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into())
}

/// The target directory: the benchmark runs as `<target>/<profile>/deps/linkages-*`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable's path");
    let deps = exe.parent().expect("a directory");
    match deps.file_name().and_then(|n| n.to_str()) {
        Some("deps") => deps
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("target"))
            .into(),
        _ => PathBuf::from("target"),
    }
}

/// Runs one section; a panic inside it is reported and the run goes on.
fn section(rep: &mut Report, title: &str, f: impl FnOnce(&mut Report)) {
    if ONLY
        .get()
        .is_some_and(|only| !title.contains(only.as_str()))
    {
        return;
    }
    eprintln!("{title}");
    rep.section += 1;
    let mut local = Report {
        section: rep.section,
        ..Report::default()
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut local)));
    rep.rows.append(&mut local.rows);
    rep.skipped.append(&mut local.skipped);
    rep.notes.append(&mut local.notes);
    if let Err(p) = outcome {
        let why = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panicked".into());
        rep.skip(title, why);
    }
}

// ---------------------------------------------------------------------------
// Baselines between two processes.

fn ipc_baselines(cfg: &Config, rep: &mut Report) {
    let mut spin = ipc::Spin::start().expect("fork the spin child");
    rep.time(
        "floor/shm-spin-rtt",
        measure(cfg, || spin.round_trip()),
        "floor/shm-spin-rtt",
    );
    drop(spin);
    let mut futex = ipc::Futex::start().expect("fork the futex child");
    rep.time(
        "ipc/futex-rtt",
        measure(cfg, || futex.round_trip()),
        "floor/shm-spin-rtt",
    );
    drop(futex);
    let mut pipes = ipc::Stream::pipes().expect("fork the pipe child");
    rep.time(
        "ipc/pipe-rtt",
        measure(cfg, || pipes.round_trip()),
        "floor/shm-spin-rtt",
    );
    drop(pipes);
    let mut sock = ipc::Stream::unix_socket().expect("fork the socket child");
    rep.time(
        "ipc/unix-socket-rtt",
        measure(cfg, || sock.round_trip()),
        "floor/shm-spin-rtt",
    );
}

// ---------------------------------------------------------------------------
// Linked against raw.

fn linked_vs_raw(cfg: &Config, rep: &mut Report) {
    let lib = VocabLinked::new();
    let (r, w) = measure_pair(
        cfg,
        // SAFETY: `void sv_noop(void)`.
        || unsafe { raw::sv_noop() },
        || lib.noop().unwrap(),
    );
    rep.time("raw/noop", r, "raw/noop");
    rep.time("linked/noop", w, "raw/noop");
    macro_rules! pairs {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {$({
            let (r, w) = measure_pair(
                cfg,
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { raw::$s($($x),*) });
                },
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(lib.$m($($x),*).unwrap());
                },
            );
            rep.time(concat!("raw/int", $n), r, concat!("raw/int", $n));
            rep.time(concat!("linked/int", $n), w, concat!("raw/int", $n));
        })*};
    }
    arities!(pairs);

    let (r, w) = measure_pair(
        cfg,
        || {
            let s = black_box(STRING);
            // SAFETY: a NUL-terminated string.
            black_box(unsafe { raw::sv_strlen(s.as_ptr()) });
        },
        || {
            black_box(lib.strlen(black_box(STRING)).unwrap());
        },
    );
    rep.time("raw/strlen", r, "raw/strlen");
    rep.time("linked/strlen", w, "raw/strlen");

    // The same wrapper from a description without callbacks.
    let plain = PlainLinked::new();
    macro_rules! plain_pairs {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {$({
            let (r, w) = measure_pair(
                cfg,
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { raw::$s($($x),*) });
                },
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(plain.$m($($x),*).unwrap());
                },
            );
            rep.time(concat!("raw/int", $n, "#2"), r, concat!("raw/int", $n, "#2"));
            rep.time(concat!("linked-nocb/int", $n), w, concat!("raw/int", $n, "#2"));
        })*};
    }
    some_arities!(plain_pairs);
    let (r, w) = measure_pair(
        cfg,
        || {
            let s = black_box(STRING);
            // SAFETY: a NUL-terminated string.
            black_box(unsafe { raw::sv_strlen(s.as_ptr()) });
        },
        || {
            black_box(plain.strlen(black_box(STRING)).unwrap());
        },
    );
    rep.time("raw/strlen#2", r, "raw/strlen#2");
    rep.time("linked-nocb/strlen", w, "raw/strlen#2");

    buffers_pairs(
        cfg,
        rep,
        "raw",
        "linked",
        &lib,
        |xs| {
            // SAFETY: `xs` is valid for its length.
            unsafe { raw::sv_sum(xs.as_ptr(), xs.len()) }
        },
        |buf| {
            // SAFETY: `buf` is writable for its length.
            unsafe { raw::sv_fill(buf.as_mut_ptr(), buf.len(), 0xab) }
        },
        |buf| {
            // SAFETY: `buf` is readable and writable for its length.
            unsafe { raw::sv_reverse(buf.as_mut_ptr(), buf.len()) }
        },
    );
}

/// The 4 KiB buffer pairs (in, out, in-out) of a peer and a linkage.
#[allow(clippy::too_many_arguments)]
fn buffers_pairs<L: Vocab>(
    cfg: &Config,
    rep: &mut Report,
    peer: &str,
    linkage: &str,
    lib: &L,
    sum: impl Fn(&[c_int]) -> c_long,
    fill: impl Fn(&mut [u8]) -> usize,
    reverse: impl Fn(&mut [u8]),
) {
    let xs: Vec<c_int> = (0..(KIB4 / 4) as c_int).collect();
    let mut b1 = vec![1u8; KIB4];
    let mut b2 = vec![1u8; KIB4];
    let (r, w) = measure_pair(
        cfg,
        || {
            black_box(sum(black_box(&xs)));
        },
        || {
            black_box(lib.sum(black_box(&xs)).unwrap());
        },
    );
    let (pn, ln) = (format!("{peer}/sum-4k"), format!("{linkage}/sum-4k"));
    rep.bytes(&pn, r, &pn, KIB4 as u64);
    rep.bytes(ln, w, &pn, KIB4 as u64);
    let (r, w) = measure_pair(
        cfg,
        || {
            black_box(fill(black_box(&mut b1)));
        },
        || {
            black_box(lib.fill(black_box(&mut b2), 0xab).unwrap());
        },
    );
    let (pn, ln) = (format!("{peer}/fill-4k"), format!("{linkage}/fill-4k"));
    rep.bytes(&pn, r, &pn, KIB4 as u64);
    rep.bytes(ln, w, &pn, KIB4 as u64);
    let (r, w) = measure_pair(
        cfg,
        || reverse(black_box(&mut b1)),
        || lib.reverse(black_box(&mut b2)).unwrap(),
    );
    let (pn, ln) = (
        format!("{peer}/reverse-4k"),
        format!("{linkage}/reverse-4k"),
    );
    rep.bytes(&pn, r, &pn, KIB4 as u64);
    rep.bytes(ln, w, &pn, KIB4 as u64);
}

// ---------------------------------------------------------------------------
// Loaded against raw libloading and libffi.

fn loaded_vs_dl(cfg: &Config, rep: &mut Report) {
    let path = sample_libs::VOCAB_SHARED_LIBRARY;
    // SAFETY: the vocab shared object, built from the same sources.
    let lib = unsafe { VocabLoaded::open(path) }.expect("open the vocab shared object");
    // SAFETY: as above.
    let dl = unsafe { libloading::Library::new(path) }.expect("dlopen the vocab shared object");

    macro_rules! pairs {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {$({
            type F = unsafe extern "C" fn($(raw::int_ty!($x)),*) -> c_int;
            // SAFETY: the symbol has this type (vocab.h).
            let f = unsafe { dl.get::<F>(concat!(stringify!($s), "\0").as_bytes()) };
            let f = f.expect("symbol");
            let f = &f;
            let (r, w) = measure_pair(
                cfg,
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { (**f)($($x),*) });
                },
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(lib.$m($($x),*).unwrap());
                },
            );
            rep.time(concat!("dl/int", $n), r, concat!("dl/int", $n));
            rep.time(concat!("loaded/int", $n), w, concat!("dl/int", $n));
        })*};
    }
    arities!(pairs);

    // The same wrapper from a description without callbacks.
    // SAFETY: as above.
    let plain = unsafe { PlainLoaded::open(path) }.expect("open the vocab shared object");
    macro_rules! plain_pairs {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {$({
            type F = unsafe extern "C" fn($(raw::int_ty!($x)),*) -> c_int;
            // SAFETY: the symbol has this type (vocab.h).
            let f = unsafe { dl.get::<F>(concat!(stringify!($s), "\0").as_bytes()) };
            let f = f.expect("symbol");
            let f = &f;
            let (r, w) = measure_pair(
                cfg,
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { (**f)($($x),*) });
                },
                || {
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(plain.$m($($x),*).unwrap());
                },
            );
            rep.time(concat!("dl/int", $n, "#2"), r, concat!("dl/int", $n, "#2"));
            rep.time(concat!("loaded-nocb/int", $n), w, concat!("dl/int", $n, "#2"));
        })*};
    }
    some_arities!(plain_pairs);

    type Strlen = unsafe extern "C" fn(*const c_char) -> usize;
    type Sum = unsafe extern "C" fn(*const c_int, usize) -> c_long;
    type Fill = unsafe extern "C" fn(*mut u8, usize, u8) -> usize;
    type Reverse = unsafe extern "C" fn(*mut u8, usize);
    // SAFETY: each symbol has the type vocab.h gives it.
    let (strlen, sum, fill, reverse) = unsafe {
        (
            dl.get::<Strlen>(b"sv_strlen\0").expect("sv_strlen"),
            dl.get::<Sum>(b"sv_sum\0").expect("sv_sum"),
            dl.get::<Fill>(b"sv_fill\0").expect("sv_fill"),
            dl.get::<Reverse>(b"sv_reverse\0").expect("sv_reverse"),
        )
    };
    let (r, w) = measure_pair(
        cfg,
        || {
            let s = black_box(STRING);
            // SAFETY: a NUL-terminated string.
            black_box(unsafe { strlen(s.as_ptr()) });
        },
        || {
            black_box(lib.strlen(black_box(STRING)).unwrap());
        },
    );
    rep.time("dl/strlen", r, "dl/strlen");
    rep.time("loaded/strlen", w, "dl/strlen");
    buffers_pairs(
        cfg,
        rep,
        "dl",
        "loaded",
        &lib,
        |xs| {
            // SAFETY: `xs` is valid for its length.
            unsafe { sum(xs.as_ptr(), xs.len()) }
        },
        |buf| {
            // SAFETY: `buf` is writable for its length.
            unsafe { fill(buf.as_mut_ptr(), buf.len(), 0xab) }
        },
        |buf| {
            // SAFETY: `buf` is readable and writable for its length.
            unsafe { reverse(buf.as_mut_ptr(), buf.len()) }
        },
    );

    // libffi: the dynamic-call peer, calling the same symbols.
    use libffi::middle::{arg, Cif, CodePtr, Type};
    for n in [0usize, 1, 2, 4, 8, 15] {
        let name = format!("sv_int{n}\0");
        // SAFETY: only the address is taken.
        let sym = unsafe { dl.get::<*mut c_void>(name.as_bytes()) }.expect("symbol");
        let code = CodePtr::from_ptr(*sym as *const c_void);
        let cif = Cif::new(std::iter::repeat_n(Type::c_int(), n), Type::c_int());
        let values: Vec<c_int> = vec![1; n];
        let argv: Vec<_> = values.iter().map(arg).collect();
        let s = measure(cfg, || {
            // SAFETY: the CIF matches `int sv_intN(int, ...)` with N ints.
            black_box(unsafe { cif.call::<c_int>(code, black_box(&argv)) });
        });
        rep.time(format!("libffi/int{n}"), s, format!("dl/int{n}"));
    }
    // SAFETY: only the address is taken.
    let sym = unsafe { dl.get::<*mut c_void>(b"sv_strlen\0") }.expect("symbol");
    let code = CodePtr::from_ptr(*sym as *const c_void);
    let cif = Cif::new([Type::pointer()], Type::usize());
    let p: *const c_char = STRING.as_ptr();
    let s = measure(cfg, || {
        // SAFETY: the CIF matches `size_t sv_strlen(const char *)`.
        black_box(unsafe { cif.call::<usize>(code, &[arg(black_box(&p))]) });
    });
    rep.time("libffi/strlen", s, "dl/strlen");
}

// ---------------------------------------------------------------------------
// Isolated.

fn vocab_options() -> IsolatedOptions {
    let mut o = IsolatedOptions::new(VOCAB_DOMAIN);
    o.deadline = Duration::from_secs(20);
    o
}

fn start_vocab() -> VocabIsolated {
    Domain::launch::<VocabIsolated>(vocab_options()).expect("start the vocab domain")
}

/// Null calls for a quarter of a second, unmeasured.
fn settle(iso: &VocabIsolated) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(250) {
        iso.noop().unwrap();
    }
}

fn start_vocab_with(f: impl FnOnce(&mut IsolatedOptions)) -> VocabIsolated {
    let mut o = vocab_options();
    f(&mut o);
    Domain::launch::<VocabIsolated>(o).expect("start the vocab domain")
}

fn domain_of(lib: &VocabIsolated) -> &Domain {
    lib.channel()
        .as_any()
        .downcast_ref::<Domain>()
        .expect("a process domain")
}

/// Minor page faults and CPU time (user + system, in clock ticks) of a process
/// so far, from `/proc/<pid>/stat`.
fn faults_and_ticks(pid: i32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which ends with the last ')'.
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // minflt is field 10, utime 14, stime 15 (1-based, the pid being 1).
    let n = |i: usize| f.get(i - 3).and_then(|v| v.parse::<u64>().ok());
    Some((n(10)?, n(14)? + n(15)?))
}

/// Runs `f` `n` times and says how many minor page faults each run cost the
/// client and the domain `pid`, and the domain's CPU time per run.
fn fault_note(pid: i32, n: u32, mut f: impl FnMut()) -> String {
    let me = std::process::id() as i32;
    let (Some((c0, _)), Some((d0, t0))) = (faults_and_ticks(me), faults_and_ticks(pid)) else {
        return String::new();
    };
    for _ in 0..n {
        f();
    }
    let (Some((c1, _)), Some((d1, t1))) = (faults_and_ticks(me), faults_and_ticks(pid)) else {
        return String::new();
    };
    // SAFETY: sysconf with a constant name.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    format!(
        "faults/call: client {:.0}, domain {:.0}; domain CPU {:.2} ms/call",
        (c1 - c0) as f64 / f64::from(n),
        (d1 - d0) as f64 / f64::from(n),
        (t1 - t0) as f64 * 1e3 / hz / f64::from(n)
    )
}

fn isolated_calls(cfg: &Config, rep: &mut Report) {
    let iso = start_vocab();
    let lin = VocabLinked::new();
    // A domain just started shares its caller's CPU until the scheduler
    // moves one of them: the first row measured otherwise met that now and
    // then (a null call of 0.8 µs against 0.35-0.41 µs in the rows after).
    settle(&iso);

    rep.time(
        "isolated/noop",
        measure(cfg, || iso.noop().unwrap()),
        "floor/shm-spin-rtt",
    );
    // The floor beside the null call: the spin floor changes severalfold
    // between runs here (where the two virtual CPUs happen to sit), so the
    // ratio that matters is taken from batches of each in turn. The spin
    // child sleeps while the null calls run.
    let spin = std::cell::RefCell::new(ipc::Spin::start().expect("fork the spin child"));
    spin.borrow_mut().pause();
    let (floor, null) = measure_pair_around(
        cfg,
        || spin.borrow_mut().round_trip(),
        || iso.noop().unwrap(),
        |on| {
            if on {
                spin.borrow_mut().resume()
            } else {
                spin.borrow_mut().pause()
            }
        },
    );
    drop(spin);
    rep.time("floor/spin-rtt-beside", floor, "floor/spin-rtt-beside");
    rep.time("isolated/noop-beside", null, "floor/spin-rtt-beside");
    // Every call a frame on the ring, as before the call slot: what the
    // slot saves, in alternate batches.
    let framed = start_vocab_with(|o| o.call_slots = false);
    settle(&framed);
    let (slot, ring) = measure_pair(cfg, || iso.noop().unwrap(), || framed.noop().unwrap());
    drop(framed);
    rep.time("isolated/noop-slot", slot, "isolated/noop-slot");
    rep.time("isolated/noop-framed", ring, "isolated/noop-slot");
    macro_rules! ints {
        ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {$({
            let s = measure(cfg, || {
                let a: c_int = black_box(1);
                    let _ = a;
                $(let $x = a;)*
                black_box(iso.$m($($x),*).unwrap());
            });
            rep.time(concat!("isolated/int", $n), s, "isolated/noop");
        })*};
    }
    arities!(ints);
    let s = measure(cfg, || {
        black_box(iso.strlen(black_box(STRING)).unwrap());
    });
    rep.time("isolated/strlen", s, "isolated/noop");

    // The same call with nothing to visit: its C side never calls back, so
    // the rows below less this one are the callback round trips alone.
    let s = measure(cfg, || {
        black_box(iso.each(black_box(&[]), &mut |v| v + 1).unwrap());
    });
    rep.note(
        "isolated/callback-0",
        s,
        "isolated/noop",
        "the call of the callback rows, calling back 0 times",
    );
    // A callback round trip: one call whose C side calls back once.
    let s = measure(cfg, || {
        black_box(iso.each(&[black_box(7)], &mut |v| v + 1).unwrap());
    });
    rep.note(
        "isolated/callback-1",
        s,
        "isolated/noop",
        "call + 1 callback round trip",
    );
    let s = measure(cfg, || {
        black_box(iso.each(&[7; 8], &mut |v| v + 1).unwrap());
    });
    rep.note(
        "isolated/callback-8",
        s,
        "isolated/noop",
        "call + 8 callback round trips",
    );
    isolated_buffers(cfg, &iso, &lin, rep);
    drop(iso);
    cross_core::cross_core_floors(cfg, &lin, rep, MIB);
    isolated_settings(cfg, rep);
    memory_floors(cfg, rep);
}

/// Buffers through Isolated against the same calls through Linked.
fn isolated_buffers(cfg: &Config, iso: &VocabIsolated, lin: &VocabLinked, rep: &mut Report) {
    // Buffers: in (sum), out (fill), in and out (reverse), 4 KiB and 1 MiB,
    // each against the same call through Linked.
    for (label, bytes) in [("4k", KIB4), ("1m", MIB)] {
        let xs: Vec<c_int> = (0..(bytes / 4) as c_int).collect();
        let mut b1 = vec![1u8; bytes];
        let mut b2 = vec![1u8; bytes];
        let (l, i) = measure_pair(
            cfg,
            || {
                black_box(lin.sum(black_box(&xs)).unwrap());
            },
            || {
                black_box(iso.sum(black_box(&xs)).unwrap());
            },
        );
        if label == "1m" {
            rep.bytes("linked/sum-1m", l, "linked/sum-1m", bytes as u64);
        }
        rep.bytes(
            format!("isolated/sum-{label}"),
            i,
            format!("linked/sum-{label}"),
            bytes as u64,
        );
        if label == "1m" {
            let pid = domain_of(iso).pid().unwrap_or(0);
            let note = fault_note(pid, 50, || {
                black_box(iso.sum(&xs).unwrap());
            });
            rep.notes.push(format!("isolated/sum-1m: {note}"));
            shared_sum(cfg, iso, lin, &xs, rep);
        }
        let (l, i) = measure_pair(
            cfg,
            || {
                black_box(lin.fill(black_box(&mut b1), 0xab).unwrap());
            },
            || {
                black_box(iso.fill(black_box(&mut b2), 0xab).unwrap());
            },
        );
        if label == "1m" {
            rep.bytes("linked/fill-1m", l, "linked/fill-1m", bytes as u64);
        }
        rep.bytes(
            format!("isolated/fill-{label}"),
            i,
            format!("linked/fill-{label}"),
            bytes as u64,
        );
        if label == "1m" {
            let pid = domain_of(iso).pid().unwrap_or(0);
            let note = fault_note(pid, 50, || {
                black_box(iso.fill(&mut b2, 1).unwrap());
            });
            rep.notes.push(format!("isolated/fill-1m: {note}"));
            shared_fill(cfg, iso, lin, rep);
        }
        let (l, i) = measure_pair(
            cfg,
            || lin.reverse(black_box(&mut b1)).unwrap(),
            || iso.reverse(black_box(&mut b2)).unwrap(),
        );
        if label == "1m" {
            rep.bytes("linked/reverse-1m", l, "linked/reverse-1m", bytes as u64);
        }
        // Both ways: twice the bytes cross the ring.
        rep.bytes(
            format!("isolated/reverse-{label}"),
            i,
            format!("linked/reverse-{label}"),
            2 * bytes as u64,
        );
        if label == "1m" {
            shared_reverse(cfg, iso, lin, rep);
        }
    }
}

/// `reverse` of 1 MiB in a `SharedOut`: C reads and writes the caller's
/// buffer in place, in the out arena, and nothing is copied either way.
/// Measured in pairs with the same call through Linked on a `Vec`.
fn shared_reverse(cfg: &Config, iso: &VocabIsolated, lin: &VocabLinked, rep: &mut Report) {
    let mut shared = SharedOut::<u8>::new(iso, MIB).expect("a shared out buffer");
    assert!(shared.is_shared(), "the buffer lies in the out arena");
    let mut plain = vec![1u8; MIB];
    let (l, i) = measure_pair(
        cfg,
        || lin.reverse(black_box(&mut plain)).unwrap(),
        || iso.reverse(black_box(&mut shared)).unwrap(),
    );
    rep.bytes(
        "linked/reverse-1m-pair",
        l,
        "linked/reverse-1m",
        2 * MIB as u64,
    );
    rep.bytes(
        "isolated/reverse-1m-shared",
        i,
        "linked/reverse-1m-pair",
        2 * MIB as u64,
    );
}

/// `sum` of 1 MiB in a `SharedBuf`: C reads the caller's buffer in the
/// domain's read-only mapping of the shared arena, nothing is copied.
/// Measured in pairs with the same call through Linked.
fn shared_sum(
    cfg: &Config,
    iso: &VocabIsolated,
    lin: &VocabLinked,
    xs: &[c_int],
    rep: &mut Report,
) {
    let shared = SharedBuf::from_slice(iso, xs).expect("a shared buffer");
    assert!(shared.is_shared(), "the buffer lies in the shared arena");
    let (l, i) = measure_pair(
        cfg,
        || {
            black_box(lin.sum(black_box(xs)).unwrap());
        },
        || {
            black_box(iso.sum(black_box(&shared)).unwrap());
        },
    );
    let bytes = std::mem::size_of_val(xs) as u64;
    rep.bytes("linked/sum-1m-pair", l, "linked/sum-1m", bytes);
    rep.bytes("isolated/sum-1m-shared", i, "linked/sum-1m-pair", bytes);
}

/// `fill` of 1 MiB into a `SharedOut`: C writes the caller's buffer in
/// place, in the domain's writable mapping of the out arena, and nothing is
/// copied either way. Measured in pairs with the same call through Linked
/// into a `Vec`.
fn shared_fill(cfg: &Config, iso: &VocabIsolated, lin: &VocabLinked, rep: &mut Report) {
    let mut shared = SharedOut::<u8>::new(iso, MIB).expect("a shared out buffer");
    assert!(shared.is_shared(), "the buffer lies in the out arena");
    let mut plain = vec![1u8; MIB];
    let (l, i) = measure_pair(
        cfg,
        || {
            black_box(lin.fill(black_box(&mut plain), 0xab).unwrap());
        },
        || {
            black_box(iso.fill(black_box(&mut shared), 0xab).unwrap());
        },
    );
    rep.bytes("linked/fill-1m-pair", l, "linked/fill-1m", MIB as u64);
    rep.bytes(
        "isolated/fill-1m-shared",
        i,
        "linked/fill-1m-pair",
        MIB as u64,
    );
}

/// The same calls with other waiting, ring and bulk settings.
fn isolated_settings(cfg: &Config, rep: &mut Report) {
    // The same calls with other waiting and ring settings of the client
    // (the domain's own waiting is its default in every case).
    let parked = start_vocab_with(|o| o.wait.spin = Duration::ZERO);
    let s = measure(cfg, || parked.noop().unwrap());
    rep.note(
        "isolated/noop-nospin",
        s,
        "isolated/noop",
        "client parks at once (spin 0)",
    );
    drop(parked);
    let long = start_vocab_with(|o| o.wait.spin = Duration::from_millis(1));
    let s = measure(cfg, || long.noop().unwrap());
    rep.note(
        "isolated/noop-spin1ms",
        s,
        "isolated/noop",
        "client spins up to 1 ms",
    );
    drop(long);
    let big = start_vocab_with(|o| o.ring_order = 20);
    let xs: Vec<c_int> = (0..(MIB / 4) as c_int).collect();
    let mut b = vec![1u8; MIB];
    let s = measure(cfg, || {
        black_box(big.sum(black_box(&xs)).unwrap());
    });
    rep.bytes("isolated/sum-1m-ring1m", s, "isolated/sum-1m", MIB as u64);
    let s = measure(cfg, || {
        black_box(big.fill(black_box(&mut b), 0xab).unwrap());
    });
    rep.bytes("isolated/fill-1m-ring1m", s, "isolated/fill-1m", MIB as u64);
    drop(big);
    // No bulk region: every buffer streams through the ring, as before it.
    let ring_only = start_vocab_with(|o| o.bulk_region = 0);
    let s = measure(cfg, || {
        black_box(ring_only.sum(black_box(&xs)).unwrap());
    });
    rep.bytes("isolated/sum-1m-no-bulk", s, "isolated/sum-1m", MIB as u64);
    let s = measure(cfg, || {
        black_box(ring_only.fill(black_box(&mut b), 0xab).unwrap());
    });
    rep.bytes(
        "isolated/fill-1m-no-bulk",
        s,
        "isolated/fill-1m",
        MIB as u64,
    );
    let s = measure(cfg, || ring_only.reverse(black_box(&mut b)).unwrap());
    rep.bytes(
        "isolated/reverse-1m-no-bulk",
        s,
        "isolated/reverse-1m",
        2 * MIB as u64,
    );
}

/// Moving 1 MiB inside this process: the floors of the buffer rows.
fn memory_floors(cfg: &Config, rep: &mut Report) {
    let xs_bytes = vec![5u8; MIB];
    // What a fresh 1 MiB buffer costs in this process: allocate, zero, free.
    let s = measure(cfg, || {
        let v = vec![0u8; MIB];
        black_box(&v);
    });
    rep.note(
        "floor/alloc-zeroed-1m",
        s,
        "floor/memcpy-1m",
        "vec![0u8; 1 MiB], dropped",
    );
    let s = measure(cfg, || {
        let mut v: Vec<u8> = Vec::with_capacity(MIB);
        v.extend_from_slice(black_box(&xs_bytes));
        black_box(&v);
    });
    rep.note(
        "floor/alloc-copy-1m",
        s,
        "floor/memcpy-1m",
        "new Vec + 1 MiB copied in, dropped",
    );
    // The floor of moving 1 MiB once inside one process.
    let src = vec![3u8; MIB];
    let mut dst = vec![0u8; MIB];
    let s = measure(cfg, || {
        dst.copy_from_slice(black_box(&src));
        black_box(&mut dst);
    });
    rep.bytes("floor/memcpy-1m", s, "floor/memcpy-1m", MIB as u64);
}

/// The Isolated null call against the client's spin bound: how the waiting
/// strategy decides the cost of a call on this machine.
fn wait_sweep() {
    let cfg = Config::quick();
    println!("client spin bound, ring order -> Isolated null call; 1 MiB in (sum); 1 MiB out (fill): medians");
    let xs: Vec<c_int> = vec![1; MIB / 4];
    let mut buf = vec![0u8; MIB];
    for order in [16u16, 20] {
        for us in [0u64, 20, 50, 100, 200, 1000, 5000] {
            let lib = start_vocab_with(|o| {
                o.wait.spin = Duration::from_micros(us);
                o.ring_order = order;
            });
            let noop = measure(&cfg, || lib.noop().unwrap());
            let sum = measure(&cfg, || {
                black_box(lib.sum(&xs).unwrap());
            });
            let fill = measure(&cfg, || {
                black_box(lib.fill(&mut buf, 1).unwrap());
            });
            println!(
                "  {us:>5} µs, order {order}:  {:>10}  {:>10}  {:>10}",
                report::fmt_ns(noop.median_ns),
                report::fmt_ns(sum.median_ns),
                report::fmt_ns(fill.median_ns)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Domain start, restart, memory.

fn kill9(pid: i32) {
    // SAFETY: sends a signal to the domain process we started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// A field of `/proc/<pid>/status`, in KiB.
fn status_kib(pid: i32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The proportional set size of a process, in KiB.
fn pss_kib(pid: i32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let line = text.lines().find(|l| l.starts_with("Pss:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn domain_lifecycle(cfg: &Config, quick: bool, rep: &mut Report) {
    let exe = std::env::current_exe().expect("own path");
    let samples = cfg.slow_samples;

    // A process start: spawn this binary, which exits at once.
    let s = measure_each(samples, || {
        let t = Instant::now();
        let st = std::process::Command::new(&exe)
            .arg("--child-exit")
            .status()
            .expect("spawn");
        let d = t.elapsed();
        assert!(st.success());
        d
    });
    rep.note(
        "baseline/spawn-exit",
        s,
        "baseline/spawn-exit",
        "spawn + exec + exit + wait",
    );

    // Start: launch and handshake; the drop (kill and reap) is not timed.
    let s = measure_each(samples, || {
        let t = Instant::now();
        let lib = start_vocab();
        let d = t.elapsed();
        drop(lib);
        d
    });
    rep.note(
        "isolated/domain-start",
        s,
        "baseline/spawn-exit",
        "spawn + sandbox + handshake",
    );

    let lib = start_vocab();
    lib.noop().unwrap();
    // Restart after a crash, as a user sees it: SIGKILL, then call until a
    // call succeeds (the first one fails: the domain is dead; the next one
    // starts a new domain).
    let mut failed = 0;
    let s = measure_each(samples, || {
        let pid = domain_of(&lib).pid().expect("a live domain");
        kill9(pid);
        let t = Instant::now();
        while lib.noop().is_err() {
            failed += 1;
        }
        t.elapsed()
    });
    rep.note(
        "isolated/crash-recover",
        s,
        "isolated/domain-start",
        format!(
            "SIGKILL → next good call ({:.1} failed calls each)",
            failed as f64 / (samples + 1) as f64
        ),
    );
    // The same with a client park slice of 1 ms instead of 10 ms: how long a
    // death takes to notice is bounded by the slice.
    let short = start_vocab_with(|o| o.wait.park_slice = Duration::from_millis(1));
    short.noop().unwrap();
    let s = measure_each(samples, || {
        let pid = domain_of(&short).pid().expect("a live domain");
        kill9(pid);
        let t = Instant::now();
        while short.noop().is_err() {}
        t.elapsed()
    });
    rep.note(
        "isolated/crash-recover-slice1ms",
        s,
        "isolated/domain-start",
        "as above, park slice 1 ms",
    );
    drop(short);
    let spare_pss = crash_recover_with_spare(samples, rep);
    // Restart after a crash, explicitly.
    let s = measure_each(samples, || {
        let d = domain_of(&lib);
        kill9(d.pid().expect("a live domain"));
        let t = Instant::now();
        d.restart().expect("restart");
        lib.noop().unwrap();
        t.elapsed()
    });
    rep.note(
        "isolated/restart",
        s,
        "isolated/domain-start",
        "SIGKILL → restart() → good call",
    );

    // Memory per domain.
    let mut idle = std::process::Command::new(&exe)
        .arg("--child-idle")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(if quick { 50 } else { 200 }));
    let idle_pid = idle.id() as i32;
    let idle_rss = status_kib(idle_pid, "VmRSS:");
    let idle_pss = pss_kib(idle_pid);
    drop(idle.stdin.take());
    let _ = idle.wait();
    let base_rss = idle_rss.map(|k| {
        rep.kib("baseline/process-rss", k, "baseline/process-rss");
        "baseline/process-rss"
    });
    let base_pss = idle_pss.map(|k| {
        rep.kib("baseline/process-pss", k, "baseline/process-pss");
        "baseline/process-pss"
    });
    let d = domain_of(&lib);
    let pid = d.pid().expect("a live domain");
    if let (Some(k), Some(b)) = (status_kib(pid, "VmRSS:"), base_rss) {
        rep.kib("isolated/domain-rss", k, b);
    }
    if let (Some(k), Some(b)) = (pss_kib(pid), base_pss) {
        rep.kib("isolated/domain-pss", k, b);
    }
    if let (Some(k), Some(b)) = (spare_pss, base_pss) {
        rep.kib("isolated/spare-pss", k, b);
    }
    // After it moved 1 MiB buffers each way: its high-water mark.
    let xs: Vec<c_int> = vec![1; MIB / 4];
    let mut buf = vec![0u8; MIB];
    for _ in 0..3 {
        lib.sum(&xs).unwrap();
        lib.fill(&mut buf, 1).unwrap();
        lib.reverse(&mut buf).unwrap();
    }
    if let (Some(k), Some(b)) = (status_kib(pid, "VmHWM:"), base_rss) {
        rep.kib("isolated/domain-hwm-after-1m", k, b);
    }
    if let Some(k) = status_kib(std::process::id() as i32, "VmRSS:") {
        rep.kib("bench/client-rss", k, "bench/client-rss");
    }
}

/// SIGKILL → next good call with a spare domain started ahead, and what the
/// spare costs (its PSS, measured once it is ready).
fn crash_recover_with_spare(samples: usize, rep: &mut Report) -> Option<u64> {
    // The same with a spare domain started ahead: after the death the spare
    // takes over. Between samples the next spare is given time to start, as
    // it would be between deaths (not timed).
    let spared = start_vocab_with(|o| o.spare = true);
    spared.noop().unwrap();
    let wait_spare = |lib: &VocabIsolated| {
        let t = Instant::now();
        while domain_of(lib).spare_pid().is_none() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    let s = measure_each(samples, || {
        wait_spare(&spared);
        let pid = domain_of(&spared).pid().expect("a live domain");
        kill9(pid);
        let t = Instant::now();
        while spared.noop().is_err() {}
        t.elapsed()
    });
    rep.note(
        "isolated/crash-recover-spare",
        s,
        "isolated/domain-start",
        "SIGKILL → next good call, with a spare domain started ahead",
    );
    wait_spare(&spared);
    // What the spare costs: one more idle domain (its ring memory included).
    let spare_pss = domain_of(&spared).spare_pid().and_then(pss_kib);
    drop(spared);
    spare_pss
}

// ---------------------------------------------------------------------------
// zlib.

/// 1 MiB of text-like data that compresses about as prose does.
fn corpus() -> Vec<u8> {
    const WORDS: &[&str] = &[
        "the",
        "linkage",
        "of",
        "a",
        "foreign",
        "function",
        "is",
        "chosen",
        "once",
        "and",
        "domain",
        "ring",
        "buffer",
        "call",
        "returns",
        "zlib",
        "compresses",
        "data",
        "into",
        "fewer",
        "bytes",
        "while",
        "isolated",
        "process",
        "runs",
        "C",
        "code",
        "safely",
        "with",
        "every",
        "length",
        "checked",
        "before",
        "use",
        "\n",
    ];
    let mut out = Vec::with_capacity(MIB + 16);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while out.len() < MIB {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(WORDS[(x % WORDS.len() as u64) as usize].as_bytes());
        out.push(b' ');
    }
    out.truncate(MIB);
    out
}

fn zlib_workload(quick: bool, rep: &mut Report) {
    use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
    let data = corpus();
    let linked = ZlibLinked::new();
    // SAFETY: the system zlib, whose header the description follows.
    let loaded = unsafe { ZlibLoaded::open_default() }.expect("open libz.so.1");
    let isolated = {
        let mut o = IsolatedOptions::new(ZLIB_DOMAIN);
        o.deadline = Duration::from_secs(20);
        Domain::launch::<ZlibIsolated>(o).expect("start the zlib domain")
    };
    let bound = linked.compress_bound(data.len() as _).unwrap() as usize;
    let mut packed = vec![0u8; bound];
    let (status, packed_len) = linked.compress2(&mut packed, &data, 6).unwrap();
    assert_eq!(status, 0, "compress2");
    packed.truncate(packed_len);
    let ratio_note = format!("level 6, 1 MiB → {} KiB", packed_len / 1024);

    let mut outs: Vec<Vec<u8>> = (0..4).map(|_| vec![0u8; bound]).collect();
    let mut plains: Vec<Vec<u8>> = (0..4).map(|_| vec![0u8; MIB]).collect();
    let [o0, o1, o2, o3] = &mut outs[..] else {
        unreachable!()
    };
    let [p0, p1, p2, p3] = &mut plains[..] else {
        unreachable!()
    };

    fn compress_with<Z: Zlib>(z: &Z, out: &mut [u8], data: &[u8]) -> usize {
        let (st, n) = z.compress2(out, data, 6).unwrap();
        assert_eq!(st, 0);
        n
    }
    fn uncompress_with<Z: Zlib>(z: &Z, out: &mut [u8], packed: &[u8]) -> usize {
        let (st, n) = z.uncompress(out, packed).unwrap();
        assert_eq!(st, 0);
        n
    }
    let flate_compress = |out: &mut Vec<u8>| {
        let mut c = Compress::new(Compression::new(6), true);
        out.clear();
        c.compress_vec(&data, out, FlushCompress::Finish)
            .expect("deflate");
        out.len()
    };
    let flate_uncompress = |out: &mut Vec<u8>| {
        let mut d = Decompress::new(true);
        out.clear();
        d.decompress_vec(&packed, out, FlushDecompress::Finish)
            .expect("inflate");
        out.len()
    };
    // Same output from every path.
    assert_eq!(compress_with(&loaded, o1, &data), packed_len);
    assert_eq!(compress_with(&isolated, o2, &data), packed_len);
    assert_eq!(flate_compress(o3), packed_len);
    assert_eq!(&o3[..], &packed[..]);
    assert_eq!(uncompress_with(&isolated, p2, &packed), MIB);
    assert!(p2[..] == data[..]);
    assert_eq!(flate_uncompress(p3), MIB);
    assert!(p3[..] == data[..]);

    let (rounds, budget) = if quick {
        (8, Duration::from_millis(1500))
    } else {
        (40, Duration::from_secs(10))
    };
    let names = ["linked", "loaded", "isolated", "flate2"];
    let c = round_robin(
        rounds,
        budget,
        &mut [
            &mut || {
                black_box(compress_with(&linked, o0, &data));
            },
            &mut || {
                black_box(compress_with(&loaded, o1, &data));
            },
            &mut || {
                black_box(compress_with(&isolated, o2, &data));
            },
            &mut || {
                black_box(flate_compress(o3));
            },
        ],
    );
    for (name, s) in names.iter().zip(c) {
        let row = format!("zlib/compress-1m/{name}");
        if *name == "linked" {
            rep.note(&row, s, &row, ratio_note.clone());
        } else {
            rep.bytes(row, s, "zlib/compress-1m/linked", MIB as u64);
        }
    }
    let d = round_robin(
        rounds * 3,
        budget,
        &mut [
            &mut || {
                black_box(uncompress_with(&linked, p0, &packed));
            },
            &mut || {
                black_box(uncompress_with(&loaded, p1, &packed));
            },
            &mut || {
                black_box(uncompress_with(&isolated, p2, &packed));
            },
            &mut || {
                black_box(flate_uncompress(p3));
            },
        ],
    );
    for (name, s) in names.iter().zip(d) {
        let row = format!("zlib/uncompress-1m/{name}");
        let base = "zlib/uncompress-1m/linked";
        rep.bytes(
            &row,
            s,
            if *name == "linked" { &row } else { base },
            MIB as u64,
        );
    }
}

/// 10,000 rows inserted with bound parameters in one transaction, into a
/// new in-memory database: about 50,000 calls, each a round trip when
/// isolated.
fn sqlite_inserts<S: ffi_tests::sqlite::sqlite::Sqlite>(lib: &S) -> i64 {
    use ffi_tests::sqlite::sqlite::*;
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    let (rc, db) = lib.open_v2(":memory:", flags, None).unwrap();
    assert_eq!(rc, SQLITE_OK);
    let exec = |sql: &str| {
        assert_eq!(
            lib.exec(&db, sql, None).unwrap(),
            (SQLITE_OK, None),
            "{sql}"
        )
    };
    exec("create table t(id integer primary key, name text, score integer)");
    exec("begin");
    let sql = "insert into t values (?, ?, ?)";
    let (rc, ins, _) = lib.prepare_v2(&db, sql.as_bytes()).unwrap();
    assert_eq!(rc, SQLITE_OK);
    let ins = ins.expect("a statement");
    let mut name = String::new();
    for id in 1..=10_000i64 {
        name.clear();
        std::fmt::Write::write_fmt(&mut name, format_args!("row {id}")).unwrap();
        lib.bind_int64(&ins, 1, id).unwrap();
        lib.bind_text(&ins, 2, name.as_bytes()).unwrap();
        lib.bind_int64(&ins, 3, id * 7 % 1000).unwrap();
        assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
        lib.reset(&ins).unwrap();
    }
    drop(ins);
    exec("commit");
    lib.last_insert_rowid(&db).unwrap()
}

fn sqlite_workload(quick: bool, rep: &mut Report) {
    use ffi_tests::sqlite::sqlite::{SqliteIsolated, SqliteLinked, SqliteLoaded};
    let linked = SqliteLinked::new();
    // SAFETY: the system SQLite, whose header the description is checked against.
    let loaded = unsafe { SqliteLoaded::open_default() }.expect("open libsqlite3.so.0");
    let isolated = {
        let mut o = IsolatedOptions::new(SQLITE_DOMAIN);
        o.deadline = Duration::from_secs(20);
        // SQLite seeds its random numbers from /dev/urandom.
        o.sandbox.read_paths.push("/dev/urandom".into());
        Domain::launch::<SqliteIsolated>(o).expect("start the sqlite domain")
    };
    for rows in [
        sqlite_inserts(&linked),
        sqlite_inserts(&loaded),
        sqlite_inserts(&isolated),
    ] {
        assert_eq!(rows, 10_000);
    }
    let (rounds, budget) = if quick {
        (5, Duration::from_millis(1500))
    } else {
        (20, Duration::from_secs(10))
    };
    let names = ["linked", "loaded", "isolated"];
    let s = round_robin(
        rounds,
        budget,
        &mut [
            &mut || {
                black_box(sqlite_inserts(&linked));
            },
            &mut || {
                black_box(sqlite_inserts(&loaded));
            },
            &mut || {
                black_box(sqlite_inserts(&isolated));
            },
        ],
    );
    let base = "sqlite/insert-10k/linked";
    for (name, s) in names.iter().zip(s) {
        let row = format!("sqlite/insert-10k/{name}");
        if *name == "linked" {
            let note = "10,000 rows of 3 bound parameters, one transaction";
            rep.note(&row, s, &row, note);
        } else {
            rep.time(row, s, base);
        }
    }
}

/// A document of `n` elements (the root and `n - 1` empty ones with an
/// attribute each).
fn expat_document(n: usize) -> Vec<u8> {
    let mut doc = b"<doc>".to_vec();
    for i in 0..n - 1 {
        doc.extend_from_slice(format!("<e n=\"{}\"/>", i % 10).as_bytes());
    }
    doc.extend_from_slice(b"</doc>");
    doc
}

/// Parses `doc` with a new parser whose start and end handlers count the
/// elements; returns the count (starts plus ends, halved).
fn expat_parse<L: ffi_tests::expat::expat::Expat>(lib: &L, doc: &[u8]) -> usize {
    use ffi_tests::expat::expat::{Parser, Status};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let count = Arc::new(AtomicUsize::new(0));
    let (starts, ends) = (count.clone(), count.clone());
    let p = lib.parser_create(None).expect("a parser");
    lib.set_element_handler(
        &p,
        Some(Box::new(
            move |_: &Parser, _: &std::ffi::CStr, _: &[&std::ffi::CStr]| {
                starts.fetch_add(1, Ordering::Relaxed);
            },
        )),
        Some(Box::new(move |_: &Parser, _: &std::ffi::CStr| {
            ends.fetch_add(1, Ordering::Relaxed);
        })),
    )
    .expect("set the handlers");
    assert_eq!(lib.parse(&p, doc, 1).expect("parse"), Status::Ok);
    drop(p);
    count.load(Ordering::Relaxed) / 2
}

/// expat: 100,000 elements parsed with start and end handlers (200,000
/// callbacks), each linkage against Linked, taking turns.
fn expat_workload(quick: bool, rep: &mut Report) {
    use ffi_tests::expat::expat::{ExpatIsolated, ExpatLinked, ExpatLoaded};
    let linked = ExpatLinked::new();
    // SAFETY: the system expat, whose header the description is checked against.
    let loaded = unsafe { ExpatLoaded::open_default() }.expect("open libexpat.so.1");
    let isolated = {
        let mut o = IsolatedOptions::new(EXPAT_DOMAIN);
        o.deadline = Duration::from_secs(20);
        Domain::launch::<ExpatIsolated>(o).expect("start the expat domain")
    };
    let doc = expat_document(100_000);
    // A tenth of the document: the cost per element of the two sizes shows
    // whether callback-heavy work scales linearly.
    let tenth = expat_document(10_000);
    for n in [
        expat_parse(&linked, &doc),
        expat_parse(&loaded, &doc),
        expat_parse(&isolated, &doc),
    ] {
        assert_eq!(n, 100_000);
    }
    assert_eq!(expat_parse(&isolated, &tenth), 10_000);
    let (rounds, budget) = if quick {
        (5, Duration::from_millis(1500))
    } else {
        (20, Duration::from_secs(10))
    };
    let names = ["linked", "loaded", "isolated"];
    let s = round_robin(
        rounds,
        budget,
        &mut [
            &mut || {
                black_box(expat_parse(&linked, &doc));
            },
            &mut || {
                black_box(expat_parse(&loaded, &doc));
            },
            &mut || {
                black_box(expat_parse(&isolated, &doc));
            },
            &mut || {
                black_box(expat_parse(&isolated, &tenth));
            },
        ],
    );
    let mut s = s.into_iter();
    let Some(s10k) = s.next_back() else {
        return;
    };
    rep.note(
        "expat/elements-10k/isolated",
        s10k,
        "expat/elements-100k/isolated",
        "a tenth of the document: x 10 is the 100,000 row when the cost per element is constant",
    );
    let base = "expat/elements-100k/linked";
    for (name, s) in names.iter().zip(s) {
        let row = format!("expat/elements-100k/{name}");
        if *name == "linked" {
            let note = "100,000 elements, start and end handlers kept on the parser";
            rep.note(&row, s, &row, note);
        } else {
            rep.time(row, s, base);
        }
    }
}

/// A YAML document that parses into 10,006 events: 2,500 one-entry mappings in a sequence, every other value
/// anchored or tagged.
fn yaml_document() -> Vec<u8> {
    let mut doc = String::new();
    for i in 0..2_500 {
        match i % 3 {
            0 => doc.push_str(&format!("- {{k{i}: &a{i} v{i}}}\n")),
            1 => doc.push_str(&format!("- {{k{i}: !t \"v {i}\"}}\n")),
            _ => doc.push_str(&format!("- {{k{i}: plain value {i}}}\n")),
        }
    }
    doc.into_bytes()
}

/// Parses `doc` into events with a new parser; returns how many events
/// carried a scalar value, with the total count.
fn yaml_parse<L: ffi_tests::yaml::yaml::Yaml>(lib: &L, doc: &[u8]) -> (usize, usize) {
    use ffi_tests::yaml::yaml::EventType;
    let (_, parser) = lib.parser_initialize().expect("initialise");
    let parser = parser.expect("a parser");
    lib.parser_set_input_string(&parser, doc).expect("input");
    let (mut values, mut events) = (0, 0);
    loop {
        let (ok, e) = lib.parser_parse(&parser).expect("parse");
        assert_eq!(ok, 1);
        events += 1;
        values += usize::from(e.value.is_some());
        if e.kind == EventType::StreamEnd {
            return (values, events);
        }
    }
}

/// libyaml: a document read as 10,006 events, each an event struct copied
/// out (its pointer fields as owned text) and its destructor run, each
/// linkage against Linked, taking turns.
fn yaml_workload(quick: bool, rep: &mut Report) {
    use ffi_tests::yaml::yaml::{YamlIsolated, YamlLinked, YamlLoaded};
    let linked = YamlLinked::new();
    // SAFETY: the system libyaml, whose header the description is checked against.
    let loaded = unsafe { YamlLoaded::open_default() }.expect("open libyaml-0.so.2");
    let isolated = {
        let mut o = IsolatedOptions::new(YAML_DOMAIN);
        o.deadline = Duration::from_secs(20);
        Domain::launch::<YamlIsolated>(o).expect("start the yaml domain")
    };
    let doc = yaml_document();
    for n in [
        yaml_parse(&linked, &doc),
        yaml_parse(&loaded, &doc),
        yaml_parse(&isolated, &doc),
    ] {
        assert_eq!(n, (5_000, 10_006));
    }
    let (rounds, budget) = if quick {
        (5, Duration::from_millis(1500))
    } else {
        (20, Duration::from_secs(10))
    };
    let names = ["linked", "loaded", "isolated"];
    let s = round_robin(
        rounds,
        budget,
        &mut [
            &mut || {
                black_box(yaml_parse(&linked, &doc));
            },
            &mut || {
                black_box(yaml_parse(&loaded, &doc));
            },
            &mut || {
                black_box(yaml_parse(&isolated, &doc));
            },
        ],
    );
    let base = "yaml/events-10k/linked";
    for (name, s) in names.iter().zip(s) {
        let row = format!("yaml/events-10k/{name}");
        if *name == "linked" {
            let note = "10,006 events, each copied out of yaml_event_t and deleted";
            rep.note(&row, s, &row, note);
        } else {
            rep.time(row, s, base);
        }
    }
}

/// Times slow operations one call at a time, taking turns, so drift falls on
/// all alike: at least `min_rounds` rounds, then more while within `budget`.
fn round_robin(min_rounds: usize, budget: Duration, fs: &mut [&mut dyn FnMut()]) -> Vec<Stats> {
    for f in fs.iter_mut() {
        f();
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); fs.len()];
    let start = Instant::now();
    let mut round = 0;
    while round < min_rounds || (start.elapsed() < budget && round < min_rounds * 10) {
        for (f, v) in fs.iter_mut().zip(&mut times) {
            let t = Instant::now();
            f();
            v.push(t.elapsed().as_nanos() as f64);
        }
        round += 1;
    }
    times
        .into_iter()
        .map(|v| Stats::from_samples(v, 1))
        .collect()
}

// ---------------------------------------------------------------------------
// Instruction counts for callgrind.

/// Runs `n` rounds of raw calls and of Linked calls in functions with fixed
/// symbol names, for `scripts/callgrind-linked` to read inclusive counts of.
fn callgrind_linked(n: u64) {
    let xs: Vec<c_int> = (0..(KIB4 / 4) as c_int).collect();
    let mut buf = vec![0u8; KIB4];
    cg_raw_ints(n);
    cg_linked_ints(n);
    cg_raw_some_ints(n);
    cg_linked_some_ints(n);
    cg_nocb_ints(n);
    cg_raw_strlen(n);
    cg_linked_strlen(n);
    cg_nocb_strlen(n);
    cg_raw_buf4k(n, &xs, &mut buf);
    cg_linked_buf4k(n, &xs, &mut buf);
    println!("ran {n} rounds of each");
}

macro_rules! cg_ints {
    ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {
        /// Every `sv_intN`, raw, `n` times.
        #[no_mangle]
        #[inline(never)]
        pub fn cg_raw_ints(n: u64) {
            // A distinct constant, so that the linker folds no two of these functions.
            black_box(1u32);
            for _ in 0..n {
                $({
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { raw::$s($($x),*) });
                })*
            }
        }
        /// Every `sv_intN`, through Linked, `n` times.
        #[no_mangle]
        #[inline(never)]
        pub fn cg_linked_ints(n: u64) {
            // A distinct constant, so that the linker folds no two of these functions.
            black_box(2u32);
            let lib = VocabLinked::new();
            for _ in 0..n {
                $({
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(lib.$m($($x),*).unwrap());
                })*
            }
        }
    };
}
arities!(cg_ints);

/// The `sv_intN` of [`some_arities`], raw, through Linked and through the
/// Linked linkage of the description without callbacks, `n` times each.
macro_rules! cg_some_ints {
    ($($n:literal, $m:ident, $s:ident, [$($x:ident)*];)*) => {
        /// Five `sv_intN`, raw, `n` times.
        #[no_mangle]
        #[inline(never)]
        pub fn cg_raw_some_ints(n: u64) {
            // A distinct constant, so that the linker folds no two of these functions.
            black_box(3u32);
            for _ in 0..n {
                $({
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    // SAFETY: the C function takes this many ints and returns one.
                    black_box(unsafe { raw::$s($($x),*) });
                })*
            }
        }
        /// Five `sv_intN`, through Linked, `n` times.
        #[no_mangle]
        #[inline(never)]
        pub fn cg_linked_some_ints(n: u64) {
            // A distinct constant, so that the linker folds no two of these functions.
            black_box(4u32);
            let lib = VocabLinked::new();
            for _ in 0..n {
                $({
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(lib.$m($($x),*).unwrap());
                })*
            }
        }
        /// Five `sv_intN`, through Linked of the description without callbacks.
        #[no_mangle]
        #[inline(never)]
        pub fn cg_nocb_ints(n: u64) {
            // A distinct constant, so that the linker folds no two of these functions.
            black_box(5u32);
            let lib = PlainLinked::new();
            for _ in 0..n {
                $({
                    let a: c_int = black_box(1);
                    let _ = a;
                    $(let $x = a;)*
                    black_box(lib.$m($($x),*).unwrap());
                })*
            }
        }
    };
}
some_arities!(cg_some_ints);

/// `sv_strlen`, through Linked of the description without callbacks.
#[no_mangle]
#[inline(never)]
pub fn cg_nocb_strlen(n: u64) {
    // A distinct constant, so that the linker folds no two of these functions.
    black_box(6u32);
    let lib = PlainLinked::new();
    for _ in 0..n {
        black_box(lib.strlen(black_box(STRING)).unwrap());
    }
}

/// `sv_strlen`, raw, `n` times.
#[no_mangle]
#[inline(never)]
pub fn cg_raw_strlen(n: u64) {
    // A distinct constant, so that the linker folds no two of these functions.
    black_box(7u32);
    for _ in 0..n {
        let s = black_box(STRING);
        // SAFETY: a NUL-terminated string.
        black_box(unsafe { raw::sv_strlen(s.as_ptr()) });
    }
}

/// `sv_strlen`, through Linked, `n` times.
#[no_mangle]
#[inline(never)]
pub fn cg_linked_strlen(n: u64) {
    // A distinct constant, so that the linker folds no two of these functions.
    black_box(8u32);
    let lib = VocabLinked::new();
    for _ in 0..n {
        black_box(lib.strlen(black_box(STRING)).unwrap());
    }
}

/// `sv_sum`, `sv_fill`, `sv_reverse` on 4 KiB, raw, `n` times.
#[no_mangle]
#[inline(never)]
pub fn cg_raw_buf4k(n: u64, xs: &[c_int], buf: &mut [u8]) {
    // A distinct constant, so that the linker folds no two of these functions.
    black_box(9u32);
    for _ in 0..n {
        let (xs, buf) = (black_box(xs), black_box(&mut *buf));
        // SAFETY: each pointer is valid for the length passed with it.
        unsafe {
            black_box(raw::sv_sum(xs.as_ptr(), xs.len()));
            black_box(raw::sv_fill(buf.as_mut_ptr(), buf.len(), 0xab));
            raw::sv_reverse(buf.as_mut_ptr(), buf.len());
        }
    }
}

/// `sv_sum`, `sv_fill`, `sv_reverse` on 4 KiB, through Linked, `n` times.
#[no_mangle]
#[inline(never)]
pub fn cg_linked_buf4k(n: u64, xs: &[c_int], buf: &mut [u8]) {
    // A distinct constant, so that the linker folds no two of these functions.
    black_box(10u32);
    let lib = VocabLinked::new();
    for _ in 0..n {
        let (xs, buf) = (black_box(xs), black_box(&mut *buf));
        black_box(lib.sum(xs).unwrap());
        black_box(lib.fill(buf, 0xab).unwrap());
        lib.reverse(buf).unwrap();
    }
}

//! The tour: one small program written once against the zlib and vocab
//! descriptions, run through every linkage, printing what it did.

use ffi_desc::shared::SharedBuf;
use ffi_tests::harness;
use ffi_tests::hostile::hostile::Hostile;
use ffi_tests::loadtime::loadtime::{Loadtime, LoadtimeIsolated};
use ffi_tests::vocab::vocab::{Color, Point, Vocab};
use ffi_tests::zlib::zlib::Zlib;

/// The program, written once: it knows the descriptions, not the linkages.
fn program<V: Vocab, Z: Zlib>(
    linkage: &str,
    vocab: &V,
    zlib: &Z,
) -> Result<String, ffi_desc::Error> {
    let mut log = Vec::new();
    let text = "The same description, called through every linkage. ".repeat(2000);
    let mut packed = vec![0u8; zlib.compress_bound(text.len() as _)? as usize];
    let (status, n) = zlib.compress2(&mut packed, text.as_bytes(), 6)?;
    let mut back = vec![0u8; text.len()];
    let (_, m) = zlib.uncompress(&mut back, &packed[..n])?;
    log.push(format!(
        "zlib {}: {} bytes -> {} compressed (status {status}) -> {} back, equal: {}",
        zlib.zlib_version()?.to_string_lossy(),
        text.len(),
        n,
        m,
        back[..m] == *text.as_bytes()
    ));
    log.push(format!("crc32 = {:#010x}", zlib.crc32(0, text.as_bytes())?));
    let greeting = vocab.greet("tour")?;
    log.push(format!(
        "vocab {} greets: {}",
        vocab.version()?.to_string_lossy(),
        greeting.to_string_lossy()
    ));
    let p = vocab.point_add(Point { x: 1, y: 2 }, Point { x: 30, y: 40 })?;
    log.push(format!(
        "point_add -> ({}, {}); color after Blue: {:?}",
        p.x,
        p.y,
        vocab.color_next(Color::Blue)?
    ));
    let counter = vocab.counter_new(41)?;
    log.push(format!(
        "a counter handle: 41 + 1 = {}",
        vocab.counter_add(&counter, 1)?
    ));
    drop(counter);
    let mut visited = Vec::new();
    let sum = vocab.each(&[1, 2, 3], &mut |v| {
        visited.push(v);
        v * v
    })?;
    log.push(format!(
        "callback visited {visited:?}, sum of squares {sum}"
    ));
    let (q, errno) = vocab.checked_div(1, 0)?;
    log.push(format!(
        "checked_div(1, 0) = {q}, errno = {} ({})",
        errno.0,
        errno.message()
    ));
    log.push(format!(
        "bad input, refused: {}",
        vocab.strlen("nul\0inside").unwrap_err()
    ));
    log.push(format!(
        "bad output, refused: {}",
        vocab.color_from_raw(9).unwrap_err()
    ));
    Ok(log.iter().map(|l| format!("  [{linkage}] {l}\n")).collect())
}

/// A buffer the application fills in memory the domain maps read-only:
/// an `In` slice of it reaches the isolated C with no copy.
fn zero_copy<L: Zlib, I: Zlib + ffi_desc::Linkage>(linked: &L, isolated: &I) {
    let text = "Bytes the domain reads where they lie. ".repeat(4000);
    let mut shared = SharedBuf::<u8>::new(isolated, text.len()).expect("a buffer in the arena");
    shared.copy_from_slice(text.as_bytes());
    let from_arena = isolated.crc32(0, &shared).expect("crc32, isolated");
    let from_vec = linked.crc32(0, text.as_bytes()).expect("crc32, linked");
    println!(
        "Zero copy: a SharedBuf of {} bytes, in the shared arena: {}",
        shared.len(),
        shared.is_shared()
    );
    println!(
        "  [isolated] crc32 read in place = {from_arena:#010x}; [linked] from a Vec = {from_vec:#010x}"
    );
    assert!(shared.is_shared(), "the isolated zlib has no shared arena");
    assert_eq!(
        from_arena, from_vec,
        "the zero-copy call disagrees with Linked"
    );
}

fn main() {
    let linked = program(
        "linked",
        &harness::vocab::linked(),
        &harness::zlib::linked(),
    );
    let loaded = program(
        "loaded",
        &harness::vocab::loaded(),
        &harness::zlib::loaded(),
    );
    let isolated_zlib = harness::zlib::isolated();
    let isolated = program("isolated", &harness::vocab::isolated(), &isolated_zlib);
    println!("Linked: direct calls, resolved at link time");
    print!("{}", linked.as_ref().expect("linked run"));
    println!("Loaded: libraries opened at run time, every symbol resolved at open");
    print!("{}", loaded.as_ref().expect("loaded run"));
    println!("Isolated: each library in its own sandboxed process, calls over a vchan-layout ring");
    print!("{}", isolated.as_ref().expect("isolated run"));
    let strip = |s: &str, tag: &str| s.replace(tag, "");
    let same = strip(linked.as_ref().unwrap(), "[linked]")
        == strip(loaded.as_ref().unwrap(), "[loaded]")
        && strip(linked.as_ref().unwrap(), "[linked]")
            == strip(isolated.as_ref().unwrap(), "[isolated]");
    println!("All three linkages printed the same results: {same}");

    zero_copy(&harness::zlib::linked(), &isolated_zlib);
    println!("Containment: a C library that crashes, hangs and attacks, isolated");
    let hostile = harness::hostile::isolated();
    let domain = hostile
        .channel()
        .as_any()
        .downcast_ref::<ffi_isolate::Domain>()
        .expect("a process domain");
    println!(
        "  ok(41) = {:?} (domain pid {:?})",
        hostile.ok(41),
        domain.pid()
    );
    println!("  segfault() -> {}", hostile.segfault().unwrap_err());
    println!(
        "  ok(1) = {:?} after a restart (pid {:?}, restarts {})",
        hostile.ok(1),
        domain.pid(),
        domain.restarts()
    );
    println!("  abort() -> {}", hostile.abort().unwrap_err());
    println!("  open_passwd() -> {}", hostile.open_passwd().unwrap_err());
    println!("  exec_shell() -> {}", hostile.exec_shell().unwrap_err());
    let started = std::time::Instant::now();
    let hang = hostile.loop_forever().unwrap_err();
    println!("  loop_forever() -> {hang} after {:.2?}", started.elapsed());
    println!(
        "  ok(2) = {:?}; the caller is untouched after {} restarts",
        hostile.ok(2),
        domain.restarts()
    );

    println!("Confinement before code: a library whose constructor attacks before main()");
    let me = std::process::id().to_string();
    let escaped = std::env::temp_dir().join(format!("ffi-tour-escaped-{me}"));
    let attacks = [
        (
            "write_file",
            escaped.to_str().unwrap_or("/tmp/x").to_string(),
        ),
        ("read_env", me.clone()),
        ("connect", "9".to_string()),
        ("fork", String::new()),
        ("ptrace", me),
    ];
    for (attack, arg) in attacks {
        let mut o = harness::isolated_options("loadtime-domain");
        o.domain = o
            .domain
            .env("HL_HOOK", "constructor")
            .env("HL_ATTACK", attack)
            .env("HL_ARG", arg);
        match ffi_isolate::Domain::launch::<LoadtimeIsolated>(o) {
            Err(e) => println!("  constructor tries {attack} -> {e}"),
            Ok(lib) => println!(
                "  constructor tries {attack} -> NOT REFUSED ({:?})",
                lib.result()
            ),
        }
    }
    println!(
        "  the file the constructor tried to write exists: {}",
        escaped.exists()
    );
}

//! The tour: one small program written once against the zlib and vocab
//! descriptions, run through every linkage, printing what it did.

use ffi_tests::vocab::vocab::{Color, Point, Vocab};
use ffi_tests::zlib::zlib::Zlib;

/// The program, written once: it knows the descriptions, not the linkages.
fn program<V: Vocab, Z: Zlib>(linkage: &str, vocab: &V, zlib: &Z) -> Result<String, ffi_desc::Error> {
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
    log.push(format!("vocab {} greets: {}", vocab.version()?.to_string_lossy(), greeting.to_string_lossy()));
    let p = vocab.point_add(Point { x: 1, y: 2 }, Point { x: 30, y: 40 })?;
    log.push(format!("point_add -> ({}, {}); color after Blue: {:?}", p.x, p.y, vocab.color_next(Color::Blue)?));
    let counter = vocab.counter_new(41)?;
    log.push(format!("a counter handle: 41 + 1 = {}", vocab.counter_add(&counter, 1)?));
    drop(counter);
    let mut visited = Vec::new();
    let sum = vocab.each(&[1, 2, 3], &mut |v| {
        visited.push(v);
        v * v
    })?;
    log.push(format!("callback visited {visited:?}, sum of squares {sum}"));
    let (q, errno) = vocab.checked_div(1, 0)?;
    log.push(format!("checked_div(1, 0) = {q}, errno = {} ({})", errno.0, errno.message()));
    log.push(format!("bad input, refused: {}", vocab.strlen("nul\0inside").unwrap_err()));
    log.push(format!("bad output, refused: {}", vocab.color_from_raw(9).unwrap_err()));
    Ok(log.iter().map(|l| format!("  [{linkage}] {l}\n")).collect())
}

fn main() {
    println!("Linked: direct calls, resolved at link time");
    let linked = program("linked", &ffi_tests::harness::vocab::linked(), &ffi_tests::harness::zlib::linked());
    print!("{}", linked.as_ref().expect("linked run"));
    println!("Loaded: libraries opened at run time, every symbol resolved at open");
    let loaded = program("loaded", &ffi_tests::harness::vocab::loaded(), &ffi_tests::harness::zlib::loaded());
    print!("{}", loaded.as_ref().expect("loaded run"));
    let strip = |s: &str, tag: &str| s.replace(tag, "");
    let same = strip(linked.as_ref().unwrap(), "[linked]") == strip(loaded.as_ref().unwrap(), "[loaded]");
    println!("Both linkages printed the same results: {same}");
}

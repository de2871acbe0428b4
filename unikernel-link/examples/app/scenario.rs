//! The application's scenario, written once against the zlib and vocab
//! descriptions: it knows the descriptions, not the linkages. It needs only
//! `alloc`, so the same file runs in the host builds (`main.rs`) and in the
//! Xen unikernel (`xen-pv`, feature `app`), which include it with the two
//! descriptions beside it and an `errno_message` of their own.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::vocab::vocab::{Color, Point, Vocab};
use super::zlib::zlib::Zlib;

/// The scenario, written once: it knows the descriptions, not the linkages.
pub fn scenario<V: Vocab, Z: Zlib>(vocab: &V, zlib: &Z) -> Result<Vec<String>, ffi_desc::Error> {
    let mut out = Vec::new();
    // 130 KB: larger than the 64 KiB rings of the Xen transport, both ways.
    let text = "A unikernel must not link untrusted C, yet must use C libraries. ".repeat(2000);
    let mut packed = vec![0u8; zlib.compress_bound(text.len() as _)? as usize];
    let (status, n) = zlib.compress2(&mut packed, text.as_bytes(), 9)?;
    let mut back = vec![0u8; text.len()];
    let (status_back, m) = zlib.uncompress(&mut back, &packed[..n])?;
    out.push(format!(
        "zlib {}: {} bytes -> {n} compressed (status {status}) -> {m} back (status {status_back}), equal: {}",
        zlib.zlib_version()?.to_string_lossy(),
        text.len(),
        back[..m] == *text.as_bytes()
    ));
    out.push(format!(
        "crc32 {:#010x}, adler32 {:#010x}",
        zlib.crc32(0, text.as_bytes())?,
        zlib.adler32(1, text.as_bytes())?
    ));
    out.push(format!(
        "vocab {}: {}",
        vocab.version()?.to_string_lossy(),
        vocab.greet("unikernel")?.to_string_lossy()
    ));
    let p = vocab.point_add(Point { x: 1, y: 2 }, Point { x: 30, y: 40 })?;
    out.push(format!(
        "point_add (1, 2) + (30, 40) = ({}, {}); after Blue comes {:?}",
        p.x,
        p.y,
        vocab.color_next(Color::Blue)?
    ));
    // An in-out buffer larger than the rings, reversed by C and sent back.
    let mut buf: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut expect = buf.clone();
    expect.reverse();
    vocab.reverse(&mut buf)?;
    out.push(format!(
        "reverse of {} bytes in C: first {}, last {}, equal to Rust's reverse: {}",
        buf.len(),
        buf[0],
        buf[buf.len() - 1],
        buf == expect
    ));
    let counter = vocab.counter_new(41)?;
    out.push(format!(
        "a counter handle: 41 + 1 = {}",
        vocab.counter_add(&counter, 1)?
    ));
    drop(counter);
    let mut visited = Vec::new();
    let sum = vocab.each(&[1, 2, 3, 4], &mut |v| {
        visited.push(v);
        v * v
    })?;
    out.push(format!(
        "callback visited {visited:?}, sum of squares {sum}"
    ));
    let (q, errno) = vocab.checked_div(7, 0)?;
    out.push(format!(
        "checked_div(7, 0) = {q}, errno {} ({})",
        errno.0,
        super::errno_message(errno)
    ));
    out.push(format!(
        "strlen of a string with a NUL inside, refused: {}",
        vocab.strlen("nul\0inside").unwrap_err()
    ));
    Ok(out)
}

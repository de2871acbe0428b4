//! State the linkage allocates goes with its handle: 20,000 libyaml parsers,
//! each given a 1 KiB input the linkage keeps, parsed a little and dropped
//! (or deleted), grow the process's RSS by less than 1 MiB. Linked releases
//! the storage where it runs; the loopback runs the server, which allocates
//! and releases it for the Isolated linkage, in this process too. Kept, a
//! parser's storage and input alone would be 30 MiB, and libyaml's buffers
//! (some 64 KiB a parser) far more.

use ffi_tests::yaml::yaml::*;
use std::sync::{Mutex, MutexGuard};

/// One test at a time: each reads the process's RSS.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process's resident set, in bytes.
fn rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kib * 1024
}

/// Makes `n` parsers of a 1 KiB document, reads three events from each,
/// and drops every other one (deleting the rest).
fn churn<L: Yaml>(lib: &L, n: usize) {
    let doc = format!("k: {}\n", "v".repeat(1020));
    assert_eq!(doc.len(), 1024);
    for i in 0..n {
        let (_, p) = lib.parser_initialize().unwrap();
        let p = p.unwrap();
        lib.parser_set_input_string(&p, doc.as_bytes()).unwrap();
        for _ in 0..3 {
            assert_eq!(lib.parser_parse(&p).unwrap().0, 1);
        }
        if i % 2 == 0 {
            lib.parser_delete(p).unwrap();
        }
    }
}

fn parsers_leave_memory_as_it_was<L: Yaml>(lib: &L) {
    let _serial = serial();
    // Warm up: the allocator's arenas, lazily made statics.
    churn(lib, 2_000);
    let before = rss();
    churn(lib, 20_000);
    let after = rss();
    let grown = after.saturating_sub(before);
    eprintln!(
        "RSS {} KiB before, {} KiB after 20,000 parsers: +{} KiB",
        before / 1024,
        after / 1024,
        grown / 1024
    );
    assert!(grown < 1 << 20, "RSS grew by {grown} bytes");
}

#[test]
fn parsers_leave_linked_memory_as_it_was() {
    parsers_leave_memory_as_it_was(&ffi_tests::harness::yaml::linked());
}

#[test]
fn parsers_leave_loopback_memory_as_it_was() {
    parsers_leave_memory_as_it_was(&ffi_tests::harness::yaml::loopback());
}

#[test]
fn parsers_leave_the_isolated_clients_memory_as_it_was() {
    parsers_leave_memory_as_it_was(&ffi_tests::harness::yaml::isolated());
}

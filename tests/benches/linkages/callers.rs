//! Many callers of one domain: two threads calling a thread-safe library at
//! once against one thread alone, and the async null call against the sync
//! one, on the same domain in the same run (with how many async calls the
//! task's thread answered itself).

use crate::measure::{measure, measure_each, Config};
use crate::report::Report;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::threads::parallel::{Parallel, ParallelIsolated};
use std::hint::black_box;
use std::time::{Duration, Instant};

const PARALLEL_DOMAIN: &str = env!("CARGO_BIN_EXE_parallel-domain");

fn start() -> ParallelIsolated {
    let mut o = IsolatedOptions::new(PARALLEL_DOMAIN);
    o.deadline = Duration::from_secs(20);
    Domain::launch(o).expect("start the parallel domain")
}

/// The wall time of `n` null calls by each of `threads` threads at once,
/// per call made.
fn per_call_with(lib: &ParallelIsolated, threads: usize, n: usize) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for i in 0..n as i32 {
                    black_box(lib.ok(black_box(i)).unwrap());
                }
            });
        }
    });
    start.elapsed() / (threads * n) as u32
}

pub fn many_callers(cfg: &Config, quick: bool, rep: &mut Report) {
    let lib = start();
    let (samples, n) = if quick { (10, 2_000) } else { (40, 10_000) };
    let one = measure_each(samples, || per_call_with(&lib, 1, n));
    let two = measure_each(samples, || per_call_with(&lib, 2, n));
    rep.note(
        "callers/null-1-thread",
        one,
        "callers/null-1-thread",
        "wall time per call, one thread calling",
    );
    rep.note(
        "callers/null-2-threads",
        two,
        "callers/null-1-thread",
        "wall time per call, two threads calling at once: throughput against one thread is 1/ratio",
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let asy = lib.to_async();
    let sync = measure(cfg, || {
        black_box(lib.ok(black_box(1)).unwrap());
    });
    let domain = lib
        .channel()
        .as_any()
        .downcast_ref::<Domain>()
        .expect("a process domain");
    let before = domain.async_counts();
    let asyn = measure(cfg, || {
        black_box(rt.block_on(asy.ok(black_box(1))).unwrap());
    });
    let after = domain.async_counts();
    // What the runtime itself costs per awaited call: a future ready at once.
    let ready = measure(cfg, || {
        black_box(rt.block_on(async { black_box(1) }));
    });
    let in_place = after.answered_in_place - before.answered_in_place;
    let helped =
        (after.handed_over - before.handed_over) + (after.made_by_caller - before.made_by_caller);
    rep.time("callers/sync-null", sync, "callers/sync-null");
    rep.note(
        "callers/async-null",
        asyn,
        "callers/sync-null",
        format!(
            "awaited on a current-thread tokio runtime; {in_place} calls answered on their first \
             poll by the task's thread, {helped} with a caller thread's help"
        ),
    );
    rep.note(
        "callers/block-on-ready",
        ready,
        "callers/sync-null",
        "the runtime alone: block_on of a future that is ready at once",
    );
}

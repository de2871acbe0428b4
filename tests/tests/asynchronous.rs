//! The async form of the Isolated linkage on a tokio runtime: many calls in
//! flight from two worker threads, all answered right; a 100 ms C call does
//! not stop the runtime's other tasks; dropped futures leave the domain
//! intact; a death fails every call in flight, sync and async, exactly once
//! with the typed error, and the next call of each succeeds.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ffi_desc::{DomainFailure, Error};
use ffi_isolate::Domain;
use ffi_tests::harness::isolated_options;
use ffi_tests::threads::parallel::{Parallel, ParallelAsync, ParallelIsolated};
use ffi_tests::threads::serial::{SerialAsync, SerialIsolated};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("a tokio runtime")
}

fn parallel() -> ParallelIsolated {
    Domain::launch(isolated_options("parallel-domain")).expect("start the parallel domain")
}

fn domain(lib: &ParallelIsolated) -> &Domain {
    lib.channel().as_any().downcast_ref::<Domain>().unwrap()
}

#[test]
fn a_thousand_calls_in_flight_from_two_workers_are_all_answered_right() {
    let lib = parallel();
    let asy = lib.to_async();
    let results = runtime().block_on(async {
        let tasks: Vec<_> = (0..1000)
            .map(|i| {
                let asy = asy.clone();
                tokio::spawn(async move { (i, asy.ok(i).await) })
            })
            .collect();
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.unwrap());
        }
        results
    });
    assert_eq!(results.len(), 1000);
    for (i, r) in results {
        assert_eq!(r.unwrap(), i + 1);
    }
    assert_eq!(domain(&lib).restarts(), 0);
}

#[test]
fn a_ticker_keeps_ticking_while_c_calls_sleep() {
    let lib = parallel();
    let asy = lib.to_async();
    let ticks = Arc::new(AtomicU32::new(0));
    runtime().block_on(async {
        let counted = ticks.clone();
        let ticker = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(10));
            loop {
                every.tick().await;
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        // More 100 ms calls than the runtime has worker threads: had they
        // blocked a worker, the ticker could not run.
        let before = ticks.load(Ordering::SeqCst);
        let sleeps: Vec<_> = (0..4)
            .map(|_| {
                let asy = asy.clone();
                tokio::spawn(async move { asy.sleep_ms(100).await })
            })
            .collect();
        for s in sleeps {
            assert_eq!(s.await.unwrap().unwrap(), 100);
        }
        let during = ticks.load(Ordering::SeqCst) - before;
        ticker.abort();
        println!("{during} ticks of 10 ms during four 100 ms calls");
        assert!(during >= 5, "the ticker ticked {during} times");
    });
}

#[test]
fn the_async_form_gives_the_sync_results_on_every_channel() {
    let loopback = ParallelIsolated::with_channel(Box::new(
        ffi_desc::isolated::LoopbackChannel::new(ffi_tests::threads::parallel::server()),
    ));
    let serial: SerialIsolated =
        Domain::launch(isolated_options("serial-domain")).expect("start the serial domain");
    let isolated = parallel();
    runtime().block_on(async {
        for lib in [&isolated, &loopback] {
            let asy: ParallelAsync = lib.to_async();
            assert_eq!(asy.ok(41).await.unwrap(), 42);
            assert_eq!(asy.twice(21).await.unwrap(), 42);
            assert_eq!(lib.ok(41).unwrap(), 42);
            assert_eq!(asy.to_sync().twice(4).unwrap(), 8);
        }
        let asy: SerialAsync = serial.to_async();
        let (a, b) = tokio::join!(asy.sleep_ms(20), asy.ok(1));
        assert_eq!((a.unwrap(), b.unwrap()), (20, 2));
    });
}

#[test]
fn dropped_futures_leave_the_domain_intact() {
    let lib = parallel();
    let pid = domain(&lib).pid();
    let asy = lib.to_async();
    runtime().block_on(async {
        // Dropped while C runs: the call completes in the domain.
        let late = tokio::time::timeout(Duration::from_millis(20), asy.sleep_ms(200)).await;
        assert!(late.is_err(), "timed out");
        // Dropped before a caller thread took them.
        for _ in 0..50 {
            let f = asy.sleep_ms(200);
            let _ = tokio::time::timeout(Duration::from_millis(1), f).await;
        }
        assert_eq!(asy.ok(1).await.unwrap(), 2);
    });
    assert_eq!(domain(&lib).pid(), pid, "the domain was not killed");
    assert_eq!(domain(&lib).restarts(), 0);
    assert_eq!(lib.ok(2).unwrap(), 3);
}

fn is_sigkill(r: &Result<i32, Error>) -> bool {
    matches!(
        r,
        Err(Error::Domain {
            failure: DomainFailure::Signaled { signal: 9, .. },
            ..
        })
    )
}

/// A SIGKILL while 8 threads and 100 futures have calls in flight (running
/// on a lane, or waiting for one): each fails exactly once with the typed
/// failure, the domain restarts once, and the next call of each succeeds.
#[test]
fn a_death_fails_every_call_in_flight_once_and_the_next_calls_succeed() {
    let lib = parallel();
    let pid = domain(&lib).pid().unwrap();
    let rt = runtime();
    let asy = lib.to_async();
    let futures: Vec<_> = (0..100)
        .map(|i| {
            let asy = asy.clone();
            rt.spawn(async move {
                let first = asy.sleep_ms(2000).await;
                let next = asy.ok(i).await;
                (first, next, i)
            })
        })
        .collect();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let lib = lib.clone();
            std::thread::spawn(move || {
                let first = lib.sleep_ms(2000);
                let next = lib.ok(i);
                (first, next, i)
            })
        })
        .collect();
    // Every call is in flight: running on a lane or waiting for one.
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: a signal to the domain process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let mut outcomes = Vec::new();
    for t in threads {
        outcomes.push(t.join().unwrap());
    }
    for f in futures {
        outcomes.push(rt.block_on(f).unwrap());
    }
    assert_eq!(outcomes.len(), 108, "none lost");
    for (first, next, i) in &outcomes {
        assert!(is_sigkill(first), "call {i}: {first:?}");
        assert_eq!(
            next.as_ref().ok(),
            Some(&(i + 1)),
            "call {i} after the death"
        );
    }
    assert_eq!(domain(&lib).restarts(), 1, "one restart");
    assert_ne!(domain(&lib).pid(), Some(pid));
}

/// The async form keeps the vocabulary: buffers in and out, strings in and
/// owned strings out, handles made, used and freed, on a description that
/// says nothing on threads (its calls serialised).
#[test]
fn the_async_form_keeps_buffers_strings_and_handles() {
    use ffi_tests::vocab::vocab::{Vocab, VocabIsolated};
    let lib: VocabIsolated =
        Domain::launch(isolated_options("vocab-domain")).expect("start the vocab domain");
    let asy = lib.to_async();
    runtime().block_on(async {
        let xs: Vec<i32> = (1..=1000).collect();
        assert_eq!(asy.sum(&xs).await.unwrap(), 500500);
        let mut buf = [0u8; 5];
        assert_eq!(asy.fill(&mut buf, 0xab).await.unwrap(), 5);
        assert_eq!(buf, [0xab; 5]);
        let mut bytes = *b"abc";
        asy.reverse(&mut bytes).await.unwrap();
        assert_eq!(&bytes, b"cba");
        assert_eq!(asy.strlen(c"four").await.unwrap(), 4);
        let c = asy.counter_new(5).await.unwrap();
        assert_eq!(asy.counter_add(&c, 2).await.unwrap(), 7);
        assert_eq!(
            lib.counter_get(&c).unwrap(),
            7,
            "the sync form sees the same handle"
        );
        let live = asy.counters_live().await.unwrap();
        drop(c);
        assert_eq!(
            asy.counters_live().await.unwrap(),
            live - 1,
            "freed on drop"
        );
    });
}

/// The last linkage dropped while an abandoned call still runs in the
/// domain: the domain is cancelled and reaped, not left behind.
#[test]
fn dropping_the_linkage_during_an_abandoned_call_ends_the_domain() {
    let lib = parallel();
    let pid = domain(&lib).pid().unwrap();
    let asy = lib.to_async();
    runtime().block_on(async {
        let late = tokio::time::timeout(Duration::from_millis(50), asy.sleep_ms(15_000)).await;
        assert!(late.is_err());
    });
    drop(asy);
    drop(lib);
    // Well before the 15 s call would end by itself.
    let mut gone = false;
    for _ in 0..300 {
        // SAFETY: signal 0 only asks whether the process exists.
        if unsafe { libc::kill(pid, 0) } != 0 {
            gone = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(gone, "the domain {pid} outlived its client");
}

#[test]
fn a_short_async_call_is_answered_by_the_task_thread_and_every_call_is_counted_once() {
    let mut o = isolated_options("parallel-domain");
    // Long enough that the domain's reply comes within it on a busy machine.
    o.async_spin = Duration::from_millis(50);
    let lib: ParallelIsolated = Domain::launch(o).expect("start the parallel domain");
    let asy = lib.to_async();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let before = domain(&lib).async_counts();
    for i in 0..200 {
        assert_eq!(rt.block_on(asy.ok(i)).unwrap(), i + 1);
    }
    // Two in flight at once from one task: the second is sent while the
    // first holds its lane.
    let (a, b) = rt.block_on(async { tokio::join!(asy.ok(7), asy.ok(8)) });
    assert_eq!((a.unwrap(), b.unwrap()), (8, 9));
    let after = domain(&lib).async_counts();
    let in_place = after.answered_in_place - before.answered_in_place;
    let handed = after.handed_over - before.handed_over;
    let by_caller = after.made_by_caller - before.made_by_caller;
    assert_eq!(in_place + handed + by_caller, 202, "{after:?}");
    assert!(in_place >= 100, "most answered in place: {after:?}");
    // The sync form still works beside them, on the same lanes.
    assert_eq!(lib.ok(41).unwrap(), 42);
}

//! The floor of the bulk rows: the same C work on 1 MiB done by a thread on
//! the other CPU, with the one copy the Isolated linkage makes (in for
//! `sum`, out for `fill`) and a spinning hand-off, but no domain, no frame
//! and no sandbox. Moving a buffer between two cores' caches costs more
//! than a `memcpy` inside one; this row says how much.
//!
//! The two threads are pinned to two CPUs for the measurement: left to the
//! scheduler, two threads of one process that yield to each other can share
//! one CPU, and the row then measures time slices, not caches.

use crate::measure::{measure, Config};
use crate::report::Report;
use ffi_tests::vocab::vocab::{Vocab, VocabLinked};
use std::ffi::c_int;
use std::hint::black_box;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

const IDLE: u32 = 0;
const WORK: u32 = 1;
const DONE: u32 = 2;
const STOP: u32 = 3;

/// A spinning waiter's pause, which gives up the CPU now and then, as the
/// domain's and the client's waits do: two spinners on two CPUs shared
/// with other work must not keep each other off them.
fn relax() {
    for _ in 0..64 {
        std::hint::spin_loop();
    }
    std::thread::yield_now();
}

/// Runs `work` on another thread each time `round` hands it over, and
/// measures `round`.
fn handed_over(
    cfg: &Config,
    work: impl Fn() + Sync,
    mut before: impl FnMut(),
    mut after: impl FnMut(),
) -> crate::measure::Stats {
    let state = AtomicU32::new(IDLE);
    let (here, there) = two_cpus();
    let home = here.map(pin_this_thread);
    std::thread::scope(|s| {
        s.spawn(|| {
            if let Some(cpu) = there {
                pin_this_thread(cpu);
            }
            loop {
                match state.load(Ordering::Acquire) {
                    WORK => {
                        work();
                        state.store(DONE, Ordering::Release);
                    }
                    STOP => return,
                    _ => relax(),
                }
            }
        });
        let stats = measure(cfg, || {
            before();
            state.store(WORK, Ordering::Release);
            while state.load(Ordering::Acquire) != DONE {
                relax();
            }
            state.store(IDLE, Ordering::Relaxed);
            after();
        });
        state.store(STOP, Ordering::Release);
        if let Some(Some(old)) = home {
            restore_affinity(&old);
        }
        stats
    })
}

/// The CPU this thread runs on and another it may run on (`None` for a
/// machine, or an affinity, of one CPU: the row then runs unpinned).
fn two_cpus() -> (Option<usize>, Option<usize>) {
    // SAFETY: a zeroed cpu_set_t is an empty set, which sched_getaffinity
    // fills; sched_getcpu takes nothing.
    let (set, here) = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) != 0 {
            return (None, None);
        }
        (set, libc::sched_getcpu())
    };
    let Ok(here) = usize::try_from(here) else {
        return (None, None);
    };
    // SAFETY: CPU_ISSET reads the set in bounds for any index below
    // CPU_SETSIZE.
    let other =
        (0..libc::CPU_SETSIZE as usize).find(|&c| c != here && unsafe { libc::CPU_ISSET(c, &set) });
    match other {
        Some(o) => (Some(here), Some(o)),
        None => (None, None),
    }
}

/// Pins the calling thread to `cpu`; returns the affinity it had.
fn pin_this_thread(cpu: usize) -> Option<libc::cpu_set_t> {
    // SAFETY: zeroed sets are empty; both calls act on this thread only.
    unsafe {
        let mut old: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of_val(&old);
        if libc::sched_getaffinity(0, size, &mut old) != 0 {
            return None;
        }
        let mut one: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut one);
        (libc::sched_setaffinity(0, size, &one) == 0).then_some(old)
    }
}

fn restore_affinity(set: &libc::cpu_set_t) {
    // SAFETY: a set read by sched_getaffinity for this thread.
    unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(set), set) };
}

pub fn cross_core_floors(cfg: &Config, lin: &VocabLinked, rep: &mut Report, bytes: usize) {
    let src: Vec<c_int> = (0..(bytes / 4) as c_int).collect();
    let shared = Mutex::new(vec![0 as c_int; bytes / 4]);
    let s = handed_over(
        cfg,
        || {
            let buf = shared.lock().unwrap();
            black_box(lin.sum(&buf).unwrap());
        },
        || shared.lock().unwrap().copy_from_slice(black_box(&src)),
        || {},
    );
    rep.note(
        "floor/cross-core-sum-1m",
        s,
        "linked/sum-1m",
        "1 MiB copied in, summed by a thread on the other CPU",
    );
    let shared = Mutex::new(vec![0u8; bytes]);
    let mut dst = vec![0u8; bytes];
    let s = handed_over(
        cfg,
        || {
            let mut buf = shared.lock().unwrap();
            black_box(lin.fill(&mut buf[..], 0xab).unwrap());
        },
        || {},
        || dst.copy_from_slice(&shared.lock().unwrap()),
    );
    black_box(&dst);
    rep.note(
        "floor/cross-core-fill-1m",
        s,
        "linked/fill-1m",
        "1 MiB filled by a thread on the other CPU, copied out",
    );
}

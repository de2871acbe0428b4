//! Timing: batches of calls timed with [`Instant`], many samples, the median
//! and the 99th percentile of the per-call time over the samples.
//!
//! A batch runs the measured closure `n` times in a loop and is timed as a
//! whole, so the clock's own cost (tens of nanoseconds) is spread over the
//! batch; `n` is calibrated so that one batch lasts about
//! [`Config::batch_target`]. The p99 is therefore the 99th percentile of
//! batch means: for calls of a few nanoseconds it shows a slow batch (a
//! preemption, a cache flush), not the tail of single calls. Calls slow enough
//! to be timed one by one (a domain start, a 1 MiB compression) are batches
//! of one, and their p99 is the tail of single calls.

use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Calibrated length of one batch.
    pub batch_target: Duration,
    /// Warm-up before the calibration.
    pub warmup: Duration,
    /// Time budget of one measurement (past the calibration).
    pub budget: Duration,
    /// At least this many samples, whatever the budget says.
    pub min_samples: usize,
    /// At most this many samples.
    pub max_samples: usize,
    /// Samples of the slow, one-at-a-time measurements.
    pub slow_samples: usize,
}

impl Config {
    /// The quick mode: the whole run in well under a minute.
    pub fn quick() -> Self {
        Config {
            batch_target: Duration::from_micros(100),
            warmup: Duration::from_millis(5),
            budget: Duration::from_millis(60),
            min_samples: 20,
            max_samples: 400,
            slow_samples: 12,
        }
    }

    /// The full run.
    pub fn full() -> Self {
        Config {
            batch_target: Duration::from_micros(200),
            warmup: Duration::from_millis(30),
            budget: Duration::from_millis(700),
            min_samples: 100,
            max_samples: 4000,
            slow_samples: 60,
        }
    }
}

/// The result of one measurement.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    /// Median time of one call, in nanoseconds.
    pub median_ns: f64,
    /// 99th percentile of the per-call time over the samples, in nanoseconds.
    pub p99_ns: f64,
    /// How many samples were taken.
    pub samples: usize,
    /// Calls per sample.
    pub batch: u64,
}

impl Stats {
    /// Median and p99 of per-call times (nanoseconds).
    pub fn from_samples(mut per_call_ns: Vec<f64>, batch: u64) -> Stats {
        assert!(!per_call_ns.is_empty(), "no samples");
        per_call_ns.sort_by(f64::total_cmp);
        Stats {
            median_ns: percentile(&per_call_ns, 0.50),
            p99_ns: percentile(&per_call_ns, 0.99),
            samples: per_call_ns.len(),
            batch,
        }
    }
}

/// The `q`-quantile of sorted values (nearest rank, interpolated).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let w = pos - lo as f64;
    sorted[lo] * (1.0 - w) + sorted[hi] * w
}

/// Runs `f` `n` times and returns the elapsed time. Never inlined, so every
/// measured closure gets the same loop around it.
#[inline(never)]
fn run_batch<F: FnMut()>(f: &mut F, n: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed()
}

/// Warms the closure up (caches, predictors, a peer process's spin state)
/// for [`Config::warmup`], then returns how many calls fill one batch.
fn calibrate<F: FnMut()>(cfg: &Config, f: &mut F) -> u64 {
    let start = Instant::now();
    let mut calls: u64 = 0;
    let mut n: u64 = 1;
    while start.elapsed() < cfg.warmup {
        run_batch(f, n);
        calls += n;
        n = (n * 2).min(1 << 20);
    }
    let per_call = start.elapsed().as_secs_f64() / calls.max(1) as f64;
    ((cfg.batch_target.as_secs_f64() / per_call).ceil() as u64).clamp(1, 1 << 30)
}

/// Measures one closure, each call of which is one operation.
pub fn measure<F: FnMut()>(cfg: &Config, mut f: F) -> Stats {
    let n = calibrate(cfg, &mut f);
    let mut samples = Vec::with_capacity(cfg.max_samples);
    let start = Instant::now();
    while samples.len() < cfg.max_samples
        && (samples.len() < cfg.min_samples || start.elapsed() < cfg.budget)
    {
        let d = run_batch(&mut f, n);
        samples.push(d.as_nanos() as f64 / n as f64);
    }
    Stats::from_samples(samples, n)
}

/// Measures two closures in alternating samples, so that drift of the
/// machine (another process compiling on the other core, a frequency
/// change) falls on both alike. Returns the statistics of `a` and `b`.
pub fn measure_pair<A: FnMut(), B: FnMut()>(cfg: &Config, a: A, b: B) -> (Stats, Stats) {
    measure_pair_around(cfg, a, b, |_| {})
}

/// [`measure_pair`] for an `a` that needs a peer only while it runs:
/// `around(true)` before each batch of `a` and `around(false)` after it,
/// untimed (a spinning peer resumed, then paused, so that it takes no CPU
/// from `b`).
pub fn measure_pair_around<A: FnMut(), B: FnMut(), S: FnMut(bool)>(
    cfg: &Config,
    mut a: A,
    mut b: B,
    mut around: S,
) -> (Stats, Stats) {
    around(true);
    let na = calibrate(cfg, &mut a);
    around(false);
    let nb = calibrate(cfg, &mut b);
    let mut sa = Vec::with_capacity(cfg.max_samples);
    let mut sb = Vec::with_capacity(cfg.max_samples);
    let start = Instant::now();
    // The pair shares one measurement's budget, twice over.
    let budget = cfg.budget * 2;
    while sa.len() < cfg.max_samples && (sa.len() < cfg.min_samples || start.elapsed() < budget) {
        around(true);
        let d = run_batch(&mut a, na);
        around(false);
        sa.push(d.as_nanos() as f64 / na as f64);
        let d = run_batch(&mut b, nb);
        sb.push(d.as_nanos() as f64 / nb as f64);
    }
    (Stats::from_samples(sa, na), Stats::from_samples(sb, nb))
}

/// Measures an operation that times itself: `f` returns the duration of one
/// operation (its set-up and tear-down excluded). Runs `samples` times after
/// one unmeasured warm-up.
pub fn measure_each<F: FnMut() -> Duration>(samples: usize, mut f: F) -> Stats {
    f();
    let v = (0..samples.max(1)).map(|_| f().as_nanos() as f64).collect();
    Stats::from_samples(v, 1)
}

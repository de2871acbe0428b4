//! The bench's targets: each a figure of the run (mostly a ratio of two of
//! its rows) against the goal the issues set, grouped by what they measure.

use crate::report::{Report, Target};

const MIB: f64 = (1u64 << 20) as f64;

pub fn targets(rep: &Report) -> Vec<Target> {
    let mut all = call_targets(rep);
    all.extend(bulk_targets(rep));
    all.extend(restart_targets(rep));
    all
}

fn at_most(text: &'static str, value: Option<f64>, limit: f64) -> Target {
    Target {
        text,
        value,
        met: value.map(|v| v <= limit),
    }
}

fn at_least(text: &'static str, value: Option<f64>, limit: f64) -> Target {
    Target {
        text,
        value,
        met: value.map(|v| v >= limit),
    }
}

/// The worst ratio of the rows named `prefix…` to their `base…` rows.
fn max_ratio(rep: &Report, prefix: &str, base: &str) -> Option<(f64, String)> {
    rep.rows
        .iter()
        .filter(|r| r.name.starts_with(prefix))
        .filter_map(|r| {
            let b = r.ratio_to.strip_prefix(base)?;
            let v = rep.ratio_of(&r.name, &format!("{base}{b}"))?;
            Some((v, r.name.clone()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// The cost of a call: the wrappers against raw calls, the Isolated call
/// against the floors, callbacks.
fn call_targets(rep: &Report) -> Vec<Target> {
    let linked = max_ratio(rep, "linked/", "raw/");
    let loaded = max_ratio(rep, "loaded/", "dl/");
    let linked_nocb = max_ratio(rep, "linked-nocb/", "raw/");
    let loaded_nocb = max_ratio(rep, "loaded-nocb/", "dl/");
    if let Some((v, n)) = &linked {
        eprintln!("worst Linked/raw: {n} at {v:.3}");
    }
    if let Some((v, n)) = &loaded {
        eprintln!("worst Loaded/dl: {n} at {v:.3}");
    }
    vec![
        at_most(
            "Linked wrapper / raw call (worst row) <= 1.05",
            linked.map(|x| x.0),
            1.05,
        ),
        at_most(
            "Loaded wrapper / raw libloading call (worst row) <= 1.10",
            loaded.map(|x| x.0),
            1.10,
        ),
        at_most(
            "  (diagnostic) the same, description without callbacks: Linked",
            linked_nocb.map(|x| x.0),
            1.05,
        ),
        at_most(
            "  (diagnostic) the same, description without callbacks: Loaded",
            loaded_nocb.map(|x| x.0),
            1.10,
        ),
        at_most(
            "Isolated null call / shm spin floor, in alternate batches <= 2",
            rep.ratio_of("isolated/noop-beside", "floor/spin-rtt-beside"),
            2.0,
        ),
        at_most(
            "  (diagnostic) the same, the floor measured in its own section",
            rep.ratio_of("isolated/noop", "floor/shm-spin-rtt"),
            2.0,
        ),
        at_least(
            "Unix-socket round trip / Isolated null call >= 20",
            rep.ratio_of("ipc/unix-socket-rtt", "isolated/noop"),
            20.0,
        ),
        at_most(
            "Isolated 15-argument call / Isolated null call <= 1.5",
            rep.ratio_of("isolated/int15", "isolated/noop"),
            1.5,
        ),
        at_most(
            "one callback round trip / Isolated null call <= 1",
            callback_round_trip(rep),
            1.0,
        ),
        at_most(
            "expat per element, 100,000 elements / 10,000, Isolated <= 1.2 (linear)",
            expat_scaling(rep),
            1.2,
        ),
    ]
}

/// A callback round trip: the call with one callback less the same call
/// calling back none, in null calls; and, as a diagnostic, the cost of
/// each of seven more.
fn callback_round_trip(rep: &Report) -> Option<f64> {
    let null = rep.figure("isolated/noop").filter(|&n| n > 0.0)?;
    let c1 = rep.figure("isolated/callback-1")?;
    if let Some(c8) = rep.figure("isolated/callback-8") {
        eprintln!(
            "  (diagnostic) each further callback round trip (callback-8 less callback-1, / 7): {:.0} ns, {:.2} null calls",
            (c8 - c1) / 7.0,
            (c8 - c1) / 7.0 / null
        );
    }
    let c0 = rep.figure("isolated/callback-0")?;
    Some((c1 - c0) / null)
}

/// The cost per element of the whole expat document against a tenth.
fn expat_scaling(rep: &Report) -> Option<f64> {
    let whole = rep.figure("expat/elements-100k/isolated")?;
    let tenth = rep
        .figure("expat/elements-10k/isolated")
        .filter(|&t| t > 0.0)?;
    Some(whole / (10.0 * tenth))
}

/// Buffers and a real library's bulk work.
fn bulk_targets(rep: &Report) -> Vec<Target> {
    let gbps = |name: &str| rep.figure(name).map(|ns| MIB / ns);
    vec![
        at_least(
            "Isolated 1 MiB in (sum), GB/s >= 10",
            gbps("isolated/sum-1m"),
            10.0,
        ),
        at_most(
            "Isolated 1 MiB in (sum) / Linked <= 2",
            rep.ratio_of("isolated/sum-1m", "linked/sum-1m"),
            2.0,
        ),
        at_most(
            "Isolated 1 MiB in (sum) from a SharedBuf / Linked <= 2",
            rep.ratio_of("isolated/sum-1m-shared", "linked/sum-1m-pair"),
            2.0,
        ),
        at_least(
            "Isolated 1 MiB out (fill), GB/s >= 10",
            gbps("isolated/fill-1m"),
            10.0,
        ),
        at_most(
            "Isolated 1 MiB out (fill) / Linked <= 2",
            rep.ratio_of("isolated/fill-1m", "linked/fill-1m"),
            2.0,
        ),
        at_most(
            "Isolated 1 MiB out (fill) into a SharedOut / Linked <= 2",
            rep.ratio_of("isolated/fill-1m-shared", "linked/fill-1m-pair"),
            2.0,
        ),
        at_most(
            "Isolated 1 MiB in and out (reverse) / Linked <= 1.5",
            rep.ratio_of("isolated/reverse-1m", "linked/reverse-1m"),
            1.5,
        ),
        at_most(
            "Isolated 1 MiB in and out (reverse) in a SharedOut / Linked <= 1.5",
            rep.ratio_of("isolated/reverse-1m-shared", "linked/reverse-1m-pair"),
            1.5,
        ),
        at_most(
            "zlib 1 MiB compress, Isolated / Linked <= 1.15",
            rep.ratio_of("zlib/compress-1m/isolated", "zlib/compress-1m/linked"),
            1.15,
        ),
        at_most(
            "zlib 1 MiB uncompress, Isolated / Linked <= 1.05",
            rep.ratio_of("zlib/uncompress-1m/isolated", "zlib/uncompress-1m/linked"),
            1.05,
        ),
    ]
}

/// Starting a domain, restarting it, and callers that do not block.
fn restart_targets(rep: &Report) -> Vec<Target> {
    let ms = |name: &str| rep.figure(name).map(|ns| ns / 1e6);
    vec![
        at_most("domain start, ms < 5", ms("isolated/domain-start"), 5.0),
        at_most(
            "restart after SIGKILL (restart()), ms < 5",
            ms("isolated/restart"),
            5.0,
        ),
        at_most(
            "restart after SIGKILL (next good call), ms < 5",
            ms("isolated/crash-recover"),
            5.0,
        ),
        at_most(
            "restart after SIGKILL with a spare (next good call), ms <= 0.5",
            ms("isolated/crash-recover-spare"),
            0.5,
        ),
        at_most(
            "async null call / sync null call <= 1.5",
            rep.ratio_of("callers/async-null", "callers/sync-null"),
            1.5,
        ),
    ]
}

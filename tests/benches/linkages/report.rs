//! The rows of a run, the printed table and `linkages.json`.

use crate::measure::Stats;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write as _;

/// What a row measured besides time.
#[derive(Clone, Debug)]
pub enum Extra {
    /// Bytes moved per operation: the table shows a throughput.
    Bytes(u64),
    /// A memory figure, in KiB (the row has no time).
    Kib(u64),
    /// A free-form note.
    Note(String),
}

/// One measurement.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its name: `group/what`.
    pub name: String,
    /// Its statistics (none for a memory figure).
    pub stats: Option<Stats>,
    /// The name of the row it is compared with.
    pub ratio_to: String,
    /// What else it measured.
    pub extra: Option<Extra>,
    /// The section it was measured in.
    pub section: usize,
}

impl Row {
    /// The figure the ratio is taken of: the median time, or the memory.
    fn figure(&self) -> Option<f64> {
        match (&self.stats, &self.extra) {
            (Some(s), _) => Some(s.median_ns),
            (None, Some(Extra::Kib(k))) => Some(*k as f64),
            _ => None,
        }
    }
}

/// A target of the issue, checked against the rows.
pub struct Target {
    /// What it says.
    pub text: &'static str,
    /// The figure, if both rows it needs were measured.
    pub value: Option<f64>,
    /// Whether the figure meets the target.
    pub met: Option<bool>,
}

/// All rows of a run, in the order they were measured.
#[derive(Default)]
pub struct Report {
    /// The rows.
    pub rows: Vec<Row>,
    /// Sections that could not run, and why.
    pub skipped: Vec<(String, String)>,
    /// The current section.
    pub section: usize,
    /// Observations printed under the table.
    pub notes: Vec<String>,
}

impl Report {
    /// Adds a timed row.
    pub fn time(&mut self, name: impl Into<String>, stats: Stats, ratio_to: impl Into<String>) {
        self.push(name.into(), Some(stats), ratio_to.into(), None);
    }

    /// Adds a timed row that moved `bytes` per operation.
    pub fn bytes(
        &mut self,
        name: impl Into<String>,
        stats: Stats,
        ratio_to: impl Into<String>,
        bytes: u64,
    ) {
        self.push(
            name.into(),
            Some(stats),
            ratio_to.into(),
            Some(Extra::Bytes(bytes)),
        );
    }

    /// Adds a memory row.
    pub fn kib(&mut self, name: impl Into<String>, kib: u64, ratio_to: impl Into<String>) {
        self.push(name.into(), None, ratio_to.into(), Some(Extra::Kib(kib)));
    }

    /// Adds a timed row with a note.
    pub fn note(
        &mut self,
        name: impl Into<String>,
        stats: Stats,
        ratio_to: impl Into<String>,
        note: impl Into<String>,
    ) {
        self.push(
            name.into(),
            Some(stats),
            ratio_to.into(),
            Some(Extra::Note(note.into())),
        );
    }

    fn push(&mut self, name: String, stats: Option<Stats>, ratio_to: String, extra: Option<Extra>) {
        let row = Row {
            name,
            stats,
            ratio_to,
            extra,
            section: self.section,
        };
        eprintln!("  {:<34} {}", row.name, brief(&row));
        self.rows.push(row);
    }

    /// Records a section that could not run.
    pub fn skip(&mut self, section: &str, why: impl std::fmt::Display) {
        eprintln!("  skipped {section}: {why}");
        self.skipped.push((section.into(), why.to_string()));
    }

    fn index(&self) -> HashMap<&str, &Row> {
        self.rows.iter().map(|r| (r.name.as_str(), r)).collect()
    }

    /// The figure of the row named `name`.
    pub fn figure(&self, name: &str) -> Option<f64> {
        self.rows
            .iter()
            .find(|r| r.name == name)
            .and_then(Row::figure)
    }

    /// The ratio of a row to its baseline.
    fn ratio(&self, idx: &HashMap<&str, &Row>, row: &Row) -> Option<f64> {
        let base = idx.get(row.ratio_to.as_str())?.figure()?;
        let fig = row.figure()?;
        (base > 0.0).then(|| fig / base)
    }

    /// The ratio of two rows' figures.
    pub fn ratio_of(&self, a: &str, b: &str) -> Option<f64> {
        let (a, b) = (self.figure(a)?, self.figure(b)?);
        (b > 0.0).then(|| a / b)
    }

    /// The table, one line per row, a blank line between sections.
    pub fn table(&self) -> String {
        let idx = self.index();
        let mut out = String::new();
        let w = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(10)
            .max(12);
        let bw = self
            .rows
            .iter()
            .map(|r| r.ratio_to.len())
            .max()
            .unwrap_or(10)
            .max(8);
        let _ = writeln!(
            out,
            "{:<w$}  {:>10}  {:>10}  {:>8}  against",
            "measurement", "median", "p99", "ratio",
        );
        let _ = writeln!(out, "{}", "-".repeat(w + bw + 50));
        let mut section = self.rows.first().map(|r| r.section).unwrap_or(0);
        for row in &self.rows {
            if row.section != section {
                out.push('\n');
            }
            section = row.section;
            let (median, p99) = match &row.stats {
                Some(s) => (fmt_ns(s.median_ns), fmt_ns(s.p99_ns)),
                None => ("-".into(), "-".into()),
            };
            let ratio = if row.ratio_to == row.name {
                "1 (base)".to_string()
            } else {
                self.ratio(&idx, row)
                    .map(fmt_ratio)
                    .unwrap_or_else(|| "-".into())
            };
            let extra = match (&row.extra, &row.stats) {
                (Some(Extra::Bytes(b)), Some(s)) => format!("{:.2} GB/s", *b as f64 / s.median_ns),
                (Some(Extra::Kib(k)), _) => format!("{:.1} MiB", *k as f64 / 1024.0),
                (Some(Extra::Note(n)), _) => n.clone(),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "{:<w$}  {:>10}  {:>10}  {:>8}  {:<bw$}  {}",
                row.name, median, p99, ratio, row.ratio_to, extra
            );
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        for (section, why) in &self.skipped {
            let _ = writeln!(out, "skipped {section}: {why}");
        }
        out
    }

    /// Every row as one JSON object: `name`, `median_ns`, `p99_ns`,
    /// `ratio_to`, `ratio`, and what else it measured.
    pub fn json(&self) -> Value {
        let idx = self.index();
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut o = json!({
                    "name": row.name,
                    "median_ns": row.stats.map(|s| s.median_ns),
                    "p99_ns": row.stats.map(|s| s.p99_ns),
                    "ratio_to": row.ratio_to,
                    "ratio": if row.ratio_to == row.name { Some(1.0) } else { self.ratio(&idx, row) },
                });
                if let Some(s) = row.stats {
                    o["samples"] = json!(s.samples);
                    o["calls_per_sample"] = json!(s.batch);
                }
                match &row.extra {
                    Some(Extra::Bytes(b)) => {
                        o["bytes"] = json!(b);
                        if let Some(s) = row.stats {
                            o["gb_per_s"] = json!(*b as f64 / s.median_ns);
                        }
                    }
                    Some(Extra::Kib(k)) => o["kib"] = json!(k),
                    Some(Extra::Note(n)) => o["note"] = json!(n),
                    None => {}
                }
                o
            })
            .collect();
        Value::Array(rows)
    }
}

fn brief(row: &Row) -> String {
    match (&row.stats, &row.extra) {
        (Some(s), _) => format!("median {}  p99 {}", fmt_ns(s.median_ns), fmt_ns(s.p99_ns)),
        (None, Some(Extra::Kib(k))) => format!("{k} KiB"),
        _ => String::new(),
    }
}

/// A time in nanoseconds, in the unit that suits it.
pub fn fmt_ns(ns: f64) -> String {
    if ns < 10.0 {
        format!("{ns:.2} ns")
    } else if ns < 1_000.0 {
        format!("{ns:.1} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// A ratio with the precision that suits it.
pub fn fmt_ratio(r: f64) -> String {
    if r < 10.0 {
        format!("{r:.3}")
    } else if r < 100.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.0}")
    }
}

//! How a library domain's server ended, as one line of text: what a Xen
//! guest's supervisor publishes in XenStore (`exited <code>`, `signaled
//! <number> <name>`), and what a launcher relays to a client that has no
//! toolstack of its own. Both ends (the `std` launcher and a `no_std`
//! unikernel) read it with [`parse`], so a crash reads as the same
//! [`DomainFailure`] wherever the caller runs.
//!
//! The line comes from another domain: it is bounded ([`MAX_REPORT`]), its
//! numbers are range checked, and the signal's name is the reader's choice
//! (`name_of` gets the number and the name as written, which it may ignore).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::DomainFailure;

/// The longest report believed, in bytes.
pub const MAX_REPORT: usize = 64;

/// The failure a dead process gives, from a report; `None` for anything
/// that is not a well-formed report.
pub fn parse(report: &str, name_of: impl Fn(i32, &str) -> String) -> Option<DomainFailure> {
    if report.len() > MAX_REPORT {
        return None;
    }
    let words: Vec<&str> = report.split_whitespace().collect();
    match words[..] {
        ["exited", code] => {
            let code: i32 = code.parse().ok()?;
            (0..=255)
                .contains(&code)
                .then_some(DomainFailure::Exited { code })
        }
        ["signaled", signal, name] => {
            let signal: i32 = signal.parse().ok()?;
            (1..=64).contains(&signal).then(|| DomainFailure::Signaled {
                signal,
                name: name_of(signal, name),
            })
        }
        _ => None,
    }
}

/// The report of `failure`, when it is a death a report can say.
pub fn format(failure: &DomainFailure) -> Option<String> {
    match failure {
        DomainFailure::Exited { code } => Some(format!("exited {code}")),
        DomainFailure::Signaled { signal, name } => Some(format!("signaled {signal} {name}")),
        _ => None,
    }
}

/// A signal name as a report writes it, if it looks like one (`SIG` and up
/// to 13 capitals or digits); for readers that take the writer's name.
pub fn plausible_signal_name(name: &str) -> bool {
    name.len() <= 16
        && name.starts_with("SIG")
        && name.len() > 3
        && name[3..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn writer_name(_: i32, name: &str) -> String {
        if plausible_signal_name(name) {
            name.to_string()
        } else {
            "unknown".to_string()
        }
    }

    #[test]
    fn reports_round_trip() {
        for f in [
            DomainFailure::Exited { code: 0 },
            DomainFailure::Exited { code: 255 },
            DomainFailure::Signaled {
                signal: 11,
                name: "SIGSEGV".into(),
            },
        ] {
            let line = format(&f).unwrap();
            assert_eq!(parse(&line, writer_name), Some(f));
        }
        assert_eq!(format(&DomainFailure::Cancelled), None);
    }

    #[test]
    fn hostile_reports_are_not_believed() {
        let long = alloc::format!("exited 1{}", " ".repeat(MAX_REPORT));
        for bad in [
            "",
            "exited",
            "exited x",
            "exited -1",
            "exited 256",
            "signaled 0 SIGX",
            "signaled 65 SIGX",
            "signaled 11",
            "crashed 1 2",
            "exited 1 2",
            long.as_str(),
        ] {
            assert_eq!(parse(bad, writer_name), None, "{bad:?}");
        }
        assert_eq!(
            parse("signaled 6 <script>", writer_name),
            Some(DomainFailure::Signaled {
                signal: 6,
                name: "unknown".into()
            })
        );
        for name in ["SIG", "sigsegv", "SIGSEGV\u{0}", "SIGAAAAAAAAAAAAAA"] {
            assert!(!plausible_signal_name(name), "{name:?}");
        }
    }
}

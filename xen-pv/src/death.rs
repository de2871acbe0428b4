//! What dom0 says of a library guest that died, for a unikernel that
//! cannot ask the toolstack itself: dom0's launcher (`XenGuest::keep_for`)
//! writes `<domid> <exit report>` in the unikernel's XenStore directory
//! (the report as `ffi_desc::exit_report` reads it: `exited 3`, `signaled
//! 11 SIGSEGV`). Read from a private copy, bounded, and believed only for
//! the very domain the connection reached.

use alloc::string::{String, ToString};

use ffi_desc::exit_report;
use ffi_desc::DomainFailure;

/// The longest line believed: a domain id, a space, a report.
pub const MAX_LINE: usize = 6 + exit_report::MAX_REPORT;

/// The failure dom0's line `raw` gives for domain `server`; `None` when the
/// line is for another domain or is not a well-formed report. The signal's
/// name is dom0's (the toolstack is trusted to name it) when it looks like
/// one, else `unknown`.
pub fn relayed_death(raw: &[u8], server: u16) -> Option<DomainFailure> {
    if raw.len() > MAX_LINE {
        return None;
    }
    let (domid, report) = core::str::from_utf8(raw).ok()?.split_once(' ')?;
    if domid.parse::<u16>().ok()? != server {
        return None;
    }
    exit_report::parse(report, |_, name| {
        if exit_report::plausible_signal_name(name) {
            name.to_string()
        } else {
            String::from("unknown")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_for_the_domain_reached_is_its_death() {
        assert_eq!(
            relayed_death(b"7 signaled 11 SIGSEGV", 7),
            Some(DomainFailure::Signaled {
                signal: 11,
                name: "SIGSEGV".into()
            })
        );
        assert_eq!(
            relayed_death(b"7 exited 3", 7),
            Some(DomainFailure::Exited { code: 3 })
        );
        assert_eq!(
            relayed_death(b"7 signaled 6 <b>", 7),
            Some(DomainFailure::Signaled {
                signal: 6,
                name: "unknown".into()
            })
        );
    }

    #[test]
    fn other_domains_and_malformed_lines_are_not_believed() {
        let long = alloc::format!("7 exited 1{}", " ".repeat(MAX_LINE));
        for bad in [
            &b"8 signaled 11 SIGSEGV"[..],
            b"signaled 11 SIGSEGV",
            b"7",
            b"7 ",
            b"70000 exited 1",
            b"-7 exited 1",
            b"7 exited 256",
            b"7 signaled 99 SIGX",
            b"7 crashed",
            b"\xff exited 1",
            long.as_bytes(),
        ] {
            assert_eq!(relayed_death(bad, 7), None, "{bad:?}");
        }
    }
}

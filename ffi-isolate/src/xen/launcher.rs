//! Starting the domain that serves a description as a Xen guest: the Xen
//! counterpart of the process launcher.
//!
//! [`XenGuest`] runs the toolstack (`xl create`, `xl domid`, `xl destroy`)
//! for a guest whose configuration names a kernel and an initramfs holding
//! the server executable, and tracks the guest's current domain id.
//! [`XenGuest::connect`] gives a [`XenDomain`] whose every (re)connection
//! reads the vchan of the guest's *current* incarnation, so after
//! [`XenGuest::restart`] (destroy and create again) the next call of the
//! same linkage reaches the new guest, as a new incarnation. A guest that
//! died shows as the typed failures of the vchan ([`DomainFailure`]); the
//! guest's state is [`XenGuest::is_running`].

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ffi_desc::isolated::IsolatedLinkage;
use ffi_desc::DomainFailure;

use super::client::{XenDomain, XenOptions};
use super::link::{Link, LinkError, VchanLink};
use super::server::EXIT_KEY;
use super::vchan_path;
use crate::RestartPolicy;

/// A Xen guest started with `xl`, serving descriptions over vchans.
#[derive(Debug)]
pub struct XenGuest {
    name: String,
    config: PathBuf,
    xl: PathBuf,
    /// The running incarnation: its number (one per successful `xl
    /// create`, never reused, unlike domain ids) and its domain id.
    current: Mutex<Option<(u64, u16)>>,
    incarnations: AtomicU64,
    policy: RestartPolicy,
    restarts: AtomicU32,
    /// Held while the guest is destroyed or created, so that connections
    /// that saw the same death restart it once.
    restarting: Mutex<()>,
}

/// How long to wait for a dead guest's exit report.
const REPORT_WAIT: Duration = Duration::from_secs(2);

/// Whether domain `domid` is gone: XenStore knows a domain from its creation
/// until it is destroyed. `xs_is_domain_introduced` also answers "no" when
/// the request fails, so a "no" is asked again before it is believed; when
/// XenStore cannot be reached at all, the domain is taken to exist (the
/// call's deadline still ends a wait).
fn domain_gone(domid: u16) -> bool {
    use super::xenstore::xenstore::{XenStore, XenStoreLinked};
    let store = XenStoreLinked::new();
    let Ok(h) = store.open(0) else {
        return false;
    };
    let known = || store.is_domain_introduced(&h, domid.into()).unwrap_or(true);
    if known() {
        return false;
    }
    std::thread::sleep(Duration::from_millis(200));
    !known()
}

/// The failure a dead process gives, from a supervisor's report; `None`
/// for anything else. The signal's name is this side's, not the guest's.
fn parse_exit_report(report: &str) -> Option<DomainFailure> {
    ffi_desc::exit_report::parse(report, |signal, _| {
        crate::domain::signal_name(signal).to_string()
    })
}

/// What [`XenGuest::keep_for`] saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeepEvent {
    /// An incarnation runs in domain `domid`, and the client was told so.
    Started {
        /// Its domain id.
        domid: u16,
    },
    /// The incarnation in domain `domid` died as `death` says.
    Died {
        /// Its domain id.
        domid: u16,
        /// How, as a connection to it would have been told.
        death: DomainFailure,
    },
}

/// Writes `value` at the absolute XenStore `path` (dom0 may write in any
/// domain's directory).
fn write_key(path: &str, value: &str) -> Result<(), DomainFailure> {
    use super::xenstore::xenstore::{XenStore, XenStoreLinked};
    let store = XenStoreLinked::new();
    let h = store
        .open(0)
        .map_err(|e| unavailable(format!("cannot reach XenStore: {e}")))?;
    let c_path = CString::new(path).map_err(|_| unavailable(format!("{path:?} holds a NUL")))?;
    match store.write(&h, super::xenstore::XBT_NULL, &c_path, value.as_bytes()) {
        Ok(true) => Ok(()),
        _ => Err(unavailable(format!("cannot write {path} in XenStore"))),
    }
}

/// Whether a connection that ended with `death` saw its domain die (as
/// opposed to a vchan that closed while the server lives on).
fn is_death(death: &DomainFailure) -> bool {
    matches!(
        death,
        DomainFailure::Signaled { .. }
            | DomainFailure::Exited { .. }
            | DomainFailure::SandboxViolation { .. }
            | DomainFailure::Deadline { .. }
            | DomainFailure::Protocol { .. }
    )
}

fn unavailable(reason: String) -> DomainFailure {
    DomainFailure::Unavailable { reason }
}

impl XenGuest {
    /// Creates the guest `name` from the `xl` configuration file `config`
    /// (whose `name=` must be `name`) and reads its domain id.
    ///
    /// The guest is never restarted on its own ([`RestartPolicy::Never`]);
    /// see [`XenGuest::create_with_policy`].
    pub fn create(name: &str, config: impl AsRef<Path>) -> Result<Arc<XenGuest>, DomainFailure> {
        Self::create_with_policy(name, config, RestartPolicy::Never)
    }

    /// Like [`XenGuest::create`], restarting the guest as `policy` says
    /// when a connection to it dies: the call that saw the death fails with
    /// its typed error, and the next call (of any description the guest
    /// serves) destroys the dead incarnation, creates a new one and connects
    /// to it. A Xen guest restarts when a call next needs it, so
    /// [`RestartPolicy::Immediately`] acts as [`RestartPolicy::OnNextCall`].
    /// Connections to the guest's other descriptions see their vchan close
    /// and connect to the new incarnation on their next call (an error for
    /// a call in flight, a new incarnation for their handles), without a
    /// second restart.
    pub fn create_with_policy(
        name: &str,
        config: impl AsRef<Path>,
        policy: RestartPolicy,
    ) -> Result<Arc<XenGuest>, DomainFailure> {
        let g = Arc::new(XenGuest {
            name: name.to_string(),
            config: config.as_ref().to_path_buf(),
            xl: PathBuf::from("xl"),
            current: Mutex::new(None),
            incarnations: AtomicU64::new(0),
            policy,
            restarts: AtomicU32::new(0),
            restarting: Mutex::new(()),
        });
        g.start()?;
        Ok(g)
    }

    /// How many times the guest was restarted, by [`XenGuest::restart`] or
    /// by its policy.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::SeqCst)
    }

    /// The guest's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The domain id of the guest's current incarnation, if it is running.
    pub fn domid(&self) -> Option<u16> {
        self.current().map(|(_, domid)| domid)
    }

    /// The running incarnation: its number and domain id.
    fn current(&self) -> Option<(u64, u16)> {
        *self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the toolstack still knows the guest (`xl domid <name>`
    /// succeeds and names the incarnation this launcher created).
    pub fn is_running(&self) -> bool {
        matches!(self.query_domid(), Ok(id) if Some(id) == self.domid())
    }

    /// Destroys the guest (`xl destroy`); a guest that is already gone is
    /// not an error. With a restart policy, the next call creates it again.
    pub fn destroy(&self) {
        let _one = self.restarting.lock().unwrap_or_else(|e| e.into_inner());
        self.destroy_locked();
    }

    fn destroy_locked(&self) {
        let _ = Command::new(&self.xl)
            .args(["destroy", &self.name])
            .output();
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Destroys the guest and creates it again; returns the new domain id.
    pub fn restart(&self) -> Result<u16, DomainFailure> {
        let _one = self.restarting.lock().unwrap_or_else(|e| e.into_inner());
        self.restart_locked()
    }

    fn restart_locked(&self) -> Result<u16, DomainFailure> {
        self.destroy_locked();
        let id = self.start()?;
        self.restarts.fetch_add(1, Ordering::SeqCst);
        Ok(id)
    }

    /// A connection to the description `L` that the guest serves for
    /// `client_domain` under the vchan port `port` (the path is
    /// [`vchan_path`] of the guest's current domain id). Every connection,
    /// including those after a restart, goes to the current incarnation.
    pub fn connect<L: IsolatedLinkage>(
        self: &Arc<Self>,
        client_domain: u16,
        port: &str,
        template: XenOptions,
    ) -> Result<L, DomainFailure> {
        // A guest destroyed here is started again if the policy allows.
        let (_, domid) = self
            .ensure_running(None, None)
            .map_err(|e| unavailable(e.to_string()))?;
        let mut opts = template;
        opts.server_domain = domid;
        opts.xs_path = vchan_path(domid, client_domain, port);
        let guest = self.clone();
        let port = port.to_string();
        // The incarnation this connection last reached.
        let reached: Arc<Mutex<Option<(u64, u16)>>> = Arc::default();
        let (for_report, reporting) = (reached.clone(), self.clone());
        let d = XenDomain::with_connector(
            opts,
            L::FINGERPRINT,
            Box::new(move |_: &XenOptions, ended_by: Option<&DomainFailure>| {
                let mut reached = reached.lock().unwrap_or_else(|e| e.into_inner());
                let (incarnation, domid) = guest.ensure_running(*reached, ended_by)?;
                let replaced = guest.clone();
                let link = VchanLink::client(domid, &vchan_path(domid, client_domain, &port))?
                    .with_peer_check(Box::new(move || !domain_gone(domid)))
                    .with_stale_check(Box::new(move || {
                        replaced.current().map(|(i, _)| i) != Some(incarnation)
                    }));
                *reached = Some((incarnation, domid));
                Ok(Box::new(link) as Box<dyn Link>)
            }),
        )?
        .with_death_report(Box::new(move |_, deadline| {
            let (_, domid) = (*for_report.lock().unwrap_or_else(|e| e.into_inner()))?;
            reporting.what_happened(domid, deadline)
        }));
        Ok(L::from_channel(Box::new(d)))
    }

    /// Before a connection: the running incarnation, after restarting the
    /// guest if the policy allows and it is needed: the guest is not running
    /// (destroyed here, or an earlier start failed), its domain is gone, or
    /// the connection's last link ended in a death of the incarnation that
    /// is still the current one (when another connection has restarted it
    /// since, nothing is done: one death, one restart).
    fn ensure_running(
        &self,
        reached: Option<(u64, u16)>,
        ended_by: Option<&DomainFailure>,
    ) -> Result<(u64, u16), LinkError> {
        let _one = self.restarting.lock().unwrap_or_else(|e| e.into_inner());
        let why = match (self.current(), reached, ended_by) {
            (None, _, _) => format!("guest {} is not running", self.name),
            (Some((now, domid)), Some((then, _)), Some(death))
                if now == then && is_death(death) =>
            {
                format!("guest {} (domain {domid}) died: {death}", self.name)
            }
            (Some((_, domid)), _, _) if domain_gone(domid) => {
                format!("guest {} (domain {domid}) is gone", self.name)
            }
            (Some(running), _, _) => return Ok(running),
        };
        if !self.policy.may_restart(self.restarts()) {
            return Err(LinkError::Permanent(format!(
                "{why}, and its restart policy allows no more restarts"
            )));
        }
        self.restart_locked()
            .map_err(|e| LinkError::Failed(format!("{why}; restarting it: {e}")))?;
        self.current()
            .ok_or_else(|| LinkError::Failed(format!("guest {} did not start", self.name)))
    }

    /// Keeps the guest running for a client that has no toolstack of its
    /// own (a unikernel, which cannot run `xl`): names the running
    /// incarnation to the client, watches it, and when it dies (its
    /// supervisor's exit report, or its domain gone) tells the client how
    /// and restarts it as the policy says, by the very decision a
    /// connection's next call makes ([`XenGuest::ensure_running`]). The
    /// client reads, below `/local/domain/<client>/`, `<key>`: the domain
    /// id of the current incarnation, and `<key>-exit`: `<domid> <report>`
    /// ([`ffi_desc::exit_report`]) for the last incarnation that died.
    /// `on` hears of every start and death. Looks every `every`; returns
    /// when the client's domain is gone, or with the error when the guest
    /// cannot be kept (the policy allows no more restarts, a start failed).
    pub fn keep_for(
        &self,
        client: u16,
        key: &str,
        every: Duration,
        on: &mut dyn FnMut(&KeepEvent),
    ) -> Result<(), DomainFailure> {
        let client_key = format!("/local/domain/{client}/{key}");
        let mut named = None;
        loop {
            let (incarnation, domid) = match self.current() {
                Some(running) => running,
                None => self
                    .ensure_running(None, None)
                    .map_err(|e| unavailable(e.to_string()))?,
            };
            if named != Some(incarnation) {
                write_key(&client_key, &domid.to_string())?;
                named = Some(incarnation);
                on(&KeepEvent::Started { domid });
            }
            if domain_gone(client) {
                return Ok(());
            }
            let death = match self.read_exit_report(domid) {
                Some(report) => {
                    parse_exit_report(&report).unwrap_or_else(|| DomainFailure::Protocol {
                        what: format!(
                            "guest {} wrote an exit report that means nothing",
                            self.name
                        ),
                    })
                }
                None if domain_gone(domid) => unavailable(format!(
                    "guest {} (domain {domid}) is gone: destroyed, or it shut down",
                    self.name
                )),
                None => {
                    std::thread::sleep(every);
                    continue;
                }
            };
            if let Some(report) = ffi_desc::exit_report::format(&death) {
                write_key(&format!("{client_key}-exit"), &format!("{domid} {report}"))?;
            }
            on(&KeepEvent::Died {
                domid,
                death: death.clone(),
            });
            self.ensure_running(Some((incarnation, domid)), Some(&death))
                .map_err(|e| unavailable(e.to_string()))?;
        }
    }

    /// What became of incarnation `domid` after its vchan closed: the
    /// supervisor's report ([`super::server::supervise`]) as the failure a
    /// dead process gives, or that the domain is gone. The report is
    /// written just after the server dies, so it is waited for a little
    /// (never past the call's deadline).
    fn what_happened(&self, domid: u16, deadline: Instant) -> Option<DomainFailure> {
        let until = (Instant::now() + REPORT_WAIT).min(deadline);
        loop {
            if let Some(report) = self.read_exit_report(domid) {
                return parse_exit_report(&report);
            }
            if domain_gone(domid) {
                return Some(unavailable(format!(
                    "guest {} (domain {domid}) is gone: destroyed, or it shut down",
                    self.name
                )));
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The guest's exit report, if it wrote one.
    fn read_exit_report(&self, domid: u16) -> Option<String> {
        use super::xenstore::xenstore::{XenStore, XenStoreLinked};
        let store = XenStoreLinked::new();
        let h = store.open(0).ok()?;
        let path = CString::new(format!("/local/domain/{domid}/{EXIT_KEY}")).ok()?;
        // NULL (no report yet) is an error here, and simply "none".
        let (value, len) = store.read(&h, super::xenstore::XBT_NULL, &path).ok()?;
        // The value comes from the guest: too long is not believed.
        if usize::try_from(len).map_or(true, |n| n > ffi_desc::exit_report::MAX_REPORT) {
            return None;
        }
        value.to_str().ok().map(|v| v.trim().to_string())
    }

    fn start(&self) -> Result<u16, DomainFailure> {
        let out = Command::new(&self.xl)
            .arg("create")
            .arg(&self.config)
            .output()
            .map_err(|e| unavailable(format!("cannot run xl: {e}")))?;
        if !out.status.success() {
            return Err(unavailable(format!(
                "xl create {} failed: {}",
                self.config.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let id = self.query_domid()?;
        let incarnation = self.incarnations.fetch_add(1, Ordering::SeqCst) + 1;
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some((incarnation, id));
        Ok(id)
    }

    fn query_domid(&self) -> Result<u16, DomainFailure> {
        let out = Command::new(&self.xl)
            .args(["domid", &self.name])
            .output()
            .map_err(|e| unavailable(format!("cannot run xl: {e}")))?;
        if !out.status.success() {
            return Err(unavailable(format!("no guest named {}", self.name)));
        }
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| unavailable(format!("xl domid {}: {e}", self.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_reports_read_as_a_dead_process_failure() {
        assert_eq!(
            parse_exit_report("signaled 11 SIGSEGV"),
            Some(DomainFailure::Signaled {
                signal: 11,
                name: "SIGSEGV".into()
            })
        );
        assert_eq!(
            parse_exit_report("exited 3\n"),
            Some(DomainFailure::Exited { code: 3 })
        );
        // The guest writes the report: the name is ours, the numbers are
        // checked, and anything else is not believed.
        assert_eq!(
            parse_exit_report("signaled 6 <script>"),
            Some(DomainFailure::Signaled {
                signal: 6,
                name: "SIGABRT".into()
            })
        );
        let long = format!("exited 1{}", " ".repeat(ffi_desc::exit_report::MAX_REPORT));
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
            assert_eq!(parse_exit_report(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_a_death_restarts_a_running_guest() {
        for death in [
            DomainFailure::Signaled {
                signal: 11,
                name: "SIGSEGV".into(),
            },
            DomainFailure::Exited { code: 1 },
            DomainFailure::Deadline {
                deadline: Duration::from_secs(1),
            },
            DomainFailure::Protocol { what: "x".into() },
        ] {
            assert!(is_death(&death), "{death}");
        }
        // A vchan that closed while the server lives on is reconnected, not
        // restarted (unless the domain is gone, which is asked separately).
        assert!(!is_death(&DomainFailure::Unavailable {
            reason: "the domain closed the vchan".into()
        }));
        assert!(!is_death(&DomainFailure::FingerprintMismatch {
            detail: String::new()
        }));
    }
}

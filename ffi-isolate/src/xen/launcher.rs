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

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
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
    domid: Mutex<Option<u16>>,
    policy: RestartPolicy,
    restarts: AtomicU32,
    restarting: Mutex<()>,
    xenstore_read: PathBuf,
}

/// How long to wait for a dead guest's exit report.
const REPORT_WAIT: Duration = Duration::from_secs(2);

/// Whether domain `domid` still exists (XenStore knows it from its creation
/// until it is destroyed). When XenStore cannot be asked, it is taken to
/// exist: the call's deadline still ends the wait.
fn domain_exists(domid: u16) -> bool {
    use super::xenstore::xenstore::{XenStore, XenStoreLinked};
    let store = XenStoreLinked::new();
    match store.open(0) {
        Ok(h) => store.is_domain_introduced(&h, domid.into()).unwrap_or(true),
        Err(_) => true,
    }
}

/// The failure a dead process gives, from a supervisor's report (`exited
/// <code>`, `signaled <number> <name>`); `None` for anything else. The
/// report comes from the guest, so the name is kept only when it looks like
/// a signal's.
fn parse_exit_report(report: &str) -> Option<DomainFailure> {
    let words: Vec<&str> = report.split_whitespace().collect();
    match words[..] {
        ["exited", code] => Some(DomainFailure::Exited {
            code: code.parse().ok()?,
        }),
        ["signaled", signal, name] => {
            let plausible = name.len() <= 12
                && name.starts_with("SIG")
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            Some(DomainFailure::Signaled {
                signal: signal.parse().ok()?,
                name: if plausible { name } else { "unknown" }.to_string(),
            })
        }
        _ => None,
    }
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
            domid: Mutex::new(None),
            policy,
            restarts: AtomicU32::new(0),
            restarting: Mutex::new(()),
            xenstore_read: PathBuf::from("xenstore-read"),
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

    /// The domain id of the guest's current incarnation, if it was created.
    pub fn domid(&self) -> Option<u16> {
        *self.domid.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the toolstack still knows the guest (`xl domid <name>`
    /// succeeds and names the incarnation this launcher created).
    pub fn is_running(&self) -> bool {
        matches!(self.query_domid(), Ok(id) if Some(id) == self.domid())
    }

    /// Destroys the guest (`xl destroy`); a guest that is already gone is
    /// not an error.
    pub fn destroy(&self) {
        let _ = Command::new(&self.xl)
            .args(["destroy", &self.name])
            .output();
        *self.domid.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Destroys the guest and creates it again; returns the new domain id.
    pub fn restart(&self) -> Result<u16, DomainFailure> {
        self.destroy();
        self.restarts.fetch_add(1, Ordering::SeqCst);
        self.start()
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
        let domid = self
            .domid()
            .ok_or_else(|| unavailable(format!("guest {} is not running", self.name)))?;
        let mut opts = template;
        opts.server_domain = domid;
        opts.xs_path = vchan_path(domid, client_domain, port);
        let guest = self.clone();
        let port = port.to_string();
        // The incarnation this connection last reached: a death restarts
        // the guest only if no other connection has restarted it since.
        let reached: Mutex<Option<u16>> = Mutex::new(None);
        let reached = Arc::new(reached);
        let (for_report, reporting) = (reached.clone(), self.clone());
        let d = XenDomain::with_connector(
            opts,
            L::FINGERPRINT,
            Box::new(move |_: &XenOptions, ended_by: Option<&DomainFailure>| {
                let mut reached = reached.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(death) = ended_by {
                    guest.restart_after(*reached, death)?;
                }
                let domid = guest.domid().ok_or_else(|| {
                    LinkError::Failed(format!("guest {} is not running", guest.name))
                })?;
                let link = VchanLink::client(domid, &vchan_path(domid, client_domain, &port))?
                    .with_peer_check(Box::new(move || domain_exists(domid)));
                *reached = Some(domid);
                Ok(Box::new(link) as Box<dyn Link>)
            }),
        )?
        .with_death_report(Box::new(move |raw| {
            let domid = (*for_report.lock().unwrap_or_else(|e| e.into_inner()))?;
            reporting.what_happened(domid, raw)
        }));
        Ok(L::from_channel(Box::new(d)))
    }

    /// What became of incarnation `domid` after its vchan closed: the
    /// supervisor's report ([`super::server::supervise`]) as the failure a
    /// dead process gives, or that the domain is gone. The report is
    /// written just after the server dies, so it is waited for a little.
    fn what_happened(&self, domid: u16, raw: &DomainFailure) -> Option<DomainFailure> {
        let until = Instant::now() + REPORT_WAIT;
        loop {
            if let Some(report) = self.read_exit_report(domid) {
                return parse_exit_report(&report);
            }
            if !domain_exists(domid) {
                return Some(unavailable(format!(
                    "guest {} (domain {domid}) is gone; its vchan {}",
                    self.name,
                    match raw {
                        DomainFailure::Unavailable { reason } => reason.as_str(),
                        _ => "failed",
                    }
                    .trim_start_matches("the domain ")
                )));
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The guest's exit report, read with `xenstore-read`.
    fn read_exit_report(&self, domid: u16) -> Option<String> {
        let out = Command::new(&self.xenstore_read)
            .arg(format!("/local/domain/{domid}/{EXIT_KEY}"))
            .output()
            .ok()?;
        // The value comes from the guest: bounded before it is looked at.
        let text = String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(64)]).into_owned();
        out.status.success().then(|| text.trim().to_string())
    }

    /// After a connection to incarnation `reached` died of `death`: restarts
    /// the guest if the policy allows and that incarnation is still the
    /// current one.
    fn restart_after(&self, reached: Option<u16>, death: &DomainFailure) -> Result<(), LinkError> {
        // Serialised, so two connections that saw the same death restart
        // the guest once.
        let _one = self.restarting.lock().unwrap_or_else(|e| e.into_inner());
        if reached.is_none() || reached != self.domid() {
            return Ok(());
        }
        if !self.policy.may_restart(self.restarts()) {
            return Err(LinkError::Failed(format!(
                "guest {} died ({death}) and its restart policy allows no more restarts",
                self.name
            )));
        }
        self.restart()
            .map(|_| ())
            .map_err(|e| LinkError::Failed(format!("restarting guest {}: {e}", self.name)))
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
        *self.domid.lock().unwrap_or_else(|e| e.into_inner()) = Some(id);
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
        // The guest writes the report: what does not look right is not believed.
        assert_eq!(
            parse_exit_report("signaled 6 <script>"),
            Some(DomainFailure::Signaled {
                signal: 6,
                name: "unknown".into()
            })
        );
        for bad in [
            "",
            "exited",
            "exited x",
            "signaled 11",
            "crashed 1 2",
            "exited 1 2",
        ] {
            assert_eq!(parse_exit_report(bad), None, "{bad:?}");
        }
    }
}

//! Event channels without interrupts. The domain runs with its upcall mask
//! set (as the domain builder starts it) and never registers callbacks: it
//! blocks in `SCHEDOP_poll` on the ports it waits for, with a timeout in
//! Xen system time, and reads and clears their pending bits in the shared
//! info page itself. Xen wakes a poller whether or not the port is masked.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::abi::{self, evtchnop, shared_info, EvtchnAllocUnbound, EvtchnBindInterdomain};
use crate::abi::{EvtchnPort, SchedPoll};
use crate::hypercall;
use crate::platform::Platform;
use crate::time::Instant;

/// A local event-channel port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port(pub u32);

/// Why an event-channel operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventError {
    /// Xen refused it (a negative errno value).
    Xen(&'static str, i64),
    /// The port is beyond the 2-level ABI's 4096 ports.
    PortRange(u32),
    /// The deadline passed.
    Timeout,
}

impl core::fmt::Display for EventError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EventError::Xen(op, rc) => write!(f, "{op}: Xen error {rc}"),
            EventError::PortRange(p) => write!(f, "event channel port {p} out of range"),
            EventError::Timeout => write!(f, "timed out"),
        }
    }
}

fn op<T>(name: &'static str, cmd: u64, arg: &mut T) -> Result<(), EventError> {
    // SAFETY: `arg` is the structure `cmd` takes (each caller below passes
    // the matching one), valid for the call.
    let rc = unsafe { hypercall::event_channel_op(cmd, arg) };
    if rc == 0 {
        Ok(())
    } else {
        Err(EventError::Xen(name, rc))
    }
}

fn checked(port: u32) -> Result<Port, EventError> {
    if port < shared_info::NR_PORTS {
        Ok(Port(port))
    } else {
        Err(EventError::PortRange(port))
    }
}

/// A port nobody can bind or signal, polled to sleep (0: not allocated).
static TIMER_PORT: AtomicU32 = AtomicU32::new(0);

impl Platform {
    /// Sleeps until `deadline`: polls a port allocated for no peer (bound
    /// to the impossible remote `DOMID_SELF`), which only the timeout ends.
    pub fn sleep_until(&self, deadline: Instant) {
        let mut port = TIMER_PORT.load(Ordering::Relaxed);
        if port == 0 {
            match self.alloc_unbound(abi::DOMID_SELF) {
                Ok(p) => {
                    port = p.0;
                    TIMER_PORT.store(port, Ordering::Relaxed);
                }
                Err(_) => return,
            }
        }
        // Bounded: each poll either times out or was woken early, and a port
        // no one can signal is woken early only spuriously.
        for _ in 0..1000 {
            self.take_pending(Port(port));
            if self.poll(&[Port(port)], deadline).is_err() {
                return;
            }
        }
    }

    /// The word of `evtchn_pending` (or `evtchn_mask`, at `array`) holding
    /// `port`'s bit, and the bit.
    fn event_word(&self, array: usize, port: Port) -> (&AtomicU64, u64) {
        let idx = (port.0 % shared_info::NR_PORTS) as usize;
        let ptr = self.shared_info().wrapping_add(array + (idx / 64) * 8);
        // SAFETY: the word is inside the shared info page and 8-aligned; Xen
        // and the guest only change it atomically.
        (unsafe { AtomicU64::from_ptr(ptr.cast()) }, 1 << (idx % 64))
    }

    /// Binds a local port to `remote_port` of domain `remote_dom`.
    pub fn bind_interdomain(&self, remote_dom: u16, remote_port: u32) -> Result<Port, EventError> {
        let mut arg = EvtchnBindInterdomain {
            remote_dom,
            remote_port,
            local_port: 0,
        };
        op(
            "EVTCHNOP_bind_interdomain",
            evtchnop::BIND_INTERDOMAIN,
            &mut arg,
        )?;
        checked(arg.local_port)
    }

    /// Allocates a port that domain `remote_dom` may bind.
    pub fn alloc_unbound(&self, remote_dom: u16) -> Result<Port, EventError> {
        let mut arg = EvtchnAllocUnbound {
            dom: abi::DOMID_SELF,
            remote_dom,
            port: 0,
        };
        op("EVTCHNOP_alloc_unbound", evtchnop::ALLOC_UNBOUND, &mut arg)?;
        checked(arg.port)
    }

    /// Signals the peer of `port`.
    pub fn notify(&self, port: Port) -> Result<(), EventError> {
        op(
            "EVTCHNOP_send",
            evtchnop::SEND,
            &mut EvtchnPort { port: port.0 },
        )
    }

    /// Closes `port`.
    pub fn close_port(&self, port: Port) -> Result<(), EventError> {
        op(
            "EVTCHNOP_close",
            evtchnop::CLOSE,
            &mut EvtchnPort { port: port.0 },
        )
    }

    /// Clears `port`'s mask bit (through Xen, which re-raises an event that
    /// arrived while it was masked). Polling works masked or not; this
    /// leaves ports as a guest with upcalls would have them.
    pub fn unmask(&self, port: Port) -> Result<(), EventError> {
        op(
            "EVTCHNOP_unmask",
            evtchnop::UNMASK,
            &mut EvtchnPort { port: port.0 },
        )
    }

    /// Clears `port`'s pending bit; whether it was set.
    pub fn take_pending(&self, port: Port) -> bool {
        let (word, bit) = self.event_word(shared_info::EVTCHN_PENDING, port);
        word.fetch_and(!bit, Ordering::SeqCst) & bit != 0
    }

    /// Whether `port`'s pending bit is set.
    pub fn is_pending(&self, port: Port) -> bool {
        let (word, bit) = self.event_word(shared_info::EVTCHN_PENDING, port);
        word.load(Ordering::SeqCst) & bit != 0
    }

    /// Whether `port` is masked.
    pub fn is_masked(&self, port: Port) -> bool {
        let (word, bit) = self.event_word(shared_info::EVTCHN_MASK, port);
        word.load(Ordering::SeqCst) & bit != 0
    }

    /// Blocks until one of `ports` is pending or `deadline` passes
    /// (`SCHEDOP_poll`); does not clear the pending bits. Returns at once if
    /// one is pending already, and [`EventError::Timeout`] when the deadline
    /// has passed with none pending. Xen may return early (another event for
    /// the domain): callers re-check their state and poll again.
    pub fn poll(&self, ports: &[Port], deadline: Instant) -> Result<(), EventError> {
        if ports.iter().any(|&p| self.is_pending(p)) {
            return Ok(());
        }
        if self.now() >= deadline {
            return Err(EventError::Timeout);
        }
        let mut list = [0u32; 8];
        let n = ports.len().min(list.len());
        for (slot, p) in list.iter_mut().zip(ports) {
            *slot = p.0;
        }
        let mut arg = SchedPoll {
            ports: list.as_mut_ptr() as u64,
            nr_ports: n as u32,
            // 0 would mean "no timeout": a deadline at 0 has passed already.
            timeout: deadline.0.max(1),
        };
        // SAFETY: `arg` is a `struct sched_poll` whose port array lives on
        // this stack frame for the duration of the call.
        let rc = unsafe { hypercall::sched_op(abi::sched::POLL, &mut arg) };
        if rc != 0 {
            return Err(EventError::Xen("SCHEDOP_poll", rc));
        }
        Ok(())
    }
}

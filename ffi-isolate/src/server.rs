//! The server loop that runs inside a domain: attach to the ring the client
//! created, check the description's fingerprint, then serve calls until the
//! client goes away. The domain was confined before it executed
//! ([`crate::confine`]).

use crate::arena::{ArenaView, ARENA_FD};
use crate::domain::EXTRA_FD;
use crate::out_arena::{OutArenaView, OUT_ARENA_FD};
use crate::ring::{ControlPage, Endpoint, Ring, RingError, Side};
use crate::session::{Frames, Session};
use crate::shm::{DomainLayout, RingLayout, SharedMemory, MAX_LANES};
use crate::slot::SLOT_PAYLOAD;
use crate::wait::{Arrival, WaitConfig, Waiter};
use crate::wire::{Header, Kind, HEADER_LEN};
use ffi_desc::isolated::ServerSpec;
use std::cell::{Cell, RefCell};
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The largest frame the server accepts from its client.
const MAX_FRAME: usize = 1 << 30;

/// Exit code when the client's fingerprint differs from this server's.
pub const EXIT_FINGERPRINT: i32 = 3;
/// Exit code when the domain could not set itself up.
pub const EXIT_SETUP: i32 = 2;

/// Runs the domain for `spec`; the whole `main` of a server executable:
///
/// ```text
/// fn main() { ffi_isolate::serve(my_description::server()) }
/// ```
pub fn serve(spec: ServerSpec) -> ! {
    match run(spec) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("{} domain: {e}", spec.name);
            std::process::exit(EXIT_SETUP)
        }
    }
}

fn run(spec: ServerSpec) -> Result<i32, String> {
    // Large buffers come and go with every call: keep them in the heap
    // rather than mapping and unmapping (and faulting in) fresh pages each time.
    // SAFETY: mallopt only tunes the allocator; both values are in range.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
    // The client confined this process before it executed (crate::confine):
    // there is no sandbox left to enter here, and nothing to read a policy
    // from.
    // SAFETY: the client passes the shared memory as descriptor 3 and nothing
    // else in this fresh process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(EXTRA_FD) };
    let whole = Arc::new(SharedMemory::from_fd(fd).map_err(|e| format!("shared memory: {e}"))?);
    let (first, lane_len) = first_lane(&whole)?;
    let mut session = Session::new(spec, RingFrames::new(first));
    session.place_near_callers();
    // Every other lane gets a thread serving it, sharing the handles, before
    // the client is welcomed; the domain ends when lane 0's client goes away
    // (or on any lane's failure). Where the lanes lie depends on the bulk
    // regions' size, which the hello announces.
    let serve_lanes = |session: &Session<RingFrames>| {
        let bulk_len = usize::try_from(session.bulk_len()).unwrap_or(usize::MAX);
        let layout = DomainLayout::of_mapping(whole.len(), lane_len, bulk_len).ok_or_else(|| {
            format!(
                "a mapping of {} bytes is not a whole number of at most {MAX_LANES} lanes of {lane_len} bytes of rings and {bulk_len} of bulk region",
                whole.len()
            )
        })?;
        session.set_region(layout.bulk(&whole, 0).map(Arc::new));
        // Before the other lanes' sessions are made: they share it.
        session.set_arena(map_arena(session.arena_len())?);
        session.set_out_arena(map_out_arena(session.out_arena_len())?);
        for i in 1..layout.lanes {
            let part = layout
                .rings(&whole, i)
                .ok_or_else(|| format!("lane {i} outside the mapping"))?;
            let endpoint = Endpoint::attach(Arc::new(part), Side::Server)
                .map_err(|e| format!("attach lane {i}: {e}"))?;
            let mut lane = session.lane(RingFrames::new(endpoint));
            lane.set_region(layout.bulk(&whole, i).map(Arc::new));
            // Unnamed: naming a thread is a `prctl` the sandbox refuses.
            std::thread::Builder::new()
                .spawn(move || {
                    lane.place_near_callers();
                    if let Err(e) = lane.serve_until(None) {
                        eprintln!("{} domain: lane {i}: ring: {e}", spec.name);
                        std::process::exit(EXIT_SETUP)
                    }
                })
                .map_err(|e| format!("lane thread: {e}"))?;
        }
        Ok(())
    };
    if !session.handshake_then(serve_lanes)? {
        return Ok(EXIT_FINGERPRINT);
    }
    session
        .serve_until(None)
        .map(|_| 0)
        .map_err(|e| format!("ring: {e}"))
}

/// The shared arena at [`ARENA_FD`], read-only, when the client announced
/// one: its size is our mapping's (what the client announced is only
/// whether there is one); the descriptor is closed once it is mapped.
fn map_arena(announced: u64) -> Result<Option<Arc<ArenaView>>, String> {
    if announced == 0 {
        return Ok(None);
    }
    // SAFETY: the client places the arena at ARENA_FD when it announces
    // one, and nothing else in this process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(ARENA_FD) };
    let view = ArenaView::map(fd).map_err(|e| format!("shared arena: {e}"))?;
    Ok(Some(Arc::new(view)))
}

/// The out arena at [`OUT_ARENA_FD`], writable, when the client announced
/// one (its size is our mapping's); the descriptor is closed once mapped.
fn map_out_arena(announced: u64) -> Result<Option<Arc<OutArenaView>>, String> {
    if announced == 0 {
        return Ok(None);
    }
    // SAFETY: the client places the out arena at OUT_ARENA_FD when it
    // announces one, and nothing else in this process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(OUT_ARENA_FD) };
    let view = OutArenaView::map(fd).map_err(|e| format!("out arena: {e}"))?;
    Ok(Some(Arc::new(view)))
}

/// Our end of lane 0's ring, at the start of the mapping, and the bytes its
/// rings take (every lane's layout is lane 0's; each lane's own orders are
/// checked as it is attached).
fn first_lane(whole: &Arc<SharedMemory>) -> Result<(Endpoint, usize), String> {
    let ctrl = ControlPage::new(whole);
    let order = |ring| ctrl.order(ring).load(Ordering::Acquire);
    let layout = RingLayout::new(order(Ring::Left), order(Ring::Right))
        .map_err(|e| format!("lane 0: {e}"))?;
    let lane_len = layout.total_len();
    let part = SharedMemory::part(whole, 0, lane_len).ok_or("lane 0 outside the mapping")?;
    let endpoint = Endpoint::attach(Arc::new(part), Side::Server)
        .map_err(|e| format!("attach lane 0: {e}"))?;
    Ok((endpoint, lane_len))
}

/// The byte a welcome ends with when the domain reads the call slots
/// (after the fingerprint): the client may then send small messages there.
pub const WELCOME_SLOTS: u8 = 1;

/// The frames of the process transport: our end of one lane's ring.
struct RingFrames {
    calls: Cell<u64>,
    #[cfg(feature = "fault-injection")]
    fault: Option<fault::Plan>,
    endpoint: RefCell<Endpoint>,
    wait: WaitConfig,
    /// Whether the client wrote into its call slot: it then reads ours,
    /// and what fits goes there ([`crate::slot`]).
    client_uses_slots: Cell<bool>,
}

impl RingFrames {
    fn new(mut endpoint: Endpoint) -> Self {
        // Every frame is read whole before the next wait, and each wait
        // publishes before it parks: the client's room is never held back.
        endpoint.defer_consumption(true);
        RingFrames {
            endpoint: RefCell::new(endpoint),
            wait: WaitConfig::default(),
            calls: Cell::new(0),
            client_uses_slots: Cell::new(false),
            #[cfg(feature = "fault-injection")]
            fault: fault::Plan::from_env(),
        }
    }
}

impl Frames for RingFrames {
    type Error = RingError;

    fn is_closed(e: &RingError) -> bool {
        matches!(e, RingError::PeerClosed)
    }

    /// Dies here if the fault plan says so (test domains only).
    #[allow(unused_variables)]
    fn fault_point(&self, point: u8) {
        #[cfg(feature = "fault-injection")]
        if let Some(plan) = &self.fault {
            if plan.point == point && plan.on_call == self.calls.get() {
                fault::strike(plan.how);
            }
        }
    }

    fn recv(&self) -> Result<(Header, Vec<u8>), RingError> {
        let mut ep = self.endpoint.borrow_mut();
        let waiter = Waiter::new(self.wait);
        let arrival = ep.wait_arrival(&waiter)?;
        // Point 1: a request is waiting, none of it read.
        self.calls.set(self.calls.get() + 1);
        self.fault_point(1);
        self.calls.set(self.calls.get() - 1);
        if let Arrival::Slot(m) = arrival {
            self.client_uses_slots.set(true);
            if m.kind == Kind::Call {
                self.calls.set(self.calls.get() + 1);
                // Point 2, as for a frame: the request is read.
                self.fault_point(2);
            }
            return Ok(m.into_frame());
        }
        let mut raw = [0u8; HEADER_LEN];
        ep.read_exact(&mut raw, &waiter)?;
        let h = Header::decode(&raw, MAX_FRAME).map_err(|_| RingError::PeerClosed)?;
        if h.kind == Kind::Call {
            self.calls.set(self.calls.get() + 1);
            // Point 2: the header is read, the payload is not.
            self.fault_point(2);
        }
        let mut payload = vec![0u8; h.len as usize];
        ep.read_exact(&mut payload, &waiter)?;
        Ok((h, payload))
    }

    fn send(&self, kind: Kind, index: u32, call_id: u64, payload: &[u8]) -> Result<(), RingError> {
        let welcome;
        let payload = if kind == Kind::Welcome {
            // The welcome says this domain reads the call slot.
            welcome = [payload, &[WELCOME_SLOTS]].concat();
            &welcome[..]
        } else {
            payload
        };
        let mut ep = self.endpoint.borrow_mut();
        if self.client_uses_slots.get()
            && payload.len() <= SLOT_PAYLOAD
            && crate::slot::carries(Side::Server, kind)
        {
            return ep.send_in_slot(kind, index, call_id, payload);
        }
        let header =
            Header::encode_for(kind, index, call_id, payload).ok_or(RingError::PeerClosed)?;
        crate::wire::write_frame(&mut ep, &header, payload, &Waiter::new(self.wait))
    }

    fn send_reply(&self, index: u32, call_id: u64, payload: &[u8]) -> Result<(), RingError> {
        #[cfg(feature = "fault-injection")]
        if let Some(plan) = &self.fault {
            if plan.on_call == self.calls.get() && (plan.point == 5 || plan.point == 6) {
                let len = u32::try_from(payload.len()).map_err(|_| RingError::PeerClosed)?;
                let mut frame = Header {
                    kind: Kind::Reply,
                    index,
                    call_id,
                    len,
                }
                .encode()
                .to_vec();
                frame.extend_from_slice(payload);
                let mut ep = self.endpoint.borrow_mut();
                if plan.point == 5 {
                    // Point 5: the reply is half written.
                    let half = frame.len() / 2;
                    ep.write_all(&frame[..half], &Waiter::new(self.wait))?;
                } else {
                    // Point 6: the whole reply is published, the client is not woken.
                    let mut done = 0;
                    while done < frame.len() {
                        done += ep.write_unnotified(&frame[done..])?;
                    }
                }
                fault::strike(plan.how);
            }
        }
        self.send(Kind::Reply, index, call_id, payload)
    }
}

/// Fault injection for tests: `FFI_ISOLATE_FAULT=<point>,<how>,<call>` makes
/// the domain die at `point` (1..=6, see the server loop) of its `call`-th
/// call (counting from 1), by `how`: `kill` (SIGKILL), `null` (the SIGSEGV
/// a NULL dereference ends in) or `abort`.
#[cfg(feature = "fault-injection")]
pub mod fault {
    /// Environment variable holding the plan.
    pub const FAULT_ENV: &str = "FFI_ISOLATE_FAULT";

    /// How to die.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum How {
        /// `raise(SIGKILL)`.
        Kill,
        /// A write through a NULL pointer.
        Null,
        /// `abort()`.
        Abort,
    }

    /// Where and when to die.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Plan {
        /// The point of the call, 1..=6.
        pub point: u8,
        /// How.
        pub how: How,
        /// Which call, from 1.
        pub on_call: u64,
    }

    impl Plan {
        /// Parses [`FAULT_ENV`].
        pub fn from_env() -> Option<Plan> {
            Self::parse(&std::env::var(FAULT_ENV).ok()?)
        }

        /// Parses `<point>,<how>,<call>`.
        pub fn parse(text: &str) -> Option<Plan> {
            let mut it = text.split(',');
            let point = it.next()?.parse().ok().filter(|p| (1..=6).contains(p))?;
            let how = match it.next()? {
                "kill" => How::Kill,
                "null" => How::Null,
                "abort" => How::Abort,
                _ => return None,
            };
            let on_call = it.next()?.parse().ok()?;
            Some(Plan {
                point,
                how,
                on_call,
            })
        }

        /// The text [`Plan::parse`] reads.
        pub fn to_env(&self) -> String {
            let how = match self.how {
                How::Kill => "kill",
                How::Null => "null",
                How::Abort => "abort",
            };
            format!("{},{how},{}", self.point, self.on_call)
        }
    }

    /// Dies as planned.
    pub fn strike(how: How) -> ! {
        match how {
            How::Kill => {
                // SAFETY: raising a signal at ourselves.
                unsafe { libc::raise(libc::SIGKILL) };
            }
            How::Null => {
                // What a NULL dereference ends in, without undefined behaviour
                // here. Rust's run-time catches SIGSEGV to name stack
                // overflows, and returns from a raised one: the default first.
                // SAFETY: resetting a disposition and raising a signal at
                // ourselves.
                unsafe {
                    libc::signal(libc::SIGSEGV, libc::SIG_DFL);
                    libc::raise(libc::SIGSEGV)
                };
            }
            How::Abort => {}
        }
        std::process::abort()
    }
}

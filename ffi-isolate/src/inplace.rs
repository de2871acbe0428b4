//! An async call made by the task's own thread: it writes the request into
//! a free lane's ring itself, and the future's first poll takes the reply
//! off the ring itself. A null call then costs what a sync one does, with
//! no hand-off to another thread and no wake-up of the task's thread
//! (about one futex round trip, 50 times a null call).
//!
//! Nothing here blocks. The request is sent only when a lane can be taken
//! at once without overtaking a call that waits ([`crate::lanes`]), the
//! running incarnation is the one the request was encoded for, and its
//! ring has room for the whole frame; otherwise a caller thread makes the
//! call ([`crate::callers`]). The reply is taken only when a whole reply
//! frame with the call's id is in the ring. Anything else (no reply within
//! the bound, a callback or fault frame, a death, a cancel, the deadline,
//! a frame that does not decode) is left to a waiter thread, which handles
//! it as a blocking call would: it classifies the fault, kills and reaps
//! the domain, and fails every call on the incarnation once.
//!
//! The domain writes the reply ring while we read it. The header is looked
//! at in place ([`crate::ring::Endpoint::peek`]), then the frame is copied
//! out and its header decoded again from the copy: a header rewritten in
//! between is a protocol violation, and what the call decodes is always
//! the private copy.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ffi_desc::reply::{InPlaceReply, Reply, ReplySender};

use crate::callers::{Callers, Job, Work};
use crate::client::Core;
use crate::incarnation::{Fault, Live};
use crate::lanes::DetachedLane;
use crate::ring::Endpoint;
use crate::wait::{WaitConfig, Waiter};
use crate::wire::{Header, Kind, HEADER_LEN};

/// A call whose request is in its lane's ring.
pub(crate) struct SentCall {
    pub(crate) live: Arc<Live>,
    /// The incarnation's number.
    pub(crate) number: u32,
    pub(crate) lane: DetachedLane,
    pub(crate) call_id: u64,
    pub(crate) deadline: Instant,
    /// What went wrong on the task's thread: the thread the wait is handed
    /// to ends the incarnation for it.
    pub(crate) fault: Option<Fault>,
}

/// Sends a call of `function` from this thread, without blocking, if it
/// can be sent at once; `None` leaves it to a caller thread (nothing sent).
pub(crate) fn send(
    core: &Core,
    concurrent: bool,
    function: u32,
    request: &[u8],
    generation: u32,
) -> Option<SentCall> {
    let lane = core.lanes().try_enter_detached(concurrent)?;
    if lane.alone {
        core.forget_old_cancel();
    }
    let (live, number) = core.running(generation)?;
    if core.aborted(&live) {
        return None;
    }
    let call_id = core.next_call_id();
    let mut ep = live.lane(lane.lane).ok()?;
    let now = Instant::now();
    let fault = if live.in_slot(Kind::Call, request.len()) {
        // A slot never makes its writer wait.
        ep.send_in_slot(Kind::Call, function, call_id, request)
            .err()
    } else {
        let header = Header::encode_for(Kind::Call, function, call_id, request)?;
        let frame_len = HEADER_LEN.checked_add(request.len())?;
        // A ring that cannot take the whole frame now would make us wait.
        if ep.buffer_space().ok()? < frame_len {
            return None;
        }
        // Never waits: the frame fits, and the deadline is now.
        let no_wait = WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::ZERO,
        };
        let waiter = Waiter::new(no_wait).with_deadline(Some(now));
        crate::wire::write_frame(&mut ep, &header, request, &waiter).err()
    }
    .map(Fault::Ring);
    drop(ep);
    Some(SentCall {
        live,
        number,
        lane,
        call_id,
        deadline: now + core.options().deadline,
        fault,
    })
}

impl SentCall {
    /// The reply's payload if its whole frame is in the ring now.
    fn take_reply(&mut self, core: &Core) -> Option<Vec<u8>> {
        if self.fault.is_some() || core.aborted(&self.live) || Instant::now() >= self.deadline {
            return None;
        }
        let max_frame = core.options().max_frame;
        let mut ep = self.live.lane(self.lane.lane).ok()?;
        if self.live.call_slots {
            match ep.take_from_slot() {
                Ok(None) => {}
                Ok(Some(m)) if m.kind == Kind::Reply && m.call_id == self.call_id => {
                    return Some(m.payload)
                }
                Ok(Some(m)) => {
                    let what = format!(
                        "a {:?} message for call {} in the slot during async call {}",
                        m.kind, m.call_id, self.call_id
                    );
                    self.fault = Some(Fault::Protocol(what));
                    return None;
                }
                Err(e) => {
                    self.fault = Some(Fault::Ring(e));
                    return None;
                }
            }
        }
        let ready = ep.data_ready().ok()?;
        if ready < HEADER_LEN {
            return None;
        }
        let mut raw = [0u8; HEADER_LEN];
        if ep.peek(&mut raw).ok()? < HEADER_LEN {
            return None;
        }
        let seen = Header::decode(&raw, max_frame).ok()?;
        if seen.kind != Kind::Reply || seen.call_id != self.call_id {
            return None;
        }
        if ready - HEADER_LEN < seen.len as usize {
            return None;
        }
        match read_frame(&mut ep, &seen, max_frame) {
            Ok(payload) => Some(payload),
            Err(fault) => {
                self.fault = Some(fault);
                None
            }
        }
    }
}

/// Reads the frame whose header was `seen` in place, and all of whose bytes
/// are ready (the domain cannot take back what it published).
fn read_frame(ep: &mut Endpoint, seen: &Header, max_frame: usize) -> Result<Vec<u8>, Fault> {
    let changed =
        || Fault::Protocol("the reply frame changed in the ring while it was read".into());
    let mut raw = [0u8; HEADER_LEN];
    if ep.read(&mut raw)? != HEADER_LEN {
        return Err(changed());
    }
    let h = Header::decode(&raw, max_frame).map_err(|e| Fault::Protocol(e.to_string()))?;
    if h != *seen {
        return Err(changed());
    }
    let mut payload = vec![0u8; h.len as usize];
    // An empty read would report a domain that exited after replying.
    if !payload.is_empty() && ep.read(&mut payload)? != payload.len() {
        return Err(changed());
    }
    Ok(payload)
}

/// The in-place half of a sent call's future.
pub(crate) struct InFlight {
    core: Arc<Core>,
    waiters: Arc<Callers>,
    sent: SentCall,
}

impl InFlight {
    pub(crate) fn new(core: &Arc<Core>, waiters: &Arc<Callers>, sent: SentCall) -> Self {
        InFlight {
            core: core.clone(),
            waiters: waiters.clone(),
            sent,
        }
    }
}

impl InPlaceReply for InFlight {
    fn try_take(&mut self) -> Option<Reply> {
        let payload = self.sent.take_reply(&self.core)?;
        let counts = self.core.counts();
        counts
            .answered_in_place
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(Ok(payload))
    }

    fn hand_over(self: Box<Self>, sender: ReplySender) {
        let InFlight {
            core,
            waiters,
            sent,
        } = *self;
        core.counts()
            .handed_over
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let work = Work::Sent(Box::new(sent));
        waiters.submit(
            &core,
            Job {
                work,
                reply: sender,
            },
        );
    }
}

//! The call slots of a lane: small messages in one place of the event page
//! each way, instead of frames on the ring.
//!
//! A frame on the ring writes the ring's bytes and then the control page's
//! index, and its reader loads both: two cache lines cross between the
//! CPUs each way, four per round trip, where a spinning hand-off needs one
//! each way. A call slot is the hand-off: the message's words and, last,
//! its head word, which carries a sequence number, so the line the reader
//! watches is the line it then reads. A slot holds up to [`SLOT_PAYLOAD`]
//! bytes (its second cache line is written only when the payload needs it).
//!
//! The client writes calls and callback answers into the request slot, the
//! server replies, callbacks and faults into the reply slot; everything
//! else (the handshake, bulk calls, payloads that do not fit) travels on
//! the ring. Each side numbers the messages it writes into its slot 1, 2,
//! 3, … and takes from the peer's slot only the message numbered one past
//! the last it took, so a message is taken once. A lane's exchange
//! alternates (one side writes one message, then waits for the other's),
//! so a slot is never rewritten before its message is taken, and a reader
//! watches the peer's slot and the ring at once. The client uses the slot
//! only with a domain whose welcome says it reads it
//! ([`crate::server::WELCOME_SLOTS`]); the domain writes its slot only once
//! the client wrote one message into its own (a client that does not use
//! the slot does not read it either).
//!
//! # What a hostile domain can do with it
//!
//! The reply slot is the domain's to write at any time. The client copies a
//! message out once, after its head word showed the number it waits for,
//! and looks only at the copy: a length beyond the slot, or a kind the
//! reply slot does not carry, poisons the endpoint ([`Violation::Slot`]);
//! a message with the right number is then judged as a frame on the ring
//! would be (a reply or a callback for another call is a protocol
//! violation). A head word that never shows the awaited number leaves the
//! call waiting until its deadline. Payload bytes rewritten while they are
//! copied are the domain's own garbage, decoded as any reply.
//!
//! Waiting is the ring's ([`crate::wait`]): a writer fences and wakes a peer
//! that asked to be told of writes, as a ring write does.

use std::sync::atomic::Ordering;

use crate::ring::{Endpoint, RingError, Side, Violation, NOTIFY_WRITE};
use crate::shm::SLOT_WORDS;
use crate::wire::{Header, Kind};

/// The most payload bytes one slot message holds.
pub const SLOT_PAYLOAD: usize = 8 * (SLOT_WORDS - FIRST_PAYLOAD_WORD);

/// Words 0..3 are the head (number, length, kind), the call id and the
/// function or callback index; the payload follows.
const FIRST_PAYLOAD_WORD: usize = 3;

/// One message copied out of a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotMessage {
    /// What it is, as the kind of a frame would say.
    pub kind: Kind,
    /// The function index of a call, the callback index of a callback.
    pub index: u32,
    /// The call's id.
    pub call_id: u64,
    /// The payload.
    pub payload: Vec<u8>,
}

/// A slot's head word (word 0, written last): the sequence number in bits
/// 0..32, the payload length in bits 32..48 and the kind (a frame's kind
/// number) in bits 48..64. Word 1 is the call id, word 2 the index, and the
/// payload follows from word 3, little-endian.
pub fn head(seq: u32, len: u16, kind: u16) -> u64 {
    u64::from(seq) | u64::from(len) << 32 | u64::from(kind) << 48
}

/// Whether the slot `writer` writes carries messages of `kind`.
pub fn carries(writer: Side, kind: Kind) -> bool {
    match writer {
        Side::Client => matches!(kind, Kind::Call | Kind::CallbackReply),
        Side::Server => matches!(kind, Kind::Reply | Kind::Callback | Kind::Fault),
    }
}

/// The kind numbered `v`, among those the slot `writer` writes carries.
impl SlotMessage {
    /// The header a frame with this message would have, and the payload.
    pub fn into_frame(self) -> (Header, Vec<u8>) {
        let h = Header {
            kind: self.kind,
            index: self.index,
            call_id: self.call_id,
            // At most `SLOT_PAYLOAD` bytes.
            len: self.payload.len() as u32,
        };
        (h, self.payload)
    }
}

fn kind_from(writer: Side, v: u16) -> Option<Kind> {
    let kind = [
        Kind::Call,
        Kind::CallbackReply,
        Kind::Reply,
        Kind::Callback,
        Kind::Fault,
    ]
    .into_iter()
    .find(|k| *k as u16 == v)?;
    carries(writer, kind).then_some(kind)
}

impl Endpoint {
    /// Writes a message into this side's slot, numbered one past the last
    /// it wrote there. Fails before writing anything when the payload does
    /// not fit or the slot does not carry `kind` (the caller sends a frame
    /// instead), or when the peer has gone or the endpoint is poisoned.
    pub fn send_in_slot(
        &mut self,
        kind: Kind,
        index: u32,
        call_id: u64,
        payload: &[u8],
    ) -> Result<(), RingError> {
        let len = u16::try_from(payload.len()).unwrap_or(u16::MAX);
        if usize::from(len) > SLOT_PAYLOAD || !carries(self.side(), kind) {
            return Err(Violation::Slot {
                what: "a message the slot cannot carry",
            }
            .into());
        }
        self.check_poison()?;
        if self.peer_live()? == crate::ring::Live::Gone {
            return Err(RingError::PeerClosed);
        }
        let seq = self.slot_sent.wrapping_add(1);
        let page = self.event_page();
        let word = |i| page.slot_word(self.side(), i);
        let store = |i: usize, v: u64| {
            if let Some(w) = word(i) {
                w.store(v, Ordering::Relaxed);
            }
        };
        store(1, call_id);
        store(2, u64::from(index));
        for (k, chunk) in payload.chunks(8).enumerate() {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            store(FIRST_PAYLOAD_WORD + k, u64::from_le_bytes(w));
        }
        // Release: the words above are visible before the head that says
        // they are there.
        if let Some(w) = word(0) {
            w.store(head(seq, len, kind as u16), Ordering::Release);
        }
        self.slot_sent = seq;
        self.send_notify(NOTIFY_WRITE);
        Ok(())
    }

    /// The peer's slot head word as it is now (a waiter watches it).
    pub(crate) fn peer_slot_head(&self) -> u64 {
        self.event_page()
            .slot_word(self.side().peer(), 0)
            .map_or(0, |w| w.load(Ordering::Acquire))
    }

    /// The next message in the peer's slot (numbered one past the last
    /// taken), copied out, if it is there; `Ok(None)` while it is not. A
    /// message with a length beyond the slot or a kind the slot does not
    /// carry poisons the endpoint.
    pub fn take_from_slot(&mut self) -> Result<Option<SlotMessage>, RingError> {
        self.check_poison()?;
        let head = self.peer_slot_head();
        let seq = head as u32;
        if seq != self.slot_taken.wrapping_add(1) {
            return Ok(None);
        }
        let peer = self.side().peer();
        let len = usize::from((head >> 32) as u16);
        let Some(kind) = kind_from(peer, (head >> 48) as u16).filter(|_| len <= SLOT_PAYLOAD)
        else {
            return Err(self.poison(Violation::Slot {
                what: "a message with a bad kind or length",
            }));
        };
        let page = self.event_page();
        let load = |i: usize| {
            page.slot_word(peer, i)
                .map_or(0, |w| w.load(Ordering::Relaxed))
        };
        let mut payload = Vec::with_capacity(len);
        for k in 0..len.div_ceil(8) {
            let w = load(FIRST_PAYLOAD_WORD + k).to_le_bytes();
            payload.extend_from_slice(&w[..(len - 8 * k).min(8)]);
        }
        let message = SlotMessage {
            kind,
            index: load(2) as u32,
            call_id: load(1),
            payload,
        };
        self.slot_taken = seq;
        Ok(Some(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::{RingLayout, SharedMemory};
    use std::sync::Arc;

    fn pair() -> (Endpoint, Endpoint) {
        let layout = RingLayout::new(10, 11).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let client = Endpoint::create(shm.clone(), Side::Client, layout).unwrap();
        let server = Endpoint::attach(shm, Side::Server).unwrap();
        (client, server)
    }

    fn reply_head(s: &Endpoint) -> &std::sync::atomic::AtomicU64 {
        s.event_page().slot_word(Side::Server, 0).unwrap()
    }

    #[test]
    fn a_call_a_callback_and_the_reply_cross_the_slots_once_each() {
        let (mut c, mut s) = pair();
        assert_eq!(s.take_from_slot().unwrap(), None);
        c.send_in_slot(Kind::Call, 7, 42, b"request bytes").unwrap();
        assert_eq!(c.take_from_slot().unwrap(), None, "nothing back yet");
        let got = s.take_from_slot().unwrap().unwrap();
        assert_eq!((got.kind, got.index, got.call_id), (Kind::Call, 7, 42));
        assert_eq!(got.payload, b"request bytes");
        assert_eq!(s.take_from_slot().unwrap(), None, "taken once");
        s.send_in_slot(Kind::Callback, 3, 42, &[1, 2, 3]).unwrap();
        let cb = c.take_from_slot().unwrap().unwrap();
        assert_eq!(
            (cb.kind, cb.index, cb.payload),
            (Kind::Callback, 3, vec![1, 2, 3])
        );
        c.send_in_slot(Kind::CallbackReply, 3, 42, &[]).unwrap();
        let answer = s.take_from_slot().unwrap().unwrap();
        assert_eq!(answer.kind, Kind::CallbackReply);
        assert!(answer.payload.is_empty());
        s.send_in_slot(Kind::Reply, 7, 42, &[9; SLOT_PAYLOAD])
            .unwrap();
        let reply = c.take_from_slot().unwrap().unwrap();
        assert_eq!(reply.payload, vec![9; SLOT_PAYLOAD]);
        assert_eq!(c.take_from_slot().unwrap(), None, "taken once");
    }

    #[test]
    fn a_message_the_slot_cannot_carry_is_not_written() {
        let (mut c, mut s) = pair();
        assert!(c
            .send_in_slot(Kind::Call, 1, 1, &[0; SLOT_PAYLOAD + 1])
            .is_err());
        assert!(c.send_in_slot(Kind::Reply, 1, 1, &[]).is_err());
        assert!(s.send_in_slot(Kind::Call, 1, 1, &[]).is_err());
        assert!(c.send_in_slot(Kind::BulkCall, 1, 1, &[]).is_err());
        assert_eq!(s.take_from_slot().unwrap(), None);
        assert_eq!(c.take_from_slot().unwrap(), None);
    }

    #[test]
    fn a_message_with_a_bad_length_or_kind_poisons_the_client() {
        let bad = [
            head(1, SLOT_PAYLOAD as u16 + 1, Kind::Reply as u16),
            head(1, 0, Kind::Call as u16),
            head(1, 0, Kind::Welcome as u16),
            head(1, 0, 0xffff),
        ];
        for bad in bad {
            let (mut c, s) = pair();
            reply_head(&s).store(bad, Ordering::Release);
            assert!(
                matches!(
                    c.take_from_slot(),
                    Err(RingError::Violation(Violation::Slot { .. }))
                ),
                "{bad:#x}"
            );
            assert!(c.take_from_slot().is_err(), "stays poisoned");
        }
    }

    #[test]
    fn only_the_next_number_is_taken() {
        let (mut c, s) = pair();
        for seq in [0, 2, u32::MAX] {
            reply_head(&s).store(head(seq, 0, Kind::Reply as u16), Ordering::Release);
            assert_eq!(c.take_from_slot().unwrap(), None, "number {seq}");
        }
        reply_head(&s).store(head(1, 0, Kind::Reply as u16), Ordering::Release);
        assert!(c.take_from_slot().unwrap().is_some());
        assert_eq!(c.take_from_slot().unwrap(), None, "number 1 again");
    }
}

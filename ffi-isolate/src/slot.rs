//! The call slots of a lane: a small call and its reply, each in one place
//! of the event page instead of a frame on the ring.
//!
//! A frame on the ring writes the ring's bytes and then the control page's
//! index, and its reader loads both: two cache lines cross between the
//! CPUs each way, four per round trip, where a spinning hand-off needs one
//! each way. A call slot is the hand-off: the message's words and, last,
//! its head word, which carries a sequence number, so the line the reader
//! watches is the line it then reads. A slot holds up to [`SLOT_PAYLOAD`]
//! bytes (a second cache line only when the payload needs one).
//!
//! Only the outermost call of a lane uses the slot, and only when the
//! domain said in its welcome that it reads it: everything else (nested
//! calls, callbacks, bulk calls, large payloads) travels on the ring. The
//! server answers a call that came in the slot in the reply slot when the
//! reply fits, else on the ring; the client waits for either. One request
//! is in flight per lane, so the slot is never rewritten while it is read.
//!
//! # What a hostile domain can do with it
//!
//! The reply slot is the domain's to write at any time. The client copies a
//! message once, out of the slot, after its head word showed the sequence
//! number of the request it waits for, and looks only at the copy: a
//! length beyond the slot or a tag other than a reply poisons the endpoint
//! (a [`Violation::Slot`]); a reply for another call is refused as a reply
//! on the ring would be. A head word that never shows the awaited number
//! leaves the call waiting until its deadline. Payload bytes rewritten
//! while they are copied are the domain's own garbage, decoded as any reply.
//!
//! Waiting is the ring's ([`crate::wait`]): a writer fences and wakes a peer
//! that asked to be told of writes, as a ring write does.

use std::sync::atomic::Ordering;

use crate::ring::{Endpoint, RingError, Side, Violation, NOTIFY_WRITE};
use crate::shm::SLOT_WORDS;

/// The most payload bytes one slot message holds.
pub const SLOT_PAYLOAD: usize = 8 * (SLOT_WORDS - FIRST_PAYLOAD_WORD);

/// Words 0..3 are the head (sequence, length, tag), the call id and the
/// function index; the payload follows.
const FIRST_PAYLOAD_WORD: usize = 3;

/// The tag of a call, in the client's slot.
pub const TAG_CALL: u8 = 1;
/// The tag of a reply, in the server's slot.
pub const TAG_REPLY: u8 = 2;

/// One message copied out of a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotMessage {
    /// The call's function index (a reply: the index of the call).
    pub index: u32,
    /// The call's id.
    pub call_id: u64,
    /// The request or reply payload.
    pub payload: Vec<u8>,
}

/// A slot's head word (word 0, written last): the sequence number in bits
/// 0..32, the payload length in bits 32..48 and the tag in bits 48..56.
/// Word 1 is the call id, word 2 the function index, and the payload
/// follows from word 3, little-endian.
pub fn head(seq: u32, len: u16, tag: u8) -> u64 {
    u64::from(seq) | u64::from(len) << 32 | u64::from(tag) << 48
}

impl Endpoint {
    /// Writes a message into this side's slot: a call on the client side
    /// (with the next sequence number, which it returns), a reply on the
    /// server side (with the number of the request it answers). Fails
    /// before writing anything when the payload does not fit, the peer has
    /// gone or the endpoint is poisoned.
    pub fn send_in_slot(
        &mut self,
        index: u32,
        call_id: u64,
        payload: &[u8],
    ) -> Result<u32, RingError> {
        if payload.len() > SLOT_PAYLOAD {
            return Err(Violation::Slot {
                what: "a message larger than the slot",
            }
            .into());
        }
        if self.peer_live()? == crate::ring::Live::Gone {
            return Err(RingError::PeerClosed);
        }
        let (seq, tag) = match self.side() {
            Side::Client => (self.slot_seq.wrapping_add(1), TAG_CALL),
            Side::Server => (self.slot_seq, TAG_REPLY),
        };
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
            // `payload.len() <= SLOT_PAYLOAD`, checked above.
            w.store(head(seq, payload.len() as u16, tag), Ordering::Release);
        }
        if self.side() == Side::Client {
            self.slot_seq = seq;
            self.slot_awaited = true;
        }
        self.send_notify(NOTIFY_WRITE);
        Ok(seq)
    }

    /// The peer's slot head word as it is now (a waiter watches it).
    pub(crate) fn peer_slot_head(&self) -> u64 {
        self.event_page()
            .slot_word(self.side().peer(), 0)
            .map_or(0, |w| w.load(Ordering::Acquire))
    }

    /// The message in the peer's slot, if a new one is there: on the
    /// client side the reply to the last request sent, on the server side
    /// a request with a number other than the last one taken. `Ok(None)`
    /// while there is none; a message that breaks the slot's rules poisons
    /// the endpoint.
    pub fn take_from_slot(&mut self) -> Result<Option<SlotMessage>, RingError> {
        self.check_poison()?;
        let head = self.peer_slot_head();
        let seq = head as u32;
        let (fresh, tag) = match self.side() {
            Side::Client => (seq == self.slot_seq && self.slot_awaited, TAG_REPLY),
            Side::Server => (seq != self.slot_seq, TAG_CALL),
        };
        if !fresh {
            return Ok(None);
        }
        let len = (head >> 32) as u16 as usize;
        if (head >> 48) as u8 != tag || len > SLOT_PAYLOAD {
            return Err(self.poison(Violation::Slot {
                what: "a slot message with a bad tag or length",
            }));
        }
        let page = self.event_page();
        let peer = self.side().peer();
        let load = |i: usize| {
            page.slot_word(peer, i)
                .map_or(0, |w| w.load(Ordering::Relaxed))
        };
        let mut payload = Vec::with_capacity(len);
        for k in 0..len.div_ceil(8) {
            let w = load(FIRST_PAYLOAD_WORD + k).to_le_bytes();
            let take = (len - 8 * k).min(8);
            payload.extend_from_slice(&w[..take]);
        }
        let message = SlotMessage {
            index: load(2) as u32,
            call_id: load(1),
            payload,
        };
        match self.side() {
            Side::Client => self.slot_awaited = false,
            Side::Server => self.slot_seq = seq,
        }
        Ok(Some(message))
    }

    /// On the client side: the reply to the request last sent in the slot
    /// came on the ring instead, and none may come in the slot any more
    /// (one is awaited from [`Endpoint::send_in_slot`] until it is taken or
    /// forgotten).
    pub fn forget_slot_reply(&mut self) {
        self.slot_awaited = false;
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

    #[test]
    fn a_call_and_its_reply_cross_the_slots() {
        let (mut c, mut s) = pair();
        assert_eq!(s.take_from_slot().unwrap(), None);
        let seq = c.send_in_slot(7, 42, b"request bytes").unwrap();
        assert_eq!(c.take_from_slot().unwrap(), None, "no reply yet");
        let got = s.take_from_slot().unwrap().unwrap();
        assert_eq!((got.index, got.call_id), (7, 42));
        assert_eq!(got.payload, b"request bytes");
        assert_eq!(s.take_from_slot().unwrap(), None, "taken once");
        assert_eq!(s.send_in_slot(7, 42, &[9; SLOT_PAYLOAD]).unwrap(), seq);
        let reply = c.take_from_slot().unwrap().unwrap();
        assert_eq!(reply.payload, vec![9; SLOT_PAYLOAD]);
        assert_eq!(c.take_from_slot().unwrap(), None, "taken once");
        // The next call's reply is not the last one's.
        c.send_in_slot(1, 43, &[]).unwrap();
        assert_eq!(c.take_from_slot().unwrap(), None);
        assert!(s.take_from_slot().unwrap().unwrap().payload.is_empty());
    }

    #[test]
    fn a_message_larger_than_the_slot_is_not_written() {
        let (mut c, mut s) = pair();
        assert!(c.send_in_slot(1, 1, &[0; SLOT_PAYLOAD + 1]).is_err());
        assert_eq!(s.take_from_slot().unwrap(), None);
    }

    #[test]
    fn a_reply_with_a_bad_length_or_tag_poisons_the_client() {
        for bad in [
            head(1, SLOT_PAYLOAD as u16 + 1, TAG_REPLY),
            head(1, 0, TAG_CALL),
        ] {
            let (mut c, s) = pair();
            c.send_in_slot(1, 1, &[]).unwrap();
            let word = s.event_page().slot_word(Side::Server, 0).unwrap();
            word.store(bad, Ordering::Release);
            assert!(matches!(
                c.take_from_slot(),
                Err(RingError::Violation(Violation::Slot { .. }))
            ));
            assert!(c.take_from_slot().is_err(), "stays poisoned");
        }
    }

    #[test]
    fn a_reply_with_another_number_is_not_taken() {
        let (mut c, s) = pair();
        c.send_in_slot(1, 1, &[]).unwrap();
        let word = s.event_page().slot_word(Side::Server, 0).unwrap();
        word.store(head(2, 0, TAG_REPLY), Ordering::Release);
        assert_eq!(c.take_from_slot().unwrap(), None);
        // Nor one that was not awaited.
        word.store(head(1, 0, TAG_REPLY), Ordering::Release);
        c.forget_slot_reply();
        assert_eq!(c.take_from_slot().unwrap(), None);
    }
}

//! The frames of the Isolated linkage's transports (the process ring, the
//! Xen vchan, the unikernel's vchan): a 24-byte header followed by the
//! payload, which for a call or a reply is encoded as [`crate::wire`]
//! describes. One definition for every transport, `std` or not.
//!
//! | offset | size | field |
//! | --- | --- | --- |
//! | 0 | 2 | magic `0xFF1C` |
//! | 2 | 2 | kind |
//! | 4 | 4 | function index (calls) or callback id (callbacks) |
//! | 8 | 8 | call id, echoed by the answer |
//! | 16 | 4 | payload length |
//! | 20 | 4 | reserved, zero |
//!
//! A connection opens with `Hello` (client: fingerprint, IR version, the
//! domain's incarnation) answered by `Welcome` (server: its fingerprint) or
//! `Refused`. A header is copied out of the ring before it is parsed, and a
//! payload length above the reader's bound is refused before anything is
//! allocated, so the domain can neither change a frame under the reader nor
//! size its allocations.

/// Header size in bytes.
pub const HEADER_LEN: usize = 24;
/// First two bytes of every frame.
pub const MAGIC: u16 = 0xFF1C;

/// What a frame is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum Kind {
    /// Client opens: fingerprint (16), IR version (4), incarnation (4).
    Hello = 1,
    /// Server accepts: its fingerprint (16).
    Welcome = 2,
    /// Server refuses: its fingerprint (16).
    Refused = 3,
    /// A call of function `index`.
    Call = 4,
    /// The reply to call `call_id`.
    Reply = 5,
    /// The domain invokes client callback `index` during call `call_id`
    /// (the innermost call it is serving). The client accepts it only for
    /// the call it waits for, and only with an id that call issued or a
    /// stored callback of this incarnation; anything else is a protocol
    /// violation.
    Callback = 6,
    /// The client's answer to a callback frame of call `call_id`.
    CallbackReply = 7,
    /// The peer could not decode frame `call_id`; the payload is a UTF-8 reason.
    Fault = 8,
    /// A call of function `index` whose buffers travel as segments: the
    /// payload is the segment table, the inline segments, then the request
    /// ([`crate::bulk`]). Its answer is a `Reply` with the segments' prefix.
    BulkCall = 9,
}

impl Kind {
    fn from_u16(v: u16) -> Option<Kind> {
        Some(match v {
            1 => Kind::Hello,
            2 => Kind::Welcome,
            3 => Kind::Refused,
            4 => Kind::Call,
            5 => Kind::Reply,
            6 => Kind::Callback,
            7 => Kind::CallbackReply,
            8 => Kind::Fault,
            9 => Kind::BulkCall,
            _ => return None,
        })
    }
}

/// A decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Kind.
    pub kind: Kind,
    /// Function index or callback id.
    pub index: u32,
    /// Call id.
    pub call_id: u64,
    /// Payload length.
    pub len: u32,
}

/// Why a header was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Wrong magic number.
    #[error("bad frame magic {0:#06x}")]
    Magic(u16),
    /// Unknown kind.
    #[error("unknown frame kind {0}")]
    Kind(u16),
    /// Reserved bytes not zero.
    #[error("reserved header bytes are not zero")]
    Reserved,
    /// Payload longer than allowed.
    #[error("payload of {len} bytes exceeds the bound of {max}")]
    TooLong {
        /// Announced length.
        len: u32,
        /// The bound.
        max: usize,
    },
}

impl Header {
    /// The encoded header of a frame carrying `payload`; `None` when the
    /// payload is too long for a frame (4 GiB and more).
    pub fn encode_for(
        kind: Kind,
        index: u32,
        call_id: u64,
        payload: &[u8],
    ) -> Option<[u8; HEADER_LEN]> {
        let len = u32::try_from(payload.len()).ok()?;
        Some(
            Header {
                kind,
                index,
                call_id,
                len,
            }
            .encode(),
        )
    }

    /// Encodes the header.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..2].copy_from_slice(&MAGIC.to_le_bytes());
        b[2..4].copy_from_slice(&(self.kind as u16).to_le_bytes());
        b[4..8].copy_from_slice(&self.index.to_le_bytes());
        b[8..16].copy_from_slice(&self.call_id.to_le_bytes());
        b[16..20].copy_from_slice(&self.len.to_le_bytes());
        b
    }

    /// Decodes a header copied out of the ring; `max_len` bounds the payload.
    pub fn decode(b: &[u8; HEADER_LEN], max_len: usize) -> Result<Header, FrameError> {
        let magic = u16::from_le_bytes([b[0], b[1]]);
        if magic != MAGIC {
            return Err(FrameError::Magic(magic));
        }
        let kind_raw = u16::from_le_bytes([b[2], b[3]]);
        let kind = Kind::from_u16(kind_raw).ok_or(FrameError::Kind(kind_raw))?;
        let index = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
        let mut id = [0u8; 8];
        id.copy_from_slice(&b[8..16]);
        let call_id = u64::from_le_bytes(id);
        let len = u32::from_le_bytes([b[16], b[17], b[18], b[19]]);
        if b[20..24] != [0, 0, 0, 0] {
            return Err(FrameError::Reserved);
        }
        if len as usize > max_len {
            return Err(FrameError::TooLong { len, max: max_len });
        }
        Ok(Header {
            kind,
            index,
            call_id,
            len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = Header {
            kind: Kind::Callback,
            index: 7,
            call_id: u64::MAX - 3,
            len: 1234,
        };
        assert_eq!(Header::decode(&h.encode(), 4096), Ok(h));
    }

    #[test]
    fn refuses_bad_headers() {
        let h = Header {
            kind: Kind::Call,
            index: 0,
            call_id: 1,
            len: 10,
        };
        let mut b = h.encode();
        assert_eq!(
            Header::decode(&b, 9),
            Err(FrameError::TooLong { len: 10, max: 9 })
        );
        b[0] ^= 1;
        assert!(matches!(Header::decode(&b, 100), Err(FrameError::Magic(_))));
        let mut b = h.encode();
        b[2] = 99;
        assert_eq!(Header::decode(&b, 100), Err(FrameError::Kind(99)));
        let mut b = h.encode();
        b[23] = 1;
        assert_eq!(Header::decode(&b, 100), Err(FrameError::Reserved));
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let h = Header {
            kind: Kind::Hello,
            index: 0x0102_0304,
            call_id: 0x1122_3344_5566_7788,
            len: 24,
        };
        let b = h.encode();
        assert_eq!(&b[..4], &[0x1C, 0xFF, 1, 0]);
        assert_eq!(&b[4..8], &[4, 3, 2, 1]);
        assert_eq!(&b[8..16], &[0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
        assert_eq!(&b[16..24], &[24, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            Header::encode_for(Kind::Call, 1, 2, b"abc").map(|b| b[16]),
            Some(3)
        );
    }
}

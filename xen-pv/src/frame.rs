//! The project's frames on a vchan, as its Linux transport writes them: a
//! 24-byte header (magic `0xFF1C`, kind, function index or callback id,
//! call id, payload length, four reserved zero bytes; little-endian) and the
//! payload. A connection opens with `Hello` (fingerprint, IR version,
//! incarnation), answered by `Welcome` or `Refused` (the server's
//! fingerprint).
//!
//! Headers from the peer are decoded from private copies, and a payload
//! length above the caller's bound is refused before anything is allocated.

/// Header bytes.
pub const HEADER_LEN: usize = 24;
/// First two bytes of every frame.
pub const MAGIC: u16 = 0xFF1C;

/// What a frame is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum Kind {
    /// Client: fingerprint (16), IR version (4), incarnation (4).
    Hello = 1,
    /// Server accepts: its fingerprint.
    Welcome = 2,
    /// Server refuses: its fingerprint.
    Refused = 3,
    /// A call of function `index`.
    Call = 4,
    /// The reply to call `call_id`.
    Reply = 5,
    /// The server invokes callback `index` during call `call_id`.
    Callback = 6,
    /// The client's answer to a callback.
    CallbackReply = 7,
    /// The peer could not decode frame `call_id` (payload: a reason).
    Fault = 8,
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
            _ => return None,
        })
    }
}

/// A decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The kind.
    pub kind: Kind,
    /// Function index or callback id.
    pub index: u32,
    /// Call id.
    pub call_id: u64,
    /// Payload bytes.
    pub len: u32,
}

/// Why a header was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Not the magic number.
    Magic(u16),
    /// An unknown kind.
    Kind(u16),
    /// Reserved bytes that are not zero.
    Reserved,
    /// A payload longer than the bound.
    TooLong(u32),
}

impl core::fmt::Display for FrameError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FrameError::Magic(m) => write!(f, "bad frame magic {m:#06x}"),
            FrameError::Kind(k) => write!(f, "unknown frame kind {k}"),
            FrameError::Reserved => write!(f, "reserved header bytes are not zero"),
            FrameError::TooLong(n) => write!(f, "a payload of {n} bytes is over the bound"),
        }
    }
}

impl Header {
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

    /// Decodes a header copied out of the ring; payloads over `max_len`
    /// bytes are refused.
    pub fn decode(b: &[u8; HEADER_LEN], max_len: usize) -> Result<Header, FrameError> {
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        if u16_at(0) != MAGIC {
            return Err(FrameError::Magic(u16_at(0)));
        }
        let kind = Kind::from_u16(u16_at(2)).ok_or(FrameError::Kind(u16_at(2)))?;
        if u32_at(20) != 0 {
            return Err(FrameError::Reserved);
        }
        let len = u32_at(16);
        if len as usize > max_len {
            return Err(FrameError::TooLong(len));
        }
        let call_id = u64::from(u32_at(8)) | u64::from(u32_at(12)) << 32;
        Ok(Header {
            kind,
            index: u32_at(4),
            call_id,
            len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_and_hostile_ones_are_refused() {
        let h = Header {
            kind: Kind::Callback,
            index: 7,
            call_id: u64::MAX - 3,
            len: 1234,
        };
        assert_eq!(Header::decode(&h.encode(), 4096), Ok(h));
        assert_eq!(
            Header::decode(&h.encode(), 1000),
            Err(FrameError::TooLong(1234))
        );
        let mut b = h.encode();
        b[0] ^= 1;
        assert!(matches!(
            Header::decode(&b, 4096),
            Err(FrameError::Magic(_))
        ));
        let mut b = h.encode();
        b[2] = 99;
        assert_eq!(Header::decode(&b, 4096), Err(FrameError::Kind(99)));
        let mut b = h.encode();
        b[23] = 1;
        assert_eq!(Header::decode(&b, 4096), Err(FrameError::Reserved));
    }

    #[test]
    fn the_layout_is_the_linux_transports() {
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
    }
}

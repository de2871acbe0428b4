//! XenStore messages (`io/xs_wire.h`): a 16-byte header `{type, req_id,
//! tx_id, len}` (little-endian `u32`s) and `len` bytes of NUL-separated
//! strings. What the daemon sends is parsed from private copies, with every
//! length bounded before anything is allocated.

use alloc::vec::Vec;

use crate::abi::xenstore::PAYLOAD_MAX;

/// Bytes in a message header.
pub const HEADER_LEN: usize = 16;

/// The message types the client uses (`enum xsd_sockmsg_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum MsgType {
    /// List a directory.
    Directory = 1,
    /// Read a node.
    Read = 2,
    /// Watch a path (payload `path\0token\0`).
    Watch = 4,
    /// Remove a watch.
    Unwatch = 5,
    /// Start a transaction (payload `\0`), replied with its id.
    TransactionStart = 6,
    /// End a transaction (payload `T\0` to commit, `F\0` to abort).
    TransactionEnd = 7,
    /// Write a node (payload `path\0value`, the value not terminated).
    Write = 11,
    /// Create a directory node.
    Mkdir = 12,
    /// Remove a node and its children.
    Rm = 13,
    /// Set a node's permissions (payload `path\0perm\0perm\0…`).
    SetPerms = 14,
    /// A watch fired (daemon to client, unsolicited).
    WatchEvent = 15,
    /// The request failed; the payload names the errno (`ENOENT\0`).
    Error = 16,
}

impl MsgType {
    fn from_u32(v: u32) -> Option<MsgType> {
        Some(match v {
            1 => MsgType::Directory,
            2 => MsgType::Read,
            4 => MsgType::Watch,
            5 => MsgType::Unwatch,
            6 => MsgType::TransactionStart,
            7 => MsgType::TransactionEnd,
            11 => MsgType::Write,
            12 => MsgType::Mkdir,
            13 => MsgType::Rm,
            14 => MsgType::SetPerms,
            15 => MsgType::WatchEvent,
            16 => MsgType::Error,
            _ => return None,
        })
    }
}

/// A decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The message type.
    pub kind: MsgType,
    /// The request id, echoed in the reply.
    pub req_id: u32,
    /// The transaction id (0 outside transactions).
    pub tx_id: u32,
    /// Payload bytes following the header.
    pub len: u32,
}

/// Why a message from the daemon was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireError {
    /// A type the client does not know.
    Type(u32),
    /// A payload longer than `XENSTORE_PAYLOAD_MAX`.
    TooLong(u32),
    /// A request the client would send is too long for the protocol.
    RequestTooLong(usize),
    /// A watch event without its two strings.
    BadEvent,
}

impl core::fmt::Display for WireError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            WireError::Type(t) => write!(f, "unknown XenStore message type {t}"),
            WireError::TooLong(n) => write!(f, "XenStore payload of {n} bytes"),
            WireError::RequestTooLong(n) => write!(f, "a request of {n} bytes"),
            WireError::BadEvent => write!(f, "malformed watch event"),
        }
    }
}

fn u32_at(raw: &[u8; HEADER_LEN], at: usize) -> u32 {
    u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]])
}

impl Header {
    /// Decodes a header copied out of the ring.
    pub fn decode(raw: &[u8; HEADER_LEN]) -> Result<Header, WireError> {
        let kind = u32_at(raw, 0);
        let len = u32_at(raw, 12);
        if len > PAYLOAD_MAX {
            return Err(WireError::TooLong(len));
        }
        Ok(Header {
            kind: MsgType::from_u32(kind).ok_or(WireError::Type(kind))?,
            req_id: u32_at(raw, 4),
            tx_id: u32_at(raw, 8),
            len,
        })
    }
}

/// A request: header and payload, ready for the ring. The payload is the
/// concatenation of `parts`.
pub fn encode(
    kind: MsgType,
    req_id: u32,
    tx_id: u32,
    parts: &[&[u8]],
) -> Result<Vec<u8>, WireError> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > PAYLOAD_MAX as usize {
        return Err(WireError::RequestTooLong(len));
    }
    let mut msg = Vec::with_capacity(HEADER_LEN + len);
    for word in [kind as u32, req_id, tx_id, len as u32] {
        msg.extend_from_slice(&word.to_le_bytes());
    }
    for p in parts {
        msg.extend_from_slice(p);
    }
    Ok(msg)
}

/// A watch event's payload `path\0token\0`, split.
pub fn watch_event(payload: &[u8]) -> Result<(&[u8], &[u8]), WireError> {
    let mut it = payload.split(|&b| b == 0);
    let path = it.next().ok_or(WireError::BadEvent)?;
    let token = it.next().ok_or(WireError::BadEvent)?;
    if path.is_empty() {
        return Err(WireError::BadEvent);
    }
    Ok((path, token))
}

/// The errno name of an `XS_ERROR` payload (`ENOENT\0`), without its NUL.
pub fn error_name(payload: &[u8]) -> &[u8] {
    payload.split(|&b| b == 0).next().unwrap_or(&[])
}

/// What a domain may do with a node (`XS_PERM_*` of `xenstore_lib.h`,
/// written as the letter `xs_perm_to_string` uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `n`: nothing.
    None,
    /// `r`: read.
    Read,
    /// `w`: write.
    Write,
    /// `b`: both.
    Both,
}

/// One permission of a node's list: the first names the owner and what
/// every domain not listed may do; each later one, what one domain may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Perm {
    /// The domain.
    pub domid: u16,
    /// What it may do.
    pub access: Access,
}

/// The `XS_SET_PERMS` strings of `perms`: `<letter><domid>\0` each.
pub fn encode_perms(perms: &[Perm]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in perms {
        out.push(match p.access {
            Access::None => b'n',
            Access::Read => b'r',
            Access::Write => b'w',
            Access::Both => b'b',
        });
        out.extend_from_slice(alloc::format!("{}", p.domid).as_bytes());
        out.push(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_encodes_as_the_header_says() {
        let m = encode(MsgType::Write, 7, 0, &[b"data/x\0", b"v"]).unwrap();
        assert_eq!(&m[..4], &11u32.to_le_bytes());
        assert_eq!(&m[4..8], &7u32.to_le_bytes());
        assert_eq!(&m[12..16], &8u32.to_le_bytes());
        assert_eq!(&m[16..], b"data/x\0v");
        let raw: [u8; 16] = m[..16].try_into().unwrap();
        let h = Header::decode(&raw).unwrap();
        assert_eq!(
            (h.kind, h.req_id, h.tx_id, h.len),
            (MsgType::Write, 7, 0, 8)
        );
    }

    #[test]
    fn hostile_headers_are_refused() {
        let mut raw = [0u8; 16];
        raw[0] = 99;
        assert_eq!(Header::decode(&raw), Err(WireError::Type(99)));
        raw[0] = 2;
        raw[12..16].copy_from_slice(&4097u32.to_le_bytes());
        assert_eq!(Header::decode(&raw), Err(WireError::TooLong(4097)));
        assert!(encode(MsgType::Write, 1, 0, &[&[0u8; 4097]]).is_err());
    }

    #[test]
    fn watch_events_split() {
        assert_eq!(
            watch_event(b"a/b\0tok\0").unwrap(),
            (&b"a/b"[..], &b"tok"[..])
        );
        assert!(watch_event(b"\0tok\0").is_err());
        assert!(watch_event(b"nopath").is_err());
        assert_eq!(error_name(b"ENOENT\0"), b"ENOENT");
    }
}

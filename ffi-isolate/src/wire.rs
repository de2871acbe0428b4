//! Frames on the ring: the header is [`ffi_desc::frame`]'s (one definition
//! for every transport, the unikernel's too); this module writes frames
//! into the ring.

pub use ffi_desc::frame::{FrameError, Header, Kind, HEADER_LEN, MAGIC};

/// Writes one frame. A small frame goes into the ring in one piece, so the
/// peer is notified (and the index fenced) once rather than twice.
pub(crate) fn write_frame(
    endpoint: &mut crate::ring::Endpoint,
    header: &[u8; HEADER_LEN],
    payload: &[u8],
    waiter: &crate::wait::Waiter<'_>,
) -> Result<(), crate::ring::RingError> {
    const SMALL: usize = 512;
    if payload.len() <= SMALL - HEADER_LEN {
        let mut frame = [0u8; SMALL];
        frame[..HEADER_LEN].copy_from_slice(header);
        frame[HEADER_LEN..HEADER_LEN + payload.len()].copy_from_slice(payload);
        endpoint.write_all(&frame[..HEADER_LEN + payload.len()], waiter)
    } else {
        endpoint.write_all(header, waiter)?;
        endpoint.write_all(payload, waiter)
    }
}

//! Why a vchan operation failed, on either side.

use alloc::string::String;

use super::layout::LayoutError;
use crate::events::EventError;
use crate::grant::GrantError;
use crate::share::ShareError;
use crate::shring::RingViolation;
use crate::xenstore::XsError;

/// Why a vchan operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VchanError {
    /// Reading or writing the vchan's XenStore entries failed.
    Store(XsError),
    /// An entry is missing or not a number.
    Entry(String),
    /// Mapping the server's pages failed.
    Grant(GrantError),
    /// Granting our pages failed (server).
    Share(ShareError),
    /// Allocating, binding or signalling the event channel failed.
    Event(EventError),
    /// The orders are impossible.
    Layout(LayoutError),
    /// The peer broke the ring protocol.
    Ring(RingViolation),
    /// The peer's live byte holds a value that means nothing.
    LiveByte(u8),
    /// The peer closed its end.
    Closed,
    /// The deadline passed.
    Timeout,
    /// A frame of this many payload bytes cannot be framed (over 4 GiB).
    TooLong(usize),
}

impl core::fmt::Display for VchanError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            VchanError::Store(e) => write!(f, "vchan: {e}"),
            VchanError::Entry(what) => write!(f, "vchan: {what}"),
            VchanError::Grant(e) => write!(f, "vchan: {e}"),
            VchanError::Share(e) => write!(f, "vchan: {e}"),
            VchanError::Event(e) => write!(f, "vchan: event channel: {e}"),
            VchanError::Layout(e) => write!(f, "vchan: {e}"),
            VchanError::Ring(v) => write!(f, "vchan: {v}"),
            VchanError::LiveByte(v) => write!(f, "vchan: the peer's live byte holds {v}"),
            VchanError::Closed => write!(f, "vchan: the peer closed its end"),
            VchanError::Timeout => write!(f, "vchan: timed out"),
            VchanError::TooLong(n) => write!(f, "vchan: a frame of {n} bytes is too long to frame"),
        }
    }
}

impl From<RingViolation> for VchanError {
    fn from(v: RingViolation) -> Self {
        VchanError::Ring(v)
    }
}

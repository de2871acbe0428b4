//! The vchan, byte-compatible with `libxenvchan`: where the rings are
//! ([`layout`]), the data path and its notification handshake
//! ([`endpoint`]), and the client that connects over Xen ([`client`]).

pub mod client;
pub mod endpoint;
pub mod layout;

pub use client::{VchanClient, VchanError};

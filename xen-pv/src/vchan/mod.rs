//! The vchan, byte-compatible with `libxenvchan`: where the rings are
//! ([`layout`]), the data path and its notification handshake
//! ([`endpoint`]), the client that connects over Xen ([`client`]) and the
//! server that grants and publishes one ([`server`]).

pub mod client;
pub mod endpoint;
mod error;
pub mod layout;
mod link;
pub mod server;

pub use client::VchanClient;
pub use error::VchanError;
pub use server::VchanServer;

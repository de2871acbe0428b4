//! XenStore: the message codec ([`wire`]) and the client over the store
//! ring ([`client`]).

pub mod client;
pub mod wire;

pub use client::{Tx, WatchEvent, XenStore, XsError};

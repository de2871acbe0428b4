//! The Isolated linkage: a client that encodes each call onto the wire, and
//! the server that decodes it inside the domain and calls C. Both halves walk
//! the parameters in the same order; `ffi_desc::wire` documents the encoding.

mod client;
mod client_async;
mod client_call;
mod server;
mod wire_impls;

use crate::ir::Description;

/// The number of a stored-callback slot: its index among the description's
/// slots ([`Description::callback_slots`]).
pub(crate) fn slot_index(desc: &Description, slot: &str) -> u32 {
    desc.callback_slots()
        .iter()
        .position(|s| *s == slot)
        .and_then(|i| u32::try_from(i).ok())
        .expect("a slot the parser checked")
}

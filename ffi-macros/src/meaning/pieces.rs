//! The sections of generated code a meaning contributes to, one builder per
//! linkage. Within a section, pieces keep parameter order; the sections are
//! emitted in the order their fields are declared.

use proc_macro2::TokenStream;

/// A Linked or Loaded method body.
#[derive(Default)]
pub(crate) struct NativePieces {
    /// Lengths, computed from the buffers before anything else.
    pub(crate) lengths: Vec<TokenStream>,
    /// Each argument prepared from its safe value.
    pub(crate) prepare: Vec<TokenStream>,
    /// Arguments that point at what another parameter prepared (user data).
    pub(crate) late: Vec<TokenStream>,
    /// Right after the call, before anything can fail: consumed handles
    /// are forgotten.
    pub(crate) after_call: Vec<TokenStream>,
    /// The lengths C reported, checked against the capacity.
    pub(crate) reported_lengths: Vec<TokenStream>,
    /// Out values read back.
    pub(crate) write_back: Vec<TokenStream>,
    /// The parameters' parts of the result.
    pub(crate) outs: Vec<TokenStream>,
    /// Whether a callback is passed: the call then reports its panic.
    pub(crate) passes_callback: bool,
}

/// An Isolated client method body.
#[derive(Default)]
pub(crate) struct ClientPieces {
    /// Length checks, as in the other linkages, before anything is encoded.
    pub(crate) lengths: Vec<TokenStream>,
    /// Each argument encoded into `__req`.
    pub(crate) encode: Vec<TokenStream>,
    /// Dispatch checks for the stored callbacks this call registers.
    pub(crate) stored_arms: Vec<TokenStream>,
    /// Dispatch arms for the callbacks that live during the call, by id.
    pub(crate) invokers: Vec<TokenStream>,
    /// Once the call returned: stored callbacks kept or dropped.
    pub(crate) confirms: Vec<TokenStream>,
    /// Once the call returned, before its status is looked at: consumed
    /// handles are forgotten.
    pub(crate) after_call: Vec<TokenStream>,
    /// Outputs decoded from `__r`, after the result.
    pub(crate) decode: Vec<TokenStream>,
    /// The lengths the domain reported, checked against what it sent.
    pub(crate) counts: Vec<TokenStream>,
    /// The parameters' parts of the result.
    pub(crate) outs: Vec<TokenStream>,
    /// Whether a callback is passed: the call then reports its panic.
    pub(crate) passes_callback: bool,
    /// Whether a buffer may travel as a segment (`ffi_desc::bulk`): the
    /// call then collects them in `__segs`.
    pub(crate) bulk: bool,
}

/// A server function.
#[derive(Default)]
pub(crate) struct ServerPieces {
    /// Each argument decoded from `__r` into memory the server owns.
    pub(crate) decode: Vec<TokenStream>,
    /// Arguments made from decoded ones: lengths from the buffers, user
    /// data from the callbacks.
    pub(crate) late: Vec<TokenStream>,
    /// What C wrote, encoded into `__out` after the result.
    pub(crate) write_back: Vec<TokenStream>,
}

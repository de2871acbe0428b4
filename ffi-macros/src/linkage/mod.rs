//! The linkages: each a type implementing the description's trait.
//! [`native`] holds what Linked and Loaded share (both call C in this
//! process); [`isolated`] the client and the server of the Isolated linkage.

pub(crate) mod isolated;
pub(crate) mod linked;
pub(crate) mod loaded;
pub(crate) mod native;

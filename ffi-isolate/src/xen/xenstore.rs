//! The part of Xen's `libxenstore` (`<xenstore.h>`, Debian's `libxen-dev`)
//! the Xen transport uses: the library domain's supervisor writes how its
//! server ended, and the launcher asks whether a domain still exists. A
//! description, called through its Linked linkage, like
//! [`super::libxenvchan`].
//!
//! Reading is not described. `xs_read` returns its value as `void *`, and
//! the vocabulary cannot yet give a returned string another C spelling than
//! `char *`, so the launcher in dom0 reads with the `xenstore-read` command
//! instead (as it runs `xl`).

#![allow(missing_docs)]

use ffi_desc::foreign;

/// "No transaction" (`XBT_NULL`).
pub const XBT_NULL: u32 = 0;

#[foreign(
    library = "xenstore",
    header = "xenstore.h",
    soname = "libxenstore.so.4",
    prefix = "xs_"
)]
pub mod xenstore {
    /// A connection to XenStore (`struct xs_handle *`), closed on drop.
    #[opaque(c_type = "struct xs_handle", free = close)]
    pub struct XsHandle;

    /// The functions of `xenstore.h` the supervisor uses.
    pub trait XenStore {
        /// Connects to XenStore (`flags` 0: through the kernel's device).
        fn open(flags: c_ulong) -> Owned<XsHandle>;
        /// Closes the connection.
        fn close(h: Owned<XsHandle>);
        /// Writes `data` at `path` (relative paths are below the domain's
        /// own `/local/domain/<id>`); false on failure.
        fn write(
            h: &XsHandle,
            #[c_type = "xs_transaction_t"] t: u32,
            path: CStr,
            #[c_type = "const void *"] data: In<[u8], len = len>,
            len: c_uint,
        ) -> bool;
        /// Removes `path` and what is below it; false on failure (or when it
        /// does not exist).
        fn rm(h: &XsHandle, #[c_type = "xs_transaction_t"] t: u32, path: CStr) -> bool;
        /// Whether domain `domid` is known to XenStore: true from its
        /// creation until it is destroyed.
        fn is_domain_introduced(h: &XsHandle, domid: c_uint) -> bool;
    }
}

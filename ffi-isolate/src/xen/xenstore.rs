//! The part of Xen's `libxenstore` (`<xenstore.h>`, Debian's `libxen-dev`)
//! the Xen transport uses: the library domain's supervisor writes how its
//! server ended, and the launcher reads it and asks whether a domain still
//! exists. A description, called through its Linked linkage, like
//! [`super::libxenvchan`]; `tests/build.rs` compiles its check unit against
//! the header.

#![allow(missing_docs)]

use ffi_desc::foreign;

/// "No transaction" (`XBT_NULL`).
pub const XBT_NULL: u32 = 0;

#[foreign(
    library = "xenstore",
    header = "xenstore.h",
    header = "stdlib.h",
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
        /// Reads the value at `path` (relative paths as for `write`): a
        /// string the caller frees, and its length without the NUL that
        /// `libxenstore` adds; NULL (an error) when there is no such entry,
        /// it may not be read, or the request failed.
        #[c_type = "void *"]
        fn read(
            h: &XsHandle,
            #[c_type = "xs_transaction_t"] t: u32,
            path: CStr,
            len: Out<c_uint>,
        ) -> Owned<CStr, free = free>;
        /// The C library's `free`, for what `read` returns.
        #[c_name = "free"]
        fn free(#[c_type = "void *"] s: CStr);
        /// Removes `path` and what is below it; false on failure (or when it
        /// does not exist).
        fn rm(h: &XsHandle, #[c_type = "xs_transaction_t"] t: u32, path: CStr) -> bool;
        /// Whether domain `domid` is known to XenStore: true from its
        /// creation until it is destroyed; false also when the request
        /// fails.
        fn is_domain_introduced(h: &XsHandle, domid: c_uint) -> bool;
    }
}

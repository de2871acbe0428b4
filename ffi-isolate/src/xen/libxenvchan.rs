//! The description of Xen's `libxenvchan` (`<libxenvchan.h>`, Debian's
//! `libxen-dev`), which the Xen transport calls through its Linked linkage.
//!
//! Drafted by the project's own importer,
//!
//! ```text
//! ffi-stubgen import --header /usr/include/libxenvchan.h --library xenvchan \
//!     --allow 'libxenvchan_.*' -o ffi-isolate/src/xen/libxenvchan_draft.rs
//! ```
//!
//! (the raw draft is `libxenvchan_draft.rs` beside this file), then resolved
//! by hand:
//!
//! - `struct libxenvchan *` is an opaque handle, [`xenvchan::Vchan`], returned
//!   owned by `libxenvchan_server_init`/`libxenvchan_client_init` (NULL is an
//!   error) and freed by `libxenvchan_close`;
//! - the data pointers of `read`/`recv` are out buffers whose capacity is
//!   `size`, those of `write`/`send` in buffers of length `size`;
//! - the `struct xentoollog_logger *` of the two init functions is only ever
//!   passed as NULL (libxenvchan then logs through Xen's default logger). The
//!   vocabulary has no nullable pointer, so it is described as a `size_t`
//!   spelled `struct xentoollog_logger *` in C: the C compiler checks the
//!   function types, and the transport passes [`NO_LOGGER`]. This is the one
//!   place where the description does not say what the C pointer means;
//! - `struct ring_shared` (one ring's `cons`/`prod` pair) is kept, so that
//!   its layout is asserted by the C compiler too. `struct vchan_interface`
//!   (a flexible array member) and `struct libxenvchan` (an anonymous union)
//!   are left out: the transport never looks inside them.

#![allow(missing_docs)]

use ffi_desc::foreign;

/// The logger argument of the init functions: NULL.
pub const NO_LOGGER: usize = 0;

#[foreign(
    library = "xenvchan",
    header = "libxenvchan.h",
    soname = "libxenvchan.so.4.17",
    prefix = "libxenvchan_"
)]
pub mod xenvchan {
    /// One ring's indices in the shared page (`struct ring_shared`).
    #[c_name = "struct ring_shared"]
    pub struct RingShared {
        pub cons: u32,
        pub prod: u32,
    }

    /// An open vchan (`struct libxenvchan *`), closed on drop.
    #[opaque(c_type = "struct libxenvchan", free = close)]
    pub struct Vchan;

    /// The functions of `libxenvchan.h`.
    pub trait Xenvchan {
        /// Sets up a vchan as its server: grants the shared page(s) to
        /// `domain`, allocates an event channel and publishes both under
        /// `xs_path` in XenStore (`ring-ref`, `event-channel`). The left ring
        /// (client to server) holds at least `read_min` bytes, the right ring
        /// at least `write_min`.
        fn server_init(
            #[c_type = "struct xentoollog_logger *"] logger: size_t,
            domain: c_int,
            xs_path: CStr,
            read_min: size_t,
            write_min: size_t,
        ) -> Owned<Vchan>;
        /// Connects to the vchan that `domain` published under `xs_path`:
        /// maps its grants and binds its event channel.
        fn client_init(
            #[c_type = "struct xentoollog_logger *"] logger: size_t,
            domain: c_int,
            xs_path: CStr,
        ) -> Owned<Vchan>;
        /// Closes the vchan (the peer sees its live byte drop to 0) and frees it.
        fn close(ctrl: Owned<Vchan>);
        /// Packet receive: exactly `size` bytes, 0 if non-blocking and not
        /// enough are ready, -1 on error.
        fn recv(
            ctrl: &Vchan,
            #[c_type = "void *"] data: Out<[u8], cap = size>,
            size: size_t,
        ) -> c_int;
        /// Stream receive: as many bytes as are ready, up to `size`; -1 on error.
        fn read(
            ctrl: &Vchan,
            #[c_type = "void *"] data: Out<[u8], cap = size>,
            size: size_t,
        ) -> c_int;
        /// Packet send: all of `data` or (non-blocking) nothing; -1 on error.
        fn send(
            ctrl: &Vchan,
            #[c_type = "const void *"] data: In<[u8], len = size>,
            size: size_t,
        ) -> c_int;
        /// Stream send: as much of `data` as fits; -1 on error.
        fn write(
            ctrl: &Vchan,
            #[c_type = "const void *"] data: In<[u8], len = size>,
            size: size_t,
        ) -> c_int;
        /// Consumes the pending event (blocks until there is one).
        fn wait(ctrl: &Vchan) -> c_int;
        /// The event channel's file descriptor: readable when an event is pending.
        fn fd_for_select(ctrl: &Vchan) -> c_int;
        /// 0 when a side closed or crashed, 1 when both are open, 2 (server
        /// only) when no client has connected yet.
        fn is_open(ctrl: &Vchan) -> c_int;
        /// Bytes ready to read (and asks to be notified of writes).
        fn data_ready(ctrl: &Vchan) -> c_int;
        /// Bytes that can be written without blocking (and asks to be
        /// notified of reads).
        fn buffer_space(ctrl: &Vchan) -> c_int;
    }
}

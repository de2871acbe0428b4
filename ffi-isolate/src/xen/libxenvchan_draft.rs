// Drafted by ffi-stubgen from `libxenvchan.h`:
//     ffi-stubgen import --header /usr/include/libxenvchan.h --library xenvchan --allow 'libxenvchan_.*' -o ffi-isolate/src/xen/libxenvchan_draft.rs
// 12 functions drafted. 16 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback); the description
// does not build until none is left.
// 4 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "xenvchan", header = "libxenvchan.h", prefix = "libxenvchan_")]
pub mod xenvchan {
    #[c_name = "struct ring_shared"]
    pub struct RingShared {
        pub cons: u32,
        pub prod: u32,
    }
    /// The functions of `libxenvchan.h`.
    pub trait Xenvchan {
        /** Set up a vchan, including granting pages
 @param logger Logger for libxc errors
 @param domain The peer domain that will be connecting
 @param xs_path Base xenstore path for storing ring/event data
 @param send_min The minimum size (in bytes) of the send ring (left)
 @param recv_min The minimum size (in bytes) of the receive ring (right)
 @return The structure, or NULL in case of an error*/
        fn server_init(
            logger: Unresolved<"struct xentoollog_logger *">,
            domain: c_int,
            xs_path: CStr,
            read_min: size_t,
            write_min: size_t,
        ) -> Unresolved<"struct libxenvchan *">;
        /** Connect to an existing vchan. Note: you can reconnect to an existing vchan
 safely, however no locking is performed, so you must prevent multiple clients
 from connecting to a single server.

 @param logger Logger for libxc errors
 @param domain The peer domain to connect to
 @param xs_path Base xenstore path for storing ring/event data
 @return The structure, or NULL in case of an error*/
        fn client_init(
            logger: Unresolved<"struct xentoollog_logger *">,
            domain: c_int,
            xs_path: CStr,
        ) -> Unresolved<"struct libxenvchan *">;
        /** Close a vchan. This deallocates the vchan and attempts to free its
 resources. The other side is notified of the close, but can still read any
 data pending prior to the close.*/
        fn close(ctrl: Unresolved<"struct libxenvchan *">);
        /** Packet-based receive: always reads exactly $size bytes.
 @param ctrl The vchan control structure
 @param data Buffer for data that was read
 @param size Size of the buffer and amount of data to read
 @return -1 on error, 0 if nonblocking and insufficient data is available, or $size*/
        fn recv(
            ctrl: Unresolved<"struct libxenvchan *">,
            data: Unresolved<"void *">,
            size: size_t,
        ) -> c_int;
        /** Stream-based receive: reads as much data as possible.
 @param ctrl The vchan control structure
 @param data Buffer for data that was read
 @param size Size of the buffer
 @return -1 on error, otherwise the amount of data read (which may be zero if
         the vchan is nonblocking)*/
        fn read(
            ctrl: Unresolved<"struct libxenvchan *">,
            data: Unresolved<"void *">,
            size: size_t,
        ) -> c_int;
        /** Packet-based send: send entire buffer if possible
 @param ctrl The vchan control structure
 @param data Buffer for data to send
 @param size Size of the buffer and amount of data to send
 @return -1 on error, 0 if nonblocking and insufficient space is available, or $size*/
        fn send(
            ctrl: Unresolved<"struct libxenvchan *">,
            #[c_type = "const void *"]
            data: In<[u8], len = size>,
            size: size_t,
        ) -> c_int;
        /** Stream-based send: send as much data as possible.
 @param ctrl The vchan control structure
 @param data Buffer for data to send
 @param size Size of the buffer
 @return -1 on error, otherwise the amount of data sent (which may be zero if
         the vchan is nonblocking)*/
        fn write(
            ctrl: Unresolved<"struct libxenvchan *">,
            #[c_type = "const void *"]
            data: In<[u8], len = size>,
            size: size_t,
        ) -> c_int;
        /// Waits for reads or writes to unblock, or for a close
        fn wait(ctrl: Unresolved<"struct libxenvchan *">) -> c_int;
        /** Returns the event file descriptor for this vchan. When this FD is readable,
 libxenvchan_wait() will not block, and the state of the vchan has changed since
 the last invocation of libxenvchan_wait().*/
        fn fd_for_select(ctrl: Unresolved<"struct libxenvchan *">) -> c_int;
        /** Query the state of the vchan shared page:
  return 0 when one side has called libxenvchan_close() or crashed
  return 1 when both sides are open
  return 2 [server only] when no client has yet connected*/
        fn is_open(ctrl: Unresolved<"struct libxenvchan *">) -> c_int;
        /// Amount of data ready to read, in bytes
        fn data_ready(ctrl: Unresolved<"struct libxenvchan *">) -> c_int;
        /// Amount of data it is possible to send without blocking
        fn buffer_space(ctrl: Unresolved<"struct libxenvchan *">) -> c_int;
    }
}

// Not imported (4):
// - struct `vchan_interface`: field `grants` is a flexible array member
// - struct `libxenvchan_ring`: field `shr` is a pointer (`struct ring_shared *`): a described struct holds values only
// - struct `libxenvchan`: it has an anonymous struct or union member
// - handle type `struct xentoollog_logger`: no function evidently frees it; a described handle names its free function: #[opaque(c_type = "struct xentoollog_logger", free = f)]

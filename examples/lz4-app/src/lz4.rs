//! lz4's block API, drafted by `ffi-stubgen import` and resolved by hand:
//!
//! ```text
//! ffi-stubgen import --header /usr/include/lz4.h --library lz4 \
//!     --allow 'LZ4_(versionNumber|versionString|compressBound|compress_default|decompress_safe)' \
//!     -o src/lz4.rs
//! ```
//!
//! The draft read `src` as `CStr` and left `dst` unresolved; both are
//! buffers whose lengths are the `int` parameters that follow them.

use ffi_desc::foreign;

#[foreign(
    library = "lz4",
    header = "lz4.h",
    soname = "liblz4.so.1",
    prefix = "LZ4_"
)]
pub mod lz4 {
    /// The version of the header the description was checked against; the
    /// check unit asserts it equals `LZ4_VERSION_NUMBER` of lz4.h.
    pub const LZ4_VERSION_NUMBER: i32 = 10904;

    /// The functions of `lz4.h` this application uses.
    pub trait Lz4 {
        /// The library's version as a number (`10904` for 1.9.4).
        #[c_name = "LZ4_versionNumber"]
        fn version_number() -> c_int;
        /// The library's version (`"1.9.4"`).
        #[c_name = "LZ4_versionString"]
        fn version_string() -> Borrowed<CStr>;
        /// The largest compressed size of `input_size` bytes (0 when too large).
        #[c_name = "LZ4_compressBound"]
        fn compress_bound(input_size: c_int) -> c_int;
        /// Compresses `src` into `dst`: the bytes written, 0 when `dst` is too small.
        fn compress_default(
            #[c_type = "const char *"] src: In<[u8], len = src_size>,
            #[c_type = "char *"] dst: Out<[u8], cap = dst_capacity>,
            src_size: c_int,
            dst_capacity: c_int,
        ) -> c_int;
        /// Decompresses `src` into `dst`: the bytes written, negative when
        /// `src` is malformed or `dst` too small.
        fn decompress_safe(
            #[c_type = "const char *"] src: In<[u8], len = compressed_size>,
            #[c_type = "char *"] dst: Out<[u8], cap = dst_capacity>,
            compressed_size: c_int,
            dst_capacity: c_int,
        ) -> c_int;
    }
}

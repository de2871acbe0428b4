//! The part of zlib (Debian's `zlib1g-dev`) the application uses, described
//! once for all three builds.
//!
//! `link = false`: this description never asks the linker for `-lz`; only
//! the Linked build does (see `main.rs`).

use ffi_desc::foreign;

#[foreign(library = "z", header = "zlib.h", soname = "libz.so.1", link = false)]
pub mod zlib {
    /// The zlib functions the application calls.
    pub trait Zlib {
        /// An upper bound on the compressed size of `source_len` bytes.
        #[c_name = "compressBound"]
        fn compress_bound(source_len: c_ulong) -> c_ulong;
        /// Compresses `source` into `dest`; returns Z_OK and the compressed length.
        fn compress2(
            #[c_type = "Bytef *"] dest: Out<[u8], cap = dest_len>,
            #[c_type = "uLongf *"] dest_len: InOut<c_ulong>,
            #[c_type = "const Bytef *"] source: In<[u8], len = source_len>,
            source_len: c_ulong,
            level: c_int,
        ) -> c_int;
        /// Decompresses `source` into `dest`; returns Z_OK and the decompressed length.
        fn uncompress(
            #[c_type = "Bytef *"] dest: Out<[u8], cap = dest_len>,
            #[c_type = "uLongf *"] dest_len: InOut<c_ulong>,
            #[c_type = "const Bytef *"] source: In<[u8], len = source_len>,
            source_len: c_ulong,
        ) -> c_int;
        /// Updates a running CRC-32 with `buf`.
        fn crc32(
            crc: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_ulong;
        /// Updates a running Adler-32 with `buf`.
        fn adler32(
            adler: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_ulong;
        /// The library's version string.
        #[c_name = "zlibVersion"]
        fn zlib_version() -> Borrowed<CStr>;
    }
}

//! A hand-written description of zlib (Debian's `zlib1g-dev`).

use ffi_desc::foreign;

#[foreign(library = "z", header = "zlib.h", soname = "libz.so.1")]
pub mod zlib {
    /// An open gzip file.
    #[opaque(c_pointer = "gzFile", free = gzclose)]
    pub struct GzFile;

    /// The zlib compression library.
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
        /// Opens a gzip file.
        fn gzopen(path: CStr, mode: CStr) -> Owned<GzFile>;
        /// Writes `buf`; returns the bytes written, 0 on error.
        fn gzwrite(
            file: &GzFile,
            #[c_type = "voidpc"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_int;
        /// Reads into `buf`; returns the bytes read, -1 on error.
        fn gzread(
            file: &GzFile,
            #[c_type = "voidp"] buf: Out<[u8], cap = len>,
            len: c_uint,
        ) -> c_int;
        /// Flushes and closes the file.
        fn gzclose(file: Owned<GzFile>) -> c_int;
    }
}

//! A description with four mistakes, for the build script's error output.

use ffi_desc::foreign;

#[foreign(library = "z", header = "zlib.h", soname = "libz.so.1")]
pub mod zlib {
    #[opaque(c_pointer = "gzFile")]
    pub struct GzFile;

    pub trait Zlib {
        fn crc32(crc: c_ulong, buf: *const u8, len: c_uint) -> c_ulong;
        fn compress(dest: Out<[u8]>, dest_len: InOut<c_ulong>, source: In<[u8], len = n>, n: c_ulong) -> c_int;
        fn gzopen(path: CStr, mode: [c_char; 4]) -> Owned<GzFile>;
    }
}

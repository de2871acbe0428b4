//! zlib (Debian's `zlib1g-dev`), drafted from its header and resolved by hand.
//
// Drafted by ffi-stubgen from `zlib.h`:
//     ffi-stubgen import --header /usr/include/zlib.h --library z -o ffi-stubgen/tests/drafts/zlib.rs
// The raw draft is committed as `ffi-stubgen/tests/drafts/zlib.rs` (a test
// re-imports the header and compares). This file is that draft with every
// `Unresolved` marker resolved by a person:
// - module `z`/trait `Z` renamed `zlib`/`Zlib`, soname `libz.so.1` added for
//   the Loaded linkage, documentation written for every item;
// - every `gzFile` is the `GzFile` handle: `&GzFile` while the file stays
//   open, `Owned<GzFile>` where zlib frees it (`gzclose`, `gzclose_r`,
//   `gzclose_w`), and `gzopen` returns a new `Owned<GzFile>`;
// - `Bytef *dest` with `uLongf *destLen` is an out buffer whose capacity
//   zlib reads and whose filled length it writes back: `Out<[u8], cap =
//   dest_len>` with `dest_len: InOut<c_ulong>`;
// - `gzread`'s `voidp buf` is an out buffer of `len` bytes;
// - `gzerror`'s `int *errnum` is one `int` zlib writes: `Out<c_int>`;
// - the status, flush, level and strategy constants are `int` in every
//   signature that takes or returns them, so they are `i32` here (the draft
//   said `u32`); `Z_NULL` (a null pointer for C callers) is dropped.
//
// Removed from the draft, with the reason (43 of the draft's 80 functions;
// 37 are described):
// - the 36 functions of the `z_stream` API (`deflate`, `deflateEnd`,
//   `inflate`, `inflateEnd`, `deflateInit_`, `deflateInit2_`, `inflateInit_`,
//   `inflateInit2_`, `inflateBackInit_`, `inflateBack`, `inflateBackEnd`,
//   `deflateSetDictionary`, `deflateGetDictionary`, `deflateCopy`,
//   `deflateReset`, `deflateResetKeep`, `deflateParams`, `deflateTune`,
//   `deflateBound`, `deflatePending`, `deflatePrime`, `deflateSetHeader`,
//   `inflateSetDictionary`, `inflateGetDictionary`, `inflateSync`,
//   `inflateSyncPoint`, `inflateCopy`, `inflateReset`, `inflateReset2`,
//   `inflateResetKeep`, `inflatePrime`, `inflateMark`, `inflateGetHeader`,
//   `inflateUndermine`, `inflateValidate`, `inflateCodesUsed`): `z_streamp`
//   points to a caller-allocated `z_stream` whose fields are pointers the
//   caller sets between calls (`next_in`, `next_out`, `zalloc`, `opaque`,
//   ...) and that zlib keeps across calls. A described struct holds values
//   only, and no function allocates a stream, so it is no handle either;
//   `inflateBack` also takes callbacks with no user data of their own kind
//   (`in_func` hands back `unsigned char **`).
// - `uncompress2`: `uLong *sourceLen` is an in-out length of the *input*
//   buffer (zlib writes back how much it consumed); an in-out length may only
//   count an out buffer in the vocabulary.
// - `gzfread`, `gzfwrite`: the buffer holds `size * nitems` bytes, a product
//   no `len =`/`cap =` can name (the draft once inferred `len = size` for
//   `gzfwrite`, which would let C read past the buffer; the importer now
//   leaves fread-shaped pointers unresolved).
// - `gzprintf`: variadic with a caller-chosen format; a format with
//   conversions reads arguments that are not passed.
// - `gzdopen`: takes ownership of a file descriptor and closes it in
//   `gzclose`; the vocabulary has no owned-descriptor type, so a safe method
//   could close a descriptor another owner still uses (and a descriptor
//   means nothing inside an isolated domain).
// - `gzgets`: returns `char *` pointing into its own `buf` argument (or
//   NULL); `Borrowed<CStr>` is `const char *` and a returned pointer cannot
//   name a parameter's buffer.
// - `get_crc_table`: returns `const z_crc_t *`, a pointer to a 256-entry
//   table; a returned pointer is a string or a handle in the vocabulary.

use ffi_desc::foreign;

#[foreign(library = "z", header = "zlib.h", soname = "libz.so.1")]
pub mod zlib {
    /// The version of the header the description was drafted from.
    pub const ZLIB_VERSION: &::std::ffi::CStr = c"1.2.13";
    /// `ZLIB_VERNUM`.
    pub const ZLIB_VERNUM: u32 = 4816;
    /// `ZLIB_VER_MAJOR`.
    pub const ZLIB_VER_MAJOR: u32 = 1;
    /// `ZLIB_VER_MINOR`.
    pub const ZLIB_VER_MINOR: u32 = 2;
    /// `ZLIB_VER_REVISION`.
    pub const ZLIB_VER_REVISION: u32 = 13;
    /// `ZLIB_VER_SUBREVISION`.
    pub const ZLIB_VER_SUBREVISION: u32 = 0;
    /// Flush mode: none.
    pub const Z_NO_FLUSH: i32 = 0;
    /// Flush mode: partial.
    pub const Z_PARTIAL_FLUSH: i32 = 1;
    /// Flush mode: sync.
    pub const Z_SYNC_FLUSH: i32 = 2;
    /// Flush mode: full.
    pub const Z_FULL_FLUSH: i32 = 3;
    /// Flush mode: finish.
    pub const Z_FINISH: i32 = 4;
    /// Flush mode: block.
    pub const Z_BLOCK: i32 = 5;
    /// Flush mode: trees.
    pub const Z_TREES: i32 = 6;
    /// Status: success.
    pub const Z_OK: i32 = 0;
    /// Status: end of stream.
    pub const Z_STREAM_END: i32 = 1;
    /// Status: a dictionary is needed.
    pub const Z_NEED_DICT: i32 = 2;
    /// Status: a file-system error (see `errno`).
    pub const Z_ERRNO: i32 = -1;
    /// Status: inconsistent stream or bad argument.
    pub const Z_STREAM_ERROR: i32 = -2;
    /// Status: corrupt input.
    pub const Z_DATA_ERROR: i32 = -3;
    /// Status: out of memory.
    pub const Z_MEM_ERROR: i32 = -4;
    /// Status: no progress possible, or the output buffer is too small.
    pub const Z_BUF_ERROR: i32 = -5;
    /// Status: incompatible library version.
    pub const Z_VERSION_ERROR: i32 = -6;
    /// Level: store only.
    pub const Z_NO_COMPRESSION: i32 = 0;
    /// Level: fastest.
    pub const Z_BEST_SPEED: i32 = 1;
    /// Level: smallest.
    pub const Z_BEST_COMPRESSION: i32 = 9;
    /// Level: the default (6).
    pub const Z_DEFAULT_COMPRESSION: i32 = -1;
    /// Strategy: filtered data.
    pub const Z_FILTERED: i32 = 1;
    /// Strategy: Huffman coding only.
    pub const Z_HUFFMAN_ONLY: i32 = 2;
    /// Strategy: run-length encoding.
    pub const Z_RLE: i32 = 3;
    /// Strategy: fixed Huffman codes.
    pub const Z_FIXED: i32 = 4;
    /// Strategy: the default.
    pub const Z_DEFAULT_STRATEGY: i32 = 0;
    /// Data type: binary.
    pub const Z_BINARY: i32 = 0;
    /// Data type: text.
    pub const Z_TEXT: i32 = 1;
    /// Data type: text (old name).
    pub const Z_ASCII: i32 = 1;
    /// Data type: unknown.
    pub const Z_UNKNOWN: i32 = 2;
    /// The deflate method.
    pub const Z_DEFLATED: i32 = 8;

    /// An open gzip file.
    #[opaque(c_pointer = "gzFile", free = gzclose)]
    pub struct GzFile;

    /// The zlib compression library.
    pub trait Zlib {
        /// The library's version string.
        #[c_name = "zlibVersion"]
        fn zlib_version() -> Borrowed<CStr>;
        /// The options zlib was compiled with, as bit flags.
        #[c_name = "zlibCompileFlags"]
        fn zlib_compile_flags() -> c_ulong;
        /// Compresses `source` into `dest` at the default level; returns the
        /// status and the compressed length.
        fn compress(
            #[c_type = "Bytef *"] dest: Out<[u8], cap = dest_len>,
            #[c_type = "uLongf *"] dest_len: InOut<c_ulong>,
            #[c_type = "const Bytef *"] source: In<[u8], len = source_len>,
            source_len: c_ulong,
        ) -> c_int;
        /// Compresses `source` into `dest`; returns Z_OK and the compressed length.
        fn compress2(
            #[c_type = "Bytef *"] dest: Out<[u8], cap = dest_len>,
            #[c_type = "uLongf *"] dest_len: InOut<c_ulong>,
            #[c_type = "const Bytef *"] source: In<[u8], len = source_len>,
            source_len: c_ulong,
            level: c_int,
        ) -> c_int;
        /// An upper bound on the compressed size of `source_len` bytes.
        #[c_name = "compressBound"]
        fn compress_bound(source_len: c_ulong) -> c_ulong;
        /// Decompresses `source` into `dest`; returns Z_OK and the decompressed length.
        fn uncompress(
            #[c_type = "Bytef *"] dest: Out<[u8], cap = dest_len>,
            #[c_type = "uLongf *"] dest_len: InOut<c_ulong>,
            #[c_type = "const Bytef *"] source: In<[u8], len = source_len>,
            source_len: c_ulong,
        ) -> c_int;
        /// Opens a gzip file (`mode` as fopen's, with a level or strategy).
        fn gzopen(path: CStr, mode: CStr) -> Owned<GzFile>;
        /// Sets the size of the file's buffers (before its first read or write).
        fn gzbuffer(file: &GzFile, size: c_uint) -> c_int;
        /// Changes the level and strategy of a file open for writing.
        fn gzsetparams(file: &GzFile, level: c_int, strategy: c_int) -> c_int;
        /// Reads into `buf`; returns the bytes read, -1 on error.
        fn gzread(
            file: &GzFile,
            #[c_type = "voidp"] buf: Out<[u8], cap = len>,
            len: c_uint,
        ) -> c_int;
        /// Writes `buf`; returns the bytes written, 0 on error.
        fn gzwrite(
            file: &GzFile,
            #[c_type = "voidpc"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_int;
        /// Writes a string without its terminator; returns the bytes written, -1 on error.
        fn gzputs(file: &GzFile, s: CStr) -> c_int;
        /// Writes one byte; returns it, -1 on error.
        fn gzputc(file: &GzFile, c: c_int) -> c_int;
        /// Reads one byte; returns it, -1 at the end or on error.
        fn gzgetc(file: &GzFile) -> c_int;
        /// `gzgetc` under its older name.
        fn gzgetc_(file: &GzFile) -> c_int;
        /// Pushes one byte back for the next read; returns it, -1 on failure.
        fn gzungetc(c: c_int, file: &GzFile) -> c_int;
        /// Flushes pending output with the flush mode `flush`.
        fn gzflush(file: &GzFile, flush: c_int) -> c_int;
        /// Moves to `offset` in the uncompressed data (`whence`: SEEK_SET or SEEK_CUR).
        fn gzseek(file: &GzFile, offset: c_long, whence: c_int) -> c_long;
        /// Moves a file open for reading back to its start.
        fn gzrewind(file: &GzFile) -> c_int;
        /// The position in the uncompressed data.
        fn gztell(file: &GzFile) -> c_long;
        /// The position in the compressed file.
        fn gzoffset(file: &GzFile) -> c_long;
        /// Whether a read reached the end of the file.
        fn gzeof(file: &GzFile) -> c_int;
        /// Whether the file being read is not gzip-compressed (copied as is).
        fn gzdirect(file: &GzFile) -> c_int;
        /// Flushes and closes the file.
        fn gzclose(file: Owned<GzFile>) -> c_int;
        /// Closes a file open for reading.
        fn gzclose_r(file: Owned<GzFile>) -> c_int;
        /// Closes a file open for writing.
        fn gzclose_w(file: Owned<GzFile>) -> c_int;
        /// The last error's message, and its code in `errnum`.
        fn gzerror(file: &GzFile, errnum: Out<c_int>) -> Borrowed<CStr>;
        /// Clears the file's error and end-of-file flags.
        fn gzclearerr(file: &GzFile);
        /// Updates a running Adler-32 with `buf`.
        fn adler32(
            adler: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_ulong;
        /// Updates a running Adler-32 with `buf` (a `size_t` length).
        fn adler32_z(
            adler: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: size_t,
        ) -> c_ulong;
        /// Updates a running CRC-32 with `buf`.
        fn crc32(
            crc: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_ulong;
        /// Updates a running CRC-32 with `buf` (a `size_t` length).
        fn crc32_z(
            crc: c_ulong,
            #[c_type = "const Bytef *"] buf: In<[u8], len = len>,
            len: size_t,
        ) -> c_ulong;
        /// The Adler-32 of two pieces from theirs and the second's length.
        fn adler32_combine(adler1: c_ulong, adler2: c_ulong, len2: c_long) -> c_ulong;
        /// The CRC-32 of two pieces from theirs and the second's length.
        fn crc32_combine(crc1: c_ulong, crc2: c_ulong, len2: c_long) -> c_ulong;
        /// The operator `crc32_combine_op` applies for a second piece of `len2` bytes.
        fn crc32_combine_gen(len2: c_long) -> c_ulong;
        /// `crc32_combine` with an operator from `crc32_combine_gen`.
        fn crc32_combine_op(crc1: c_ulong, crc2: c_ulong, op: c_ulong) -> c_ulong;
        /// The message of a status code.
        #[c_name = "zError"]
        fn z_error(code: c_int) -> Borrowed<CStr>;
    }
}

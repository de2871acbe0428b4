//! zstd's simple, context and dictionary API (Debian's `libzstd-dev`),
//! resolved by hand from the header's documentation: the reference the
//! draft of `zstd.h` is compared with.
//
// - every `void *dst, size_t dstCapacity` is an out buffer and every
//   `const void *src, size_t srcSize` (or `compressedSize`) an in buffer:
//   zstd reads and writes no more than those counts say;
// - the contexts and dictionaries are handles freed by their `ZSTD_free*`;
//   the `ZSTD_create*` functions return NULL when they cannot allocate,
//   which the linkage reports as an error;
// - `ZSTD_createCDict` copies the dictionary, so the caller's buffer is
//   free once it returns (unlike `ZSTD_createCDict_byReference`, left out).

use ffi_desc::foreign;

#[foreign(library = "zstd", header = "zstd.h", prefix = "ZSTD_")]
pub mod zstd {
    /// A compression context.
    #[opaque(c_type = "ZSTD_CCtx", free = free_c_ctx)]
    pub struct CCtx;
    /// A decompression context.
    #[opaque(c_type = "ZSTD_DCtx", free = free_d_ctx)]
    pub struct DCtx;
    /// A digested compression dictionary.
    #[opaque(c_type = "ZSTD_CDict", free = free_c_dict)]
    pub struct CDict;

    /// The functions of `zstd.h` this reference covers.
    pub trait Zstd {
        #[c_name = "ZSTD_versionNumber"]
        fn version_number() -> c_uint;
        #[c_name = "ZSTD_versionString"]
        fn version_string() -> Borrowed<CStr>;
        fn compress(
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
            level: c_int,
        ) -> size_t;
        fn decompress(
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = compressed_size>,
            compressed_size: size_t,
        ) -> size_t;
        #[c_name = "ZSTD_getFrameContentSize"]
        fn get_frame_content_size(
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
        ) -> c_ulonglong;
        #[c_name = "ZSTD_findFrameCompressedSize"]
        fn find_frame_compressed_size(
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
        ) -> size_t;
        #[c_name = "ZSTD_compressBound"]
        fn compress_bound(src_size: size_t) -> size_t;
        #[c_name = "ZSTD_isError"]
        fn is_error(code: size_t) -> c_uint;
        #[c_name = "ZSTD_getErrorName"]
        fn get_error_name(code: size_t) -> Borrowed<CStr>;
        #[c_name = "ZSTD_minCLevel"]
        fn min_c_level() -> c_int;
        #[c_name = "ZSTD_maxCLevel"]
        fn max_c_level() -> c_int;
        #[c_name = "ZSTD_createCCtx"]
        fn create_c_ctx() -> Owned<CCtx>;
        #[c_name = "ZSTD_freeCCtx"]
        fn free_c_ctx(cctx: Owned<CCtx>) -> size_t;
        #[c_name = "ZSTD_compressCCtx"]
        fn compress_c_ctx(
            cctx: &CCtx,
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
            level: c_int,
        ) -> size_t;
        #[c_name = "ZSTD_createDCtx"]
        fn create_d_ctx() -> Owned<DCtx>;
        #[c_name = "ZSTD_freeDCtx"]
        fn free_d_ctx(dctx: Owned<DCtx>) -> size_t;
        #[c_name = "ZSTD_decompressDCtx"]
        fn decompress_d_ctx(
            dctx: &DCtx,
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
        ) -> size_t;
        #[c_name = "ZSTD_compress2"]
        fn compress2(
            cctx: &CCtx,
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
        ) -> size_t;
        #[c_name = "ZSTD_createCDict"]
        fn create_c_dict(
            #[c_type = "const void *"] dict: In<[u8], len = dict_size>,
            dict_size: size_t,
            level: c_int,
        ) -> Owned<CDict>;
        #[c_name = "ZSTD_freeCDict"]
        fn free_c_dict(cdict: Owned<CDict>) -> size_t;
        #[c_name = "ZSTD_compress_usingCDict"]
        fn compress_using_c_dict(
            cctx: &CCtx,
            #[c_type = "void *"] dst: Out<[u8], cap = dst_capacity>,
            dst_capacity: size_t,
            #[c_type = "const void *"] src: In<[u8], len = src_size>,
            src_size: size_t,
            #[c_type = "const ZSTD_CDict *"] cdict: &CDict,
        ) -> size_t;
        #[c_name = "ZSTD_sizeof_CCtx"]
        fn sizeof_c_ctx(#[c_type = "const ZSTD_CCtx *"] cctx: &CCtx) -> size_t;
    }
}

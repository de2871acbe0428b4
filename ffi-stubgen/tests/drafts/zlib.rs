// Drafted by ffi-stubgen from `zlib.h`:
//     ffi-stubgen import --header /usr/include/zlib.h --library z -o ffi-stubgen/tests/drafts/zlib.rs
// 80 functions drafted, 37 whole. 66 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 17 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "z", header = "zlib.h")]
pub mod z {
    pub const ZLIB_VERSION: &::std::ffi::CStr = c"1.2.13";
    pub const ZLIB_VERNUM: u32 = 4816;
    pub const ZLIB_VER_MAJOR: u32 = 1;
    pub const ZLIB_VER_MINOR: u32 = 2;
    pub const ZLIB_VER_REVISION: u32 = 13;
    pub const ZLIB_VER_SUBREVISION: u32 = 0;
    pub const Z_NO_FLUSH: u32 = 0;
    pub const Z_PARTIAL_FLUSH: u32 = 1;
    pub const Z_SYNC_FLUSH: u32 = 2;
    pub const Z_FULL_FLUSH: u32 = 3;
    pub const Z_FINISH: u32 = 4;
    pub const Z_BLOCK: u32 = 5;
    pub const Z_TREES: u32 = 6;
    pub const Z_OK: u32 = 0;
    pub const Z_STREAM_END: u32 = 1;
    pub const Z_NEED_DICT: u32 = 2;
    pub const Z_ERRNO: i32 = -1;
    pub const Z_STREAM_ERROR: i32 = -2;
    pub const Z_DATA_ERROR: i32 = -3;
    pub const Z_MEM_ERROR: i32 = -4;
    pub const Z_BUF_ERROR: i32 = -5;
    pub const Z_VERSION_ERROR: i32 = -6;
    pub const Z_NO_COMPRESSION: u32 = 0;
    pub const Z_BEST_SPEED: u32 = 1;
    pub const Z_BEST_COMPRESSION: u32 = 9;
    pub const Z_DEFAULT_COMPRESSION: i32 = -1;
    pub const Z_FILTERED: u32 = 1;
    pub const Z_HUFFMAN_ONLY: u32 = 2;
    pub const Z_RLE: u32 = 3;
    pub const Z_FIXED: u32 = 4;
    pub const Z_DEFAULT_STRATEGY: u32 = 0;
    pub const Z_BINARY: u32 = 0;
    pub const Z_TEXT: u32 = 1;
    pub const Z_ASCII: u32 = 1;
    pub const Z_UNKNOWN: u32 = 2;
    pub const Z_DEFLATED: u32 = 8;
    pub const Z_NULL: u32 = 0;
    /// Freed by any of gzclose, gzclose_r, gzclose_w: `Drop` calls `gzclose`; choose another if it fits better.
    #[opaque(c_pointer = "gzFile", free = gzclose)]
    pub struct GzFile;
    /// The functions of `zlib.h`.
    pub trait Z {
        #[c_name = "zlibVersion"]
        fn zlib_version() -> Borrowed<CStr>;
        fn deflate(strm: Unresolved<"z_streamp">, flush: c_int) -> c_int;
        #[c_name = "deflateEnd"]
        fn deflate_end(strm: Unresolved<"z_streamp">) -> c_int;
        fn inflate(strm: Unresolved<"z_streamp">, flush: c_int) -> c_int;
        #[c_name = "inflateEnd"]
        fn inflate_end(strm: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "deflateSetDictionary"]
        fn deflate_set_dictionary(
            strm: Unresolved<"z_streamp">,
            dictionary: Unresolved<
                "const Bytef *",
                guess = "In<[c_uchar], len = dictLength> if C is done with it when the call returns (it may keep the pointer)",
            >,
            dictLength: c_uint,
        ) -> c_int;
        #[c_name = "deflateGetDictionary"]
        fn deflate_get_dictionary(
            strm: Unresolved<"z_streamp">,
            dictionary: Unresolved<"Bytef *">,
            dictLength: Unresolved<
                "uInt *",
                guess = "Out<c_uint> if C writes one; InOut<c_uint> if it reads it too",
            >,
        ) -> c_int;
        #[c_name = "deflateCopy"]
        fn deflate_copy(
            dest: Unresolved<"z_streamp">,
            source: Unresolved<"z_streamp">,
        ) -> c_int;
        #[c_name = "deflateReset"]
        fn deflate_reset(strm: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "deflateParams"]
        fn deflate_params(
            strm: Unresolved<"z_streamp">,
            level: c_int,
            strategy: c_int,
        ) -> c_int;
        #[c_name = "deflateTune"]
        fn deflate_tune(
            strm: Unresolved<"z_streamp">,
            good_length: c_int,
            max_lazy: c_int,
            nice_length: c_int,
            max_chain: c_int,
        ) -> c_int;
        #[c_name = "deflateBound"]
        fn deflate_bound(strm: Unresolved<"z_streamp">, sourceLen: c_ulong) -> c_ulong;
        #[c_name = "deflatePending"]
        fn deflate_pending(
            strm: Unresolved<"z_streamp">,
            pending: Unresolved<
                "unsigned int *",
                guess = "Out<c_uint> if C writes one; InOut<c_uint> if it reads it too",
            >,
            bits: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> c_int;
        #[c_name = "deflatePrime"]
        fn deflate_prime(
            strm: Unresolved<"z_streamp">,
            bits: c_int,
            value: c_int,
        ) -> c_int;
        #[c_name = "deflateSetHeader"]
        fn deflate_set_header(
            strm: Unresolved<"z_streamp">,
            head: Unresolved<"gz_headerp">,
        ) -> c_int;
        #[c_name = "inflateSetDictionary"]
        fn inflate_set_dictionary(
            strm: Unresolved<"z_streamp">,
            dictionary: Unresolved<
                "const Bytef *",
                guess = "In<[c_uchar], len = dictLength> if C is done with it when the call returns (it may keep the pointer)",
            >,
            dictLength: c_uint,
        ) -> c_int;
        #[c_name = "inflateGetDictionary"]
        fn inflate_get_dictionary(
            strm: Unresolved<"z_streamp">,
            dictionary: Unresolved<"Bytef *">,
            dictLength: Unresolved<
                "uInt *",
                guess = "Out<c_uint> if C writes one; InOut<c_uint> if it reads it too",
            >,
        ) -> c_int;
        #[c_name = "inflateSync"]
        fn inflate_sync(strm: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "inflateCopy"]
        fn inflate_copy(
            dest: Unresolved<"z_streamp">,
            source: Unresolved<"z_streamp">,
        ) -> c_int;
        #[c_name = "inflateReset"]
        fn inflate_reset(strm: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "inflateReset2"]
        fn inflate_reset2(strm: Unresolved<"z_streamp">, windowBits: c_int) -> c_int;
        #[c_name = "inflatePrime"]
        fn inflate_prime(
            strm: Unresolved<"z_streamp">,
            bits: c_int,
            value: c_int,
        ) -> c_int;
        #[c_name = "inflateMark"]
        fn inflate_mark(strm: Unresolved<"z_streamp">) -> c_long;
        #[c_name = "inflateGetHeader"]
        fn inflate_get_header(
            strm: Unresolved<"z_streamp">,
            head: Unresolved<"gz_headerp">,
        ) -> c_int;
        #[c_name = "inflateBack"]
        fn inflate_back(
            strm: Unresolved<"z_streamp">,
            in_: Unresolved<"in_func">,
            in_desc: Unresolved<"void *">,
            out: Unresolved<"out_func">,
            out_desc: Unresolved<"void *">,
        ) -> c_int;
        #[c_name = "inflateBackEnd"]
        fn inflate_back_end(strm: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "zlibCompileFlags"]
        fn zlib_compile_flags() -> c_ulong;
        fn compress(
            #[c_type = "Bytef *"]
            dest: Out<[c_uchar], cap = destLen>,
            #[c_type = "uLongf *"]
            destLen: InOut<c_ulong>,
            #[c_type = "const Bytef *"]
            source: In<[c_uchar], len = sourceLen>,
            sourceLen: c_ulong,
        ) -> c_int;
        fn compress2(
            #[c_type = "Bytef *"]
            dest: Out<[c_uchar], cap = destLen>,
            #[c_type = "uLongf *"]
            destLen: InOut<c_ulong>,
            #[c_type = "const Bytef *"]
            source: In<[c_uchar], len = sourceLen>,
            sourceLen: c_ulong,
            level: c_int,
        ) -> c_int;
        #[c_name = "compressBound"]
        fn compress_bound(sourceLen: c_ulong) -> c_ulong;
        fn uncompress(
            #[c_type = "Bytef *"]
            dest: Out<[c_uchar], cap = destLen>,
            #[c_type = "uLongf *"]
            destLen: InOut<c_ulong>,
            #[c_type = "const Bytef *"]
            source: In<[c_uchar], len = sourceLen>,
            sourceLen: c_ulong,
        ) -> c_int;
        fn uncompress2(
            #[c_type = "Bytef *"]
            dest: Out<[c_uchar], cap = destLen>,
            #[c_type = "uLongf *"]
            destLen: InOut<c_ulong>,
            source: Unresolved<"const Bytef *">,
            sourceLen: Unresolved<
                "uLong *",
                guess = "Out<c_ulong> if C writes one; InOut<c_ulong> if it reads it too",
            >,
        ) -> c_int;
        fn gzdopen(fd: c_int, mode: CStr) -> Owned<GzFile>;
        fn gzbuffer(file: &GzFile, size: c_uint) -> c_int;
        fn gzsetparams(file: &GzFile, level: c_int, strategy: c_int) -> c_int;
        fn gzread(
            file: &GzFile,
            #[c_type = "voidp"]
            buf: Out<[u8], cap = len>,
            len: c_uint,
        ) -> c_int;
        fn gzfread(
            buf: Unresolved<
                "voidp",
                guess = "Out<[u8], cap = ..>: size × nitems of them, a product no one parameter holds",
            >,
            size: size_t,
            nitems: size_t,
            file: &GzFile,
        ) -> size_t;
        fn gzwrite(
            file: &GzFile,
            #[c_type = "voidpc"]
            buf: In<[u8], len = len>,
            len: c_uint,
        ) -> c_int;
        fn gzfwrite(
            buf: Unresolved<
                "voidpc",
                guess = "In<[u8], len = ..>: size × nitems of them, a product no one parameter holds",
            >,
            size: size_t,
            nitems: size_t,
            file: &GzFile,
        ) -> size_t;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn gzprintf(
            file: &GzFile,
            format: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        ) -> c_int;
        fn gzputs(file: &GzFile, s: CStr) -> c_int;
        fn gzgets(
            file: &GzFile,
            #[c_type = "char *"]
            buf: Out<[u8], cap = len>,
            len: c_int,
        ) -> Unresolved<"char *">;
        fn gzputc(file: &GzFile, c: c_int) -> c_int;
        fn gzgetc(file: &GzFile) -> c_int;
        fn gzungetc(c: c_int, file: &GzFile) -> c_int;
        fn gzflush(file: &GzFile, flush: c_int) -> c_int;
        fn gzrewind(file: &GzFile) -> c_int;
        fn gzeof(file: &GzFile) -> c_int;
        fn gzdirect(file: &GzFile) -> c_int;
        fn gzclose(file: Owned<GzFile>) -> c_int;
        fn gzclose_r(file: Owned<GzFile>) -> c_int;
        fn gzclose_w(file: Owned<GzFile>) -> c_int;
        fn gzerror(
            file: &GzFile,
            errnum: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> Borrowed<CStr>;
        fn gzclearerr(file: &GzFile);
        fn adler32(
            adler: c_ulong,
            #[c_type = "const Bytef *"]
            buf: In<[c_uchar], len = len>,
            len: c_uint,
        ) -> c_ulong;
        fn adler32_z(
            adler: c_ulong,
            #[c_type = "const Bytef *"]
            buf: In<[c_uchar], len = len>,
            len: size_t,
        ) -> c_ulong;
        fn crc32(
            crc: c_ulong,
            #[c_type = "const Bytef *"]
            buf: In<[c_uchar], len = len>,
            len: c_uint,
        ) -> c_ulong;
        fn crc32_z(
            crc: c_ulong,
            #[c_type = "const Bytef *"]
            buf: In<[c_uchar], len = len>,
            len: size_t,
        ) -> c_ulong;
        fn crc32_combine_op(crc1: c_ulong, crc2: c_ulong, op: c_ulong) -> c_ulong;
        #[c_name = "deflateInit_"]
        fn deflate_init_(
            strm: Unresolved<"z_streamp">,
            level: c_int,
            version: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            stream_size: c_int,
        ) -> c_int;
        #[c_name = "inflateInit_"]
        fn inflate_init_(
            strm: Unresolved<"z_streamp">,
            version: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            stream_size: c_int,
        ) -> c_int;
        #[c_name = "deflateInit2_"]
        fn deflate_init2_(
            strm: Unresolved<"z_streamp">,
            level: c_int,
            method: c_int,
            windowBits: c_int,
            memLevel: c_int,
            strategy: c_int,
            version: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            stream_size: c_int,
        ) -> c_int;
        #[c_name = "inflateInit2_"]
        fn inflate_init2_(
            strm: Unresolved<"z_streamp">,
            windowBits: c_int,
            version: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            stream_size: c_int,
        ) -> c_int;
        #[c_name = "inflateBackInit_"]
        fn inflate_back_init_(
            strm: Unresolved<"z_streamp">,
            windowBits: c_int,
            window: Unresolved<"unsigned char *">,
            version: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            stream_size: c_int,
        ) -> c_int;
        fn gzgetc_(file: &GzFile) -> c_int;
        fn gzopen(arg1: CStr, arg2: CStr) -> Owned<GzFile>;
        fn gzseek(arg1: &GzFile, arg2: c_long, arg3: c_int) -> c_long;
        fn gztell(arg1: &GzFile) -> c_long;
        fn gzoffset(arg1: &GzFile) -> c_long;
        fn adler32_combine(arg1: c_ulong, arg2: c_ulong, arg3: c_long) -> c_ulong;
        fn crc32_combine(arg1: c_ulong, arg2: c_ulong, arg3: c_long) -> c_ulong;
        fn crc32_combine_gen(arg1: c_long) -> c_ulong;
        #[c_name = "zError"]
        fn z_error(arg1: c_int) -> Borrowed<CStr>;
        #[c_name = "inflateSyncPoint"]
        fn inflate_sync_point(arg1: Unresolved<"z_streamp">) -> c_int;
        fn get_crc_table() -> Unresolved<"const z_crc_t *">;
        #[c_name = "inflateUndermine"]
        fn inflate_undermine(arg1: Unresolved<"z_streamp">, arg2: c_int) -> c_int;
        #[c_name = "inflateValidate"]
        fn inflate_validate(arg1: Unresolved<"z_streamp">, arg2: c_int) -> c_int;
        #[c_name = "inflateCodesUsed"]
        fn inflate_codes_used(arg1: Unresolved<"z_streamp">) -> c_ulong;
        #[c_name = "inflateResetKeep"]
        fn inflate_reset_keep(arg1: Unresolved<"z_streamp">) -> c_int;
        #[c_name = "deflateResetKeep"]
        fn deflate_reset_keep(arg1: Unresolved<"z_streamp">) -> c_int;
    }
}

// Not imported (17):
// - struct `z_stream`: field `next_in` is a pointer (`Bytef *`): a described struct holds values only
// - struct `gz_header`: field `extra` is a pointer (`Bytef *`): a described struct holds values only
// - struct `gzFile_s`: field `next` is a pointer (`unsigned char *`): a described struct holds values only
// - struct `__va_list_tag`: field `overflow_arg_area` is a pointer (`void *`): a described struct holds values only
// - callback type `alloc_func`: it returns `voidpf`, which a callback cannot describe
// - callback type `free_func`: it has 2 `void *` parameters; a described callback has exactly one, its user data
// - callback type `in_func`: parameter `arg2` is `unsigned char **`, which a callback cannot describe
// - callback type `out_func`: parameter `arg2` is `unsigned char *`, which a callback cannot describe
// - handle type `z_streamp`: no function evidently frees it; a described handle names its free function: #[opaque(c_pointer = "z_streamp", free = f)]
// - handle type `gz_headerp`: no function evidently frees it; a described handle names its free function: #[opaque(c_pointer = "gz_headerp", free = f)]
// - function `gzvprintf`: parameter `va` is a va_list
// - function-like macro `deflateInit(strm, level)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
// - function-like macro `inflateInit(strm)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
// - function-like macro `deflateInit2(strm, level, method, windowBits, memLevel, strategy)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
// - function-like macro `inflateInit2(strm, windowBits)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
// - function-like macro `inflateBackInit(strm, windowBits, window)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
// - function-like macro `gzgetc(g)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with

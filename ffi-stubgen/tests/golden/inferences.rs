// Drafted by ffi-stubgen from `inferences.h`:
//     ffi-stubgen import --header tests/golden/inferences.h --library inf -o tests/golden/inferences.rs
// 15 functions drafted, 15 whole. Every pointer's meaning was inferred: review them before trusting the draft.

use ffi_desc::foreign;
#[foreign(library = "inf", header = "inferences.h", prefix = "inf_")]
pub mod inf {
    #[c_name = "struct inf_point"]
    pub struct Point {
        pub x: c_int,
        pub y: c_int,
    }
    #[callback(c_name = "inf_visit")]
    pub type Visit = fn(
        user: UserData,
        name: CStr,
        #[c_type = "const char *"]
        text: In<[u8], len = textLen>,
        textLen: c_int,
    ) -> c_int;
    /// Freed by any of inf_close, inf_close_v2: `Drop` calls `inf_close`; choose another if it fits better.
    #[opaque(c_type = "inf_db", free = close)]
    pub struct Db;
    #[opaque(c_pointer = "inf_stmt", free = finalize)]
    pub struct Stmt;
    /// The functions of `inferences.h`.
    pub trait Inf {
        fn version() -> Borrowed<CStr>;
        fn open(path: CStr, db: Out<Owned<Db>>) -> c_int;
        fn db_new(flags: c_int) -> Owned<Db>;
        fn close(db: Owned<Db>) -> c_int;
        fn close_v2(db: Owned<Db>) -> c_int;
        fn prepare(
            #[c_type = "const char *"]
            sql: In<[u8], len = nByte>,
            nByte: c_int,
            stmt: Out<Owned<Stmt>>,
        ) -> c_int;
        fn finalize(stmt: Owned<Stmt>) -> c_int;
        fn step(stmt: &Stmt) -> c_int;
        fn column_count(#[c_type = "const inf_db *"] db: &Db) -> c_int;
        fn write(
            db: &Db,
            #[c_type = "const void *"]
            buf: In<[u8], len = len>,
            len: size_t,
        ) -> c_int;
        fn read(
            db: &Db,
            #[c_type = "void *"]
            buf: Out<[u8], cap = cap>,
            cap: size_t,
        ) -> c_int;
        fn copy(
            #[c_type = "const char *"]
            src: In<[u8], len = srcSize>,
            #[c_type = "char *"]
            dst: Out<[u8], cap = dstCapacity>,
            srcSize: c_int,
            dstCapacity: c_int,
        ) -> c_int;
        fn pack(
            dest: Out<[c_uchar], cap = destLen>,
            destLen: InOut<c_ulong>,
            source: In<[c_uchar], len = sourceLen>,
            sourceLen: c_ulong,
        ) -> c_int;
        fn sum(xs: In<[c_int], len = n>, n: size_t) -> c_int;
        fn norm(p: In<Point>) -> c_int;
    }
}

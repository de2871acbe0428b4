//! SQLite 3 (Debian's `libsqlite3-dev`), drafted from its header and resolved
//! by hand, with a shim for five calls the vocabulary cannot state yet.
//
// Drafted by ffi-stubgen from `sqlite3.h`:
//     ffi-stubgen import --header /usr/include/sqlite3.h --library sqlite3 -o sqlite3_draft.rs
// The draft holds 283 functions and 459 constants. This description resolves
// 43 functions, those of the statement cycle and its diagnostics (5 of them
// through the shim below), and keeps 15 constants; the other functions of
// the draft are simply not described here yet: leaving them out is not a
// judgement that they cannot be.
//
// How the draft's markers were resolved:
// - `sqlite3 *` is the handle `Sqlite3`, `sqlite3_stmt *` the handle `Stmt`:
//   `&H` while it stays open, `Owned<H>` where SQLite frees it
//   (`sqlite3_close`, `sqlite3_close_v2`, `sqlite3_finalize`).
// - `Sqlite3`'s `Drop` calls `sqlite3_close_v2`, not the draft's
//   `sqlite3_close`: with statements still unfinalized, `sqlite3_close` fails
//   with SQLITE_BUSY and the connection leaks, while `sqlite3_close_v2` lets
//   it go once the last statement is finalized. (Every statement stays valid
//   either way: no order of drops frees a connection a statement still uses.)
// - The constants are `int` in every signature that takes or returns them,
//   so they are `i32` here (the draft said `u32`).
//
// The shim (`tests/c/sqlite_shim.{h,c}`, one plain call each) stands in for
// five functions, because the vocabulary has no way yet to say:
// 1. an out-parameter handle, `sqlite3 **ppDb` / `sqlite3_stmt **ppStmt`,
//    written by C with a new handle the caller owns, next to a returned
//    status (`Out<Owned<H>>`): `sqlite3_open`, `sqlite3_prepare_v2` (whose
//    `const char **pzTail` is also an out pointer *into* an In string, which
//    the vocabulary cannot say either: the shim passes NULL);
// 2. a function-pointer parameter that must be one fixed sentinel, the
//    destructor `SQLITE_TRANSIENT` (`(void (*)(void *))-1`):
//    `sqlite3_bind_text`;
// 3. a null function pointer or null out pointer for an optional parameter
//    (`sqlite3_exec` without a row callback and without `char **errmsg`);
//    its callback `int (*)(void *, int, char **, char **)` also passes
//    arrays of strings, which a described callback cannot take;
// 4. a returned string spelled other than `const char *` / `char *`
//    (`const unsigned char *`), and a returned NULL that is a value rather
//    than an error (SQL NULL): `sqlite3_column_text`. Through the shim a NULL
//    column is `Err(NullReturn)`; `column_type` tells it from a failure.
// The shim is compiled into this crate (Linked, Isolated) and into
// `libffi_sqlite_shim.so`, which links `libsqlite3.so.0`; the Loaded linkage
// opens that object, and finds SQLite's own functions through its
// dependency (`dlsym` searches an object's dependencies).

use ffi_desc::foreign;

#[foreign(
    library = "sqlite3",
    header = "sqlite3.h",
    header = "sqlite_shim.h",
    soname = "libsqlite3.so.0",
    prefix = "sqlite3_"
)]
pub mod sqlite {
    /// `SQLITE_VERSION_NUMBER` of the header the draft was made from.
    pub const SQLITE_VERSION_NUMBER: i32 = 3040001;
    /// Result: success.
    pub const SQLITE_OK: i32 = 0;
    /// Result: generic error.
    pub const SQLITE_ERROR: i32 = 1;
    /// Result: the database file is locked.
    pub const SQLITE_BUSY: i32 = 5;
    /// Result: the database cannot be opened.
    pub const SQLITE_CANTOPEN: i32 = 14;
    /// Result: a constraint was violated.
    pub const SQLITE_CONSTRAINT: i32 = 19;
    /// Result: the library was used incorrectly.
    pub const SQLITE_MISUSE: i32 = 21;
    /// Result: a bind index is out of range.
    pub const SQLITE_RANGE: i32 = 25;
    /// `sqlite3_step`: a row is ready.
    pub const SQLITE_ROW: i32 = 100;
    /// `sqlite3_step`: the statement has finished.
    pub const SQLITE_DONE: i32 = 101;
    /// Column type: integer.
    pub const SQLITE_INTEGER: i32 = 1;
    /// Column type: floating point.
    pub const SQLITE_FLOAT: i32 = 2;
    /// Column type: text.
    pub const SQLITE_TEXT: i32 = 3;
    /// Column type: blob.
    pub const SQLITE_BLOB: i32 = 4;
    /// Column type: NULL.
    pub const SQLITE_NULL: i32 = 5;

    /// A database connection.
    #[opaque(c_type = "sqlite3", free = close_v2)]
    pub struct Sqlite3;

    /// A prepared statement.
    #[opaque(c_type = "sqlite3_stmt", free = finalize)]
    pub struct Stmt;

    /// SQLite 3.
    pub trait Sqlite {
        /// The library's version (`"3.40.1"`).
        fn libversion() -> Borrowed<CStr>;
        /// The library's version as a number (`3040001`).
        fn libversion_number() -> c_int;
        /// The check-in the library was built from.
        fn sourceid() -> Borrowed<CStr>;
        /// The threading mode the library was compiled with (0: none).
        fn threadsafe() -> c_int;

        /// Opens a connection (shim over `sqlite3_open`; `":memory:"` for an
        /// in-memory database). As `sqlite3_open`, the connection is returned
        /// even when opening fails: `errcode` and `errmsg` say why.
        #[c_name = "shim_sqlite3_open"]
        fn open(filename: CStr) -> Owned<Sqlite3>;
        /// Closes a connection; SQLITE_BUSY (and the connection stays open,
        /// unreachable) while statements are unfinalized.
        fn close(db: Owned<Sqlite3>) -> c_int;
        /// Closes a connection, at once or when its last statement is finalized.
        fn close_v2(db: Owned<Sqlite3>) -> c_int;
        /// Runs every statement of `sql`, discarding rows (shim over
        /// `sqlite3_exec` without a callback); the message is in `errmsg`.
        #[c_name = "shim_sqlite3_exec"]
        fn exec(db: &Sqlite3, sql: CStr) -> c_int;

        /// The last result code of the connection.
        fn errcode(db: &Sqlite3) -> c_int;
        /// The last extended result code of the connection.
        fn extended_errcode(db: &Sqlite3) -> c_int;
        /// The message of the connection's last error.
        fn errmsg(db: &Sqlite3) -> Borrowed<CStr>;
        /// The message of a result code.
        fn errstr(code: c_int) -> Borrowed<CStr>;
        /// Rows changed by the last INSERT, UPDATE or DELETE.
        fn changes(db: &Sqlite3) -> c_int;
        /// Rows changed since the connection opened.
        fn total_changes(db: &Sqlite3) -> c_int;
        /// The rowid of the last successful INSERT.
        fn last_insert_rowid(db: &Sqlite3) -> c_longlong;
        /// Whether the connection is in autocommit mode.
        fn get_autocommit(db: &Sqlite3) -> c_int;
        /// Sets how long to retry when a table is locked.
        fn busy_timeout(db: &Sqlite3, ms: c_int) -> c_int;
        /// Whether `sql` ends with a complete statement.
        fn complete(sql: CStr) -> c_int;

        /// Compiles the first statement of `sql` (shim over
        /// `sqlite3_prepare_v2`); `Err(NullReturn)` on error (see `errcode`)
        /// or when `sql` holds no statement (`errcode` is then SQLITE_OK).
        #[c_name = "shim_sqlite3_prepare_v2"]
        fn prepare_v2(db: &Sqlite3, sql: CStr) -> Owned<Stmt>;
        /// Runs the statement to its next row: SQLITE_ROW, SQLITE_DONE or an error.
        fn step(stmt: &Stmt) -> c_int;
        /// Rewinds the statement, keeping its bindings.
        fn reset(stmt: &Stmt) -> c_int;
        /// Sets every parameter back to NULL.
        fn clear_bindings(stmt: &Stmt) -> c_int;
        /// Destroys the statement.
        fn finalize(stmt: Owned<Stmt>) -> c_int;
        /// The statement's SQL text.
        fn sql(stmt: &Stmt) -> Borrowed<CStr>;
        /// Whether the statement writes nothing.
        fn stmt_readonly(stmt: &Stmt) -> c_int;
        /// Whether the statement has stepped and not finished.
        fn stmt_busy(stmt: &Stmt) -> c_int;

        /// How many parameters the statement has.
        fn bind_parameter_count(stmt: &Stmt) -> c_int;
        /// The index of the parameter named `name` (`:x`, `@x`, `$x`), 0 if none.
        fn bind_parameter_index(stmt: &Stmt, name: CStr) -> c_int;
        /// The name of parameter `index` (1-based); `Err(NullReturn)` when it has none.
        fn bind_parameter_name(stmt: &Stmt, index: c_int) -> Borrowed<CStr>;
        /// Binds an `int` to parameter `index` (1-based).
        fn bind_int(stmt: &Stmt, index: c_int, value: c_int) -> c_int;
        /// Binds a 64-bit integer to parameter `index`.
        fn bind_int64(stmt: &Stmt, index: c_int, value: c_longlong) -> c_int;
        /// Binds a double to parameter `index`.
        fn bind_double(stmt: &Stmt, index: c_int, value: f64) -> c_int;
        /// Binds NULL to parameter `index`.
        fn bind_null(stmt: &Stmt, index: c_int) -> c_int;
        /// Binds UTF-8 text to parameter `index`; SQLite copies it (shim over
        /// `sqlite3_bind_text` with SQLITE_TRANSIENT).
        #[c_name = "shim_sqlite3_bind_text"]
        fn bind_text(
            stmt: &Stmt,
            index: c_int,
            #[c_type = "const char *"] text: In<[u8], len = n>,
            n: c_int,
        ) -> c_int;

        /// How many columns the statement's rows have.
        fn column_count(stmt: &Stmt) -> c_int;
        /// How many columns the current row has (0 without a row).
        fn data_count(stmt: &Stmt) -> c_int;
        /// The name of column `column` (0-based).
        fn column_name(stmt: &Stmt, column: c_int) -> Borrowed<CStr>;
        /// The type of column `column` of the current row (SQLITE_INTEGER, ...).
        fn column_type(stmt: &Stmt, column: c_int) -> c_int;
        /// Column `column` of the current row as an `int`.
        fn column_int(stmt: &Stmt, column: c_int) -> c_int;
        /// Column `column` of the current row as a 64-bit integer.
        fn column_int64(stmt: &Stmt, column: c_int) -> c_longlong;
        /// Column `column` of the current row as a double.
        fn column_double(stmt: &Stmt, column: c_int) -> f64;
        /// Column `column` of the current row as text (shim over
        /// `sqlite3_column_text`); `Err(NullReturn)` for an SQL NULL.
        #[c_name = "shim_sqlite3_column_text"]
        fn column_text(stmt: &Stmt, column: c_int) -> Borrowed<CStr>;
        /// The size in bytes of column `column` as text or blob.
        fn column_bytes(stmt: &Stmt, column: c_int) -> c_int;
    }
}

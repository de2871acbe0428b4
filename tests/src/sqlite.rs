//! SQLite 3 (Debian's `libsqlite3-dev`), drafted from its header and resolved
//! by hand, described directly: no C of this crate stands between the
//! description and `libsqlite3`.
//
// Drafted by ffi-stubgen from `sqlite3.h`:
//     ffi-stubgen import --header /usr/include/sqlite3.h --library sqlite3 -o ffi-stubgen/tests/drafts/sqlite3.rs
// (committed there; `committed_drafts_are_unchanged` re-imports it). The
// draft holds 281 functions, 129 of them whole. This description resolves
// 64 functions, those of the statement cycle and its diagnostics and those
// of scalar SQL functions written in Rust, and keeps 22 constants; the other
// functions of the draft are simply not described here yet: leaving them
// out is not a judgement that they cannot be.
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
// - `sqlite3 **ppDb` is `Out<Owned<Sqlite3>>`: SQLite writes a connection
//   even when opening fails (its `errcode` and `errmsg` say why, and it must
//   still be closed), and NULL only when it cannot allocate one, which is
//   `Error::NullOut`. `open_v2`'s `zVfs` is `Option<CStr>` (NULL: the
//   default VFS).
// - `sqlite3_prepare_v2`'s `sqlite3_stmt **ppStmt` is
//   `Out<Option<Owned<Stmt>>>`: NULL on error and for SQL that holds no
//   statement (a comment, white space). The draft's `zSql: CStr` with
//   `nByte: c_int` is `In<[u8], len = n>`, so SQLite reads exactly the
//   caller's bytes: with a `CStr` and a caller-given `nByte`, a wrong
//   `nByte` would make it read past the string. `const char **pzTail` is
//   `Out<Tail<sql>>`, the offset into `sql` of what follows the first
//   statement. `bind_text`'s drafted `CStr` with its `int` length is
//   `In<[u8], len = n>` for the same reason.
// - `sqlite3_bind_text`'s and `sqlite3_bind_blob`'s destructor
//   `void (*)(void *)` is always `SQLITE_TRANSIENT`, `(sqlite3_destructor_type)-1`,
//   so SQLite copies the bytes before returning: `Sentinel<-1>`, which the
//   check unit asserts equal to the header's macro.
// - `sqlite3_column_text` returns `const unsigned char *`, NULL for an SQL
//   NULL: `#[c_type = "const unsigned char *"]` with `Option<Borrowed<CStr>>`.
//   `sqlite3_column_blob` returns `const void *` whose length
//   `sqlite3_column_bytes` gives, called right after as SQLite requires:
//   `Option<Borrowed<[u8], len = column_bytes>>` (NULL for an SQL NULL and
//   for an empty blob; `column_type` tells them apart).
// - `sqlite3_exec`'s `char **errmsg` is `Out<Option<Owned<CStr, free =
//   free>>>`: the message SQLite allocates, copied and freed with
//   `sqlite3_free` (by the domain, for the Isolated linkage). Its
//   `int (*callback)(void *, int, char **, char **)` is
//   `Option<Callback<ExecRow>>` (`None`: rows are discarded) with the
//   `void *` after it as its `UserData`; `ExecRow`'s `argv` is
//   `In<[Option<CStr>], len = argc>` (NULL for an SQL NULL) and its column
//   names `In<[CStr], len = argc>`, both `char **` in C, so the closure gets
//   `&[Option<&CStr>]` and `&[&CStr]`.
// - `sqlite3_free`'s `void *` is the `CStr` it frees (`#[c_type = "void *"]`);
//   the linkages call it, it is no method.
// - `sqlite3_context *` is the draft's scoped handle (`Ctx` here): SQLite
//   only lends it to a function's callbacks, and no function returns it,
//   writes it out or frees it, so its functions take `&Ctx`.
//   `sqlite3_value *` is the handle `Value`, freed by `sqlite3_value_free`
//   (`value_dup` returns one the caller owns, `Option`: NULL when out of
//   memory); `value_text` is `column_text`'s shape.
// - `sqlite3_create_function_v2`'s `xFunc`, `void (*)(sqlite3_context *,
//   int, sqlite3_value **)`, takes no `void *`: its user data is what
//   `sqlite3_user_data(ctx)` returns, the `pApp` given with it, so the
//   callback type `ScalarFn` says `#[user_data = user_data]` on `ctx`, and
//   `pApp` is the function's `UserData`. The draft leaves `argv` to a person
//   (that `argc` counts it is a guess by position): it is `In<[&Value], len
//   = argc>`, so the closure gets `&[&Value]`. `xFunc` is `stored` (SQLite
//   keeps it until the connection closes or the function is replaced);
//   `xStep`, `xFinal` and `xDestroy` are NULL (`Sentinel<0>`): scalar
//   functions only, and the linkage frees the closure, not SQLite.
// - `sqlite3_result_text`'s text is `In<[u8], len = n>` with its
//   destructor `SQLITE_TRANSIENT`, as `bind_text`; `sqlite3_result_error`
//   copies its message, counted by its `int`.
// - The constants are `int` in every signature that takes or returns them,
//   so they are `i32` here (the draft said `u32`).

use ffi_desc::foreign;

#[foreign(
    library = "sqlite3",
    header = "sqlite3.h",
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
    /// Result: a callback asked for an abort.
    pub const SQLITE_ABORT: i32 = 4;
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

    /// `sqlite3_open_v2`: open for reading and writing.
    pub const SQLITE_OPEN_READWRITE: i32 = 0x2;
    /// `sqlite3_open_v2`: create the database if it does not exist.
    pub const SQLITE_OPEN_CREATE: i32 = 0x4;
    /// `sqlite3_open_v2`: an in-memory database.
    pub const SQLITE_OPEN_MEMORY: i32 = 0x80;
    /// `sqlite3_open_v2`: open for reading only.
    pub const SQLITE_OPEN_READONLY: i32 = 0x1;

    /// A database connection.
    #[opaque(c_type = "sqlite3", free = close_v2)]
    pub struct Sqlite3;

    /// A prepared statement.
    #[opaque(c_type = "sqlite3_stmt", free = finalize)]
    pub struct Stmt;

    /// The context of one call of an SQL function: SQLite lends it to the
    /// function's callback, for that callback's duration, and sets the
    /// call's result through it.
    #[opaque(c_type = "sqlite3_context", scoped)]
    pub struct Ctx;

    /// An SQL value: lent to an SQL function's callback as its arguments;
    /// owned when copied with `value_dup`.
    #[opaque(c_type = "sqlite3_value", free = value_free)]
    pub struct Value;

    /// `sqlite3_create_function_v2`'s `xFunc`: one call of a scalar SQL
    /// function, with its context and arguments. Its user data is what
    /// `sqlite3_user_data` gives for the context.
    pub type ScalarFn =
        fn(#[user_data = user_data] ctx: &Ctx, argc: c_int, argv: In<[&Value], len = argc>);

    /// `sqlite3_create_function_v2`'s `eTextRep`: the function takes UTF-8.
    pub const SQLITE_UTF8: i32 = 1;
    /// `eTextRep` flag: the same arguments always give the same result.
    pub const SQLITE_DETERMINISTIC: i32 = 0x800;

    /// `sqlite3_exec`'s row callback: the row's values (`None` for an SQL
    /// NULL) and the column names; nonzero stops `exec` (SQLITE_ABORT).
    /// The header names no type for it.
    pub type ExecRow = fn(
        user: UserData,
        argc: c_int,
        #[c_type = "char **"] argv: In<[Option<CStr>], len = argc>,
        #[c_type = "char **"] names: In<[CStr], len = argc>,
    ) -> c_int;

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

        /// Opens a connection (`":memory:"` for an in-memory database). The
        /// connection is returned even when opening fails: `errcode` and
        /// `errmsg` say why.
        fn open(filename: CStr, db: Out<Owned<Sqlite3>>) -> c_int;
        /// Opens a connection with `SQLITE_OPEN_*` flags, through the VFS
        /// named `vfs` (`None`: the default one). As `open`, the connection
        /// is returned even when opening fails.
        fn open_v2(
            filename: CStr,
            db: Out<Owned<Sqlite3>>,
            flags: c_int,
            vfs: Option<CStr>,
        ) -> c_int;
        /// Closes a connection; SQLITE_BUSY (and the connection stays open,
        /// unreachable) while statements are unfinalized.
        fn close(db: Owned<Sqlite3>) -> c_int;
        /// Closes a connection, at once or when its last statement is finalized.
        fn close_v2(db: Owned<Sqlite3>) -> c_int;
        /// Runs every statement of `sql`, calling `callback` with each row
        /// (`None`: rows are discarded); on an error, its message.
        fn exec(
            db: &Sqlite3,
            sql: CStr,
            callback: Option<Callback<ExecRow>>,
            arg: UserData,
            errmsg: Out<Option<Owned<CStr, free = free>>>,
        ) -> c_int;
        /// Frees what SQLite allocated (`exec`'s message); the linkages call it.
        fn free(#[c_type = "void *"] p: CStr);

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

        /// Compiles the first statement of `sql`: the result code, the
        /// statement (`None` on error, or when `sql` holds no statement), and
        /// the offset in `sql` of what follows it.
        fn prepare_v2(
            db: &Sqlite3,
            #[c_type = "const char *"] sql: In<[u8], len = n>,
            n: c_int,
            stmt: Out<Option<Owned<Stmt>>>,
            tail: Out<Tail<sql>>,
        ) -> c_int;
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
        /// Binds UTF-8 text to parameter `index`; SQLite copies it
        /// (`SQLITE_TRANSIENT`).
        fn bind_text(
            stmt: &Stmt,
            index: c_int,
            #[c_type = "const char *"] text: In<[u8], len = n>,
            n: c_int,
            #[c_type = "sqlite3_destructor_type"]
            #[c_value = "SQLITE_TRANSIENT"]
            destructor: Sentinel<-1>,
        ) -> c_int;
        /// Binds a blob to parameter `index`; SQLite copies it
        /// (`SQLITE_TRANSIENT`).
        fn bind_blob(
            stmt: &Stmt,
            index: c_int,
            #[c_type = "const void *"] blob: In<[u8], len = n>,
            n: c_int,
            #[c_type = "sqlite3_destructor_type"]
            #[c_value = "SQLITE_TRANSIENT"]
            destructor: Sentinel<-1>,
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
        /// Column `column` of the current row as text; `None` for an SQL NULL.
        #[c_type = "const unsigned char *"]
        fn column_text(stmt: &Stmt, column: c_int) -> Option<Borrowed<CStr>>;
        /// Column `column` of the current row as a blob; `None` for an SQL
        /// NULL or an empty blob.
        #[c_type = "const void *"]
        fn column_blob(stmt: &Stmt, column: c_int) -> Option<Borrowed<[u8], len = column_bytes>>;
        /// The size in bytes of column `column` as text or blob.
        fn column_bytes(stmt: &Stmt, column: c_int) -> c_int;

        /// Defines (or replaces) the scalar SQL function `name` of `n_arg`
        /// arguments (-1: any number), computed by `func`, which SQLite
        /// keeps until the connection closes or the function is replaced.
        fn create_function_v2(
            db: &Sqlite3,
            name: CStr,
            n_arg: c_int,
            text_rep: c_int,
            app: UserData,
            func: Callback<ScalarFn, stored>,
            #[c_type = "void (*)(sqlite3_context *, int, sqlite3_value **)"] step: Sentinel<0>,
            #[c_type = "void (*)(sqlite3_context *)"] last: Sentinel<0>,
            #[c_type = "void (*)(void *)"] destroy: Sentinel<0>,
        ) -> c_int;
        /// The user data of the function a context calls; the linkages call it.
        fn user_data(ctx: &Ctx) -> UserData;
        /// Sets the result of the call to an `int`.
        fn result_int(ctx: &Ctx, value: c_int);
        /// Sets the result of the call to a 64-bit integer.
        fn result_int64(ctx: &Ctx, value: c_longlong);
        /// Sets the result of the call to a double.
        fn result_double(ctx: &Ctx, value: f64);
        /// Sets the result of the call to NULL.
        fn result_null(ctx: &Ctx);
        /// Sets the result of the call to UTF-8 text; SQLite copies it
        /// (`SQLITE_TRANSIENT`).
        fn result_text(
            ctx: &Ctx,
            #[c_type = "const char *"] text: In<[u8], len = n>,
            n: c_int,
            #[c_type = "void (*)(void *)"]
            #[c_value = "SQLITE_TRANSIENT"]
            destructor: Sentinel<-1>,
        );
        /// Makes the call fail with the UTF-8 message `message` (copied).
        fn result_error(ctx: &Ctx, #[c_type = "const char *"] message: In<[u8], len = n>, n: c_int);
        /// Sets the result of the call to a copy of `value`.
        fn result_value(ctx: &Ctx, value: &Value);

        /// The type of a value (SQLITE_INTEGER, ...).
        fn value_type(value: &Value) -> c_int;
        /// A value as an `int`.
        fn value_int(value: &Value) -> c_int;
        /// A value as a 64-bit integer.
        fn value_int64(value: &Value) -> c_longlong;
        /// A value as a double.
        fn value_double(value: &Value) -> f64;
        /// A value as text; `None` for an SQL NULL.
        #[c_type = "const unsigned char *"]
        fn value_text(value: &Value) -> Option<Borrowed<CStr>>;
        /// The size in bytes of a value as text or blob.
        fn value_bytes(value: &Value) -> c_int;
        /// A copy of a value the caller owns (`None`: out of memory).
        fn value_dup(#[c_type = "const sqlite3_value *"] value: &Value) -> Option<Owned<Value>>;
        /// Frees a copy made by `value_dup`.
        fn value_free(value: Owned<Value>);
    }
}

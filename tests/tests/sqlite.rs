//! SQLite 3, drafted from its header and resolved by hand, described
//! directly (no C shim), through every linkage: the open, prepare (with its
//! tail), bind, step, column, finalize and close cycle on an in-memory
//! database, `exec` with its row callback and its error message, SQL
//! functions written in Rust (their context and arguments lent to the
//! closure), and a workload of 10,000 rows whose results are equal in every
//! linkage.

use ffi_desc::Error;
use ffi_tests::behaviours;
use ffi_tests::sqlite::sqlite::*;
use std::ffi::CString;

behaviours!(
    sqlite: version,
    statement_cycle,
    tails,
    bindings,
    column_types_and_names,
    errors,
    close_with_live_statement,
    exec_rows,
    workload,
    sql_function_twice,
    sql_function_text,
    sql_function_error,
    sql_function_arguments,
    sql_function_on_many_rows,
);

/// A new in-memory database.
fn open_memory<L: Sqlite>(lib: &L) -> Sqlite3 {
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    let (rc, db) = lib.open_v2(":memory:", flags, None).unwrap();
    assert_eq!(rc, SQLITE_OK, "{:?}", lib.errmsg(&db));
    db
}

/// Runs `sql`, which must succeed.
fn exec_ok<L: Sqlite>(lib: &L, db: &Sqlite3, sql: &str) {
    assert_eq!(lib.exec(db, sql, None).unwrap(), (SQLITE_OK, None), "{sql}");
}

/// The statement `sql`, which must compile and be whole.
fn prepare<L: Sqlite>(lib: &L, db: &Sqlite3, sql: &str) -> Stmt {
    let (rc, stmt, tail) = lib.prepare_v2(db, sql.as_bytes()).unwrap();
    assert_eq!(rc, SQLITE_OK, "{sql}: {:?}", lib.errmsg(db));
    assert_eq!(tail, sql.len(), "{sql}: one statement");
    stmt.expect("a statement")
}

fn version<L: Sqlite>(lib: &L) {
    let v = lib.libversion().unwrap();
    assert!(v.to_str().unwrap().starts_with("3."), "{v:?}");
    assert!(lib.libversion_number().unwrap() >= 3_040_000);
    assert!(!lib.sourceid().unwrap().is_empty());
    assert!(lib.threadsafe().is_ok());
    assert_eq!(lib.complete("select 1;").unwrap(), 1);
    assert_eq!(lib.complete("select 1").unwrap(), 0);
}

/// Every row of `sql` as (int column 0, text column 1).
fn rows<L: Sqlite>(lib: &L, db: &Sqlite3, sql: &str) -> Vec<(i32, String)> {
    let stmt = prepare(lib, db, sql);
    assert_eq!(lib.column_count(&stmt).unwrap(), 2);
    let mut out = Vec::new();
    loop {
        match lib.step(&stmt).unwrap() {
            SQLITE_ROW => out.push((
                lib.column_int(&stmt, 0).unwrap(),
                lib.column_text(&stmt, 1)
                    .unwrap()
                    .expect("text")
                    .into_string()
                    .unwrap(),
            )),
            SQLITE_DONE => break,
            other => panic!("step: {other}"),
        }
    }
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    out
}

fn statement_cycle<L: Sqlite>(lib: &L) {
    let (rc, db) = lib.open(":memory:").unwrap();
    assert_eq!(rc, SQLITE_OK);
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_OK);
    exec_ok(
        lib,
        &db,
        "create table t(id integer primary key, name text not null);
         insert into t(name) values ('one'), ('two'), ('three');",
    );
    assert_eq!(lib.changes(&db).unwrap(), 3);
    assert_eq!(lib.last_insert_rowid(&db).unwrap(), 3);
    assert_eq!(
        rows(lib, &db, "select id, name from t order by id"),
        [(1, "one".into()), (2, "two".into()), (3, "three".into())]
    );
    assert_eq!(
        rows(lib, &db, "select count(*), group_concat(name, '+') from t"),
        [(3, "one+two+three".into())]
    );
    assert_eq!(lib.close(db).unwrap(), SQLITE_OK);
}

/// `prepare_v2` over several statements: each tail is the offset of the
/// next, and what remains after the last holds no statement.
fn tails<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    let script = "create table t(x);  insert into t values (1), (2);select sum(x) from t; -- done";
    let mut at = 0;
    let mut sums = Vec::new();
    let mut statements = 0;
    loop {
        let (rc, stmt, tail) = lib.prepare_v2(&db, &script.as_bytes()[at..]).unwrap();
        assert_eq!(rc, SQLITE_OK);
        assert!(at + tail <= script.len());
        let Some(stmt) = stmt else {
            assert_eq!(&script[at..], " -- done", "only a comment remains");
            break;
        };
        statements += 1;
        while lib.step(&stmt).unwrap() == SQLITE_ROW {
            sums.push(lib.column_int64(&stmt, 0).unwrap());
        }
        at += tail;
        assert!(tail > 0);
    }
    assert_eq!((statements, sums), (3, vec![3]));
    // An empty input: no statement, nothing consumed.
    assert!(matches!(
        lib.prepare_v2(&db, b"").unwrap(),
        (SQLITE_OK, None, 0)
    ));
    // An error: no statement; the tail still lies within the input.
    let (rc, stmt, tail) = lib.prepare_v2(&db, b"selec 1; select 2").unwrap();
    assert_eq!(rc, SQLITE_ERROR);
    assert!(stmt.is_none());
    assert!(tail <= 17);
}

fn bindings<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    exec_ok(
        lib,
        &db,
        "create table kv(k integer, v text, big integer, f real, b blob)",
    );
    let ins = prepare(lib, &db, "insert into kv values (?1, :v, @big, $f, ?5)");
    assert_eq!(lib.bind_parameter_count(&ins).unwrap(), 5);
    assert_eq!(lib.bind_parameter_index(&ins, ":v").unwrap(), 2);
    assert_eq!(lib.bind_parameter_index(&ins, ":nope").unwrap(), 0);
    assert_eq!(
        lib.bind_parameter_name(&ins, 3).unwrap().to_str().unwrap(),
        "@big"
    );
    assert_eq!(
        lib.bind_parameter_name(&ins, 1).unwrap().to_str().unwrap(),
        "?1"
    );
    assert_eq!(lib.stmt_readonly(&ins).unwrap(), 0);
    let text = "h\u{e9}llo, \u{4e16}\u{754c}";
    for i in 0..50 {
        assert_eq!(lib.bind_int(&ins, 1, i).unwrap(), SQLITE_OK);
        // Bound from temporaries: SQLite copies them (SQLITE_TRANSIENT).
        let v = format!("{text} #{i}");
        assert_eq!(lib.bind_text(&ins, 2, v.as_bytes()).unwrap(), SQLITE_OK);
        drop(v);
        assert_eq!(
            lib.bind_int64(&ins, 3, i as i64 * 10_000_000_000).unwrap(),
            SQLITE_OK
        );
        assert_eq!(lib.bind_double(&ins, 4, i as f64 / 4.0).unwrap(), SQLITE_OK);
        let b: Vec<u8> = (0..i as u8).collect();
        assert_eq!(lib.bind_blob(&ins, 5, &b).unwrap(), SQLITE_OK);
        drop(b);
        assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
        assert_eq!(lib.reset(&ins).unwrap(), SQLITE_OK);
    }
    assert_eq!(lib.bind_int(&ins, 6, 0).unwrap(), SQLITE_RANGE);
    assert_eq!(lib.bind_text(&ins, 0, b"x").unwrap(), SQLITE_RANGE);
    assert_eq!(lib.clear_bindings(&ins).unwrap(), SQLITE_OK);
    assert_eq!(lib.bind_null(&ins, 1).unwrap(), SQLITE_OK);
    assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
    assert_eq!(lib.finalize(ins).unwrap(), SQLITE_OK);
    assert_eq!(lib.total_changes(&db).unwrap(), 51);

    let sel = prepare(lib, &db, "select k, v, big, f, b from kv where k = ?");
    assert_eq!(
        lib.sql(&sel).unwrap().to_str().unwrap(),
        "select k, v, big, f, b from kv where k = ?"
    );
    assert_eq!(lib.stmt_readonly(&sel).unwrap(), 1);
    lib.bind_int(&sel, 1, 42).unwrap();
    assert_eq!(lib.step(&sel).unwrap(), SQLITE_ROW);
    assert_eq!(lib.stmt_busy(&sel).unwrap(), 1);
    assert_eq!(
        lib.column_text(&sel, 1).unwrap().unwrap().to_str().unwrap(),
        format!("{text} #42")
    );
    assert_eq!(lib.column_int64(&sel, 2).unwrap(), 420_000_000_000);
    assert_eq!(lib.column_double(&sel, 3).unwrap(), 10.5);
    assert_eq!(
        lib.column_blob(&sel, 4).unwrap(),
        Some((0..42).collect::<Vec<u8>>())
    );
    assert_eq!(lib.column_bytes(&sel, 4).unwrap(), 42);
    assert_eq!(lib.step(&sel).unwrap(), SQLITE_DONE);
    drop(sel); // Drop finalizes.
    drop(db); // Drop closes (sqlite3_close_v2).
}

fn column_types_and_names<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    let stmt = prepare(
        lib,
        &db,
        "select 7 as i, 2.5 as f, 'txt' as t, x'00ff' as b, null as n, x'' as e, '' as s",
    );
    assert_eq!(lib.data_count(&stmt).unwrap(), 0, "no row yet");
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ROW);
    assert_eq!(lib.data_count(&stmt).unwrap(), 7);
    let names: Vec<String> = (0..7)
        .map(|c| lib.column_name(&stmt, c).unwrap().into_string().unwrap())
        .collect();
    assert_eq!(names, ["i", "f", "t", "b", "n", "e", "s"]);
    let types: Vec<i32> = (0..7).map(|c| lib.column_type(&stmt, c).unwrap()).collect();
    assert_eq!(
        types,
        [
            SQLITE_INTEGER,
            SQLITE_FLOAT,
            SQLITE_TEXT,
            SQLITE_BLOB,
            SQLITE_NULL,
            SQLITE_BLOB,
            SQLITE_TEXT
        ]
    );
    assert_eq!(lib.column_int(&stmt, 0).unwrap(), 7);
    assert_eq!(lib.column_double(&stmt, 1).unwrap(), 2.5);
    assert_eq!(lib.column_text(&stmt, 2).unwrap().as_deref(), Some(c"txt"));
    assert_eq!(lib.column_blob(&stmt, 3).unwrap(), Some(vec![0, 0xff]));
    assert_eq!(lib.column_bytes(&stmt, 3).unwrap(), 2);
    // An SQL NULL is a null pointer: `None`, not an error.
    assert_eq!(lib.column_text(&stmt, 4).unwrap(), None);
    assert_eq!(lib.column_blob(&stmt, 4).unwrap(), None);
    // An empty blob is a null pointer too; an empty text is not.
    assert_eq!(lib.column_blob(&stmt, 5).unwrap(), None);
    assert_eq!(lib.column_text(&stmt, 6).unwrap().as_deref(), Some(c""));
    // Out of range: SQLite answers NULL and 0, never reads past the row.
    assert!(lib.column_name(&stmt, 99).is_err());
    assert_eq!(lib.column_int(&stmt, 99).unwrap(), 0);
    assert_eq!(lib.column_text(&stmt, 99).unwrap(), None);
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    assert_eq!(lib.close_v2(db).unwrap(), SQLITE_OK);
}

fn errors<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    assert_eq!(lib.busy_timeout(&db, 100).unwrap(), SQLITE_OK);
    assert_eq!(lib.get_autocommit(&db).unwrap(), 1);
    let (rc, stmt, _) = lib.prepare_v2(&db, b"selec 1").unwrap();
    assert_eq!((rc, stmt.is_none()), (SQLITE_ERROR, true));
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_ERROR);
    assert_eq!(lib.extended_errcode(&db).unwrap(), SQLITE_ERROR);
    let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
    assert!(msg.contains("syntax error"), "{msg}");
    // No statement at all: no handle, but no error either.
    let (rc, stmt, tail) = lib.prepare_v2(&db, b"  -- nothing").unwrap();
    assert_eq!((rc, stmt.is_none(), tail), (SQLITE_OK, true, 12));
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_OK);
    // exec's message, allocated by SQLite, copied and freed.
    let (rc, msg) = lib.exec(&db, "select * from missing", None).unwrap();
    assert_eq!(rc, SQLITE_ERROR);
    assert_eq!(msg, Some(CString::new("no such table: missing").unwrap()));
    let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
    assert!(msg.contains("no such table: missing"), "{msg}");
    exec_ok(
        lib,
        &db,
        "create table u(x unique); insert into u values (1)",
    );
    let (rc, msg) = lib.exec(&db, "insert into u values (1)", None).unwrap();
    assert_eq!(rc, SQLITE_CONSTRAINT);
    assert!(msg.unwrap().to_str().unwrap().contains("UNIQUE"));
    assert_eq!(
        lib.errstr(SQLITE_BUSY).unwrap().to_str().unwrap(),
        "database is locked"
    );
    assert_eq!(lib.close(db).unwrap(), SQLITE_OK);
}

fn close_with_live_statement<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    let stmt = prepare(lib, &db, "select 1, 'a'");
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ROW);
    // The connection's Drop is sqlite3_close_v2: it waits for the statement.
    drop(db);
    assert_eq!(lib.column_int(&stmt, 0).unwrap(), 1);
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
}

/// `exec` with its row callback: values (`None` for NULL) and names for
/// each row of each statement; a nonzero return aborts; a panic is stopped.
fn exec_rows<L: Sqlite>(lib: &L) {
    let db = open_memory(lib);
    exec_ok(
        lib,
        &db,
        "create table t(a integer, b text); insert into t values (1, 'one'), (2, null), (3, 'three')",
    );
    let mut seen: Vec<(Vec<Option<String>>, Vec<String>)> = Vec::new();
    let (rc, msg) = lib
        .exec(
            &db,
            "select a, b from t order by a; select count(*) as n from t",
            Some(&mut |argv, names| {
                let values = argv
                    .iter()
                    .map(|v| v.map(|s| s.to_str().unwrap().to_owned()))
                    .collect();
                let names = names
                    .iter()
                    .map(|n| n.to_str().unwrap().to_owned())
                    .collect();
                seen.push((values, names));
                0
            }),
        )
        .unwrap();
    assert_eq!((rc, msg), (SQLITE_OK, None));
    let s = |v: &str| Some(v.to_owned());
    let ab = || vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(
        seen,
        [
            (vec![s("1"), s("one")], ab()),
            (vec![s("2"), None], ab()),
            (vec![s("3"), s("three")], ab()),
            (vec![s("3")], vec!["n".to_owned()]),
        ],
        "an SQL NULL is None, never an empty string"
    );
    // Nonzero stops exec after that row.
    let mut calls = 0;
    let (rc, msg) = lib
        .exec(
            &db,
            "select a from t",
            Some(&mut |_, _| {
                calls += 1;
                1
            }),
        )
        .unwrap();
    assert_eq!((rc, calls), (SQLITE_ABORT, 1));
    assert_eq!(msg.unwrap().to_str().unwrap(), "query aborted");
    // A panic in the callback is stopped at the boundary.
    let e = lib
        .exec(
            &db,
            "select a from t",
            Some(&mut |_, _| panic!("deliberate")),
        )
        .unwrap_err();
    assert_eq!(e, Error::CallbackPanicked { function: "exec" });
    exec_ok(lib, &db, "select 1");
}

/// Opening a path that cannot exist: SQLite still returns a connection, whose
/// error says why. Not run isolated: the domain's sandbox has no file system.
mod open_failure {
    use super::*;

    fn open_failure<L: Sqlite>(lib: &L) {
        let (rc, db) = lib.open("/nonexistent-dir/db.sqlite").unwrap();
        assert_eq!(rc, SQLITE_CANTOPEN);
        assert_eq!(lib.errcode(&db).unwrap(), SQLITE_CANTOPEN);
        let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
        assert!(msg.contains("unable to open"), "{msg}");
        assert_eq!(lib.close(db).unwrap(), SQLITE_OK);
        let (rc, db) = lib
            .open_v2("/nonexistent-dir/db.sqlite", SQLITE_OPEN_READONLY, None)
            .unwrap();
        assert_eq!(rc, SQLITE_CANTOPEN);
        drop(db);
        // A VFS that does not exist: SQLite names it.
        let (rc, db) = lib
            .open_v2(":memory:", SQLITE_OPEN_READWRITE, Some(c"no-such-vfs"))
            .unwrap();
        assert_eq!(rc, SQLITE_ERROR);
        let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
        assert!(msg.contains("no such vfs: no-such-vfs"), "{msg}");
    }

    #[test]
    fn linked() {
        open_failure(&ffi_tests::harness::sqlite::linked());
    }

    #[test]
    fn loaded() {
        open_failure(&ffi_tests::harness::sqlite::loaded());
    }

    #[test]
    fn loopback() {
        open_failure(&ffi_tests::harness::sqlite::loopback());
    }
}

// ---------------------------------------------------------------------------
// The workload: 10,000 rows inserted with bound parameters in one
// transaction, queried back with aggregates, row by row, and through
// `exec`'s callback.

/// Rows the workload inserts.
const ROWS: i64 = 10_000;

/// The row `id` as the workload inserts it: its name, its score (NULL for
/// every tenth row) and its data (empty for every seventh).
fn row(id: i64) -> (String, Option<i64>, Vec<u8>) {
    let name = format!("row {id} \u{e9}\u{4e16}");
    let score = (id % 10 != 0).then_some((id * id) % 1000 - 500);
    let data = (0..(id % 7) * 3).map(|k| (id + k) as u8).collect();
    (name, score, data)
}

/// What the workload finds: the aggregates, and a digest of every row read
/// back (each of which is also checked against [`row`]).
#[derive(Debug, PartialEq)]
struct Found {
    count: i64,
    score_sum: i64,
    scores: i64,
    data_bytes: i64,
    max_name: String,
    digest: u64,
    /// The same rows read through `exec`'s callback.
    exec_digest: u64,
}

fn fnv(digest: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *digest = (*digest ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
}

fn insert_rows<L: Sqlite>(lib: &L, db: &Sqlite3) {
    exec_ok(lib, db, "begin");
    let ins = prepare(
        lib,
        db,
        "insert into t(id, name, score, data) values (?, ?, ?, ?)",
    );
    for id in 1..=ROWS {
        let (name, score, data) = row(id);
        assert_eq!(lib.bind_int64(&ins, 1, id).unwrap(), SQLITE_OK);
        assert_eq!(lib.bind_text(&ins, 2, name.as_bytes()).unwrap(), SQLITE_OK);
        let rc = match score {
            Some(s) => lib.bind_int64(&ins, 3, s).unwrap(),
            None => lib.bind_null(&ins, 3).unwrap(),
        };
        assert_eq!(rc, SQLITE_OK);
        assert_eq!(lib.bind_blob(&ins, 4, &data).unwrap(), SQLITE_OK);
        assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
        assert_eq!(lib.reset(&ins).unwrap(), SQLITE_OK);
    }
    assert_eq!(lib.finalize(ins).unwrap(), SQLITE_OK);
    exec_ok(lib, db, "commit");
}

fn aggregates<L: Sqlite>(lib: &L, db: &Sqlite3) -> (i64, i64, i64, i64, String) {
    let agg = prepare(
        lib,
        db,
        "select count(*), sum(score), count(score), sum(length(data)), max(name) from t",
    );
    assert_eq!(lib.step(&agg).unwrap(), SQLITE_ROW);
    let col = |c| lib.column_int64(&agg, c).unwrap();
    let found = (
        col(0),
        col(1),
        col(2),
        col(3),
        lib.column_text(&agg, 4)
            .unwrap()
            .unwrap()
            .into_string()
            .unwrap(),
    );
    assert_eq!(lib.step(&agg).unwrap(), SQLITE_DONE);
    found
}

/// Reads every row back, checks it against [`row`], and digests it.
fn read_back<L: Sqlite>(lib: &L, db: &Sqlite3) -> u64 {
    let sel = prepare(lib, db, "select id, name, score, data from t order by id");
    let (mut id, mut digest) = (0, 0xcbf2_9ce4_8422_2325u64);
    while lib.step(&sel).unwrap() == SQLITE_ROW {
        id += 1;
        let (name, score, data) = row(id);
        assert_eq!(lib.column_int64(&sel, 0).unwrap(), id);
        let got_name = lib.column_text(&sel, 1).unwrap().expect("a name");
        assert_eq!(got_name.to_str().unwrap(), name, "row {id}");
        let got_score = match lib.column_type(&sel, 2).unwrap() {
            SQLITE_NULL => None,
            SQLITE_INTEGER => Some(lib.column_int64(&sel, 2).unwrap()),
            other => panic!("row {id}: score of type {other}"),
        };
        assert_eq!(got_score, score, "row {id}");
        let got_data = lib.column_blob(&sel, 3).unwrap().unwrap_or_default();
        assert_eq!(got_data, data, "row {id}");
        fnv(&mut digest, &id.to_le_bytes());
        fnv(&mut digest, got_name.as_bytes());
        fnv(&mut digest, &got_score.unwrap_or(i64::MIN).to_le_bytes());
        fnv(&mut digest, &got_data);
    }
    assert_eq!(id, ROWS, "every row came back");
    digest
}

/// Reads every row back through `exec`'s callback, checks it against
/// [`row`], and digests it.
fn read_back_by_exec<L: Sqlite>(lib: &L, db: &Sqlite3) -> u64 {
    let (mut id, mut digest) = (0, 0xcbf2_9ce4_8422_2325u64);
    let sql = "select id, name, score, hex(data) from t order by id";
    let (rc, msg) = lib
        .exec(
            db,
            sql,
            Some(&mut |argv, names| {
                id += 1;
                assert_eq!(names, [c"id", c"name", c"score", c"hex(data)"]);
                let (name, score, data) = row(id);
                let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
                let text = |v: Option<&std::ffi::CStr>| v.map(|s| s.to_str().unwrap().to_owned());
                assert_eq!(text(argv[0]), Some(id.to_string()), "row {id}");
                assert_eq!(text(argv[1]), Some(name), "row {id}");
                assert_eq!(text(argv[2]), score.map(|s| s.to_string()), "row {id}");
                assert_eq!(text(argv[3]), Some(hex), "row {id}");
                for v in argv {
                    fnv(&mut digest, v.map_or(b"\xff".as_slice(), |s| s.to_bytes()));
                }
                0
            }),
        )
        .unwrap();
    assert_eq!((rc, msg), (SQLITE_OK, None));
    assert_eq!(id, ROWS, "every row came back");
    digest
}

/// Runs the workload on a fresh database through `lib`.
fn run_workload<L: Sqlite>(lib: &L) -> Found {
    let db = open_memory(lib);
    exec_ok(
        lib,
        &db,
        "create table t(id integer primary key, name text not null, score integer, data blob)",
    );
    insert_rows(lib, &db);
    let (count, score_sum, scores, data_bytes, max_name) = aggregates(lib, &db);
    let digest = read_back(lib, &db);
    let exec_digest = read_back_by_exec(lib, &db);
    Found {
        count,
        score_sum,
        scores,
        data_bytes,
        max_name,
        digest,
        exec_digest,
    }
}

/// What the workload must find, computed in Rust.
fn expected() -> (i64, i64, i64, i64, String) {
    let rows: Vec<_> = (1..=ROWS).map(row).collect();
    let scores: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    let data_bytes = rows.iter().map(|r| r.2.len() as i64).sum();
    let max_name = rows.iter().map(|r| r.0.clone()).max().unwrap();
    (
        ROWS,
        scores.iter().sum(),
        scores.len() as i64,
        data_bytes,
        max_name,
    )
}

fn workload<L: Sqlite>(lib: &L) {
    let found = run_workload(lib);
    let (count, score_sum, scores, data_bytes, max_name) = expected();
    assert_eq!(
        (
            found.count,
            found.score_sum,
            found.scores,
            found.data_bytes,
            &found.max_name
        ),
        (count, score_sum, scores, data_bytes, &max_name)
    );
}

/// The four linkages find the same, to the last byte of every row.
#[test]
fn workload_results_are_equal_across_linkages() {
    use ffi_tests::harness::sqlite;
    let linked = run_workload(&sqlite::linked());
    assert_eq!(run_workload(&sqlite::loaded()), linked, "loaded");
    assert_eq!(run_workload(&sqlite::loopback()), linked, "loopback");
    assert_eq!(run_workload(&sqlite::isolated()), linked, "isolated");
}

/// The first row's column 0 of `sql` as an integer, and its type.
fn one_int<L: Sqlite>(lib: &L, db: &Sqlite3, sql: &str) -> (i32, i64) {
    let stmt = prepare(lib, db, sql);
    assert_eq!(
        lib.step(&stmt).unwrap(),
        SQLITE_ROW,
        "{sql}: {:?}",
        lib.errmsg(db)
    );
    let got = (
        lib.column_type(&stmt, 0).unwrap(),
        lib.column_int64(&stmt, 0).unwrap(),
    );
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    got
}

/// The first row's column 0 of `sql` as text (`None` for NULL).
fn one_text<L: Sqlite>(lib: &L, db: &Sqlite3, sql: &str) -> Option<String> {
    let stmt = prepare(lib, db, sql);
    assert_eq!(
        lib.step(&stmt).unwrap(),
        SQLITE_ROW,
        "{sql}: {:?}",
        lib.errmsg(db)
    );
    let got = lib
        .column_text(&stmt, 0)
        .unwrap()
        .map(|t| t.into_string().unwrap());
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    got
}

/// Defines the SQL function `name` of `n_arg` arguments computed by `f`.
fn define<L: Sqlite>(
    lib: &L,
    db: &Sqlite3,
    name: &str,
    n_arg: i32,
    f: impl Fn(&Ctx, &[&Value]) + Send + Sync + 'static,
) {
    let rc = lib
        .create_function_v2(db, name, n_arg, SQLITE_UTF8 | SQLITE_DETERMINISTIC, f)
        .unwrap();
    assert_eq!(rc, SQLITE_OK, "{name}: {:?}", lib.errmsg(db));
}

/// `twice(x)`: the closure reads its argument and sets the result through
/// the context SQLite lends it, each a call of the library made from inside
/// the callback.
fn sql_function_twice<L: Sqlite + Clone + Send + Sync + 'static>(lib: &L) {
    let db = open_memory(lib);
    let l = lib.clone();
    define(lib, &db, "twice", 1, move |ctx, argv| {
        assert_eq!(argv.len(), 1);
        let x = l.value_int64(argv[0]).unwrap();
        l.result_int64(ctx, 2 * x).unwrap();
    });
    assert_eq!(one_int(lib, &db, "select twice(21)"), (SQLITE_INTEGER, 42));
    assert_eq!(
        one_int(lib, &db, "select twice(twice(-5))"),
        (SQLITE_INTEGER, -20)
    );
}

/// A text function: `shout(s)` is `s` upper-cased and with a `!`, NULL for
/// NULL; the text travels as bytes both ways.
fn sql_function_text<L: Sqlite + Clone + Send + Sync + 'static>(lib: &L) {
    let db = open_memory(lib);
    let l = lib.clone();
    define(lib, &db, "shout", 1, move |ctx, argv| {
        if l.value_type(argv[0]).unwrap() == SQLITE_NULL {
            assert_eq!(l.value_text(argv[0]).unwrap(), None);
            return l.result_null(ctx).unwrap();
        }
        let text = l.value_text(argv[0]).unwrap().expect("text");
        assert_eq!(
            l.value_bytes(argv[0]).unwrap() as usize,
            text.as_bytes().len()
        );
        let loud = format!("{}!", text.to_str().unwrap().to_uppercase());
        l.result_text(ctx, loud.as_bytes()).unwrap();
    });
    assert_eq!(
        one_text(lib, &db, "select shout('hello')").as_deref(),
        Some("HELLO!")
    );
    assert_eq!(one_text(lib, &db, "select shout(null)"), None);
    assert_eq!(
        one_text(lib, &db, "select shout(12) || shout('é')").as_deref(),
        Some("12!É!")
    );
}

/// `result_error`: the statement fails with the closure's message.
fn sql_function_error<L: Sqlite + Clone + Send + Sync + 'static>(lib: &L) {
    let db = open_memory(lib);
    let l = lib.clone();
    define(lib, &db, "refuse", -1, move |ctx, argv| {
        let why = format!("refused {} arguments", argv.len());
        l.result_error(ctx, why.as_bytes()).unwrap();
    });
    let stmt = prepare(lib, &db, "select refuse(1, 2)");
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ERROR);
    assert_eq!(
        lib.errmsg(&db).unwrap().to_str().unwrap(),
        "refused 2 arguments"
    );
    let _ = lib.finalize(stmt).unwrap();
    let (rc, msg) = lib.exec(&db, "select refuse()", None).unwrap();
    assert_eq!(rc, SQLITE_ERROR);
    assert_eq!(msg.unwrap().to_str().unwrap(), "refused 0 arguments");
}

/// Any number of arguments, each a value of its own type; a value copied
/// with `value_dup` outlives the callback, owned by Rust, and is freed on
/// drop.
fn sql_function_arguments<L: Sqlite + Clone + Send + Sync + 'static>(lib: &L) {
    let db = open_memory(lib);
    let l = lib.clone();
    define(lib, &db, "kinds", -1, move |ctx, argv| {
        let kinds: i64 = argv
            .iter()
            .map(|v| i64::from(l.value_type(v).unwrap()))
            .fold(0, |acc, k| acc * 10 + k);
        l.result_int64(ctx, kinds).unwrap();
    });
    assert_eq!(
        one_int(lib, &db, "select kinds(1, 2.5, 'x', x'00', null)"),
        (SQLITE_INTEGER, 12345)
    );
    assert_eq!(one_int(lib, &db, "select kinds()"), (SQLITE_INTEGER, 0));
    let l = lib.clone();
    define(lib, &db, "last", -1, move |ctx, argv| match argv.last() {
        Some(v) => {
            let copy = l.value_dup(v).unwrap().expect("a copy");
            assert_eq!(l.value_double(&copy).unwrap(), l.value_double(v).unwrap());
            l.result_value(ctx, &copy).unwrap();
            drop(copy);
        }
        None => l.result_double(ctx, -1.5).unwrap(),
    });
    assert_eq!(
        one_text(lib, &db, "select last(1, 'two', 3.25)").as_deref(),
        Some("3.25")
    );
    assert_eq!(one_text(lib, &db, "select last()").as_deref(), Some("-1.5"));
}

/// A function called on 10,000 rows, inside an aggregate and a filter.
fn sql_function_on_many_rows<L: Sqlite + Clone + Send + Sync + 'static>(lib: &L) {
    let db = open_memory(lib);
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (l, seen) = (lib.clone(), calls.clone());
    define(lib, &db, "twice", 1, move |ctx, argv| {
        seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let x = l.value_int64(argv[0]).unwrap();
        l.result_int64(ctx, 2 * x).unwrap();
    });
    exec_ok(
        lib,
        &db,
        "create table n(x integer);
         with recursive c(x) as (select 1 union all select x + 1 from c where x < 10000)
         insert into n select x from c;",
    );
    let n = 10_000i64;
    assert_eq!(
        one_int(lib, &db, "select sum(twice(x)) from n"),
        (SQLITE_INTEGER, n * (n + 1))
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 10_000);
    assert_eq!(
        one_int(lib, &db, "select count(*) from n where twice(x) % 3 = 0"),
        (SQLITE_INTEGER, 3333)
    );
}

//! SQLite 3, drafted from its header and resolved by hand (with a shim for
//! five calls), through every linkage: the open, prepare, bind, step, column,
//! finalize and close cycle on an in-memory database.

use ffi_desc::Error;
use ffi_tests::behaviours;
use ffi_tests::sqlite::sqlite::*;

behaviours!(
    sqlite: version,
    statement_cycle,
    bindings,
    column_types_and_names,
    errors,
    close_with_live_statement,
);

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
    let stmt = lib.prepare_v2(db, sql).unwrap();
    assert_eq!(lib.column_count(&stmt).unwrap(), 2);
    let mut out = Vec::new();
    loop {
        match lib.step(&stmt).unwrap() {
            SQLITE_ROW => out.push((
                lib.column_int(&stmt, 0).unwrap(),
                lib.column_text(&stmt, 1).unwrap().into_string().unwrap(),
            )),
            SQLITE_DONE => break,
            other => panic!("step: {other}"),
        }
    }
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    out
}

fn statement_cycle<L: Sqlite>(lib: &L) {
    let db = lib.open(":memory:").unwrap();
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_OK);
    assert_eq!(
        lib.exec(
            &db,
            "create table t(id integer primary key, name text not null);
             insert into t(name) values ('one'), ('two'), ('three');"
        )
        .unwrap(),
        SQLITE_OK
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

fn bindings<L: Sqlite>(lib: &L) {
    let db = lib.open(":memory:").unwrap();
    lib.exec(
        &db,
        "create table kv(k integer, v text, big integer, f real)",
    )
    .unwrap();
    let ins = lib
        .prepare_v2(&db, "insert into kv values (?1, :v, @big, $f)")
        .unwrap();
    assert_eq!(lib.bind_parameter_count(&ins).unwrap(), 4);
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
        // Bound from a temporary: SQLite copies it (SQLITE_TRANSIENT).
        let v = format!("{text} #{i}");
        assert_eq!(lib.bind_text(&ins, 2, v.as_bytes()).unwrap(), SQLITE_OK);
        drop(v);
        assert_eq!(
            lib.bind_int64(&ins, 3, i as i64 * 10_000_000_000).unwrap(),
            SQLITE_OK
        );
        assert_eq!(lib.bind_double(&ins, 4, i as f64 / 4.0).unwrap(), SQLITE_OK);
        assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
        assert_eq!(lib.reset(&ins).unwrap(), SQLITE_OK);
    }
    assert_eq!(lib.bind_int(&ins, 5, 0).unwrap(), SQLITE_RANGE);
    assert_eq!(lib.clear_bindings(&ins).unwrap(), SQLITE_OK);
    assert_eq!(lib.bind_null(&ins, 1).unwrap(), SQLITE_OK);
    assert_eq!(lib.step(&ins).unwrap(), SQLITE_DONE);
    assert_eq!(lib.finalize(ins).unwrap(), SQLITE_OK);
    assert_eq!(lib.total_changes(&db).unwrap(), 51);

    let sel = lib
        .prepare_v2(&db, "select k, v, big, f from kv where k = ?")
        .unwrap();
    assert_eq!(
        lib.sql(&sel).unwrap().to_str().unwrap(),
        "select k, v, big, f from kv where k = ?"
    );
    assert_eq!(lib.stmt_readonly(&sel).unwrap(), 1);
    lib.bind_int(&sel, 1, 42).unwrap();
    assert_eq!(lib.step(&sel).unwrap(), SQLITE_ROW);
    assert_eq!(lib.stmt_busy(&sel).unwrap(), 1);
    assert_eq!(
        lib.column_text(&sel, 1).unwrap().to_str().unwrap(),
        format!("{text} #42")
    );
    assert_eq!(lib.column_int64(&sel, 2).unwrap(), 420_000_000_000);
    assert_eq!(lib.column_double(&sel, 3).unwrap(), 10.5);
    assert_eq!(lib.step(&sel).unwrap(), SQLITE_DONE);
    drop(sel); // Drop finalizes.
    drop(db); // Drop closes (sqlite3_close_v2).
}

fn column_types_and_names<L: Sqlite>(lib: &L) {
    let db = lib.open(":memory:").unwrap();
    let stmt = lib
        .prepare_v2(
            &db,
            "select 7 as i, 2.5 as f, 'txt' as t, x'00ff' as b, null as n",
        )
        .unwrap();
    assert_eq!(lib.data_count(&stmt).unwrap(), 0, "no row yet");
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ROW);
    assert_eq!(lib.data_count(&stmt).unwrap(), 5);
    let names: Vec<String> = (0..5)
        .map(|c| lib.column_name(&stmt, c).unwrap().into_string().unwrap())
        .collect();
    assert_eq!(names, ["i", "f", "t", "b", "n"]);
    let types: Vec<i32> = (0..5).map(|c| lib.column_type(&stmt, c).unwrap()).collect();
    assert_eq!(
        types,
        [
            SQLITE_INTEGER,
            SQLITE_FLOAT,
            SQLITE_TEXT,
            SQLITE_BLOB,
            SQLITE_NULL
        ]
    );
    assert_eq!(lib.column_int(&stmt, 0).unwrap(), 7);
    assert_eq!(lib.column_double(&stmt, 1).unwrap(), 2.5);
    assert_eq!(lib.column_text(&stmt, 2).unwrap().to_str().unwrap(), "txt");
    assert_eq!(lib.column_bytes(&stmt, 3).unwrap(), 2);
    // An SQL NULL is a null `const char *`: no string to copy.
    assert_eq!(
        lib.column_text(&stmt, 4).unwrap_err(),
        Error::NullReturn {
            function: "column_text"
        }
    );
    // Out of range: SQLite answers NULL and 0, never reads past the row.
    assert!(lib.column_name(&stmt, 99).is_err());
    assert_eq!(lib.column_int(&stmt, 99).unwrap(), 0);
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
    assert_eq!(lib.close_v2(db).unwrap(), SQLITE_OK);
}

fn errors<L: Sqlite>(lib: &L) {
    let db = lib.open(":memory:").unwrap();
    assert_eq!(lib.busy_timeout(&db, 100).unwrap(), SQLITE_OK);
    assert_eq!(lib.get_autocommit(&db).unwrap(), 1);
    let err = lib.prepare_v2(&db, "selec 1").unwrap_err();
    assert_eq!(
        err,
        Error::NullReturn {
            function: "prepare_v2"
        }
    );
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_ERROR);
    assert_eq!(lib.extended_errcode(&db).unwrap(), SQLITE_ERROR);
    let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
    assert!(msg.contains("syntax error"), "{msg}");
    // No statement at all: also no handle, but no error either.
    assert!(lib.prepare_v2(&db, "  -- nothing").is_err());
    assert_eq!(lib.errcode(&db).unwrap(), SQLITE_OK);
    assert_eq!(
        lib.exec(&db, "select * from missing").unwrap(),
        SQLITE_ERROR
    );
    let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
    assert!(msg.contains("no such table: missing"), "{msg}");
    lib.exec(&db, "create table u(x unique); insert into u values (1)")
        .unwrap();
    assert_eq!(
        lib.exec(&db, "insert into u values (1)").unwrap(),
        SQLITE_CONSTRAINT
    );
    assert_eq!(
        lib.errstr(SQLITE_BUSY).unwrap().to_str().unwrap(),
        "database is locked"
    );
    assert_eq!(lib.close(db).unwrap(), SQLITE_OK);
}

fn close_with_live_statement<L: Sqlite>(lib: &L) {
    let db = lib.open(":memory:").unwrap();
    let stmt = lib.prepare_v2(&db, "select 1, 'a'").unwrap();
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ROW);
    // The connection's Drop is sqlite3_close_v2: it waits for the statement.
    drop(db);
    assert_eq!(lib.column_int(&stmt, 0).unwrap(), 1);
    assert_eq!(lib.finalize(stmt).unwrap(), SQLITE_OK);
}

/// Opening a path that cannot exist: SQLite still returns a connection, whose
/// error says why. Not run isolated: the domain's sandbox has no file system.
mod open_failure {
    use super::*;

    fn open_failure<L: Sqlite>(lib: &L) {
        let db = lib.open("/nonexistent-dir/db.sqlite").unwrap();
        assert_eq!(lib.errcode(&db).unwrap(), SQLITE_CANTOPEN);
        let msg = lib.errmsg(&db).unwrap().into_string().unwrap();
        assert!(msg.contains("unable to open"), "{msg}");
        assert_eq!(lib.close(db).unwrap(), SQLITE_OK);
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

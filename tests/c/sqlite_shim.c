/* See sqlite_shim.h. */
#include "sqlite_shim.h"

#include <stddef.h>

sqlite3 *shim_sqlite3_open(const char *filename)
{
    sqlite3 *db = NULL;
    (void)sqlite3_open(filename, &db);
    return db;
}

sqlite3_stmt *shim_sqlite3_prepare_v2(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        /* On error sqlite3_prepare_v2 writes NULL; be sure of it. */
        sqlite3_finalize(stmt);
        return NULL;
    }
    return stmt;
}

int shim_sqlite3_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int shim_sqlite3_bind_text(sqlite3_stmt *stmt, int index, const char *text, int n)
{
    return sqlite3_bind_text(stmt, index, text, n, SQLITE_TRANSIENT);
}

const char *shim_sqlite3_column_text(sqlite3_stmt *stmt, int column)
{
    return (const char *)sqlite3_column_text(stmt, column);
}

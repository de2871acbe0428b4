//! The isolated domain serving SQLite 3.
fn main() {
    ffi_isolate::serve(ffi_tests::sqlite::sqlite::server())
}

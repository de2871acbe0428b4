//! The isolated domain serving the loadtime sample library; its load-time
//! hooks are linked into this executable alone (see `tests/build.rs`).
fn main() {
    ffi_isolate::serve(ffi_tests::loadtime::loadtime::server())
}

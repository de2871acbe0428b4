//! The isolated domain serving zlib.
fn main() {
    ffi_isolate::serve(ffi_tests::zlib::zlib::server())
}

//! The isolated domain serving the vocab sample library.
fn main() {
    ffi_isolate::serve(ffi_tests::vocab::vocab::server())
}

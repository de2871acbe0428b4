//! The isolated domain serving the hostile sample library.
fn main() {
    ffi_isolate::serve(ffi_tests::hostile::hostile::server())
}

//! The isolated domain serving expat.
fn main() {
    ffi_isolate::serve(ffi_tests::expat::expat::server())
}

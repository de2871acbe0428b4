//! The isolated domain serving expat with its handlers kept by call.
fn main() {
    ffi_isolate::serve(ffi_tests::expat_by_call::expat_by_call::server())
}

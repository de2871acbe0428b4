//! The isolated domain serving the hostile library described without a word
//! on threads.
fn main() {
    ffi_isolate::serve(ffi_tests::threads::serial::server())
}

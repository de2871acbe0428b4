//! The isolated domain serving the hostile library described as thread-safe.
fn main() {
    ffi_isolate::serve(ffi_tests::threads::parallel::server())
}

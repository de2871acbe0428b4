//! The isolated domain serving two callback functions of the vocab library,
//! described as thread-safe.
fn main() {
    ffi_isolate::serve(ffi_tests::threads::parallel_vocab::server())
}

//! The isolated domain serving the header-only `route` library (its check
//! unit's wrappers, linked into this crate).
fn main() {
    ffi_isolate::serve(ffi_tests::route::route::server())
}

//! The isolated domain serving the header-only `lent` library (its check
//! unit's wrappers, linked into this crate).
fn main() {
    ffi_isolate::serve(ffi_tests::lent::lent::server())
}

//! The isolated domain: serves lz4 to the application over shared memory.
fn main() {
    ffi_isolate::serve(lz4_app::lz4::lz4::server())
}

//! The isolated domain serving libyaml.
fn main() {
    ffi_isolate::serve(ffi_tests::yaml::yaml::server())
}

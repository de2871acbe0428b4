// Checks the description against lz4.h with the C compiler; a mistake in
// it fails the build with every error, at its place in src/lz4.rs.
fn main() {
    ffi_stubgen::Builder::new("src/lz4.rs")
        .pkg_config("liblz4")
        .compile("lz4_check");
}

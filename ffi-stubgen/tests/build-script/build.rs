fn main() {
    ffi_stubgen::Builder::new("src/desc.rs")
        .pkg_config("zlib")
        .compile("desc_check");
}

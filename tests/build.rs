//! Checks every description of this crate against its real C headers: the
//! C compiler compiles each description's check unit, and a description that
//! disagrees with its header fails the build, naming the item.

fn main() {
    let vocab_include = std::env::var("DEP_SAMPLE_VOCAB_INCLUDE")
        .expect("sample-libs (links = \"sample_vocab\") sets DEP_SAMPLE_VOCAB_INCLUDE");
    ffi_stubgen::Builder::new("src/vocab.rs")
        .include(vocab_include)
        .compile("vocab_check");
    // zlib is found through pkg-config; without it, the system's search paths.
    ffi_stubgen::Builder::new("src/zlib.rs")
        .pkg_config("zlib")
        .compile("zlib_check");
    println!("cargo:rerun-if-changed=build.rs");
}

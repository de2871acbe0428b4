//! Hands the example application's Loaded build the path of the vocab
//! shared object that `sample-libs` builds (`UNIKERNEL_APP_VOCAB_SO`),
//! through `sample-libs`' links metadata, so that the application opens it
//! without linking anything of `sample-libs`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Ok(path) = std::env::var("DEP_SAMPLE_VOCAB_SHARED") {
        println!("cargo:rustc-env=UNIKERNEL_APP_VOCAB_SO={path}");
    }
}

//! The domain of the example application's Isolated build: serves the vocab
//! or the zlib description (`app-domain vocab`, `app-domain zlib`) over the
//! vchan-layout ring, with the C library linked in here and only here.
//!
//! The descriptions are the very files the application is built from, so
//! the fingerprints the client checks at start-up agree.

#[path = "app/vocab.rs"]
mod vocab;
#[path = "app/zlib.rs"]
mod zlib;

// Links vocab's static archive.
use sample_libs as _;

// The descriptions say `link = false`; the domain links zlib itself.
#[link(name = "z")]
extern "C" {}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("vocab") => ffi_isolate::serve(vocab::vocab::server()),
        Some("zlib") => ffi_isolate::serve(zlib::zlib::server()),
        other => {
            eprintln!("app-domain: serves `vocab` or `zlib`, not {other:?}");
            std::process::exit(2)
        }
    }
}

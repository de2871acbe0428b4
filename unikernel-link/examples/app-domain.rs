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
        #[cfg(feature = "xen")]
        Some("xen") => ffi_isolate::xen::supervise(xen::serve_both),
        other => {
            eprintln!("app-domain: serves `vocab` or `zlib`, not {other:?}");
            std::process::exit(2)
        }
    }
}

/// In a Xen guest: serves both descriptions to dom0, each over its own vchan
/// published under the guest's own XenStore directory
/// (`data/vchan/0/<port>`, relative to `/local/domain/<own id>`), one client
/// after another. A crash of either library ends the process (its
/// supervisor publishes how, for dom0's error), and the guest's init powers
/// the guest off: a library domain dies whole.
#[cfg(feature = "xen")]
mod xen {
    use ffi_isolate::xen::server::run;
    use ffi_isolate::xen::XenServeOptions;

    pub fn serve_both() {
        let serve = |spec: ffi_desc::isolated::ServerSpec, port: &'static str| {
            let opts = XenServeOptions::new(0, format!("data/vchan/0/{port}"));
            std::thread::spawn(move || {
                if let Err(e) = run(spec, &opts) {
                    eprintln!("app-domain: {port}: {e}");
                    std::process::exit(3)
                }
            })
        };
        let servers = [
            serve(super::vocab::vocab::server(), "vocab"),
            serve(super::zlib::zlib::server(), "zlib"),
        ];
        println!("app-domain: serving vocab and zlib over vchans");
        for s in servers {
            let _ = s.join();
        }
    }
}

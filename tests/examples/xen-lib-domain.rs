//! The library domain of the real-Xen harness (`xen-e2e/`): runs in a Xen
//! guest and serves the vocab, zlib and hostile descriptions to dom0, each
//! over its own vchan, published under this guest's own XenStore directory
//! (`/local/domain/<own id>/data/vchan/0/<port>`, written relative to it).
//!
//! One process serves all three, so a crash of any of the C libraries ends
//! the domain's server, as a crash ends a library domain; a supervisor
//! process publishes how it ended (`ffi_isolate::xen::supervise`).

use ffi_isolate::xen::server::{run, supervise};
use ffi_isolate::xen::XenServeOptions;
use ffi_tests::{hostile::hostile, vocab::vocab, zlib::zlib};

fn main() {
    // The servers run in a child process; the supervisor publishes how it
    // ended, so that dom0 reports a crash as the signal it was.
    supervise(serve_all)
}

fn serve_all() {
    let serve = |spec: ffi_desc::isolated::ServerSpec, port: &str| {
        // A relative XenStore path is below the domain's own directory.
        let opts = XenServeOptions::new(0, format!("data/vchan/0/{port}"));
        let port = port.to_string();
        std::thread::spawn(move || {
            if let Err(e) = run(spec, &opts) {
                eprintln!("xen-lib-domain: {port}: {e}");
                std::process::exit(3)
            }
        })
    };
    let threads = [
        serve(vocab::server(), "vocab"),
        serve(zlib::server(), "zlib"),
        serve(hostile::server(), "hostile"),
    ];
    println!("xen-lib-domain: serving vocab, zlib, hostile");
    for t in threads {
        let _ = t.join();
    }
}

//! The domain of the example application's Isolated build: serves the vocab
//! or the zlib description (`app-domain vocab`, `app-domain zlib`) over the
//! vchan-layout ring, with the C library linked in here and only here.
//!
//! The descriptions are the very files the application is built from, so
//! the fingerprints the client checks at start-up agree.

/// ffi-tests' description of the hostile sample library, served to a
/// unikernel for its crash scenario (`hx_segfault`).
#[cfg(feature = "xen")]
#[path = "../../tests/src/hostile.rs"]
mod hostile;
#[path = "app/vocab.rs"]
mod vocab;
#[path = "app/zlib.rs"]
mod zlib;

// Links vocab's (and hostile's) static archive.
use sample_libs as _;

// The descriptions say `link = false`; the domain links zlib itself.
#[link(name = "z")]
extern "C" {}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("vocab") => ffi_isolate::serve(vocab::vocab::server()),
        Some("zlib") => ffi_isolate::serve(zlib::zlib::server()),
        #[cfg(feature = "xen")]
        Some("xen") => {
            // The client's domain: dom0 (the application in dom0), or the
            // domain id given after `xen` (a unikernel).
            let client = match std::env::args().nth(2).map(|a| a.parse::<u16>()) {
                None => 0,
                Some(Ok(id)) => id,
                Some(Err(_)) => {
                    eprintln!("app-domain: `xen` takes the client's domain id, a number");
                    std::process::exit(2)
                }
            };
            ffi_isolate::xen::supervise(move || xen::serve_all(client))
        }
        other => {
            eprintln!("app-domain: serves `vocab` or `zlib`, not {other:?}");
            std::process::exit(2)
        }
    }
}

/// In a Xen guest: serves both descriptions to domain `client` (dom0 unless
/// told otherwise), each over its own vchan published under the guest's own
/// XenStore directory (`data/vchan/<client>/<port>`, relative to
/// `/local/domain/<own id>`), one client after another; to a unikernel
/// (a client other than dom0), the hostile library too, whose crash its
/// fault scenario provokes. A crash of any library ends the process (its
/// supervisor publishes how, for the client's error), and the guest's init
/// powers the guest off: a library domain dies whole.
#[cfg(feature = "xen")]
mod xen {
    use ffi_isolate::xen::server::run;
    use ffi_isolate::xen::XenServeOptions;

    pub fn serve_all(client: u16) {
        let serve = |spec: ffi_desc::isolated::ServerSpec, port: &'static str| {
            let opts = XenServeOptions::new(client, format!("data/vchan/{client}/{port}"));
            std::thread::spawn(move || {
                if let Err(e) = run(spec, &opts) {
                    eprintln!("app-domain: {port}: {e}");
                    std::process::exit(3)
                }
            })
        };
        let mut servers = vec![
            serve(super::vocab::vocab::server(), "vocab"),
            serve(super::zlib::zlib::server(), "zlib"),
        ];
        if client != 0 {
            servers.push(serve(super::hostile::hostile::server(), "hostile"));
        }
        let hostile = if client != 0 { " and hostile" } else { "" };
        println!("app-domain: serving vocab, zlib{hostile} over vchans to domain {client}");
        for s in servers {
            let _ = s.join();
        }
    }
}

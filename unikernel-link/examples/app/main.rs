//! The example application: written once against the zlib and vocab
//! descriptions, built three ways by one switch, the cargo feature that names
//! the linkage (as `mirage configure -t unix|xen` picks a target):
//!
//! ```sh
//! cargo run -p unikernel-link --example app --features linked    # C linked in
//! cargo run -p unikernel-link --example app --features loaded    # C opened at run time
//! cargo build -p unikernel-link --examples --features isolated   # the app and its domain
//! target/debug/examples/app                                      # C in sandboxed domains
//! cargo build -p unikernel-link --examples --features xen        # C in a Xen guest
//! ```
//!
//! Every build runs the same scenario and prints the same lines on standard
//! output (the linkage is named on standard error only). The Isolated build
//! links none of the C libraries: `unikernel-image-check` passes on it and
//! fails on the other two, naming the symbols it found.
//!
//! The Isolated build starts `app-domain` (the example beside this one, built
//! by the same command) once per library; the domain links the C code and
//! serves the same descriptions over the vchan-layout ring. The Xen build
//! (`--features xen`, an Isolated build too) starts one Xen guest whose
//! initramfs runs `app-domain xen`, which serves both descriptions over
//! vchans (`scripts/xen-e2e` builds and boots it).

extern crate alloc;

#[cfg_attr(
    not(any(feature = "linked", feature = "loaded", feature = "isolated")),
    allow(dead_code)
)]
mod scenario;
mod vocab;
mod zlib;

use std::process::ExitCode;

/// The text of an errno value, as the C library states it (the scenario
/// prints it; a unikernel without a C library brings its own table).
#[cfg_attr(
    not(any(feature = "linked", feature = "loaded", feature = "isolated")),
    allow(dead_code)
)]
fn errno_message(errno: ffi_desc::Errno) -> String {
    errno.message()
}

/// Runs the scenario through one linkage.
type Run = fn() -> Result<Vec<String>, String>;

/// The Linked build: vocab's static archive (from `sample-libs`) and the
/// system zlib (`-lz`) are linked into the executable.
#[cfg(feature = "linked")]
mod linked {
    use super::vocab::vocab::VocabLinked;
    use super::zlib::zlib::ZlibLinked;
    // Links vocab's static archive.
    use sample_libs as _;

    // The descriptions say `link = false`; this build links zlib itself.
    #[link(name = "z")]
    extern "C" {}

    pub fn run() -> Result<Vec<String>, String> {
        super::scenario::scenario(&VocabLinked::new(), &ZlibLinked::new())
            .map_err(|e| e.to_string())
    }
}

/// The Loaded build: both libraries are opened at run time.
#[cfg(feature = "loaded")]
mod loaded {
    use super::vocab::vocab::VocabLoaded;
    use super::zlib::zlib::ZlibLoaded;

    /// The vocab shared object `sample-libs` builds (its path comes from
    /// the build script, so that nothing of `sample-libs` is linked).
    const VOCAB_SO: &str = env!("UNIKERNEL_APP_VOCAB_SO");

    pub fn run() -> Result<Vec<String>, String> {
        // SAFETY: the shared object is built from the sources whose header
        // the vocab description follows.
        let vocab = unsafe { VocabLoaded::open(VOCAB_SO) }.map_err(|e| e.to_string())?;
        // SAFETY: the system zlib is the one whose header the zlib
        // description follows.
        let zlib = unsafe { ZlibLoaded::open_default() }.map_err(|e| e.to_string())?;
        super::scenario::scenario(&vocab, &zlib).map_err(|e| e.to_string())
    }
}

/// The Isolated build: each library runs in its own sandboxed domain
/// (`app-domain vocab`, `app-domain zlib`), reached over the vchan-layout
/// ring; nothing of either library is linked here.
#[cfg(all(feature = "isolated", not(feature = "xen")))]
mod isolated {
    use super::vocab::vocab::VocabIsolated;
    use super::zlib::zlib::ZlibIsolated;
    use ffi_isolate::{Domain, IsolatedOptions};

    /// The domain executable, built beside this one.
    fn options(library: &str) -> Result<IsolatedOptions, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let domain = exe.with_file_name("app-domain");
        if !domain.exists() {
            return Err(format!(
                "{} is missing: build it with `cargo build -p unikernel-link --examples --features isolated`",
                domain.display()
            ));
        }
        let mut o = IsolatedOptions::new(domain);
        o.domain.args = vec![library.into()];
        Ok(o)
    }

    pub fn run() -> Result<Vec<String>, String> {
        let vocab: VocabIsolated =
            Domain::launch(options("vocab")?).map_err(|e| format!("vocab domain: {e}"))?;
        let zlib: ZlibIsolated =
            Domain::launch(options("zlib")?).map_err(|e| format!("zlib domain: {e}"))?;
        super::scenario::scenario(&vocab, &zlib).map_err(|e| e.to_string())
    }
}

/// The Isolated build for Xen: both libraries run in one Xen guest (the
/// library domain, `app-domain xen` in its initramfs), started here with
/// `xl create` and reached over vchans; nothing of either library is linked
/// here. The guest's name and `xl` configuration come from
/// `APP_XEN_GUEST` and `APP_XEN_CONFIG` (default `applib` and
/// `/etc/xen/applib.cfg`); the guest is destroyed when the scenario ends.
#[cfg(feature = "xen")]
mod xen {
    use super::vocab::vocab::VocabIsolated;
    use super::zlib::zlib::ZlibIsolated;
    use ffi_isolate::xen::launcher::XenGuest;
    use ffi_isolate::xen::XenOptions;
    use ffi_isolate::RestartPolicy;
    use std::time::Duration;

    pub fn run() -> Result<Vec<String>, String> {
        let name = std::env::var("APP_XEN_GUEST").unwrap_or_else(|_| "applib".into());
        let config =
            std::env::var("APP_XEN_CONFIG").unwrap_or_else(|_| "/etc/xen/applib.cfg".into());
        let policy = RestartPolicy::OnNextCall { max_restarts: 3 };
        let guest = XenGuest::create_with_policy(&name, &config, policy)
            .map_err(|e| format!("library guest {name}: {e}"))?;
        // The guest boots before it serves: the first connection waits.
        let mut opts = XenOptions::new(0, "");
        opts.connect_deadline = Duration::from_secs(120);
        opts.deadline = Duration::from_secs(60);
        let outcome = (|| {
            let vocab: VocabIsolated = guest
                .connect(0, "vocab", opts.clone())
                .map_err(|e| format!("vocab in guest {name}: {e}"))?;
            let zlib: ZlibIsolated = guest
                .connect(0, "zlib", opts.clone())
                .map_err(|e| format!("zlib in guest {name}: {e}"))?;
            super::scenario::scenario(&vocab, &zlib).map_err(|e| e.to_string())
        })();
        guest.destroy();
        outcome
    }
}

fn main() -> ExitCode {
    let chosen: Vec<(&str, Run)> = vec![
        #[cfg(feature = "linked")]
        ("linked", linked::run),
        #[cfg(feature = "loaded")]
        ("loaded", loaded::run),
        #[cfg(all(feature = "isolated", not(feature = "xen")))]
        ("isolated", isolated::run),
        #[cfg(feature = "xen")]
        ("isolated in a Xen guest", xen::run),
    ];
    let [(linkage, run)] = chosen[..] else {
        let names: Vec<&str> = chosen.iter().map(|c| c.0).collect();
        eprintln!(
            "app: build with exactly one of --features linked, loaded or isolated (this build has {names:?})"
        );
        return ExitCode::from(2);
    };
    eprintln!("app: linkage {linkage}");
    match run() {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("app: {e}");
            ExitCode::FAILURE
        }
    }
}

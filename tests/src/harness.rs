//! The linkages every behaviour runs through.
//!
//! A behaviour is a generic function over a description's trait; the
//! [`behaviours!`](crate::behaviours) macro instantiates it once per linkage,
//! so a new linkage is one more line in that macro and one constructor here.

/// The path of a domain executable built from this crate's `src/bin`.
///
/// Test executables live in `target/<profile>/deps`, binaries one level up.
pub fn domain_executable(name: &str) -> std::path::PathBuf {
    ffi_isolate::executable::beside_current_exe(name).unwrap_or_else(|e| panic!("{e}"))
}

/// Options for a test domain: a short deadline, so a hang fails fast.
pub fn isolated_options(name: &str) -> ffi_isolate::IsolatedOptions {
    let mut o = ffi_isolate::IsolatedOptions::new(domain_executable(name));
    o.deadline = std::time::Duration::from_secs(20);
    o
}

/// The vocab library through each linkage.
pub mod vocab {
    use crate::vocab::vocab::{VocabIsolated, VocabLinked, VocabLoaded};

    /// Linked.
    pub fn linked() -> VocabLinked {
        VocabLinked::new()
    }

    /// Loaded from the shared object `sample-libs` builds.
    pub fn loaded() -> VocabLoaded {
        // SAFETY: the shared object is built from the same sources as the
        // static archive the Linked linkage uses.
        unsafe { VocabLoaded::open(sample_libs::VOCAB_SHARED_LIBRARY) }
            .expect("open the vocab shared object")
    }

    /// Isolated: the library runs in a sandboxed domain process.
    pub fn isolated() -> VocabIsolated {
        ffi_isolate::Domain::launch(super::isolated_options("vocab-domain"))
            .expect("start the vocab domain")
    }

    /// The Isolated linkage's client and server code over an in-process
    /// channel: the wire encoding without the domain.
    pub fn loopback() -> VocabIsolated {
        VocabIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::vocab::vocab::server(),
        )))
    }

    /// Isolated with every call a frame on the ring: no call slot
    /// (`IsolatedOptions::call_slots` off), as a domain that does not read
    /// the slot is spoken to.
    pub fn framed() -> VocabIsolated {
        let mut o = super::isolated_options("vocab-domain");
        o.call_slots = false;
        ffi_isolate::Domain::launch(o).expect("start the vocab domain")
    }
}

/// zlib through each linkage.
pub mod zlib {
    use crate::zlib::zlib::{ZlibIsolated, ZlibLinked, ZlibLoaded};

    /// Linked.
    pub fn linked() -> ZlibLinked {
        ZlibLinked::new()
    }

    /// Loaded by its soname.
    pub fn loaded() -> ZlibLoaded {
        // SAFETY: the system zlib is the one whose header the description follows.
        unsafe { ZlibLoaded::open_default() }.expect("open libz.so.1")
    }

    /// The directory the zlib tests write their gzip files in: the only
    /// one the zlib domain may open files in.
    pub fn scratch_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ffi-zlib-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the zlib scratch directory");
        dir
    }

    /// Isolated: zlib runs in a sandboxed domain process.
    ///
    /// gzip files need the file system: the domain may open files beneath
    /// [`scratch_dir`] (the client's supervisor opens them), seek and query
    /// their descriptors; an open elsewhere fails with `EACCES`, as a
    /// caller-named path may.
    pub fn isolated() -> ZlibIsolated {
        let mut o = super::isolated_options("zlib-domain");
        o.sandbox.write_paths.push(scratch_dir());
        o.sandbox.refused_open = ffi_isolate::sandbox::OpenRefusal::Fail(libc::EACCES);
        for name in ["lseek", "fcntl"] {
            o.sandbox
                .extra_syscalls
                .extend(ffi_isolate::sandbox::syscall_number(name));
        }
        ffi_isolate::Domain::launch(o).expect("start the zlib domain")
    }

    /// The Isolated linkage's code over an in-process channel.
    pub fn loopback() -> ZlibIsolated {
        ZlibIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::zlib::zlib::server(),
        )))
    }
}

/// The hostile library, for containment tests.
pub mod hostile {
    use crate::hostile::hostile::HostileIsolated;

    /// Isolated, with a 2 s deadline so hangs end quickly.
    pub fn isolated() -> HostileIsolated {
        ffi_isolate::Domain::launch(options()).expect("start the hostile domain")
    }

    /// The options [`isolated`] uses.
    pub fn options() -> ffi_isolate::IsolatedOptions {
        let mut o = super::isolated_options("hostile-domain");
        o.deadline = std::time::Duration::from_secs(2);
        o
    }
}

/// What failing isolated calls are checked with.
pub mod check {
    use ffi_desc::isolated::Channel;
    use ffi_desc::{DomainFailure, Error};
    use ffi_isolate::Domain;

    /// The process domain behind an Isolated linkage's channel.
    pub fn domain(chan: &dyn Channel) -> &Domain {
        chan.as_any()
            .downcast_ref::<Domain>()
            .expect("a process domain")
    }

    /// The domain failure inside `e`; anything else fails the test.
    pub fn failure(e: Error) -> DomainFailure {
        match e {
            Error::Domain { failure, .. } => failure,
            other => panic!("expected a domain failure, got {other:?}"),
        }
    }

    /// The protocol violation inside `e`; anything else fails the test.
    pub fn protocol(e: Error) -> String {
        match failure(e) {
            DomainFailure::Protocol { what } => what,
            other => panic!("expected a protocol violation, got {other:?}"),
        }
    }

    /// Runs `f` on a thread of its own and fails the test if it has not
    /// returned within `limit`.
    pub fn within<R: Send + 'static>(
        limit: std::time::Duration,
        f: impl FnOnce() -> R + Send + 'static,
    ) -> R {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        match rx.recv_timeout(limit) {
            Ok(r) => r,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("still running after {limit:?}")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the call panicked"),
        }
    }

    /// The signal that killed the domain; anything else fails the test.
    pub fn signaled(e: Error) -> i32 {
        match failure(e) {
            DomainFailure::Signaled { signal, .. } => signal,
            other => panic!("expected a signal, got {other:?}"),
        }
    }
}

/// The memfds of this process whose name holds a given word, counted as
/// descriptors and as mappings: what an arena release test watches (in a
/// test binary of its own, since other tests open and map them too).
pub mod memfds {
    use std::time::{Duration, Instant};

    /// Descriptors and mappings of this process whose target names `word`.
    pub fn count(word: &str) -> (usize, usize) {
        let fds = std::fs::read_dir("/proc/self/fd")
            .expect("list this process's descriptors")
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter(|l| l.to_string_lossy().contains(word))
            .count();
        let maps = std::fs::read_to_string("/proc/self/maps")
            .expect("read this process's mappings")
            .lines()
            .filter(|l| l.contains(word))
            .count();
        (fds, maps)
    }

    /// `count(word)` once it equals `want`, or as it is after 5 s: a domain
    /// just ended may hold the descriptor for a moment.
    pub fn settled(word: &str, want: (usize, usize)) -> (usize, usize) {
        let t = Instant::now();
        loop {
            let now = count(word);
            if now == want || t.elapsed() > Duration::from_secs(5) {
                return now;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits (up to 10 s) until `domain` has its spare started: a spare
    /// being started holds the arena's descriptor until its child executes.
    pub fn spare_started(domain: &ffi_isolate::Domain) {
        let t = Instant::now();
        while domain.spare_pid().is_none() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Instantiates each generic behaviour `fn name<L: Trait>(lib: &L)` as one
/// `#[test]` per linkage: `behaviours!(vocab: scalars, strings);`.
#[macro_export]
macro_rules! behaviours {
    // With one more linkage of this library's own (`vocab + framed: ...`).
    ($lib:ident + $extra:ident: $($name:ident),* $(,)?) => {
        $crate::behaviours!($lib: $($name),*);
        $crate::behaviours!(@linkage $extra, $lib, $($name),*);
    };
    ($lib:ident: $($name:ident),* $(,)?) => {
        $crate::behaviours!(@linkage linked, $lib, $($name),*);
        $crate::behaviours!(@linkage loaded, $lib, $($name),*);
        $crate::behaviours!(@linkage loopback, $lib, $($name),*);
        $crate::behaviours!(@linkage isolated, $lib, $($name),*);
    };
    (@linkage $linkage:ident, $lib:ident, $($name:ident),*) => {
        mod $linkage {
            $(
                #[test]
                fn $name() {
                    let lib = $crate::harness::$lib::$linkage();
                    super::$name(&lib);
                }
            )*
        }
    };
}

/// SQLite 3 (see [`crate::sqlite`]) through each linkage.
pub mod sqlite {
    use crate::sqlite::sqlite::{SqliteIsolated, SqliteLinked, SqliteLoaded};

    /// Linked: `libsqlite3`, linked at build time.
    pub fn linked() -> SqliteLinked {
        SqliteLinked::new()
    }

    /// Loaded: the system's `libsqlite3.so.0`, opened by its soname.
    pub fn loaded() -> SqliteLoaded {
        // SAFETY: the system SQLite is the one whose header the description
        // is checked against.
        unsafe { SqliteLoaded::open_default() }.expect("open libsqlite3.so.0")
    }

    /// Isolated: SQLite runs in a sandboxed domain process.
    ///
    /// An in-memory database needs no file, but SQLite seeds its random
    /// numbers (on the first CREATE, say) by opening `/dev/urandom`: the
    /// domain may read that one file, and nothing else.
    pub fn isolated() -> SqliteIsolated {
        let mut o = super::isolated_options("sqlite-domain");
        o.sandbox.read_paths.push("/dev/urandom".into());
        ffi_isolate::Domain::launch(o).expect("start the sqlite domain")
    }

    /// The Isolated linkage's code over an in-process channel.
    pub fn loopback() -> SqliteIsolated {
        SqliteIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::sqlite::sqlite::server(),
        )))
    }
}

/// expat through each linkage.
pub mod expat {
    use crate::expat::expat::{ExpatIsolated, ExpatLinked, ExpatLoaded};

    /// Linked: the system's `libexpat`.
    pub fn linked() -> ExpatLinked {
        ExpatLinked::new()
    }

    /// Loaded by its soname.
    pub fn loaded() -> ExpatLoaded {
        // SAFETY: the system's expat is the one whose header the description
        // is checked against.
        unsafe { ExpatLoaded::open_default() }.expect("open libexpat.so.1")
    }

    /// Isolated: expat runs in a sandboxed domain process (it salts its hash
    /// tables with `getrandom`, which every domain may call).
    pub fn isolated() -> ExpatIsolated {
        ffi_isolate::Domain::launch(super::isolated_options("expat-domain"))
            .expect("start the expat domain")
    }

    /// The Isolated linkage's code over an in-process channel.
    pub fn loopback() -> ExpatIsolated {
        ExpatIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::expat::expat::server(),
        )))
    }
}

/// libyaml through each linkage.
pub mod yaml {
    use crate::yaml::yaml::{YamlIsolated, YamlLinked, YamlLoaded};

    /// Linked: the system's `libyaml`.
    pub fn linked() -> YamlLinked {
        YamlLinked::new()
    }

    /// Loaded by its soname.
    pub fn loaded() -> YamlLoaded {
        // SAFETY: the system's libyaml is the one whose header the
        // description is checked against.
        unsafe { YamlLoaded::open_default() }.expect("open libyaml-0.so.2")
    }

    /// Isolated: libyaml runs in a sandboxed domain process.
    pub fn isolated() -> YamlIsolated {
        ffi_isolate::Domain::launch(super::isolated_options("yaml-domain"))
            .expect("start the yaml domain")
    }

    /// The Isolated linkage's code over an in-process channel.
    pub fn loopback() -> YamlIsolated {
        YamlIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::yaml::yaml::server(),
        )))
    }
}

//! The linkages every behaviour runs through.
//!
//! A behaviour is a generic function over a description's trait; the
//! [`behaviours!`](crate::behaviours) macro instantiates it once per linkage,
//! so a new linkage is one more line in that macro and one constructor here.

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

    /// The Isolated linkage's client and server code over an in-process
    /// channel: the wire encoding without the domain.
    pub fn loopback() -> VocabIsolated {
        VocabIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::vocab::vocab::server(),
        )))
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

    /// The Isolated linkage's code over an in-process channel.
    pub fn loopback() -> ZlibIsolated {
        ZlibIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
            crate::zlib::zlib::server(),
        )))
    }
}

/// Instantiates each generic behaviour `fn name<L: Trait>(lib: &L)` as one
/// `#[test]` per linkage: `behaviours!(vocab: scalars, strings);`.
#[macro_export]
macro_rules! behaviours {
    ($lib:ident: $($name:ident),* $(,)?) => {
        $crate::behaviours!(@linkage linked, $lib, $($name),*);
        $crate::behaviours!(@linkage loaded, $lib, $($name),*);
        $crate::behaviours!(@linkage loopback, $lib, $($name),*);
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

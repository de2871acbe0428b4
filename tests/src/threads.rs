//! Two descriptions of the same few functions of the `hostile` sample
//! library, to test how calls from many threads reach one domain: one
//! description says its library is thread-safe (with one function opted
//! out), the other says nothing, which is C's default: serialised.

use ffi_desc::foreign;

/// The library described as thread-safe.
#[foreign(
    library = "sample_hostile",
    header = "hostile.h",
    prefix = "hx_",
    link = false,
    thread_safe
)]
pub mod parallel {
    /// Calls that may run at the same time from many threads.
    pub trait Parallel {
        /// The null call: `x + 1`.
        fn ok(x: c_int) -> c_int;
        /// Sleeps `ms` milliseconds, then returns `ms`.
        fn sleep_ms(ms: c_int) -> c_int;
        /// Raises SIGKILL.
        fn kill_self() -> c_int;
        /// `2 * x`; described as not thread-safe, so it runs alone.
        #[not_thread_safe]
        fn twice(x: c_int) -> c_int;
    }
}

/// The same library described without a word on threads.
#[foreign(
    library = "sample_hostile",
    header = "hostile.h",
    prefix = "hx_",
    link = false
)]
pub mod serial {
    /// Calls that run one at a time.
    pub trait Serial {
        /// The null call: `x + 1`.
        fn ok(x: c_int) -> c_int;
        /// Sleeps `ms` milliseconds, then returns `ms`.
        fn sleep_ms(ms: c_int) -> c_int;
        /// `2 * x`; marked thread-safe in a description that is not.
        #[thread_safe]
        fn twice(x: c_int) -> c_int;
    }
}

/// Two functions of the `vocab` sample library that call back, described
/// as thread-safe (one opted out): callbacks of parallel calls.
#[foreign(
    library = "sample_vocab",
    header = "vocab.h",
    prefix = "sv_",
    link = false,
    thread_safe
)]
pub mod parallel_vocab {
    /// Visits one value.
    #[callback(c_name = "sv_visit_fn")]
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    /// Calls back from many threads at once.
    pub trait ParallelVocab {
        /// Calls `f` on each element; returns the sum of its results.
        fn each(xs: In<[c_int], len = n>, n: size_t, f: Callback<Visit>, user: UserData) -> c_int;
        /// The same with an optional callback; not thread-safe.
        #[not_thread_safe]
        fn each_maybe(
            xs: In<[c_int], len = n>,
            n: size_t,
            f: Option<Callback<Visit>>,
            user: UserData,
        ) -> c_int;
    }
}

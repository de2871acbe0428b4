//! The description of the `hostile` sample library: C that crashes, hangs,
//! leaks and attacks on purpose, to prove what the Isolated linkage contains.

use ffi_desc::foreign;

#[foreign(
    library = "sample_hostile",
    header = "hostile.h",
    prefix = "hx_",
    link = false
)]
pub mod hostile {
    /// `hx_event_kind`.
    #[c_name = "hx_event_kind"]
    #[allow(missing_docs)]
    pub enum EventKind {
        #[c_name = "HX_EV_NONE"]
        None = 0,
        #[c_name = "HX_EV_TEXT"]
        Text = 1,
        #[c_name = "HX_EV_BYTES"]
        Bytes = 2,
    }

    /// An `hx_event`, copied out.
    #[copy_out(c_type = "hx_event", size = 24, align = 8, free = event_free)]
    pub struct Event {
        #[c(offset = 0, field = "kind", tag)]
        pub kind: EventKind,
        #[c(offset = 8, when(Text), field = "u.text.text")]
        pub text: Option<String>,
        #[c(offset = 8, when(Bytes), field = "u.bytes.data", len = len)]
        pub bytes: Option<Vec<u8>>,
        #[c(offset = 16, field = "u.bytes.len")]
        pub len: size_t,
    }

    /// An `hx_event` the library keeps, copied out.
    #[copy_out(c_type = "hx_event", size = 24, align = 8)]
    pub struct KeptEvent {
        #[c(offset = 0, field = "kind", tag)]
        pub kind: EventKind,
        #[c(offset = 8, when(Text), field = "u.text.text")]
        pub text: Option<String>,
    }

    /// The hostile library.
    pub trait Hostile {
        /// A healthy call: `x + 1`.
        fn ok(x: c_int) -> c_int;
        /// Writes through a NULL pointer.
        fn segfault() -> c_int;
        /// Calls `abort()`.
        fn abort() -> c_int;
        /// Recurses without bound.
        fn stack_overflow(depth: c_int) -> c_int;
        /// Raises SIGKILL.
        fn kill_self() -> c_int;
        /// Spins forever.
        fn loop_forever() -> c_int;
        /// Sleeps forever.
        fn sleep_forever() -> c_int;
        /// Sleeps `ms` milliseconds, then returns `ms`.
        fn sleep_ms(ms: c_int) -> c_int;
        /// Calls `exit(code)` in the middle of the call.
        fn exit(code: c_int) -> c_int;
        /// Allocates until malloc fails; returns the MiB obtained.
        fn alloc_unbounded() -> c_long;
        /// Opens /etc/passwd.
        fn open_passwd() -> c_int;
        /// Connects to 127.0.0.1:`port`.
        fn connect_local(port: c_int) -> c_int;
        /// Executes /bin/sh.
        fn exec_shell() -> c_int;
        /// Attaches ptrace to its parent.
        fn ptrace_parent() -> c_int;
        /// Forks in a loop.
        fn fork_loop() -> c_int;
        /// Writes `bytes` to stdout and to stderr.
        fn flood(bytes: c_int) -> c_int;
        /// Starts a thread that keeps running.
        fn spawn_spinner() -> c_int;
        /// A thread opens /etc/passwd.
        fn thread_open_passwd() -> c_int;
        /// Counts open descriptors.
        fn count_fds() -> c_int;
        /// Lists open descriptors.
        fn list_fds(out: Out<[c_int], cap = cap>, cap: c_int) -> c_int;
        /// `getrlimit(resource)`: the maximum when `want_max`, else the current limit.
        fn get_rlimit(resource: c_int, want_max: c_int) -> c_long;
        /// Stores `value` (`width` bytes) at `offset` of the shared ring memory.
        fn ring_poke(offset: c_int, width: c_int, value: c_ulonglong) -> c_int;
        /// The same store, `delay_us` after the call returned.
        fn ring_poke_later(
            offset: c_int,
            width: c_int,
            value: c_ulonglong,
            delay_us: c_int,
        ) -> c_int;
        /// Flips the byte at `offset` repeatedly for `duration_ms`.
        fn ring_flip_loop(offset: c_int, duration_ms: c_int) -> c_int;
        /// Bumps and wakes the client's futex word, from a thread, for
        /// `duration_ms`, without writing into the ring.
        fn futex_storm(duration_ms: c_int) -> c_int;
        /// Writes an event, lying in it as `mode` says.
        fn event_make(mode: c_int, out: Out<Event>) -> c_int;
        /// Frees an event's pointers: the linkages' to call.
        fn event_free(ev: Out<Event>);
        /// How many events were freed.
        fn events_freed() -> c_int;
        /// An event the library keeps, or NULL, lying as `mode` says.
        fn event_static(mode: c_int) -> Option<Borrowed<KeptEvent>>;
    }
}

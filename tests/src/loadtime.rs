//! The description of the `loadtime` sample library, whose load-time hooks
//! attack the process that loads it (see `sample-libs/c/loadtime.h`).

use ffi_desc::foreign;

#[foreign(
    library = "sample_loadtime",
    header = "loadtime.h",
    prefix = "hl_",
    link = false
)]
pub mod loadtime {
    /// The loadtime library.
    pub trait Loadtime {
        /// 1 when a load-time hook attacked.
        fn attacked() -> c_int;
        /// The load-time attack's result: 0 or -errno.
        fn result() -> c_int;
        /// Reads one byte from `fd`: the count, or -errno.
        fn read_fd(fd: c_int) -> c_int;
        /// Opens `path` for reading: the descriptor, or -errno.
        fn open(path: CStr) -> c_int;
        /// Opens and closes `path` `n` times: how many opens succeeded, or -errno.
        fn open_loop(path: CStr, n: c_int) -> c_int;
        /// Writes `text` and a newline to stderr.
        fn say(text: CStr) -> c_int;
        /// Starts up to `n` spinning threads; returns how many started.
        fn spin_threads(n: c_int) -> c_int;
    }
}

//! The baselines between two processes: a round trip spinning on shared
//! memory (the floor any isolated call stands on), a futex round trip (what a
//! waiter that always sleeps pays), and a minimal request/response over a
//! Unix socket and over a pair of pipes (what socket-based isolators pay).
//!
//! Each baseline forks a child that serves round trips until told to stop.
//! The child touches only atomics and raw system calls, and dies with its
//! parent (`PR_SET_PDEATHSIG`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// One cache line holding one counter, so the two directions never share a line.
#[repr(C, align(128))]
struct Line<T>(T);

/// The shared page of the spin and futex baselines.
#[repr(C)]
struct Page {
    ping: Line<AtomicU64>,
    pong: Line<AtomicU64>,
    fping: Line<AtomicU32>,
    fpong: Line<AtomicU32>,
    /// The word a paused spin child sleeps on.
    doze: Line<AtomicU32>,
}

const STOP: u64 = u64::MAX;
/// Set in a spin ping that pauses the child ([`Spin::pause`]).
const PAUSE: u64 = 1 << 62;
/// Polls of a spinning side between two `sched_yield`s: on an idle machine
/// an echo arrives long before, so this is a pure spin there; on a machine
/// with more runnable threads than cores it lets the peer run instead of
/// burning the whole time slice.
const SPINS_BEFORE_YIELD: u32 = 4096;

/// Spins until `done`, yielding now and then.
#[inline(always)]
fn spin_until(mut done: impl FnMut() -> bool) {
    let mut n = 0u32;
    while !done() {
        std::hint::spin_loop();
        n += 1;
        if n == SPINS_BEFORE_YIELD {
            n = 0;
            // SAFETY: no arguments; only gives up the processor.
            unsafe { libc::sched_yield() };
        }
    }
}
const FSTOP: u32 = u32::MAX;

/// A page of memory shared with the children forked after it is mapped.
struct SharedPage {
    ptr: *mut Page,
}

impl SharedPage {
    fn new() -> std::io::Result<SharedPage> {
        const { assert!(std::mem::size_of::<Page>() <= 4096) };
        // SAFETY: a fresh anonymous shared mapping; no existing memory is touched.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        // The mapping is zero-filled, and all-zero atomics are valid values.
        Ok(SharedPage { ptr: p.cast() })
    }

    fn page(&self) -> &Page {
        // SAFETY: the mapping lives as long as `self`, is aligned to a page,
        // and is only ever accessed through atomics.
        unsafe { &*self.ptr }
    }
}

impl Drop for SharedPage {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, unmapped once.
        unsafe { libc::munmap(self.ptr.cast(), 4096) };
    }
}

/// A forked child serving round trips.
pub struct Child {
    pid: libc::pid_t,
}

impl Child {
    /// Forks a child that runs `serve` and exits.
    fn fork(serve: impl FnOnce()) -> std::io::Result<Child> {
        // SAFETY: the child runs only `serve`, which uses atomics and raw
        // system calls (no allocation, no locks), then `_exit`s.
        let pid = unsafe { libc::fork() };
        match pid {
            -1 => Err(std::io::Error::last_os_error()),
            0 => {
                // SAFETY: prctl with constant arguments; then the child's own loop.
                unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
                serve();
                // SAFETY: ends the child without running the parent's destructors.
                unsafe { libc::_exit(0) }
            }
            pid => Ok(Child { pid }),
        }
    }

    fn wait(self) {
        let mut status = 0;
        // SAFETY: our own child, reaped once.
        unsafe { libc::waitpid(self.pid, &mut status, 0) };
        std::mem::forget(self);
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Only reached if the parent's side failed: make sure the child ends.
        let mut status = 0;
        // SAFETY: our own child, killed and reaped once.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, &mut status, 0);
        }
    }
}

/// A round trip by spinning on shared memory: the parent writes a counter,
/// the child echoes it, the parent spins until the echo arrives. Neither side
/// enters the kernel unless the machine is oversubscribed (see
/// [`SPINS_BEFORE_YIELD`]).
pub struct Spin {
    page: SharedPage,
    child: Option<Child>,
    seq: u64,
}

impl Spin {
    /// Maps the page and forks the echoing child.
    pub fn start() -> std::io::Result<Spin> {
        let page = SharedPage::new()?;
        let p = page.ptr;
        let child = Child::fork(move || {
            // SAFETY: the mapping is inherited across fork and outlives the child.
            let page = unsafe { &*p };
            let mut last = 0;
            loop {
                let mut v = last;
                spin_until(|| {
                    v = page.ping.0.load(Ordering::Acquire);
                    v != last
                });
                if v == STOP {
                    return;
                }
                last = v;
                page.pong.0.store(v, Ordering::Release);
                if v & PAUSE != 0 {
                    // Asleep until the ping changes: a paused child leaves
                    // both CPUs to what is measured meanwhile.
                    loop {
                        let doze = page.doze.0.load(Ordering::Acquire);
                        if page.ping.0.load(Ordering::Acquire) != v {
                            break;
                        }
                        futex_wait(&page.doze.0, doze);
                    }
                }
            }
        })?;
        Ok(Spin {
            page,
            child: Some(child),
            seq: 0,
        })
    }

    /// One round trip.
    #[inline]
    pub fn round_trip(&mut self) {
        self.seq += 1;
        let page = self.page.page();
        page.ping.0.store(self.seq, Ordering::Release);
        let seq = self.seq;
        spin_until(|| page.pong.0.load(Ordering::Acquire) == seq);
    }

    /// Puts the child to sleep (it has echoed the pause when this returns),
    /// so that it spins only while round trips are measured.
    pub fn pause(&mut self) {
        self.seq += 1;
        let v = self.seq | PAUSE;
        let page = self.page.page();
        page.ping.0.store(v, Ordering::Release);
        spin_until(|| page.pong.0.load(Ordering::Acquire) == v);
    }

    /// Wakes a paused child and waits until it spins again.
    pub fn resume(&mut self) {
        self.seq += 1;
        let page = self.page.page();
        page.ping.0.store(self.seq, Ordering::Release);
        page.doze.0.fetch_add(1, Ordering::Release);
        futex_wake(&page.doze.0);
        let seq = self.seq;
        spin_until(|| page.pong.0.load(Ordering::Acquire) == seq);
    }
}

impl Drop for Spin {
    fn drop(&mut self) {
        let page = self.page.page();
        page.ping.0.store(STOP, Ordering::Release);
        // A paused child sleeps until woken.
        page.doze.0.fetch_add(1, Ordering::Release);
        futex_wake(&page.doze.0);
        if let Some(c) = self.child.take() {
            c.wait();
        }
    }
}

fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: FUTEX_WAIT on a valid, aligned u32 in shared memory (not
    // private: the waker is another process); no timeout.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT,
            expected,
            std::ptr::null::<libc::timespec>(),
        )
    };
}

fn futex_wake(word: &AtomicU32) {
    // SAFETY: FUTEX_WAKE of one waiter on a valid, aligned u32.
    unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, 1) };
}

/// A round trip in which both sides always sleep in the kernel: the parent
/// writes a counter and wakes the child, then sleeps on the echo word.
pub struct Futex {
    page: SharedPage,
    child: Option<Child>,
    seq: u32,
}

impl Futex {
    /// Maps the page and forks the echoing child.
    pub fn start() -> std::io::Result<Futex> {
        let page = SharedPage::new()?;
        let p = page.ptr;
        let child = Child::fork(move || {
            // SAFETY: the mapping is inherited across fork and outlives the child.
            let page = unsafe { &*p };
            let mut last = 0;
            loop {
                let v = page.fping.0.load(Ordering::Acquire);
                if v == last {
                    futex_wait(&page.fping.0, last);
                    continue;
                }
                if v == FSTOP {
                    return;
                }
                last = v;
                page.fpong.0.store(v, Ordering::Release);
                futex_wake(&page.fpong.0);
            }
        })?;
        Ok(Futex {
            page,
            child: Some(child),
            seq: 0,
        })
    }

    /// One round trip.
    #[inline]
    pub fn round_trip(&mut self) {
        self.seq = if self.seq == FSTOP - 1 {
            1
        } else {
            self.seq + 1
        };
        let page = self.page.page();
        page.fping.0.store(self.seq, Ordering::Release);
        futex_wake(&page.fping.0);
        loop {
            let v = page.fpong.0.load(Ordering::Acquire);
            if v == self.seq {
                return;
            }
            futex_wait(&page.fpong.0, v);
        }
    }
}

impl Drop for Futex {
    fn drop(&mut self) {
        let page = self.page.page();
        page.fping.0.store(FSTOP, Ordering::Release);
        futex_wake(&page.fping.0);
        if let Some(c) = self.child.take() {
            c.wait();
        }
    }
}

/// Size of the request and of the reply of the stream baselines.
const MSG: usize = 16;

/// The child's side of a stream baseline: close the parent's ends, then read
/// a request and write a reply until the parent closes its end.
fn echo(rx: i32, tx: i32, parents: [i32; 2]) {
    for fd in parents {
        // SAFETY: in the child, the parent's ends are copies nobody else uses.
        unsafe { libc::close(fd) };
    }
    let mut buf = [0u8; MSG];
    loop {
        let mut got = 0;
        while got < MSG {
            // SAFETY: reads into our own stack buffer, within its bounds.
            let r = unsafe { libc::read(rx, buf[got..].as_mut_ptr().cast(), MSG - got) };
            if r <= 0 {
                return;
            }
            got += r as usize;
        }
        buf[0] = buf[0].wrapping_add(1);
        let mut put = 0;
        while put < MSG {
            // SAFETY: writes from our own stack buffer, within its bounds.
            let r = unsafe { libc::write(tx, buf[put..].as_ptr().cast(), MSG - put) };
            if r <= 0 {
                return;
            }
            put += r as usize;
        }
    }
}

/// A request/response over a byte stream (a Unix socket, or a pipe each way).
pub struct Stream {
    tx: Option<File>,
    rx: File,
    child: Option<Child>,
}

impl Stream {
    /// A connected Unix socket pair; the child serves the other end.
    pub fn unix_socket() -> std::io::Result<Stream> {
        let (ours, theirs) = UnixStream::pair()?;
        let ours: OwnedFd = ours.into();
        let rx = File::from(ours.try_clone()?);
        let (t, parents) = (theirs.as_raw_fd(), [ours.as_raw_fd(), rx.as_raw_fd()]);
        let child = Child::fork(|| echo(t, t, parents))?;
        drop(theirs);
        Ok(Stream {
            tx: Some(File::from(ours)),
            rx,
            child: Some(child),
        })
    }

    /// Two pipes, one each way; the child serves their other ends.
    pub fn pipes() -> std::io::Result<Stream> {
        let (req_r, req_w) = pipe()?;
        let (rep_r, rep_w) = pipe()?;
        let (a, b) = (req_r.as_raw_fd(), rep_w.as_raw_fd());
        let parents = [req_w.as_raw_fd(), rep_r.as_raw_fd()];
        let child = Child::fork(|| echo(a, b, parents))?;
        drop((req_r, rep_w));
        Ok(Stream {
            tx: Some(File::from(req_w)),
            rx: File::from(rep_r),
            child: Some(child),
        })
    }

    /// One request and its reply.
    #[inline]
    pub fn round_trip(&mut self) {
        let mut buf = [7u8; MSG];
        let tx = self.tx.as_mut().expect("open until drop");
        tx.write_all(&buf).expect("request");
        self.rx.read_exact(&mut buf).expect("reply");
        std::hint::black_box(&buf);
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // Shutting down (a socket) or closing (a pipe) our sending end ends
        // the child's loop.
        if let Some(tx) = self.tx.take() {
            // SAFETY: shutdown of our own descriptor; fails harmlessly on a pipe.
            unsafe { libc::shutdown(tx.as_raw_fd(), libc::SHUT_WR) };
        }
        if let Some(c) = self.child.take() {
            c.wait();
        }
    }
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into our array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

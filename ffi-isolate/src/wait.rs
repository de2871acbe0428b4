//! Blocking on the ring: spin for a bounded time, then park on a futex.
//!
//! On these machines a round trip that spins on shared memory costs about
//! 0.1 µs, and one that sleeps in the kernel about 50 µs, so a waiter first
//! spins (re-checking the indices, with no system call on either side), and
//! only then parks.
//!
//! # Parking without losing a wake-up
//!
//! Each side has a futex word in the event page ([`crate::shm::EventPage::futex_word`]). A
//! side that parks:
//!
//! 1. reads its futex word,
//! 2. sets its request bit in the peer's notify byte and issues a full fence
//!    ([`Endpoint::request_notify`]),
//! 3. re-checks the condition, and returns if it now holds,
//! 4. calls `FUTEX_WAIT` with the value read in step 1, for at most one park
//!    slice (or until the deadline).
//!
//! A side that makes progress publishes its index, issues a full fence, and
//! checks its own notify byte; only if the peer's request bit is there does it
//! clear it, bump the peer's futex word and call `FUTEX_WAKE`
//! (`Endpoint::write`/`read` do this). So a spinning peer, which has made no
//! request, costs no system call. The two fences make it impossible for both
//! the waiter to miss the new index in step 3 and the actor to miss the
//! request; if the actor sees the request after step 1, it bumps the word, so
//! `FUTEX_WAIT` in step 4 returns at once or is woken.
//!
//! # Why the futex word is shared, and why that is safe
//!
//! The waker lives in another process, so the word must be in memory both map
//! (a futex on a `MAP_SHARED` memfd, without `FUTEX_PRIVATE_FLAG`, is keyed by
//! the file page, not the address space). The peer can therefore write any
//! value into it. That is harmless: `FUTEX_WAIT` only compares the word with
//! the value we read and sleeps while they are equal, and its result never
//! decides anything. After every return (woken, value changed, timed out,
//! interrupted) the waiter re-checks the abort flag, the deadline and the
//! ring indices, which it validates itself. A hostile value can at most cause
//! a spurious wake-up (an extra loop); a peer that never wakes us costs at
//! most one park slice per check, since every park is bounded by the slice.
//! A peer that bumps the word over and over without moving the ring would
//! make each park return at once; after a few such wake-ups in a row the
//! waiter sleeps between parks instead (growing pauses, bounded by the park
//! slice and the deadline), so the bumping costs the waiter a few wake-ups
//! per slice, not a CPU.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::thread::futex;

use crate::ring::{Endpoint, Live, RingError, Violation, NOTIFY_READ, NOTIFY_WRITE};
use crate::shm::LayoutError;
use crate::slot::SlotMessage;

/// How long to spin before parking, and how long one park may last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitConfig {
    /// How long to spin re-checking the ring before parking; `Duration::ZERO`
    /// parks at once.
    pub spin: Duration,
    /// The longest single park: the abort check and the ring are re-checked
    /// at least this often even if no wake-up comes.
    pub park_slice: Duration,
}

impl WaitConfig {
    /// The default spin bound: about the cost of one sleep/wake round trip
    /// here, so spinning never wastes more than parking would have cost.
    pub const DEFAULT_SPIN: Duration = Duration::from_micros(50);
    /// The default park slice.
    pub const DEFAULT_PARK_SLICE: Duration = Duration::from_millis(10);
}

impl Default for WaitConfig {
    fn default() -> Self {
        Self {
            spin: Self::DEFAULT_SPIN,
            park_slice: Self::DEFAULT_PARK_SLICE,
        }
    }
}

/// How long a waiter spins before it starts yielding between polls.
const PURE_SPIN: Duration = Duration::from_micros(2);

fn never() -> bool {
    false
}

/// Everything a blocking ring operation needs to know about waiting: the
/// spin/park configuration, an optional deadline, and an abort check.
///
/// The abort check is called at least once per park slice (and now and then
/// while spinning); when it returns `true` the wait ends with
/// [`RingError::Aborted`]. Use it to notice a dead domain or a cancelled call.
#[derive(Clone, Copy)]
pub struct Waiter<'a> {
    config: WaitConfig,
    deadline: Option<Instant>,
    abort: &'a dyn Fn() -> bool,
}

impl std::fmt::Debug for Waiter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("config", &self.config)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl Default for Waiter<'_> {
    fn default() -> Self {
        Self::new(WaitConfig::default())
    }
}

impl<'a> Waiter<'a> {
    /// A waiter with `config`, no deadline and no abort check.
    pub fn new(config: WaitConfig) -> Self {
        Self {
            config,
            deadline: None,
            abort: &never,
        }
    }

    /// Sets the deadline (`None`: wait for ever).
    pub fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the deadline to `timeout` from now.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        self.with_deadline(Instant::now().checked_add(timeout))
    }

    /// Sets the abort check.
    pub fn with_abort(self, abort: &'a dyn Fn() -> bool) -> Waiter<'a> {
        Waiter { abort, ..self }
    }

    /// The configuration.
    pub fn config(&self) -> WaitConfig {
        self.config
    }

    /// The deadline.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// `Err(Aborted)` if the abort check fires, `Err(Timeout)` if the deadline
    /// has passed, else the time left (`None`: no deadline).
    fn check(&self, now: Instant) -> Result<Option<Duration>, RingError> {
        if (self.abort)() {
            return Err(RingError::Aborted);
        }
        match self.deadline {
            Some(d) if now >= d => Err(RingError::Timeout),
            Some(d) => Ok(Some(d - now)),
            None => Ok(None),
        }
    }
}

/// Bumps `word` and wakes every thread parked on it (`FUTEX_WAKE`, shared).
///
/// The word is in shared memory, so the wake reaches a waiter in another
/// process; an error (there is none for a valid address) is ignored, since
/// a waiter re-checks the ring at least once per park slice anyway.
pub fn wake(word: &AtomicU32) {
    word.fetch_add(1, Ordering::SeqCst);
    let _ = futex::wake(word, futex::Flags::empty(), i32::MAX as u32);
}

/// Parks on `word` while it holds `expected`, for at most `timeout`
/// (`FUTEX_WAIT`, shared). Returns on a wake-up, a changed value, the timeout
/// or a signal alike: the caller must re-check its condition.
pub fn park(word: &AtomicU32, expected: u32, timeout: Duration) {
    let ts = futex::Timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as i64,
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    let _ = futex::wait(word, futex::Flags::empty(), expected, Some(&ts));
}

/// A waiter's defence against wake-ups that bring nothing.
///
/// A park returns early when the futex word changed or was woken. The peer
/// bumps the word when it has moved the ring, so an early return normally
/// finds data (or a dead peer, or a cancelled call: the abort check). A
/// hostile peer, though, can bump the word without writing anything, as
/// fast as it likes; re-parking at once would then turn the wait into a spin
/// with a system call in it. So after [`IdleWakes::TOLERATED`] early returns
/// in a row that found the ring unchanged, each further one is followed by a
/// plain sleep, doubling from [`IdleWakes::FIRST_PAUSE`] up to the park slice
/// (the deadline and the abort check bound it as they bound a park). A park
/// that lasts its whole slice ends the streak. An honest peer, which bumps
/// the word only after it moved the ring, does not cause idle wake-ups in
/// a row, so it never meets the pause.
#[derive(Default)]
struct IdleWakes {
    /// Early, empty returns in a row (pauses between them do not break it).
    streak: u32,
}

/// How the last step of a wait ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LastPark {
    /// A park that lasted its slice (or none yet).
    Full,
    /// A park that returned before its slice.
    Early,
    /// A pause ([`IdleWakes::after`]).
    Slept,
}

impl IdleWakes {
    /// Early, empty returns in a row that are parked through again at once.
    const TOLERATED: u32 = 2;
    /// The first pause after them.
    const FIRST_PAUSE: Duration = Duration::from_micros(100);
    /// The longest pause (never longer than the park slice either): data
    /// that arrives while a hostile peer bumps the word waits at most this.
    const MAX_PAUSE: Duration = WaitConfig::DEFAULT_PARK_SLICE;

    /// Records how the last step ended (called only when the ring was found
    /// unchanged since) and returns how long to sleep before parking again,
    /// if at all. After a pause the waiter always parks again, so that the
    /// first honest wake-up once the bumping stops still ends the wait.
    fn after(&mut self, last: LastPark, slice: Duration) -> Option<Duration> {
        match last {
            LastPark::Full => {
                self.streak = 0;
                return None;
            }
            LastPark::Slept => return None,
            LastPark::Early => {}
        }
        self.streak = self.streak.saturating_add(1);
        let beyond = self.streak.checked_sub(Self::TOLERATED + 1)?;
        let pause = Self::FIRST_PAUSE
            .checked_mul(1u32 << beyond.min(16))
            .unwrap_or(Self::MAX_PAUSE);
        Some(pause.min(Self::MAX_PAUSE).min(slice))
    }
}

/// What [`Endpoint::wait_arrival`] found first.
#[derive(Debug)]
pub enum Arrival {
    /// This many ring bytes are ready to read.
    Ring(usize),
    /// The message in the peer's call slot, taken.
    Slot(SlotMessage),
}

/// What a wait is for.
#[derive(Clone, Copy)]
enum Want {
    /// At least one byte ready to read.
    Data,
    /// At least one byte of free space.
    Space,
}

impl Endpoint {
    /// `Ok(Some(n))` once the wanted condition holds (`n` bytes ready or
    /// free), `Ok(None)` if not yet; `PeerClosed` when it can never hold.
    fn poll(&mut self, want: Want) -> Result<Option<usize>, RingError> {
        match want {
            Want::Data => {
                let n = self.data_ready()?;
                if n > 0 {
                    return Ok(Some(n));
                }
                if self.peer_live()? == Live::Gone {
                    // The peer may have written its last bytes and left
                    // between the two loads: its writes come before its
                    // live byte, so they are read before its end is.
                    let n = self.data_ready()?;
                    if n > 0 {
                        return Ok(Some(n));
                    }
                    return Err(RingError::PeerClosed);
                }
                Ok(None)
            }
            Want::Space => {
                if self.peer_live()? == Live::Gone {
                    return Err(RingError::PeerClosed);
                }
                let n = self.buffer_space()?;
                Ok((n > 0).then_some(n))
            }
        }
    }

    /// Ring bytes ready, or the message in the peer's call slot, whichever
    /// is there first (the slot is looked at first).
    fn poll_arrival(&mut self) -> Result<Option<Arrival>, RingError> {
        if let Some(message) = self.take_from_slot()? {
            return Ok(Some(Arrival::Slot(message)));
        }
        Ok(self.poll(Want::Data)?.map(Arrival::Ring))
    }

    /// Waits until `ready` gives something: `want` says what the peer is
    /// asked to tell of when the wait parks, `slot` whether the peer's call
    /// slot is watched besides the ring.
    fn wait_for<T>(
        &mut self,
        want: Want,
        slot: bool,
        waiter: &Waiter<'_>,
        mut ready: impl FnMut(&mut Self) -> Result<Option<T>, RingError>,
    ) -> Result<T, RingError> {
        if let Some(n) = ready(self)? {
            return Ok(n);
        }
        if matches!(want, Want::Space) {
            // A writer out of room publishes what it has read, so that a peer
            // doing the same waits for data, never for room we hold back.
            self.publish_consumption();
        }
        // Spin (not at all for a zero bound), reading the clock and the
        // abort check only every 64 polls. After the first few microseconds
        // each batch yields the CPU: with two virtual CPUs shared with other
        // work, a spinner that never yields can keep its own peer off the CPU.
        // The spin is timed from the end of the first 64 polls, which answer
        // most small calls: one clock read fewer on each side of them.
        if !waiter.config.spin.is_zero() {
            let mut start = None;
            // The peer's slot head changes with every message it writes
            // there, so it is watched as the next ring bytes are.
            let snapshot = |ep: &Self| (ep.upcoming(), slot.then(|| ep.peer_slot_head()));
            let watched = matches!(want, Want::Data).then(|| snapshot(self));
            loop {
                for k in 0..64 {
                    std::hint::spin_loop();
                    // While the next bytes are unchanged nothing new is
                    // there; the index is still looked at now and then, in
                    // case the peer wrote the very bytes it overwrote.
                    if k % 8 != 7 && watched.is_some_and(|w| w == snapshot(self)) {
                        continue;
                    }
                    if let Some(n) = ready(self)? {
                        return Ok(n);
                    }
                }
                let now = Instant::now();
                waiter.check(now)?;
                let spun = now.duration_since(*start.get_or_insert(now));
                if spun >= waiter.config.spin {
                    break;
                }
                if spun >= PURE_SPIN {
                    std::thread::yield_now();
                }
            }
        }
        // Park. Consumption left unpublished is published first: the peer
        // may be about to wait for room, and no read will come to do it.
        if matches!(want, Want::Data) {
            self.publish_consumption();
        }
        let bit = match want {
            Want::Data => NOTIFY_WRITE,
            Want::Space => NOTIFY_READ,
        };
        let shm = Arc::clone(self.shared_memory());
        let Some(page) = shm.event_page(self.layout()) else {
            // `Endpoint` checked at construction that the mapping holds the
            // layout, so this cannot happen; fail typed rather than panic.
            return Err(Violation::Layout(LayoutError::MappingTooSmall {
                needed: self.layout().total_len(),
                actual: shm.len(),
            })
            .into());
        };
        let word = page.futex_word(self.side());
        // Parks in a row that ended before their slice with the ring
        // unchanged (see `IdleWakes`).
        let mut idle = IdleWakes::default();
        let mut last = LastPark::Full;
        loop {
            let seen = word.load(Ordering::SeqCst);
            self.request_notify(bit);
            if let Some(n) = ready(self)? {
                return Ok(n);
            }
            let now = Instant::now();
            let left = waiter.check(now)?;
            let slice = match left {
                Some(left) => left.min(waiter.config.park_slice),
                None => waiter.config.park_slice,
            };
            if let Some(pause) = idle.after(last, slice) {
                // The word moves while the ring does not: a futex wait would
                // return at once, again and again. Sleep instead, so that a
                // peer bumping the word costs us a wake-up per pause, not a CPU.
                std::thread::sleep(pause);
                last = LastPark::Slept;
                continue;
            }
            park(word, seen, slice);
            last = if now.elapsed() < slice {
                LastPark::Early
            } else {
                LastPark::Full
            };
        }
    }

    /// Blocks until at least one byte is ready to read and returns how many
    /// are, spinning then parking as `waiter` says.
    ///
    /// Ends with [`RingError::PeerClosed`] if the peer closes with nothing
    /// left to read, [`RingError::Timeout`] at the deadline,
    /// [`RingError::Aborted`] when the abort check fires, or a violation.
    pub fn wait_readable(&mut self, waiter: &Waiter<'_>) -> Result<usize, RingError> {
        self.wait_for(Want::Data, false, waiter, |ep| ep.poll(Want::Data))
    }

    /// Blocks until ring bytes are ready to read or a message is in the
    /// peer's call slot ([`crate::slot`]: on the client side, the reply
    /// awaited there), whichever comes first; errors as
    /// [`Endpoint::wait_readable`].
    pub fn wait_arrival(&mut self, waiter: &Waiter<'_>) -> Result<Arrival, RingError> {
        self.wait_for(Want::Data, true, waiter, Self::poll_arrival)
    }

    /// Blocks until at least one byte of the write ring is free and returns
    /// how many are; errors as [`Endpoint::wait_readable`] (`PeerClosed` as
    /// soon as the peer's live byte is 0).
    pub fn wait_writable(&mut self, waiter: &Waiter<'_>) -> Result<usize, RingError> {
        self.wait_for(Want::Space, false, waiter, |ep| ep.poll(Want::Space))
    }

    /// Writes all of `data`, in pieces if it is larger than the ring, waiting
    /// for space as `waiter` says.
    ///
    /// On an error part of `data` may already be in the ring: the stream is
    /// then out of step, and the caller should treat the peer as lost.
    ///
    /// The deadline and the abort check are looked at between pieces too,
    /// not only while waiting: a peer that keeps making room exactly as fast
    /// as we fill it never lets a wait begin.
    pub fn write_all(&mut self, data: &[u8], waiter: &Waiter<'_>) -> Result<(), RingError> {
        let mut pos = 0;
        while pos < data.len() {
            let n = self.write(&data[pos..])?;
            pos += n;
            if n == 0 {
                self.wait_writable(waiter)?;
            } else if pos < data.len() {
                waiter.check(Instant::now())?;
            }
        }
        Ok(())
    }

    /// Fills all of `buf`, in pieces if it is larger than the ring, waiting
    /// for data as `waiter` says.
    ///
    /// On an error part of `buf` may have been filled and consumed from the
    /// ring: the stream is then out of step.
    ///
    /// As in [`Endpoint::write_all`], the deadline and the abort check are
    /// looked at between pieces as well as while waiting.
    pub fn read_exact(&mut self, buf: &mut [u8], waiter: &Waiter<'_>) -> Result<(), RingError> {
        let mut pos = 0;
        while pos < buf.len() {
            let n = self.read(&mut buf[pos..])?;
            pos += n;
            if n == 0 {
                self.wait_readable(waiter)?;
            } else if pos < buf.len() {
                waiter.check(Instant::now())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ring::Side;
    use crate::shm::{RingLayout, SharedMemory};
    use std::sync::atomic::AtomicBool;

    fn pair(left: u16, right: u16) -> (Endpoint, Endpoint) {
        let layout = RingLayout::new(left, right).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let c = Endpoint::create(shm.clone(), Side::Client, layout).unwrap();
        let s = Endpoint::attach(shm, Side::Server).unwrap();
        (c, s)
    }

    #[test]
    fn times_out_at_deadline() {
        let (mut c, _s) = pair(12, 12);
        let cfg = WaitConfig {
            spin: Duration::from_micros(100),
            park_slice: Duration::from_millis(10),
        };
        let start = Instant::now();
        let deadline = start + Duration::from_millis(60);
        let w = Waiter::new(cfg).with_deadline(Some(deadline));
        let mut buf = [0u8; 4];
        assert_eq!(c.read_exact(&mut buf, &w), Err(RingError::Timeout));
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(60), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn abort_ends_park_within_a_slice() {
        let (mut c, _s) = pair(12, 12);
        let slice = Duration::from_millis(20);
        let cfg = WaitConfig {
            spin: Duration::ZERO,
            park_slice: slice,
        };
        let flag = Arc::new(AtomicBool::new(false));
        let calls = AtomicU32::new(0);
        let f2 = flag.clone();
        let setter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            let at = Instant::now();
            f2.store(true, Ordering::SeqCst);
            at
        });
        let abort = || {
            calls.fetch_add(1, Ordering::SeqCst);
            flag.load(Ordering::SeqCst)
        };
        let w = Waiter::new(cfg).with_abort(&abort);
        assert_eq!(c.wait_readable(&w), Err(RingError::Aborted));
        let ended = Instant::now();
        let set_at = setter.join().unwrap();
        let lag = ended.duration_since(set_at);
        println!("abort noticed {lag:?} after it was set (slice {slice:?})");
        // One slice plus generous scheduling slack; without slicing the wait
        // would never end.
        assert!(lag < slice + Duration::from_millis(500), "{lag:?}");
        // About one check per slice over the 100 ms wait.
        assert!(calls.load(Ordering::SeqCst) >= 3);
    }

    /// A spinning reader watches the bytes at its read position; a peer that
    /// writes there the very bytes a lap earlier left is still seen (by the
    /// index, looked at now and then), not missed until the deadline.
    #[test]
    fn spinning_reader_sees_data_identical_to_the_last_lap() {
        let (mut c, mut s) = pair(12, 12);
        let lap: Vec<u8> = (0..4096u32).map(|i| (i * 7) as u8).collect();
        let w = Waiter::new(WaitConfig::default()).with_timeout(Duration::from_secs(5));
        c.write_all(&lap, &w).unwrap();
        let mut back = vec![0u8; lap.len()];
        s.read_exact(&mut back, &w).unwrap();
        // The server's read position is at the start of the ring again,
        // where the lap's first bytes still are.
        let cfg = WaitConfig {
            spin: Duration::from_secs(30),
            park_slice: Duration::from_secs(30),
        };
        let first = lap[..16].to_vec();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            c.write(&first).unwrap();
            c
        });
        let w = Waiter::new(cfg).with_timeout(Duration::from_secs(5));
        let mut buf = [0u8; 16];
        assert_eq!(s.read_exact(&mut buf, &w), Ok(()));
        assert_eq!(&buf[..], &lap[..16]);
        drop(writer.join().unwrap());
    }

    #[test]
    fn parked_reader_is_woken_by_writer() {
        let (mut c, mut s) = pair(10, 11);
        let cfg = WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::from_secs(30),
        };
        let t = std::thread::spawn(move || {
            let w = Waiter::new(cfg).with_timeout(Duration::from_secs(60));
            let mut buf = [0u8; 3];
            let start = Instant::now();
            s.read_exact(&mut buf, &w).unwrap();
            (buf, start.elapsed())
        });
        std::thread::sleep(Duration::from_millis(50));
        c.write(b"abc").unwrap();
        let (buf, took) = t.join().unwrap();
        assert_eq!(&buf, b"abc");
        // Woken, not saved by the 30 s slice.
        assert!(took < Duration::from_secs(10), "{took:?}");
    }

    /// A wait for data that parks publishes the reads it deferred: the peer
    /// sees all its room while this side sleeps.
    #[test]
    fn a_parking_reader_publishes_what_it_deferred() {
        let (mut c, mut s) = pair(10, 11);
        s.defer_consumption(true);
        c.write(&[9u8; 40]).unwrap();
        let mut buf = [0u8; 40];
        assert_eq!(s.read(&mut buf).unwrap(), 40);
        assert_eq!(c.buffer_space().unwrap(), 1024 - 40);
        let cfg = WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::from_millis(5),
        };
        let w = Waiter::new(cfg).with_timeout(Duration::from_millis(20));
        assert!(matches!(s.wait_readable(&w), Err(RingError::Timeout)));
        assert_eq!(c.buffer_space().unwrap(), 1024);
    }

    /// Both ends defer publishing `cons` and stream more than either ring
    /// holds, each way at once, with waits that park at once: no side ever
    /// waits for room the other holds back.
    #[test]
    fn streams_through_deferring_ends_never_stall() {
        let (mut c, mut s) = pair(10, 11);
        c.defer_consumption(true);
        s.defer_consumption(true);
        let cfg = WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::from_secs(30),
        };
        const LEN: usize = 256 * 1024;
        let data: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
        let echo = std::thread::spawn(move || {
            let w = Waiter::new(cfg).with_timeout(Duration::from_secs(60));
            // Reads in odd pieces and writes each piece back.
            let mut piece = [0u8; 77];
            let mut left = LEN;
            while left > 0 {
                let n = left.min(piece.len());
                s.read_exact(&mut piece[..n], &w).unwrap();
                s.write_all(&piece[..n], &w).unwrap();
                left -= n;
            }
        });
        let w = Waiter::new(cfg).with_timeout(Duration::from_secs(60));
        let mut back = vec![0u8; LEN];
        let start = Instant::now();
        let mut sent = 0;
        let mut got = 0;
        while got < LEN {
            // Keep at most 300 bytes in flight: the echo's ring never fills
            // while we write, so neither side blocks on room for good.
            if sent < LEN && sent - got < 300 {
                let n = (LEN - sent).min(100);
                c.write_all(&data[sent..sent + n], &w).unwrap();
                sent += n;
            } else {
                let n = (sent - got).min(64);
                c.read_exact(&mut back[got..got + n], &w).unwrap();
                got += n;
            }
        }
        echo.join().unwrap();
        assert!(back == data, "bytes differ");
        // Parked waits woken by the peer, never saved by the 30 s slice.
        assert!(start.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn peer_close_wakes_a_parked_waiter() {
        let (mut c, s) = pair(12, 12);
        let cfg = WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::from_secs(30),
        };
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(s);
        });
        let start = Instant::now();
        let w = Waiter::new(cfg);
        assert_eq!(c.wait_readable(&w), Err(RingError::PeerClosed));
        assert!(start.elapsed() < Duration::from_secs(10));
        t.join().unwrap();
    }

    #[test]
    fn hostile_futex_value_is_only_a_spurious_wakeup() {
        let (mut c, s) = pair(12, 12);
        let stop = Arc::new(AtomicBool::new(false));
        let st = stop.clone();
        let shm = s.shared_memory().clone();
        let layout = s.layout();
        let t = std::thread::spawn(move || {
            let page = shm.event_page(layout).unwrap();
            let w = page.futex_word(Side::Client);
            let mut v = 0u32;
            while !st.load(Ordering::SeqCst) {
                v = v.wrapping_mul(2654435761).wrapping_add(1);
                w.store(v, Ordering::SeqCst);
                let _ = futex::wake(w, futex::Flags::empty(), 1);
            }
        });
        let w = Waiter::new(WaitConfig {
            spin: Duration::ZERO,
            park_slice: Duration::from_millis(5),
        })
        .with_timeout(Duration::from_millis(50));
        assert_eq!(c.wait_readable(&w), Err(RingError::Timeout));
        stop.store(true, Ordering::SeqCst);
        t.join().unwrap();
        drop(s);
    }

    /// CPU time of the calling thread.
    fn thread_cpu() -> Duration {
        // SAFETY: getrusage fills the struct it is given.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pointer to a rusage.
        assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut u) }, 0);
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        tv(u.ru_utime) + tv(u.ru_stime)
    }

    /// Starts a thread that bumps the client's futex word and wakes it as
    /// fast as it can, with nothing in the ring, until `stop`.
    fn bumper(s: &Endpoint, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
        let shm = s.shared_memory().clone();
        let layout = s.layout();
        std::thread::spawn(move || {
            let page = shm.event_page(layout).unwrap();
            let w = page.futex_word(Side::Client);
            let mut bumps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                w.fetch_add(1, Ordering::SeqCst);
                let _ = futex::wake(w, futex::Flags::empty(), 1);
                bumps += 1;
            }
            bumps
        })
    }

    #[test]
    fn bumping_the_futex_word_does_not_make_the_waiter_spin() {
        let (mut c, s) = pair(12, 12);
        let stop = Arc::new(AtomicBool::new(false));
        let t = bumper(&s, stop.clone());
        // Default spin and slice: what a client waits with.
        let wall = Duration::from_millis(600);
        let w = Waiter::new(WaitConfig::default()).with_timeout(wall);
        let cpu0 = thread_cpu();
        let start = Instant::now();
        assert_eq!(c.wait_readable(&w), Err(RingError::Timeout));
        let (took, cpu) = (start.elapsed(), thread_cpu() - cpu0);
        stop.store(true, Ordering::SeqCst);
        let bumps = t.join().unwrap();
        println!("{bumps} bumps; waiter used {cpu:?} of CPU in {took:?}");
        assert!(bumps > 1000, "the bumper ran ({bumps} bumps)");
        // Before the pauses the waiter spun through FUTEX_WAIT at ~90 %.
        assert!(
            cpu.as_secs_f64() < 0.2 * took.as_secs_f64(),
            "the waiter used {cpu:?} of CPU in {took:?}"
        );
        assert!(took < wall + Duration::from_millis(500), "{took:?}");
        drop(s);
    }

    #[test]
    fn data_after_a_bumping_storm_is_still_read_promptly() {
        let (mut c, mut s) = pair(12, 12);
        let stop = Arc::new(AtomicBool::new(false));
        let t = bumper(&s, stop.clone());
        let st = stop.clone();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            st.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(50));
            let at = Instant::now();
            s.write(b"x").unwrap();
            (at, s)
        });
        let w = Waiter::new(WaitConfig::default()).with_timeout(Duration::from_secs(30));
        assert_eq!(c.wait_readable(&w), Ok(1));
        let noticed = Instant::now();
        let (written, s) = writer.join().unwrap();
        t.join().unwrap();
        let lag = noticed.duration_since(written);
        println!("read {lag:?} after the write");
        // At most one pause (a park slice) plus scheduling.
        assert!(lag < Duration::from_millis(300), "{lag:?}");
        drop(s);
    }

    #[test]
    fn idle_wakes_pause_only_after_a_streak() {
        let slice = Duration::from_millis(10);
        let mut idle = IdleWakes::default();
        assert_eq!(idle.after(LastPark::Full, slice), None);
        assert_eq!(idle.after(LastPark::Early, slice), None);
        assert_eq!(idle.after(LastPark::Early, slice), None);
        assert_eq!(
            idle.after(LastPark::Early, slice),
            Some(IdleWakes::FIRST_PAUSE)
        );
        // A pause is always followed by a park.
        assert_eq!(idle.after(LastPark::Slept, slice), None);
        assert_eq!(
            idle.after(LastPark::Early, slice),
            Some(IdleWakes::FIRST_PAUSE * 2)
        );
        for _ in 0..40 {
            idle.after(LastPark::Early, slice);
        }
        assert_eq!(idle.after(LastPark::Early, slice), Some(slice));
        assert_eq!(
            idle.after(LastPark::Early, Duration::from_micros(30)),
            Some(Duration::from_micros(30)),
            "never past the slice (the deadline)"
        );
        // A quiet slice ends the streak.
        assert_eq!(idle.after(LastPark::Full, slice), None);
        assert_eq!(idle.after(LastPark::Early, slice), None);
    }
}

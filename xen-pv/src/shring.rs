//! One direction of a shared byte ring, as Xen's rings are: a power-of-two
//! data area and two free-running `u32` indices, `cons` and `prod`, in
//! memory the peer domain can write at any time. The XenStore ring and
//! both vchan rings are of this kind.
//!
//! The peer is not trusted. Each side keeps its own index privately and
//! only publishes it; it never reads it back. The peer's index is checked
//! every time it is read: it may not put more than the ring's size in
//! flight, nor move backwards. A breach is a [`RingViolation`], and the
//! ring stays poisoned. Bytes are copied between the shared area and
//! private buffers with volatile accesses, so the peer cannot change data
//! after it was checked, and the compiler cannot read it twice.

use core::sync::atomic::{AtomicU32, Ordering};

/// The peer broke the ring protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingViolation {
    /// The peer's index as read.
    pub peer: u32,
    /// Our own index.
    pub ours: u32,
    /// The ring size.
    pub size: u32,
}

impl core::fmt::Display for RingViolation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "peer index {} against ours {} breaks a ring of {} bytes",
            self.peer, self.ours, self.size
        )
    }
}

/// Where a ring lives in shared memory.
#[derive(Clone, Copy, Debug)]
pub struct RingPlace {
    /// The data area, `size` bytes.
    pub data: *mut u8,
    /// The ring size, a power of two.
    pub size: u32,
    /// The `cons` index (4-aligned).
    pub cons: *mut u8,
    /// The `prod` index (4-aligned).
    pub prod: *mut u8,
}

/// Which end of the ring we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Producer,
    Consumer,
}

/// Our end of one ring.
#[derive(Debug)]
pub struct RingEnd {
    place: RingPlace,
    role: Role,
    /// Our index (prod for a producer, cons for a consumer), never re-read.
    ours: u32,
    /// The peer's index as last validated.
    peer: u32,
    poisoned: Option<RingViolation>,
}

impl RingEnd {
    /// The producer end of the ring at `place`, starting from the indices
    /// found there (which are checked like any peer value).
    ///
    /// # Safety
    ///
    /// `place` must describe memory that stays mapped, readable and
    /// writable, for the life of the end; `size` must be a power of two.
    pub unsafe fn producer(place: RingPlace) -> Result<RingEnd, RingViolation> {
        // SAFETY: as the caller vouches.
        unsafe { Self::new(place, Role::Producer) }
    }

    /// The consumer end of the ring at `place`.
    ///
    /// # Safety
    ///
    /// As [`RingEnd::producer`].
    pub unsafe fn consumer(place: RingPlace) -> Result<RingEnd, RingViolation> {
        // SAFETY: as the caller vouches.
        unsafe { Self::new(place, Role::Consumer) }
    }

    unsafe fn new(place: RingPlace, role: Role) -> Result<RingEnd, RingViolation> {
        debug_assert!(place.size.is_power_of_two());
        let mut end = RingEnd {
            place,
            role,
            ours: 0,
            peer: 0,
            poisoned: None,
        };
        let (ours, peer) = match role {
            Role::Producer => (place.prod, place.cons),
            Role::Consumer => (place.cons, place.prod),
        };
        end.ours = end.index(ours).load(Ordering::Acquire);
        end.peer = end.index(peer).load(Ordering::Acquire);
        end.check(end.peer, end.peer)?;
        Ok(end)
    }

    fn index(&self, at: *mut u8) -> &AtomicU32 {
        // SAFETY: `RingPlace` names aligned `u32` indices in memory that stays
        // mapped (the constructor's contract); the peer changes them only as
        // whole words.
        unsafe { AtomicU32::from_ptr(at.cast()) }
    }

    /// Bytes in flight for a peer index `peer` (checked).
    fn check(&mut self, peer: u32, previous: u32) -> Result<u32, RingViolation> {
        let in_flight = match self.role {
            Role::Producer => self.ours.wrapping_sub(peer),
            Role::Consumer => peer.wrapping_sub(self.ours),
        };
        let forward = peer.wrapping_sub(previous);
        if in_flight > self.place.size || forward > self.place.size {
            let v = RingViolation {
                peer,
                ours: self.ours,
                size: self.place.size,
            };
            self.poisoned = Some(v);
            return Err(v);
        }
        Ok(in_flight)
    }

    /// Reads and checks the peer's index: bytes in flight.
    fn in_flight(&mut self) -> Result<u32, RingViolation> {
        if let Some(v) = self.poisoned {
            return Err(v);
        }
        let at = match self.role {
            Role::Producer => self.place.cons,
            Role::Consumer => self.place.prod,
        };
        let peer = self.index(at).load(Ordering::Acquire);
        let n = self.check(peer, self.peer)?;
        self.peer = peer;
        Ok(n)
    }

    /// Producer: free bytes. Consumer: bytes ready.
    pub fn available(&mut self) -> Result<usize, RingViolation> {
        let n = self.in_flight()?;
        Ok(match self.role {
            Role::Producer => (self.place.size - n) as usize,
            Role::Consumer => n as usize,
        })
    }

    /// The ring size.
    pub fn size(&self) -> usize {
        self.place.size as usize
    }

    /// Producer: copies as much of `data` as fits and publishes it; how
    /// many bytes that was.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, RingViolation> {
        debug_assert_eq!(self.role, Role::Producer);
        let n = self.available()?.min(data.len());
        let mask = self.place.size - 1;
        for (i, &b) in data[..n].iter().enumerate() {
            let at = (self.ours.wrapping_add(i as u32) & mask) as usize;
            // SAFETY: `at < size`, inside the data area.
            unsafe { self.place.data.add(at).write_volatile(b) };
        }
        self.ours = self.ours.wrapping_add(n as u32);
        self.index(self.place.prod)
            .store(self.ours, Ordering::Release);
        Ok(n)
    }

    /// Consumer: copies out as many ready bytes as `buf` holds and frees
    /// them; how many that was.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, RingViolation> {
        debug_assert_eq!(self.role, Role::Consumer);
        let n = self.available()?.min(buf.len());
        let mask = self.place.size - 1;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let at = (self.ours.wrapping_add(i as u32) & mask) as usize;
            // SAFETY: `at < size`, inside the data area.
            *b = unsafe { self.place.data.add(at).read_volatile() };
        }
        self.ours = self.ours.wrapping_add(n as u32);
        self.index(self.place.cons)
            .store(self.ours, Ordering::Release);
        Ok(n)
    }

    /// The violation that poisoned the ring, if any.
    pub fn poisoned(&self) -> Option<RingViolation> {
        self.poisoned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    /// A ring of `size` bytes with its two indices, in one buffer.
    struct Mem(Vec<u32>);

    impl Mem {
        fn new(size: u32) -> Mem {
            Mem(std::vec![0u32; 2 + size as usize / 4])
        }
        fn place(&mut self, size: u32) -> RingPlace {
            let base = self.0.as_mut_ptr().cast::<u8>();
            RingPlace {
                data: base.wrapping_add(8),
                size,
                cons: base,
                prod: base.wrapping_add(4),
            }
        }
    }

    #[test]
    fn bytes_cross_in_order_across_the_wrap() {
        let mut m = Mem::new(16);
        // SAFETY: `m` outlives both ends.
        let (mut p, mut c) = unsafe {
            (
                RingEnd::producer(m.place(16)).unwrap(),
                RingEnd::consumer(m.place(16)).unwrap(),
            )
        };
        let mut next = 0u8;
        let mut want = 0u8;
        for round in 0..500usize {
            let chunk: Vec<u8> = (0..(round % 13 + 1))
                .map(|i| next.wrapping_add(i as u8))
                .collect();
            let n = p.write(&chunk).unwrap();
            next = next.wrapping_add(n as u8);
            let mut buf = [0u8; 7];
            let got = c.read(&mut buf[..round % 7 + 1]).unwrap();
            for &b in &buf[..got] {
                assert_eq!(b, want);
                want = want.wrapping_add(1);
            }
        }
    }

    #[test]
    fn an_impossible_peer_index_poisons_the_ring() {
        let mut m = Mem::new(16);
        // SAFETY: `m` outlives the end.
        let mut c = unsafe { RingEnd::consumer(m.place(16)).unwrap() };
        m.0[1] = 17; // prod: 17 bytes in a 16-byte ring
        assert!(c.available().is_err());
        m.0[1] = 3;
        assert!(c.read(&mut [0u8; 4]).is_err(), "stays poisoned");

        let mut m = Mem::new(16);
        // SAFETY: as above.
        let mut c = unsafe { RingEnd::consumer(m.place(16)).unwrap() };
        m.0[1] = 10;
        assert_eq!(c.read(&mut [0u8; 4]).unwrap(), 4);
        m.0[1] = 8; // backwards, though still "in range" of cons 4
        assert!(c.available().is_err());

        let mut m = Mem::new(16);
        // SAFETY: as above.
        let mut p = unsafe { RingEnd::producer(m.place(16)).unwrap() };
        assert_eq!(p.write(&[1; 10]).unwrap(), 10);
        m.0[0] = 11; // cons beyond prod
        assert!(p.write(&[1]).is_err());
    }
}

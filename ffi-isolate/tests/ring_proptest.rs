//! A hostile peer: it sets its indices, its live byte and our notify byte in
//! the shared page to random and boundary values between our operations. The
//! endpoint must return exactly what a model of the protocol says (data, or a
//! typed error), never panic, and never touch a byte of the mapping other
//! than the ones it owns.

use std::sync::Arc;

use ffi_isolate::ring::{
    ControlPage, Endpoint, Ring, RingError, Side, Violation, NOTIFY_READ, NOTIFY_WRITE,
};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use proptest::prelude::*;

const LAYOUTS: &[(u16, u16)] = &[
    (10, 11),
    (11, 10),
    (12, 11),
    (11, 12),
    (12, 12),
    (13, 10),
    (10, 13),
];

/// Where a hostile index value is anchored.
#[derive(Debug, Clone, Copy)]
enum Base {
    Zero,
    Start,
    /// Our private index on that ring (the peer's valid range starts there).
    Ours,
    /// The last value of this index the endpoint accepted.
    Seen,
}

/// What is added to the base.
#[derive(Debug, Clone, Copy)]
enum Delta {
    Zero,
    One,
    MinusOne,
    SizeMinusOne,
    Size,
    SizePlusOne,
    Max,
    Small(u16),
    Raw(u32),
}

#[derive(Debug, Clone)]
enum Op {
    /// The peer sets its `prod` on the ring we read.
    PeerProd(Base, Delta),
    /// The peer sets its `cons` on the ring we write.
    PeerCons(Base, Delta),
    /// The peer scribbles on our own indices (we must ignore them).
    ClobberOwn(u32, u32),
    /// The peer sets its live byte.
    PeerLive(u8),
    /// The peer scribbles on our notify byte.
    OurNotify(u8),
    Read(usize),
    Write(usize, u8),
    DataReady,
    BufferSpace,
}

fn base() -> impl Strategy<Value = Base> {
    prop_oneof![
        1 => Just(Base::Zero),
        1 => Just(Base::Start),
        4 => Just(Base::Ours),
        2 => Just(Base::Seen),
    ]
}

fn delta() -> impl Strategy<Value = Delta> {
    prop_oneof![
        1 => Just(Delta::Zero),
        1 => Just(Delta::One),
        1 => Just(Delta::MinusOne),
        1 => Just(Delta::SizeMinusOne),
        1 => Just(Delta::Size),
        1 => Just(Delta::SizePlusOne),
        1 => Just(Delta::Max),
        3 => any::<u16>().prop_map(Delta::Small),
        1 => any::<u32>().prop_map(Delta::Raw),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (base(), delta()).prop_map(|(b, d)| Op::PeerProd(b, d)),
        4 => (base(), delta()).prop_map(|(b, d)| Op::PeerCons(b, d)),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Op::ClobberOwn(a, b)),
        1 => prop_oneof![Just(0u8), Just(1), Just(2), Just(3), any::<u8>()].prop_map(Op::PeerLive),
        1 => any::<u8>().prop_map(Op::OurNotify),
        3 => (0usize..5000).prop_map(Op::Read),
        3 => (0usize..5000, any::<u8>()).prop_map(|(n, s)| Op::Write(n, s)),
        1 => Just(Op::DataReady),
        1 => Just(Op::BufferSpace),
    ]
}

fn start() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(u32::MAX),
        Just(u32::MAX - 1),
        Just(u32::MAX - 1500),
        Just(i32::MAX as u32),
        any::<u32>(),
    ]
}

fn value(base: Base, delta: Delta, start: u32, ours: u32, seen: u32, size: u32) -> u32 {
    let b = match base {
        Base::Zero => 0,
        Base::Start => start,
        Base::Ours => ours,
        Base::Seen => seen,
    };
    let d = match delta {
        Delta::Zero => 0,
        Delta::One => 1,
        Delta::MinusOne => u32::MAX,
        Delta::SizeMinusOne => size - 1,
        Delta::Size => size,
        Delta::SizePlusOne => size + 1,
        Delta::Max => u32::MAX,
        Delta::Small(s) => u32::from(s),
        Delta::Raw(r) => r,
    };
    b.wrapping_add(d)
}

fn ring_pattern(j: usize) -> u8 {
    (j.wrapping_mul(31) ^ (j >> 7)) as u8
}

/// What the client endpoint should hold, derived from the protocol alone.
struct Model {
    rx: u32,
    tx: u32,
    rd_cons: u32,
    rd_prod_seen: u32,
    wr_prod: u32,
    wr_cons_seen: u32,
    peer_prod: u32,
    peer_cons: u32,
    peer_live: u8,
    poisoned: Option<Violation>,
}

impl Model {
    fn poison(&mut self, v: Violation) -> RingError {
        self.poisoned.get_or_insert(v);
        RingError::Violation(self.poisoned.unwrap())
    }

    fn live(&mut self) -> Result<u8, RingError> {
        if let Some(v) = self.poisoned {
            return Err(v.into());
        }
        if self.peer_live > 2 {
            return Err(self.poison(Violation::LiveByte {
                side: Side::Server,
                value: self.peer_live,
            }));
        }
        Ok(self.peer_live)
    }

    fn ready(&mut self) -> Result<u32, RingError> {
        if let Some(v) = self.poisoned {
            return Err(v.into());
        }
        let prod = self.peer_prod;
        let ready = prod.wrapping_sub(self.rd_cons);
        if ready > self.rx {
            return Err(self.poison(Violation::IndexRange {
                ring: Ring::Right,
                prod,
                cons: self.rd_cons,
                size: self.rx,
            }));
        }
        if ready < self.rd_prod_seen.wrapping_sub(self.rd_cons) {
            return Err(self.poison(Violation::IndexBackwards {
                ring: Ring::Right,
                previous: self.rd_prod_seen,
                current: prod,
            }));
        }
        self.rd_prod_seen = prod;
        Ok(ready)
    }

    fn space(&mut self) -> Result<u32, RingError> {
        if let Some(v) = self.poisoned {
            return Err(v.into());
        }
        let cons = self.peer_cons;
        let used = self.wr_prod.wrapping_sub(cons);
        if used > self.tx {
            return Err(self.poison(Violation::IndexRange {
                ring: Ring::Left,
                prod: self.wr_prod,
                cons,
                size: self.tx,
            }));
        }
        let in_range =
            cons.wrapping_sub(self.wr_cons_seen) <= self.wr_prod.wrapping_sub(self.wr_cons_seen);
        if !in_range {
            return Err(self.poison(Violation::IndexBackwards {
                ring: Ring::Left,
                previous: self.wr_cons_seen,
                current: cons,
            }));
        }
        self.wr_cons_seen = cons;
        Ok(self.tx - used)
    }

    fn read(&mut self, len: usize) -> Result<usize, RingError> {
        let ready = self.ready()?;
        if ready == 0 {
            return match self.live()? {
                0 => Err(RingError::PeerClosed),
                _ => Ok(0),
            };
        }
        Ok((ready as usize).min(len))
    }

    fn write(&mut self, len: usize) -> Result<usize, RingError> {
        if self.live()? == 0 {
            return Err(RingError::PeerClosed);
        }
        let space = self.space()?;
        Ok((space as usize).min(len))
    }
}

fn snapshot(shm: &SharedMemory) -> Vec<u8> {
    let mut v = vec![0u8; shm.len()];
    // SAFETY: this test is single-threaded and nothing else maps the memfd,
    // so nothing writes the mapping while it is copied; the range is exactly
    // the mapping.
    unsafe { std::ptr::copy_nonoverlapping(shm.as_ptr(), v.as_mut_ptr(), shm.len()) };
    v
}

fn run_case(orders: (u16, u16), start: u32, ops: &[Op]) -> Result<(), TestCaseError> {
    use std::sync::atomic::Ordering::SeqCst;

    let layout = RingLayout::new(orders.0, orders.1).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let mut ep = Endpoint::create_at(shm.clone(), Side::Client, layout, start).unwrap();
    let ctrl = ControlPage::new(&shm);
    let rx = layout.ring_len(Ring::Right);
    let tx = layout.ring_len(Ring::Left);
    let rx_off = layout.ring_offset(Ring::Right);
    let tx_off = layout.ring_offset(Ring::Left);
    let ev = layout.event_page_offset();
    for j in 0..rx {
        // SAFETY: inside the read ring, inside the mapping; single-threaded.
        unsafe { shm.as_ptr().add(rx_off + j).write(ring_pattern(j)) };
    }
    let mut m = Model {
        rx: rx as u32,
        tx: tx as u32,
        rd_cons: start,
        rd_prod_seen: start,
        wr_prod: start,
        wr_cons_seen: start,
        peer_prod: start,
        peer_cons: start,
        peer_live: 2,
        poisoned: None,
    };
    let mut buf = vec![0u8; 5000];
    for op in ops {
        let before = snapshot(&shm);
        let mut expect = before.clone();
        // Apply the bookkeeping an operation that moved `bit` performs.
        let acted = |expect: &mut Vec<u8>, bit: u8| {
            if before[22] & bit != 0 {
                expect[22] = before[22] & !bit;
                let w = u32::from_ne_bytes(before[ev + 64..ev + 68].try_into().unwrap());
                expect[ev + 64..ev + 68].copy_from_slice(&w.wrapping_add(1).to_ne_bytes());
            }
        };
        match *op {
            Op::PeerProd(b, d) => {
                m.peer_prod = value(b, d, start, m.rd_cons, m.rd_prod_seen, m.rx);
                ctrl.prod(Ring::Right).store(m.peer_prod, SeqCst);
                continue;
            }
            Op::PeerCons(b, d) => {
                m.peer_cons = value(b, d, start, m.wr_prod, m.wr_cons_seen, m.tx);
                ctrl.cons(Ring::Left).store(m.peer_cons, SeqCst);
                continue;
            }
            Op::ClobberOwn(p, c) => {
                ctrl.prod(Ring::Left).store(p, SeqCst);
                ctrl.cons(Ring::Right).store(c, SeqCst);
                continue;
            }
            Op::PeerLive(v) => {
                m.peer_live = v;
                ctrl.live(Side::Server).store(v, SeqCst);
                continue;
            }
            Op::OurNotify(v) => {
                ctrl.notify(Side::Client).store(v, SeqCst);
                continue;
            }
            Op::DataReady => {
                let want = m.ready().map(|n| n as usize);
                prop_assert_eq!(ep.data_ready(), want);
            }
            Op::BufferSpace => {
                let want = m.space().map(|n| n as usize);
                prop_assert_eq!(ep.buffer_space(), want);
            }
            Op::Read(len) => {
                let want = m.read(len);
                let got = ep.read(&mut buf[..len]);
                prop_assert_eq!(got, want);
                if let Ok(n) = got {
                    for (k, &b) in buf[..n].iter().enumerate() {
                        let j = (m.rd_cons as usize).wrapping_add(k) & (rx - 1);
                        prop_assert_eq!(b, ring_pattern(j));
                    }
                    if n > 0 {
                        m.rd_cons = m.rd_cons.wrapping_add(n as u32);
                        expect[8..12].copy_from_slice(&m.rd_cons.to_ne_bytes());
                        acted(&mut expect, NOTIFY_READ);
                    }
                }
            }
            Op::Write(len, seed) => {
                let data: Vec<u8> = (0..len)
                    .map(|i| (i as u8).wrapping_mul(seed) ^ seed)
                    .collect();
                let want = m.write(len);
                let got = ep.write(&data);
                prop_assert_eq!(got, want);
                if let Ok(n) = got {
                    if n > 0 {
                        for (k, &b) in data[..n].iter().enumerate() {
                            let j = (m.wr_prod as usize).wrapping_add(k) & (tx - 1);
                            expect[tx_off + j] = b;
                        }
                        m.wr_prod = m.wr_prod.wrapping_add(n as u32);
                        expect[4..8].copy_from_slice(&m.wr_prod.to_ne_bytes());
                        acted(&mut expect, NOTIFY_WRITE);
                    }
                }
            }
        }
        let after = snapshot(&shm);
        if after != expect {
            let first = after.iter().zip(&expect).position(|(a, e)| a != e).unwrap();
            return Err(TestCaseError::fail(format!(
                "{op:?} changed byte {first} of the mapping: {} instead of {}",
                after[first], expect[first]
            )));
        }
        prop_assert_eq!(ep.poisoned(), m.poisoned);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn hostile_indices_give_data_or_typed_errors(
        orders in proptest::sample::select(LAYOUTS),
        start in start(),
        ops in proptest::collection::vec(op(), 1..24),
    ) {
        run_case(orders, start, &ops)?;
    }
}

/// A few fixed sequences with boundary values, run on every test run.
#[test]
fn boundary_sequences() {
    let seqs: Vec<Vec<Op>> = vec![
        // Exactly a full ring, then one byte more.
        vec![
            Op::PeerProd(Base::Ours, Delta::Size),
            Op::Read(1),
            Op::PeerProd(Base::Seen, Delta::One),
            Op::Read(5000),
            Op::PeerProd(Base::Seen, Delta::One),
            Op::Read(1),
        ],
        // Peer index moved back by one.
        vec![
            Op::PeerProd(Base::Ours, Delta::Small(10)),
            Op::DataReady,
            Op::PeerProd(Base::Seen, Delta::MinusOne),
            Op::Read(10),
            Op::Write(3, 1),
        ],
        // Consumer ahead of our producer, then u32::MAX.
        vec![
            Op::Write(100, 3),
            Op::PeerCons(Base::Ours, Delta::One),
            Op::Write(1, 1),
        ],
        vec![Op::PeerCons(Base::Zero, Delta::Max), Op::BufferSpace],
        // Peer gone with data left, then a bad live byte.
        vec![
            Op::PeerProd(Base::Ours, Delta::Small(3)),
            Op::PeerLive(0),
            Op::Write(1, 1),
            Op::Read(2),
            Op::Read(2),
            Op::Read(2),
            Op::PeerLive(7),
            Op::Read(2),
        ],
    ];
    for start in [0, u32::MAX, u32::MAX - 1500] {
        for &orders in LAYOUTS {
            for ops in &seqs {
                run_case(orders, start, ops).unwrap();
            }
        }
    }
}

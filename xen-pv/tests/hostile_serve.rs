//! The unikernel's service loop (`xen_pv::serve`) against a client that
//! sends anything: well-formed sessions are answered call by call, and
//! random bytes, hostile headers (lengths up to `u32::MAX`, unknown kinds,
//! reserved bytes set) and frames out of order end the session with a
//! `Fault`, never a panic, an allocation sized by the client, or a read
//! past the frame announced.

use ffi_desc::frame::{Header, Kind, HEADER_LEN};
use xen_pv::serve::{session, Answer, End, Service, Stream, Then, HELLO_LEN};
use xen_pv::time::Instant;
use xen_pv::vchan::VchanError;

/// The client's bytes, and what the service sent back.
struct Scripted {
    input: Vec<u8>,
    at: usize,
    output: Vec<u8>,
    /// The longest single read asked for.
    largest_read: usize,
}

impl Stream for Scripted {
    fn send_all(&mut self, data: &[u8], _: Instant) -> Result<(), VchanError> {
        self.output.extend_from_slice(data);
        Ok(())
    }
    fn recv_exact(&mut self, buf: &mut [u8], _: Instant) -> Result<(), VchanError> {
        self.largest_read = self.largest_read.max(buf.len());
        if self.input.len() - self.at < buf.len() {
            self.at = self.input.len();
            return Err(VchanError::Closed);
        }
        buf.copy_from_slice(&self.input[self.at..self.at + buf.len()]);
        self.at += buf.len();
        Ok(())
    }
}

const FP: [u8; 16] = *b"test fingerprint";
const MAX: usize = 4096;

/// Reverses its argument (0), ends the session (1).
struct Rev;
impl Service for Rev {
    fn fingerprint(&self) -> [u8; 16] {
        FP
    }
    fn max_payload(&self) -> usize {
        MAX
    }
    fn call(&mut self, index: u32, args: &[u8]) -> (Answer, Then) {
        match index {
            0 => (Ok(args.iter().rev().copied().collect()), Then::Continue),
            1 => (Ok(Vec::new()), Then::End),
            n => (Err(format!("no function {n}")), Then::Continue),
        }
    }
}

fn frame(kind: Kind, index: u32, call_id: u64, payload: &[u8]) -> Vec<u8> {
    let mut f = Header::encode_for(kind, index, call_id, payload)
        .unwrap()
        .to_vec();
    f.extend_from_slice(payload);
    f
}

fn hello(fp: [u8; 16]) -> Vec<u8> {
    let mut p = fp.to_vec();
    p.extend_from_slice(&[0; HELLO_LEN - 16]);
    frame(Kind::Hello, 0, 1, &p)
}

fn run(input: Vec<u8>) -> (xen_pv::serve::Report, Scripted) {
    let mut s = Scripted {
        input,
        at: 0,
        output: Vec::new(),
        largest_read: 0,
    };
    let report = session(&mut s, &mut Rev, &|| Instant(0));
    (report, s)
}

/// The frames the service sent.
fn frames(out: &[u8]) -> Vec<(Header, Vec<u8>)> {
    let mut at = 0;
    let mut all = Vec::new();
    while at < out.len() {
        let h = Header::decode(out[at..at + HEADER_LEN].try_into().unwrap(), usize::MAX).unwrap();
        let end = at + HEADER_LEN + h.len as usize;
        all.push((h, out[at + HEADER_LEN..end].to_vec()));
        at = end;
    }
    all
}

#[test]
fn a_session_is_answered_call_by_call() {
    let mut input = hello(FP);
    input.extend(frame(Kind::Call, 0, 7, b"abc"));
    input.extend(frame(Kind::Call, 9, 8, b""));
    input.extend(frame(Kind::Call, 0, 9, &[5u8; MAX]));
    input.extend(frame(Kind::Call, 1, 10, b""));
    input.extend(frame(Kind::Call, 0, 11, b"never read"));
    let (report, s) = run(input);
    assert_eq!(
        (report.replies, report.faults, report.end),
        (3, 1, End::Asked)
    );
    let got = frames(&s.output);
    assert_eq!(got[0].0.kind, Kind::Welcome);
    assert_eq!(got[0].1, FP);
    assert_eq!(
        (got[1].0.kind, got[1].0.call_id, &got[1].1[..]),
        (Kind::Reply, 7, &b"cba"[..])
    );
    assert_eq!(
        (got[2].0.kind, &got[2].1[..]),
        (Kind::Fault, &b"no function 9"[..])
    );
    assert_eq!((got[3].0.kind, got[3].1.len()), (Kind::Reply, MAX));
    assert_eq!((got[4].0.kind, got[4].0.call_id), (Kind::Reply, 10));
    assert_eq!(got.len(), 5);
}

#[test]
fn another_fingerprint_is_refused() {
    let (report, s) = run(hello([0; 16]));
    assert_eq!(report.end, End::Refused);
    let got = frames(&s.output);
    assert_eq!(
        (got.len(), got[0].0.kind, &got[0].1[..]),
        (1, Kind::Refused, &FP[..])
    );
}

#[test]
fn hostile_headers_end_the_session_with_a_fault() {
    let good = Header::encode_for(Kind::Call, 0, 3, &[]).unwrap();
    let mut too_long = good;
    too_long[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut bad_kind = good;
    bad_kind[2] = 200;
    let mut reserved = good;
    reserved[23] = 1;
    let mut magic = good;
    magic[0] ^= 0xFF;
    let welcome_back = frame(Kind::Welcome, 0, 3, &FP);
    for bad in [&too_long[..], &bad_kind, &reserved, &magic, &welcome_back] {
        let mut input = hello(FP);
        input.extend_from_slice(bad);
        input.extend(frame(Kind::Call, 0, 4, b"after"));
        let (report, s) = run(input);
        assert!(matches!(report.end, End::Violation(_)), "{:?}", report.end);
        let got = frames(&s.output);
        assert_eq!((got.len(), got[1].0.kind), (2, Kind::Fault), "{bad:02x?}");
        assert!(
            s.largest_read <= MAX,
            "read {} bytes at once",
            s.largest_read
        );
    }
    // A hello that claims a huge payload: refused before it is read.
    let mut h = hello(FP);
    h[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let (report, s) = run(h);
    assert!(matches!(report.end, End::Violation(_)));
    assert!(s.largest_read <= MAX);
}

#[test]
fn a_client_not_yet_welcomed_is_read_no_more_than_a_hello() {
    // A hello that claims the most a call may carry: within the call bound,
    // beyond the hello's own length.
    let mut h = frame(Kind::Hello, 0, 1, &[0u8; MAX]);
    h[16..20].copy_from_slice(&(MAX as u32).to_le_bytes());
    let (report, s) = run(h);
    assert!(matches!(report.end, End::Violation(_)), "{:?}", report.end);
    assert!(
        s.largest_read <= HELLO_LEN.max(HEADER_LEN),
        "read {} bytes at once before the hello was checked",
        s.largest_read
    );
    let got = frames(&s.output);
    assert_eq!((got.len(), got[0].0.kind), (1, Kind::Fault));
}

#[test]
fn random_bytes_never_panic_or_size_a_read() {
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut violations = 0;
    for round in 0..20_000 {
        // Half the rounds open properly, so that calls are reached.
        let mut input = if round % 2 == 0 {
            hello(FP)
        } else {
            Vec::new()
        };
        let n = (next() % 200) as usize;
        input.extend((0..n).map(|_| next() as u8));
        if round % 4 == 0 && input.len() >= HELLO_LEN + 2 * HEADER_LEN {
            // A real magic, so that the decoder goes past the first check.
            let at = HEADER_LEN + HELLO_LEN;
            input[at..at + 2].copy_from_slice(&0xFF1Cu16.to_le_bytes());
        }
        let (report, s) = run(input);
        assert!(s.largest_read <= MAX.max(HELLO_LEN), "round {round}");
        assert!(
            s.output.len() <= 3 * (HEADER_LEN + 200),
            "round {round}: {} bytes",
            s.output.len()
        );
        if matches!(report.end, End::Violation(_)) {
            violations += 1;
        }
    }
    assert!(violations > 5_000, "only {violations} violations");
}

//! What every rogue domain of the tests (`src/bin/rogue-*.rs`) does the
//! same way: read and write whole frames on its end of a ring, blocking,
//! and give up with a known exit code on anything it did not expect. A
//! client that went away ends the rogue quietly (exit 0).

use ffi_isolate::ring::Endpoint;
use ffi_isolate::wait::{WaitConfig, Waiter};
use ffi_isolate::wire::{Header, Kind, HEADER_LEN};

/// The exit code of a rogue that met something it did not expect.
pub const CONFUSED: i32 = 9;

/// One rogue domain: its name, for what it prints, and the largest frame
/// it reads.
#[derive(Clone, Copy)]
pub struct Rogue {
    /// The binary's name, which starts every line it prints.
    pub name: &'static str,
    /// The largest frame payload it accepts.
    pub max_frame: usize,
}

impl Rogue {
    /// Says what confused it, and exits with [`CONFUSED`].
    pub fn confused(&self, what: &str) -> ! {
        eprintln!("{}: {what}", self.name);
        std::process::exit(CONFUSED)
    }

    /// Reads one frame.
    pub fn recv(&self, ep: &mut Endpoint) -> (Header, Vec<u8>) {
        let w = Waiter::new(WaitConfig::default());
        let mut raw = [0u8; HEADER_LEN];
        if ep.read_exact(&mut raw, &w).is_err() {
            std::process::exit(0)
        }
        let h =
            Header::decode(&raw, self.max_frame).unwrap_or_else(|e| self.confused(&e.to_string()));
        let mut payload = vec![0u8; h.len as usize];
        if ep.read_exact(&mut payload, &w).is_err() {
            std::process::exit(0)
        }
        (h, payload)
    }

    /// The bytes of one frame.
    pub fn frame(&self, kind: Kind, index: u32, call_id: u64, payload: &[u8]) -> Vec<u8> {
        let header = Header::encode_for(kind, index, call_id, payload)
            .unwrap_or_else(|| self.confused("payload too long"));
        let mut f = header.to_vec();
        f.extend_from_slice(payload);
        f
    }

    /// Writes one frame.
    pub fn send(&self, ep: &mut Endpoint, kind: Kind, index: u32, call_id: u64, payload: &[u8]) {
        let w = Waiter::new(WaitConfig::default());
        if ep
            .write_all(&self.frame(kind, index, call_id, payload), &w)
            .is_err()
        {
            std::process::exit(0)
        }
    }
}

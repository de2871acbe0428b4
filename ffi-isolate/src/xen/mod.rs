//! The Xen transport (feature `xen`): the Isolated linkage between two Xen
//! domains, over Xen's own `libxenvchan`.
//!
//! The application's domain is the vchan **client** ([`XenDomain`], a
//! [`Channel`](ffi_desc::isolated::Channel) for any generated Isolated
//! linkage); the domain that holds the C library is the vchan **server**
//! ([`serve_xen`]). The server grants the shared page (laid out as
//! [`crate::ring`] describes: the same page the process transport uses) and
//! an event channel to the client's domain and publishes both in XenStore
//! under a path both sides agree on ([`vchan_path`]); the client reads them,
//! maps the grant and binds the event channel. The frames and the handshake
//! are the process transport's ([`crate::wire`]), with one addition: a
//! client that asks for a bulk region ([`XenOptions::bulk_region`]) sends
//! the 32-byte hello with the bytes it wants, and the server grants pages
//! of its own for the connection and appends their count and grant
//! references to its `Welcome` ([`grant`]); large buffers then pass through
//! those pages rather than the rings. A short hello gets the plain
//! `Welcome`.
//!
//! `libxenvchan` and `libxenstore` are themselves bound through descriptions
//! (`src/xen/libxenvchan.rs`, drafted by `ffi-stubgen import` from
//! `<libxenvchan.h>`, and `src/xen/xenstore.rs`): the project binds C with
//! its own tools. They are private: a description that passes a pointer as
//! an integer (`libxenvchan`'s logger) or frees what it is given is sound
//! only as this transport calls it. Linking this feature needs
//! `libxenvchan.so` (Debian's `libxen-dev`); running it needs a Xen host (see
//! `unikernel-link/XEN.md`; `scripts/xen-e2e` runs one under QEMU).
//!
//! Trust: frames are bounded and decoded from private copies as in the
//! process transport, but the ring indices are `libxenvchan`'s to check, and
//! it is more trusting than [`crate::ring::Endpoint`] (it re-reads its own
//! indices from the shared page, and treats an impossible one as "no data").
//! A hostile peer can therefore stall a connection, which the call deadline
//! ends, but not make the client read outside the ring.

pub mod client;
pub mod grant;
pub mod launcher;
pub(crate) mod libxenvchan;
pub mod link;
pub mod server;
pub(crate) mod xenstore;

pub use client::{XenDomain, XenOptions};
pub use link::{Link, LinkError, VchanLink};
pub use server::{
    serve_link, serve_link_granting, serve_xen, supervise, Served, XenServeOptions, EXIT_KEY,
};

/// The conventional XenStore directory of a vchan, as `libxenvchan`'s header
/// states it: `/local/domain/<server>/data/vchan/<client>/<port>`, where
/// `<server>` is the domain that serves (and may write there), `<client>`
/// the domain that connects, and `<port>` a name both agree on (one per
/// description, e.g. `zlib`).
pub fn vchan_path(server_domain: u16, client_domain: u16, port: &str) -> String {
    format!("/local/domain/{server_domain}/data/vchan/{client_domain}/{port}")
}

#[cfg(test)]
mod tests {
    //! The transport's protocol over an in-process ring standing in for the
    //! vchan (no Xen here): handshake, calls, a refused description, and a
    //! reconnection after the server went away.

    use super::*;
    use crate::ring::{Endpoint, RingError, Side};
    use crate::shm::{RingLayout, SharedMemory};
    use crate::wait::{WaitConfig, Waiter};
    use std::sync::{mpsc, Arc, Mutex};
    use std::time::{Duration, Instant};

    mod grants;

    /// A few libc functions, described: the C side every test process has.
    #[ffi_desc::foreign(library = "c", header = "string.h", link = false)]
    mod libc_desc {
        pub trait LibC {
            fn strlen(s: CStr) -> size_t;
            fn strnlen(s: CStr, max: size_t) -> size_t;
        }
    }

    /// Another description, for the refused handshake.
    #[ffi_desc::foreign(library = "c", header = "stdlib.h", link = false)]
    mod other_desc {
        pub trait Other {
            fn labs(x: c_long) -> c_long;
        }
    }

    use libc_desc::LibC;

    /// A description with a callback, served only by [`rogue_one`] (whose
    /// C never runs): what a guest can do with callback frames.
    #[ffi_desc::foreign(library = "c", header = "stdlib.h", link = false)]
    mod cb_desc {
        #[callback(c_name = "on_exit_fn")]
        pub type Visit = fn(status: c_int, user: UserData);
        pub trait Cb {
            fn on_exit(f: Callback<Visit, during_call>, user: UserData) -> c_int;
        }
    }

    use cb_desc::Cb;

    /// What [`rogue_one`] does with every call.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Rogue {
        /// Callback frames of the call with an id it never issued, without end.
        UnknownId,
        /// Callback frames with id 0 for a call never made, without end.
        OtherCall,
        /// Valid callback frames of the call, without end.
        Flood,
        /// One valid callback frame, then the reply once it is answered.
        Nest,
    }

    /// A guest thread that shakes hands for `cb_desc` over a fresh ring and
    /// then does what `mode` says; returns the client's end.
    fn rogue_one(mode: Rogue) -> RingLink {
        use crate::wire::{Header, Kind, HEADER_LEN};
        let layout = RingLayout::new(12, 12).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let mut server = Endpoint::create(shm.clone(), Side::Server, layout).unwrap();
        let client = Endpoint::attach(shm, Side::Client).unwrap();
        let frame = |kind, index, call_id, payload: &[u8]| {
            let mut f = Header::encode_for(kind, index, call_id, payload)
                .unwrap()
                .to_vec();
            f.extend_from_slice(payload);
            f
        };
        std::thread::spawn(move || {
            let w = Waiter::new(WaitConfig::default()).with_timeout(Duration::from_secs(30));
            let recv = |ep: &mut Endpoint| -> Option<(Header, Vec<u8>)> {
                let mut raw = [0u8; HEADER_LEN];
                ep.read_exact(&mut raw, &w).ok()?;
                let h = Header::decode(&raw, 1 << 20).ok()?;
                let mut payload = vec![0u8; h.len as usize];
                ep.read_exact(&mut payload, &w).ok()?;
                Some((h, payload))
            };
            let Some((hello, _)) = recv(&mut server) else {
                return;
            };
            let welcome = frame(Kind::Welcome, 0, hello.call_id, &cb_desc::FINGERPRINT);
            if server.write_all(&welcome, &w).is_err() {
                return;
            }
            while let Some((h, _)) = recv(&mut server) {
                let flood = match (mode, h.kind) {
                    (Rogue::UnknownId, Kind::Call) => {
                        frame(Kind::Callback, 0x4242, h.call_id, &1i32.to_le_bytes())
                    }
                    (Rogue::OtherCall, Kind::Call) => {
                        frame(Kind::Callback, 0, h.call_id + 1000, &1i32.to_le_bytes())
                    }
                    (Rogue::Flood, Kind::Call) => {
                        frame(Kind::Callback, 0, h.call_id, &1i32.to_le_bytes())
                    }
                    (Rogue::Nest, Kind::Call) => {
                        let cb = frame(Kind::Callback, 0, h.call_id, &1i32.to_le_bytes());
                        if server.write_all(&cb, &w).is_err() {
                            return;
                        }
                        continue;
                    }
                    (Rogue::Nest, Kind::CallbackReply) => {
                        let reply = frame(Kind::Reply, 0, h.call_id, &0i32.to_le_bytes());
                        if server.write_all(&reply, &w).is_err() {
                            return;
                        }
                        continue;
                    }
                    _ => return,
                };
                // Keep the ring full, throw away what the client writes.
                let (mut pos, mut sink) = (0, vec![0u8; 1 << 16]);
                let started = Instant::now();
                while started.elapsed() < Duration::from_secs(30) {
                    let (Ok(drained), Ok(wrote)) =
                        (server.read(&mut sink), server.write(&flood[pos..]))
                    else {
                        return;
                    };
                    pos = (pos + wrote) % flood.len();
                    if drained == 0 && wrote == 0 {
                        std::thread::yield_now();
                    }
                }
                return;
            }
        });
        RingLink(client)
    }

    /// The `cb_desc` linkage over [`rogue_one`] guests (a fresh one for
    /// each connection).
    fn rogue_lib(mode: Rogue, opts: XenOptions) -> cb_desc::CbIsolated {
        let connect: client::Connector =
            Box::new(move |_, _| Ok(Box::new(rogue_one(mode)) as Box<dyn Link>));
        let d = XenDomain::with_connector(opts, cb_desc::FINGERPRINT, connect).unwrap();
        cb_desc::CbIsolated::with_channel(Box::new(d))
    }

    fn domain_failure(e: ffi_desc::Error) -> ffi_desc::DomainFailure {
        match e {
            ffi_desc::Error::Domain { failure, .. } => failure,
            other => panic!("expected a domain failure, got {other:?}"),
        }
    }

    /// A [`Link`] over our own ring endpoint.
    struct RingLink(Endpoint);

    fn ring_err(e: RingError) -> LinkError {
        match e {
            RingError::PeerClosed => LinkError::Closed,
            RingError::Timeout => LinkError::Timeout,
            other => LinkError::Failed(other.to_string()),
        }
    }

    impl Link for RingLink {
        fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError> {
            let w = Waiter::new(WaitConfig::default()).with_deadline(deadline);
            self.0.write_all(data, &w).map_err(ring_err)
        }

        fn read_exact(
            &mut self,
            buf: &mut [u8],
            deadline: Option<Instant>,
        ) -> Result<(), LinkError> {
            let w = Waiter::new(WaitConfig::default()).with_deadline(deadline);
            self.0.read_exact(buf, &w).map_err(ring_err)
        }

        fn peer_closed(&self) -> bool {
            let peer = self.0.side().peer();
            self.0
                .ctrl()
                .live(peer)
                .load(std::sync::atomic::Ordering::SeqCst)
                == crate::ring::Live::Gone.to_byte()
        }
    }

    /// A server's end that reads `frames` frames (header and payload each),
    /// then finds its client gone: the server ends after serving them, as
    /// a server that crashes between calls.
    struct EndsAfter(RingLink, usize);

    impl Link for EndsAfter {
        fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError> {
            self.0.write_all(data, deadline)
        }

        fn read_exact(
            &mut self,
            buf: &mut [u8],
            deadline: Option<Instant>,
        ) -> Result<(), LinkError> {
            if self.1 == 0 {
                return Err(LinkError::Closed);
            }
            self.1 -= 1;
            self.0.read_exact(buf, deadline)
        }
    }

    #[test]
    fn a_server_that_ended_while_idle_is_a_new_incarnation_before_the_next_call() {
        let (tx, served) = mpsc::channel();
        let tx = Mutex::new(tx);
        let connect = move |_: &XenOptions, _: Option<&ffi_desc::DomainFailure>| {
            let tx = tx.lock().unwrap().clone();
            let layout = RingLayout::new(12, 12).unwrap();
            let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
            let server = Endpoint::create(shm.clone(), Side::Server, layout).unwrap();
            let client = Endpoint::attach(shm, Side::Client).unwrap();
            std::thread::spawn(move || {
                // The hello and one call: four reads.
                let mut link = EndsAfter(RingLink(server), 4);
                let _ = tx.send(serve_link(libc_desc::server(), &mut link, 1 << 20));
            });
            Ok(Box::new(RingLink(client)) as Box<dyn Link>)
        };
        let d = XenDomain::with_connector(options(), libc_desc::FINGERPRINT, Box::new(connect))
            .unwrap();
        let lib = libc_desc::LibCIsolated::with_channel(Box::new(d));
        let before = lib.channel().generation();
        // The server ends right after its reply.
        assert_eq!(lib.strlen("once").unwrap(), 4);
        assert_eq!(served.recv().unwrap(), Ok(Served::Closed));
        // The server is gone and no call runs: handles of this incarnation
        // are already stale.
        let t = Instant::now();
        while lib.channel().generation() == before {
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "the end went unnoticed"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        // The next call runs on a new connection instead of failing, and the
        // end is recorded.
        assert_eq!(lib.strlen("again").unwrap(), 5);
        // That server ends after its reply too: one incarnation further.
        assert_eq!(served.recv().unwrap(), Ok(Served::Closed));
        let t = Instant::now();
        while lib.channel().generation() != before + 2 {
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "{}",
                lib.channel().generation()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let d = lib.channel().as_any().downcast_ref::<XenDomain>().unwrap();
        assert!(d.last_death().is_some());
    }

    /// A server thread serving `spec` once over a fresh in-process ring;
    /// returns the client's end. How the connection ended goes to `tx`.
    fn serve_one(
        spec: ffi_desc::isolated::ServerSpec,
        tx: mpsc::Sender<Result<Served, String>>,
    ) -> RingLink {
        let layout = RingLayout::new(12, 12).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let server = Endpoint::create(shm.clone(), Side::Server, layout).unwrap();
        let client = Endpoint::attach(shm, Side::Client).unwrap();
        std::thread::spawn(move || {
            let mut link = RingLink(server);
            let _ = tx.send(serve_link(spec, &mut link, 1 << 20));
        });
        RingLink(client)
    }

    /// A connector that, for each connection, starts a server thread
    /// serving `spec` once; the results of the served connections arrive on
    /// the returned receiver.
    fn connector(
        spec: ffi_desc::isolated::ServerSpec,
    ) -> (client::Connector, mpsc::Receiver<Result<Served, String>>) {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let connect = move |_: &XenOptions, _: Option<&ffi_desc::DomainFailure>| {
            let tx = tx.lock().unwrap().clone();
            Ok(Box::new(serve_one(spec, tx)) as Box<dyn Link>)
        };
        (Box::new(connect), rx)
    }

    fn options() -> XenOptions {
        let mut o = XenOptions::new(7, vchan_path(7, 3, "libc"));
        o.deadline = Duration::from_secs(20);
        o
    }

    #[test]
    fn path_follows_the_header() {
        assert_eq!(
            vchan_path(5, 0, "zlib"),
            "/local/domain/5/data/vchan/0/zlib"
        );
    }

    #[test]
    fn calls_over_the_protocol() {
        let (connect, served) = connector(libc_desc::server());
        let d = XenDomain::with_connector(options(), libc_desc::FINGERPRINT, connect).unwrap();
        let lib = libc_desc::LibCIsolated::with_channel(Box::new(d));
        assert_eq!(lib.strlen("hello, xen").unwrap(), 10);
        assert_eq!(lib.strnlen("hello, xen", 5).unwrap(), 5);
        assert!(lib.strlen("a\0b").is_err());
        drop(lib);
        assert_eq!(served.recv().unwrap(), Ok(Served::Closed));
    }

    #[test]
    fn another_description_is_refused() {
        let (connect, served) = connector(other_desc::server());
        let e = XenDomain::with_connector(options(), libc_desc::FINGERPRINT, connect).unwrap_err();
        assert!(
            matches!(e, ffi_desc::DomainFailure::FingerprintMismatch { .. }),
            "{e:?}"
        );
        assert_eq!(served.recv().unwrap(), Ok(Served::Refused));
    }

    #[test]
    fn reconnects_as_a_new_incarnation() {
        let (connect, served) = connector(libc_desc::server());
        let d = XenDomain::with_connector(options(), libc_desc::FINGERPRINT, connect).unwrap();
        let lib = libc_desc::LibCIsolated::with_channel(Box::new(d));
        assert_eq!(lib.strnlen("abc", 9).unwrap(), 3);
        let before = lib.channel().generation();
        let d = lib.channel().as_any().downcast_ref::<XenDomain>().unwrap();
        d.disconnect();
        assert_eq!(served.recv().unwrap(), Ok(Served::Closed));
        assert_eq!(lib.strlen("after").unwrap(), 5);
        assert_eq!(lib.channel().generation(), before + 1);
    }

    /// A link that fails as a dead domain's would once `dead` is set.
    struct Breakable(RingLink, Arc<std::sync::atomic::AtomicBool>);

    impl Link for Breakable {
        fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError> {
            if self.1.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(LinkError::Closed);
            }
            self.0.write_all(data, deadline)
        }

        fn read_exact(
            &mut self,
            buf: &mut [u8],
            deadline: Option<Instant>,
        ) -> Result<(), LinkError> {
            if self.1.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(LinkError::Closed);
            }
            self.0.read_exact(buf, deadline)
        }
    }

    #[test]
    fn callback_frames_the_call_did_not_ask_for_are_violations() {
        for mode in [Rogue::UnknownId, Rogue::OtherCall] {
            let lib = rogue_lib(mode, options());
            let before = lib.channel().generation();
            let mut ran = 0;
            let started = Instant::now();
            let e = lib.on_exit(&mut |_| ran += 1).unwrap_err();
            let took = started.elapsed();
            assert!(
                matches!(domain_failure(e), ffi_desc::DomainFailure::Protocol { .. }),
                "{mode:?}"
            );
            // At the first such frame, not at the 20 s deadline.
            assert!(took < Duration::from_secs(2), "{mode:?}: {took:?}");
            assert_eq!(ran, 0, "{mode:?}");
            assert_eq!(lib.channel().generation(), before + 1, "{mode:?}");
        }
    }

    #[test]
    fn an_endless_flood_of_valid_callbacks_ends_at_the_deadline() {
        let mut o = options();
        o.deadline = Duration::from_millis(500);
        let lib = rogue_lib(Rogue::Flood, o);
        let mut ran = 0u64;
        let started = Instant::now();
        let e = lib.on_exit(&mut |_| ran += 1).unwrap_err();
        let took = started.elapsed();
        assert_eq!(
            domain_failure(e),
            ffi_desc::DomainFailure::Deadline {
                deadline: Duration::from_millis(500)
            }
        );
        assert!(ran > 10, "the flood reached the callback ({ran})");
        assert!(
            took >= Duration::from_millis(500) && took < Duration::from_millis(1000),
            "{took:?}"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let mut o = options();
        o.max_nesting = 8;
        let lib = rogue_lib(Rogue::Nest, o);
        fn nest(lib: &cb_desc::CbIsolated, depth: u32, refused: &mut Vec<(u32, ffi_desc::Error)>) {
            let r = lib.on_exit(&mut |_| nest(lib, depth + 1, refused));
            if let Err(e) = r {
                refused.push((depth, e));
            }
        }
        let mut refused = Vec::new();
        nest(&lib, 1, &mut refused);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].0, 9);
        assert_eq!(
            domain_failure(refused[0].1.clone()),
            ffi_desc::DomainFailure::NestingTooDeep { max_depth: 8 }
        );
        // The connection is intact.
        let before = lib.channel().generation();
        assert_eq!(lib.on_exit(&mut |_| ()).unwrap(), 0);
        assert_eq!(lib.channel().generation(), before);
    }

    #[test]
    fn the_next_connection_hears_why_the_last_one_died() {
        let (tx, _served) = mpsc::channel();
        let tx = Mutex::new(tx);
        let dead = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let told: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
        let (dead2, told2) = (dead.clone(), told.clone());
        let connect: client::Connector = Box::new(move |_, ended_by| {
            told2.lock().unwrap().push(ended_by.map(|f| f.to_string()));
            dead2.store(false, std::sync::atomic::Ordering::SeqCst);
            let ring = serve_one(libc_desc::server(), tx.lock().unwrap().clone());
            Ok(Box::new(Breakable(ring, dead2.clone())) as Box<dyn Link>)
        });
        let d = XenDomain::with_connector(options(), libc_desc::FINGERPRINT, connect).unwrap();
        let lib = libc_desc::LibCIsolated::with_channel(Box::new(d));
        assert_eq!(lib.strlen("one").unwrap(), 3);
        dead.store(true, std::sync::atomic::Ordering::SeqCst);
        let e = lib.strlen("two").unwrap_err();
        assert!(e.to_string().contains("closed the vchan"), "{e}");
        assert_eq!(lib.strlen("three").unwrap(), 5);
        let d = lib.channel().as_any().downcast_ref::<XenDomain>().unwrap();
        d.disconnect();
        assert_eq!(lib.strlen("four").unwrap(), 4);
        let told = told.lock().unwrap().clone();
        assert_eq!(told.len(), 3, "{told:?}");
        assert_eq!(told[0], None);
        assert!(
            told[1].as_deref().unwrap().contains("closed the vchan"),
            "{told:?}"
        );
        assert_eq!(told[2], None, "a disconnect is not a death");
    }
}

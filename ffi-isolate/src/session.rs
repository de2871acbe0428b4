//! The server's side of one client's session, whatever carries the frames:
//! the handshake, the call loop, handles and callbacks. The process server
//! (`crate::server`, over the shared-memory ring) and the Xen server
//! (`crate::xen::server`, over a vchan) each supply only a [`Frames`].

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::fmt::Display;
use std::sync::Arc;

use ffi_desc::isolated::{serve_call, HandleTable, ServerCtx, ServerSpec};
use ffi_desc::wire::WireError;

use crate::arena::ArenaView;
use crate::bulk::{CallSegments, ServedArenas};
use crate::out_arena::OutArenaView;
use crate::placement::Placement;
use crate::shm::SharedMemory;
use crate::wire::{Header, Kind};

/// How a server receives and sends frames.
pub(crate) trait Frames {
    /// Why moving a frame failed.
    type Error: Display;

    /// The next frame from the client: its header copied out and decoded,
    /// then its payload.
    fn recv(&self) -> Result<(Header, Vec<u8>), Self::Error>;

    /// Sends one frame.
    fn send(&self, kind: Kind, index: u32, call_id: u64, payload: &[u8])
        -> Result<(), Self::Error>;

    /// Sends the reply to a call (a transport may instrument it).
    fn send_reply(&self, index: u32, call_id: u64, payload: &[u8]) -> Result<(), Self::Error> {
        self.send(Kind::Reply, index, call_id, payload)
    }

    /// Whether `e` means the client closed its end.
    fn is_closed(e: &Self::Error) -> bool;

    /// A test hook at `point` of a call (see `crate::server::fault`).
    fn fault_point(&self, _point: u8) {}
}

/// One client's session, as the generated dispatch code sees it.
pub(crate) struct Session<F> {
    spec: ServerSpec,
    frames: F,
    /// The handles C gave out, shared by the sessions of every lane.
    table: RefCell<Arc<HandleTable>>,
    /// The id of the call being served (the innermost, when the client's
    /// callbacks made nested calls): the id every callback frame carries,
    /// and its answer echoes. 0 outside a call.
    current_call: Cell<u64>,
    /// The bytes of each lane's bulk region, as the client's hello said.
    bulk_len: Cell<u64>,
    /// This lane's bulk region, if the client gave it one.
    region: RefCell<Option<Arc<SharedMemory>>>,
    /// The bytes of the shared arena, as the client's hello said (0: none).
    arena_len: Cell<u64>,
    /// The domain's read-only mapping of the shared arena, shared by every
    /// lane.
    arena: RefCell<Option<Arc<ArenaView>>>,
    /// The bytes of the out arena, as the client's hello said (0: none).
    out_arena_len: Cell<u64>,
    /// The domain's writable mapping of the out arena, shared by every
    /// lane.
    out_arena: RefCell<Option<Arc<OutArenaView>>>,
    /// The segments of the calls being served, innermost last.
    segments: RefCell<Vec<CallSegments>>,
    /// Where the thread serving this lane may run a large bulk call: set
    /// by a transport whose client shares the machine's CPUs.
    placement: Option<Placement>,
}

impl<F: Frames> Session<F> {
    pub(crate) fn new(spec: ServerSpec, frames: F) -> Self {
        Session {
            spec,
            frames,
            table: RefCell::new(Arc::new(HandleTable::new(0))),
            current_call: Cell::new(0),
            bulk_len: Cell::new(0),
            region: RefCell::new(None),
            arena_len: Cell::new(0),
            arena: RefCell::new(None),
            out_arena_len: Cell::new(0),
            out_arena: RefCell::new(None),
            segments: RefCell::new(Vec::new()),
            placement: None,
        }
    }

    /// Lets large bulk calls run on their caller's CPU (see
    /// [`crate::placement`]), with the CPUs of the thread that serves this
    /// session as the ones it may use.
    pub(crate) fn place_near_callers(&mut self) {
        self.placement = Placement::of_this_thread();
    }

    /// The bytes of each lane's bulk region the client announced (0: none).
    pub(crate) fn bulk_len(&self) -> u64 {
        self.bulk_len.get()
    }

    /// The bytes of the shared arena the client announced (0: none).
    pub(crate) fn arena_len(&self) -> u64 {
        self.arena_len.get()
    }

    /// The bytes of the out arena the client announced (0: none).
    pub(crate) fn out_arena_len(&self) -> u64 {
        self.out_arena_len.get()
    }

    /// Gives the session (and the lanes made from it after) the out arena.
    pub(crate) fn set_out_arena(&self, arena: Option<Arc<OutArenaView>>) {
        *self.out_arena.borrow_mut() = arena;
    }

    /// Gives the session (and the lanes made from it after) the shared
    /// arena.
    pub(crate) fn set_arena(&self, arena: Option<Arc<ArenaView>>) {
        *self.arena.borrow_mut() = arena;
    }

    /// Gives this lane its bulk region.
    pub(crate) fn set_region(&self, region: Option<Arc<SharedMemory>>) {
        *self.region.borrow_mut() = region;
    }

    /// A session over another lane's `frames`, sharing this one's handles
    /// (made after the handshake, which happens on lane 0 only).
    pub(crate) fn lane<G: Frames>(&self, frames: G) -> Session<G> {
        Session {
            spec: self.spec,
            frames,
            table: RefCell::new(self.table.borrow().clone()),
            current_call: Cell::new(0),
            bulk_len: Cell::new(self.bulk_len.get()),
            region: RefCell::new(None),
            arena_len: Cell::new(self.arena_len.get()),
            arena: RefCell::new(self.arena.borrow().clone()),
            out_arena_len: Cell::new(self.out_arena_len.get()),
            out_arena: RefCell::new(self.out_arena.borrow().clone()),
            segments: RefCell::new(Vec::new()),
            placement: None,
        }
    }

    /// Reads the client's hello and answers it: `true` when the client
    /// speaks this description (its handles then carry the client's
    /// incarnation), `false` when it was refused.
    #[cfg(feature = "xen")]
    pub(crate) fn handshake(&self) -> Result<bool, String> {
        self.handshake_then(|_| Ok(()))
    }

    /// [`Session::handshake`], running `ready` once the client is accepted
    /// and before it is told so: what it starts (the other lanes' threads)
    /// is in place when the client's first call comes.
    pub(crate) fn handshake_then(
        &self,
        ready: impl FnOnce(&Self) -> Result<(), String>,
    ) -> Result<bool, String> {
        let (h, payload) = self.frames.recv().map_err(|e| format!("handshake: {e}"))?;
        // 24 bytes, 32 with the size of each lane's bulk region, 40 with
        // the shared arena's too, 48 with the out arena's.
        if h.kind != Kind::Hello || ![24, 32, 40, 48].contains(&payload.len()) {
            return Err("the first frame is not a hello".into());
        }
        let generation = u32::from_le_bytes([payload[20], payload[21], payload[22], payload[23]]);
        if let Some(bulk) = payload.get(24..32) {
            let mut b = [0u8; 8];
            b.copy_from_slice(bulk);
            self.bulk_len.set(u64::from_le_bytes(b));
        }
        if let Some(arena) = payload.get(32..40) {
            let mut b = [0u8; 8];
            b.copy_from_slice(arena);
            self.arena_len.set(u64::from_le_bytes(b));
        }
        if let Some(out) = payload.get(40..48) {
            let mut b = [0u8; 8];
            b.copy_from_slice(out);
            self.out_arena_len.set(u64::from_le_bytes(b));
        }
        *self.table.borrow_mut() = Arc::new(HandleTable::new(generation));
        let ok = payload[..16] == self.spec.fingerprint;
        if ok {
            ready(self)?;
        }
        let kind = if ok { Kind::Welcome } else { Kind::Refused };
        self.frames
            .send(kind, 0, h.call_id, &self.spec.fingerprint)
            .map_err(|e| format!("handshake: {e}"))?;
        Ok(ok)
    }

    /// Serves calls; returns the payload of the callback reply `waiting_for`
    /// when one is awaited, or `None` when the client closed its end.
    pub(crate) fn serve_until(&self, waiting_for: Option<u64>) -> Result<Option<Vec<u8>>, String> {
        loop {
            let (h, payload) = match self.frames.recv() {
                Ok(f) => f,
                Err(e) if F::is_closed(&e) && waiting_for.is_none() => return Ok(None),
                Err(e) => return Err(e.to_string()),
            };
            match h.kind {
                Kind::Call | Kind::BulkCall => {
                    self.serve_one(&h, &payload).map_err(|e| e.to_string())?
                }
                Kind::CallbackReply if Some(h.call_id) == waiting_for => return Ok(Some(payload)),
                Kind::Fault if Some(h.call_id) == waiting_for => {
                    return Err(format!(
                        "callback failed: {}",
                        String::from_utf8_lossy(&payload)
                    ))
                }
                other => return Err(format!("unexpected {other:?} frame")),
            }
        }
    }
}

impl<F: Frames> Session<F> {
    /// Serves one call frame (with segments, for a bulk call) and answers it.
    fn serve_one(&self, h: &Header, payload: &[u8]) -> Result<(), F::Error> {
        let (segments, request) = if h.kind == Kind::BulkCall {
            let region = self.region.borrow().clone();
            let arena = self.arena.borrow().clone();
            let out_arena = self.out_arena.borrow().clone();
            let arenas = ServedArenas {
                shared: arena.as_deref(),
                out: out_arena.as_deref(),
            };
            match CallSegments::read(payload, region.as_deref(), arenas) {
                Ok(read) => read,
                Err(e) => {
                    return self
                        .frames
                        .send(Kind::Fault, h.index, h.call_id, e.0.as_bytes())
                }
            }
        } else {
            (CallSegments::default(), payload)
        };
        // Until the reply is sent: the caller then reads the region on its CPU.
        let _near = segments
            .cpu()
            .zip(self.placement.as_ref())
            .map(|(cpu, placement)| placement.near(cpu));
        let mut out = Vec::with_capacity(256);
        // Point 3: the request is read, C has not run.
        self.frames.fault_point(3);
        let outer = self.current_call.replace(h.call_id);
        // A plain call gets an empty list too, so it never reaches the
        // segments of the call it is nested in.
        self.segments.borrow_mut().push(segments);
        let done = serve_call(self, || {
            (self.spec.dispatch)(self, h.index, request, &mut out)
        });
        let segments = self.segments.borrow_mut().pop().unwrap_or_default();
        self.current_call.set(outer);
        // Point 4: C ran, no reply is written.
        self.frames.fault_point(4);
        match done {
            Ok(()) if h.kind == Kind::BulkCall => {
                self.frames
                    .send_reply(h.index, h.call_id, &segments.reply(&out))
            }
            Ok(()) => self.frames.send_reply(h.index, h.call_id, &out),
            Err(e) => self
                .frames
                .send(Kind::Fault, h.index, h.call_id, e.0.as_bytes()),
        }
    }
}

impl<F: Frames> ServerCtx for Session<F> {
    fn segment(
        &self,
        dir: ffi_desc::bulk::SegmentDir,
        bytes: usize,
        align: usize,
    ) -> Result<(usize, *mut u8), WireError> {
        let segments = self.segments.borrow();
        let call = segments
            .last()
            .ok_or(WireError("a segment outside a call"))?;
        call.take(dir, bytes, align)
    }

    fn segment_written(&self, index: usize, bytes: usize) -> Result<(), WireError> {
        let segments = self.segments.borrow();
        let call = segments
            .last()
            .ok_or(WireError("a segment outside a call"))?;
        call.wrote(index, bytes)
    }

    fn handle_insert(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError> {
        self.table.borrow().insert(type_index, ptr)
    }

    fn handle_get(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError> {
        self.table.borrow().get(type_index, id)
    }

    fn handle_remove(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError> {
        self.table.borrow().remove(type_index, id)
    }

    fn handle_lend(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError> {
        self.table.borrow().lend(type_index, ptr)
    }

    fn handle_end_loan(&self, _type_index: usize, id: u64) {
        self.table.borrow().end_loan(id)
    }

    fn invoke_callback(&self, id: u32, args: &[u8], reply: &mut Vec<u8>) -> Result<(), WireError> {
        // A callback belongs to the call being served: the client answers
        // only callback frames that carry the id of the call it waits for.
        let call_id = self.current_call.get();
        if call_id == 0 {
            return Err(WireError("callback outside a call"));
        }
        self.frames
            .send(Kind::Callback, id, call_id, args)
            .map_err(|_| WireError("the transport failed while calling back"))?;
        match self.serve_until(Some(call_id)) {
            Ok(Some(payload)) => {
                // Moved, not copied, into the trampoline's empty buffer.
                if reply.is_empty() {
                    *reply = payload;
                } else {
                    reply.extend_from_slice(&payload);
                }
                Ok(())
            }
            _ => Err(WireError("the client did not answer the callback")),
        }
    }
}

//! The description-side half of the Isolated linkage: what generated client
//! and server code call. The transport (ring, domain, sandbox) lives in
//! `ffi-isolate`, behind [`Channel`] and [`ServerCtx`].

use crate::wire::{Reader, Wire, WireError};
use crate::DomainFailure;
use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ffi::{c_char, CStr};
#[cfg(feature = "std")]
use std::{cell::Cell, ffi::c_void, sync::Mutex};

/// Set in a callback id when it names a stored callback (kept by the
/// linkage) rather than one that lives for a single call.
pub const STORED_CALLBACK: u32 = 1 << 31;

/// Set in a callback id when it names a slot of the callbacks kept on a
/// handle (`Callback<F, stored = slot, on = h>`); the frame's arguments then
/// begin with the handle's id, which the domain's trampoline found in the
/// user data C handed it.
pub const HANDLE_CALLBACK: u32 = 1 << 30;

/// The callback id of a domain's notice that it refused a callback it
/// could not route (a callback whose user data comes from a handle C passed
/// as NULL): its one argument byte is the reason's code in
/// [`crate::rt::REFUSALS`]. Its slot part is one no description has.
pub const REFUSED_CALLBACK: u32 = HANDLE_CALLBACK | (HANDLE_CALLBACK - 1);

/// The domain: tells the client that a callback of the call being served
/// was refused for `reason`, which the call reports as
/// `Error::CallbackNotRun` (as the Linked trampoline would).
#[cfg(feature = "std")]
pub fn server_refuse_callback(reason: &'static str) {
    let mut reply = Vec::new();
    let _ = server_callback(
        REFUSED_CALLBACK,
        &[crate::rt::refusal_code(reason)],
        &mut reply,
    );
}

/// The client: a [`REFUSED_CALLBACK`] notice, recorded as the refusal of a
/// callback of the call; anything but one known reason code is an error.
pub fn refused_in_domain(args: &[u8]) -> Result<(), WireError> {
    match args {
        [code] => match crate::rt::REFUSALS.get(usize::from(*code)) {
            Some(why) => {
                crate::rt::refuse_callback(why);
                Ok(())
            }
            None => Err(WireError("unknown refusal code")),
        },
        _ => Err(WireError("a refusal notice carries one reason code")),
    }
}

/// The most handles a domain may lend one callback in one array (SQLite
/// hands a function at most 1,000 arguments).
pub const MAX_LENT_HANDLES: usize = 1 << 16;

/// The largest out buffer, in elements, a server allocates for one parameter
/// (a bound on what a client's capacity field can make the domain allocate).
pub const MAX_BUFFER_ELEMENTS: usize = 1 << 30;

/// Answers a callback frame during a call: `(callback id, arguments, reply)`.
pub type CallbackDispatch<'a> = dyn FnMut(u32, &[u8], &mut Vec<u8>) -> Result<(), WireError> + 'a;

/// How an Isolated client reaches its domain.
///
/// [`Channel::call`] is serialised: a call holds the channel until its reply
/// arrives, except that a callback running on the calling thread may make
/// nested calls (the domain is re-entered, as C re-enters the library).
/// [`Channel::call_concurrent`] is for the functions the description marks
/// thread-safe; a channel that can may run it beside other threads' calls.
pub trait Channel: Send + Sync {
    /// Sends a call of function `function` with the encoded `request`, answers
    /// every callback frame the domain sends meanwhile through `callbacks`,
    /// and leaves the reply payload in `reply`.
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure>;

    /// [`Channel::call`] for a function the description marks thread-safe:
    /// it may run at the same time as other thread-safe calls made from
    /// other threads (never beside a call that is not thread-safe). The
    /// default serialises it as [`Channel::call`] does.
    fn call_concurrent(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.call(function, request, reply, callbacks)
    }

    /// Starts a call without callbacks and returns a future of its reply:
    /// the async form of a described function awaits it. `concurrent` says
    /// whether the function is thread-safe, `generation` which incarnation
    /// the request was encoded for (its handles carry it): a channel fails
    /// the call, rather than send it, once that incarnation has ended.
    ///
    /// A transport that can (the process domain) runs the call on a thread
    /// of its own, so the caller's thread never blocks. The default makes
    /// the call right here and returns a future that is ready.
    #[cfg(feature = "std")]
    fn call_async(
        &self,
        function: u32,
        concurrent: bool,
        request: Vec<u8>,
        generation: u32,
    ) -> crate::reply::ReplyFuture {
        let _ = generation;
        let mut reply = Vec::new();
        let mut refuse =
            |_: u32, _: &[u8], _: &mut Vec<u8>| Err(WireError("an async call passes no callbacks"));
        let done = if concurrent {
            self.call_concurrent(function, &request, &mut reply, &mut refuse)
        } else {
            self.call(function, &request, &mut reply, &mut refuse)
        };
        crate::reply::ReplyFuture::ready(done.map(|()| reply))
    }

    /// The memory this channel shares read-only with its domain, where a
    /// [`crate::shared::SharedBuf`] is allocated: `None` (the default) for
    /// a channel that shares none and passes every buffer by value, so that
    /// plain memory serves; an error when it was configured without one.
    fn shared_space(
        &self,
    ) -> Result<Option<Arc<dyn crate::shared::SharedSpace>>, crate::shared::SharedBufError> {
        Ok(None)
    }

    /// The memory this channel shares writable with its domain, where a
    /// [`crate::shared_out::SharedOut`] is allocated: `None` (the default)
    /// for a channel that shares none, so that plain memory serves; an
    /// error when it was configured without one.
    fn shared_out_space(
        &self,
    ) -> Result<Option<Arc<dyn crate::shared_out::OutSpace>>, crate::shared::SharedBufError> {
        Ok(None)
    }

    /// The size in bytes from which a buffer of plain scalars is passed as
    /// a segment ([`crate::bulk`]) through [`Channel::call_bulk`]; `None`
    /// (the default) when the channel passes every buffer inline.
    fn bulk_threshold(&self) -> Option<usize> {
        None
    }

    /// [`Channel::call`] (or, when `concurrent`, [`Channel::call_concurrent`])
    /// of a request whose segment buffers are `segments`, in the order the
    /// request names them: the channel places them, and records in each
    /// `Out`/`InOut` segment the bytes C wrote, once it has copied them
    /// into the caller's slice. Called only when
    /// [`Channel::bulk_threshold`] is `Some`.
    fn call_bulk(
        &self,
        function: u32,
        concurrent: bool,
        request: &[u8],
        segments: &mut [crate::bulk::Segment<'_>],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        let _ = (function, concurrent, request, segments, reply, callbacks);
        Err(DomainFailure::Unavailable {
            reason: "this channel passes no segments".into(),
        })
    }

    /// The incarnation of the domain; handle ids carry it in their top 32 bits.
    fn generation(&self) -> u32;

    /// The reply of a call on incarnation `generation` did not decode: the
    /// domain broke the protocol, and the channel ends that incarnation (the
    /// stream is out of step).
    fn violation(&self, generation: u32, what: &str) {
        let _ = (generation, what);
    }

    /// The concrete channel, for its transport-specific controls (restart,
    /// cancel, deadlines).
    fn as_any(&self) -> &dyn core::any::Any;
}

/// What every generated Isolated linkage type offers, so that a transport
/// can build one without knowing the description.
pub trait IsolatedLinkage: Sized {
    /// The description's fingerprint, which the domain must match.
    const FINGERPRINT: [u8; 16];
    /// Whether the description marks any function thread-safe: only then
    /// can calls run beside each other, and a transport serve more than one
    /// at a time.
    const ANY_THREAD_SAFE: bool = false;
    /// The linkage over a connected channel.
    fn from_channel(chan: Box<dyn Channel>) -> Self;
}

/// A stored callback: decodes its arguments and encodes its result.
pub type StoredInvoker = Arc<dyn Fn(&[u8], &mut Vec<u8>) -> Result<(), WireError> + Send + Sync>;

/// The stored callbacks of one Isolated linkage instance.
///
/// Each id names one registration in one incarnation of the domain, as a
/// handle id does: the table records the incarnation (the channel's
/// generation) the call that passed the callback ran in, and refuses the id
/// in any other. Entries of an ended incarnation are dropped (with the Rust
/// closure) the next time the table is used in a later one. An id is never
/// given out twice while its entry lives, and ids run through 2^31 values
/// before one comes back, so a domain that remembers a dead id does not
/// reach the callback registered after it.
///
/// A registration goes through three states: *pending* while the call that
/// passes it runs ([`StoredCallbacks::register`] returns a [`PendingStored`];
/// only that call's own callback dispatch reaches it), *live* in the
/// incarnation that call ran in once it succeeded ([`PendingStored::confirm`]),
/// and gone when the call failed, when its slot is replaced or cleared, or
/// when its incarnation ended.
///
/// It also keeps the callbacks kept on handles, by handle id and slot: set
/// and replaced by the calls that pass them ([`StoredCallbacks::set_on`]),
/// refused for a handle of another incarnation, and dropped with the handle
/// ([`HandleCallbacks`]). A clone shares the table.
#[derive(Clone, Default)]
pub struct StoredCallbacks(Arc<spin::Mutex<StoredTable>>);

#[derive(Default)]
struct StoredTable {
    /// The serial the next id is tried with (31 bits).
    next: u32,
    entries: Vec<StoredEntry>,
    /// The callbacks kept on handles.
    on_handles: Vec<HandleEntry>,
    /// The handles that have a table (the domain was given their id as
    /// their user data), with their type's index: one entry per live
    /// handle of the client, never sized by the domain.
    tables: Vec<(u64, usize)>,
    /// The slots a callback was kept in on some handle, by incarnation:
    /// only those has the domain's C been given the trampoline of. One
    /// entry per slot of the description at most.
    given: Vec<(u32, u32)>,
}

struct HandleEntry {
    handle: u64,
    slot: u32,
    f: StoredInvoker,
}

struct StoredEntry {
    id: u32,
    /// The incarnation that keeps it; `None` while it is pending.
    generation: Option<u32>,
    /// The description's slot it is kept in (`Callback<F, stored = slot>`).
    slot: Option<u32>,
    f: StoredInvoker,
}

impl StoredTable {
    /// Drops the entries kept by incarnations before `generation`, the
    /// current one: those ended (generations only grow, so "before" is
    /// judged with wrapping arithmetic). Pending entries stay: their call is
    /// still running.
    fn forget_ended_incarnations(&mut self, generation: u32) {
        let ended = |g: u32| (generation.wrapping_sub(g) as i32) > 0;
        self.entries
            .retain(|e| e.generation.is_none_or(|g| !ended(g)));
        self.on_handles
            .retain(|e| !ended(handle_generation(e.handle)));
        self.tables.retain(|&(h, _)| !ended(handle_generation(h)));
        self.given.retain(|&(_, g)| !ended(g));
    }

    fn remove(&mut self, id: u32) {
        self.entries.retain(|e| e.id != id);
    }
}

impl StoredCallbacks {
    /// Keeps `f` for the call about to be made through a channel now at
    /// incarnation `generation`, in `slot` if the description names one (the
    /// callback kept there before is dropped and its id refused from now
    /// on). The returned registration is pending until
    /// [`PendingStored::confirm`]; dropped unconfirmed, it is removed.
    pub fn register(
        &self,
        generation: u32,
        slot: Option<u32>,
        f: StoredInvoker,
    ) -> Result<PendingStored<'_>, WireError> {
        let mut t = self.0.lock();
        t.forget_ended_incarnations(generation);
        if let Some(slot) = slot {
            t.entries.retain(|e| e.slot != Some(slot));
        }
        if t.entries.len() >= STORED_CALLBACK as usize {
            return Err(WireError("too many stored callbacks"));
        }
        // Fewer entries than serials: a free one is found.
        let id = loop {
            let serial = t.next & !STORED_CALLBACK;
            t.next = serial.wrapping_add(1) & !STORED_CALLBACK;
            let id = serial | STORED_CALLBACK;
            if !t.entries.iter().any(|e| e.id == id) {
                break id;
            }
        };
        t.entries.push(StoredEntry {
            id,
            generation: None,
            slot,
            f: f.clone(),
        });
        Ok(PendingStored {
            table: self,
            id,
            f,
            done: false,
        })
    }

    /// The live stored callback `id` of incarnation `generation`: `None` for
    /// an id that names no stored callback, one that is pending, replaced or
    /// cleared, or one another incarnation keeps.
    pub fn get(&self, id: u32, generation: u32) -> Option<StoredInvoker> {
        if id & STORED_CALLBACK == 0 {
            return None;
        }
        let mut t = self.0.lock();
        t.forget_ended_incarnations(generation);
        t.entries
            .iter()
            .find(|e| e.id == id && e.generation == Some(generation))
            .map(|e| e.f.clone())
    }

    /// Forgets the callback kept in `slot` (C forgot it: `#[clears(slot)]`);
    /// its id is refused from now on.
    pub fn clear_slot(&self, slot: u32) {
        self.0.lock().entries.retain(|e| e.slot != Some(slot));
    }

    /// Keeps `f` in `slot` of the callbacks kept on `handle` (`None`
    /// empties it); the one kept there before is dropped, once no callback
    /// frame runs it.
    pub fn set_on(&self, handle: u64, slot: u32, f: Option<StoredInvoker>) {
        let old = {
            let mut t = self.0.lock();
            let generation = handle_generation(handle);
            t.forget_ended_incarnations(generation);
            if f.is_some() && !t.given.contains(&(slot, generation)) {
                t.given.push((slot, generation));
            }
            let at = t
                .on_handles
                .iter()
                .position(|e| e.handle == handle && e.slot == slot);
            match (at, f) {
                (Some(i), Some(f)) => Some(core::mem::replace(&mut t.on_handles[i].f, f)),
                (Some(i), None) => Some(t.on_handles.swap_remove(i).f),
                (None, Some(f)) => {
                    t.on_handles.push(HandleEntry { handle, slot, f });
                    None
                }
                (None, None) => None,
            }
        };
        drop(old);
    }

    /// The callback kept in `slot` on `handle`, if `handle` is of the
    /// incarnation `generation`.
    pub fn get_on(&self, handle: u64, slot: u32, generation: u32) -> Option<StoredInvoker> {
        if handle_generation(handle) != generation {
            return None;
        }
        let t = self.0.lock();
        t.on_handles
            .iter()
            .find(|e| e.handle == handle && e.slot == slot)
            .map(|e| e.f.clone())
    }

    /// Drops every callback kept on `handle`, and its table.
    pub fn forget_handle(&self, handle: u64) {
        let gone: Vec<HandleEntry> = {
            let mut t = self.0.lock();
            t.tables.retain(|&(h, _)| h != handle);
            let (gone, kept) = core::mem::take(&mut t.on_handles)
                .into_iter()
                .partition(|e| e.handle == handle);
            t.on_handles = kept;
            gone
        };
        drop(gone);
    }

    /// What the handle `handle`, of the opaque type `ty` (its index), holds
    /// once it keeps callbacks: dropped with it, it drops them. Made once
    /// per handle, before the first call that keeps one on it.
    pub fn handle_callbacks(&self, handle: u64, ty: usize) -> HandleCallbacks {
        {
            let mut t = self.0.lock();
            t.forget_ended_incarnations(handle_generation(handle));
            if !t.tables.contains(&(handle, ty)) {
                t.tables.push((handle, ty));
            }
        }
        HandleCallbacks {
            table: self.clone(),
            handle,
        }
    }

    /// Answers a callback frame of a callback kept on a handle: `id` is
    /// [`HANDLE_CALLBACK`] with the slot, `args` the handle's id and the
    /// arguments. A handle id of 0 means C called without the handle's
    /// table as user data: the callback does not run, the call fails with
    /// [`crate::Error::CallbackNotRun`], and the domain gets no result (so a
    /// zeroed one). `route` says how the slot's handle type finds its
    /// table ([`SlotRoute`]).
    ///
    /// An empty slot is refused as the Linked trampoline refuses it where
    /// an honest library can name it, and is a protocol violation where
    /// only a hostile domain can (see [`SlotRoute`]): a handle of another
    /// incarnation, one without a table or of another type, a slot no
    /// handle type has. A refusal gives a domain nothing it could not have
    /// by a [`REFUSED_CALLBACK`] notice; the violations are what no honest
    /// library produces.
    pub fn invoke_on(
        &self,
        id: u32,
        args: &[u8],
        out: &mut Vec<u8>,
        generation: u32,
        route: SlotRoute,
    ) -> Result<(), WireError> {
        let slot = id & !HANDLE_CALLBACK;
        let mut r = Reader::new(args);
        let handle = u64::get(&mut r)?;
        if handle == 0 {
            crate::rt::refuse_callback(crate::rt::REFUSALS[7]);
            return Ok(());
        }
        if route == SlotRoute::ByCall(0) {
            crate::rt::refuse_callback(crate::rt::REFUSALS[12]);
            return Ok(());
        }
        if let Some(f) = self.get_on(handle, slot, generation) {
            return f(&args[8..], out);
        }
        let honest = handle_generation(handle) == generation
            && match route {
                SlotRoute::ByCall(routed) => handle == routed,
                SlotRoute::ByContext(ty) => {
                    let t = self.0.lock();
                    t.tables.contains(&(handle, ty)) && t.given.contains(&(slot, generation))
                }
                SlotRoute::Unknown => false,
            };
        if honest {
            crate::rt::refuse_callback(crate::rt::REFUSALS[8]);
            return Ok(());
        }
        Err(WireError("no callback kept in that slot of that handle"))
    }

    /// How many registrations are kept, pending ones included (callbacks
    /// kept on handles apart).
    pub fn len(&self) -> usize {
        self.0.lock().entries.len()
    }

    /// How many callbacks are kept on handles.
    pub fn len_on_handles(&self) -> usize {
        self.0.lock().on_handles.len()
    }

    /// Whether no registration is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How the client finds the handle a callback frame of a slot kept on
/// handles is honest about, for [`StoredCallbacks::invoke_on`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotRoute {
    /// The slot's type keeps its callbacks by call: the id the innermost
    /// running call of the type on this thread sent ([`crate::route`],
    /// under [`crate::route::client_token`]). 0 (no such call, or it passed
    /// a view, two handles of the type or none) refuses the callback as the
    /// Linked trampoline does: the domain's server cannot tell a view's id
    /// from its owner's, so it may honestly name the owner, whose closure
    /// must not run. An empty slot of that very handle is what an honest
    /// library does when it fires a handler the handle's C object has but
    /// its Rust table lacks (expat's external entity parser inherits its
    /// parent's handlers); any other handle is not.
    ByCall(u64),
    /// The slot's type has a context function, and this is the type's
    /// index among the opaque types: the domain's trampoline sends the user
    /// data C handed it, which the server set, through that function, to
    /// the id of a handle with a table. C may honestly hand any such handle
    /// of the type: its own, or one whose handlers and user data a child
    /// object copied (an external entity parser), even after the slot was
    /// emptied on the Rust side, or when the child's own table, set since,
    /// lacks the handler it inherited. But C fires only a trampoline it was
    /// given, so the slot must have kept a callback, on some handle, in
    /// this incarnation. Only those are refused: an id no handle of the
    /// type with a table has was never set as user data, and a slot never
    /// given is no pointer C holds.
    ByContext(usize),
    /// A slot no handle type has: only a hostile domain names it.
    Unknown,
}

/// The callbacks kept on one handle of an Isolated client: held by the
/// handle ([`crate::rt::HandleCore::context`]), it drops them when the handle
/// is dropped, after the domain freed the object.
pub struct HandleCallbacks {
    table: StoredCallbacks,
    handle: u64,
}

impl Drop for HandleCallbacks {
    fn drop(&mut self) {
        self.table.forget_handle(self.handle);
    }
}

/// A stored callback whose call is running: see [`StoredCallbacks::register`].
#[must_use = "an unconfirmed registration is removed when dropped"]
pub struct PendingStored<'a> {
    table: &'a StoredCallbacks,
    id: u32,
    f: StoredInvoker,
    done: bool,
}

impl PendingStored<'_> {
    /// The id the call sends (with [`STORED_CALLBACK`] set).
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Runs the callback, for a callback frame of the call that passes it
    /// (C may call a callback it is being given before the call returns).
    pub fn invoke(&self, args: &[u8], out: &mut Vec<u8>) -> Result<(), WireError> {
        (self.f)(args, out)
    }

    /// Ends the pending state: `Some(generation)` when the call succeeded in
    /// that incarnation, which keeps the callback from now on; `None` when it
    /// failed, and the registration is removed.
    pub fn confirm(mut self, generation: Option<u32>) {
        self.done = true;
        let mut t = self.table.0.lock();
        match generation {
            Some(g) => {
                if let Some(e) = t.entries.iter_mut().find(|e| e.id == self.id) {
                    e.generation = Some(g);
                }
                t.forget_ended_incarnations(g);
            }
            None => t.remove(self.id),
        }
    }
}

impl Drop for PendingStored<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.table.0.lock().remove(self.id);
        }
    }
}

/// Appends an array of strings: its count, then each string as its length
/// plus one (0 for NULL) and its bytes. Every element takes at least 8
/// bytes, so a decoder's table of them is bounded by the payload.
pub fn put_strings<'a>(items: impl ExactSizeIterator<Item = Option<&'a CStr>>, out: &mut Vec<u8>) {
    (items.len() as u64).put(out);
    for s in items {
        match s {
            None => 0u64.put(out),
            Some(s) => {
                let b = s.to_bytes();
                (b.len() as u64 + 1).put(out);
                out.extend_from_slice(b);
            }
        }
    }
}

/// An array of strings decoded from the wire ([`put_strings`]): each
/// NUL-terminated in one buffer no larger than the payload.
#[derive(Debug, Default)]
pub struct WireStrings {
    bytes: Vec<u8>,
    /// Where each string starts in `bytes`; `None` for NULL.
    starts: Vec<Option<usize>>,
}

impl WireStrings {
    /// Decodes what [`put_strings`] wrote; a string holding a NUL is an error.
    pub fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = r.count(8)?;
        let mut w = WireStrings {
            bytes: Vec::new(),
            starts: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let len = u64::get(r)?;
            if len == 0 {
                w.starts.push(None);
                continue;
            }
            let len = usize::try_from(len - 1).map_err(|_| WireError("length overflows"))?;
            let b = r.bytes(len)?;
            if b.contains(&0) {
                return Err(WireError("string holds a NUL byte"));
            }
            w.starts.push(Some(w.bytes.len()));
            w.bytes.extend_from_slice(b);
            w.bytes.push(0);
        }
        Ok(w)
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    fn at(&self, start: usize) -> &CStr {
        // Every start is that of a string `get` ended with a NUL and checked
        // to hold no other.
        CStr::from_bytes_until_nul(&self.bytes[start..]).unwrap_or(c"")
    }

    /// The strings, `None` for NULL.
    pub fn options(&self) -> Vec<Option<&CStr>> {
        self.starts.iter().map(|s| s.map(|s| self.at(s))).collect()
    }

    /// The strings, where none may be NULL: `None` if one is.
    pub fn strings(&self) -> Option<Vec<&CStr>> {
        self.starts.iter().map(|s| s.map(|s| self.at(s))).collect()
    }

    /// The pointers C receives (into this value), NULL-terminated if asked.
    pub fn pointers(&self, nul_terminated: bool) -> Vec<*const c_char> {
        crate::rt::string_pointers(self.options().into_iter(), nul_terminated)
    }
}

/// A callback argument the domain sends, or why C's did not do (a
/// reason of [`crate::rt::REFUSALS`]).
pub type Refusable<T> = Result<T, &'static str>;

/// The domain: a callback argument read from what C passed (`read`), as a
/// tag byte 1 and `put`, or when the description does not allow what C
/// passed, a tag byte 0 and the code of the reason.
fn put_refusable<T>(read: Refusable<T>, out: &mut Vec<u8>, put: impl FnOnce(T, &mut Vec<u8>)) {
    match read {
        Ok(v) => {
            out.push(1);
            put(v, out);
        }
        Err(why) => {
            out.push(0);
            out.push(crate::rt::refusal_code(why));
        }
    }
}

/// The client: what [`put_refusable`] wrote, with `get` for the value.
fn get_refusable<'a, T>(
    r: &mut Reader<'a>,
    get: impl FnOnce(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<Refusable<T>, WireError> {
    match r.array::<1>()?[0] {
        0 => {
            let code = r.array::<1>()?[0];
            match crate::rt::REFUSALS.get(usize::from(code)) {
                Some(why) => Ok(Err(why)),
                None => Err(WireError("unknown refusal code")),
            }
        }
        1 => get(r).map(Ok),
        _ => Err(WireError("bad callback argument tag")),
    }
}

/// The domain: an array of strings C handed a callback, `count` of them
/// (the count C passed, or the one found before its NULL), NULL elements
/// included ([`put_strings`] in the refusable form: a tag byte 1 and the
/// value, or 0 and the code of a reason of [`crate::rt::REFUSALS`]; see
/// [`Refusable`]).
///
/// # Safety
/// As [`crate::rt::c_opt_strings`] when `count` is `Ok`.
pub unsafe fn put_callback_strings(
    ptrs: *const *const c_char,
    count: Refusable<usize>,
    out: &mut Vec<u8>,
) {
    // SAFETY: forwarded.
    let read = count.and_then(|n| unsafe { crate::rt::c_opt_strings(ptrs, n) });
    put_refusable(read, out, |v, out| put_strings(v.into_iter(), out));
}

/// The client: what [`put_callback_strings`] wrote.
pub fn get_callback_strings(r: &mut Reader<'_>) -> Result<Refusable<WireStrings>, WireError> {
    get_refusable(r, WireStrings::get)
}

/// The domain: a buffer C handed a callback, `count` elements at `ptr`
/// ([`crate::wire::put_slice`] in the refusable form of
/// [`put_callback_strings`]).
///
/// # Safety
/// As [`crate::rt::c_slice`] when `count` is `Ok`.
pub unsafe fn put_callback_slice<T: Wire>(
    ptr: *const T,
    count: Refusable<usize>,
    out: &mut Vec<u8>,
) {
    // SAFETY: forwarded.
    let read = count.and_then(|n| unsafe { crate::rt::c_slice(ptr, n) });
    put_refusable(read, out, |s, out| crate::wire::put_slice(s, out));
}

/// The client: the bytes [`put_callback_slice`] wrote, borrowed from the
/// frame.
pub fn get_callback_bytes<'a>(r: &mut Reader<'a>) -> Result<Refusable<&'a [u8]>, WireError> {
    get_refusable(r, |r| {
        let n = r.count(1)?;
        r.bytes(n)
    })
}

/// The client: the elements [`put_callback_slice`] wrote.
pub fn get_callback_vec<T: Wire + Default + Clone>(
    r: &mut Reader<'_>,
) -> Result<Refusable<Vec<T>>, WireError> {
    get_refusable(r, crate::wire::get_vec)
}

/// The generation of a handle id.
#[inline(always)]
pub fn handle_generation(id: u64) -> u32 {
    (id >> 32) as u32
}

/// The server side of a connection, as generated dispatch code sees it.
#[cfg(feature = "std")]
pub trait ServerCtx {
    /// Records a pointer C returned and gives it an id for the client.
    fn handle_insert(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError>;
    /// The pointer behind an id the client sent.
    fn handle_get(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError>;
    /// Forgets an id (C takes the pointer back) and returns its pointer.
    fn handle_remove(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError>;
    /// Lends C's pointer `ptr` to the client for one callback (a handle C
    /// hands the callback, `sqlite3_context *`): an id that
    /// [`ServerCtx::handle_get`] resolves until [`ServerCtx::handle_end_loan`],
    /// and never again. A server without lending gives an ordinary id.
    fn handle_lend(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError> {
        self.handle_insert(type_index, ptr)
    }
    /// The callback the id `id` was lent for returned: the id is dead.
    fn handle_end_loan(&self, type_index: usize, id: u64) {
        let _ = self.handle_remove(type_index, id);
    }
    /// Calls client callback `id` and waits for its encoded result, serving
    /// any nested calls the client makes meanwhile.
    fn invoke_callback(&self, id: u32, args: &[u8], reply: &mut Vec<u8>) -> Result<(), WireError>;
    /// The next segment of the call being served ([`crate::bulk`]): its
    /// index and first byte, once its direction and length (in bytes) are
    /// those the table says and its start is aligned to `align`. A server
    /// without segments refuses.
    fn segment(
        &self,
        dir: crate::bulk::SegmentDir,
        bytes: usize,
        align: usize,
    ) -> Result<(usize, *mut u8), WireError> {
        let _ = (dir, bytes, align);
        Err(WireError("this server passes no segments"))
    }
    /// C wrote the first `bytes` bytes of segment `index` of the call.
    fn segment_written(&self, index: usize, bytes: usize) -> Result<(), WireError> {
        let _ = (index, bytes);
        Err(WireError("this server passes no segments"))
    }
}

/// Decodes one call, calls C, encodes the reply.
#[cfg(feature = "std")]
pub type DispatchFn = fn(&dyn ServerCtx, u32, &[u8], &mut Vec<u8>) -> Result<(), WireError>;

/// What a server executable runs: generated by `#[foreign]` for a description.
#[cfg(feature = "std")]
#[derive(Clone, Copy)]
pub struct ServerSpec {
    /// The description's name.
    pub name: &'static str,
    /// The description's fingerprint.
    pub fingerprint: [u8; 16],
    /// Number of functions.
    pub functions: u32,
    /// Decodes a call, calls C, encodes the reply.
    pub dispatch: DispatchFn,
}

#[cfg(feature = "std")]
impl std::fmt::Debug for ServerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSpec")
            .field("name", &self.name)
            .field("functions", &self.functions)
            .finish()
    }
}

#[cfg(feature = "std")]
thread_local! {
    static CURRENT: Cell<Option<*const (dyn ServerCtx + 'static)>> = const { Cell::new(None) };
}

/// Runs `dispatch` with `ctx` as the server that C callbacks on this thread reach.
#[cfg(feature = "std")]
pub fn serve_call<R>(ctx: &dyn ServerCtx, f: impl FnOnce() -> R) -> R {
    // SAFETY: only the lifetime is erased; the pointer is removed again by the
    // guard below before `ctx` goes out of scope, and only this thread sees it.
    let ptr: *const (dyn ServerCtx + 'static) =
        unsafe { std::mem::transmute(ctx as *const dyn ServerCtx) };
    let prev = CURRENT.with(|c| c.replace(Some(ptr)));
    struct Restore(Option<*const (dyn ServerCtx + 'static)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(prev);
    f()
}

/// Called by a generated server trampoline when C invokes a callback: forwards
/// it to the client. Fails when no call is being served on this thread (C
/// called back from a thread of its own).
#[cfg(feature = "std")]
pub fn server_callback(id: u32, args: &[u8], reply: &mut Vec<u8>) -> Result<(), WireError> {
    let Some(ptr) = CURRENT.with(|c| c.get()) else {
        if id != REFUSED_CALLBACK {
            STRAYED.store(true, core::sync::atomic::Ordering::Relaxed);
        }
        return Err(WireError("callback outside a call"));
    };
    // SAFETY: the pointer was set by `serve_call` on this thread and is live
    // until that call returns, which is after C stops running.
    let ctx = unsafe { &*ptr };
    ctx.invoke_callback(id, args, reply)
}

/// Set when C called a callback from a thread on which no call is served:
/// the closure cannot run there, and the next call that passes a callback
/// says so ([`server_report_strays`]).
#[cfg(feature = "std")]
static STRAYED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// The domain, after the C function of a call that passes a callback
/// returned: a callback C made meanwhile (or before) from a thread of its
/// own, which did not run, is told to the client as a refused callback of
/// this call, as the Linked trampoline refuses one from another thread. The
/// record is the domain's, not the call's: with calls of several threads at
/// once, the first of them to look reports it.
#[cfg(feature = "std")]
pub fn server_report_strays() {
    if STRAYED.load(core::sync::atomic::Ordering::Relaxed)
        && STRAYED.swap(false, core::sync::atomic::Ordering::Relaxed)
    {
        server_refuse_callback(crate::rt::REFUSALS[13]);
    }
}

/// The domain: lends the handle `ptr` C handed a callback to the client for
/// the callback's duration ([`ServerCtx::handle_lend`]); 0 (which the client
/// refuses) for NULL, or outside a call.
#[cfg(feature = "std")]
pub fn server_lend(type_index: usize, ptr: *mut c_void, lent: &mut Vec<(usize, u64)>) -> u64 {
    if ptr.is_null() {
        return 0;
    }
    let Some(ctx) = CURRENT.with(|c| c.get()) else {
        return 0;
    };
    // SAFETY: as in `server_callback`.
    match unsafe { &*ctx }.handle_lend(type_index, ptr) {
        Ok(id) => {
            lent.push((type_index, id));
            id
        }
        Err(_) => 0,
    }
}

/// The domain: the callback returned, so the ids [`server_lend`] lent for it die.
#[cfg(feature = "std")]
pub fn server_end_loans(lent: &[(usize, u64)]) {
    let Some(ctx) = CURRENT.with(|c| c.get()) else {
        return;
    };
    for &(t, id) in lent {
        // SAFETY: as in `server_callback`.
        unsafe { &*ctx }.handle_end_loan(t, id);
    }
}

/// The domain: `count` handles C lent a callback at `ptrs`, each lent to the
/// client ([`server_lend`]) and sent as its id, in the refusable form of
/// [`put_callback_strings`]
/// (a NULL array with elements, or a NULL element, is refused).
///
/// # Safety
/// As [`crate::rt::c_slice`] when `count` is `Ok`.
#[cfg(feature = "std")]
pub unsafe fn put_callback_handles(
    type_index: usize,
    ptrs: *const *mut c_void,
    count: Refusable<usize>,
    out: &mut Vec<u8>,
    lent: &mut Vec<(usize, u64)>,
) {
    // SAFETY: forwarded.
    let read = count.and_then(|n| unsafe { crate::rt::c_handles(ptrs, n) });
    put_refusable(read, out, |s, out| {
        let ids: Vec<u64> = s
            .iter()
            .map(|&p| server_lend(type_index, p, lent))
            .collect();
        crate::wire::put_slice(&ids, out)
    });
}

/// The client: the handle ids [`put_callback_handles`] wrote, refused when
/// one is 0 or of another incarnation than `generation`.
pub fn get_callback_handles(
    r: &mut Reader<'_>,
    generation: u32,
) -> Result<Refusable<Vec<u64>>, WireError> {
    let ids = get_refusable(r, crate::wire::get_vec::<u64>)?;
    // Each id becomes a view for the closure, several times its 8 bytes:
    // bounded here, not only by the frame.
    if ids.as_ref().is_ok_and(|ids| ids.len() > MAX_LENT_HANDLES) {
        return Err(WireError(
            "more handles lent to one callback than the bound",
        ));
    }
    Ok(ids.and_then(|ids| {
        if ids.iter().all(|&id| lent_id_ok(id, generation)) {
            Ok(ids)
        } else {
            Err(crate::rt::REFUSALS[9])
        }
    }))
}

/// The client: a handle id lent to a callback, refused when 0 or of another
/// incarnation than `generation`.
pub fn get_callback_handle(
    r: &mut Reader<'_>,
    generation: u32,
) -> Result<Refusable<u64>, WireError> {
    let id: u64 = Wire::get(r)?;
    Ok(if lent_id_ok(id, generation) {
        Ok(id)
    } else {
        Err(crate::rt::REFUSALS[9])
    })
}

fn lent_id_ok(id: u64, generation: u32) -> bool {
    id != 0 && handle_generation(id) == generation
}

/// The bit of the low half of an id that marks it lent for one callback.
#[cfg(feature = "std")]
const LENT: u32 = 1 << 31;

/// A handle table for servers: ids are `generation << 32 | slot + 1`, so 0
/// is never an id; an id lent for a callback is `generation << 32 | 1 << 31
/// | n`, with `n` counting every loan of the table, so a dead one is never
/// alive again.
#[cfg(feature = "std")]
pub struct HandleTable {
    generation: u32,
    inner: Mutex<TableInner>,
}

#[cfg(feature = "std")]
#[derive(Default)]
struct TableInner {
    slots: Vec<Option<(usize, usize)>>,
    free: Vec<u32>,
    /// The live loans: id, type, pointer.
    lent: Vec<(u64, usize, usize)>,
    /// The loans made so far.
    loans: u32,
}

#[cfg(feature = "std")]
impl HandleTable {
    /// An empty table for incarnation `generation`.
    pub fn new(generation: u32) -> Self {
        HandleTable {
            generation,
            inner: Mutex::default(),
        }
    }

    fn slot(&self, id: u64) -> Result<usize, WireError> {
        if handle_generation(id) != self.generation {
            return Err(WireError("handle from another incarnation"));
        }
        let s = (id as u32)
            .checked_sub(1)
            .ok_or(WireError("null handle id"))?;
        Ok(s as usize)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TableInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// See [`ServerCtx::handle_insert`].
    pub fn insert(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError> {
        let mut t = self.lock();
        let entry = Some((type_index, ptr as usize));
        let slot = match t.free.pop() {
            Some(s) => {
                t.slots[s as usize] = entry;
                s
            }
            None => {
                let s = u32::try_from(t.slots.len())
                    .ok()
                    .filter(|&s| s < LENT - 1)
                    .ok_or(WireError("handle table full"))?;
                t.slots.push(entry);
                s
            }
        };
        Ok(((self.generation as u64) << 32) | (slot as u64 + 1))
    }

    /// See [`ServerCtx::handle_lend`].
    pub fn lend(&self, type_index: usize, ptr: *mut c_void) -> Result<u64, WireError> {
        let mut t = self.lock();
        let n = t
            .loans
            .checked_add(1)
            .filter(|&n| n < LENT)
            .ok_or(WireError("every id for lent handles was used"))?;
        t.loans = n;
        let id = ((self.generation as u64) << 32) | u64::from(LENT | n);
        t.lent.push((id, type_index, ptr as usize));
        Ok(id)
    }

    /// See [`ServerCtx::handle_end_loan`].
    pub fn end_loan(&self, id: u64) {
        let mut t = self.lock();
        if let Some(i) = t.lent.iter().rposition(|e| e.0 == id) {
            t.lent.swap_remove(i);
        }
    }

    /// See [`ServerCtx::handle_get`].
    pub fn get(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError> {
        if handle_generation(id) == self.generation && (id as u32) & LENT != 0 {
            return match self.lock().lent.iter().rev().find(|e| e.0 == id) {
                Some(&(_, t, p)) if t == type_index => Ok(p as *mut c_void),
                Some(_) => Err(WireError("a lent handle of another type")),
                None => Err(WireError("a handle lent to a callback that returned")),
            };
        }
        let s = self.slot(id)?;
        match self.lock().slots.get(s) {
            Some(Some((t, p))) if *t == type_index => Ok(*p as *mut c_void),
            _ => Err(WireError("unknown handle id")),
        }
    }

    /// See [`ServerCtx::handle_remove`].
    pub fn remove(&self, type_index: usize, id: u64) -> Result<*mut c_void, WireError> {
        let s = self.slot(id)?;
        let mut t = self.lock();
        match t.slots.get(s) {
            Some(Some((ty, p))) if *ty == type_index => {
                let p = *p as *mut c_void;
                t.slots[s] = None;
                t.free.push(s as u32);
                Ok(p)
            }
            _ => Err(WireError("unknown handle id")),
        }
    }
}

/// A channel that runs the server's dispatch in the calling process: the
/// wire encoding of the Isolated linkage without the isolation. For tests of
/// the codec and for debugging a description.
#[cfg(feature = "std")]
pub struct LoopbackChannel {
    spec: ServerSpec,
    table: HandleTable,
    /// Per thread: the calls in progress (nested by callbacks), and the
    /// violation of a nested one, which ends every call around it.
    nesting: std::sync::Mutex<Vec<(std::thread::ThreadId, Nesting)>>,
}

/// A thread's calls on a [`LoopbackChannel`].
#[cfg(feature = "std")]
#[derive(Default)]
struct Nesting {
    depth: u32,
    broken: Option<String>,
}

#[cfg(feature = "std")]
impl LoopbackChannel {
    /// A loopback connection to `spec`'s dispatch (C linked into this process).
    pub fn new(spec: ServerSpec) -> Self {
        LoopbackChannel {
            spec,
            table: HandleTable::new(1),
            nesting: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on this thread's nesting record (made when missing, dropped
    /// when its last call ended).
    fn nesting<R>(&self, f: impl FnOnce(&mut Nesting) -> R) -> R {
        let me = std::thread::current().id();
        let mut all = self.nesting.lock().unwrap_or_else(|e| e.into_inner());
        let at = match all.iter().position(|(t, _)| *t == me) {
            Some(at) => at,
            None => {
                all.push((me, Nesting::default()));
                all.len() - 1
            }
        };
        let got = f(&mut all[at].1);
        if all[at].1.depth == 0 {
            all.swap_remove(at);
        }
        got
    }

    /// One call, as [`Channel::call`] without the nesting rule.
    fn serve(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        let ctx = LoopbackCtx {
            table: &self.table,
            callbacks: std::cell::RefCell::new(callbacks),
            failed: Cell::new(None),
        };
        let served = serve_call(&ctx, || {
            (self.spec.dispatch)(&ctx, function, request, reply)
        });
        // As a domain process's client words it: the callback frame it
        // could not answer ends the call, whatever C made of the zeroed
        // answer.
        if let Some((id, e)) = ctx.failed.get() {
            reply.clear();
            return Err(DomainFailure::Protocol {
                what: alloc::format!("callback {id:#x} of call {function}: {e}"),
            });
        }
        served.map_err(|e| DomainFailure::Protocol {
            what: e.0.to_string(),
        })
    }
}

#[cfg(feature = "std")]
struct LoopbackCtx<'a, 'b> {
    table: &'a HandleTable,
    callbacks: std::cell::RefCell<&'a mut CallbackDispatch<'b>>,
    /// The first callback frame the client's dispatch could not answer.
    /// A domain process is ended for it and its call fails; here C runs on
    /// (its trampoline got a zeroed answer), so the call fails once the
    /// dispatch returns, and no later callback of it runs.
    failed: Cell<Option<(u32, WireError)>>,
}

#[cfg(feature = "std")]
impl ServerCtx for LoopbackCtx<'_, '_> {
    fn handle_insert(&self, t: usize, p: *mut c_void) -> Result<u64, WireError> {
        self.table.insert(t, p)
    }
    fn handle_get(&self, t: usize, id: u64) -> Result<*mut c_void, WireError> {
        self.table.get(t, id)
    }
    fn handle_remove(&self, t: usize, id: u64) -> Result<*mut c_void, WireError> {
        self.table.remove(t, id)
    }
    fn handle_lend(&self, t: usize, p: *mut c_void) -> Result<u64, WireError> {
        self.table.lend(t, p)
    }
    fn handle_end_loan(&self, _: usize, id: u64) {
        self.table.end_loan(id)
    }
    fn invoke_callback(&self, id: u32, args: &[u8], reply: &mut Vec<u8>) -> Result<(), WireError> {
        if let Some((_, e)) = self.failed.get() {
            return Err(e);
        }
        let got = match self.callbacks.try_borrow_mut() {
            Ok(mut cb) => (cb)(id, args, reply),
            Err(_) => Err(WireError("re-entered callback dispatch")),
        };
        if let Err(e) = got {
            self.failed.set(Some((id, e)));
        }
        got
    }
}

#[cfg(feature = "std")]
impl Channel for LoopbackChannel {
    /// A protocol violation ends a domain process's incarnation, and with
    /// it every call a callback made it from: so here too, a call during
    /// which a nested call broke the protocol fails, as a domain process's
    /// client words it, whatever its callback did with the error.
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.nesting(|n| n.depth += 1);
        let served = self.serve(function, request, reply, callbacks);
        let broken = self.nesting(|n| {
            n.depth -= 1;
            if n.broken.is_none() && n.depth > 0 {
                if let Err(e @ DomainFailure::Protocol { .. }) = &served {
                    n.broken = Some(e.to_string());
                    return None;
                }
            }
            n.broken.clone()
        });
        match broken {
            Some(why) => {
                reply.clear();
                Err(DomainFailure::Unavailable {
                    reason: alloc::format!("the domain died during a callback ({why})"),
                })
            }
            None => served,
        }
    }

    fn generation(&self) -> u32 {
        1
    }

    fn as_any(&self) -> &dyn core::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicU32, Ordering};

    /// An invoker counting its calls in `n`.
    fn counter(n: &Arc<AtomicU32>) -> StoredInvoker {
        let n = n.clone();
        Arc::new(move |_: &[u8], _: &mut Vec<u8>| {
            n.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }

    fn call(t: &StoredCallbacks, id: u32, generation: u32) -> bool {
        match t.get(id, generation) {
            Some(f) => f(&[], &mut Vec::new()).is_ok(),
            None => false,
        }
    }

    /// A callback frame's array of lent ids, `n` of them, all of incarnation 7.
    fn lent_ids(n: usize) -> Vec<u8> {
        let ids: Vec<u64> = (0..n as u64).map(|i| 7 << 32 | 1 << 31 | (i + 1)).collect();
        let mut out = vec![1];
        crate::wire::put_slice(&ids, &mut out);
        out
    }

    #[test]
    fn an_array_of_lent_ids_is_bounded() {
        let at_bound = lent_ids(MAX_LENT_HANDLES);
        let got = get_callback_handles(&mut Reader::new(&at_bound), 7).unwrap();
        assert_eq!(got.map(|ids| ids.len()), Ok(MAX_LENT_HANDLES));
        let beyond = lent_ids(MAX_LENT_HANDLES + 1);
        assert!(get_callback_handles(&mut Reader::new(&beyond), 7).is_err());
    }

    #[test]
    fn a_registration_is_live_only_in_the_incarnation_its_call_ran_in() {
        let t = StoredCallbacks::default();
        let n = Arc::new(AtomicU32::new(0));
        let p = t.register(3, None, counter(&n)).unwrap();
        let id = p.id();
        assert_ne!(id & STORED_CALLBACK, 0);
        // Pending: only the registering call's own dispatch reaches it.
        assert!(!call(&t, id, 3));
        p.invoke(&[], &mut Vec::new()).unwrap();
        // The call ran (and succeeded) in incarnation 4.
        p.confirm(Some(4));
        assert!(!call(&t, id, 3));
        assert!(call(&t, id, 4));
        assert_eq!(n.load(Ordering::SeqCst), 2);
        // Incarnation 5: refused, and dropped with its closure.
        assert!(!call(&t, id, 5));
        assert!(t.is_empty());
        assert_eq!(Arc::strong_count(&n), 1);
        // Not back in 4 either: it is gone.
        assert!(!call(&t, id, 4));
    }

    #[test]
    fn a_failed_or_abandoned_call_leaves_nothing() {
        let t = StoredCallbacks::default();
        let n = Arc::new(AtomicU32::new(0));
        let p = t.register(1, None, counter(&n)).unwrap();
        let id = p.id();
        p.confirm(None);
        assert!(!call(&t, id, 1));
        drop(t.register(1, None, counter(&n)).unwrap());
        assert!(t.is_empty());
        assert_eq!(Arc::strong_count(&n), 1);
    }

    #[test]
    fn replacing_or_clearing_a_slot_refuses_the_old_id() {
        let t = StoredCallbacks::default();
        let (a, b, c) = (
            Arc::new(AtomicU32::new(0)),
            Arc::new(AtomicU32::new(0)),
            Arc::new(AtomicU32::new(0)),
        );
        let pa = t.register(1, Some(0), counter(&a)).unwrap();
        let ida = pa.id();
        pa.confirm(Some(1));
        // Another slot and no slot are left alone.
        let pc = t.register(1, Some(1), counter(&c)).unwrap();
        let idc = pc.id();
        pc.confirm(Some(1));
        let pb = t.register(1, Some(0), counter(&b)).unwrap();
        let idb = pb.id();
        assert!(
            !call(&t, ida, 1),
            "replaced as soon as the new one is passed"
        );
        pb.confirm(Some(1));
        assert_ne!(ida, idb);
        assert!(call(&t, idb, 1) && call(&t, idc, 1));
        t.clear_slot(0);
        assert!(!call(&t, idb, 1));
        assert!(call(&t, idc, 1));
        assert_eq!(Arc::strong_count(&a), 1);
        assert_eq!(Arc::strong_count(&b), 1);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn callbacks_kept_on_a_handle_are_replaced_and_dropped_with_it() {
        let t = StoredCallbacks::default();
        let (a, b) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let h = (1u64 << 32) | 5;
        t.set_on(h, 0, Some(counter(&a)));
        t.set_on(h, 1, Some(counter(&a)));
        // Handle id first, then the arguments.
        let frame = h.to_le_bytes();
        t.invoke_on(
            HANDLE_CALLBACK,
            &frame,
            &mut Vec::new(),
            1,
            SlotRoute::Unknown,
        )
        .unwrap();
        assert_eq!(a.load(Ordering::SeqCst), 1);
        // Another incarnation, handle or slot: refused.
        assert!(t
            .invoke_on(
                HANDLE_CALLBACK,
                &frame,
                &mut Vec::new(),
                2,
                SlotRoute::Unknown
            )
            .is_err());
        assert!(t.get_on(h + 1, 0, 1).is_none());
        assert!(t
            .invoke_on(
                HANDLE_CALLBACK | 2,
                &frame,
                &mut Vec::new(),
                1,
                SlotRoute::Unknown
            )
            .is_err());
        // Replaced, then emptied.
        t.set_on(h, 0, Some(counter(&b)));
        assert_eq!(Arc::strong_count(&a), 2);
        t.set_on(h, 1, None);
        assert_eq!(Arc::strong_count(&a), 1);
        // Dropped with the handle.
        drop(t.handle_callbacks(h, 0));
        assert_eq!(t.len_on_handles(), 0);
        assert_eq!(Arc::strong_count(&b), 1);
    }

    #[test]
    fn an_empty_slot_is_refused_only_for_the_handle_the_call_routed() {
        let t = StoredCallbacks::default();
        let (routed, other) = ((1u64 << 32) | 5, (1u64 << 32) | 6);
        let refused = |frame: &[u8], generation: u32, route: SlotRoute| {
            let got = t.invoke_on(HANDLE_CALLBACK, frame, &mut Vec::new(), generation, route);
            (got, crate::rt::take_callback_panic("f"))
        };
        // The handle the running call sent: refused, typed, the call told.
        let (got, told) = refused(&routed.to_le_bytes(), 1, SlotRoute::ByCall(routed));
        assert_eq!(got, Ok(()));
        assert!(
            matches!(told, Err(crate::Error::CallbackNotRun { reason, .. }) if reason == crate::rt::REFUSALS[8]),
            "{told:?}"
        );
        // No call of the type recorded a handle (it passed a view): refused
        // whichever handle is named, even one that keeps the callback.
        let ran = Arc::new(AtomicU32::new(0));
        t.set_on(other, 0, Some(counter(&ran)));
        for frame in [routed, other] {
            let (got, told) = refused(&frame.to_le_bytes(), 1, SlotRoute::ByCall(0));
            assert_eq!(got, Ok(()));
            assert!(
                matches!(told, Err(crate::Error::CallbackNotRun { reason, .. }) if reason == crate::rt::REFUSALS[12]),
                "{told:?}"
            );
        }
        assert_eq!(ran.load(Ordering::SeqCst), 0, "no closure ran");
        t.set_on(other, 0, None);
        // Another handle, a routed handle of another incarnation, or a slot
        // no routed type has: violations, and nothing is refused.
        for (frame, generation, r) in [
            (other, 1, SlotRoute::ByCall(routed)),
            (routed, 2, SlotRoute::ByCall(routed)),
            (routed, 1, SlotRoute::Unknown),
        ] {
            let (got, told) = refused(&frame.to_le_bytes(), generation, r);
            assert!(got.is_err(), "{frame:x} in {generation}");
            assert!(told.is_ok());
        }
    }

    #[test]
    fn an_empty_slot_is_refused_only_for_a_handle_of_the_type_with_a_table() {
        let t = StoredCallbacks::default();
        let (tabled, bare, other_type) = ((1u64 << 32) | 5, (1u64 << 32) | 6, (1u64 << 32) | 7);
        let try_frame = |h: u64, generation: u32, route: SlotRoute| {
            let got = t.invoke_on(
                HANDLE_CALLBACK,
                &h.to_le_bytes(),
                &mut Vec::new(),
                generation,
                route,
            );
            (got, crate::rt::take_callback_panic("f"))
        };
        let kept = t.handle_callbacks(tabled, 3);
        let _other = t.handle_callbacks(other_type, 4);
        // A slot no callback was kept in, in this incarnation: C was never
        // given its trampoline.
        let ran = Arc::new(AtomicU32::new(0));
        t.set_on(tabled, 1, Some(counter(&ran)));
        let (got, told) = try_frame(tabled, 1, SlotRoute::ByContext(3));
        assert!(got.is_err() && told.is_ok(), "{got:?} {told:?}");
        // A filled slot runs.
        t.set_on(tabled, 0, Some(counter(&ran)));
        assert_eq!(try_frame(tabled, 1, SlotRoute::ByContext(3)).0, Ok(()));
        assert_eq!(ran.load(Ordering::SeqCst), 1);
        // Emptied since, of its own table, of this incarnation: refused,
        // typed, the call told.
        t.set_on(tabled, 0, None);
        let (got, told) = try_frame(tabled, 1, SlotRoute::ByContext(3));
        assert_eq!(got, Ok(()));
        assert!(
            matches!(told, Err(crate::Error::CallbackNotRun { reason, .. }) if reason == crate::rt::REFUSALS[8]),
            "{told:?}"
        );
        // A handle no table was made for, one of another type, one of
        // another incarnation, the table of a dropped handle, a slot of no
        // type: violations, and nothing is refused.
        let dropped = t.handle_callbacks((1u64 << 32) | 8, 3);
        drop(dropped);
        for (h, generation, route) in [
            (bare, 1, SlotRoute::ByContext(3)),
            (other_type, 1, SlotRoute::ByContext(3)),
            (tabled, 2, SlotRoute::ByContext(3)),
            ((1u64 << 32) | 8, 1, SlotRoute::ByContext(3)),
            (tabled, 1, SlotRoute::Unknown),
        ] {
            let (got, told) = try_frame(h, generation, route);
            assert!(got.is_err(), "{h:x} in {generation}, {route:?}");
            assert!(told.is_ok());
        }
        assert_eq!(ran.load(Ordering::SeqCst), 1, "no closure ran again");
        // A table ends with its handle.
        drop(kept);
        assert!(try_frame(tabled, 1, SlotRoute::ByContext(3)).0.is_err());
        assert_eq!(t.0.lock().tables.len(), 1);
    }

    #[test]
    fn strings_round_trip_with_nulls_and_bounded_tables() {
        let mut out = Vec::new();
        put_strings([Some(c"ab"), None, Some(c"")].into_iter(), &mut out);
        let w = WireStrings::get(&mut Reader::new(&out)).unwrap();
        assert_eq!(w.options(), [Some(c"ab"), None, Some(c"")]);
        assert_eq!(w.strings(), None);
        let p = w.pointers(true);
        assert_eq!(p.len(), 4);
        assert!(p[1].is_null() && p[3].is_null());
        // A count beyond what 8 bytes per element allow is refused.
        let mut lying = 3u64.to_le_bytes().to_vec();
        lying.extend_from_slice(&[0; 16]);
        assert!(WireStrings::get(&mut Reader::new(&lying)).is_err());
    }

    #[test]
    fn ids_are_not_given_out_twice_while_they_live() {
        let t = StoredCallbacks::default();
        let n = Arc::new(AtomicU32::new(0));
        let kept = t.register(1, None, counter(&n)).unwrap();
        let kept_id = kept.id();
        kept.confirm(Some(1));
        // Serials run on; wrap them around to meet the live id again.
        t.0.lock().next = STORED_CALLBACK - 1;
        let mut seen = Vec::new();
        for _ in 0..3 {
            let p = t.register(1, None, counter(&n)).unwrap();
            seen.push(p.id());
            p.confirm(Some(1));
        }
        assert!(!seen.contains(&kept_id), "{seen:x?}");
        assert!(seen.iter().all(|id| id & STORED_CALLBACK != 0));
        // An id without the stored bit names no stored callback.
        assert!(!call(&t, kept_id & !STORED_CALLBACK, 1));
    }

    #[test]
    fn a_lent_id_resolves_until_its_loan_ends_and_never_again() {
        let t = HandleTable::new(3);
        let (p, q) = (8 as *mut c_void, 16 as *mut c_void);
        let owned = t.insert(0, p).unwrap();
        let lent = t.lend(1, q).unwrap();
        assert_eq!(handle_generation(lent), 3);
        assert_eq!(t.get(1, lent).unwrap(), q);
        // Another type, and taking a lent one over, are refused.
        assert!(t.get(0, lent).is_err());
        assert!(t.remove(1, lent).is_err());
        t.end_loan(lent);
        assert!(t.get(1, lent).is_err());
        // Loans of the same pointer get new ids, none of them a dead one.
        let mut seen = vec![lent];
        for _ in 0..1000 {
            let id = t.lend(1, q).unwrap();
            assert!(!seen.contains(&id));
            seen.push(id);
            t.end_loan(id);
        }
        assert!(seen.iter().all(|&id| t.get(1, id).is_err()));
        // Nested loans resolve at once; ordinary handles are untouched.
        let (a, b) = (t.lend(1, p).unwrap(), t.lend(1, q).unwrap());
        assert_eq!((t.get(1, a).unwrap(), t.get(1, b).unwrap()), (p, q));
        assert_eq!(t.get(0, owned).unwrap(), p);
        // An id of another incarnation is not looked up.
        assert!(t.get(1, (4u64 << 32) | (b & 0xffff_ffff)).is_err());
    }

    #[test]
    fn lent_ids_run_out_rather_than_come_back() {
        let t = HandleTable::new(1);
        t.lock().loans = LENT - 2;
        let last = t.lend(0, 8 as *mut c_void).unwrap();
        t.end_loan(last);
        assert!(t.lend(0, 8 as *mut c_void).is_err());
        assert!(t.get(0, last).is_err());
    }

    #[test]
    fn a_refusal_notice_carries_one_known_reason() {
        assert!(refused_in_domain(&[9]).is_ok());
        assert!(matches!(
            crate::rt::take_callback_panic("f"),
            Err(crate::Error::CallbackNotRun { function: "f", reason }) if reason == crate::rt::REFUSALS[9]
        ));
        assert!(refused_in_domain(&[]).is_err());
        assert!(refused_in_domain(&[9, 9]).is_err());
        assert!(refused_in_domain(&[200]).is_err());
    }
}

//! Runtime pieces that generated code calls. Not a stable interface: only
//! `#[foreign]` expansions use it.

pub use crate::during_call::{DuringCall, Running};
use crate::Error;
use alloc::borrow::{Cow, ToOwned};
use alloc::boxed::Box;
use alloc::ffi::CString;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::cell::OnceCell;
#[cfg(feature = "std")]
use core::ffi::c_void;
use core::ffi::CStr;
#[cfg(feature = "std")]
use std::cell::Cell;

/// Converts a slice length to the C integer type of its length parameter.
#[inline(always)]
pub fn len_to<T: TryFrom<usize>>(
    len: usize,
    function: &'static str,
    param: &'static str,
) -> Result<T, Error> {
    T::try_from(len).map_err(|_| Error::LengthOverflow {
        function,
        param,
        len,
    })
}

/// Checks an element count that C wrote back against the buffer's capacity.
#[inline(always)]
pub fn len_back<T: TryInto<u64> + Copy>(
    written: T,
    capacity: usize,
    function: &'static str,
    param: &'static str,
) -> Result<usize, Error> {
    let returned: u64 = written.try_into().unwrap_or(u64::MAX);
    match usize::try_from(returned) {
        Ok(n) if n <= capacity => Ok(n),
        _ => Err(Error::LengthOutOfRange {
            function,
            param,
            returned,
            capacity,
        }),
    }
}

/// Checks that a buffer sharing a length holds at least `needed` elements.
#[inline(always)]
pub fn at_least(
    got: usize,
    needed: usize,
    function: &'static str,
    param: &'static str,
) -> Result<(), Error> {
    if got < needed {
        Err(Error::BufferTooSmall {
            function,
            param,
            needed,
            got,
        })
    } else {
        Ok(())
    }
}

/// A string argument: anything that can become a NUL-terminated C string.
///
/// `&CStr` and `&CString` pass through without copying; `&str` and `&String`
/// are copied once and refused with [`Error::InteriorNul`] if they hold a NUL.
pub trait CStrArg {
    /// The argument as a C string.
    fn to_c_str(&self, function: &'static str, param: &'static str)
        -> Result<Cow<'_, CStr>, Error>;
}

impl CStrArg for CStr {
    #[inline(always)]
    fn to_c_str(&self, _: &'static str, _: &'static str) -> Result<Cow<'_, CStr>, Error> {
        Ok(Cow::Borrowed(self))
    }
}

impl CStrArg for CString {
    #[inline(always)]
    fn to_c_str(&self, _: &'static str, _: &'static str) -> Result<Cow<'_, CStr>, Error> {
        Ok(Cow::Borrowed(self.as_c_str()))
    }
}

impl CStrArg for str {
    fn to_c_str(
        &self,
        function: &'static str,
        param: &'static str,
    ) -> Result<Cow<'_, CStr>, Error> {
        CString::new(self)
            .map(Cow::Owned)
            .map_err(|e| Error::InteriorNul {
                function,
                param,
                position: e.nul_position(),
            })
    }
}

impl CStrArg for String {
    fn to_c_str(
        &self,
        function: &'static str,
        param: &'static str,
    ) -> Result<Cow<'_, CStr>, Error> {
        self.as_str().to_c_str(function, param)
    }
}

impl<T: CStrArg + ?Sized> CStrArg for &T {
    #[inline(always)]
    fn to_c_str(
        &self,
        function: &'static str,
        param: &'static str,
    ) -> Result<Cow<'_, CStr>, Error> {
        (**self).to_c_str(function, param)
    }
}

/// Copies a string C returned; NULL is an error.
///
/// # Safety
/// `ptr` is NULL or points at a NUL-terminated string readable for the call.
#[inline]
pub unsafe fn copy_c_str(
    ptr: *const core::ffi::c_char,
    function: &'static str,
) -> Result<CString, Error> {
    if ptr.is_null() {
        return Err(Error::NullReturn { function });
    }
    // SAFETY: non-null, and the caller promises a NUL-terminated string.
    Ok(unsafe { CStr::from_ptr(ptr) }.to_owned())
}

/// A C enum as Rust sees it: a Rust enum plus the integer it travels as.
pub trait CEnum: Copy + Sized + 'static {
    /// The integer type C uses.
    type Repr: Copy;
    /// The enum's name, for errors.
    const NAME: &'static str;
    /// The variant with this value, if any.
    fn from_raw(raw: Self::Repr) -> Option<Self>;
    /// The value of this variant.
    fn to_raw(self) -> Self::Repr;
    /// The raw value widened for error reports.
    fn raw_as_i64(raw: Self::Repr) -> i64;
    /// [`CEnum::from_raw`], with the error every linkage reports.
    #[inline]
    fn checked(raw: Self::Repr) -> Result<Self, Error> {
        Self::from_raw(raw).ok_or(Error::InvalidEnum {
            type_name: Self::NAME,
            value: Self::raw_as_i64(raw),
        })
    }
}

/// An enum stored where C may write it (a struct field, a buffer): the raw
/// integer, read back through a check, so an unnamed value is an error and
/// never undefined behaviour.
#[repr(transparent)]
pub struct EnumField<E: CEnum>(E::Repr);

impl<E: CEnum> EnumField<E> {
    /// The variant, or [`Error::InvalidEnum`].
    pub fn get(self) -> Result<E, Error> {
        E::checked(self.0)
    }
    /// The raw integer.
    pub fn raw(self) -> E::Repr {
        self.0
    }
    /// Stores a raw integer, named or not.
    pub fn from_raw(raw: E::Repr) -> Self {
        EnumField(raw)
    }
}

impl<E: CEnum> From<E> for EnumField<E> {
    fn from(e: E) -> Self {
        EnumField(e.to_raw())
    }
}
impl<E: CEnum> Clone for EnumField<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E: CEnum> Copy for EnumField<E> {}
impl<E: CEnum> PartialEq for EnumField<E>
where
    E::Repr: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E: CEnum + core::fmt::Debug> core::fmt::Debug for EnumField<E>
where
    E::Repr: core::fmt::Debug,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match E::from_raw(self.0) {
            Some(e) => e.fmt(f),
            None => write!(f, "{}({:?})", E::NAME, self.0),
        }
    }
}
impl<E: CEnum> Default for EnumField<E>
where
    E::Repr: Default,
{
    fn default() -> Self {
        EnumField(E::Repr::default())
    }
}

/// Who releases a handle: the linkage instance that created it.
pub trait HandleOwner: Send + Sync {
    /// Frees the handle `raw` of the description's opaque type number `type_index`.
    fn release(&self, type_index: usize, raw: u64);
}

/// The owner reference a handle keeps. Its address identifies the linkage
/// instance, so a handle passed to another instance is refused.
#[derive(Clone)]
pub enum OwnerRef {
    /// A process-wide owner (the Linked linkage).
    Static(&'static dyn HandleOwner),
    /// A counted owner that keeps a loaded library or a domain alive.
    Shared(Arc<dyn HandleOwner>),
    /// The identity of an owner, for a view of a handle ([`HandleCore::view`]),
    /// which never releases it.
    View(usize),
}

impl OwnerRef {
    /// The identity of the owner.
    #[inline(always)]
    pub fn id(&self) -> *const () {
        match self {
            OwnerRef::Static(o) => *o as *const dyn HandleOwner as *const (),
            OwnerRef::Shared(o) => Arc::as_ptr(o) as *const (),
            OwnerRef::View(id) => *id as *const (),
        }
    }
    fn release(&self, type_index: usize, raw: u64) {
        match self {
            OwnerRef::Static(o) => o.release(type_index, raw),
            OwnerRef::Shared(o) => o.release(type_index, raw),
            OwnerRef::View(_) => {}
        }
    }
}

/// The state inside every generated handle type: the raw value (a C pointer,
/// or a domain's handle id) and its owner. Dropping it frees the handle.
///
/// A handle whose type keeps callbacks (`#[opaque(.., context = f)]`) also
/// holds its context once the first callback is kept on it: the table of
/// its callbacks (Linked, Loaded), or what removes them from the client's
/// table (Isolated). The context is dropped after the handle is freed, so
/// C never calls a closure that is gone.
pub struct HandleCore {
    raw: u64,
    type_index: usize,
    owner: Option<OwnerRef>,
    context: OnceCell<Box<dyn Any>>,
    // Handles are not Send: a C library's objects are not promised thread-safe.
    _not_send: core::marker::PhantomData<*const ()>,
}

impl HandleCore {
    /// Wraps a fresh handle.
    #[inline(always)]
    pub fn new(raw: u64, type_index: usize, owner: OwnerRef) -> Self {
        HandleCore {
            raw,
            type_index,
            owner: Some(owner),
            context: OnceCell::new(),
            _not_send: core::marker::PhantomData,
        }
    }

    /// A view of a live handle, for a callback kept on it: it passes the
    /// checks of the owner whose identity is `owner` and is never freed.
    #[inline(always)]
    pub fn view(raw: u64, type_index: usize, owner: *const ()) -> Self {
        HandleCore::new(raw, type_index, OwnerRef::View(owner as usize))
    }

    /// The handle's context, made by `init` the first time; `None` if it
    /// holds a context of another type (generated code makes one type per
    /// linkage, so never), or if this is a view ([`HandleCore::view`]): a
    /// view lives only as long as a callback, and a table of callbacks made
    /// in it would go with it while C still holds it.
    #[inline]
    pub fn context<T: Any>(&self, init: impl FnOnce() -> T) -> Option<&T> {
        if self.is_view() {
            return None;
        }
        self.context
            .get_or_init(|| Box::new(init()))
            .downcast_ref::<T>()
    }
    /// The handle's context if one was made, without making one; `None` for
    /// a view, as [`HandleCore::context`].
    #[inline]
    pub fn context_made<T: Any>(&self) -> Option<&T> {
        if self.is_view() {
            return None;
        }
        self.context.get()?.downcast_ref::<T>()
    }

    /// Whether this is a view ([`HandleCore::view`]) lent to a callback.
    #[inline(always)]
    pub fn is_view(&self) -> bool {
        matches!(self.owner, Some(OwnerRef::View(_)))
    }

    /// The raw value, if this handle belongs to `owner`.
    #[inline(always)]
    pub fn raw_for(
        &self,
        owner: *const (),
        function: &'static str,
        param: &'static str,
    ) -> Result<u64, Error> {
        match &self.owner {
            Some(o) if o.id() == owner => Ok(self.raw),
            _ => Err(Error::ForeignHandle { function, param }),
        }
    }
    /// Gives ownership back to the caller (C is about to free it); the handle
    /// will not be freed again on drop.
    #[inline(always)]
    pub fn disarm(&mut self) {
        self.owner = None;
    }
}

impl Drop for HandleCore {
    fn drop(&mut self) {
        if let Some(owner) = self.owner.take() {
            owner.release(self.type_index, self.raw);
        }
    }
}

impl core::fmt::Debug for HandleCore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "handle({:#x})", self.raw)
    }
}

#[cfg(feature = "std")]
thread_local! {
    static CALLBACK_PANICKED: Cell<bool> = const { Cell::new(false) };
}

/// Set with any thread's record of a callback panic, so that the check
/// after every call is one relaxed load while no callback has panicked.
#[cfg(feature = "std")]
static ANY_CALLBACK_PANICKED: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

/// Runs a Rust callback on behalf of C, stopping any panic at the boundary.
/// A panic is recorded for the calling thread and `fallback` is returned to C.
#[cfg(feature = "std")]
#[inline]
pub fn run_callback<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => {
            CALLBACK_PANICKED.with(|p| p.set(true));
            ANY_CALLBACK_PANICKED.store(true, core::sync::atomic::Ordering::Relaxed);
            fallback
        }
    }
}

/// Without `std` a panic aborts, so there is nothing to stop.
#[cfg(not(feature = "std"))]
#[inline]
pub fn run_callback<R>(_fallback: R, f: impl FnOnce() -> R) -> R {
    f()
}

/// Whether a callback panicked on this thread since the last check; checked
/// after every call that passes a callback (or a handle that keeps
/// callbacks), so a stored callback's panic is reported by the next such call
/// on the thread C called it on. A callback that did not run
/// ([`refuse_callback`]) is reported likewise.
#[inline]
pub fn take_callback_panic(function: &'static str) -> Result<(), Error> {
    if ANY_CALLBACK_REFUSED.load(core::sync::atomic::Ordering::Relaxed) {
        if let Some(reason) = take_refusal() {
            return Err(Error::CallbackNotRun { function, reason });
        }
    }
    #[cfg(feature = "std")]
    if ANY_CALLBACK_PANICKED.load(core::sync::atomic::Ordering::Relaxed)
        && CALLBACK_PANICKED.with(|p| p.replace(false))
    {
        return Err(Error::CallbackPanicked { function });
    }
    let _ = function;
    Ok(())
}

/// Set with any record of a callback that did not run, so that the check
/// after every call is one relaxed load while none was refused.
static ANY_CALLBACK_REFUSED: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

#[cfg(feature = "std")]
thread_local! {
    static CALLBACK_REFUSED: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Without `std` (one thread, as in a unikernel) the record is global.
#[cfg(not(feature = "std"))]
static CALLBACK_REFUSED: spin::Mutex<Option<&'static str>> = spin::Mutex::new(None);

/// Records that C called a callback with arguments the description does not
/// allow (a NULL where it promises a string, a negative count, no callback
/// table): the callback does not run, C gets a zeroed result, and the call
/// that made C call it fails with [`Error::CallbackNotRun`].
#[cold]
pub fn refuse_callback(reason: &'static str) {
    #[cfg(feature = "std")]
    CALLBACK_REFUSED.with(|r| {
        if r.get().is_none() {
            r.set(Some(reason));
        }
    });
    #[cfg(not(feature = "std"))]
    {
        let mut r = CALLBACK_REFUSED.lock();
        if r.is_none() {
            *r = Some(reason);
        }
    }
    ANY_CALLBACK_REFUSED.store(true, core::sync::atomic::Ordering::Relaxed);
}

fn take_refusal() -> Option<&'static str> {
    #[cfg(feature = "std")]
    return CALLBACK_REFUSED.with(|r| r.take());
    #[cfg(not(feature = "std"))]
    return CALLBACK_REFUSED.lock().take();
}

/// [`refuse_callback`], then the zeroed value a trampoline returns to C.
///
/// # Safety
/// All-zero must be a valid `R` (it is for every callback result type: a
/// scalar, or a struct or union of them).
#[cold]
pub unsafe fn refused<R>(reason: &'static str) -> R {
    refuse_callback(reason);
    // SAFETY: the caller promises all-zero is a valid `R`.
    unsafe { core::mem::zeroed() }
}

/// Why a callback did not run: each reason the linkages give, by the code
/// the Isolated domain sends for it.
pub const REFUSALS: [&str; 15] = [
    "NULL where the description promises a string",
    "a negative count for an array or a buffer",
    "NULL for a buffer of elements",
    "NULL for an array of strings",
    "NULL in an array of strings that allows none",
    "NULL for a NUL-terminated array of strings",
    "a NUL-terminated array of strings without its end",
    "no callback table as its user data",
    "no callback kept in its slot",
    "NULL or no live id for a handle lent to a callback",
    "a callback lending handles outside a call of its linkage",
    "NULL user data from the handle's user-data function",
    "no call that passed one handle of its type runs on this thread",
    "a callback for the call, made from another thread",
    "a callback for the call, made again while it ran",
];

/// The code of a reason of [`REFUSALS`].
pub fn refusal_code(reason: &str) -> u8 {
    REFUSALS.iter().position(|r| *r == reason).unwrap_or(0) as u8
}

/// The most strings a NUL-terminated array handed to a callback may hold
/// before the linkage gives up looking for its end.
pub const MAX_CALLBACK_STRINGS: usize = 1 << 20;

/// A count C handed a callback, as a length; a negative one is refused.
#[inline]
pub fn callback_count<T: TryInto<usize>>(n: T) -> Result<usize, &'static str> {
    n.try_into().map_err(|_| REFUSALS[1])
}

/// The `n` elements at `ptr`, as C handed them to a callback; NULL is the
/// empty slice when `n` is 0, and refused otherwise.
///
/// # Safety
/// Unless NULL, `ptr` points at `n` initialised elements that stay valid and
/// unchanged for `'a` (the callback).
#[inline]
pub unsafe fn c_slice<'a, T>(ptr: *const T, n: usize) -> Result<&'a [T], &'static str> {
    if ptr.is_null() {
        return if n == 0 { Ok(&[]) } else { Err(REFUSALS[2]) };
    }
    // SAFETY: non-null, and the caller promises `n` valid elements.
    Ok(unsafe { core::slice::from_raw_parts(ptr, n) })
}

/// The `n` handles at `ptr` C lent a callback (`sqlite3_value **argv`): as
/// [`c_slice`], and a NULL element is refused.
///
/// # Safety
/// As [`c_slice`].
#[inline]
pub unsafe fn c_handles<'a>(
    ptr: *const *mut core::ffi::c_void,
    n: usize,
) -> Result<&'a [*mut core::ffi::c_void], &'static str> {
    // SAFETY: forwarded.
    let s = unsafe { c_slice(ptr, n) }?;
    if s.iter().any(|p| p.is_null()) {
        return Err(REFUSALS[9]);
    }
    Ok(s)
}

/// The Linked or Loaded call running on this thread, for the trampolines of
/// callbacks that are lent handles: the identity of the linkage instance
/// (the owner its views of the handles answer to) and the addresses of the
/// functions that give such callbacks their user data (`sqlite3_user_data`),
/// as that instance reaches them. C calls such a callback only while a call
/// of the instance runs on the thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeCaller {
    /// The owner identity, 0 when no call runs.
    pub owner: usize,
    /// The running call's description ([`description_token`]): a
    /// trampoline of another description that C calls meanwhile (from a
    /// free function run by a callback's drop, say) must not use this
    /// call's getters.
    pub desc: u64,
    /// The user-data functions, in the order the description names them.
    pub getters: [usize; MAX_USER_DATA_FNS],
}

/// How many distinct `#[user_data = f]` functions a description may name.
pub const MAX_USER_DATA_FNS: usize = 4;

#[cfg(feature = "std")]
thread_local! {
    static NATIVE_CALLER: Cell<NativeCaller> = const {
        Cell::new(NativeCaller { owner: 0, desc: 0, getters: [0; MAX_USER_DATA_FNS] })
    };
}

/// Marks `caller`'s call as running on this thread; returns the one it
/// interrupts (a callback's nested call), for [`leave_native_call`].
#[cfg(feature = "std")]
#[inline]
pub fn enter_native_call(caller: NativeCaller) -> NativeCaller {
    NATIVE_CALLER.with(|c| c.replace(caller))
}

/// Ends the call [`enter_native_call`] marked.
#[cfg(feature = "std")]
#[inline]
pub fn leave_native_call(previous: NativeCaller) {
    NATIVE_CALLER.with(|c| c.set(previous));
}

/// A description's token for [`NativeCaller::desc`]: the first 8 bytes of
/// its fingerprint.
pub const fn description_token(fingerprint: &[u8; 16]) -> u64 {
    let f = fingerprint;
    u64::from_le_bytes([f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]])
}

/// The call of the description `desc` running on this thread, if any.
#[cfg(feature = "std")]
#[inline]
pub fn native_caller(desc: u64) -> Result<NativeCaller, &'static str> {
    let c = NATIVE_CALLER.with(|c| c.get());
    if c.owner == 0 || c.desc != desc {
        Err(REFUSALS[10])
    } else {
        Ok(c)
    }
}

/// A string C handed a callback; `None` for NULL.
///
/// # Safety
/// Unless NULL, `ptr` points at a NUL-terminated string valid for `'a`.
#[inline]
pub unsafe fn c_opt_str<'a>(ptr: *const core::ffi::c_char) -> Option<&'a CStr> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: as the caller promises.
        Some(unsafe { CStr::from_ptr(ptr) })
    }
}

/// A string C handed a callback where the description promises one.
///
/// # Safety
/// As [`c_opt_str`].
#[inline]
pub unsafe fn c_str<'a>(ptr: *const core::ffi::c_char) -> Result<&'a CStr, &'static str> {
    // SAFETY: forwarded.
    unsafe { c_opt_str(ptr) }.ok_or(REFUSALS[0])
}

/// How many strings precede the NULL that ends the array at `ptrs`,
/// looking no further than [`MAX_CALLBACK_STRINGS`].
///
/// # Safety
/// Unless NULL, `ptrs` points at pointers up to and including a NULL one,
/// or at least [`MAX_CALLBACK_STRINGS`] + 1 of them.
#[inline]
pub unsafe fn c_strings_count(
    ptrs: *const *const core::ffi::c_char,
) -> Result<usize, &'static str> {
    if ptrs.is_null() {
        return Err(REFUSALS[5]);
    }
    let mut n = 0;
    // SAFETY: the caller promises every pointer up to the NULL is readable.
    while !unsafe { *ptrs.add(n) }.is_null() {
        n += 1;
        if n > MAX_CALLBACK_STRINGS {
            return Err(REFUSALS[6]);
        }
    }
    Ok(n)
}

/// The `n` strings at `ptrs` C handed a callback, each `None` for NULL; a
/// NULL array is empty when `n` is 0.
///
/// # Safety
/// Unless NULL, `ptrs` points at `n` pointers, each NULL or a NUL-terminated
/// string, valid for `'a`.
pub unsafe fn c_opt_strings<'a>(
    ptrs: *const *const core::ffi::c_char,
    n: usize,
) -> Result<Vec<Option<&'a CStr>>, &'static str> {
    // SAFETY: forwarded.
    let ptrs = unsafe { c_slice(ptrs, n) }.map_err(|_| REFUSALS[3])?;
    // SAFETY: each is NULL or a string, as the caller promises.
    Ok(ptrs.iter().map(|&p| unsafe { c_opt_str(p) }).collect())
}

/// As [`c_opt_strings`], where the description promises every string.
///
/// # Safety
/// As [`c_opt_strings`].
pub unsafe fn c_strings<'a>(
    ptrs: *const *const core::ffi::c_char,
    n: usize,
) -> Result<Vec<&'a CStr>, &'static str> {
    // SAFETY: forwarded.
    unsafe { c_opt_strings(ptrs, n) }?
        .into_iter()
        .map(|s| s.ok_or(REFUSALS[4]))
        .collect()
}

/// The pointers C receives for an array of strings the caller passed; with
/// `nul_terminated`, a NULL after them.
pub fn string_pointers<'a>(
    strings: impl ExactSizeIterator<Item = Option<&'a CStr>>,
    nul_terminated: bool,
) -> Vec<*const core::ffi::c_char> {
    let mut v = Vec::with_capacity(strings.len() + usize::from(nul_terminated));
    v.extend(strings.map(|s| s.map_or(core::ptr::null(), CStr::as_ptr)));
    if nul_terminated {
        v.push(core::ptr::null());
    }
    v
}

/// The calling thread's `errno`.
#[cfg(feature = "std")]
#[inline(always)]
pub fn errno() -> i32 {
    // SAFETY: __errno_location returns a valid pointer to this thread's errno.
    unsafe { *libc::__errno_location() }
}

/// Sets the calling thread's `errno` (to 0 before a call whose errno is captured).
#[cfg(feature = "std")]
#[inline(always)]
pub fn set_errno(v: i32) {
    // SAFETY: as in `errno`.
    unsafe { *libc::__errno_location() = v }
}

/// A kept closure, as a callback table holds it: the `Box<dyn Fn(..)>` of
/// its callback type, behind a counted pointer so that a trampoline running
/// it keeps it alive while it is replaced.
pub type KeptClosure = Arc<dyn Any + Send + Sync>;

/// The callbacks kept on one handle (`Callback<F, stored = slot, on = h>`),
/// by slot: the user data C hands them (Linked and Loaded). It lives in the
/// handle ([`HandleCore::context`]) and is dropped with it, after C freed the
/// object.
#[cfg(feature = "std")]
pub struct CallbackTable {
    /// The handle, its type and its owner's identity: a callback's view of it.
    raw: u64,
    type_index: usize,
    owner: usize,
    slots: spin::Mutex<Vec<Option<KeptClosure>>>,
}

#[cfg(feature = "std")]
impl CallbackTable {
    /// An empty table for the handle `raw` of type `type_index` owned by
    /// `owner`, with room for `slots` slots.
    pub fn new(raw: u64, type_index: usize, owner: *const (), slots: usize) -> Self {
        CallbackTable {
            raw,
            type_index,
            owner: owner as usize,
            slots: spin::Mutex::new((0..slots).map(|_| None).collect()),
        }
    }

    /// The user data C hands the callbacks: the table's address.
    pub fn user_data(&self) -> *mut c_void {
        self as *const CallbackTable as *mut c_void
    }

    /// Keeps `f` in `slot` (`None` empties it). The closure kept there
    /// before is dropped, unless a callback is running it: then when it
    /// returns.
    pub fn set(&self, slot: usize, f: Option<KeptClosure>) {
        let old = match self.slots.lock().get_mut(slot) {
            Some(s) => core::mem::replace(s, f),
            None => None,
        };
        drop(old);
    }

    /// The closure kept in `slot`.
    #[inline]
    pub fn get(&self, slot: usize) -> Option<KeptClosure> {
        self.slots.lock().get(slot).cloned().flatten()
    }

    /// A view of the handle, for the closure's first argument.
    #[inline]
    pub fn view(&self) -> HandleCore {
        HandleCore::view(self.raw, self.type_index, self.owner as *const ())
    }
}

/// Stored callbacks: kept alive as long as the linkage instance that C may
/// call them through.
#[cfg(feature = "std")]
#[derive(Default)]
pub struct CallbackStore(std::sync::Mutex<Vec<Box<dyn std::any::Any + Send + Sync>>>);

#[cfg(feature = "std")]
impl CallbackStore {
    /// Keeps `b` alive and returns the stable address of its contents.
    pub fn keep<T: Send + Sync + 'static>(&self, b: Box<T>) -> *mut c_void {
        let ptr = &*b as *const T as *mut c_void;
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(b);
        ptr
    }
}

/// The process-wide store of the Linked linkage (which lives forever).
#[cfg(feature = "std")]
pub fn linked_callback_store() -> &'static CallbackStore {
    static STORE: std::sync::OnceLock<CallbackStore> = std::sync::OnceLock::new();
    STORE.get_or_init(CallbackStore::default)
}

/// An opened library and its resolved symbols.
#[cfg(feature = "std")]
pub struct LoadedLibrary {
    lib: libloading::Library,
    name: String,
}

#[cfg(feature = "std")]
impl LoadedLibrary {
    /// Opens a library by path or soname.
    ///
    /// # Safety
    /// Opening runs the library's initialisers, and its symbols are trusted to
    /// match the description.
    pub unsafe fn open(name: &std::ffi::OsStr) -> Result<Self, Error> {
        // SAFETY: the caller accepts running the library's initialisers.
        let lib = unsafe { libloading::Library::new(name) }.map_err(|e| Error::Open {
            library: name.to_string_lossy().into_owned(),
            reason: e.to_string(),
        })?;
        Ok(LoadedLibrary {
            lib,
            name: name.to_string_lossy().into_owned(),
        })
    }

    /// Tries each soname in turn.
    ///
    /// # Safety
    /// As [`LoadedLibrary::open`].
    pub unsafe fn open_first(names: &[&str]) -> Result<Self, Error> {
        let mut last = None;
        for n in names {
            // SAFETY: forwarded to the caller.
            match unsafe { Self::open(std::ffi::OsStr::new(n)) } {
                Ok(l) => return Ok(l),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(Error::Open {
            library: String::new(),
            reason: "no soname given".into(),
        }))
    }

    /// Resolves every name, collecting all that are missing.
    pub fn resolve(&self, names: &[&str]) -> Result<Vec<*mut c_void>, Error> {
        let mut out = Vec::with_capacity(names.len());
        let mut missing = Vec::new();
        for n in names {
            let mut sym = Vec::with_capacity(n.len() + 1);
            sym.extend_from_slice(n.as_bytes());
            sym.push(0);
            // SAFETY: the symbol is only read as an address here; its type is
            // asserted by the description, which the caller of `open` trusts.
            match unsafe { self.lib.get::<*mut c_void>(&sym) } {
                Ok(s) => out.push(*s),
                Err(_) => missing.push((*n).to_string()),
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(Error::MissingSymbols {
                library: self.name.clone(),
                missing,
            })
        }
    }

    /// The path or soname the library was opened by.
    pub fn name(&self) -> &str {
        &self.name
    }
}

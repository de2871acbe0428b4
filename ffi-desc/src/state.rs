//! Runtime pieces of state the caller allocates (`#[opaque(.., size,
//! align)]`) and of structs copied out of C (`#[copy_out]`). Not a stable
//! interface: only `#[foreign]` expansions use it.
//!
//! State storage is one heap block: a header the linkage keeps (the inputs
//! C holds pointers into, `kept = h`), then the C object at its alignment.
//! The handle's raw value is the C object's address, which never moves;
//! the header sits at a fixed distance before it.

use crate::wire::{Reader, WireError};
use crate::Error;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::Layout;
use core::ffi::c_void;

/// What the linkage keeps with a state: the inputs C points into.
type Header = Vec<Box<[u8]>>;

/// The block's layout and the C object's offset in it.
fn block(size: usize, align: usize) -> (Layout, usize) {
    let align = align.max(core::mem::align_of::<Header>());
    let offset = core::mem::size_of::<Header>().next_multiple_of(align);
    let total = offset.checked_add(size).expect("a described size fits");
    let layout = Layout::from_size_align(total, align).expect("a described layout is valid");
    (layout, offset)
}

/// New zeroed storage for a C object of `size` bytes at `align`: its
/// address, which stays put until [`release`].
pub fn allocate(size: usize, align: usize) -> *mut c_void {
    let (layout, offset) = block(size, align);
    // SAFETY: the layout has a nonzero size (the header's at least).
    let base = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if base.is_null() {
        alloc::alloc::handle_alloc_error(layout);
    }
    // SAFETY: `base` is fresh, aligned for the header, and `offset` is within it.
    unsafe {
        base.cast::<Header>().write(Vec::new());
        base.add(offset).cast()
    }
}

/// Releases what [`allocate`] gave, with what was kept with it.
///
/// # Safety
/// `object` came from [`allocate`] with the same `size` and `align`, C no
/// longer uses it (its finaliser ran, or its initialiser failed), and it is
/// released once.
pub unsafe fn release(object: *mut c_void, size: usize, align: usize) {
    let (layout, offset) = block(size, align);
    // SAFETY: per the contract, the block starts `offset` bytes before.
    unsafe {
        let base = object.cast::<u8>().sub(offset);
        core::ptr::drop_in_place(base.cast::<Header>());
        alloc::alloc::dealloc(base, layout);
    }
}

/// Keeps `input` with the state `object` until it is released: C holds a
/// pointer into it. Moving the box moves no bytes.
///
/// # Safety
/// As for [`release`]: `object` came from [`allocate`] with `size` and
/// `align`, and is not released yet.
pub unsafe fn keep(object: *mut c_void, size: usize, align: usize, input: Box<[u8]>) {
    let (_, offset) = block(size, align);
    // SAFETY: per the contract, the header is live `offset` bytes before.
    unsafe {
        let header = &mut *object.cast::<u8>().sub(offset).cast::<Header>();
        header.push(input);
    }
}

/// Zeroed storage for a `#[copy_out]` struct C writes: `N` 8-byte words,
/// enough for any struct whose alignment is at most 8 (the generated code
/// asserts it).
#[repr(C, align(16))]
pub struct Scratch<const N: usize>(pub [u64; N]);

impl<const N: usize> Scratch<N> {
    /// Zeroed.
    #[inline(always)]
    pub fn zeroed() -> Self {
        Scratch([0; N])
    }
    /// The address C writes at.
    #[inline(always)]
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.0.as_mut_ptr().cast()
    }
}

/// Reads a `T` at `offset` in the struct at `base`.
///
/// # Safety
/// The description states a `T` at that offset of a struct of at least
/// `offset + size_of::<T>()` bytes at `base` (the check unit asserts it).
#[inline(always)]
pub unsafe fn field<T: Copy>(base: *const u8, offset: usize) -> T {
    // SAFETY: per the contract.
    unsafe { base.add(offset).cast::<T>().read_unaligned() }
}

/// The most bytes one pointer field is copied with: a length C gives
/// beyond it is [`Error::LengthOutOfRange`] in every linkage, before a byte
/// is read (the wire's bound on one buffer).
pub const MAX_COPIED_BYTES: usize = crate::isolated::MAX_BUFFER_ELEMENTS;

/// A length C wrote in a length field, checked against [`MAX_COPIED_BYTES`]
/// (a negative one is out of range too).
pub fn length<T: TryInto<u64> + Copy>(
    raw: T,
    function: &'static str,
    field: &'static str,
) -> Result<usize, Error> {
    crate::rt::len_back(raw, MAX_COPIED_BYTES, function, field)
}

/// The bytes a pointer field points at: `len` of them, or up to the NUL
/// when `len` is `None`; `None` for NULL.
///
/// # Safety
/// The description states that C's pointer holds that many bytes (or a
/// NUL-terminated string), alive while the struct is.
pub unsafe fn pointed<'a>(ptr: *const u8, len: Option<usize>) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    Some(match len {
        // SAFETY: per the contract.
        None => unsafe { core::ffi::CStr::from_ptr(ptr.cast()).to_bytes() },
        // SAFETY: per the contract; `n` is at most MAX_COPIED_BYTES.
        Some(n) => unsafe { core::slice::from_raw_parts(ptr, n) },
    })
}

/// Text copied out of a struct: UTF-8, or [`Error::NotUtf8`].
pub fn text(
    bytes: Option<&[u8]>,
    function: &'static str,
    ty: &'static str,
    field: &'static str,
) -> Result<Option<String>, Error> {
    match bytes {
        None => Ok(None),
        Some(b) => match core::str::from_utf8(b) {
            Ok(s) => Ok(Some(String::from(s))),
            Err(_) => Err(Error::NotUtf8 {
                function,
                ty,
                field,
            }),
        },
    }
}

/// The server's encoding of a pointer field at `ptr` with the length `len`
/// C wrote (`None`: NUL-terminated): a tag byte, 0 for NULL, 1 then the
/// counted bytes, or 2 then the length when it is beyond
/// [`MAX_COPIED_BYTES`] (nothing is read).
///
/// # Safety
/// As for [`pointed`], for a length within the bound.
pub unsafe fn put_pointed<T: TryInto<u64> + Copy>(
    ptr: *const u8,
    len: Option<T>,
    out: &mut Vec<u8>,
) {
    let len = match len.map(|l| length(l, "", "")) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            let raw: u64 = len.and_then(|l| l.try_into().ok()).unwrap_or(u64::MAX);
            out.push(2);
            crate::wire::Wire::put(&raw, out);
            return;
        }
    };
    // SAFETY: per the contract; the length is within the bound.
    match unsafe { pointed(ptr, len) } {
        None => out.push(0),
        Some(b) => {
            out.push(1);
            crate::wire::put_slice(b, out);
        }
    }
}

/// What [`put_pointed`] sent, decoded bounded by the reply: the bytes (a
/// NUL-terminated field, `nul_terminated`, may hold no NUL), or the error
/// C's length is natively.
fn get_pointed<'a>(
    r: &mut Reader<'a>,
    nul_terminated: bool,
    function: &'static str,
    field: &'static str,
) -> Result<Result<Option<&'a [u8]>, Error>, WireError> {
    match r.array::<1>()?[0] {
        0 => Ok(Ok(None)),
        1 => {
            let n = r.count(1)?;
            let b = r.bytes(n)?;
            if nul_terminated && b.contains(&0) {
                return Err(WireError("a NUL-terminated field holds a NUL byte"));
            }
            Ok(Ok(Some(b)))
        }
        2 if !nul_terminated => {
            let raw = u64::from_le_bytes(r.array()?);
            if usize::try_from(raw).is_ok_and(|n| n <= MAX_COPIED_BYTES) {
                return Err(WireError("a length within the bound sent as beyond it"));
            }
            Ok(Err(Error::LengthOutOfRange {
                function,
                param: field,
                returned: raw,
                capacity: MAX_COPIED_BYTES,
            }))
        }
        _ => Err(WireError("bad pointer-field tag")),
    }
}

/// The client's decoding of a text field, checked as natively.
pub fn get_text(
    r: &mut Reader<'_>,
    nul_terminated: bool,
    function: &'static str,
    ty: &'static str,
    field: &'static str,
) -> Result<Result<Option<String>, Error>, WireError> {
    Ok(get_pointed(r, nul_terminated, function, field)?.and_then(|b| text(b, function, ty, field)))
}

/// The client's decoding of a byte field.
pub fn get_bytes(
    r: &mut Reader<'_>,
    function: &'static str,
    field: &'static str,
) -> Result<Result<Option<Vec<u8>>, Error>, WireError> {
    Ok(get_pointed(r, false, function, field)?.map(|b| b.map(<[u8]>::to_vec)))
}

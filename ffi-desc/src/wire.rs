//! The value codec of the Isolated linkage: how arguments and results are
//! laid out inside a frame's payload.
//!
//! Little-endian, in parameter order, no padding: scalars in their C width
//! (`size_t` as 8 bytes), `bool` as one byte that must be 0 or 1, arrays
//! element by element, slices and strings as a `u64` element count then the
//! elements, structs field by field, unions as their raw bytes. Handles travel
//! as `u64` ids, callbacks as `u32` ids; addresses never travel.
//!
//! Decoding is defensive: the [`Reader`] reads only from a private copy of the
//! payload, every count is checked against the bytes that remain (so no
//! allocation is ever larger than the frame that announced it), and every
//! failure is a [`WireError`], never a panic.

use crate::rt::{CEnum, EnumField};
use alloc::ffi::CString;
use alloc::vec;
use alloc::vec::Vec;

/// A payload that does not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireError(pub &'static str);

impl core::fmt::Display for WireError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0)
    }
}

impl core::error::Error for WireError {}

/// Reads values from a payload.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`.
    #[inline]
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    /// Bytes not read yet.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(WireError("length overflows"))?;
        let s = self
            .data
            .get(self.pos..end)
            .ok_or(WireError("payload truncated"))?;
        self.pos = end;
        Ok(s)
    }

    /// The next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let s = self.bytes(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// An element count for elements of `elem_size` bytes, checked against
    /// what remains so a lying count cannot cause a large allocation.
    #[inline]
    pub fn count(&mut self, elem_size: usize) -> Result<usize, WireError> {
        let n = u64::from_le_bytes(self.array()?);
        let n = usize::try_from(n).map_err(|_| WireError("count overflows"))?;
        let bytes = n
            .checked_mul(elem_size)
            .ok_or(WireError("count times size overflows"))?;
        if bytes > self.remaining() {
            return Err(WireError("count exceeds the payload"));
        }
        Ok(n)
    }

    /// A count that announces no data (an out buffer's capacity), bounded by `max`.
    #[inline]
    pub fn capacity(&mut self, max: usize) -> Result<usize, WireError> {
        let n = u64::from_le_bytes(self.array()?);
        match usize::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(WireError("capacity above the bound")),
        }
    }

    /// Fails unless every byte was read.
    #[inline]
    pub fn finish(&self) -> Result<(), WireError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(WireError("trailing bytes in payload"))
        }
    }
}

/// A value that crosses the wire.
pub trait Wire: Sized {
    /// Encoded size in bytes.
    const SIZE: usize;
    /// Appends the encoding.
    fn put(&self, out: &mut Vec<u8>);
    /// Decodes one value.
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError>;
    /// Appends many values (overridden for bytes).
    #[inline]
    fn put_many(items: &[Self], out: &mut Vec<u8>) {
        out.reserve(items.len().saturating_mul(Self::SIZE));
        for i in items {
            i.put(out);
        }
    }
    /// Decodes `dst.len()` values into `dst` (overridden for bytes).
    #[inline]
    fn get_many(r: &mut Reader<'_>, dst: &mut [Self]) -> Result<(), WireError> {
        for d in dst {
            *d = Self::get(r)?;
        }
        Ok(())
    }
}

macro_rules! wire_int {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline(always)]
            fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
    )*};
}
wire_int!(i16, i32, i64, u16, u32, u64, f32, f64);

impl Wire for u8 {
    const SIZE: usize = 1;
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    #[inline(always)]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(r.array::<1>()?[0])
    }
    #[inline]
    fn put_many(items: &[Self], out: &mut Vec<u8>) {
        out.extend_from_slice(items);
    }
    #[inline]
    fn get_many(r: &mut Reader<'_>, dst: &mut [Self]) -> Result<(), WireError> {
        dst.copy_from_slice(r.bytes(dst.len())?);
        Ok(())
    }
}

impl Wire for i8 {
    const SIZE: usize = 1;
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    #[inline(always)]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(r.array::<1>()?[0] as i8)
    }
}

impl Wire for usize {
    const SIZE: usize = 8;
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    #[inline(always)]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        usize::try_from(u64::get(r)?).map_err(|_| WireError("size_t out of range"))
    }
}

impl Wire for isize {
    const SIZE: usize = 8;
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        (*self as i64).put(out);
    }
    #[inline(always)]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        isize::try_from(i64::get(r)?).map_err(|_| WireError("ssize_t out of range"))
    }
}

impl Wire for bool {
    const SIZE: usize = 1;
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    #[inline(always)]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.array::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(WireError("bool that is neither 0 nor 1")),
        }
    }
}

impl<T: Wire + Copy + Default, const N: usize> Wire for [T; N] {
    const SIZE: usize = T::SIZE * N;
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        T::put_many(self, out);
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let mut a = [T::default(); N];
        T::get_many(r, &mut a)?;
        Ok(a)
    }
}

impl<E: CEnum> Wire for EnumField<E>
where
    E::Repr: Wire,
{
    const SIZE: usize = <E::Repr as Wire>::SIZE;
    #[inline]
    fn put(&self, out: &mut Vec<u8>) {
        self.raw().put(out);
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(EnumField::from_raw(E::Repr::get(r)?))
    }
}

/// Appends a slice: its element count, then its elements.
#[inline]
pub fn put_slice<T: Wire>(items: &[T], out: &mut Vec<u8>) {
    (items.len() as u64).put(out);
    T::put_many(items, out);
}

/// Decodes a slice into a new vector.
#[inline]
pub fn get_vec<T: Wire + Default + Clone>(r: &mut Reader<'_>) -> Result<Vec<T>, WireError> {
    let n = r.count(T::SIZE.max(1))?;
    let mut v = vec![T::default(); n];
    T::get_many(r, &mut v)?;
    Ok(v)
}

/// Decodes a slice into `dst`; the count must not exceed `dst.len()`.
/// Returns the count.
#[inline]
pub fn get_into<T: Wire>(r: &mut Reader<'_>, dst: &mut [T]) -> Result<usize, WireError> {
    let n = r.count(T::SIZE.max(1))?;
    let dst = dst
        .get_mut(..n)
        .ok_or(WireError("more elements than the buffer holds"))?;
    T::get_many(r, dst)?;
    Ok(n)
}

/// Appends a string without its NUL.
#[inline]
pub fn put_str(s: &core::ffi::CStr, out: &mut Vec<u8>) {
    put_slice(s.to_bytes(), out);
}

/// Decodes a string; an interior NUL is an error.
#[inline]
pub fn get_cstring(r: &mut Reader<'_>) -> Result<CString, WireError> {
    let n = r.count(1)?;
    CString::new(r.bytes(n)?).map_err(|_| WireError("string holds a NUL byte"))
}

/// Appends a string C may have returned as NULL: a tag byte, then the string.
#[inline]
pub fn put_opt_str(s: Option<&core::ffi::CStr>, out: &mut Vec<u8>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(s, out);
        }
    }
}

/// Decodes what [`put_opt_str`] wrote.
#[inline]
pub fn get_opt_cstring(r: &mut Reader<'_>) -> Result<Option<CString>, WireError> {
    match r.array::<1>()?[0] {
        0 => Ok(None),
        1 => get_cstring(r).map(Some),
        _ => Err(WireError("bad string tag")),
    }
}

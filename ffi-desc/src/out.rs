//! [`OutBuf`]: what a generated method accepts for an `Out` or `InOut`
//! slice of plain scalars: any `&mut` of a slice, an array, a `Vec`, a
//! boxed slice, a [`SharedBuf`], or a [`SharedOut`], which C reads and
//! fills in place; and a
//! `&mut`, `RefMut`, `MutexGuard` or `RwLockWriteGuard` of any of them.
//!
//! The trait is sealed: its methods are the linkages' business, and only
//! these types implement it, so that a generated method never has to trust
//! an implementation it did not write (a `DerefMut` of another type could
//! give a different slice each time: C would get one's pointer and
//! another's length). For another smart pointer, pass `&mut p[..]`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::bulk::{Plain, Segment};
use crate::shared::SharedBuf;
use crate::shared_out::SharedOut;
use crate::wire::{Reader, Wire, WireError};

mod sealed {
    pub trait Sealed {}
}

/// A buffer C writes: the type of a generated method's `Out<[T]>` and
/// `InOut<[T]>` parameters, as `&mut (impl OutBuf<T> + ?Sized)`. Pass
/// `&mut v` for a slice, array, `Vec<T>`, `Box<[T]>` or [`SharedBuf<T>`]
/// (C's writes land in it: copied, in the Isolated linkage, as are the
/// contents an `InOut` sends), or `&mut s` for a [`SharedOut<T>`] (C reads
/// and writes it in place, in every linkage; in the Isolated one its
/// contents are then the domain's writes: see its docs).
pub trait OutBuf<T: Plain>: sealed::Sealed {
    /// Its length in elements.
    #[doc(hidden)]
    fn out_len(&self) -> usize;

    /// Its first element, for C to write `out_len` elements (Linked and
    /// Loaded).
    #[doc(hidden)]
    fn out_ptr(&mut self) -> *mut T;

    /// The buffer lent to a call as a segment (the Isolated linkage).
    #[doc(hidden)]
    fn out_segment(&mut self) -> Segment<'_>;

    /// The buffer lent to a call as a segment C reads too (`InOut`).
    #[doc(hidden)]
    fn in_out_segment(&mut self) -> Segment<'_>;

    /// Encodes its contents inline, for C to read (`InOut`), as
    /// [`crate::wire::put_slice`] does.
    #[doc(hidden)]
    fn put_contents(&self, out: &mut Vec<u8>)
    where
        T: Wire;

    /// Whether it goes as a segment when the channel takes segments from
    /// `threshold` bytes (below, the frame carries C's bytes: cheaper than
    /// a segment for small buffers, even one that C writes in place).
    #[doc(hidden)]
    fn out_as_segment(&self, threshold: usize) -> bool {
        self.out_len().saturating_mul(core::mem::size_of::<T>()) >= threshold
    }

    /// Decodes the elements an inline reply carries into the buffer;
    /// returns their count, at most `out_len`.
    #[doc(hidden)]
    fn out_get_into(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError>
    where
        T: Wire;
}

macro_rules! slice_like {
    ($([$($g:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($g)*> sealed::Sealed for $ty {}
        impl<$($g)*> OutBuf<T> for $ty {
            fn out_len(&self) -> usize {
                self.len()
            }
            fn out_ptr(&mut self) -> *mut T {
                self.as_mut_ptr()
            }
            fn out_segment(&mut self) -> Segment<'_> {
                Segment::output(&mut self[..])
            }
            fn in_out_segment(&mut self) -> Segment<'_> {
                Segment::in_out(&mut self[..])
            }
            fn put_contents(&self, out: &mut Vec<u8>)
            where
                T: Wire,
            {
                crate::wire::put_slice(&self[..], out)
            }
            fn out_get_into(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError>
            where
                T: Wire,
            {
                crate::wire::get_into(r, &mut self[..])
            }
        }
    )*};
}

slice_like!(
    [T: Plain] [T],
    [T: Plain, const N: usize] [T; N],
    [T: Plain] Vec<T>,
    [T: Plain] Box<[T]>,
    [T: Plain] SharedBuf<T>,
);

impl<T: Plain> sealed::Sealed for SharedOut<T> {}

impl<T: Plain> OutBuf<T> for SharedOut<T> {
    fn out_len(&self) -> usize {
        self.len()
    }

    fn out_ptr(&mut self) -> *mut T {
        self.as_mut_ptr()
    }

    fn out_segment(&mut self) -> Segment<'_> {
        Segment::shared_output(self)
    }

    fn in_out_segment(&mut self) -> Segment<'_> {
        Segment::shared_in_out(self)
    }

    fn put_contents(&self, out: &mut Vec<u8>)
    where
        T: Wire,
    {
        // Each element read once, by a volatile load: a domain may be
        // writing them, and C then reads what it wrote.
        (self.len() as u64).put(out);
        for v in self.iter() {
            v.put(out);
        }
    }

    fn out_get_into(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError>
    where
        T: Wire,
    {
        let n = r.count(T::SIZE.max(1))?;
        if n > self.len() {
            return Err(WireError("more elements than the buffer holds"));
        }
        for i in 0..n {
            self.set(i, T::get(r)?);
        }
        Ok(n)
    }
}

/// Forwards to the buffer a `&mut` or a standard guard holds: the
/// standard library's `DerefMut` of these always reaches the same buffer.
macro_rules! forward {
    ($([$($g:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($g)*> sealed::Sealed for $ty {}
        impl<T: Plain, $($g)*> OutBuf<T> for $ty
        where
            B: OutBuf<T>,
        {
            fn out_len(&self) -> usize {
                (**self).out_len()
            }
            fn out_ptr(&mut self) -> *mut T {
                (**self).out_ptr()
            }
            fn out_segment(&mut self) -> Segment<'_> {
                (**self).out_segment()
            }
            fn in_out_segment(&mut self) -> Segment<'_> {
                (**self).in_out_segment()
            }
            fn put_contents(&self, out: &mut Vec<u8>)
            where
                T: Wire,
            {
                (**self).put_contents(out)
            }
            fn out_as_segment(&self, threshold: usize) -> bool {
                (**self).out_as_segment(threshold)
            }
            fn out_get_into(&mut self, r: &mut Reader<'_>) -> Result<usize, WireError>
            where
                T: Wire,
            {
                (**self).out_get_into(r)
            }
        }
    )*};
}

forward!(
    [B: ?Sized] &mut B,
    [B: ?Sized] core::cell::RefMut<'_, B>,
);

#[cfg(feature = "std")]
forward!(
    [B: ?Sized] std::sync::MutexGuard<'_, B>,
    [B: ?Sized] std::sync::RwLockWriteGuard<'_, B>,
);

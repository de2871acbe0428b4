//! A pointer to data. Its direction and extent choose the meaning:
//!
//! - [`string`]: a NUL-terminated string C reads;
//! - [`out_value`]: one object C writes, returned as part of the result;
//! - [`in_place`]: one object or a fixed-size array the caller lends, which C
//!   reads, writes, or both, in place;
//! - [`buffer`]: a slice whose length another parameter carries.
//!
//! A string or a buffer may be NULL (`nullable`, written `Option<..>`): the
//! parser allows it for nothing else.

pub(super) mod buffer;
mod in_place;
mod out_value;
pub(super) mod string;

use super::{Cx, Meaning};
use crate::gen::Gen;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn of<'a>(
    cx: Cx<'a>,
    dir: Direction,
    elem: &'a ValueType,
    extent: &'a Extent,
    nullable: bool,
    kept: Option<&'a str>,
) -> Box<dyn Meaning + 'a> {
    match extent {
        Extent::NulTerminated => Box::new(string::NulTerminated {
            cx,
            dir,
            elem,
            nullable,
        }),
        Extent::One if dir == Direction::Out => Box::new(out_value::OutValue { cx, elem }),
        Extent::One => Box::new(in_place::InPlace {
            cx,
            dir,
            elem,
            count: None,
        }),
        Extent::Fixed(n) => Box::new(in_place::InPlace {
            cx,
            dir,
            elem,
            count: Some(*n as usize),
        }),
        Extent::Param(len) => Box::new(buffer::Buffer {
            cx,
            dir,
            elem,
            len,
            nullable,
            kept,
        }),
    }
}

/// The C type of a pointer: `*const` when C only reads.
fn raw_ty(g: &Gen<'_>, dir: Direction, elem: &ValueType) -> TokenStream {
    let e = g.stored_ty(elem);
    if dir == Direction::In {
        quote!(*const #e)
    } else {
        quote!(*mut #e)
    }
}

/// The safe type of a borrowed pointee: shared when C only reads.
fn borrowed(dir: Direction, pointee: TokenStream) -> TokenStream {
    if dir == Direction::In {
        quote!(&#pointee)
    } else {
        quote!(&mut #pointee)
    }
}

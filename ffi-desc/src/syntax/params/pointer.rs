//! `In<T>`, `Out<T>`, `InOut<T>`: data behind a pointer, one object, a fixed
//! count (`[T; N]`) or a buffer whose length another parameter holds
//! (`[T], len = n` / `cap = n`).

use super::{Links, WrittenParam};
use crate::ir::*;
use crate::syntax::Parser;
use std::collections::BTreeMap;
use syn::Ident;

pub(crate) struct WrittenPointer {
    pub(crate) dir: Direction,
    pub(crate) elem: ValueType,
    pub(crate) extent: WrittenExtent,
    /// The written `In<..>`, for errors.
    pub(crate) tokens: proc_macro2::TokenStream,
}

pub(crate) enum WrittenExtent {
    One,
    Fixed(u64),
    Param(Ident),
    /// A slice without `len = ..`/`cap = ..`.
    Missing,
}

impl Parser {
    /// Records the parameter a buffer's length names.
    pub(super) fn link_length(
        &mut self,
        p: &WrittenParam<'_>,
        ptr: &WrittenPointer,
        names: &BTreeMap<String, usize>,
        links: &mut Links,
    ) {
        match &ptr.extent {
            WrittenExtent::Param(l) => match names.get(&l.to_string()) {
                Some(&i) => links
                    .lengths
                    .entry(i)
                    .or_default()
                    .push((ptr.dir, p.name.to_string())),
                None => self
                    .errs
                    .push(l.span(), format!("length names a missing parameter `{l}`")),
            },
            WrittenExtent::Missing => {
                let msg = match ptr.dir {
                    Direction::In => "a slice without length: say In<[T], len = parameter>",
                    _ => "out buffer without capacity: say Out<[T], cap = parameter>",
                };
                self.errs.push_spanned(&ptr.tokens, msg);
            }
            _ => {}
        }
    }
}

impl WrittenPointer {
    /// `None` for a slice without length (its error is pushed by then).
    pub(super) fn kind(&self) -> Option<ParamKind> {
        Some(ParamKind::Pointer {
            dir: self.dir,
            elem: self.elem.clone(),
            extent: match &self.extent {
                WrittenExtent::One => Extent::One,
                WrittenExtent::Fixed(n) => Extent::Fixed(*n),
                WrittenExtent::Param(p) => Extent::Param(p.to_string()),
                WrittenExtent::Missing => return None,
            },
        })
    }
}

/// `InOut<integer>` that no buffer counts: a pointer to one integer.
pub(super) fn in_out_scalar_kind(s: Scalar) -> ParamKind {
    ParamKind::Pointer {
        dir: Direction::InOut,
        elem: ValueType::Scalar(s),
        extent: Extent::One,
    }
}

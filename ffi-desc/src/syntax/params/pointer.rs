//! `In<T>`, `Out<T>`, `InOut<T>`: data behind a pointer, one object, a fixed
//! count (`[T; N]`) or a buffer whose length another parameter holds
//! (`[T], len = n` / `cap = n`). `Out<R>` of a result meaning (`Owned<H>`,
//! `Option<..>`, `Tail<p>`) is read in `out_result.rs`.

use super::{Links, Written, WrittenParam};
use crate::ir::*;
use crate::syntax::tokens::{eval_int, generic_args, path_ident};
use crate::syntax::Parser;
use quote::ToTokens;
use std::collections::BTreeMap;
use syn::spanned::Spanned;
use syn::{GenericArgument, Ident, Type};

pub(super) struct WrittenPointer {
    dir: Direction,
    elem: ValueType,
    extent: WrittenExtent,
    /// `Option<..>` around it: the caller may pass NULL.
    pub(super) nullable: bool,
    /// `kept = h`: C keeps the pointer as long as the state `h` lives.
    kept: Option<Ident>,
    /// The written `In<..>`, for errors.
    pub(super) tokens: proc_macro2::TokenStream,
}

enum WrittenExtent {
    One,
    Fixed(u64),
    Param(Ident),
    /// A slice without `len = ..`/`cap = ..`.
    Missing,
}

impl Parser {
    /// `In<T>`, `Out<T>` or `InOut<T>` (`dir`): one object, `[T; N]` for a
    /// fixed count, `[T], len = n` (or `cap = n`) for a buffer.
    pub(super) fn written_pointer(
        &mut self,
        seg: &syn::PathSegment,
        dir: Direction,
    ) -> Option<Written> {
        let head = seg.ident.to_string();
        let args = generic_args(seg);
        let Some(GenericArgument::Type(inner)) = args.first() else {
            self.errs
                .push_spanned(&seg, format!("{head} needs a pointee: {head}<T>"));
            return None;
        };
        if dir == Direction::Out {
            if let Some(w) = self.written_out_result(inner) {
                return w;
            }
            if let Some(w) = self.written_out_struct(inner) {
                return Some(w);
            }
        }
        let (len, kept) = self.buffer_length(&args[1..]);
        if let Some(k) = &kept {
            let bytes = matches!(inner, Type::Slice(s)
                if matches!(path_ident(&s.elem).as_deref(), Some("u8" | "c_char" | "c_uchar" | "c_schar")));
            if dir != Direction::In || !bytes || len.is_none() {
                self.errs.push(
                    k.span(),
                    "`kept = h` goes with bytes C reads and keeps: In<[u8], len = n, kept = h>",
                );
            }
        }
        let (elem, extent) = match inner {
            Type::Slice(s) => {
                let elem = self.value_type(&s.elem, false)?;
                let extent = match len {
                    Some(l) => WrittenExtent::Param(l),
                    None => WrittenExtent::Missing,
                };
                (elem, extent)
            }
            Type::Array(a) => {
                let elem = self.value_type(&a.elem, false)?;
                let Some(n) = eval_int(&a.len).and_then(|l| u64::try_from(l).ok()) else {
                    self.errs
                        .push(a.len.span(), "a fixed count must be an integer literal");
                    return None;
                };
                if let Some(l) = len {
                    self.errs
                        .push(l.span(), "a fixed-count pointer takes no length parameter");
                }
                (elem, WrittenExtent::Fixed(n))
            }
            _ => {
                if let Some(l) = &len {
                    self.errs
                        .push(l.span(), "a length goes with a slice: In<[T], len = n>");
                }
                let elem = self.value_type(inner, false)?;
                if dir == Direction::InOut {
                    if let ValueType::Scalar(s) = elem {
                        if s.is_integer() {
                            return Some(Written::InOutScalar(s));
                        }
                    }
                }
                (elem, WrittenExtent::One)
            }
        };
        Some(Written::Pointer(WrittenPointer {
            dir,
            elem,
            extent,
            nullable: false,
            kept,
            tokens: seg.to_token_stream(),
        }))
    }

    /// The parameter `len = n` or `cap = n` names, among the arguments after
    /// the pointee (the last one given wins), and the one `kept = h` names.
    fn buffer_length(&mut self, args: &[&GenericArgument]) -> (Option<Ident>, Option<Ident>) {
        let mut len = None;
        let mut kept = None;
        for a in args {
            match a {
                GenericArgument::AssocType(at) if at.ident == "kept" => match &at.ty {
                    Type::Path(p) if p.path.get_ident().is_some() => {
                        kept = p.path.get_ident().cloned();
                    }
                    _ => self
                        .errs
                        .push_spanned(&at.ty, "`kept = h` names the state parameter"),
                },
                GenericArgument::AssocType(at) if at.ident == "len" || at.ident == "cap" => {
                    match path_ident(&at.ty) {
                        Some(_) => {
                            if let Type::Path(p) = &at.ty {
                                len = p.path.get_ident().cloned();
                            }
                        }
                        None => self.errs.push_spanned(&at.ty, "a length names a parameter"),
                    }
                }
                other => self.errs.push_spanned(
                    other,
                    "expected `len = parameter` (or `cap = parameter` for an out buffer)",
                ),
            }
        }
        (len, kept)
    }

    /// A raw pointer says neither direction nor extent.
    pub(super) fn undirected_pointer(&mut self, p: &syn::TypePtr) {
        self.errs.push_spanned(
            p,
            "pointer without direction: say In<..>, Out<..> or InOut<..> (or CStr for a string)",
        );
    }

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
            nullable: self.nullable,
            kept: self.kept.as_ref().map(|k| k.to_string()),
        })
    }

    /// Whether NULL can stand for it: a buffer with a length (which is then
    /// 0). One object or a fixed count has no length to say "none".
    pub(super) fn may_be_null(&self) -> bool {
        matches!(
            self.extent,
            WrittenExtent::Param(_) | WrittenExtent::Missing
        )
    }

    /// A byte buffer C reads, with its length: what a tail may point into.
    pub(super) fn is_byte_input(&self) -> bool {
        self.dir == Direction::In
            && matches!(self.extent, WrittenExtent::Param(_))
            && matches!(
                self.elem,
                ValueType::Scalar(Scalar::U8 | Scalar::Char | Scalar::SChar | Scalar::UChar)
            )
    }
}

/// `InOut<integer>` that no buffer counts: a pointer to one integer.
pub(super) fn in_out_scalar_kind(s: Scalar) -> ParamKind {
    ParamKind::Pointer {
        dir: Direction::InOut,
        elem: ValueType::Scalar(s),
        extent: Extent::One,
        nullable: false,
        kept: None,
    }
}

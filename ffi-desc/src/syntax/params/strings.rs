//! `In<[CStr], len = n>` and `In<[CStr], nul_terminated>`: an array of
//! strings the function reads, counted by the parameter `n` or ended by
//! NULL; `In<[Option<CStr>], len = n>` when an element may be NULL. The same
//! written forms are read for callback parameters (`items/callbacks.rs`).

use super::{Links, Written, WrittenParam};
use crate::ir::*;
use crate::syntax::tokens::{generic_args, last_segment, path_ident};
use crate::syntax::Parser;
use quote::ToTokens;
use std::collections::BTreeMap;
use syn::{GenericArgument, Ident, Type};

/// An array of strings as written.
pub(crate) struct WrittenStrings {
    pub(crate) extent: StringsExtent,
    /// `[Option<CStr>]`.
    pub(crate) nullable: bool,
}

pub(crate) enum StringsExtent {
    /// `len = n`.
    Param(Ident),
    NulTerminated,
    /// Neither was given (the error is pushed).
    Missing,
}

/// `CStr` or `Option<CStr>` (`Some(true)`), as an element or a callback
/// parameter; `None` for anything else.
pub(crate) fn string_elem(ty: &Type) -> Option<bool> {
    if path_ident(ty).as_deref() == Some("CStr") {
        return Some(false);
    }
    let seg = last_segment(ty).filter(|s| s.ident == "Option")?;
    match generic_args(seg).as_slice() {
        [GenericArgument::Type(t)] if path_ident(t).as_deref() == Some("CStr") => Some(true),
        _ => None,
    }
}

impl Parser {
    /// `In<[CStr], ..>` or `In<[Option<CStr>], ..>`: `None` when `seg` is no
    /// array of strings (another meaning reads it), `Some(None)` when it is
    /// one written wrongly (the error is pushed).
    pub(crate) fn written_strings(
        &mut self,
        seg: &syn::PathSegment,
    ) -> Option<Option<WrittenStrings>> {
        let args = generic_args(seg);
        let elem = match args.first() {
            Some(GenericArgument::Type(Type::Slice(s))) => &*s.elem,
            _ => return None,
        };
        let nullable = string_elem(elem)?;
        if seg.ident != "In" {
            self.errs.push_spanned(
                seg,
                "an array of strings is read by C: In<[CStr], len = n> or In<[CStr], nul_terminated>",
            );
            return Some(None);
        }
        let mut extent = StringsExtent::Missing;
        for a in &args[1..] {
            match a {
                GenericArgument::AssocType(at) if at.ident == "len" => match &at.ty {
                    Type::Path(p) if p.path.get_ident().is_some() => {
                        extent = StringsExtent::Param(p.path.segments[0].ident.clone())
                    }
                    other => self.errs.push_spanned(other, "a length names a parameter"),
                },
                GenericArgument::Type(t) if path_ident(t).as_deref() == Some("nul_terminated") => {
                    extent = StringsExtent::NulTerminated
                }
                other => self.errs.push_spanned(
                    other,
                    "expected `len = parameter` or `nul_terminated` after the strings",
                ),
            }
        }
        let tokens = seg.to_token_stream();
        match extent {
            StringsExtent::Missing => self.errs.push_spanned(
                &tokens,
                "an array of strings without its extent: say In<[CStr], len = parameter> \
                 or In<[CStr], nul_terminated>",
            ),
            StringsExtent::NulTerminated if nullable => self.errs.push_spanned(
                &tokens,
                "a NULL ends a NUL-terminated array, so no element of it is NULL: \
                 In<[CStr], nul_terminated>",
            ),
            _ => {}
        }
        Some(Some(WrittenStrings { extent, nullable }))
    }

    /// Records the parameter that counts an array of strings. The count is
    /// the array's alone: [`Parser::check_strings_lengths`] refuses one that
    /// a buffer or another array shares.
    pub(super) fn link_strings_length(
        &mut self,
        p: &WrittenParam<'_>,
        s: &WrittenStrings,
        names: &BTreeMap<String, usize>,
        links: &mut Links,
    ) {
        let StringsExtent::Param(l) = &s.extent else {
            return;
        };
        match names.get(&l.to_string()) {
            Some(&i) => links
                .lengths
                .entry(i)
                .or_default()
                .push((Direction::In, p.name.to_string())),
            None => self
                .errs
                .push(l.span(), format!("length names a missing parameter `{l}`")),
        }
    }

    /// A length that counts an array of strings counts nothing else: the
    /// linkage takes it from that one slice.
    pub(super) fn check_strings_lengths(&mut self, written: &[WrittenParam<'_>], links: &Links) {
        for (&i, counted) in &links.lengths {
            let arrays: Vec<&WrittenParam<'_>> = written
                .iter()
                .filter(|w| {
                    matches!(&w.written, Some(Written::Strings(s))
                        if matches!(&s.extent, StringsExtent::Param(l) if *l == written[i].name))
                })
                .collect();
            if let (Some(first), true) = (arrays.first(), counted.len() > 1) {
                let n = &written[i].name;
                self.errs.push_spanned(
                    first.ty,
                    format!(
                        "`{n}` counts the strings of `{}` and must count nothing else: \
                         give each array and buffer a length of its own",
                        first.name
                    ),
                );
            }
        }
    }
}

impl WrittenStrings {
    /// `None` for an array without its extent (its error is pushed by then).
    pub(super) fn kind(&self) -> Option<ParamKind> {
        let extent = match &self.extent {
            StringsExtent::Param(l) => Extent::Param(l.to_string()),
            StringsExtent::NulTerminated => Extent::NulTerminated,
            StringsExtent::Missing => return None,
        };
        Some(ParamKind::Strings {
            extent,
            nullable: self.nullable,
        })
    }
}

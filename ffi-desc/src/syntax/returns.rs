//! What a function's written return type means: a value, a string borrowed
//! from the library or owned by the caller, or a new handle.

use super::tokens::{generic_args, last_segment, path_ident, unresolved_marker};
use super::{Kind, Parser};
use crate::ir::*;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{GenericArgument, Type};

impl Parser {
    /// The meaning of a return type, with where an owned string names its
    /// free function.
    pub(crate) fn ret(&mut self, ty: &Type) -> Option<(Return, Option<Span>)> {
        if self.draft {
            if let Some(c_type) = unresolved_marker(ty) {
                return Some((Return::Unresolved { c_type }, None));
            }
        }
        if let Type::Tuple(t) = ty {
            if t.elems.is_empty() {
                return Some((Return::Void, None));
            }
        }
        if let Type::Ptr(p) = ty {
            self.errs.push_spanned(
                p,
                "returned pointer without ownership: say Borrowed<CStr>, Owned<CStr, free = f> or Owned<Handle>",
            );
            return None;
        }
        if path_ident(ty).as_deref() == Some("CStr") {
            self.errs.push_spanned(
                ty,
                "returned pointer without ownership: say Borrowed<CStr> for a string the library keeps, \
                 or Owned<CStr, free = f> for one the caller frees",
            );
            return None;
        }
        if let Some(seg) = last_segment(ty) {
            if seg.ident == "Borrowed" {
                return self.borrowed_ret(seg).map(|r| (r, None));
            }
            if seg.ident == "Owned" {
                return self.owned_ret(seg);
            }
        }
        self.value_type(ty, false).map(|v| (Return::Value(v), None))
    }

    /// `Borrowed<CStr>`: a string the library keeps.
    fn borrowed_ret(&mut self, seg: &syn::PathSegment) -> Option<Return> {
        match generic_args(seg).first() {
            Some(GenericArgument::Type(t)) if path_ident(t).as_deref() == Some("CStr") => {
                Some(Return::CStr(Ownership::Borrowed))
            }
            _ => {
                self.errs
                    .push_spanned(seg, "Borrowed<T> is for returned strings: Borrowed<CStr>");
                None
            }
        }
    }

    /// `Owned<CStr, free = f>`, a string the caller frees with `f`, or
    /// `Owned<H>`, a new handle.
    fn owned_ret(&mut self, seg: &syn::PathSegment) -> Option<(Return, Option<Span>)> {
        let args = generic_args(seg);
        let inner = match args.first() {
            Some(GenericArgument::Type(t)) => path_ident(t),
            _ => None,
        };
        let mut free = None;
        for a in args.iter().skip(1) {
            match a {
                GenericArgument::AssocType(at) if at.ident == "free" => {
                    free = path_ident(&at.ty).map(|f| (f, at.ty.span()))
                }
                other => self.errs.push_spanned(other, "expected `free = function`"),
            }
        }
        match inner.as_deref() {
            Some("CStr") => match free {
                Some((f, s)) => Some((Return::CStr(Ownership::Owned { free: f }), Some(s))),
                None => {
                    self.errs.push_spanned(
                        seg,
                        "an owned string needs the C function that frees it: Owned<CStr, free = f>",
                    );
                    None
                }
            },
            Some(n) if self.kinds.get(n) == Some(&Kind::Opaque) => {
                if let Some((_, s)) = free {
                    self.errs
                        .push(s, "a handle's free function is given on its #[opaque] type");
                }
                Some((Return::Handle { ty: n.to_string() }, None))
            }
            _ => {
                self.errs.push_spanned(
                    seg,
                    "Owned<T> names CStr or an opaque handle type: \
                     Owned<CStr, free = f> or Owned<Handle>",
                );
                None
            }
        }
    }
}

//! What a function's written return type means: a value, a string borrowed
//! from the library or owned by the caller, bytes whose length another
//! function gives, or a new handle; any of the pointers in `Option` when
//! NULL is a value rather than an error. `Out<R>` parameters read their `R`
//! here too.

use super::function::FnSpans;
use super::tokens::{generic_args, last_segment, path_ident, unresolved_marker};
use super::{Kind, Parser};
use crate::ir::*;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{GenericArgument, Type};

impl Parser {
    /// The meaning of a return type, with where it names another function
    /// (an owned string's `free = f`, bytes' `len = g`).
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
        if path_ident(ty).as_deref() == Some("UserData") {
            // What a callback's `#[user_data = f]` calls; checked there.
            return Some((Return::UserData, None));
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
            if seg.ident == "Option" {
                return self.option_ret(seg);
            }
            if seg.ident == "Borrowed" {
                return self.borrowed_ret(seg);
            }
            if seg.ident == "Owned" {
                return self.owned_ret(seg);
            }
        }
        self.value_type(ty, false).map(|v| (Return::Value(v), None))
    }

    /// `Option<R>`: a pointer result that may be NULL.
    fn option_ret(&mut self, seg: &syn::PathSegment) -> Option<(Return, Option<Span>)> {
        let inner = match generic_args(seg).as_slice() {
            [GenericArgument::Type(t)] => self.ret(t),
            _ => None,
        };
        match inner {
            Some((
                r @ (Return::CStr(_)
                | Return::Handle { .. }
                | Return::Bytes { .. }
                | Return::CopyOut { .. }),
                s,
            )) => Some((Return::Option(Box::new(r)), s)),
            other => {
                // A refused inner meaning has its own error already.
                if other.is_some() || generic_args(seg).len() != 1 {
                    self.errs.push_spanned(
                        seg,
                        "Option<R> is for a pointer C may return as NULL: Option<Borrowed<CStr>>, \
                         Option<Owned<CStr, free = f>>, Option<Borrowed<[u8], len = f>> \
                         or Option<Owned<H>>",
                    );
                }
                None
            }
        }
    }

    /// `Borrowed<CStr>`: a string the library keeps; `Borrowed<[u8], len =
    /// g>`: bytes it keeps, as many as `g` says.
    fn borrowed_ret(&mut self, seg: &syn::PathSegment) -> Option<(Return, Option<Span>)> {
        let args = generic_args(seg);
        match args.first() {
            Some(GenericArgument::Type(t)) if path_ident(t).as_deref() == Some("CStr") => {
                Some((Return::CStr(Ownership::Borrowed), None))
            }
            Some(GenericArgument::Type(t))
                if args.len() == 1
                    && path_ident(t)
                        .is_some_and(|n| self.kinds.get(&n) == Some(&Kind::CopyOut)) =>
            {
                let ty = path_ident(t).unwrap_or_default();
                Some((Return::CopyOut { ty }, None))
            }
            Some(GenericArgument::Type(Type::Slice(s)))
                if path_ident(&s.elem).as_deref() == Some("u8") =>
            {
                let len = args.iter().skip(1).find_map(|a| match a {
                    GenericArgument::AssocType(at) if at.ident == "len" => {
                        path_ident(&at.ty).map(|l| (l, at.ty.span()))
                    }
                    _ => None,
                });
                match len {
                    Some((len, span)) if args.len() == 2 => {
                        Some((Return::Bytes { len }, Some(span)))
                    }
                    _ => {
                        self.errs.push_spanned(
                            seg,
                            "returned bytes need the described function that gives their \
                             length: Borrowed<[u8], len = f>",
                        );
                        None
                    }
                }
            }
            _ => {
                self.errs.push_spanned(
                    seg,
                    "Borrowed<T> is for returned strings, bytes and structs the library keeps: \
                     Borrowed<CStr>, Borrowed<[u8], len = f> or Borrowed<S> of a #[copy_out] struct",
                );
                None
            }
        }
    }

    /// The function that gives returned bytes their length takes the same
    /// parameters, and the linkage calls it with the same arguments right
    /// after: values, borrowed handles and inputs only, which the first call
    /// leaves as they were; and it returns an integer.
    pub(crate) fn check_result_lengths(&mut self, desc: &Description, spans: &[FnSpans]) {
        for (i, f) in desc.functions.iter().enumerate() {
            let Return::Bytes { len } = f.ret.unwrap_option().0 else {
                continue;
            };
            let span = spans[i].free.unwrap_or(spans[i].name);
            let Some(g) = desc.function(len) else {
                self.errs.push(
                    span,
                    format!("the length function `{len}` is not described in this trait"),
                );
                continue;
            };
            let same = g.params.len() == f.params.len()
                && g.params
                    .iter()
                    .zip(&f.params)
                    .all(|(a, b)| a.kind == b.kind);
            let inputs_only = f.params.iter().all(|p| {
                matches!(
                    p.kind,
                    ParamKind::Value(_)
                        | ParamKind::Handle { consume: false, .. }
                        | ParamKind::Pointer {
                            dir: Direction::In,
                            ..
                        }
                        | ParamKind::Length {
                            by_pointer: false,
                            ..
                        }
                )
            });
            let integer = matches!(&g.ret, Return::Value(ValueType::Scalar(s)) if s.is_integer());
            if !(same && inputs_only && integer) {
                self.errs.push(
                    span,
                    format!(
                        "`{len}` gives the length of what `{}` returns: it must take the same \
                         parameters (values, borrowed handles and inputs only, since it is \
                         called with the same arguments right after) and return an integer",
                        f.name
                    ),
                );
            }
        }
    }

    /// `Owned<CStr, free = f>`, a string the caller frees with `f`, or
    /// `Owned<H>`, a new handle; `Owned<H, parent = p>`, one that keeps a
    /// pointer to the handle parameter `p` (checked in [`Parser::check_parents`]).
    fn owned_ret(&mut self, seg: &syn::PathSegment) -> Option<(Return, Option<Span>)> {
        let args = generic_args(seg);
        let inner = match args.first() {
            Some(GenericArgument::Type(t)) => path_ident(t),
            _ => None,
        };
        let mut free = None;
        let mut parent = None;
        for a in args.iter().skip(1) {
            match a {
                GenericArgument::AssocType(at) if at.ident == "free" => {
                    free = path_ident(&at.ty).map(|f| (f, at.ty.span()))
                }
                GenericArgument::AssocType(at) if at.ident == "parent" => {
                    match path_ident(&at.ty) {
                        Some(p) => parent = Some((p, at.ty.span(), at.ident.span())),
                        None => self.errs.push_spanned(
                            &at.ty,
                            "`parent = p` takes the name of the handle parameter the new \
                             handle keeps a pointer to: `parent = parser`",
                        ),
                    }
                }
                other => self
                    .errs
                    .push_spanned(other, "expected `free = function` or `parent = parameter`"),
            }
        }
        match inner.as_deref() {
            Some("CStr") => {
                if let Some((_, _, s)) = parent {
                    self.errs.push(
                        s,
                        "`parent = p` ties a returned handle to the handle it keeps a pointer \
                         to; a returned string is copied and keeps nothing",
                    );
                }
                match free {
                    Some((f, s)) => Some((Return::CStr(Ownership::Owned { free: f }), Some(s))),
                    None => {
                        self.errs.push_spanned(
                            seg,
                            "an owned string needs the C function that frees it: Owned<CStr, free = f>",
                        );
                        None
                    }
                }
            }
            Some(n) if self.kinds.get(n) == Some(&Kind::Opaque) => {
                if let Some((_, s)) = free {
                    self.errs
                        .push(s, "a handle's free function is given on its #[opaque] type");
                }
                let parent = parent.map(|(p, s, _)| {
                    self.parent_uses.push((p.clone(), s));
                    p
                });
                Some((
                    Return::Handle {
                        ty: n.to_string(),
                        parent,
                    },
                    None,
                ))
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

    /// Each `parent = p` of the function `sig`, whose parameters are `params`,
    /// names one of them, a borrowed handle `&H2`: the generated method
    /// ties the new handle's lifetime to that borrow. A handle taken over
    /// (`Owned<H2>`) or one that may be NULL (`Option<&H2>`) has no borrow
    /// to tie it to.
    pub(crate) fn check_parents(&mut self, sig: &syn::Signature, params: &[Param]) {
        for (name, span) in core::mem::take(&mut self.parent_uses) {
            let Some(p) = params.iter().find(|p| p.name == name) else {
                if written_names(sig).any(|n| n == name) {
                    // The parameter meant nothing: its own error is pushed.
                    continue;
                }
                self.errs.push(
                    span,
                    format!(
                        "`parent = {name}` names no parameter of this function: it names the \
                         `&Handle` parameter the new handle keeps a pointer to"
                    ),
                );
                continue;
            };
            let why = match p.kind {
                ParamKind::Handle {
                    consume: false,
                    nullable: false,
                    ..
                } => continue,
                ParamKind::Handle { consume: true, .. } => "a handle the function takes over",
                ParamKind::Handle { nullable: true, .. } => "an `Option<&H>`, which may be NULL",
                _ => "no handle",
            };
            self.errs.push(
                span,
                format!(
                    "`parent = {name}` names {why}: the new handle borrows a `&H` parameter, \
                     for as long as it lives"
                ),
            );
        }
    }
}

/// The names of `sig`'s parameters as written, whether or not they parsed.
fn written_names(sig: &syn::Signature) -> impl Iterator<Item = String> + '_ {
    sig.inputs.iter().filter_map(|a| match a {
        syn::FnArg::Typed(pt) => match &*pt.pat {
            syn::Pat::Ident(pi) => Some(pi.ident.to_string()),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    })
}

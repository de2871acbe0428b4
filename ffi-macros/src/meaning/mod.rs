//! Parameter meanings: everything one [`ParamKind`] generates, in one place.
//!
//! Each meaning is a type implementing [`Meaning`], in a file of its own;
//! [`of`] picks the one a parameter has. The generators walk a function's
//! parameters in C order and ask each meaning for its pieces: its types in
//! the safe signature and at the C ABI, the C argument, and what it adds to
//! each linkage's code, which it pushes into the sections of a
//! [`NativePieces`] (Linked and Loaded), [`ClientPieces`] (the Isolated
//! client) or [`ServerPieces`] (the server inside the domain). The sections
//! fix the order of the generated code; a meaning only says what goes where.
//!
//! A trait rather than one type whose methods match on the kind: with a
//! match per method, a new meaning is an arm in every method of every
//! generator, which is the shape this replaces. With the trait, a new meaning
//! is a new file and an arm in [`of`], its pieces for all three linkages side
//! by side, and the compiler asks for each linkage's part (those methods have
//! no default), while what most meanings lack (a result, a C argument of
//! another name) has one.

mod callback;
mod handle;
mod init;
mod length;
mod out_result;
mod out_struct;
mod pieces;
mod pointer;
mod sentinel;
mod strings;
mod tail;
mod unresolved;
mod user_data;
mod value;

pub(crate) use pieces::{ClientPieces, NativePieces, ServerPieces};

use crate::gen::Gen;
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// One parameter of one function, as its meaning sees it.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub(crate) g: &'a Gen<'a>,
    pub(crate) f: &'a Function,
    pub(crate) p: &'a Param,
}

impl Cx<'_> {
    /// The parameter of the safe method.
    pub(crate) fn name(&self) -> Ident {
        format_ident!("{}", self.p.name)
    }

    /// The C argument once prepared.
    pub(crate) fn arg(&self) -> Ident {
        arg_of(&self.p.name)
    }

    /// A generated local belonging to this parameter: `prefix` + its name.
    pub(crate) fn local(&self, prefix: &str) -> Ident {
        format_ident!("{}{}", prefix, self.p.name)
    }
}

/// The prepared C argument of the parameter `name` (`__arg_<name>`), which
/// other parameters' code refers to (a buffer to its length, say).
pub(crate) fn arg_of(name: &str) -> Ident {
    format_ident!("__arg_{}", name)
}

/// What one parameter meaning generates.
pub(crate) trait Meaning {
    /// The parameter this meaning is of.
    fn cx(&self) -> &Cx<'_>;

    /// The type at the C ABI (extern declarations, function pointers).
    fn raw_ty(&self) -> TokenStream;

    /// The safe method's parameter type; `None` when the linkage supplies
    /// the argument itself (lengths, user data, out values).
    fn safe_ty(&self) -> Option<TokenStream> {
        None
    }

    /// What the parameter adds to the safe method's result (out values).
    fn result_ty(&self) -> Option<TokenStream> {
        None
    }

    /// The C argument, in Linked, Loaded and the server alike.
    fn c_arg(&self) -> TokenStream {
        let a = self.cx().arg();
        quote!(#a)
    }

    /// Linked and Loaded: the argument prepared from the safe value, and
    /// what C wrote read back.
    fn native(&self, callee: &Callee, out: &mut NativePieces);

    /// Bytes the argument takes in a request before any buffer: the
    /// client's capacity hint, so encoding never regrows.
    fn request_size(&self) -> usize {
        8
    }

    /// The Isolated client: the argument encoded into the request, and
    /// outputs decoded from the reply.
    fn client(&self, out: &mut ClientPieces);

    /// The server inside the domain: the argument decoded into memory the
    /// server owns, the C argument made from it, and outputs encoded.
    fn server(&self, out: &mut ServerPieces);
}

/// The meaning of parameter `p` of `f`.
pub(crate) fn of<'a>(g: &'a Gen<'a>, f: &'a Function, p: &'a Param) -> Box<dyn Meaning + 'a> {
    let cx = Cx { g, f, p };
    match &p.kind {
        ParamKind::Value(ty) => Box::new(value::Value { cx, ty }),
        ParamKind::Pointer {
            dir,
            elem,
            extent,
            nullable,
            kept,
        } => pointer::of(cx, *dir, elem, extent, *nullable, kept.as_deref()),
        ParamKind::Length { ty, by_pointer } => Box::new(length::Length {
            cx,
            ty: *ty,
            by_pointer: *by_pointer,
        }),
        ParamKind::Handle {
            ty,
            consume,
            nullable,
            exclusive,
        } => Box::new(handle::Handle {
            cx,
            ty,
            consume: *consume,
            nullable: *nullable,
            exclusive: *exclusive,
        }),
        ParamKind::Callback {
            ty,
            stored,
            slot,
            nullable,
            on,
            ..
        } => Box::new(callback::Callback {
            cx,
            cb: g.desc.callback(ty).expect("checked by the parser"),
            stored: *stored,
            slot: slot.as_deref(),
            nullable: *nullable,
            on: on.as_deref(),
        }),
        ParamKind::Strings { extent, nullable } => Box::new(strings::Strings {
            cx,
            extent,
            nullable: *nullable,
        }),
        ParamKind::UserData => Box::new(user_data::UserData { cx }),
        ParamKind::OutResult(ret) => Box::new(out_result::OutResult { cx, ret }),
        ParamKind::Tail { of, nullable } => Box::new(tail::Tail {
            cx,
            of: f
                .params
                .iter()
                .find(|q| q.name == *of)
                .expect("checked by the parser"),
            nullable: *nullable,
        }),
        ParamKind::Sentinel { value, .. } => Box::new(sentinel::Sentinel { cx, value: *value }),
        ParamKind::Init { ty, ok } => Box::new(init::Init {
            cx,
            ty,
            ok: *ok,
            handle: Return::Handle {
                ty: ty.clone(),
                parent: None,
            },
        }),
        ParamKind::OutStruct { ty } => Box::new(out_struct::OutStruct { cx, ty }),
        ParamKind::Unresolved { .. } => Box::new(unresolved::Unresolved { cx }),
    }
}

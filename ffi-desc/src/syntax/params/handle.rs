//! `&H` and `Owned<H>`: an opaque handle, borrowed or given away;
//! `Option<&H>` when the function also takes NULL; `&mut H` when the
//! function needs it alone, with no child borrowing it.

use crate::ir::*;
use crate::syntax::tokens::{generic_args, path_ident};
use crate::syntax::{Kind, Parser};
use syn::GenericArgument;

pub(super) struct WrittenHandle {
    ty: String,
    /// `Owned<H>`: the function takes the handle over.
    pub(super) consume: bool,
    /// `Option<&H>`: the caller may pass NULL.
    pub(super) nullable: bool,
    /// `&mut H`: the function needs the handle alone.
    pub(super) exclusive: bool,
}

impl Parser {
    /// `&H`: a handle the function borrows; `&mut H`, one it borrows alone.
    pub(super) fn borrowed_handle(&mut self, r: &syn::TypeReference) -> Option<WrittenHandle> {
        if let Some(name) = path_ident(&r.elem) {
            if self.kinds.get(&name) == Some(&Kind::Opaque) {
                return Some(WrittenHandle {
                    ty: name,
                    consume: false,
                    nullable: false,
                    exclusive: r.mutability.is_some(),
                });
            }
        }
        self.errs.push_spanned(
            r,
            "a reference must name an opaque handle type; data behind pointers is In<T> or InOut<T>",
        );
        None
    }

    /// `Owned<H>`: a handle the function takes over.
    pub(super) fn owned_handle(&mut self, seg: &syn::PathSegment) -> Option<WrittenHandle> {
        let args = generic_args(seg);
        let name = match args.first() {
            Some(GenericArgument::Type(t)) => path_ident(t),
            _ => None,
        };
        for a in args.iter().skip(1) {
            match a {
                GenericArgument::AssocType(at) if at.ident == "parent" => self.errs.push_spanned(
                    &at.ident,
                    "`parent = p` is for a handle the function returns or writes out: a \
                     handle it takes over is given up, and borrows nothing",
                ),
                other => self.errs.push_spanned(
                    other,
                    "Owned<H> as a parameter takes nothing but the handle type; its free \
                     function is given on its #[opaque] type",
                ),
            }
        }
        match name {
            Some(n) if self.kinds.get(&n) == Some(&Kind::Opaque) => Some(WrittenHandle {
                ty: n,
                consume: true,
                nullable: false,
                exclusive: false,
            }),
            _ => {
                self.errs
                    .push_spanned(&seg, "Owned<T> as a parameter names an opaque handle type");
                None
            }
        }
    }
}

impl WrittenHandle {
    pub(super) fn kind(&self) -> ParamKind {
        ParamKind::Handle {
            ty: self.ty.clone(),
            consume: self.consume,
            nullable: self.nullable,
            exclusive: self.exclusive,
        }
    }
}

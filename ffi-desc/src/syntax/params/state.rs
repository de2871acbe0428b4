//! State the caller allocates and structs C writes for copying:
//!
//! - `Init<H, V>`: the storage of the state type `H` (`#[opaque(..,
//!   size = n, align = a)]`), which the linkage allocates zeroed and pins,
//!   and C initialises (`yaml_parser_initialize(&parser)`); the function's
//!   result `v` says it did;
//! - `Out<S>` of a `#[copy_out]` struct `S`: zeroed storage C writes
//!   (`yaml_parser_parse`'s event), copied into an owned `S`.
//!
//! `In<[u8], len = n, kept = h>` (read in `pointer.rs`) keeps an input with
//! the state `h`. What needs the whole description is checked in
//! `check_state.rs`.

use super::Written;
use crate::ir::*;
use crate::syntax::tokens::{eval_int, generic_args, path_ident};
use crate::syntax::{Kind, Parser};
use syn::{GenericArgument, Type};

impl Parser {
    /// `Init<H, V>`.
    pub(super) fn written_init(&mut self, seg: &syn::PathSegment) -> Option<Written> {
        let args = generic_args(seg);
        let ty = match args.first() {
            Some(GenericArgument::Type(t)) => path_ident(t),
            _ => None,
        };
        let Some(ty) = ty.filter(|t| self.kinds.get(t) == Some(&Kind::Opaque)) else {
            self.errs.push_spanned(
                seg,
                "Init<H, V> names a state type: #[opaque(c_type = \"..\", size = n, align = n, ..)]",
            );
            return None;
        };
        let ok = match &args[1..] {
            [GenericArgument::Const(e)] => eval_int(e),
            _ => None,
        };
        let Some(ok) = ok else {
            self.errs.push_spanned(
                seg,
                format!(
                    "Init<{ty}, V> says which result V means C initialised the state \
                     (Init<{ty}, 1>: libyaml's initialisers return 1; Init<{ty}, {{ -1 }}> for a negative one)"
                ),
            );
            return None;
        };
        Some(Written::Init { ty, ok })
    }

    /// `Out<S>` when `S` is a `#[copy_out]` struct.
    pub(super) fn written_out_struct(&self, inner: &Type) -> Option<Written> {
        let name = path_ident(inner)?;
        (self.kinds.get(&name) == Some(&Kind::CopyOut)).then_some(Written::OutStruct(name))
    }
}

pub(super) fn init_kind(ty: &str, ok: i64) -> ParamKind {
    ParamKind::Init {
        ty: ty.to_string(),
        ok,
    }
}

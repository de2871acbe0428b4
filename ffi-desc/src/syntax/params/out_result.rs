//! `Out<R>` over `T **`, where C writes a pointer rather than data: a new
//! handle (`Out<Owned<H>>`, `Out<Option<Owned<H>>>`), a string the caller
//! frees or one the library keeps (`Out<Option<Owned<CStr, free = f>>>`,
//! `Out<Option<Borrowed<CStr>>>`), each read as a returned `R` would be; or
//! a pointer into an input parameter, `Out<Tail<p>>` (`Out<Option<Tail<p>>>`
//! when C may write NULL), returned as the offset into `p`.

use super::{Written, WrittenParam};
use crate::ir::*;
use crate::syntax::tokens::{generic_args, last_segment, path_ident};
use crate::syntax::Parser;
use syn::{GenericArgument, Ident, Type};

pub(super) struct WrittenTail {
    /// The input the pointer points into.
    of: Ident,
    nullable: bool,
}

impl Parser {
    /// What `Out<inner>` means when `inner` is a result meaning or a tail;
    /// `None` when it is data, which `pointer.rs` reads.
    pub(super) fn written_out_result(&mut self, inner: &Type) -> Option<Option<Written>> {
        let seg = last_segment(inner)?;
        match seg.ident.to_string().as_str() {
            "Tail" => Some(self.written_tail(seg, false)),
            "Owned" | "Borrowed" => Some(self.out_result(inner)),
            "Option" => {
                let tail = match generic_args(seg).first() {
                    Some(GenericArgument::Type(t)) => last_segment(t).filter(|s| s.ident == "Tail"),
                    _ => None,
                };
                Some(match tail {
                    Some(t) => self.written_tail(t, true),
                    None => self.out_result(inner),
                })
            }
            _ => None,
        }
    }

    fn out_result(&mut self, inner: &Type) -> Option<Written> {
        let (ret, _) = self.ret(inner)?;
        match ret.unwrap_option().0 {
            Return::Handle { .. } | Return::CStr(_) => Some(Written::OutResult(ret)),
            _ => {
                self.errs.push_spanned(
                    inner,
                    "C writes a handle or a string through `T **`: Out<Owned<H>>, \
                     Out<Option<Owned<H>>>, Out<Option<Owned<CStr, free = f>>> or \
                     Out<Option<Borrowed<CStr>>>",
                );
                None
            }
        }
    }

    /// `Tail<p>`.
    fn written_tail(&mut self, seg: &syn::PathSegment, nullable: bool) -> Option<Written> {
        let of = match generic_args(seg).as_slice() {
            [GenericArgument::Type(t)] => path_ident(t).and_then(|_| match t {
                Type::Path(p) => p.path.get_ident().cloned(),
                _ => None,
            }),
            _ => None,
        };
        match of {
            Some(of) => Some(Written::Tail(WrittenTail { of, nullable })),
            None => {
                self.errs.push_spanned(
                    seg,
                    "Tail<p> names the input parameter C points into: Out<Tail<sql>>",
                );
                None
            }
        }
    }

    /// The tail's meaning, once the parameter it points into is known.
    pub(super) fn tail_kind(
        &mut self,
        t: &WrittenTail,
        written: &[WrittenParam<'_>],
    ) -> Option<ParamKind> {
        let Some(target) = written.iter().find(|p| p.name == t.of) else {
            self.errs.push(
                t.of.span(),
                format!("the tail names a missing parameter `{}`", t.of),
            );
            return None;
        };
        let into_input = match &target.written {
            Some(Written::CStr { nullable }) => !nullable,
            Some(Written::Pointer(p)) => p.is_byte_input() && !p.nullable,
            // Its own error is pushed.
            None => return None,
            _ => false,
        };
        if !into_input {
            self.errs.push(
                t.of.span(),
                format!(
                    "a tail points into a string or bytes C reads: `{}` must be CStr or \
                     In<[u8], len = n> (never NULL)",
                    t.of
                ),
            );
            return None;
        }
        Some(ParamKind::Tail {
            of: t.of.to_string(),
            nullable: t.nullable,
        })
    }
}

//! `Option<..>` around a parameter meaning: the caller may pass NULL
//! (`None`). Each meaning says whether NULL can stand for it: a string, a
//! buffer with a length (whose length is then 0) and a borrowed handle can;
//! one object, a fixed count, a handle given away and the values cannot.

use super::Written;
use crate::syntax::tokens::generic_args;
use crate::syntax::Parser;
use syn::GenericArgument;

const MEANINGS: &str =
    "Option<CStr>, Option<In<[T], len = n>>, Option<Out<[T], cap = n>> or Option<&H>";

impl Parser {
    pub(super) fn written_option(&mut self, seg: &syn::PathSegment) -> Option<Written> {
        let inner = match generic_args(seg).as_slice() {
            [GenericArgument::Type(t)] => t,
            _ => {
                self.errs.push_spanned(
                    seg,
                    format!("Option<T> takes one pointer meaning: {MEANINGS}"),
                );
                return None;
            }
        };
        match self.written(inner)? {
            Written::CStr { nullable: false } => Some(Written::CStr { nullable: true }),
            Written::Pointer(mut p) if p.may_be_null() && !p.nullable => {
                p.nullable = true;
                Some(Written::Pointer(p))
            }
            Written::Pointer(_) => {
                self.errs.push_spanned(
                    seg,
                    "only a buffer with a length may be NULL (its length is then 0): \
                     Option<In<[T], len = n>>; one object or a fixed count cannot",
                );
                None
            }
            Written::Handle(h) if h.exclusive => {
                self.errs.push_spanned(
                    seg,
                    "a handle borrowed alone (`&mut H`) is never NULL: Option<&H> borrows one \
                     or passes NULL",
                );
                None
            }
            Written::Handle(mut h) if !h.consume && !h.nullable => {
                h.nullable = true;
                Some(Written::Handle(h))
            }
            Written::Handle(_) => {
                self.errs.push_spanned(
                    seg,
                    "a handle given away is never NULL: Option<&H> borrows one or passes NULL",
                );
                None
            }
            _ => {
                self.errs.push_spanned(
                    seg,
                    format!("NULL has no meaning here: Option<..> of a parameter is {MEANINGS}"),
                );
                None
            }
        }
    }
}

//! A pointer whose meaning a draft left open. The parser refuses it outside
//! drafts, and drafts are never expanded: every piece is a compile error.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::gen::unresolved;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;

pub(super) struct Unresolved<'a> {
    pub(super) cx: Cx<'a>,
}

impl Meaning for Unresolved<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        unresolved()
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(unresolved())
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        out.prepare.push(unresolved());
    }

    fn client(&self, out: &mut ClientPieces) {
        out.encode.push(unresolved());
    }

    fn server(&self, out: &mut ServerPieces) {
        out.decode.push(unresolved());
    }
}

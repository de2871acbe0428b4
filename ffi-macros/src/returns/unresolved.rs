//! A returned pointer a draft left open: refused by the parser outside
//! drafts, so every piece is a compile error.

use super::Returned;
use crate::gen::unresolved;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;

pub(super) struct Unresolved;

impl Returned for Unresolved {
    fn raw_ty(&self) -> TokenStream {
        unresolved()
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(unresolved())
    }

    fn native(&self, _: &Callee) -> TokenStream {
        unresolved()
    }

    fn client(&self) -> TokenStream {
        unresolved()
    }

    fn server(&self) -> TokenStream {
        unresolved()
    }
}

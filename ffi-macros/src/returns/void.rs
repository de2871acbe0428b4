//! `void`: nothing to convert, nothing on the wire.

use super::{RetCx, Returned};
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Void<'a> {
    pub(super) cx: RetCx<'a>,
}

impl Returned for Void<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(())
    }

    fn result_ty(&self) -> Option<TokenStream> {
        None
    }

    fn native(&self, _: &Callee) -> TokenStream {
        quote!()
    }

    fn client(&self) -> TokenStream {
        quote!()
    }

    fn server(&self) -> TokenStream {
        let var = &self.cx.var;
        quote!(let _ = #var;)
    }
}

//! `void`: nothing to convert, nothing on the wire.

use super::Returned;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Void;

impl Returned for Void {
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
        quote!(let _ = __ret;)
    }
}

//! `-> UserData`: the function a callback's `#[user_data = f]` names
//! (`sqlite3_user_data`). It is no method: only the trampolines call it,
//! through its C type, so only that is generated, and the domain refuses a
//! request for it; the rest cannot be reached.

use super::Returned;
use crate::gen::unresolved;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct UserData;

impl Returned for UserData {
    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
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

    /// The server serves every function by its index; this one's result
    /// is an address of the domain, which the client never gets.
    fn server(&self) -> TokenStream {
        quote! {
            let _ = __ret;
            return ::core::result::Result::Err(::ffi_desc::wire::WireError("a user-data function is no call"));
        }
    }
}

//! A new handle owned by the caller. NULL is an error. Linked and Loaded
//! wrap the address with its owner; the server keeps the pointer in its
//! table and sends an id, which the client checks is of the incarnation
//! that served the call.

use super::{RetCx, Returned};
use crate::gen::ident;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Handle<'a> {
    pub(super) cx: RetCx<'a>,
    /// The opaque type, by Rust name.
    pub(super) ty: &'a str,
}

impl Returned for Handle<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(quote!(#t))
    }

    fn native(&self, callee: &Callee) -> TokenStream {
        let (fname, t) = (&self.cx.f.name, ident(self.ty));
        let idx = self.cx.g.opaque_index(self.ty);
        let owner_ref = &callee.owner_ref;
        quote! {
            if __ret.is_null() {
                return ::core::result::Result::Err(::ffi_desc::Error::NullReturn { function: #fname });
            }
            let __ret = #t { core: ::ffi_desc::rt::HandleCore::new(__ret as usize as u64, #idx, #owner_ref) };
        }
    }

    fn client(&self) -> TokenStream {
        let (fname, t) = (&self.cx.f.name, ident(self.ty));
        let idx = self.cx.g.opaque_index(self.ty);
        quote! {
            let __ret: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
            if __ret == 0 {
                return ::core::result::Result::Err(::ffi_desc::Error::NullReturn { function: #fname });
            }
            if ::ffi_desc::isolated::handle_generation(__ret) != __gen {
                return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("handle id of another incarnation")));
            }
            let __ret = #t { core: ::ffi_desc::rt::HandleCore::new(__ret, #idx, ::ffi_desc::rt::OwnerRef::Shared(self.inner.clone())) };
        }
    }

    fn server(&self) -> TokenStream {
        let idx = self.cx.g.opaque_index(self.ty);
        quote! {
            let __id: u64 = if __ret.is_null() { 0 } else { __ctx.handle_insert(#idx, __ret)? };
            ::ffi_desc::wire::Wire::put(&__id, __out);
        }
    }
}

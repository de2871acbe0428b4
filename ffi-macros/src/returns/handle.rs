//! A new handle owned by the caller; NULL is an error, or `None` in
//! `Option`. Linked and Loaded wrap the address with its owner; the server
//! keeps the pointer in its table and sends an id (0 for NULL), which the
//! client checks is of the incarnation that served the call.
//!
//! A handle that keeps a pointer to a handle parameter (`Owned<H, parent =
//! p>`) is returned as `ffi_desc::Child<'p, H>`, under the borrow of `p`:
//! safe code cannot drop `p` while the child lives, nor take the child out
//! of that borrow.

use super::{RetCx, Returned};
use crate::gen::{ident, parent_lifetime};
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Handle<'a> {
    pub(super) cx: RetCx<'a>,
    /// The opaque type, by Rust name.
    pub(super) ty: &'a str,
    /// The handle parameter it keeps a pointer to (`parent = p`).
    pub(super) parent: Option<&'a str>,
}

impl Handle<'_> {
    /// `#var` rebound to the handle, or `None`/the error for `null`. A
    /// child is tied to the borrow of its parent parameter.
    fn wrapped(&self, null: TokenStream, make: TokenStream) -> TokenStream {
        let var = &self.cx.var;
        let make = match self.parent {
            Some(p) => {
                let p = ident(p);
                quote!(::ffi_desc::Child::tie({ #make }, #p))
            }
            None => make,
        };
        if self.cx.nullable {
            quote! {
                let #var = if #null { ::core::option::Option::None } else { ::core::option::Option::Some({ #make }) };
            }
        } else {
            let err = self.cx.null_error();
            quote! {
                if #null {
                    return ::core::result::Result::Err(#err);
                }
                let #var = { #make };
            }
        }
    }
}

impl Returned for Handle<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(self.cx.wrap(match self.parent {
            Some(p) => {
                let lt = parent_lifetime(p);
                quote!(::ffi_desc::Child<#lt, #t>)
            }
            None => quote!(#t),
        }))
    }

    fn native(&self, callee: &Callee) -> TokenStream {
        let (var, t) = (&self.cx.var, ident(self.ty));
        let idx = self.cx.g.opaque_index(self.ty);
        let owner_ref = &callee.owner_ref;
        self.wrapped(
            quote!(#var.is_null()),
            quote!(#t { core: ::ffi_desc::rt::HandleCore::new(#var as usize as u64, #idx, #owner_ref) }),
        )
    }

    fn client(&self) -> TokenStream {
        let (var, t) = (&self.cx.var, ident(self.ty));
        let idx = self.cx.g.opaque_index(self.ty);
        let wrapped = self.wrapped(
            quote!(#var == 0),
            quote! {
                if ::ffi_desc::isolated::handle_generation(#var) != __gen {
                    return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("handle id of another incarnation")));
                }
                #t { core: ::ffi_desc::rt::HandleCore::new(#var, #idx, ::ffi_desc::rt::OwnerRef::Shared(self.inner.clone())) }
            },
        );
        quote! {
            let #var: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
            #wrapped
        }
    }

    fn server(&self) -> TokenStream {
        let var = &self.cx.var;
        let idx = self.cx.g.opaque_index(self.ty);
        quote! {
            let __id: u64 = if #var.is_null() { 0 } else { __ctx.handle_insert(#idx, #var)? };
            ::ffi_desc::wire::Wire::put(&__id, __out);
        }
    }
}

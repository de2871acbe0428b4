//! A callback: a Rust closure C calls through a trampoline, found again
//! through the user data C hands back. Passed for the call (`&mut dyn FnMut`)
//! it lives on the caller's stack; stored (`impl Fn + 'static`), the linkage
//! keeps it for as long as C may call it. In the Isolated linkage the domain
//! gets an id instead, which its trampoline sends back to the client, and a
//! stored callback's id is refused once its slot is replaced or cleared.
//!
//! The user-data parameter ([`super::user_data`]) is given what this prepares.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::isolated::slot_index;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

pub(super) struct Callback<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) cb: &'a CallbackDef,
    pub(super) stored: bool,
    pub(super) slot: Option<&'a str>,
}

/// Linked and Loaded: the user data prepared for the callback parameter `name`.
pub(super) fn native_user_data(name: &str) -> Ident {
    format_ident!("__user_{}", name)
}

/// The server: the user data for the callback parameter `name`, which
/// carries the callback's id to the server's trampoline.
pub(super) fn server_user_data(name: &str, stored: bool) -> TokenStream {
    let id = format_ident!("__cbid_{}", name);
    if stored {
        // C keeps the pointer: the id lives as long as the domain.
        quote!(::ffi_desc::__private::Box::into_raw(::ffi_desc::__private::Box::new(#id)) as *mut ::ffi_desc::c::c_void)
    } else {
        quote!(&#id as *const u32 as *mut ::ffi_desc::c::c_void)
    }
}

impl Callback<'_> {
    /// A stored callback: registered (pending while this call runs, as
    /// only its own dispatch reaches it), then kept by the incarnation the
    /// call ran in.
    fn client_stored(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        let fname = &self.cx.f.name;
        let body = self.cx.g.client_invoker_body(self.cb, quote!(#pn));
        let pending = self.cx.local("__stored_");
        let slot = match self.slot {
            Some(slot) => {
                let k = slot_index(self.cx.g.desc, slot);
                quote!(::core::option::Option::Some(#k))
            }
            None => quote!(::core::option::Option::None),
        };
        out.encode.push(quote! {
            let #pending = self.inner.stored.register(__gen, #slot, ::ffi_desc::__private::Arc::new(
                move |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                    #body
                },
            )).map_err(|e| ::ffi_desc::Error::Domain {
                function: #fname,
                failure: ::ffi_desc::DomainFailure::Unavailable { reason: e.0.into() },
            })?;
            ::ffi_desc::wire::Wire::put(&#pending.id(), &mut __req);
        });
        out.stored_arms.push(quote! {
            if __id == #pending.id() {
                return #pending.invoke(__args, __out);
            }
        });
        out.confirms.push(quote! {
            #pending.confirm(__status.is_ok().then(|| self.inner.chan.generation()));
        });
    }

    /// A callback for the call: answered under the id of its place among
    /// the call's callbacks.
    fn client_during_call(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        let body = self.cx.g.client_invoker_body(self.cb, quote!(#pn));
        let k = self
            .cx
            .f
            .params
            .iter()
            .take_while(|q| q.name != self.cx.p.name)
            .filter(|q| matches!(q.kind, ParamKind::Callback { stored: false, .. }))
            .count() as u32;
        let inv = self.cx.local("__inv_");
        out.encode.push(quote! {
            let mut #inv = |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                #body
            };
            ::ffi_desc::wire::Wire::put(&#k, &mut __req);
        });
        out.invokers.push(quote!(#k => #inv(__args, __out),));
    }
}

impl Meaning for Callback<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        self.cx.g.callback_raw_ty(self.cb)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        let (ps, ret) = self.cx.g.callback_closure_sig(self.cb);
        Some(if self.stored {
            quote!(impl Fn(#(#ps),*) -> #ret + Send + Sync + 'static)
        } else {
            quote!(&mut dyn FnMut(#(#ps),*) -> #ret)
        })
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        out.passes_callback = true;
        let (pn, var) = (self.cx.name(), self.cx.arg());
        let (ps, ret) = self.cx.g.callback_closure_sig(self.cb);
        let uvar = native_user_data(&self.cx.p.name);
        if self.stored {
            let tramp = format_ident!("__tramp_stored_{}", self.cb.name);
            let store = &callee.store;
            out.prepare.push(quote! {
                let __boxed: ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync> =
                    ::ffi_desc::__private::Box::new(#pn);
                let #uvar = #store.keep(::ffi_desc::__private::Box::new(__boxed));
                let #var = ::core::option::Option::Some(#tramp as _);
            });
        } else {
            let tramp = format_ident!("__tramp_call_{}", self.cb.name);
            let holder = self.cx.local("__cb_");
            out.prepare.push(quote! {
                let mut #holder: &mut dyn FnMut(#(#ps),*) -> #ret = #pn;
                let #uvar = &mut #holder as *mut &mut dyn FnMut(#(#ps),*) -> #ret
                    as *mut ::ffi_desc::c::c_void;
                let #var = ::core::option::Option::Some(#tramp as _);
            });
        }
    }

    fn client(&self, out: &mut ClientPieces) {
        out.passes_callback = true;
        if self.stored {
            self.client_stored(out);
        } else {
            self.client_during_call(out);
        }
    }

    fn server(&self, out: &mut ServerPieces) {
        let var = self.cx.arg();
        let tramp = format_ident!("__srv_tramp_{}", self.cb.name);
        let id = self.cx.local("__cbid_");
        out.decode.push(quote! {
            let #id: u32 = ::ffi_desc::wire::Wire::get(&mut __r)?;
            let #var = ::core::option::Option::Some(#tramp as _);
        });
    }
}

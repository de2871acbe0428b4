//! A callback: a Rust closure C calls through a trampoline, found again
//! through the user data C hands back. Passed for the call (`&mut dyn FnMut`)
//! it lives on the caller's stack; stored (`impl Fn + 'static`), the linkage
//! keeps it for as long as C may call it. In the Isolated linkage the domain
//! gets an id instead, which its trampoline sends back to the client, and a
//! stored callback's id is refused once its slot is replaced or cleared.
//!
//! `Option<Callback<..>>` takes `None`, for which C gets NULL (and NULL user
//! data); a stored one's slot is emptied. A callback kept on a handle
//! (`on = h`) is in [`crate::callbacks::on_handle`]'s table of that handle:
//! its pieces are [`Callback::native_on`], [`Callback::client_on`] and
//! [`Callback::server_on`].
//!
//! The user-data parameter ([`super::user_data`]) is given what this prepares.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::callbacks::on_handle::{native_trampoline, server_trampoline};
use crate::gen::ident;
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
    pub(super) nullable: bool,
    /// `on = h`: the handle parameter whose table keeps it.
    pub(super) on: Option<&'a str>,
}

/// Linked and Loaded: the user data prepared for the callback parameter `name`.
pub(super) fn native_user_data(name: &str) -> Ident {
    format_ident!("__user_{}", name)
}

/// The server: the user data for the callback parameter `name`, which
/// carries the callback's id to the server's trampoline (NULL when a
/// nullable one was not passed).
pub(super) fn server_user_data(name: &str, stored: bool, nullable: bool) -> TokenStream {
    let id = format_ident!("__cbid_{}", name);
    let ptr = if stored {
        // C keeps the pointer: the id lives as long as the domain.
        quote!(::ffi_desc::__private::Box::into_raw(::ffi_desc::__private::Box::new(#id)) as *mut ::ffi_desc::c::c_void)
    } else {
        quote!(&#id as *const u32 as *mut ::ffi_desc::c::c_void)
    };
    if nullable {
        let var = super::arg_of(name);
        quote!(if #var.is_some() { #ptr } else { ::core::ptr::null_mut() })
    } else {
        ptr
    }
}

impl Callback<'_> {
    /// The handle type a callback kept on a handle is kept on.
    fn on_ty(&self) -> Option<&str> {
        self.on.map(|h| self.cx.g.handle_param_ty(self.cx.f, h))
    }

    /// `value` made from the closure `pn` (unwrapped from its `Option`), or
    /// `none` when a nullable one is `None`.
    fn or_none(&self, value: TokenStream, none: TokenStream) -> TokenStream {
        let pn = self.cx.name();
        if self.nullable {
            quote! {
                match #pn {
                    ::core::option::Option::Some(#pn) => { #value }
                    ::core::option::Option::None => { #none }
                }
            }
        } else {
            value
        }
    }

    /// The Isolated client, for a callback lent handles: the identity of
    /// this instance, which the views of the handles name as their owner.
    fn owner_for_views(&self) -> TokenStream {
        if crate::callbacks::native::lends(self.cb) {
            quote!(let __owner = ::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const () as usize;)
        } else {
            quote!()
        }
    }

    /// A stored callback: registered (pending while this call runs, as
    /// only its own dispatch reaches it), then kept by the incarnation the
    /// call ran in.
    fn client_stored(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        let fname = &self.cx.f.name;
        let body = self.cx.g.client_invoker_body(self.cb, quote!(#pn), None);
        let pending = self.cx.local("__stored_");
        let (slot, clear) = match self.slot {
            Some(slot) => {
                let k = slot_index(self.cx.g.desc, slot);
                (
                    quote!(::core::option::Option::Some(#k)),
                    quote!(self.inner.stored.clear_slot(#k);),
                )
            }
            None => (quote!(::core::option::Option::None), quote!()),
        };
        let tag = self
            .nullable
            .then(|| quote!(::ffi_desc::wire::Wire::put(&1u8, &mut __req);));
        let register = quote! {
            let __p = self.inner.stored.register(__gen, #slot, ::ffi_desc::__private::Arc::new(
                move |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                    #body
                },
            )).map_err(|e| ::ffi_desc::Error::Domain {
                function: #fname,
                failure: ::ffi_desc::DomainFailure::Unavailable { reason: e.0.into() },
            })?;
            #tag
            ::ffi_desc::wire::Wire::put(&__p.id(), &mut __req);
            ::core::option::Option::Some(__p)
        };
        let none = quote! {
            #clear
            ::ffi_desc::wire::Wire::put(&0u8, &mut __req);
            ::core::option::Option::None
        };
        let value = self.or_none(register, none);
        out.encode.push(self.owner_for_views());
        out.encode.push(quote!(let #pending = { #value };));
        out.stored_arms.push(quote! {
            if let ::core::option::Option::Some(__p) = &#pending {
                if __id == __p.id() {
                    return __p.invoke(__args, __out);
                }
            }
        });
        out.confirms.push(quote! {
            if let ::core::option::Option::Some(__p) = #pending {
                __p.confirm(__status.is_ok().then(|| self.inner.chan.generation()));
            }
        });
    }

    /// A callback for the call: answered under the id of its place among
    /// the call's callbacks.
    fn client_during_call(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        let body = self.cx.g.client_invoker_body(self.cb, quote!(#pn), None);
        let k = self
            .cx
            .f
            .params
            .iter()
            .take_while(|q| q.name != self.cx.p.name)
            .filter(|q| matches!(q.kind, ParamKind::Callback { stored: false, .. }))
            .count() as u32;
        let inv = self.cx.local("__inv_");
        let encode = if self.nullable {
            quote! {
                let mut #pn = #pn;
                match &#pn {
                    ::core::option::Option::Some(_) => {
                        ::ffi_desc::wire::Wire::put(&1u8, &mut __req);
                        ::ffi_desc::wire::Wire::put(&#k, &mut __req);
                    }
                    ::core::option::Option::None => ::ffi_desc::wire::Wire::put(&0u8, &mut __req),
                }
                let mut #inv = |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                    let ::core::option::Option::Some(#pn) = #pn.as_mut() else {
                        return ::core::result::Result::Err(::ffi_desc::wire::WireError("the id of a callback not passed"));
                    };
                    #body
                };
            }
        } else {
            quote! {
                let mut #inv = |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                    #body
                };
                ::ffi_desc::wire::Wire::put(&#k, &mut __req);
            }
        };
        out.encode.push(self.owner_for_views());
        out.encode.push(encode);
        out.invokers.push(quote!(#k => #inv(__args, __out),));
    }

    /// Linked and Loaded, kept on a handle: the handle's table (made the
    /// first time), registered as the handle's user data, keeps the closure
    /// in its slot; C gets the slot's trampoline.
    fn native_on(&self, h: &str, callee: &Callee, out: &mut NativePieces) {
        let g = self.cx.g;
        let (pn, var, hn) = (self.cx.name(), self.cx.arg(), ident(h));
        let (raw, table) = (self.cx.local("__raw_"), self.cx.local("__table_"));
        let (fname, owner_id) = (&self.cx.f.name, &callee.owner_id);
        let ty = self.on_ty().unwrap_or_default();
        let idx = g.opaque_index(ty);
        let slots = g.desc.callback_slots().len();
        let k = slot_index(g.desc, self.slot.unwrap_or_default()) as usize;
        // Kept by call, the trampoline finds the table through the running
        // call: nothing is registered with C.
        let register = g.desc.context_of(ty).map(|c| {
            let set_context = (callee.fn_expr)(&c.symbol());
            quote! {
                // SAFETY: the table is the handle's, dropped only after C freed the
                // object; C hands it to the handle's callbacks as their user data.
                let _ = unsafe { #set_context(#raw as usize as *mut ::ffi_desc::c::c_void, #table.user_data()) };
            }
        });
        let (ps, ret) = g.callback_closure_sig(self.cb, Some(ty));
        let tramp = native_trampoline(self.slot.unwrap_or_default());
        let keep = self.or_none(
            quote! {
                let __boxed: ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync> =
                    ::ffi_desc::__private::Box::new(#pn);
                #table.set(#k, ::core::option::Option::Some(::ffi_desc::__private::Arc::new(__boxed)));
                ::core::option::Option::Some(#tramp as _)
            },
            quote! {
                #table.set(#k, ::core::option::Option::None);
                ::core::option::Option::None
            },
        );
        out.prepare.push(quote! {
            let #raw = #hn.core.raw_for(#owner_id, #fname, #h)?;
            let #table = #hn.core
                .context(|| ::ffi_desc::rt::CallbackTable::new(#raw, #idx, #owner_id, #slots))
                .ok_or(::ffi_desc::Error::ForeignHandle { function: #fname, param: #h })?;
            #register
            let #var = { #keep };
        });
    }

    /// The Isolated client, kept on a handle: the closure is kept in the
    /// client's table under the handle's id and slot, the handle holding
    /// what drops it; the domain gets a tag (1: a callback, 0: none).
    fn client_on(&self, h: &str, out: &mut ClientPieces) {
        let g = self.cx.g;
        let (pn, hn) = (self.cx.name(), ident(h));
        let hid = self.cx.local("__hid_");
        let fname = &self.cx.f.name;
        let ty = self.on_ty().unwrap_or_default();
        let (tyn, idx) = (ident(ty), g.opaque_index(ty));
        let k = slot_index(g.desc, self.slot.unwrap_or_default());
        let body = g.client_invoker_body(self.cb, quote!(#pn), Some(quote!(&__view)));
        let keep = self.or_none(
            quote! {
                self.inner.stored.set_on(#hid, #k, ::core::option::Option::Some(::ffi_desc::__private::Arc::new(
                    move |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                        let __view = #tyn { core: ::ffi_desc::rt::HandleCore::view(#hid, #idx, __owner as *const ()) };
                        #body
                    },
                )));
                ::ffi_desc::wire::Wire::put(&1u8, &mut __req);
            },
            quote! {
                self.inner.stored.set_on(#hid, #k, ::core::option::Option::None);
                ::ffi_desc::wire::Wire::put(&0u8, &mut __req);
            },
        );
        out.encode.push(quote! {
            let __owner = ::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const () as usize;
            let #hid = #hn.core.raw_for(__owner as *const (), #fname, #h)?;
            if ::ffi_desc::isolated::handle_generation(#hid) != __gen {
                return ::core::result::Result::Err(::ffi_desc::Error::StaleHandle { function: #fname, param: #h });
            }
            #hn.core
                .context(|| self.inner.stored.handle_callbacks(#hid, #idx))
                .ok_or(::ffi_desc::Error::ForeignHandle { function: #fname, param: #h })?;
            #keep
        });
    }

    /// The server, kept on a handle: the slot's trampoline (or NULL), and
    /// the handle's id registered as its user data, which the trampoline
    /// sends back.
    fn server_on(&self, h: &str, out: &mut ServerPieces) {
        let var = self.cx.arg();
        let ty = self.on_ty().unwrap_or_default();
        let tramp = server_trampoline(self.slot.unwrap_or_default());
        let set_context = self.cx.g.desc.context_of(ty).map(|c| ident(&c.symbol()));
        // The handle parameter's decoded id and pointer (`meaning::handle`).
        let (hid, harg) = (format_ident!("__id_{}", h), super::arg_of(h));
        let none = if self.nullable {
            quote!(0 => ::core::option::Option::None,)
        } else {
            quote!()
        };
        out.decode.push(quote! {
            let #var = match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r)? {
                1 => ::core::option::Option::Some(#tramp as _),
                #none
                _ => return ::core::result::Result::Err(::ffi_desc::wire::WireError("bad callback tag")),
            };
        });
        // Kept by call, the trampoline sends the running call's handle id.
        if let Some(set_context) = set_context {
            out.late.push(quote! {
                // SAFETY: the handle was looked up in the table of pointers C gave
                // out; its user data is its id, which the trampoline sends back.
                let _ = unsafe { __linked_sys::#set_context(#harg, #hid as usize as *mut ::ffi_desc::c::c_void) };
            });
        }
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
        let (ps, ret) = self.cx.g.callback_closure_sig(self.cb, self.on_ty());
        Some(match (self.stored, self.nullable) {
            (false, false) => quote!(&mut dyn FnMut(#(#ps),*) -> #ret),
            (false, true) => {
                quote!(::core::option::Option<&mut dyn FnMut(#(#ps),*) -> #ret>)
            }
            (true, false) => quote!(impl Fn(#(#ps),*) -> #ret + Send + Sync + 'static),
            (true, true) => {
                quote!(::core::option::Option<::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync>>)
            }
        })
    }

    fn request_size(&self) -> usize {
        if self.on.is_some() {
            1
        } else {
            5
        }
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        out.passes_callback = true;
        if let Some(h) = self.on {
            return self.native_on(h, callee, out);
        }
        let (pn, var) = (self.cx.name(), self.cx.arg());
        let (ps, ret) = self.cx.g.callback_closure_sig(self.cb, None);
        let uvar = native_user_data(&self.cx.p.name);
        let none = quote!((::core::ptr::null_mut(), ::core::option::Option::None));
        if self.stored {
            let tramp = format_ident!("__tramp_stored_{}", self.cb.name);
            let store = &callee.store;
            let keep = self.or_none(
                quote! {
                    let __boxed: ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync> =
                        ::ffi_desc::__private::Box::new(#pn);
                    (#store.keep(::ffi_desc::__private::Box::new(__boxed)), ::core::option::Option::Some(#tramp as _))
                },
                none,
            );
            out.prepare.push(quote!(let (#uvar, #var) = { #keep };));
        } else {
            let tramp = format_ident!("__tramp_call_{}", self.cb.name);
            let holder = self.cx.local("__cb_");
            // The trampoline runs it only on this thread, and not inside
            // itself (`DuringCall`); a refusal is reported after the call.
            let ty = quote!(::ffi_desc::rt::DuringCall<&mut dyn FnMut(#(#ps),*) -> #ret>);
            let (prepare, report) = if self.nullable {
                (
                    quote! {
                        let mut #holder: ::core::option::Option<#ty> = #pn.map(::ffi_desc::rt::DuringCall::new);
                        let (#uvar, #var) = match &mut #holder {
                            ::core::option::Option::Some(h) => (h as *mut #ty as *mut ::ffi_desc::c::c_void, ::core::option::Option::Some(#tramp as _)),
                            ::core::option::Option::None => #none,
                        };
                    },
                    quote!(if let ::core::option::Option::Some(h) = &#holder { h.report(); }),
                )
            } else {
                (
                    quote! {
                        let mut #holder: #ty = ::ffi_desc::rt::DuringCall::new(#pn);
                        let #uvar = &mut #holder as *mut #ty as *mut ::ffi_desc::c::c_void;
                        let #var = ::core::option::Option::Some(#tramp as _);
                    },
                    quote!(#holder.report();),
                )
            };
            out.prepare.push(prepare);
            out.after_call.push(report);
        }
    }

    fn client(&self, out: &mut ClientPieces) {
        out.passes_callback = true;
        if let Some(h) = self.on {
            self.client_on(h, out);
        } else if self.stored {
            self.client_stored(out);
        } else {
            self.client_during_call(out);
        }
    }

    fn server(&self, out: &mut ServerPieces) {
        if let Some(h) = self.on {
            return self.server_on(h, out);
        }
        let var = self.cx.arg();
        let tramp = format_ident!("__srv_tramp_{}", self.cb.name);
        let id = self.cx.local("__cbid_");
        if self.nullable {
            out.decode.push(quote! {
                let (#var, #id): (_, u32) = match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r)? {
                    1 => (::core::option::Option::Some(#tramp as _), ::ffi_desc::wire::Wire::get(&mut __r)?),
                    0 => (::core::option::Option::None, 0),
                    _ => return ::core::result::Result::Err(::ffi_desc::wire::WireError("bad callback tag")),
                };
            });
        } else {
            out.decode.push(quote! {
                let #id: u32 = ::ffi_desc::wire::Wire::get(&mut __r)?;
                let #var = ::core::option::Option::Some(#tramp as _);
            });
        }
    }
}

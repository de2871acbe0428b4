//! Callbacks kept on a handle (`Callback<F, stored = slot, on = h>`): the
//! handle's table holds one closure per slot, the user data C hands every
//! callback of the handle is that table (registered through the handle
//! type's `context` function before each call that keeps a callback), and
//! the table goes when the handle is dropped, after C freed the object.
//!
//! Linked and Loaded keep the closures in an `rt::CallbackTable` inside the
//! handle, and one trampoline per slot finds the closure there. In the
//! Isolated linkage the client keeps them, by handle id and slot, in its
//! `StoredCallbacks`; the domain's user data for the handle is the handle's
//! id, which its trampoline sends first in the callback frame.

use super::native::NativeArgs;
use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::linkage::isolated::slot_index;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// A slot of the callbacks kept on handles.
pub(crate) struct OnSlot<'a> {
    pub(crate) slot: &'a str,
    /// Its number among the description's slots.
    pub(crate) index: u32,
    pub(crate) cb: &'a CallbackDef,
    /// The handle type whose table holds it.
    pub(crate) handle: &'a str,
}

/// The trampoline C calls for the callbacks kept in `slot`.
pub(crate) fn native_trampoline(slot: &str) -> Ident {
    format_ident!("__tramp_on_{}", slot)
}

/// The domain's trampoline for the callbacks kept in `slot`.
pub(crate) fn server_trampoline(slot: &str) -> Ident {
    format_ident!("__srv_tramp_on_{}", slot)
}

impl Gen<'_> {
    /// The handle type of the parameter `h` of `f`.
    pub(crate) fn handle_param_ty<'f>(&self, f: &'f Function, h: &str) -> &'f str {
        f.params
            .iter()
            .find_map(|q| match &q.kind {
                ParamKind::Handle { ty, .. } if q.name == h => Some(ty.as_str()),
                _ => None,
            })
            .expect("checked by the parser")
    }

    /// Every slot of callbacks kept on handles, once (the parser checks
    /// that a slot holds one callback type on one handle type).
    pub(crate) fn on_slots(&self) -> Vec<OnSlot<'_>> {
        let mut slots: Vec<OnSlot<'_>> = Vec::new();
        for f in &self.desc.functions {
            for p in &f.params {
                let ParamKind::Callback {
                    ty,
                    slot: Some(slot),
                    on: Some(h),
                    ..
                } = &p.kind
                else {
                    continue;
                };
                if slots.iter().any(|s| s.slot == slot) {
                    continue;
                }
                slots.push(OnSlot {
                    slot,
                    index: slot_index(self.desc, slot),
                    cb: self.desc.callback(ty).expect("checked by the parser"),
                    handle: self.handle_param_ty(f, h),
                });
            }
        }
        slots
    }

    /// Whether a call of `f` can make C run callbacks kept on a handle (it
    /// takes a handle whose type keeps them): its callbacks' panics and
    /// refusals are reported by it, as those of a callback it passes. In a
    /// description with a type that keeps them by call, every call can: C
    /// may run a handler during a call that passed no handle of the type,
    /// which refuses it, and that call is the one to say so.
    pub(crate) fn reaches_kept_callbacks(&self, f: &Function) -> bool {
        self.desc.any_kept_by_call()
            || f.params.iter().any(|p| match &p.kind {
                ParamKind::Handle { ty, .. } => self.desc.keeps_callbacks(ty),
                _ => false,
            })
    }

    /// Linked and Loaded: for each slot, the trampoline that finds the
    /// closure in the table C hands it and calls it with a view of the
    /// handle.
    pub(crate) fn on_handle_trampolines(&self) -> TokenStream {
        let out = self.on_slots().into_iter().map(|s| {
            let name = native_trampoline(s.slot);
            let (ps, ret) = self.callback_closure_sig(s.cb, Some(s.handle));
            let NativeArgs {
                raw_params,
                conv,
                args,
                user,
                raw_ret,
                to_raw,
            } = self.native_args(s.cb);
            let (k, h) = (s.index as usize, ident(s.handle));
            let table = if self.desc.kept_by_call(s.handle) {
                self.table_of_running_call(s.handle)
            } else {
                quote! {
                    if #user.is_null() {
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::ffi_desc::rt::refused("no callback table as its user data") };
                    }
                    // SAFETY: a non-NULL user data of this callback is the table the
                    // linkage registered for the handle, which lives in the handle
                    // until after C freed the object.
                    let __table = unsafe { &*(#user as *const ::ffi_desc::rt::CallbackTable) };
                }
            };
            quote! {
                #[allow(non_snake_case, unused_unsafe, unused_variables)]
                unsafe extern "C" fn #name(#(#raw_params),*) -> #raw_ret {
                    #table
                    #(#conv)*
                    let __kept = __table.get(#k);
                    let __f = match __kept.as_ref().and_then(|k| k.downcast_ref::<::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync>>()) {
                        ::core::option::Option::Some(f) => f,
                        // SAFETY: all-zero is a valid value of every callback result type.
                        ::core::option::Option::None => return unsafe { ::ffi_desc::rt::refused("no callback kept in its slot") },
                    };
                    let __view = #h { core: __table.view() };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(&__view, #(#args),*) #to_raw)
                }
            }
        });
        quote!(#(#out)*)
    }

    /// Linked and Loaded, for a handle type that keeps callbacks by call:
    /// `__table`, the table of the handle the innermost running call of its
    /// type passed (`ffi_desc::route`); C's user data is never read.
    fn table_of_running_call(&self, ty: &str) -> TokenStream {
        let idx = self.opaque_index(ty);
        quote! {
            let __core = ::ffi_desc::route::innermost(::ffi_desc::rt::description_token(&FINGERPRINT), #idx);
            if __core == 0 {
                // SAFETY: all-zero is a valid value of every callback result type.
                return unsafe { ::ffi_desc::rt::refused(::ffi_desc::rt::REFUSALS[12]) };
            }
            // SAFETY: a non-zero record is the `HandleCore` of a handle a call
            // running on this thread borrows, removed before that call returns.
            let __core = unsafe { &*(__core as usize as *const ::ffi_desc::rt::HandleCore) };
            let ::core::option::Option::Some(__table) = __core.context_made::<::ffi_desc::rt::CallbackTable>() else {
                // SAFETY: all-zero is a valid value of every callback result type.
                return unsafe { ::ffi_desc::rt::refused("no callback kept in its slot") };
            };
        }
    }

    /// The domain: for each slot, the trampoline that sends the handle's id
    /// (its user data; 0 when C passed none) and the arguments to the
    /// client.
    pub(crate) fn server_on_trampolines(&self) -> TokenStream {
        let out = self.on_slots().into_iter().map(|s| {
            let name = server_trampoline(s.slot);
            let (raw, enc, user) = self.server_callback_args(s.cb);
            let id = s.index | ffi_handle_callback();
            let (ret_ty, decode) = self.server_callback_result(s.cb);
            let end = super::isolated::server_end_loans(s.cb);
            let hid = if self.desc.kept_by_call(s.handle) {
                let idx = self.opaque_index(s.handle);
                quote! {
                    // The id of the handle the innermost running call of its type
                    // passed; C's user data is never read.
                    let __hid = ::ffi_desc::route::innermost(::ffi_desc::route::server_token(::ffi_desc::rt::description_token(&FINGERPRINT)), #idx);
                    if __hid == 0 {
                        ::ffi_desc::isolated::server_refuse_callback(::ffi_desc::rt::REFUSALS[12]);
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::core::mem::zeroed() };
                    }
                }
            } else {
                // The handle's id, which the server registered as its user data.
                quote!(let __hid = #user as usize as u64;)
            };
            quote! {
                #[allow(non_snake_case, unused_unsafe, unused_variables)]
                unsafe extern "C" fn #name(#(#raw),*) -> #ret_ty {
                    #hid
                    let mut __args = ::ffi_desc::__private::Vec::new();
                    ::ffi_desc::wire::Wire::put(&__hid, &mut __args);
                    #(#enc)*
                    let mut __reply = ::ffi_desc::__private::Vec::new();
                    let __ok = ::ffi_desc::isolated::server_callback(#id, &__args, &mut __reply).is_ok();
                    #end
                    #decode
                }
            }
        });
        quote!(#(#out)*)
    }
}

/// `ffi_desc::isolated::HANDLE_CALLBACK`, which this crate cannot name.
pub(crate) fn ffi_handle_callback() -> u32 {
    1 << 30
}

//! The Isolated client: the linkage type over a channel to a domain, the
//! owner that frees its handles in the domain, and the trait's methods, each
//! of which sends one request ([`super::client_call`]).

use super::client_call::Form;
use crate::gen::{ident, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    pub(crate) fn isolated_client_items(&self) -> TokenStream {
        let desc = self.desc;
        let trait_ident = ident(&desc.trait_name);
        let isolated_ident = format_ident!("{}Isolated", desc.trait_name);
        let any_thread_safe = desc.functions.iter().any(|f| f.thread_safe);
        let async_ident = format_ident!("{}Async", desc.trait_name);
        let async_methods = self
            .methods()
            .filter(|(_, f)| self.has_async_form(f))
            .map(|(i, f)| {
                let sig = self.safe_sig(f);
                let body = self.client_body_for(f, i as u32, Form::Async);
                let doc = format!(
                    "The async form of [`{trait_name}::{name}`]: the call runs on a thread of \
                     the transport while the future waits.",
                    trait_name = desc.trait_name,
                    name = f.name
                );
                quote!(#[doc = #doc] pub async #sig { #body })
            });
        let without_async: Vec<String> = self
            .methods()
            .filter(|(_, f)| !self.has_async_form(f))
            .map(|(_, f)| format!("`{}`", f.name))
            .collect();
        let async_doc = if without_async.is_empty() {
            String::new()
        } else {
            format!(
                "Functions that pass or reach callbacks have no async form: {}.",
                without_async.join(", ")
            )
        };
        let isolated_methods = self.methods().map(|(i, f)| {
            let sig = self.safe_sig(f);
            let body = self.client_body(f, i as u32);
            quote!(#sig { #body })
        });
        // The free function of each opaque type, by wire index.
        let iso_free_arms = desc
            .types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Opaque { .. }))
            .enumerate()
            .map(|(i, t)| {
                let TypeKind::Opaque { free, .. } = &t.kind else {
                    unreachable!()
                };
                let idx = desc
                    .functions
                    .iter()
                    .position(|f| &f.name == free)
                    .unwrap_or(0) as u32;
                quote!(#i => #idx,)
            });
        quote! {
            struct __IsoInner {
                chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>,
                stored: ::ffi_desc::isolated::StoredCallbacks,
            }

            impl ::ffi_desc::rt::HandleOwner for __IsoInner {
                #[allow(unreachable_code)]
                fn release(&self, type_index: usize, raw: u64) {
                    // A handle of an earlier incarnation died with its domain.
                    if ::ffi_desc::isolated::handle_generation(raw) != self.chan.generation() {
                        return;
                    }
                    #[allow(unreachable_patterns)]
                    let free: u32 = match type_index { #(#iso_free_arms)* _ => return };
                    let mut req = ::ffi_desc::__private::Vec::new();
                    ::ffi_desc::wire::Wire::put(&raw, &mut req);
                    let mut reply = ::ffi_desc::__private::Vec::new();
                    // A failure here means the domain died; its objects died with it.
                    let _ = self.chan.call(free, &req, &mut reply, &mut |_, _, _| {
                        ::core::result::Result::Err(::ffi_desc::wire::WireError("no callbacks while freeing"))
                    });
                }
            }

            /// The Isolated linkage: the C library runs in a separate domain and
            /// every call crosses a [`Channel`](::ffi_desc::isolated::Channel) as
            /// a request. Nothing the domain sends is trusted: replies are decoded
            /// with bounds, enum values and lengths are checked, and handles are
            /// ids tagged with the domain's incarnation.
            #[derive(Clone)]
            pub struct #isolated_ident {
                inner: ::ffi_desc::__private::Arc<__IsoInner>,
            }

            impl ::core::fmt::Debug for #isolated_ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(stringify!(#isolated_ident)).field("generation", &self.inner.chan.generation()).finish()
                }
            }

            impl #isolated_ident {
                /// The linkage over a connected channel to a domain serving this description.
                pub fn with_channel(chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>) -> Self {
                    #isolated_ident {
                        inner: ::ffi_desc::__private::Arc::new(__IsoInner { chan, stored: ::core::default::Default::default() }),
                    }
                }

                /// The channel, for its transport-specific controls.
                pub fn channel(&self) -> &dyn ::ffi_desc::isolated::Channel {
                    &*self.inner.chan
                }
            }

            impl ::ffi_desc::isolated::IsolatedLinkage for #isolated_ident {
                const FINGERPRINT: [u8; 16] = FINGERPRINT;
                const ANY_THREAD_SAFE: bool = #any_thread_safe;
                fn from_channel(chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>) -> Self {
                    Self::with_channel(chan)
                }
            }

            ::ffi_desc::__if_std! {
            impl ::ffi_desc::Linkage for #isolated_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "isolated" }
            }
            }

            impl #trait_ident for #isolated_ident {
                #(#isolated_methods)*
            }

            ::ffi_desc::__if_std! {
            /// The async form of the Isolated linkage, over the same domain:
            /// each method returns a future, and the call runs on a thread of
            /// the transport (the process domain's caller threads), so an async
            /// runtime's threads never block while C runs. No runtime is
            /// needed: the future is woken by the thread that received the reply.
            ///
            /// Dropping a future before its call was sent cancels it: it is never
            /// sent. Dropping it later lets the call complete (or meet its
            /// deadline) in the domain, which is not killed; the reply is dropped
            /// undecoded, so a handle or owned string it returned is not freed
            /// until the incarnation ends.
            #[doc = #async_doc]
            #[derive(Clone)]
            pub struct #async_ident {
                inner: ::ffi_desc::__private::Arc<__IsoInner>,
            }

            impl ::core::fmt::Debug for #async_ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(stringify!(#async_ident)).field("generation", &self.inner.chan.generation()).finish()
                }
            }

            impl #isolated_ident {
                /// The async form of this linkage, over the same domain.
                pub fn to_async(&self) -> #async_ident {
                    #async_ident { inner: self.inner.clone() }
                }
            }

            impl #async_ident {
                /// The blocking form, over the same domain.
                pub fn to_sync(&self) -> #isolated_ident {
                    #isolated_ident { inner: self.inner.clone() }
                }

                /// The channel, for its transport-specific controls.
                pub fn channel(&self) -> &dyn ::ffi_desc::isolated::Channel {
                    &*self.inner.chan
                }

                #(#async_methods)*
            }
            }
        }
    }
}

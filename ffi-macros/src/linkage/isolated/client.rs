//! The Isolated client: the linkage type over a channel to a domain, the
//! owner that frees its handles in the domain, and the trait's methods, each
//! of which sends one request ([`super::client_call`]).

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
        let async_items = self.isolated_async_items();
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
            // A scoped handle is never owned, so never released.
            .filter(|(_, t)| !matches!(t.kind, TypeKind::Opaque { scoped: true, .. }))
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
                fn shared_space(&self) -> ::core::result::Result<::core::option::Option<::ffi_desc::__private::Arc<dyn ::ffi_desc::shared::SharedSpace>>, ::ffi_desc::shared::SharedBufError> { self.inner.chan.shared_space() }
                fn shared_out_space(&self) -> ::core::result::Result<::core::option::Option<::ffi_desc::__private::Arc<dyn ::ffi_desc::shared_out::OutSpace>>, ::ffi_desc::shared::SharedBufError> { self.inner.chan.shared_out_space() }
            }
            }

            impl #trait_ident for #isolated_ident {
                #(#isolated_methods)*
            }

            #async_items
        }
    }
}

//! The async form of the Isolated linkage: a type beside the linkage type,
//! over the same domain, whose methods are `async fn`s. Only functions
//! that pass and reach no callback have one: a callback runs on the calling
//! thread, while C waits, with what it borrows.

use super::client_call::Form;
use crate::gen::Gen;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    pub(crate) fn isolated_async_items(&self) -> TokenStream {
        let desc = self.desc;
        let isolated_ident = format_ident!("{}Isolated", desc.trait_name);
        let async_ident = format_ident!("{}Async", desc.trait_name);
        let async_methods = self
            .methods()
            .filter(|(_, f)| self.has_async_form(f))
            .map(|(i, f)| {
                let sig = self.safe_sig(f);
                let body = self.client_body_for(f, i as u32, Form::Async);
                let doc = format!(
                    "The async form of [`{trait_name}::{name}`]: the future's first poll \
                     sends the call (or hands it to a thread of the transport), and no poll \
                     blocks while C runs.",
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
        quote! {
            ::ffi_desc::__if_std! {
            /// The async form of the Isolated linkage, over the same domain:
            /// each method returns a future, and an async runtime's threads
            /// never block while C runs. The process domain sends a call from
            /// the polling thread when a lane is free, and takes a quick reply
            /// off the ring on the first poll; a slower reply is waited for by
            /// a thread of the transport, which wakes the future. No runtime is
            /// needed.
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

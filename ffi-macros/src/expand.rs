//! From a checked [`Model`] to Rust: the module that holds the description's
//! types, its IR and fingerprint, the safe trait, and the linkages that
//! implement it. Each part is generated where its concern lives: the types
//! in [`crate::types`], the signatures in [`crate::signature`], what each
//! parameter and result means in [`crate::meaning`] and [`crate::returns`],
//! callbacks in [`crate::callbacks`], and each linkage in [`crate::linkage`].

use crate::attrs::with_default_doc;
use crate::gen::{ident, Gen};
use crate::syntax::Model;
use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(m: &Model) -> TokenStream {
    let g = Gen { desc: &m.desc, m };
    let desc = &m.desc;
    let vis = &m.vis;
    let mod_ident = &m.mod_ident;
    let trait_ident = ident(&desc.trait_name);
    let trait_vis = &m.trait_vis;
    let passthrough = &m.passthrough;
    let types = g.types();
    let json = desc.to_canonical_json();
    let fp = desc.fingerprint();
    let trait_items = g.methods().map(|(i, f)| {
        let docs = with_default_doc(
            &m.fn_attrs[i],
            &format!("Calls the C function `{}`.", f.c_name),
        );
        let sig = g.safe_sig(f);
        quote!(#(#docs)* #sig;)
    });
    let mod_attrs = with_default_doc(
        &m.mod_attrs,
        &format!("The description of the C library `{}`.", desc.library),
    );
    let trait_attrs = with_default_doc(
        &m.trait_attrs,
        &format!("The functions of the C library `{}`.", desc.library),
    );
    let trampolines = g.trampolines();
    let linked = g.linked_items();
    let loaded = g.loaded_items();
    let wire_impls = g.wire_impls();
    let isolated_client = g.isolated_client_items();
    let server = g.server_items();

    quote! {
        #(#mod_attrs)*
        #vis mod #mod_ident {
            #![allow(non_camel_case_types, non_snake_case, dead_code, clippy::all, unused_imports)]
            #(#passthrough)*

            #types

            /// The description's IR as canonical JSON.
            pub const DESCRIPTION_JSON: &str = #json;
            /// The description's fingerprint (SHA-256 of the canonical JSON, first 16 bytes).
            pub const FINGERPRINT: [u8; 16] = [#(#fp),*];

            ::ffi_desc::__if_std! {
            /// The description's IR.
            pub fn description() -> &'static ::ffi_desc::ir::Description {
                static D: ::ffi_desc::__private::OnceLock<::ffi_desc::ir::Description> =
                    ::ffi_desc::__private::OnceLock::new();
                D.get_or_init(|| {
                    ::ffi_desc::__private::serde_json::from_str(DESCRIPTION_JSON)
                        .expect("the IR text was written by #[foreign] itself")
                })
            }
            }

            #(#trait_attrs)*
            #trait_vis trait #trait_ident {
                #(#trait_items)*
            }

            // Linked and Loaded call C in this process, which needs std.
            ::ffi_desc::__if_std! {
            #trampolines
            #linked
            #loaded
            }

            #wire_impls
            #isolated_client

            ::ffi_desc::__if_std! {
            #server
            }
        }
    }
}

//! The Linked linkage: direct calls to the symbols the linker resolved.

use super::native::Callee;
use crate::gen::{ident, Gen};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Callee {
    fn linked() -> Callee {
        Callee {
            fn_expr: Box::new(|c| {
                let c = ident(c);
                quote!(__linked_sys::#c)
            }),
            owner_id: quote!(&__LINKED_OWNER as *const __LinkedOwner as *const ()),
            owner_ref: quote!(::ffi_desc::rt::OwnerRef::Static(&__LINKED_OWNER)),
            store: quote!(::ffi_desc::rt::linked_callback_store()),
        }
    }
}

impl Gen<'_> {
    /// The `extern` block (the server inside a domain calls it too), the
    /// static owner of its handles, and the linkage type.
    pub(crate) fn linked_items(&self) -> TokenStream {
        let desc = self.desc;
        let trait_ident = ident(&desc.trait_name);
        let linked_ident = format_ident!("{}Linked", desc.trait_name);
        let decls = self.unique_c_fns().into_iter().map(|f| self.extern_decl(f));
        let link_attr = desc.link.then(|| {
            let lib = &desc.library;
            quote!(#[link(name = #lib)])
        });
        let linked_methods = self.native_methods(&Callee::linked());
        let linked_free = self.free_dispatch(|c| {
            let c = ident(c);
            quote!(__linked_sys::#c)
        });
        quote! {
            mod __linked_sys {
                use super::*;
                #link_attr
                extern "C" {
                    #(#decls)*
                }
            }

            struct __LinkedOwner(u8);
            static __LINKED_OWNER: __LinkedOwner = __LinkedOwner(0);
            impl ::ffi_desc::rt::HandleOwner for __LinkedOwner {
                fn release(&self, type_index: usize, raw: u64) {
                    #linked_free
                }
            }

            /// The Linked linkage: direct calls to symbols resolved at link time.
            #[derive(Clone, Copy, Debug, Default)]
            pub struct #linked_ident;

            impl #linked_ident {
                /// The linkage (it holds nothing: the symbols are linked in).
                pub const fn new() -> Self { #linked_ident }
            }

            impl ::ffi_desc::Linkage for #linked_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "linked" }
            }

            impl #trait_ident for #linked_ident {
                #(#linked_methods)*
            }
        }
    }
}

//! The Loaded linkage: the library is opened at run time and every
//! described symbol resolved at open, into a table of function pointers.

use super::native::Callee;
use crate::gen::{ident, Gen};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Callee {
    fn loaded() -> Callee {
        Callee {
            fn_expr: Box::new(|c| {
                let c = ident(c);
                quote!((self.fns.#c))
            }),
            owner_id: quote!(::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const ()),
            owner_ref: quote!(::ffi_desc::rt::OwnerRef::Shared(self.inner.clone())),
            store: quote!(self.inner.store),
        }
    }
}

impl Gen<'_> {
    /// The symbol table, the shared state that keeps the library loaded,
    /// the linkage type and its constructors.
    pub(crate) fn loaded_items(&self) -> TokenStream {
        let desc = self.desc;
        let trait_ident = ident(&desc.trait_name);
        let loaded_ident = format_ident!("{}Loaded", desc.trait_name);
        let loaded_methods = self.native_methods(&Callee::loaded());
        let unique = self.unique_c_fns();
        let fn_fields = unique.iter().map(|f| {
            let n = ident(&f.symbol());
            let t = self.raw_fn_ptr_ty(f);
            quote!(#n: #t)
        });
        let fn_inits = unique.iter().enumerate().map(|(i, f)| {
            let n = ident(&f.symbol());
            let t = self.raw_fn_ptr_ty(f);
            // SAFETY (generated) below: a non-null symbol address of the described type.
            quote! {
                // SAFETY: the symbol was resolved (non-null) from the library the
                // caller of `open` vouched for, and the description states its type.
                #n: unsafe { ::core::mem::transmute::<*mut ::ffi_desc::c::c_void, #t>(__syms[#i]) }
            }
        });
        let c_names: Vec<String> = unique.iter().map(|f| f.symbol()).collect();
        let loaded_free = self.free_dispatch(|c| {
            let c = ident(c);
            quote!((self.fns.#c))
        });
        let sonames = &desc.sonames;
        let library = &desc.library;
        quote! {
            #[derive(Clone, Copy)]
            struct __Fns { #(#fn_fields),* }

            struct __LoadedInner {
                fns: __Fns,
                store: ::ffi_desc::rt::CallbackStore,
                lib: ::ffi_desc::rt::LoadedLibrary,
            }

            impl ::ffi_desc::rt::HandleOwner for __LoadedInner {
                fn release(&self, type_index: usize, raw: u64) {
                    #loaded_free
                }
            }

            /// The Loaded linkage: the library is opened at run time and every
            /// described symbol is resolved when it is opened. The library stays
            /// loaded while this value, a clone of it, or anything obtained from
            /// it (a handle, a stored callback) lives.
            #[derive(Clone)]
            pub struct #loaded_ident {
                // A copy of the symbol table beside the Arc: a call loads its
                // function pointer straight from `self`.
                fns: __Fns,
                inner: ::ffi_desc::__private::Arc<__LoadedInner>,
            }

            impl ::core::fmt::Debug for #loaded_ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(stringify!(#loaded_ident)).field("library", &self.inner.lib.name()).finish()
                }
            }

            impl #loaded_ident {
                /// The C symbols resolved at open, in order.
                pub const SYMBOLS: &'static [&'static str] = &[#(#c_names),*];

                /// Opens the library at `path` (a path or a soname) and resolves every
                /// described symbol; a missing one fails with every missing name listed.
                ///
                /// # Safety
                /// Opening runs the library's initialisers, and the library's symbols
                /// are trusted to have the types the description gives them.
                pub unsafe fn open(path: impl AsRef<::ffi_desc::__private::OsStr>) -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    // SAFETY: forwarded to the caller.
                    let lib = unsafe { ::ffi_desc::rt::LoadedLibrary::open(path.as_ref()) }?;
                    Self::resolve(lib)
                }

                /// Opens the library by its usual sonames.
                ///
                /// # Safety
                /// As [`Self::open`].
                pub unsafe fn open_default() -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    // SAFETY: forwarded to the caller.
                    let lib = unsafe { ::ffi_desc::rt::LoadedLibrary::open_first(&[#(#sonames),*]) }
                        .map_err(|e| match e {
                            ::ffi_desc::Error::Open { reason, .. } => ::ffi_desc::Error::Open { library: #library.into(), reason },
                            other => other,
                        })?;
                    Self::resolve(lib)
                }

                fn resolve(lib: ::ffi_desc::rt::LoadedLibrary) -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    let __syms = lib.resolve(Self::SYMBOLS)?;
                    let fns = __Fns { #(#fn_inits),* };
                    ::core::result::Result::Ok(#loaded_ident {
                        fns,
                        inner: ::ffi_desc::__private::Arc::new(__LoadedInner {
                            fns,
                            store: ::core::default::Default::default(),
                            lib,
                        }),
                    })
                }
            }

            impl ::ffi_desc::Linkage for #loaded_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "loaded" }
            }

            impl #trait_ident for #loaded_ident {
                #(#loaded_methods)*
            }
        }
    }
}

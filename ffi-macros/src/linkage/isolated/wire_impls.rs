//! How the description's structs and unions travel on the Isolated wire:
//! a struct field by field, a union as its bytes.

use crate::gen::{ident, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    /// `Wire` impls for the description's structs and unions.
    pub(crate) fn wire_impls(&self) -> TokenStream {
        let mut out = Vec::new();
        for t in &self.desc.types {
            let name = ident(&t.name);
            match &t.kind {
                TypeKind::Struct { fields, layout } => {
                    let size = layout.size as usize;
                    let puts = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        quote!(::ffi_desc::wire::Wire::put(&self.#fname, out);)
                    });
                    let gets = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        quote!(#fname: ::ffi_desc::wire::Wire::get(r)?,)
                    });
                    out.push(quote! {
                        impl ::ffi_desc::wire::Wire for #name {
                            const SIZE: usize = #size;
                            #[inline]
                            fn put(&self, out: &mut ::ffi_desc::__private::Vec<u8>) { #(#puts)* }
                            #[inline]
                            fn get(r: &mut ::ffi_desc::wire::Reader<'_>) -> ::core::result::Result<Self, ::ffi_desc::wire::WireError> {
                                ::core::result::Result::Ok(#name { #(#gets)* })
                            }
                        }
                        impl ::core::default::Default for #name {
                            fn default() -> Self {
                                // SAFETY: a described struct holds only scalars, arrays,
                                // enum fields and other described structs and unions, all
                                // of which are valid when all-zero.
                                unsafe { ::core::mem::zeroed() }
                            }
                        }
                    });
                }
                TypeKind::Union { layout, .. } => {
                    let size = layout.size as usize;
                    out.push(quote! {
                        impl ::ffi_desc::wire::Wire for #name {
                            const SIZE: usize = #size;
                            #[inline]
                            fn put(&self, out: &mut ::ffi_desc::__private::Vec<u8>) {
                                // SAFETY: the union is `#[repr(C)]` and `Copy`, of `SIZE`
                                // bytes; a union travels as its bytes, as C copies it.
                                let bytes: [u8; #size] = unsafe { ::core::mem::transmute_copy(self) };
                                out.extend_from_slice(&bytes);
                            }
                            #[inline]
                            fn get(r: &mut ::ffi_desc::wire::Reader<'_>) -> ::core::result::Result<Self, ::ffi_desc::wire::WireError> {
                                let bytes: [u8; #size] = r.array()?;
                                // SAFETY: every field of a described union is valid for
                                // any bit pattern (scalars and arrays of them).
                                ::core::result::Result::Ok(unsafe { ::core::mem::transmute_copy(&bytes) })
                            }
                        }
                        impl ::core::default::Default for #name {
                            fn default() -> Self {
                                // SAFETY: as for `get`: any bit pattern is a valid value.
                                unsafe { ::core::mem::zeroed() }
                            }
                        }
                    });
                }
                _ => {}
            }
        }
        quote!(#(#out)*)
    }
}

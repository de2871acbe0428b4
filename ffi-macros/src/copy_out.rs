//! A `#[copy_out]` struct as Rust items: the owned struct of what is
//! copied, and the three ways it is read.
//!
//! - `__ffi_copy_out` (Linked, Loaded): reads the C struct at the described
//!   offsets, copies what its pointer fields point at, checks the tag and
//!   the text;
//! - `__ffi_put` (the server in the domain): the same reads, encoded raw,
//!   the union members the raw tag selects only;
//! - `__ffi_get` (the Isolated client): decodes that, bounded by the reply,
//!   and makes the same checks as `__ffi_copy_out`, so every linkage gives
//!   the same value or the same error. Wire errors are the outer `Result`,
//!   the description's own errors the inner one.

use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::quote;

/// One copied field and the struct it is in.
struct Fx<'a> {
    g: &'a Gen<'a>,
    ty_name: &'a str,
    fields: &'a [CopyField],
    f: &'a CopyField,
    /// The tag enum, when the struct has one.
    tag: Option<(&'a CopyField, &'a str)>,
}

impl Fx<'_> {
    fn name(&self) -> syn::Ident {
        ident(&self.f.name)
    }

    /// The Rust field type, without the `Option` of a union member.
    fn inner_ty(&self) -> TokenStream {
        match &self.f.kind {
            CopyKind::Value(v) => self.g.safe_value_ty(v),
            CopyKind::Tag(e) => {
                let e = ident(e);
                quote!(#e)
            }
            CopyKind::Str { .. } => quote!(::ffi_desc::__private::String),
            CopyKind::Bytes { .. } => quote!(::ffi_desc::__private::Vec<u8>),
            CopyKind::Length(s) => scalar_tokens(*s),
        }
    }

    /// Whether the tag in `tag_var` selects this field (`true` without `when`).
    fn selected(&self, tag_var: TokenStream, raw: bool) -> TokenStream {
        let Some((_, e)) = self.tag.filter(|_| !self.f.when.is_empty()) else {
            return quote!(true);
        };
        let def = self.g.desc.type_def(e);
        let pats = self.f.when.iter().map(|w| {
            if raw {
                let v = match def.map(|t| &t.kind) {
                    Some(TypeKind::Enum { variants, .. }) => variants
                        .iter()
                        .find(|v| v.name == *w)
                        .map_or(0, |v| v.value),
                    _ => 0,
                };
                let v = proc_macro2::Literal::i64_unsuffixed(v);
                quote!(#v)
            } else {
                let (e, w) = (ident(e), ident(w));
                quote!(#e::#w)
            }
        });
        quote!(matches!(#tag_var, #(#pats)|*))
    }

    /// The length field of a pointer field.
    fn length(&self) -> Option<&CopyField> {
        let len = match &self.f.kind {
            CopyKind::Str { len } => len.as_deref(),
            CopyKind::Bytes { len } => Some(len.as_str()),
            _ => None,
        }?;
        self.fields.iter().find(|f| f.name == len)
    }

    /// The raw length of a pointer field (`Option<T>`, `None` for a
    /// NUL-terminated one), read from the C struct at `__base`.
    fn raw_length(&self) -> TokenStream {
        match self.length() {
            Some(l) => {
                let (loff, lt) = (l.offset as usize, self.g.desc_scalar(l));
                quote!(::core::option::Option::Some(::ffi_desc::state::field::<#lt>(__base, #loff)))
            }
            None => quote!(::core::option::Option::<usize>::None),
        }
    }

    /// Linked, Loaded: the bytes a pointer field points at, its length
    /// checked first, as `Option<&[u8]>` (with `?` on the length).
    fn pointed(&self) -> TokenStream {
        let (off, field, raw) = (self.f.offset as usize, &self.f.name, self.raw_length());
        quote! {{
            let __p: *const u8 = ::ffi_desc::state::field(__base, #off);
            let __n = match #raw {
                ::core::option::Option::Some(__l) => ::core::option::Option::Some(::ffi_desc::state::length(__l, __function, #field)?),
                ::core::option::Option::None => ::core::option::Option::None,
            };
            ::ffi_desc::state::pointed(__p, __n)
        }}
    }

    /// Linked, Loaded: the field's value from the C struct at `__base`.
    fn native_read(&self) -> TokenStream {
        let (tyn, fname) = (self.ty_name, &self.f.name);
        let off = self.f.offset as usize;
        let read = match &self.f.kind {
            CopyKind::Value(v) => self.value_read(v, off),
            CopyKind::Tag(e) => self.value_read(&ValueType::Named(e.clone()), off),
            CopyKind::Str { .. } => {
                let p = self.pointed();
                quote!(::ffi_desc::state::text(#p, __function, #tyn, #fname)?)
            }
            CopyKind::Bytes { .. } => {
                let p = self.pointed();
                quote!(#p.map(|__b| __b.to_vec()))
            }
            CopyKind::Length(_) => return quote!(),
        };
        self.bind(read, quote!(__tag))
    }

    /// A value read at `off`: an enum checked into its variants.
    fn value_read(&self, v: &ValueType, off: usize) -> TokenStream {
        let t = self.g.raw_value_ty(v);
        let read = quote!(::ffi_desc::state::field::<#t>(__base, #off));
        match v {
            ValueType::Named(n) if self.g.is_enum(n) => {
                let n = ident(n);
                quote!(<#n as ::ffi_desc::CEnum>::checked(#read)?)
            }
            _ => read,
        }
    }

    /// `let name = read;`, in `Option` for a union member the tag in
    /// `tag_var` may not select. A pointer field is an `Option` already.
    fn bind(&self, read: TokenStream, tag_var: TokenStream) -> TokenStream {
        let n = self.name();
        if self.f.when.is_empty() {
            return quote!(let #n = #read;);
        }
        let sel = self.selected(tag_var, false);
        let pointer = matches!(self.f.kind, CopyKind::Str { .. } | CopyKind::Bytes { .. });
        let some = if pointer {
            read
        } else {
            quote!(::core::option::Option::Some(#read))
        };
        quote!(let #n = if #sel { #some } else { ::core::option::Option::None };)
    }

    /// The server: the field encoded raw from the C struct at `__base`.
    fn server_put(&self) -> TokenStream {
        let off = self.f.offset as usize;
        let put = match &self.f.kind {
            CopyKind::Value(v) => {
                let t = self.g.raw_value_ty(v);
                quote!(::ffi_desc::wire::Wire::put(&::ffi_desc::state::field::<#t>(__base, #off), __out);)
            }
            CopyKind::Tag(_) => return quote!(),
            CopyKind::Str { .. } | CopyKind::Bytes { .. } => {
                let raw = self.raw_length();
                quote! {
                    let __p: *const u8 = ::ffi_desc::state::field(__base, #off);
                    ::ffi_desc::state::put_pointed(__p, #raw, __out);
                }
            }
            CopyKind::Length(_) => return quote!(),
        };
        let sel = self.selected(quote!(__raw_tag), true);
        quote!(if #sel { #put })
    }

    /// The client: the field decoded from `r`, checked as natively.
    fn client_get(&self) -> TokenStream {
        let (tyn, fname) = (self.ty_name, &self.f.name);
        let read = match &self.f.kind {
            CopyKind::Value(v) => {
                let t = self.g.raw_value_ty(v);
                let get = quote!(<#t as ::ffi_desc::wire::Wire>::get(r)?);
                match v {
                    ValueType::Named(n) if self.g.is_enum(n) => {
                        let n = ident(n);
                        quote!(match <#n as ::ffi_desc::CEnum>::checked(#get) {
                            ::core::result::Result::Ok(__v) => __v,
                            ::core::result::Result::Err(__e) => return ::core::result::Result::Ok(::core::result::Result::Err(__e)),
                        })
                    }
                    _ => get,
                }
            }
            CopyKind::Tag(_) | CopyKind::Length(_) => return quote!(),
            CopyKind::Str { len } => {
                let nul = len.is_none();
                quote!(match ::ffi_desc::state::get_text(r, #nul, __function, #tyn, #fname)? {
                    ::core::result::Result::Ok(__v) => __v,
                    ::core::result::Result::Err(__e) => return ::core::result::Result::Ok(::core::result::Result::Err(__e)),
                })
            }
            CopyKind::Bytes { .. } => {
                quote!(match ::ffi_desc::state::get_bytes(r, __function, #fname)? {
                    ::core::result::Result::Ok(__v) => __v,
                    ::core::result::Result::Err(__e) => return ::core::result::Result::Ok(::core::result::Result::Err(__e)),
                })
            }
        };
        self.bind(read, quote!(__tag))
    }
}

impl Gen<'_> {
    /// The integer type of a length field.
    fn desc_scalar(&self, f: &CopyField) -> TokenStream {
        match &f.kind {
            CopyKind::Length(s) => scalar_tokens(*s),
            _ => quote!(usize),
        }
    }

    /// The Rust items of the `#[copy_out]` struct `t`.
    pub(crate) fn copy_out_type(
        &self,
        t: &TypeDef,
        attrs: &[TokenStream],
        layout: &Layout,
        fields: &[CopyField],
    ) -> TokenStream {
        let name = ident(&t.name);
        let tag = fields.iter().find_map(|f| match &f.kind {
            CopyKind::Tag(e) => Some((f, e.as_str())),
            _ => None,
        });
        let fx: Vec<Fx<'_>> = fields
            .iter()
            .map(|f| Fx {
                g: self,
                ty_name: &t.name,
                fields,
                f,
                tag,
            })
            .collect();
        let kept: Vec<&Fx<'_>> = fx
            .iter()
            .filter(|x| !matches!(x.f.kind, CopyKind::Length(_)))
            .collect();
        let decls = kept.iter().map(|x| {
            let (n, ty) = (x.name(), x.inner_ty());
            let ty = if x.f.is_optional() {
                quote!(::core::option::Option<#ty>)
            } else {
                ty
            };
            let doc = format!("C `{}`.", x.f.c_paths.join("` / `"));
            quote!(#[doc = #doc] pub #n: #ty)
        });
        let names: Vec<syn::Ident> = kept.iter().map(|x| x.name()).collect();
        let tag_read = tag.map(|(f, e)| {
            let (off, en) = (f.offset as usize, ident(e));
            let r = self.raw_value_ty(&ValueType::Named(e.to_string()));
            let n = ident(&f.name);
            quote! {
                let __raw_tag: #r = ::ffi_desc::state::field(__base, #off);
                let __tag = <#en as ::ffi_desc::CEnum>::checked(__raw_tag)?;
                let #n = __tag;
            }
        });
        let tag_put = tag.map(|(f, e)| {
            let off = f.offset as usize;
            let r = self.raw_value_ty(&ValueType::Named(e.to_string()));
            quote! {
                let __raw_tag: #r = ::ffi_desc::state::field(__base, #off);
                ::ffi_desc::wire::Wire::put(&__raw_tag, __out);
            }
        });
        let tag_get = tag.map(|(f, e)| {
            let en = ident(e);
            let r = self.raw_value_ty(&ValueType::Named(e.to_string()));
            let n = ident(&f.name);
            quote! {
                let __raw_tag: #r = ::ffi_desc::wire::Wire::get(r)?;
                let __tag = match <#en as ::ffi_desc::CEnum>::checked(__raw_tag) {
                    ::core::result::Result::Ok(__v) => __v,
                    ::core::result::Result::Err(__e) => return ::core::result::Result::Ok(::core::result::Result::Err(__e)),
                };
                let #n = __tag;
            }
        });
        let reads = fx.iter().map(Fx::native_read);
        let puts = fx.iter().map(Fx::server_put);
        let gets = fx.iter().map(Fx::client_get);
        let (size, align) = (layout.size as usize, layout.align as usize);
        let words = size.div_ceil(8);
        quote! {
            #(#attrs)*
            #[derive(Clone, Debug, PartialEq)]
            pub struct #name { #(#decls),* }

            #[allow(unused_variables, clippy::all)]
            impl #name {
                /// Bytes of the C struct.
                #[doc(hidden)]
                pub const __FFI_SIZE: usize = #size;
                /// Zeroed storage C writes the struct into.
                #[doc(hidden)]
                pub fn __ffi_scratch() -> ::ffi_desc::state::Scratch<#words> {
                    const _: () = assert!(#align <= 16, "a #[copy_out] struct aligned beyond 16");
                    ::ffi_desc::state::Scratch::zeroed()
                }

                /// Copies the C struct at `__base` (Linked, Loaded).
                ///
                /// # Safety
                /// `__base` points at a struct of the described C type, as C left it.
                #[doc(hidden)]
                pub unsafe fn __ffi_copy_out(__base: *const u8, __function: &'static str) -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    #tag_read
                    #(#reads)*
                    ::core::result::Result::Ok(#name { #(#names),* })
                }

                /// Encodes the C struct at `__base` raw (the server).
                ///
                /// # Safety
                /// As for `__ffi_copy_out`.
                #[doc(hidden)]
                pub unsafe fn __ffi_put(__base: *const u8, __out: &mut ::ffi_desc::__private::Vec<u8>) -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                    #tag_put
                    #(#puts)*
                    ::core::result::Result::Ok(())
                }

                /// Decodes what `__ffi_put` sent (the client).
                #[doc(hidden)]
                pub fn __ffi_get(r: &mut ::ffi_desc::wire::Reader<'_>, __function: &'static str) -> ::core::result::Result<::core::result::Result<Self, ::ffi_desc::Error>, ::ffi_desc::wire::WireError> {
                    #tag_get
                    #(#gets)*
                    ::core::result::Result::Ok(::core::result::Result::Ok(#name { #(#names),* }))
                }
            }
        }
    }
}

//! The description's named types as Rust items: `#[repr(C)]` structs and
//! unions whose layout is asserted against the description, enums with
//! their `CEnum` conversions, and opaque types as handles.

use crate::attrs::{filter_derives, with_default_doc};
use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    pub(crate) fn types(&self) -> TokenStream {
        let mut out = Vec::new();
        for (i, t) in self.desc.types.iter().enumerate() {
            let added: &[&str] = match t.kind {
                TypeKind::Enum { .. } => &["Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash"],
                TypeKind::CopyOut { .. } => &["Clone", "Debug", "PartialEq"],
                _ => &["Clone", "Copy", "Default"],
            };
            let mut attrs = filter_derives(&self.m.type_attrs[i], added);
            if !self.m.type_attrs[i]
                .iter()
                .any(|a| a.path().is_ident("doc"))
            {
                let doc = format!("The C type `{}`.", t.c_name);
                attrs.push(quote!(#[doc = #doc]));
            }
            out.push(match &t.kind {
                TypeKind::Struct { fields, layout } => {
                    self.record(t, &attrs, fields, layout, false)
                }
                TypeKind::Union { fields, layout } => self.record(t, &attrs, fields, layout, true),
                TypeKind::Enum { repr, variants } => enum_type(t, &attrs, *repr, variants),
                TypeKind::CopyOut { layout, fields, .. } => {
                    self.copy_out_type(t, &attrs, layout, fields)
                }
                TypeKind::Opaque { .. } => {
                    let name = ident(&t.name);
                    quote! {
                        #(#attrs)*
                        #[derive(Debug)]
                        pub struct #name {
                            core: ::ffi_desc::rt::HandleCore,
                        }
                    }
                }
            });
        }
        quote!(#(#out)*)
    }

    /// A struct or union, with the assertions that its layout is the described one.
    fn record(
        &self,
        t: &TypeDef,
        attrs: &[TokenStream],
        fields: &[Field],
        layout: &Layout,
        is_union: bool,
    ) -> TokenStream {
        let name = ident(&t.name);
        let fs = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = self.stored_ty(&f.ty);
            let fattrs = self
                .m
                .field_attrs
                .get(&(t.name.clone(), f.name.clone()))
                .cloned()
                .unwrap_or_default();
            let fattrs = with_default_doc(&fattrs, &format!("C field `{}`.", f.c_name));
            quote!(#(#fattrs)* pub #fname: #ty)
        });
        let kw = if is_union {
            quote!(union)
        } else {
            quote!(struct)
        };
        let size = layout.size as usize;
        let align = layout.align as usize;
        let offsets = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let off = f.offset as usize;
            let msg = format!(
                "layout of {}.{} differs from the description",
                t.name, f.name
            );
            quote!(assert!(::core::mem::offset_of!(#name, #fname) == #off, #msg);)
        });
        let msg = format!("layout of {} differs from the description", t.name);
        quote! {
            #(#attrs)*
            #[repr(C)]
            #[derive(Clone, Copy)]
            pub #kw #name { #(#fs),* }
            const _: () = {
                assert!(::core::mem::size_of::<#name>() == #size, #msg);
                assert!(::core::mem::align_of::<#name>() == #align, #msg);
                #(#offsets)*
            };
        }
    }
}

/// A C enum: a Rust enum of its named values, and their integers both ways.
fn enum_type(
    t: &TypeDef,
    attrs: &[TokenStream],
    repr: Scalar,
    variants: &[Variant],
) -> TokenStream {
    let name = ident(&t.name);
    let r = scalar_tokens(repr);
    let vs = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let doc = format!("C `{}` ({}).", v.c_name, v.value);
        quote!(#[doc = #doc] #vn)
    });
    let from = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = proc_macro2::Literal::i64_unsuffixed(v.value);
        quote!(#val => ::core::option::Option::Some(Self::#vn),)
    });
    let to = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = proc_macro2::Literal::i64_unsuffixed(v.value);
        quote!(Self::#vn => #val,)
    });
    let tname = &t.name;
    quote! {
        #(#attrs)*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum #name { #(#vs),* }
        impl ::ffi_desc::CEnum for #name {
            type Repr = #r;
            const NAME: &'static str = #tname;
            #[inline]
            fn from_raw(raw: #r) -> ::core::option::Option<Self> {
                #[allow(unreachable_patterns)]
                match raw { #(#from)* _ => ::core::option::Option::None }
            }
            #[inline]
            fn to_raw(self) -> #r { match self { #(#to)* } }
            #[inline]
            fn raw_as_i64(raw: #r) -> i64 { raw as i64 }
        }
    }
}

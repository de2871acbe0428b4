//! How the description's value types are spelled in Rust, in the three
//! places a value lives: in memory C may write, across the C ABI, and in a
//! safe signature.

use crate::gen::{ident, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn scalar_tokens(s: Scalar) -> TokenStream {
    match s {
        Scalar::I8 => quote!(i8),
        Scalar::I16 => quote!(i16),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::U8 => quote!(u8),
        Scalar::U16 => quote!(u16),
        Scalar::U32 => quote!(u32),
        Scalar::U64 => quote!(u64),
        Scalar::SizeT => quote!(usize),
        Scalar::SSizeT => quote!(isize),
        Scalar::Float => quote!(f32),
        Scalar::Double => quote!(f64),
        Scalar::Bool => quote!(bool),
        other => {
            let n = ident(other.rust_name());
            quote!(::ffi_desc::c::#n)
        }
    }
}

impl Gen<'_> {
    /// The type as stored in memory C may write (fields, pointees).
    pub(crate) fn stored_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Scalar(s) => scalar_tokens(*s),
            ValueType::Named(n) if self.is_enum(n) => {
                let n = ident(n);
                quote!(::ffi_desc::EnumField<#n>)
            }
            ValueType::Named(n) => {
                let n = ident(n);
                quote!(#n)
            }
            ValueType::Array { elem, len } => {
                let e = self.stored_ty(elem);
                let len = *len as usize;
                quote!([#e; #len])
            }
        }
    }

    /// The type as passed by value across the C ABI, and as a value travels
    /// on the Isolated wire (an enum as its integer).
    pub(crate) fn raw_value_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Named(n) if self.is_enum(n) => {
                scalar_tokens(self.enum_repr(n).unwrap_or(Scalar::Int))
            }
            other => self.stored_ty(other),
        }
    }

    /// The type as a safe method sees a value.
    pub(crate) fn safe_value_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Named(n) => {
                let n = ident(n);
                quote!(#n)
            }
            other => self.stored_ty(other),
        }
    }

    /// Bytes a value takes on the wire; 8 when its layout is unknown.
    pub(crate) fn wire_size(&self, ty: &ValueType) -> usize {
        self.desc.layout_of(ty).map_or(8, |l| l.size as usize)
    }
}

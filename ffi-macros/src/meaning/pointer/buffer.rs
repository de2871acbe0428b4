//! A slice whose length another parameter carries (`&[T]`, `&mut [T]`). An
//! out buffer's length is its capacity: the client sends only the count, the
//! server allocates that many elements (bounded) and sends back as many as C
//! reported writing, or all of them when the length is not written back.

use super::super::length::is_written_back;
use super::super::{arg_of, ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

pub(in crate::meaning) struct Buffer<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) dir: Direction,
    pub(super) elem: &'a ValueType,
    /// The length parameter, by name.
    pub(super) len: &'a str,
}

/// The client's count of elements the reply carried for buffer `name`.
pub(in crate::meaning) fn client_count(name: &str) -> Ident {
    format_ident!("__count_{}", name)
}

/// The server's vector holding buffer `name`.
pub(in crate::meaning) fn server_vec(name: &str) -> Ident {
    format_ident!("__v_{}", name)
}

impl Meaning for Buffer<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        super::raw_ty(self.cx.g, self.dir, self.elem)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        let e = self.cx.g.stored_ty(self.elem);
        Some(super::borrowed(self.dir, quote!([#e])))
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        out.prepare.push(if self.dir == Direction::In {
            quote!(let #var = #pn.as_ptr();)
        } else {
            quote!(let #var = #pn.as_mut_ptr();)
        });
    }

    fn client(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        match self.dir {
            Direction::In => {
                out.encode
                    .push(quote!(::ffi_desc::wire::put_slice(#pn, &mut __req);));
                return;
            }
            Direction::InOut => out
                .encode
                .push(quote!(::ffi_desc::wire::put_slice(&*#pn, &mut __req);)),
            Direction::Out => out
                .encode
                .push(quote!(::ffi_desc::wire::Wire::put(&(#pn.len() as u64), &mut __req);)),
        }
        let count = client_count(&self.cx.p.name);
        out.decode.push(quote! {
            let #count = ::ffi_desc::wire::get_into(&mut __r, &mut #pn[..]).map_err(__protocol)?;
        });
        // A written-back length is checked against the count instead.
        if !is_written_back(self.cx.f, self.len) {
            out.decode.push(quote! {
                if #count != #pn.len() {
                    return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("short buffer in reply")));
                }
            });
        }
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, v) = (self.cx.arg(), server_vec(&self.cx.p.name));
        let e = self.cx.g.stored_ty(self.elem);
        match self.dir {
            Direction::In => {
                out.decode.push(quote! {
                    let #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::wire::get_vec(&mut __r)?;
                    let #var = #v.as_ptr();
                });
                return;
            }
            Direction::InOut => out.decode.push(
                quote!(let mut #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::wire::get_vec(&mut __r)?;),
            ),
            Direction::Out => out.decode.push(quote! {
                let __cap = __r.capacity(::ffi_desc::isolated::MAX_BUFFER_ELEMENTS)?;
                let mut #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::__private::vec![::core::default::Default::default(); __cap];
            }),
        }
        out.decode.push(quote!(let #var = #v.as_mut_ptr();));
        if is_written_back(self.cx.f, self.len) {
            let lv = arg_of(self.len);
            out.write_back.push(quote! {
                let __n = usize::try_from(#lv).unwrap_or(usize::MAX).min(#v.len());
                ::ffi_desc::wire::put_slice(&#v[..__n], __out);
            });
        } else {
            out.write_back
                .push(quote!(::ffi_desc::wire::put_slice(&#v, __out);));
        }
    }
}

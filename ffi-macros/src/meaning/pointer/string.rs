//! A NUL-terminated string C reads. The caller's string is checked for an
//! interior NUL and terminated; the server receives it as a `CString`.
//! `Option<CStr>` takes `Option<&CStr>`, already terminated, and passes
//! NULL for `None`; it travels with a tag byte.

use super::super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

pub(in crate::meaning) struct NulTerminated<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) dir: Direction,
    pub(super) elem: &'a ValueType,
    pub(super) nullable: bool,
}

/// The caller's string parameter `name`, NUL-terminated and checked
/// (Linked, Loaded, the Isolated client; not for `Option<CStr>`).
pub(in crate::meaning) fn holder(name: &str) -> Ident {
    format_ident!("__str_{}", name)
}

impl NulTerminated<'_> {
    /// `__str_<name>`: the caller's string, NUL-terminated, checked.
    fn terminated(&self) -> (Ident, TokenStream) {
        let (pn, holder) = (self.cx.name(), holder(&self.cx.p.name));
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        let make = quote!(let #holder = ::ffi_desc::CStrArg::to_c_str(#pn, #fname, #pname)?;);
        (holder, make)
    }
}

impl Meaning for NulTerminated<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        super::raw_ty(self.cx.g, self.dir, self.elem)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(if self.nullable {
            quote!(::core::option::Option<&::core::ffi::CStr>)
        } else {
            quote!(&(impl ::ffi_desc::CStrArg + ?Sized))
        })
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        if self.nullable {
            out.prepare.push(quote! {
                let #var = #pn.map_or(::core::ptr::null(), ::core::ffi::CStr::as_ptr);
            });
            return;
        }
        let (holder, make) = self.terminated();
        out.prepare.push(quote! {
            #make
            let #var = #holder.as_ptr();
        });
    }

    fn client(&self, out: &mut ClientPieces) {
        if self.nullable {
            let pn = self.cx.name();
            out.encode
                .push(quote!(::ffi_desc::wire::put_opt_str(#pn, &mut __req);));
            return;
        }
        let (holder, make) = self.terminated();
        out.encode.push(quote! {
            #make
            ::ffi_desc::wire::put_str(&#holder, &mut __req);
        });
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, v) = (self.cx.arg(), self.cx.local("__v_"));
        out.decode.push(if self.nullable {
            quote! {
                let #v = ::ffi_desc::wire::get_opt_cstring(&mut __r)?;
                let #var = #v.as_deref().map_or(::core::ptr::null(), ::core::ffi::CStr::as_ptr);
            }
        } else {
            quote! {
                let #v = ::ffi_desc::wire::get_cstring(&mut __r)?;
                let #var = #v.as_ptr();
            }
        });
    }
}

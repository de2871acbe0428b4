//! An array of strings the function reads: `&[&CStr]` (or
//! `&[Option<&CStr>]`) in the safe method, the array of their pointers for
//! C, NULL-terminated or counted by a length parameter that this meaning
//! fills in (the parser gives that length to this array alone, so the
//! length meaning has no buffer to take it from). In the Isolated linkage
//! the strings travel by value (`isolated::put_strings`) and the server
//! makes the array in its own memory.

use super::{arg_of, ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Strings<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) extent: &'a Extent,
    pub(super) nullable: bool,
}

impl Strings<'_> {
    /// The counting parameter and its integer type, for a counted array.
    fn count(&self) -> Option<(&str, TokenStream)> {
        let Extent::Param(n) = self.extent else {
            return None;
        };
        self.cx.f.params.iter().find_map(|q| match &q.kind {
            ParamKind::Length { ty, .. } if q.name == *n => Some((n.as_str(), scalar_tokens(*ty))),
            _ => None,
        })
    }

    /// The strings as `Option<&CStr>`s.
    fn options(&self) -> TokenStream {
        let pn = self.cx.name();
        if self.nullable {
            quote!(#pn.iter().copied())
        } else {
            quote!(#pn.iter().map(|s| ::core::option::Option::Some(*s)))
        }
    }

    /// The count converted to its C type, as the caller's side checks it.
    fn caller_count(&self) -> Option<TokenStream> {
        let (n, t) = self.count()?;
        let (pn, var) = (self.cx.name(), arg_of(n));
        let fname = &self.cx.f.name;
        Some(quote!(let #var: #t = ::ffi_desc::rt::len_to(#pn.len(), #fname, #n)?;))
    }
}

impl Meaning for Strings<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*const *const ::ffi_desc::c::c_char)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(if self.nullable {
            quote!(&[::core::option::Option<&::core::ffi::CStr>])
        } else {
            quote!(&[&::core::ffi::CStr])
        })
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        out.lengths.extend(self.caller_count());
        let (var, ptrs) = (self.cx.arg(), self.cx.local("__ptrs_"));
        let (opts, nul) = (self.options(), matches!(self.extent, Extent::NulTerminated));
        out.prepare.push(quote! {
            let #ptrs = ::ffi_desc::rt::string_pointers(#opts, #nul);
            let #var = #ptrs.as_ptr();
        });
    }

    fn client(&self, out: &mut ClientPieces) {
        if let Some(check) = self.caller_count() {
            out.lengths.push(quote!(#[allow(unused_variables)] #check));
        }
        let opts = self.options();
        out.encode
            .push(quote!(::ffi_desc::isolated::put_strings(#opts, &mut __req);));
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, strs, ptrs) = (
            self.cx.arg(),
            self.cx.local("__strs_"),
            self.cx.local("__ptrs_"),
        );
        let nul = matches!(self.extent, Extent::NulTerminated);
        let refuse_null = (!self.nullable).then(|| {
            quote! {
                if #strs.strings().is_none() {
                    return ::core::result::Result::Err(::ffi_desc::wire::WireError("NULL in an array of strings that allows none"));
                }
            }
        });
        out.decode.push(quote! {
            let #strs = ::ffi_desc::isolated::WireStrings::get(&mut __r)?;
            #refuse_null
            let #ptrs = #strs.pointers(#nul);
            let #var = #ptrs.as_ptr();
        });
        if let Some((n, t)) = self.count() {
            let nv = arg_of(n);
            out.late.push(quote! {
                let #nv: #t = <#t>::try_from(#strs.len()).map_err(|_| ::ffi_desc::wire::WireError("length does not fit"))?;
            });
        }
    }
}

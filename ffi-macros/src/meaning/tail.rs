//! `Out<Tail<p>>`: C writes a `const char *` pointing into the input `p`
//! (`sqlite3_prepare_v2`'s `pzTail`), and the caller gets the offset into
//! `p`, checked to lie within it (its terminating NUL counts as its end).
//! The server computes the offset against its own copy of `p`; the client
//! checks it again against what it sent, since the domain may lie.

use super::pointer::{buffer, string};
use super::{arg_of, ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) struct Tail<'a> {
    pub(super) cx: Cx<'a>,
    /// The input it points into: a string or a byte slice, never NULL.
    pub(super) of: &'a Param,
    pub(super) nullable: bool,
}

impl Tail<'_> {
    fn points_into_string(&self) -> bool {
        matches!(
            self.of.kind,
            ParamKind::Pointer {
                extent: Extent::NulTerminated,
                ..
            }
        )
    }

    /// The input's length in bytes, on the caller's side.
    fn caller_len(&self) -> TokenStream {
        if self.points_into_string() {
            let holder = string::holder(&self.of.name);
            quote!(#holder.to_bytes().len())
        } else {
            let pn = format_ident!("{}", self.of.name);
            quote!(#pn.len())
        }
    }

    /// The offset as a part of the result: as it is in `Option`, or checked.
    fn out(&self) -> TokenStream {
        let slot = self.cx.local("__slot_");
        if self.nullable {
            return quote!(#slot);
        }
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        quote! {
            match #slot {
                ::core::option::Option::Some(__v) => __v,
                ::core::option::Option::None => return ::core::result::Result::Err(
                    ::ffi_desc::Error::NullOut { function: #fname, param: #pname }),
            }
        }
    }

    /// The slot C writes, NULL until then, and the C argument pointing at it.
    fn slot(&self) -> TokenStream {
        let (slot, var) = (self.cx.local("__slot_"), self.cx.arg());
        quote! {
            let mut #slot: *const ::ffi_desc::c::c_char = ::core::ptr::null();
            let #var = &mut #slot as *mut *const ::ffi_desc::c::c_char;
        }
    }
}

impl Meaning for Tail<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*mut *const ::ffi_desc::c::c_char)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(if self.nullable {
            quote!(::core::option::Option<usize>)
        } else {
            quote!(usize)
        })
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        out.prepare.push(self.slot());
        let (slot, base, len) = (
            self.cx.local("__slot_"),
            arg_of(&self.of.name),
            self.caller_len(),
        );
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        out.write_back.push(quote! {
            let #slot = if #slot.is_null() {
                ::core::option::Option::None
            } else {
                // Addresses compared, never dereferenced.
                let (__at, __base, __len) = (#slot as usize, #base as usize, #len);
                match __at.checked_sub(__base) {
                    ::core::option::Option::Some(__off) if __off <= __len => ::core::option::Option::Some(__off),
                    __off => return ::core::result::Result::Err(::ffi_desc::Error::LengthOutOfRange {
                        function: #fname,
                        param: #pname,
                        returned: __off.map_or(u64::MAX, |o| o as u64),
                        capacity: __len,
                    }),
                }
            };
        });
        out.outs.push(self.out());
    }

    fn request_size(&self) -> usize {
        0
    }

    fn client(&self, out: &mut ClientPieces) {
        let (slot, len) = (self.cx.local("__slot_"), self.caller_len());
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        // Beyond the input is the error Linked reports for a lying C: the
        // client cannot tell a lying domain from the C inside it.
        out.decode.push(quote! {
            let #slot: ::core::option::Option<usize> = match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r).map_err(__protocol)? {
                0 => ::core::option::Option::None,
                1 => {
                    let __off: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                    let __len = #len;
                    match usize::try_from(__off) {
                        ::core::result::Result::Ok(__off) if __off <= __len => ::core::option::Option::Some(__off),
                        _ => return ::core::result::Result::Err(::ffi_desc::Error::LengthOutOfRange {
                            function: #fname,
                            param: #pname,
                            returned: __off,
                            capacity: __len,
                        }),
                    }
                }
                _ => return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("bad tail tag"))),
            };
        });
        out.outs.push(self.out());
    }

    fn server(&self, out: &mut ServerPieces) {
        out.decode.push(self.slot());
        let slot = self.cx.local("__slot_");
        let v = buffer::server_vec(&self.of.name);
        // The offset as C made it (u64::MAX below the input), checked by
        // the client.
        out.write_back.push(quote! {
            if #slot.is_null() {
                __out.push(0);
            } else {
                let __off = (#slot as usize).checked_sub(#v.as_ptr() as usize).map_or(u64::MAX, |o| o as u64);
                __out.push(1);
                ::ffi_desc::wire::Wire::put(&__off, __out);
            }
        });
    }
}

//! A slice whose length another parameter carries (`&[T]`, `&mut [T]`). An
//! out buffer's length is its capacity: the client sends only the count, the
//! server allocates that many elements (bounded) and sends back as many as C
//! reported writing, or all of them when the length is not written back.
//!
//! `Option<..>` of a buffer passes NULL for `None`, and its length counts 0.
//! It travels with a tag byte before the buffer (or its capacity), and again
//! before what C wrote into it, which the client checks against its own.

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
    pub(super) nullable: bool,
    /// `kept = h`: C keeps the pointer while the state `h` lives.
    pub(super) kept: Option<&'a str>,
}

/// The client's count of elements the reply carried for buffer `name`.
pub(in crate::meaning) fn client_count(name: &str) -> Ident {
    format_ident!("__count_{}", name)
}

/// The server's vector holding buffer `name` (empty for NULL).
pub(in crate::meaning) fn server_vec(name: &str) -> Ident {
    format_ident!("__v_{}", name)
}

/// The client's index, among the call's segments, of buffer `name` when it
/// travels as one.
fn client_segment(name: &str) -> Ident {
    format_ident!("__seg_{}", name)
}

/// Whether C writes the buffer parameter `p` and the caller passes it as
/// any [`ffi_desc::out::OutBuf`] (a slice, or a `SharedOut` C reads and
/// fills in place): an `Out` or `InOut` slice that may travel as a segment.
fn takes_out_buf(dir: Direction, elem: &ValueType, nullable: bool, kept: Option<&str>) -> bool {
    dir != Direction::In && segment_eligible(elem, nullable, kept)
}

/// Whether a buffer may travel as a segment (`ffi_desc::bulk`): a slice of
/// plain scalars the caller lends for the call only.
fn segment_eligible(elem: &ValueType, nullable: bool, kept: Option<&str>) -> bool {
    kept.is_none() && !nullable && matches!(elem, ValueType::Scalar(s) if *s != Scalar::Bool)
}

/// The caller's length of the buffer parameter `p`: 0 for `None`.
pub(in crate::meaning) fn caller_len(p: &Param) -> TokenStream {
    let pn = format_ident!("{}", p.name);
    match &p.kind {
        ParamKind::Pointer { nullable: true, .. } => {
            quote!(#pn.as_ref().map_or(0, |__s| __s.len()))
        }
        ParamKind::Pointer {
            dir,
            elem,
            nullable,
            kept,
            ..
        } if takes_out_buf(*dir, elem, *nullable, kept.as_deref()) => {
            quote!(::ffi_desc::out::OutBuf::out_len(&*#pn))
        }
        _ => quote!(#pn.len()),
    }
}

/// The tag byte of a buffer that may be NULL, read by the client: whether it
/// must say the buffer is there.
fn client_tag(present: bool) -> TokenStream {
    let want = u8::from(present);
    quote! {
        if <u8 as ::ffi_desc::wire::Wire>::get(&mut __r).map_err(__protocol)? != #want {
            return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("buffer tag differs from the request")));
        }
    }
}

impl Buffer<'_> {
    /// Whether the buffer may travel as a segment (`ffi_desc::bulk`): a
    /// slice of plain scalars the caller lends for the call only.
    fn segment_eligible(&self) -> bool {
        segment_eligible(self.elem, self.nullable, self.kept)
    }

    /// Whether the caller passes it as any `OutBuf` (see `takes_out_buf`).
    fn out_buf(&self) -> bool {
        takes_out_buf(self.dir, self.elem, self.nullable, self.kept)
    }

    /// The direction of its segment.
    fn segment_dir(&self) -> TokenStream {
        match self.dir {
            Direction::In => quote!(::ffi_desc::bulk::SegmentDir::In),
            Direction::Out => quote!(::ffi_desc::bulk::SegmentDir::Out),
            Direction::InOut => quote!(::ffi_desc::bulk::SegmentDir::InOut),
        }
    }

    /// The client's request for a buffer that may travel as a segment: as
    /// one when the channel passes segments and it is at least the
    /// channel's threshold, else inline (`inline`).
    fn client_encode_segment(&self, inline: TokenStream) -> TokenStream {
        let (pn, seg) = (self.cx.name(), client_segment(&self.cx.p.name));
        let lend = match self.dir {
            Direction::In => quote!(::ffi_desc::bulk::Segment::input(#pn)),
            Direction::Out => quote!(::ffi_desc::out::OutBuf::out_segment(&mut *#pn)),
            Direction::InOut if self.out_buf() => {
                quote!(::ffi_desc::out::OutBuf::in_out_segment(&mut *#pn))
            }
            Direction::InOut => quote!(::ffi_desc::bulk::Segment::in_out(&mut *#pn)),
        };
        let (goes, len) = if self.out_buf() {
            (
                quote!(::ffi_desc::out::OutBuf::out_as_segment(&*#pn, __t)),
                quote!(::ffi_desc::out::OutBuf::out_len(&*#pn)),
            )
        } else {
            (
                quote!(::core::mem::size_of_val(&*#pn) >= __t),
                quote!(#pn.len()),
            )
        };
        quote! {
            let #seg: ::core::option::Option<usize> = if __bulk_threshold.is_some_and(|__t| #goes) {
                ::ffi_desc::bulk::put_marker(#len, &mut __req);
                __segs.push(#lend);
                ::core::option::Option::Some(__segs.len() - 1)
            } else {
                #inline
                ::core::option::Option::None
            };
        }
    }

    /// The client's request for a buffer that may be NULL.
    fn client_encode_nullable(&self) -> TokenStream {
        let pn = self.cx.name();
        let put = match self.dir {
            Direction::In => quote!(::ffi_desc::wire::put_slice(*__s, &mut __req);),
            Direction::InOut => quote!(::ffi_desc::wire::put_slice(&**__s, &mut __req);),
            Direction::Out => {
                quote!(::ffi_desc::wire::Wire::put(&(__s.len() as u64), &mut __req);)
            }
        };
        quote! {
            match &#pn {
                ::core::option::Option::Some(__s) => { __req.push(1); #put }
                ::core::option::Option::None => __req.push(0),
            }
        }
    }

    /// The client's reading of what C wrote into the buffer.
    fn client_decode(&self) -> TokenStream {
        let pn = self.cx.name();
        let count = client_count(&self.cx.p.name);
        let (len, get_into) = if self.out_buf() {
            (
                quote!(::ffi_desc::out::OutBuf::out_len(&*__s)),
                quote!(::ffi_desc::out::OutBuf::out_get_into(&mut *__s, &mut __r)),
            )
        } else {
            (
                quote!(__s.len()),
                quote!(::ffi_desc::wire::get_into(&mut __r, &mut __s[..])),
            )
        };
        // A written-back length is checked against the count instead.
        let short = (!is_written_back(self.cx.f, self.len)).then(|| {
            quote! {
                if __n != #len {
                    return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("short buffer in reply")));
                }
            }
        });
        let read = quote! {
            let __n = #get_into.map_err(__protocol)?;
            #short
            __n
        };
        if self.segment_eligible() {
            let seg = client_segment(&self.cx.p.name);
            let e = self.cx.g.stored_ty(self.elem);
            return quote! {
                let #count = match #seg {
                    ::core::option::Option::Some(__k) => {
                        let __s = #pn;
                        let __n = ::ffi_desc::bulk::written_elements::<#e>(__written[__k], #len).map_err(__protocol)?;
                        #short
                        __n
                    }
                    ::core::option::Option::None => { let __s = #pn; #read }
                };
            };
        }
        if !self.nullable {
            return quote!(let #count = { let __s = #pn; #read };);
        }
        let (some, none) = (client_tag(true), client_tag(false));
        quote! {
            let #count = match #pn {
                ::core::option::Option::Some(__s) => { #some #read }
                ::core::option::Option::None => { #none 0 }
            };
        }
    }

    /// The server's decoding into `__v_<name>`, and the C argument.
    fn server_decode(&self) -> TokenStream {
        let (var, v) = (self.cx.arg(), server_vec(&self.cx.p.name));
        let e = self.cx.g.stored_ty(self.elem);
        let present = self.cx.local("__some_");
        let read = match self.dir {
            Direction::In | Direction::InOut => quote!(::ffi_desc::wire::get_vec(&mut __r)?),
            Direction::Out => quote! {{
                let __cap = __r.capacity(::ffi_desc::isolated::MAX_BUFFER_ELEMENTS)?;
                ::ffi_desc::__private::vec![::core::default::Default::default(); __cap]
            }},
        };
        let (m, ptr, null) = match self.dir {
            Direction::In => (quote!(), quote!(as_ptr), quote!(null)),
            _ => (quote!(mut), quote!(as_mut_ptr), quote!(null_mut)),
        };
        if self.segment_eligible() {
            let dir = self.segment_dir();
            return quote! {
                let mut #v = ::ffi_desc::bulk::ServerBuf::<#e>::decode(__ctx, &mut __r, #dir, ::ffi_desc::isolated::MAX_BUFFER_ELEMENTS)?;
                let #var = #v.#ptr();
            };
        }
        if !self.nullable {
            return quote! {
                let #m #v: ::ffi_desc::__private::Vec<#e> = #read;
                let #var = #v.#ptr();
            };
        }
        quote! {
            let #present = match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r)? {
                0 => false,
                1 => true,
                _ => return ::core::result::Result::Err(::ffi_desc::wire::WireError("bad buffer tag")),
            };
            let #m #v: ::ffi_desc::__private::Vec<#e> = if #present { #read } else { ::ffi_desc::__private::Vec::new() };
            let #var = if #present { #v.#ptr() } else { ::core::ptr::#null() };
        }
    }
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
        if self.out_buf() {
            return Some(quote!(&mut (impl ::ffi_desc::out::OutBuf<#e> + ?::core::marker::Sized)));
        }
        let slice = super::borrowed(self.dir, quote!([#e]));
        Some(if self.nullable {
            quote!(::core::option::Option<#slice>)
        } else {
            slice
        })
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        if let Some(h) = self.kept {
            // A copy the state keeps: the caller's slice may go.
            let k = self.cx.local("__kept_");
            out.prepare.push(quote! {
                let #k: ::ffi_desc::__private::Box<[u8]> = ::ffi_desc::__private::Box::from(&#pn[..]);
                let #var = #k.as_ptr();
            });
            out.after_call
                .push(keep_with(self.cx.g, self.cx.f, h, quote!(#k)));
            return;
        }
        let (ptr, null) = if self.dir == Direction::In {
            (quote!(as_ptr), quote!(null))
        } else {
            (quote!(as_mut_ptr), quote!(null_mut))
        };
        if self.out_buf() {
            out.prepare
                .push(quote!(let #var = ::ffi_desc::out::OutBuf::out_ptr(&mut *#pn);));
            return;
        }
        out.prepare.push(if self.nullable {
            quote! {
                let #var = match #pn {
                    ::core::option::Option::Some(__s) => __s.#ptr(),
                    ::core::option::Option::None => ::core::ptr::#null(),
                };
            }
        } else {
            quote!(let #var = #pn.#ptr();)
        });
    }

    fn client(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        if self.nullable {
            out.encode.push(self.client_encode_nullable());
        } else {
            let inline = match self.dir {
                Direction::In => quote!(::ffi_desc::wire::put_slice(#pn, &mut __req);),
                Direction::InOut if self.out_buf() => {
                    quote!(::ffi_desc::out::OutBuf::put_contents(&*#pn, &mut __req);)
                }
                Direction::InOut => quote!(::ffi_desc::wire::put_slice(&*#pn, &mut __req);),
                Direction::Out if self.out_buf() => {
                    quote!(::ffi_desc::wire::Wire::put(&(::ffi_desc::out::OutBuf::out_len(&*#pn) as u64), &mut __req);)
                }
                Direction::Out => {
                    quote!(::ffi_desc::wire::Wire::put(&(#pn.len() as u64), &mut __req);)
                }
            };
            out.encode.push(if self.segment_eligible() {
                out.bulk = true;
                self.client_encode_segment(inline)
            } else {
                inline
            });
        }
        if self.dir != Direction::In {
            out.decode.push(self.client_decode());
        }
    }

    fn server(&self, out: &mut ServerPieces) {
        if let Some(h) = self.kept {
            // Boxed before C sees it: the bytes never move again.
            let (var, v) = (self.cx.arg(), server_vec(&self.cx.p.name));
            out.decode.push(quote! {
                let #v: ::ffi_desc::__private::Box<[u8]> = ::ffi_desc::wire::get_vec::<u8>(&mut __r)?.into_boxed_slice();
                let #var = #v.as_ptr();
            });
            out.write_back
                .push(keep_with(self.cx.g, self.cx.f, h, quote!(#v)));
            return;
        }
        out.decode.push(self.server_decode());
        if self.dir == Direction::In {
            return;
        }
        let v = server_vec(&self.cx.p.name);
        let put = if self.segment_eligible() {
            let n = if is_written_back(self.cx.f, self.len) {
                let lv = arg_of(self.len);
                quote!(usize::try_from(#lv).unwrap_or(usize::MAX))
            } else {
                quote!(#v.len())
            };
            quote!(#v.put_written(__ctx, #n, __out)?;)
        } else if is_written_back(self.cx.f, self.len) {
            let lv = arg_of(self.len);
            quote! {
                let __n = usize::try_from(#lv).unwrap_or(usize::MAX).min(#v.len());
                ::ffi_desc::wire::put_slice(&#v[..__n], __out);
            }
        } else {
            quote!(::ffi_desc::wire::put_slice(&#v, __out);)
        };
        out.write_back.push(if self.nullable {
            let present = self.cx.local("__some_");
            quote! {
                if #present { __out.push(1); #put } else { __out.push(0); }
            }
        } else {
            put
        });
    }
}

/// Keeps `bytes` (a `Box<[u8]>` C points into) with the state parameter `h`
/// of `f`, once C has been called.
fn keep_with(g: &crate::gen::Gen<'_>, f: &Function, h: &str, bytes: TokenStream) -> TokenStream {
    let state = f.params.iter().find_map(|q| match &q.kind {
        ParamKind::Handle { ty, .. } if q.name == h => g.desc.storage_of(ty),
        _ => None,
    });
    let Some(Layout { size, align }) = state else {
        return quote!();
    };
    let (size, align, hv) = (size as usize, align as usize, arg_of(h));
    // SAFETY (generated): `h` is a live state of this linkage (its handle was
    // checked), allocated with this layout.
    quote!(unsafe { ::ffi_desc::state::keep(#hv as *mut ::ffi_desc::c::c_void, #size, #align, #bytes) };)
}

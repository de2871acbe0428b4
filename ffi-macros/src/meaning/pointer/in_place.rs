//! One object, or a fixed-size array, that the caller lends (`&T`,
//! `&mut [T; N]`): C reads it, writes it, or both, in place. Across the
//! wire the object travels in whichever directions C uses it.

use super::super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct InPlace<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) dir: Direction,
    pub(super) elem: &'a ValueType,
    /// `None` for one object, else the array's length. (One object written
    /// only is an out value, never this.)
    pub(super) count: Option<usize>,
}

impl InPlace<'_> {
    /// The pointee as stored: the object or the array.
    fn pointee(&self) -> TokenStream {
        let e = self.cx.g.stored_ty(self.elem);
        match self.count {
            None => quote!(#e),
            Some(n) => quote!([#e; #n]),
        }
    }
}

impl Meaning for InPlace<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        super::raw_ty(self.cx.g, self.dir, self.elem)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(super::borrowed(self.dir, self.pointee()))
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        out.prepare.push(match (self.count, self.dir) {
            (None, Direction::In) => quote!(let #var = #pn as *const _;),
            (None, _) => quote!(let #var = #pn as *mut _;),
            (Some(_), Direction::In) => quote!(let #var = #pn.as_ptr();),
            (Some(_), _) => quote!(let #var = #pn.as_mut_ptr();),
        });
    }

    fn request_size(&self) -> usize {
        match self.count {
            None => self.cx.g.wire_size(self.elem),
            Some(_) => 8,
        }
    }

    fn client(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        let read_back = quote!(*#pn = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;);
        match self.dir {
            Direction::In => out
                .encode
                .push(quote!(::ffi_desc::wire::Wire::put(#pn, &mut __req);)),
            Direction::InOut => {
                out.encode
                    .push(quote!(::ffi_desc::wire::Wire::put(&*#pn, &mut __req);));
                out.decode.push(read_back);
            }
            Direction::Out => out.decode.push(read_back),
        }
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, v) = (self.cx.arg(), self.cx.local("__v_"));
        let (e, pointee) = (self.cx.g.stored_ty(self.elem), self.pointee());
        let value = if self.dir == Direction::Out {
            quote!(::core::default::Default::default())
        } else {
            quote!(::ffi_desc::wire::Wire::get(&mut __r)?)
        };
        let ptr = match self.count {
            None => quote!(&mut #v as *mut #e),
            Some(_) => quote!(#v.as_mut_ptr()),
        };
        out.decode.push(quote! {
            let mut #v: #pointee = #value;
            let #var = #ptr;
        });
        if self.dir != Direction::In {
            out.write_back
                .push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
        }
    }
}

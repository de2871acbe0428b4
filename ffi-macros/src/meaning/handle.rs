//! An opaque handle: a pointer Rust never dereferences. Linked and Loaded
//! pass the address after checking that the handle belongs to this linkage
//! instance; the Isolated client passes an id tagged with the domain's
//! incarnation, which the server looks up in its table of pointers C gave out.
//! A consuming parameter (the free function) forgets the handle once called.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::gen::ident;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Handle<'a> {
    pub(super) cx: Cx<'a>,
    /// The opaque type, by Rust name.
    pub(super) ty: &'a str,
    pub(super) consume: bool,
}

impl Handle<'_> {
    /// Rebinds the handle, and forgets it once C was called: C now owns it.
    fn consumed(&self, prepare: &mut Vec<TokenStream>, after_call: &mut Vec<TokenStream>) {
        if self.consume {
            let pn = self.cx.name();
            prepare.push(quote!(let mut #pn = #pn;));
            after_call.push(quote!(#pn.core.disarm(); ::core::mem::drop(#pn);));
        }
    }
}

impl Meaning for Handle<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(if self.consume {
            quote!(#t)
        } else {
            quote!(&#t)
        })
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        let owner_id = &callee.owner_id;
        out.prepare.push(quote! {
            let #var = #pn.core.raw_for(#owner_id, #fname, #pname)? as usize as *mut ::ffi_desc::c::c_void;
        });
        self.consumed(&mut out.prepare, &mut out.after_call);
    }

    fn client(&self, out: &mut ClientPieces) {
        let (pn, id) = (self.cx.name(), self.cx.local("__id_"));
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        out.encode.push(quote! {
            let #id = #pn.core.raw_for(::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const (), #fname, #pname)?;
            if ::ffi_desc::isolated::handle_generation(#id) != __gen {
                return ::core::result::Result::Err(::ffi_desc::Error::StaleHandle { function: #fname, param: #pname });
            }
            ::ffi_desc::wire::Wire::put(&#id, &mut __req);
        });
        self.consumed(&mut out.encode, &mut out.after_call);
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, id) = (self.cx.arg(), self.cx.local("__id_"));
        let idx = self.cx.g.opaque_index(self.ty);
        let get = if self.consume {
            quote!(handle_remove)
        } else {
            quote!(handle_get)
        };
        out.decode.push(quote! {
            let #id: u64 = ::ffi_desc::wire::Wire::get(&mut __r)?;
            let #var = __ctx.#get(#idx, #id)?;
        });
    }
}

//! An opaque handle: a pointer Rust never dereferences. Linked and Loaded
//! pass the address after checking that the handle belongs to this linkage
//! instance; the Isolated client passes an id tagged with the domain's
//! incarnation, which the server looks up in its table of pointers C gave out.
//! A consuming parameter (the free function) forgets the handle once called.
//! `Option<&H>` passes NULL for `None`: id 0, which no handle has.

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
    pub(super) nullable: bool,
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

    /// A consumed state's storage, released once C finalised it.
    fn release(&self) -> Option<TokenStream> {
        let l = self
            .cx
            .g
            .desc
            .storage_of(self.ty)
            .filter(|_| self.consume)?;
        let (size, align, var) = (l.size as usize, l.align as usize, self.cx.arg());
        // SAFETY (generated): the free function just finalised the state,
        // which this linkage allocated with this layout; the handle disarmed.
        Some(quote!(unsafe { ::ffi_desc::state::release(#var, #size, #align) };))
    }

    /// `value` made from the handle `h`, or `null` for `None`.
    fn or_null(&self, value: TokenStream, null: TokenStream) -> TokenStream {
        let pn = self.cx.name();
        if self.nullable {
            quote! {
                match #pn {
                    ::core::option::Option::Some(h) => { let #pn = h; #value }
                    ::core::option::Option::None => #null,
                }
            }
        } else {
            value
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
        Some(match (self.consume, self.nullable) {
            (true, _) => quote!(#t),
            (false, false) => quote!(&#t),
            (false, true) => quote!(::core::option::Option<&#t>),
        })
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        let owner_id = &callee.owner_id;
        let value = self.or_null(
            quote!(#pn.core.raw_for(#owner_id, #fname, #pname)? as usize as *mut ::ffi_desc::c::c_void),
            quote!(::core::ptr::null_mut()),
        );
        out.prepare.push(quote!(let #var = #value;));
        self.consumed(&mut out.prepare, &mut out.after_call);
        out.after_call.extend(self.release());
    }

    fn client(&self, out: &mut ClientPieces) {
        let (pn, id) = (self.cx.name(), self.cx.local("__id_"));
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        let value = self.or_null(
            quote! {{
                let #id = #pn.core.raw_for(::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const (), #fname, #pname)?;
                if ::ffi_desc::isolated::handle_generation(#id) != __gen {
                    return ::core::result::Result::Err(::ffi_desc::Error::StaleHandle { function: #fname, param: #pname });
                }
                #id
            }},
            quote!(0u64),
        );
        out.encode.push(quote! {
            let #id: u64 = #value;
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
        let lookup = if self.nullable {
            quote!(if #id == 0 { ::core::ptr::null_mut() } else { __ctx.#get(#idx, #id)? })
        } else {
            quote!(__ctx.#get(#idx, #id)?)
        };
        out.decode.push(quote! {
            let #id: u64 = ::ffi_desc::wire::Wire::get(&mut __r)?;
            let #var = #lookup;
        });
        out.write_back.extend(self.release());
    }
}

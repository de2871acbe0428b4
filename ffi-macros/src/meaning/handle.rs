//! An opaque handle: a pointer Rust never dereferences. Linked and Loaded
//! pass the address after checking that the handle belongs to this linkage
//! instance; the Isolated client passes an id tagged with the domain's
//! incarnation, which the server looks up in its table of pointers C gave out.
//! A consuming parameter (the free function) forgets the handle once called.
//! `Option<&H>` passes NULL for `None`: id 0, which no handle has.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::gen::{ident, parent_lifetime};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Handle<'a> {
    pub(super) cx: Cx<'a>,
    /// The opaque type, by Rust name.
    pub(super) ty: &'a str,
    pub(super) consume: bool,
    pub(super) nullable: bool,
    /// `&mut H`: borrowed alone, so no child borrowing it lives across the
    /// call. Nothing else differs: C gets the same pointer.
    pub(super) exclusive: bool,
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

    /// For a handle type whose callbacks are kept by call: the record, for
    /// the call's duration, of the handle this call passed (`ffi_desc::route`),
    /// made by its first parameter of the type. `value` is what it records;
    /// a call passing two handles of the type records 0, so a callback it
    /// makes C run is refused rather than given a guess.
    fn route(&self, value: TokenStream) -> Option<TokenStream> {
        self.route_under(
            quote!(::ffi_desc::rt::description_token(&FINGERPRINT)),
            value,
        )
    }

    /// [`Handle::route`] under the token `token` of the description.
    fn route_under(&self, token: TokenStream, value: TokenStream) -> Option<TokenStream> {
        let g = self.cx.g;
        if self.consume || !g.desc.kept_by_call(self.ty) {
            return None;
        }
        let same = |p: &&Param| matches!(&p.kind, ParamKind::Handle { ty, consume: false, .. } if ty == self.ty);
        let mut of_type = self.cx.f.params.iter().filter(same);
        if of_type.next().map(|p| &p.name) != Some(&self.cx.p.name) {
            return None;
        }
        let value = if of_type.next().is_some() {
            quote!(0u64)
        } else {
            value
        };
        let (guard, idx) = (self.cx.local("__route_"), g.opaque_index(self.ty));
        Some(quote! {
            let #guard = ::ffi_desc::route::enter(#token, #idx, #value);
        })
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
        // The parent of a handle the function returns is borrowed for as
        // long as that handle lives.
        let parent = self.cx.f.parents().contains(&self.cx.p.name.as_str());
        let lt = parent.then(|| parent_lifetime(&self.cx.p.name));
        let exclusive = self.exclusive.then(|| quote!(mut));
        Some(match (self.consume, self.nullable) {
            (true, _) => quote!(#t),
            (false, false) => quote!(&#lt #exclusive #t),
            (false, true) => quote!(::core::option::Option<&#exclusive #t>),
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
        let record = self.or_null(
            quote!(::ffi_desc::route::native_value(&#pn.core)),
            quote!(0u64),
        );
        out.prepare.extend(self.route(record));
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
        // The client's own record of the id it sent: a callback frame naming
        // an empty slot of this very handle is refused, not a violation. A
        // view travels as its owner's id, so it records 0, as natively: a
        // callback C fires during its call is refused, never the owner's.
        let record = self.or_null(
            quote!(if #pn.core.is_view() { 0u64 } else { #id }),
            quote!(0u64),
        );
        out.encode.extend(self.route_under(
            quote!(::ffi_desc::route::client_token(
                ::ffi_desc::rt::description_token(&FINGERPRINT)
            )),
            record,
        ));
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
        // The id was looked up: the domain's trampoline may send it. Under
        // the server's own token: in the loopback, the same thread runs the
        // description's Linked calls, whose trampolines read addresses.
        out.decode.extend(self.route_under(
            quote!(::ffi_desc::route::server_token(
                ::ffi_desc::rt::description_token(&FINGERPRINT)
            )),
            quote!(#id),
        ));
        out.write_back.extend(self.release());
    }
}

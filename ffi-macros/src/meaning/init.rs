//! `Init<H, V>`: state the caller allocates (`yaml_parser_t`), which
//! the linkage allocates zeroed and pinned where C runs (in the domain for
//! Isolated) and C initialises. When C returns `V`, the state is a handle
//! `H` of the result, freed by its free function and then released; else
//! the storage is released at once (C said it holds nothing) and the
//! result is `None`. The server sends the handle id, 0 for none.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::Return;
use crate::linkage::native::Callee;
use crate::returns;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Init<'a> {
    pub(super) cx: Cx<'a>,
    /// The state type, by Rust name.
    pub(super) ty: &'a str,
    pub(super) ok: i64,
    /// What the pointer becomes once C initialised it: a new `H`.
    pub(super) handle: Return,
}

impl Init<'_> {
    /// The new handle, as a returned `Option<Owned<H>>` makes it from the
    /// pointer in `__slot_<name>`.
    fn returned(&self) -> Box<dyn returns::Returned + '_> {
        let slot = self.cx.local("__slot_");
        returns::of_out(self.cx.g, self.cx.f, &self.cx.p.name, slot, &self.handle)
    }

    /// The storage, allocated once every other argument is ready (among
    /// the last things before the call, so that no failure leaks it).
    fn allocate(&self) -> TokenStream {
        let (var, size, align) = self.layout();
        quote!(let #var = ::ffi_desc::state::allocate(#size, #align);)
    }

    /// Right after the call: the storage kept as the new state when C says
    /// it initialised it, or released (the slot is then NULL).
    fn settle(&self) -> TokenStream {
        let (var, size, align) = self.layout();
        let slot = self.cx.local("__slot_");
        let ok = proc_macro2::Literal::i64_unsuffixed(self.ok);
        quote! {
            let #slot = if (__ret as i64) == #ok {
                #var
            } else {
                // SAFETY (generated): C did not initialise the storage, which
                // this call allocated; nothing refers to it.
                unsafe { ::ffi_desc::state::release(#var, #size, #align) };
                ::core::ptr::null_mut()
            };
        }
    }

    fn slot(&self) -> TokenStream {
        let slot = self.cx.local("__slot_");
        quote!(#slot)
    }

    fn layout(&self) -> (syn::Ident, usize, usize) {
        let l = self
            .cx
            .g
            .desc
            .storage_of(self.ty)
            .expect("checked by the parser");
        (self.cx.arg(), l.size as usize, l.align as usize)
    }
}

impl Meaning for Init<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        self.returned().result_ty()
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        out.late.push(self.allocate());
        out.after_call.push(self.settle());
        out.write_back.push(self.returned().native(callee));
        out.outs.push(self.slot());
    }

    fn request_size(&self) -> usize {
        0
    }

    fn client(&self, out: &mut ClientPieces) {
        out.decode.push(self.returned().client());
        out.outs.push(self.slot());
    }

    fn server(&self, out: &mut ServerPieces) {
        out.late.push(self.allocate());
        let settle = self.settle();
        let encode = self.returned().server();
        out.write_back.push(quote!({ #settle #encode }));
    }
}

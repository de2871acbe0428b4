//! `Out<R>` over `T **`: C writes a pointer of the result meaning `R` (a
//! new handle, a string the caller frees, one the library keeps) into a
//! slot the linkage hands it, initialised to NULL. What C wrote is made
//! safe as a returned `R` would be ([`crate::returns::of_out`]): copied,
//! freed, wrapped into a handle, and joins the result. Every out value
//! becomes an `Option` first, and only then is a NULL where none is allowed
//! reported (`Error::NullOut`): an error never leaks what C handed out
//! through another parameter, which is by then a Rust value that drops.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::Return;
use crate::linkage::native::Callee;
use crate::returns::{self, Returned};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct OutResult<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) ret: &'a Return,
}

impl OutResult<'_> {
    fn returned(&self) -> Box<dyn Returned + '_> {
        let slot = self.cx.local("__slot_");
        returns::of_out(self.cx.g, self.cx.f, &self.cx.p.name, slot, self.ret)
    }

    /// The slot, NULL until C writes it, and the C argument pointing at it.
    fn slot(&self) -> TokenStream {
        let (slot, var) = (self.cx.local("__slot_"), self.cx.arg());
        let raw = self.returned().raw_ty();
        quote! {
            let mut #slot = ::core::ptr::null_mut::<()>() as #raw;
            let #var = &mut #slot as *mut #raw;
        }
    }

    /// The out value in the result: as it is in `Option`, or checked.
    fn out(&self) -> TokenStream {
        let slot = self.cx.local("__slot_");
        if self.ret.unwrap_option().1 {
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
}

impl Meaning for OutResult<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        let raw = self.returned().raw_ty();
        quote!(*mut #raw)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        returns::safe_ty_of(self.cx.g, self.cx.f, self.ret)
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        out.prepare.push(self.slot());
        out.write_back.push(self.returned().native(callee));
        out.outs.push(self.out());
    }

    fn request_size(&self) -> usize {
        0
    }

    fn client(&self, out: &mut ClientPieces) {
        out.decode.push(self.returned().client());
        out.outs.push(self.out());
    }

    fn server(&self, out: &mut ServerPieces) {
        out.decode.push(self.slot());
        let encode = self.returned().server();
        out.write_back.push(quote!({ #encode }));
    }
}

//! `Sentinel<V>`: a pointer argument that is always the special value `V`
//! (`SQLITE_TRANSIENT`, -1), which the linkage passes itself. Nothing
//! travels: the server passes the same value. The check unit asserts `V`
//! equal to the C expression `#[c_value]` names.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::linkage::native::Callee;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(super) struct Sentinel<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) value: i64,
}

impl Meaning for Sentinel<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*const ::ffi_desc::c::c_void)
    }

    fn c_arg(&self) -> TokenStream {
        // A pointer-sized integer with no provenance: C compares it, never
        // dereferences it.
        let v = Literal::i64_unsuffixed(self.value);
        quote!(::core::ptr::without_provenance::<::ffi_desc::c::c_void>((#v) as isize as usize))
    }

    fn native(&self, _: &Callee, _: &mut NativePieces) {}

    fn request_size(&self) -> usize {
        0
    }

    fn client(&self, _: &mut ClientPieces) {}

    fn server(&self, _: &mut ServerPieces) {}
}

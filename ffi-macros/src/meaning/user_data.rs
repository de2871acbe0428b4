//! The `void *` user data of a callback parameter, filled in by the linkage
//! with what that callback prepared ([`super::callback`]). In the Isolated
//! linkage only the server has one: it carries the callback's id.

use super::callback::{native_user_data, server_user_data};
use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::gen::ident;
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct UserData<'a> {
    pub(super) cx: Cx<'a>,
}

impl UserData<'_> {
    /// The callback parameter this user data belongs to, whether C stores
    /// it, and whether it may be `None`.
    fn owner(&self) -> Option<(&str, bool, bool)> {
        self.cx.f.params.iter().find_map(|q| match &q.kind {
            ParamKind::Callback {
                stored,
                user_data,
                nullable,
                ..
            } if *user_data == self.cx.p.name => Some((q.name.as_str(), *stored, *nullable)),
            _ => None,
        })
    }
}

impl Meaning for UserData<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let var = self.cx.arg();
        // The parser pairs every user data with its callback.
        let u = self
            .owner()
            .map_or_else(|| ident("__no_user"), |(cb, _, _)| native_user_data(cb));
        out.late.push(quote!(let #var = #u;));
    }

    fn client(&self, _: &mut ClientPieces) {
        // Nothing travels: the server makes its own.
    }

    fn server(&self, out: &mut ServerPieces) {
        let var = self.cx.arg();
        let ptr = self.owner().map_or_else(
            || quote!(::core::ptr::null_mut()),
            |(cb, stored, nullable)| server_user_data(cb, stored, nullable),
        );
        out.late
            .push(quote!(let #var: *mut ::ffi_desc::c::c_void = #ptr;));
    }
}

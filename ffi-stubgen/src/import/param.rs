//! The meaning drafted for a function's parameter, and how it is written.

use super::tokens::{ident, lit};
use proc_macro2::TokenStream;
use quote::quote;

/// The meaning drafted for a parameter.
pub(super) enum ParamKind {
    /// A value, of these tokens.
    Value(TokenStream),
    /// A NUL-terminated string read by the call.
    CStr,
    /// One object read by the call.
    In(TokenStream),
    /// Elements read by the call, their count the named parameter.
    InSlice(TokenStream, String),
    /// A handle the call frees, of this Rust type.
    Owned(String),
    /// A pointer whose meaning a person states: its C spelling.
    Marker(String),
}

impl ParamKind {
    /// The parameter's type in the description.
    pub(super) fn tokens(&self) -> TokenStream {
        match self {
            ParamKind::Value(t) => t.clone(),
            ParamKind::CStr => quote!(CStr),
            ParamKind::In(t) => quote!(In<#t>),
            ParamKind::InSlice(t, len) => {
                let l = ident(len);
                quote!(In<[#t], len = #l>)
            }
            ParamKind::Owned(h) => {
                let h = ident(h);
                quote!(Owned<#h>)
            }
            ParamKind::Marker(s) => {
                let l = lit(s);
                quote!(Unresolved<#l>)
            }
        }
    }

    /// Whether a person has to state the parameter's meaning.
    pub(super) fn is_marker(&self) -> bool {
        matches!(self, ParamKind::Marker(_))
    }
}

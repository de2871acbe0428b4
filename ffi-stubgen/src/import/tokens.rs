//! Small helpers for writing the draft's tokens.

use proc_macro2::{Ident, Span};

/// The doc comments among `attrs`.
pub(super) fn docs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// An identifier of the draft.
pub(super) fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// A string literal of the draft.
pub(super) fn lit(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

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

/// An identifier of the draft. Names come from C (where `type` or `r#`
/// can never be, but a header's parameter may be called `match`) or are made
/// by `names`; anything that is not an identifier is made one rather than
/// panicking: a keyword gets a trailing `_`, other characters become `_`.
pub(super) fn ident(s: &str) -> Ident {
    if syn::parse_str::<Ident>(s).is_ok() {
        return Ident::new(s, Span::call_site());
    }
    let mut fixed: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if fixed.is_empty() || fixed.starts_with(|c: char| c.is_ascii_digit()) {
        fixed.insert(0, '_');
    }
    if syn::parse_str::<Ident>(&fixed).is_err() {
        fixed.push('_');
    }
    Ident::new(&fixed, Span::call_site())
}

/// A string literal of the draft.
pub(super) fn lit(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

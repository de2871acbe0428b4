//! How a C value type is written in a description.

use super::ctype::CTy;
use super::tokens::ident;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// Why a value of this type cannot be a parameter or a result.
pub(super) fn why_not_value(t: &CTy) -> &'static str {
    match t {
        CTy::Record(_) => "a struct or union passed by value that cannot be described",
        CTy::Enum(_) => "an enum that cannot be described",
        CTy::Array { .. } => "an array",
        CTy::Void => "void",
        _ => "which a description cannot hold",
    }
}

/// The description's tokens for a value type, if it can be described.
pub(super) fn value_tokens(t: &CTy, rust_names: &BTreeMap<String, String>) -> Option<TokenStream> {
    match t.strip() {
        CTy::Scalar(s) => {
            let id = ident(s.rust_name());
            Some(quote!(#id))
        }
        CTy::Record(k) | CTy::Enum(k) => rust_names.get(k).map(|n| {
            let id = ident(n);
            quote!(#id)
        }),
        CTy::Array { elem, len } => {
            let e = value_tokens(elem, rust_names)?;
            let n = syn::LitInt::new(&len.to_string(), Span::call_site());
            Some(quote!([#e; #n]))
        }
        _ => None,
    }
}

/// How the check unit spells a value type by default (scalars by their IR
/// name, records and enums by their C spelling).
pub(super) fn default_spelling(t: &CTy) -> String {
    match t.strip() {
        CTy::Scalar(s) => s.c_name().to_string(),
        other => other.spell(),
    }
}

/// The description's tokens for a parameter or result passed by value (C
/// passes no array by value: such a type is a pointer in disguise).
pub(super) fn by_value_tokens(
    t: &CTy,
    rust_names: &BTreeMap<String, String>,
) -> Option<TokenStream> {
    let t = t.strip();
    if matches!(t, CTy::Array { .. }) {
        return None;
    }
    value_tokens(t, rust_names)
}

//! The description's own attributes (docs, derives) carried onto the items
//! generated from it.

use proc_macro2::TokenStream;
use quote::quote;

/// The attributes, plus a `#[doc]` when they hold none.
pub(crate) fn with_default_doc(attrs: &[syn::Attribute], doc: &str) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = attrs.iter().map(|a| quote!(#a)).collect();
    if !attrs.iter().any(|a| a.path().is_ident("doc")) {
        out.push(quote!(#[doc = #doc]));
    }
    out
}

/// Drops derives the expansion adds itself.
pub(crate) fn filter_derives(attrs: &[syn::Attribute], added: &[&str]) -> Vec<TokenStream> {
    attrs
        .iter()
        .map(|a| {
            if a.path().is_ident("derive") {
                let mut keep = Vec::new();
                let _ = a.parse_nested_meta(|m| {
                    let n = m
                        .path
                        .get_ident()
                        .map(|i| i.to_string())
                        .unwrap_or_default();
                    if !added.contains(&n.as_str()) {
                        let p = &m.path;
                        keep.push(quote!(#p));
                    }
                    Ok(())
                });
                if keep.is_empty() {
                    quote!()
                } else {
                    quote!(#[derive(#(#keep),*)])
                }
            } else {
                quote!(#a)
            }
        })
        .collect()
}

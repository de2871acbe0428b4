//! The attributes this parser reads, and keeping the others for the expander.

use super::Errors;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, Meta};

/// Attribute names this parser consumes; everything else is kept.
const OWN_ATTRS: &[&str] = &[
    "c_name",
    "opaque",
    "callback",
    "errno",
    "variadic",
    "c_type",
    "repr",
    "wrap",
    "clears",
    "copy_out",
    "c",
    "view",
    "thread_safe",
    "not_thread_safe",
];

pub(crate) fn find_attr<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attrs.iter().find(|a| a.path().is_ident(name))
}

/// The attributes the generated code carries over (docs, derives, ..).
pub(crate) fn keep_attrs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| !OWN_ATTRS.iter().any(|n| a.path().is_ident(n)))
        .cloned()
        .collect()
}

/// The value of `#[name = "..."]`, if the attribute is present and well formed.
pub(crate) fn string_attr(attrs: &[Attribute], name: &str, errs: &mut Errors) -> Option<String> {
    let attr = find_attr(attrs, name)?;
    match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            other => {
                errs.push_spanned(other, format!("#[{name} = \"...\"] takes a string"));
                None
            }
        },
        other => {
            errs.push_spanned(&other, format!("expected #[{name} = \"...\"]"));
            None
        }
    }
}

/// The C name of an item: `#[c_name = ".."]`, or its Rust name.
pub(crate) fn c_name_of(attrs: &[Attribute], ident: &Ident, errs: &mut Errors) -> String {
    string_attr(attrs, "c_name", errs).unwrap_or_else(|| ident.to_string())
}

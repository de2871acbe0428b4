//! Enums and constants: named enums as described enums, the enumerators of
//! anonymous ones and `#define` constants as constants.

use super::collect::{Declarations, RawEnum};
use super::ctype::int_lit;
use super::names::{self, camel, Spellings};
use super::report::{ImportReport, Skips};
use super::tokens::{docs, ident, lit};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// bindgen's names of the enums that can be described: named, with at
/// least one enumerator.
pub(super) fn describable(decls: &Declarations) -> BTreeSet<String> {
    decls
        .enums
        .iter()
        .filter(|e| !e.key.contains("_bindgen_ty_") && !e.variants.is_empty())
        .map(|e| e.key.clone())
        .collect()
}

/// What the enums drafted.
pub(super) struct DraftedEnums {
    /// The described enums.
    pub(super) types: Vec<TokenStream>,
    /// The enumerators of anonymous enums, as constants.
    pub(super) consts: Vec<TokenStream>,
    /// Their names, so that bindgen's constant of the same name is not
    /// drafted twice.
    pub(super) const_names: BTreeSet<String>,
}

/// Drafts every enum, in the header's order.
pub(super) fn draft(
    decls: &Declarations,
    rust_names: &BTreeMap<String, String>,
    spellings: &Spellings,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> DraftedEnums {
    let mut drafted = DraftedEnums {
        types: Vec::new(),
        consts: Vec::new(),
        const_names: BTreeSet::new(),
    };
    for e in &decls.enums {
        let c = spellings.c_spelling(&e.key);
        let Some(name) = rust_names.get(&e.key) else {
            if e.key.contains("_bindgen_ty_") {
                let repr_ty = ident(&e.repr);
                for (v, ex, vattrs) in &e.variants {
                    drafted.const_names.insert(v.to_string());
                    let vdocs = docs(vattrs);
                    drafted
                        .consts
                        .push(quote!(#(#vdocs)* pub const #v: #repr_ty = #ex;));
                    report.constants += 1;
                }
            } else {
                skips.skip("enum", &c, "it has no enumerators");
            }
            continue;
        };
        report.enums += 1;
        let item = enum_item(e, name, &c, &decls.enum_aliases, skips);
        drafted.types.push(item);
    }
    drafted
}

/// One described enum, `c` its C spelling; enumerators it cannot hold are
/// listed as skipped.
fn enum_item(
    e: &RawEnum,
    name: &str,
    c: &str,
    enum_aliases: &[(String, String)],
    skips: &mut Skips,
) -> TokenStream {
    let aliases = || {
        enum_aliases
            .iter()
            .filter(|(k, _)| *k == e.key)
            .map(|(_, a)| a)
    };
    let vnames: Vec<String> = e
        .variants
        .iter()
        .map(|(v, ..)| v.to_string())
        .chain(aliases().cloned())
        .collect();
    // `SV_RED`, `SV_GREEN` are `Red`, `Green`.
    let vprefix = names::common_prefix(vnames.iter().map(String::as_str));
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for (v, ex, vattrs) in &e.variants {
        let c_v = v.to_string();
        if int_lit(ex).and_then(|x| i64::try_from(x).ok()).is_none() {
            skips.skip("enumerator", &c_v, "its value does not fit an i64");
            continue;
        }
        let stripped = c_v.strip_prefix(vprefix.as_str()).unwrap_or(&c_v);
        let mut rust = camel(stripped);
        while !seen.insert(rust.clone()) {
            rust.push('_');
        }
        let vdocs = docs(vattrs);
        let cn = (rust != c_v).then(|| {
            let l = lit(&c_v);
            quote!(#[c_name = #l])
        });
        let vid = ident(&rust);
        variants.push(quote!(#(#vdocs)* #cn #vid = #ex));
    }
    for alias in aliases() {
        skips.skip(
            "enumerator",
            alias,
            "it repeats another enumerator's value, which a Rust enum cannot hold twice",
        );
    }
    let repr = match e.repr.as_str() {
        "u32" | "i32" => None,
        other => {
            let r = ident(other);
            Some(quote!(#[repr(#r)]))
        }
    };
    let cn = (c != name).then(|| {
        let l = lit(c);
        quote!(#[c_name = #l])
    });
    let id = ident(name);
    let edocs = &e.docs;
    quote! {
        #(#edocs)*
        #cn
        #repr
        pub enum #id { #(#variants),* }
    }
}

/// The constants bindgen translated (from `#define`s), but those drafted
/// already from an anonymous enum (`from_enums`); one of a type a
/// description cannot hold is listed as skipped.
pub(super) fn constants(
    decls: &Declarations,
    from_enums: &BTreeSet<String>,
    unsigned_macro: impl Fn(&str) -> bool,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
    for c in &decls.consts {
        let name = c.ident.to_string();
        if from_enums.contains(&name) {
            continue;
        }
        if !const_type_ok(&c.ty) {
            skips.skip(
                "constant",
                &name,
                "its type is not an integer, bool or a string",
            );
            continue;
        }
        // The check unit compares a constant with the header's exactly,
        // which a float cannot be.
        let ty = &c.ty;
        if matches!(quote!(#ty).to_string().as_str(), "f32" | "f64") {
            skips.skip(
                "constant",
                &name,
                "a floating-point constant: a description checks only integers, bools and strings \
                 against the header; write it by hand with #[unchecked] if it is wanted",
            );
            continue;
        }
        // `#define ZSTD_CONTENTSIZE_UNKNOWN (0ULL - 1)`: bindgen evaluates
        // it as -1, which the header's value is not.
        if super::ctype::int_lit(&c.expr).is_some_and(|v| v < 0) && unsigned_macro(&name) {
            skips.skip(
                "constant",
                &name,
                "an unsigned expression bindgen evaluates as negative: write its value by hand",
            );
            continue;
        }
        let cdocs = docs(&c.attrs);
        let id = &c.ident;
        let ex = &c.expr;
        items.push(quote!(#(#cdocs)* pub const #id: #ty = #ex;));
        report.constants += 1;
    }
    items
}

/// Whether a constant's type is one a description holds: an integer,
/// `bool`, or a string (a float is skipped apart, with its own reason).
fn const_type_ok(ty: &syn::Type) -> bool {
    let text = quote!(#ty).to_string().replace(' ', "");
    matches!(
        text.as_str(),
        "u8" | "u16"
            | "u32"
            | "u64"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "f32"
            | "f64"
            | "bool"
            | "usize"
            | "isize"
    ) || text.ends_with("CStr")
        || text.starts_with("&[u8;")
}

//! Opaque handles: a pointer to a record that cannot be described (one the
//! header leaves incomplete, or one behind a pointer typedef) is a handle
//! when exactly one function evidently frees it.

use super::collect::{Declarations, RawFn};
use super::ctype::CTy;
use super::names::{camel, Spellings, TypeNamespace};
use super::report::{ImportReport, Skips};
use super::tokens::{ident, lit};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// A drafted handle type.
pub(super) struct Handle {
    /// Its Rust name.
    rust: String,
    /// How the check unit spells it: `c_pointer` (the pointer typedef's
    /// name) or `c_type` (the record's spelling).
    attr: &'static str,
    spelling: String,
    /// The C name of the function that frees it.
    free: String,
}

/// The drafted handle types, by bindgen's name of the record behind them.
#[derive(Default)]
pub(super) struct Handles(BTreeMap<String, Handle>);

impl Handles {
    /// The Rust name of the handle the function `c_name` frees, if it frees one.
    pub(super) fn freed_by(&self, c_name: &str) -> Option<&str> {
        self.0
            .values()
            .find(|h| h.free == c_name)
            .map(|h| h.rust.as_str())
    }
}

/// A pointer to a record in a function's signature, a handle if something
/// frees it.
struct Seen {
    /// bindgen's name of the record.
    key: String,
    /// The pointer's spelling: the typedef's name when `via_typedef`.
    spelling: String,
    via_typedef: bool,
}

/// The record behind a handle-like pointer: `T *` or a typedef of it; the
/// pointer's spelling; whether it is a typedef's.
fn handle_of(t: &CTy) -> Option<(String, String, bool)> {
    match t {
        CTy::Alias { name, to } => match &**to {
            CTy::Ptr { to: inner, .. } => match inner.strip() {
                CTy::Record(k) => Some((k.clone(), name.clone(), true)),
                _ => None,
            },
            CTy::Alias { .. } => handle_of(to).map(|(k, _, via)| (k, name.clone(), via)),
            _ => None,
        },
        CTy::Ptr { to, .. } => match to.strip() {
            CTy::Record(k) => Some((k.clone(), t.spell(), false)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a C function's name says it frees what it takes (`gzclose`,
/// `sqlite3_finalize`, `sv_counter_free`; not `gzclose_r`).
fn is_free_name(name: &str) -> bool {
    let lower = name.trim_end_matches('_').to_lowercase();
    [
        "free", "close", "destroy", "release", "finalize", "delete", "dispose", "unref",
    ]
    .iter()
    .any(|w| lower.ends_with(w))
}

/// The pointers to records that cannot be described (`described` are those
/// that can) in the functions' parameters and results, each record once, in
/// the order first seen.
fn seen_in_signatures(decls: &Declarations, described: &BTreeSet<String>) -> Vec<Seen> {
    let mut seen: Vec<Seen> = Vec::new();
    for f in &decls.functions {
        let tys = f.params.iter().map(|(_, t)| t.clone()).chain(match &f.ret {
            syn::ReturnType::Type(_, t) => Some((**t).clone()),
            syn::ReturnType::Default => None,
        });
        for t in tys {
            let cty = decls.types.resolve(&t);
            if let Some((key, spelling, via_typedef)) = handle_of(&cty) {
                let incomplete = decls
                    .records
                    .iter()
                    .any(|r| r.key == key && r.is_incomplete());
                if !described.contains(&key)
                    && (via_typedef || incomplete)
                    && !key.contains("__va_list_tag")
                    && !seen.iter().any(|s| s.key == key)
                {
                    seen.push(Seen {
                        key,
                        spelling,
                        via_typedef,
                    });
                }
            }
        }
    }
    seen
}

/// The functions that may free the record `key`: they take only a pointer
/// to it, and their names say so.
fn free_functions<'d>(decls: &'d Declarations, key: &str) -> Vec<&'d RawFn> {
    decls
        .functions
        .iter()
        .filter(|f| {
            f.params.len() == 1
                && handle_of(&decls.types.resolve(&f.params[0].1)).is_some_and(|(k, ..)| k == key)
                && is_free_name(&f.name)
        })
        .collect()
}

/// Finds the handle types; a pointer that no single function evidently frees
/// is listed as skipped, with the attribute a person would write.
pub(super) fn find(
    decls: &Declarations,
    described: &BTreeSet<String>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
    skips: &mut Skips,
) -> Handles {
    let mut handles = Handles::default();
    for seen in seen_in_signatures(decls, described) {
        let Seen {
            key,
            spelling,
            via_typedef,
        } = seen;
        let candidates = free_functions(decls, &key);
        let c = spellings.c_spelling(&key);
        if candidates.len() != 1 {
            let why = if candidates.is_empty() {
                "no function evidently frees it".to_string()
            } else {
                format!(
                    "several functions may free it ({})",
                    candidates
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let (attr, shown) = if via_typedef {
                (format!("c_pointer = \"{spelling}\""), spelling)
            } else {
                (format!("c_type = \"{c}\""), c)
            };
            skips.skip(
                "handle type",
                &shown,
                format!("{why}; a described handle names its free function: #[opaque({attr}, free = f)]"),
            );
            continue;
        }
        let base = if via_typedef {
            spelling.clone()
        } else {
            spellings.base_name(&key)
        };
        let rust = namespace.fresh(&camel(spellings.without_prefix(&base)));
        let (attr, spelling) = if via_typedef {
            ("c_pointer", spelling)
        } else {
            ("c_type", c)
        };
        let free = candidates[0].name.clone();
        handles.0.insert(
            key,
            Handle {
                rust,
                attr,
                spelling,
                free,
            },
        );
    }
    handles
}

/// The items of the handle types whose free function was drafted (named in
/// `report.functions`; `fn_names` are the functions' Rust names): one whose
/// free function could not be drafted is dropped.
pub(super) fn items(
    handles: &Handles,
    fn_names: &BTreeMap<String, String>,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let drafted: BTreeSet<String> = report.functions.iter().cloned().collect();
    let mut items = Vec::new();
    for h in handles.0.values() {
        if !drafted.contains(&h.free) {
            continue;
        }
        let kind = ident(h.attr);
        let l = lit(&h.spelling);
        let free_id = ident(&fn_names[&h.free]);
        let id = ident(&h.rust);
        report.opaque += 1;
        items.push(quote! {
            #[opaque(#kind = #l, free = #free_id)]
            pub struct #id;
        });
    }
    items
}

//! Complete records C allocates or fills: the header completes them, yet
//! the caller holds them only through C's pointers (`sqlite3_snapshot`,
//! which C writes out and frees: a handle) or cannot describe them (libyaml's
//! `yaml_event_t`, a union with pointer fields, which C fills and a free
//! function finalises: a `#[copy_out]` struct, a person's to map).

use super::collect::{Declarations, RawFn};
use super::ctype::CTy;
use super::functions::Context;
use super::handles::{free_functions, handle_ref, seen_in_signatures, HandleRef, Handles};
use super::names::Spellings;
use std::collections::{BTreeMap, BTreeSet};

/// The complete records C allocates and frees, by bindgen's name, each with
/// the doc comment that says why it is a handle rather than described: a function
/// writes one out through `T **` (C made it: the caller holds only the
/// pointer) and a function evidently frees it (`sqlite3_snapshot_get` and
/// `sqlite3_snapshot_free`). A record held by value anywhere (a field, a
/// parameter, a result, in a callback too) stays described: the caller
/// makes those.
pub(super) fn allocated_by_c(
    decls: &Declarations,
    spellings: &Spellings,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in &decls.functions {
        for (_, t) in &f.params {
            let Some(r) = written_out(&decls.types.resolve(t), spellings) else {
                continue;
            };
            let complete = decls
                .records
                .iter()
                .any(|rec| rec.key == r.record && !rec.is_incomplete());
            if !complete || out.contains_key(&r.record) || held_by_value(decls, &r.record) {
                continue;
            }
            let frees = free_functions(decls, &r.key, spellings);
            let Some(free) = frees.first() else {
                continue;
            };
            let reason = format!(
                " A handle though the header completes it: C allocates it (`{}` writes one out \
                 through `{} **`) and `{}` frees it.",
                f.name, r.key, free.name
            );
            out.insert(r.record.clone(), reason);
        }
    }
    out
}

/// The record `t` writes out when it is `T **` (a pointer to a writable
/// pointer to a record, no pointer typedef): a pointer to a `const T *`
/// hands out one C keeps, and `T **` in a callback is C's array to lend.
fn written_out(t: &CTy, spellings: &Spellings) -> Option<HandleRef> {
    let CTy::Ptr {
        is_const: false,
        to,
    } = t.strip()
    else {
        return None;
    };
    if !matches!(
        to.strip(),
        CTy::Ptr {
            is_const: false,
            ..
        }
    ) {
        return None;
    }
    handle_ref(to, spellings).filter(|r| !r.via_typedef)
}

/// Whether any declaration holds the record `key` by value.
fn held_by_value(decls: &Declarations, key: &str) -> bool {
    fn holds(t: &CTy, key: &str) -> bool {
        match t.strip() {
            CTy::Record(k) => k == key,
            CTy::Array { elem, .. } => holds(elem, key),
            CTy::FnPtr { ret, params, .. } => {
                holds(ret, key) || params.iter().any(|(_, p)| holds(p, key))
            }
            CTy::Ptr { to, .. } => matches!(to.strip(), CTy::FnPtr { .. }) && holds(to, key),
            _ => false,
        }
    }
    let fields = decls
        .records
        .iter()
        .flat_map(|r| r.fields.iter().map(|(_, t, _)| t));
    let params = decls
        .functions
        .iter()
        .flat_map(|f| f.params.iter().map(|(_, t)| t));
    let rets = decls.functions.iter().filter_map(|f| match &f.ret {
        syn::ReturnType::Type(_, t) => Some(&**t),
        syn::ReturnType::Default => None,
    });
    // A typedef naming the record is no use of it; one of a function
    // pointer (a callback type) is.
    let callback_types = decls
        .typedefs
        .iter()
        .map(|t| decls.types.resolve(&t.ty))
        .filter(|t| matches!(t.strip(), CTy::FnPtr { .. }));
    fields
        .chain(params)
        .chain(rets)
        .map(|t| decls.types.resolve(t))
        .chain(callback_types)
        .any(|t| holds(&t, key))
}

/// A complete record that is no handle and cannot be described (a union
/// with pointer fields: libyaml's `yaml_event_t`) but that a one-parameter
/// function evidently frees: a `#[copy_out]` struct a person maps could
/// carry it out of the functions that fill it.
pub(super) struct Filled {
    /// The C name of its free function.
    pub(super) free: String,
    size: u64,
    align: u64,
}

impl Filled {
    /// The attribute a person would start from, `free` its free
    /// function's Rust name.
    pub(super) fn copy_out_attr(&self, c_type: &str, free: &str) -> String {
        format!(
            "#[copy_out(c_type = \"{c_type}\", size = {}, align = {}, free = {free})]",
            self.size, self.align
        )
    }
}

/// The filled records, by the C spelling of their pointers (`handles`
/// those already drafted, `described` the records described by value).
pub(super) fn filled_records(
    decls: &Declarations,
    described: &BTreeSet<String>,
    handles: &Handles,
    spellings: &Spellings,
) -> BTreeMap<String, Filled> {
    let mut out = BTreeMap::new();
    for r in seen_in_signatures(decls, described, spellings) {
        if r.via_typedef || handles.has(&r.key) || out.contains_key(&r.key) {
            continue;
        }
        let complete = decls
            .records
            .iter()
            .any(|rec| rec.key == r.record && !rec.is_incomplete());
        let (Some(&(size, align)), true) = (decls.layouts.get(&r.record), complete) else {
            continue;
        };
        if let [free] = free_functions(decls, &r.key, spellings).as_slice() {
            let free = free.name.clone();
            out.insert(r.key.clone(), Filled { free, size, align });
        }
    }
    out
}

/// The guess for `T *` of a record C fills (`Filled`:
/// `yaml_parser_parse(parser, yaml_event_t *event)`): carried out by a
/// `#[copy_out]` struct whose fields a person maps, and then freed. That
/// the free function may run on what C leaves when the call fails, and
/// which union member each tag fills, no signature says, so it stays a
/// guess; its free function is that struct's `free`, no method.
pub(super) fn filled_guess(f: &RawFn, t: &CTy, cx: &Context<'_>) -> Option<String> {
    let CTy::Ptr {
        is_const: false, ..
    } = t.strip()
    else {
        return None;
    };
    let key = handle_ref(t, cx.spellings)?.key;
    let filled = cx.filled.get(&key)?;
    let free = cx.fn_names.get(&filled.free)?;
    let attr = filled.copy_out_attr(&key, free);
    if filled.free == f.name {
        return Some(format!(
            "Out<S> as the `free = {free}` of {attr} struct S: the linkage calls it after \
             each copy, and it is no method"
        ));
    }
    Some(format!(
        "Out<S> with {attr} struct S {{ .. }} of the fields to read, if C fills it here \
         (it may read one it is given instead, which no copy can be) and `{}` may run on \
         what C leaves when the call fails; which union member each tag fills is a \
         person's to map",
        filled.free
    ))
}

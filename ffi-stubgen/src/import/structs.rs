//! Structs and unions: which can be described (complete, in plain C layout,
//! every field a value of a described type), and their drafted items.

use super::collect::{Declarations, RawRecord};
use super::ctype::{record_spelling, CTy, Types};
use super::names::{self, Spellings};
use super::report::{ImportReport, Skips};
use super::tokens::{docs, ident, lit};
use super::value::value_tokens;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Which records can be described, and why each other cannot.
pub(super) struct Verdicts {
    /// bindgen's names of the records that can be described.
    pub(super) ok: BTreeSet<String>,
    /// Why each other record cannot, by bindgen's name.
    reasons: BTreeMap<String, String>,
    /// Records drafted as handles instead (not listed as skipped).
    handles: BTreeSet<String>,
}

impl Verdicts {
    /// Describes the record `key` no more: a record C allocates is a
    /// handle instead. No described record may hold it.
    pub(super) fn as_handle(&mut self, key: &str) {
        if self.ok.remove(key) {
            self.handles.insert(key.to_string());
        }
    }
}

/// Whether a record, or a field's type, can be described.
enum Verdict {
    Ok,
    No(String),
    /// It depends on a record not decided yet.
    Wait,
}

/// Decides every record: one whose fields are of records not decided yet
/// waits for them, to a fixed point (what is still undecided then contains
/// itself).
pub(super) fn verdicts(decls: &Declarations, ok_enums: &BTreeSet<String>) -> Verdicts {
    let mut reasons: BTreeMap<String, String> = BTreeMap::new();
    let mut ok: BTreeSet<String> = BTreeSet::new();
    loop {
        let mut changed = false;
        for r in &decls.records {
            if ok.contains(&r.key) || reasons.contains_key(&r.key) {
                continue;
            }
            match record_verdict(&decls.types, r, &ok, ok_enums, &reasons) {
                Verdict::Ok => {
                    ok.insert(r.key.clone());
                    changed = true;
                }
                Verdict::No(reason) => {
                    reasons.insert(r.key.clone(), reason);
                    changed = true;
                }
                Verdict::Wait => {}
            }
        }
        if !changed {
            break;
        }
    }
    for r in &decls.records {
        if !ok.contains(&r.key) && !reasons.contains_key(&r.key) {
            reasons.insert(
                r.key.clone(),
                "it contains itself by value through other types".to_string(),
            );
        }
    }
    Verdicts {
        ok,
        reasons,
        handles: BTreeSet::new(),
    }
}

fn record_verdict(
    types: &Types,
    r: &RawRecord,
    ok_records: &BTreeSet<String>,
    ok_enums: &BTreeSet<String>,
    bad: &BTreeMap<String, String>,
) -> Verdict {
    if r.is_incomplete() {
        return Verdict::No("it is incomplete in the header (an opaque type)".to_string());
    }
    if r.key.contains("_bindgen_ty_") {
        return Verdict::No("it is anonymous: C gives it no name to check it by".to_string());
    }
    if r.fields.is_empty() {
        return Verdict::No("it has no fields".to_string());
    }
    let mut wait = false;
    for (fname, fty, _) in &r.fields {
        let f = fname.to_string();
        if f.starts_with("_bitfield") {
            return Verdict::No("it has bit-fields".to_string());
        }
        if f.starts_with("__bindgen_anon") {
            return Verdict::No("it has an anonymous struct or union member".to_string());
        }
        if f.starts_with("__bindgen_padding") {
            return Verdict::No("it is over-aligned".to_string());
        }
        if quote!(#fty).to_string().contains("__IncompleteArrayField") {
            return Verdict::No(format!("field `{f}` is a flexible array member"));
        }
        let cty = types.resolve(fty);
        match field_verdict(&cty, ok_records, ok_enums, bad) {
            Verdict::Ok => {}
            Verdict::Wait => wait = true,
            Verdict::No(why) => {
                return Verdict::No(format!("field `{f}` {why}"));
            }
        }
    }
    if let Some(a) = &r.layout_attr {
        return Verdict::No(format!(
            "it is {a}: a described struct is laid out in plain C order"
        ));
    }
    if wait {
        Verdict::Wait
    } else {
        Verdict::Ok
    }
}

/// Whether a field of this type can be described; the reason, when not,
/// reads after "field `f`".
fn field_verdict(
    t: &CTy,
    ok_records: &BTreeSet<String>,
    ok_enums: &BTreeSet<String>,
    bad: &BTreeMap<String, String>,
) -> Verdict {
    match t.strip() {
        CTy::Scalar(_) => Verdict::Ok,
        CTy::Enum(k) if ok_enums.contains(k) => Verdict::Ok,
        CTy::Enum(k) => Verdict::No(format!(
            "is `{}`, an enum that cannot be described",
            record_spelling(k)
        )),
        CTy::Record(k) if ok_records.contains(k) => Verdict::Ok,
        CTy::Record(k) if bad.contains_key(k) => Verdict::No(format!(
            "is `{}`, which cannot be described",
            record_spelling(k)
        )),
        CTy::Record(_) => Verdict::Wait,
        CTy::Array { elem, len } if *len > 0 => field_verdict(elem, ok_records, ok_enums, bad),
        CTy::Array { .. } => Verdict::No("is a zero-length array".to_string()),
        CTy::Ptr { .. } | CTy::FnPtr { .. } => Verdict::No(format!(
            "is a pointer (`{}`): a described struct holds values only",
            t.spell()
        )),
        CTy::Void => Verdict::No("is void".to_string()),
        CTy::Unknown(why) => Verdict::No(format!("is {why}")),
        CTy::Alias { .. } => Verdict::No("is an unresolved typedef".to_string()),
    }
}

/// The items of the described structs and unions, in the header's order;
/// every other named one is listed as skipped with its reason.
pub(super) fn draft(
    decls: &Declarations,
    verdicts: &Verdicts,
    rust_names: &BTreeMap<String, String>,
    spellings: &Spellings,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
    for r in &decls.records {
        let c = spellings.c_spelling(&r.key);
        let Some(name) = rust_names.get(&r.key) else {
            // Anonymous members are reported with the type that holds them.
            if !r.is_incomplete()
                && !r.key.contains("_bindgen_ty_")
                && !verdicts.handles.contains(&r.key)
            {
                let reason = verdicts.reasons.get(&r.key).cloned().unwrap_or_default();
                let kind = if r.is_union { "union" } else { "struct" };
                let shown = c
                    .strip_prefix(kind)
                    .map(str::trim_start)
                    .unwrap_or(&c)
                    .to_string();
                skips.skip(kind, &shown, reason);
            }
            continue;
        };
        if r.is_union {
            report.unions += 1;
        } else {
            report.structs += 1;
        }
        items.push(record_item(r, name, &c, &decls.types, rust_names));
    }
    items
}

/// One described struct or union, `c` its C spelling.
fn record_item(
    r: &RawRecord,
    name: &str,
    c: &str,
    types: &Types,
    rust_names: &BTreeMap<String, String>,
) -> TokenStream {
    let mut fields = Vec::new();
    for (fname, fty, fattrs) in &r.fields {
        let rust = fname.to_string();
        let c_field = c_field_name(&rust);
        let cty = types.resolve(fty);
        let ty = value_tokens(&cty, rust_names).unwrap_or_else(|| quote!(()));
        let fdocs = docs(fattrs);
        let cn = (c_field != rust).then(|| {
            let l = lit(&c_field);
            quote!(#[c_name = #l])
        });
        let fid = ident(&rust);
        fields.push(quote!(#(#fdocs)* #cn pub #fid: #ty));
    }
    let cn = (c != name).then(|| {
        let l = lit(c);
        quote!(#[c_name = #l])
    });
    let id = ident(name);
    let rdocs = &r.docs;
    let kw = if r.is_union {
        quote!(union)
    } else {
        quote!(struct)
    };
    quote! {
        #(#rdocs)*
        #cn
        pub #kw #id { #(#fields),* }
    }
}

/// A description's name for a bindgen field or parameter: bindgen appends `_`
/// to Rust keywords (`type_`); the C name is the one without.
fn c_field_name(rust: &str) -> String {
    match rust.strip_suffix('_') {
        Some(base) if names::is_keyword(base) => base.to_string(),
        _ => rust.to_string(),
    }
}

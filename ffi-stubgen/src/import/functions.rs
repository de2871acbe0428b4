//! Functions: the meaning of each parameter and of the result, inferred
//! where the evidence is strong (`strings`, `buffers`, `handles`) and left
//! `Unresolved` otherwise, and the drafted signature.

use super::buffers;
use super::collect::{Declarations, RawFn};
use super::ctype::{CTy, Types};
use super::handles::Handles;
use super::names::snake;
use super::param::ParamKind;
use super::report::{ImportReport, Skips};
use super::strings;
use super::tokens::{ident, lit};
use super::value::{by_value_tokens, why_not_value};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The Rust name of each function, by C name: snake case without the
/// common prefix, made unique.
pub(super) fn rust_names(decls: &Declarations, prefix: &str) -> BTreeMap<String, String> {
    let mut fn_rust: BTreeMap<String, String> = BTreeMap::new();
    let mut used = BTreeSet::new();
    for f in &decls.functions {
        let n = f.name.as_str();
        let stripped = n.strip_prefix(prefix).unwrap_or(n);
        let mut r = snake(stripped);
        while !used.insert(r.clone()) {
            r.push('_');
        }
        fn_rust.insert(n.to_string(), r);
    }
    fn_rust
}

/// What drafting a function needs of the rest of the draft.
pub(super) struct Context<'a> {
    pub(super) types: &'a Types,
    /// The Rust names of the described records and enums, by bindgen's name.
    pub(super) rust_names: &'a BTreeMap<String, String>,
    pub(super) handles: &'a Handles,
    /// The Rust names of the functions, by C name.
    pub(super) fn_names: &'a BTreeMap<String, String>,
    /// The prefix every function's name has.
    pub(super) prefix: &'a str,
    /// The header's `static inline` functions, which have no symbol.
    pub(super) inline_fns: &'a BTreeSet<String>,
}

/// The trait's items, in the header's order: each function drafted is
/// named in `report.functions`; each other is listed as skipped.
pub(super) fn draft(
    decls: &Declarations,
    cx: &Context<'_>,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
    for f in &decls.functions {
        match function(f, cx) {
            Ok((tokens, markers)) => {
                report.markers += markers;
                report.functions.push(f.name.clone());
                items.push(tokens);
            }
            Err(reason) => skips.skip("function", &f.name, reason),
        }
    }
    items
}

/// Drafts one function; returns its tokens and how many markers it holds,
/// or why it cannot be described.
fn function(f: &RawFn, cx: &Context<'_>) -> Result<(TokenStream, usize), String> {
    let ctys: Vec<CTy> = f.params.iter().map(|(_, t)| cx.types.resolve(t)).collect();
    for ((name, _), t) in f.params.iter().zip(&ctys) {
        if t.spell().contains("__va_list_tag") {
            return Err(format!("parameter `{name}` is a va_list"));
        }
    }
    if f.variadic && f.params.is_empty() {
        return Err("it is variadic with no fixed parameter".to_string());
    }
    let kinds = param_kinds(f, &ctys, cx)?;
    let (ret, ret_markers) = result(&f.ret, cx)?;
    let markers = kinds.iter().filter(|(k, _)| k.is_marker()).count() + ret_markers;
    let params = f
        .params
        .iter()
        .zip(&kinds)
        .map(|((name, _), (kind, c_type))| {
            let id = ident(name);
            let ty = kind.tokens();
            let attr = c_type.as_ref().map(|c| {
                let l = lit(c);
                quote!(#[c_type = #l])
            });
            quote!(#attr #id: #ty)
        });
    let attrs = attributes(f, cx);
    let id = ident(&cx.fn_names[&f.name]);
    Ok((quote! { #attrs fn #id(#(#params),*) #ret; }, markers))
}

/// Each parameter's meaning, and its C spelling when the meaning's own
/// spelling differs.
fn param_kinds(
    f: &RawFn,
    ctys: &[CTy],
    cx: &Context<'_>,
) -> Result<Vec<(ParamKind, Option<String>)>, String> {
    let frees = cx.handles.freed_by(&f.name);
    let mut kinds = Vec::new();
    for (i, ((name, _), t)) in f.params.iter().zip(ctys).enumerate() {
        let kind = match t.strip() {
            CTy::Ptr { .. } | CTy::FnPtr { .. } => match frees {
                Some(h) => (ParamKind::Owned(h.to_string()), None),
                None => pointer_param(
                    t,
                    ctys.get(i + 1),
                    ctys.get(i + 2),
                    f.params.get(i + 1).map(|p| p.0.as_str()),
                    cx.rust_names,
                ),
            },
            other => match by_value_tokens(other, cx.rust_names) {
                Some(tok) => (ParamKind::Value(tok), None),
                None => {
                    return Err(format!(
                        "parameter `{name}` is `{}`, {}",
                        t.spell(),
                        why_not_value(other)
                    ))
                }
            },
        };
        kinds.push(kind);
    }
    Ok(kinds)
}

/// The meaning of a pointer parameter, given the types of the next two
/// parameters and the next's name; a marker when no inference holds.
fn pointer_param(
    t: &CTy,
    next: Option<&CTy>,
    after_next: Option<&CTy>,
    next_name: Option<&str>,
    rust_names: &BTreeMap<String, String>,
) -> (ParamKind, Option<String>) {
    strings::param(t)
        .or_else(|| buffers::param(t, next, after_next, next_name, rust_names))
        .unwrap_or_else(|| (ParamKind::Marker(t.spell()), None))
}

/// The result's tokens and how many markers they hold.
fn result(ret: &syn::ReturnType, cx: &Context<'_>) -> Result<(TokenStream, usize), String> {
    let syn::ReturnType::Type(_, t) = ret else {
        return Ok((quote!(), 0));
    };
    let cty = cx.types.resolve(t);
    if strings::is_c_string(&cty) {
        return Ok((quote!(-> Borrowed<CStr>), 0));
    }
    match cty.strip() {
        CTy::Void => Ok((quote!(), 0)),
        CTy::Ptr { .. } | CTy::FnPtr { .. } => {
            let l = lit(&cty.spell());
            Ok((quote!(-> Unresolved<#l>), 1))
        }
        other => match by_value_tokens(other, cx.rust_names) {
            Some(tok) => Ok((quote!(-> #tok), 0)),
            None => Err(format!(
                "it returns `{}`, {}",
                cty.spell(),
                why_not_value(other)
            )),
        },
    }
}

/// A drafted function's doc comments and attributes.
fn attributes(f: &RawFn, cx: &Context<'_>) -> TokenStream {
    let rust = &cx.fn_names[&f.name];
    let c_name = (format!("{}{rust}", cx.prefix) != f.name).then(|| {
        let l = lit(&f.name);
        quote!(#[c_name = #l])
    });
    let variadic = f.variadic.then(|| {
        let n = syn::LitInt::new(&f.params.len().to_string(), Span::call_site());
        quote! {
            #[doc = " Variadic in C: this draft describes the call with no extra argument."]
            #[doc = " Describe each other use as its own function with #[variadic(fixed = N)]."]
            #[variadic(fixed = #n)]
        }
    });
    // No symbol to call: the check unit defines a wrapper that calls it.
    let wrap = cx.inline_fns.contains(&f.name).then(|| quote!(#[wrap]));
    let fdocs = &f.docs;
    quote! {
        #(#fdocs)*
        #variadic
        #wrap
        #c_name
    }
}

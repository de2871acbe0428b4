//! Callback types: a function-pointer typedef with exactly one `void *`
//! parameter, its user data, and every other parameter and its result
//! values, strings or buffers with their counts (the rules of `strings` and
//! `lengths`: `const char *s, int len` is `len` bytes, not a string); and
//! which parameter of a function is the user data of its callback.

use super::collect::{Declarations, Typedef};
use super::ctype::CTy;
use super::handles::handle_ref;
use super::lengths::Pairs;
use super::names::{camel, Spellings, TypeNamespace};
use super::report::{ImportReport, Skips};
use super::strings::is_c_string;
use super::tokens::{ident, lit};
use super::value::{by_value_tokens, value_tokens};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The drafted callback types: their items, and their Rust names by C name.
pub(super) struct Drafted {
    pub(super) items: Vec<TokenStream>,
    pub(super) names: BTreeMap<String, String>,
}

/// What the callback types' parameters may name: the described types (by
/// bindgen's name) and the scoped handles (by their key).
struct Names<'a> {
    types: &'a BTreeMap<String, String>,
    scoped: &'a BTreeMap<String, String>,
    spellings: &'a Spellings,
}

impl<'a> Names<'a> {
    fn new(
        types: &'a BTreeMap<String, String>,
        scoped: &'a BTreeMap<String, String>,
        spellings: &'a Spellings,
    ) -> Self {
        Names {
            types,
            scoped,
            spellings,
        }
    }
}

/// The items of the callback typedefs that can be described, in the
/// header's order; every other function-pointer typedef is listed as skipped.
pub(super) fn draft(
    decls: &Declarations,
    rust_names: &BTreeMap<String, String>,
    scoped: &BTreeMap<String, String>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Drafted {
    let mut items = Vec::new();
    let mut names = BTreeMap::new();
    for Typedef { name, ty, docs } in &decls.typedefs {
        let cty = decls.types.resolve(ty);
        let CTy::FnPtr {
            ret,
            params,
            variadic,
        } = &cty
        else {
            continue;
        };
        match signature(
            params,
            ret,
            *variadic,
            &Names::new(rust_names, scoped, spellings),
        ) {
            Ok((ps, r)) => {
                let rust = namespace.fresh(&camel(spellings.without_prefix(name)));
                let id = ident(&rust);
                names.insert(name.clone(), rust.clone());
                let l = lit(name);
                report.callbacks += 1;
                items.push(quote! {
                    #(#docs)*
                    #[callback(c_name = #l)]
                    pub type #id = fn(#(#ps),*) #r;
                });
            }
            Err(reason) => skips.skip("callback type", name, reason),
        }
    }
    let mut drafted = Drafted { items, names };
    inline_types(
        decls,
        &Names::new(rust_names, scoped, spellings),
        spellings,
        namespace,
        report,
        &mut drafted,
    );
    drafted
}

/// Callback types for function-pointer parameters written without a
/// typedef (`int (*xBusy)(void *, int)`), by their C spelling, each named
/// after the first function and parameter that have it; one that cannot be
/// described is left, its parameter `Unresolved`.
fn inline_types(
    decls: &Declarations,
    names: &Names<'_>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
    report: &mut ImportReport,
    drafted: &mut Drafted,
) {
    for f in &decls.functions {
        for (param, ty) in &f.params {
            let cty = decls.types.resolve(ty);
            let CTy::FnPtr {
                ret,
                params,
                variadic,
            } = &cty
            else {
                continue;
            };
            let spelled = cty.spell();
            if drafted.names.contains_key(&spelled) {
                continue;
            }
            let Ok((ps, r)) = signature(params, ret, *variadic, names) else {
                continue;
            };
            let base = format!("{}_{param}", spellings.without_prefix(&f.name));
            let rust = namespace.fresh(&camel(&base));
            let id = ident(&rust);
            let doc = format!(" `{spelled}`, the type of `{}`'s `{param}`.", f.name);
            drafted.names.insert(spelled, rust);
            report.callbacks += 1;
            // No `#[callback(c_name)]`: C names no type for it.
            drafted.items.push(quote! {
                #[doc = #doc]
                pub type #id = fn(#(#ps),*) #r;
            });
        }
    }
}

/// `named` with its user data made a value, so that pairing pointers with
/// counts passes it by.
fn without_user_data(named: &[(String, CTy)]) -> Vec<(String, CTy)> {
    named
        .iter()
        .map(|(n, t)| {
            let t = if is_user_data(t) {
                CTy::Void
            } else {
                t.clone()
            };
            (n.clone(), t)
        })
        .collect()
}

/// Whether `t` is `void *`, not `const`: a function's parameter that can
/// be the user data it passes its callback (a `const void *` is data C
/// reads, as `sqlite3_bind_blob`'s, which its destructor gets).
pub(super) fn is_user_data_param(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { is_const: false, to } if *to.strip() == CTy::Void)
}

fn is_user_data(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { to, .. } if *to.strip() == CTy::Void)
}

/// A callback's parameters and result, or why it cannot be described.
fn signature(
    params: &[(Option<String>, CTy)],
    ret: &CTy,
    variadic: bool,
    names: &Names<'_>,
) -> Result<(Vec<TokenStream>, TokenStream), String> {
    if variadic {
        return Err("it is variadic".to_string());
    }
    let voids = params.iter().filter(|(_, t)| is_user_data(t)).count();
    if voids != 1 {
        return Err(format!(
            "it has {voids} `void *` parameters; a described callback has exactly one, its user data"
        ));
    }
    let named: Vec<(String, CTy)> = params
        .iter()
        .enumerate()
        .map(|(i, (n, t))| (n.clone().unwrap_or_else(|| format!("arg{i}")), t.clone()))
        .collect();
    // A `void *` with a count beside it (`void *buf, size_t n`) is the
    // bytes C hands over, not the user data it was given.
    let with_data = Pairs::new(&named);
    if let Some(i) = (0..named.len()).find(|&i| is_user_data(&named[i].1)) {
        if let Some(l) = with_data.length_of(i) {
            return Err(format!(
                "its `void *` `{}` has the count `{}` beside it: it is data, and a described \
                 callback's one `void *` is its user data",
                named[i].0, named[l].0
            ));
        }
    }
    // The user data is no buffer: it must not claim the count after it.
    let pairs = Pairs::new(&without_user_data(&named));
    let mut out = Vec::new();
    for (i, (name, _)) in named.iter().enumerate() {
        let (attr, ty) = param(i, &named, &pairs, names)?;
        let id = ident(name);
        out.push(quote!(#attr #id: #ty));
    }
    let r = match ret.strip() {
        CTy::Void => quote!(),
        other => {
            let t = by_value_tokens(other, names.types).ok_or_else(|| {
                format!(
                    "it returns `{}`, which a callback cannot describe",
                    ret.spell()
                )
            })?;
            quote!(-> #t)
        }
    };
    Ok((out, r))
}

/// A callback parameter's `#[c_type]` (if any) and meaning, or why it has
/// none a callback can hold.
fn param(
    i: usize,
    named: &[(String, CTy)],
    pairs: &Pairs,
    names: &Names<'_>,
) -> Result<(TokenStream, TokenStream), String> {
    let (name, t) = &named[i];
    let c_type = |t: &CTy| {
        let l = lit(&t.spell());
        quote!(#[c_type = #l])
    };
    if is_user_data(t) {
        return Ok((quote!(), quote!(UserData)));
    }
    // A handle C only lends callbacks: the callback type is the evidence.
    if let Some(h) = handle_ref(t, names.spellings).and_then(|r| names.scoped.get(&r.key)) {
        let h = ident(h);
        return Ok((quote!(), quote!(&#h)));
    }
    if let (CTy::Ptr { is_const: true, to }, Some(l)) = (t.strip(), pairs.length_of(i)) {
        let elem = match to.strip() {
            CTy::Void | CTy::Scalar(ffi_desc::ir::Scalar::Char) => Some(quote!(u8)),
            other => value_tokens(other, names.types),
        };
        if let Some(elem) = elem {
            let len = ident(&named[l].0);
            return Ok((c_type(t), quote!(In<[#elem], len = #len>)));
        }
    }
    if is_c_string(t) {
        if pairs.has_loose() {
            return Err(format!(
                "parameter `{name}` is `{}` and an integer of the callback may count it: \
                 CStr if it is NUL-terminated, In<[u8], len = n> if `n` counts its bytes",
                t.spell()
            ));
        }
        let attr = (t.spell() != "const char *").then(|| c_type(t));
        return Ok((attr.unwrap_or_default(), quote!(CStr)));
    }
    let ty = by_value_tokens(t, names.types).ok_or_else(|| {
        format!(
            "parameter `{name}` is `{}`, which a callback cannot describe",
            t.spell()
        )
    })?;
    Ok((quote!(), ty))
}

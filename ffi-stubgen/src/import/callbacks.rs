//! Callback types: a function-pointer typedef with exactly one `void *`
//! parameter, its user data, and every other parameter and its result
//! values or strings.

use super::collect::{Declarations, Typedef};
use super::ctype::CTy;
use super::names::{camel, Spellings, TypeNamespace};
use super::report::{ImportReport, Skips};
use super::strings::is_c_string;
use super::tokens::{ident, lit};
use super::value::by_value_tokens;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The items of the callback typedefs that can be described, in the
/// header's order; every other function-pointer typedef is listed as skipped.
pub(super) fn draft(
    decls: &Declarations,
    rust_names: &BTreeMap<String, String>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
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
        match signature(params, ret, *variadic, rust_names) {
            Ok((ps, r)) => {
                let rust = namespace.fresh(&camel(spellings.without_prefix(name)));
                let id = ident(&rust);
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
    items
}

fn is_user_data(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { to, .. } if *to.strip() == CTy::Void)
}

/// A callback's parameters and result, or why it cannot be described.
fn signature(
    params: &[(Option<String>, CTy)],
    ret: &CTy,
    variadic: bool,
    rust_names: &BTreeMap<String, String>,
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
    let mut out = Vec::new();
    for (i, (name, t)) in params.iter().enumerate() {
        let name = name.clone().unwrap_or_else(|| format!("arg{i}"));
        let id = ident(&name);
        let ty = if is_user_data(t) {
            quote!(UserData)
        } else if is_c_string(t) {
            quote!(CStr)
        } else {
            by_value_tokens(t, rust_names).ok_or_else(|| {
                format!(
                    "parameter `{name}` is `{}`, which a callback cannot describe",
                    t.spell()
                )
            })?
        };
        out.push(quote!(#id: #ty));
    }
    let r = match ret.strip() {
        CTy::Void => quote!(),
        other => {
            let t = by_value_tokens(other, rust_names).ok_or_else(|| {
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

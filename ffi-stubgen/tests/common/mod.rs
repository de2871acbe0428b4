//! Helpers the import tests share: the part of a draft that builds as
//! drafted.

use ffi_stubgen::import::Import;
use std::collections::BTreeSet;

/// A string literal's value.
fn str_value(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `#[name = ".."]` among `attrs`.
fn name_value(attrs: &[syn::Attribute], name: &str) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident(name) => str_value(&nv.value),
        _ => None,
    })
}

/// The `prefix = ".."` of the draft's `#[foreign]`.
fn prefix(m: &syn::ItemMod) -> String {
    let text: String = m
        .attrs
        .iter()
        .map(|a| quote::ToTokens::to_token_stream(a).to_string())
        .collect();
    text.split("prefix = \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// The draft with only its whole functions (`imported.report.whole`) and
/// the handle types whose free function is among them: what must parse and
/// match the header exactly. Also returns how many functions were removed.
pub fn whole_part(imported: &Import) -> (String, usize) {
    let whole: BTreeSet<&String> = imported.report.whole.iter().collect();
    let mut file = syn::parse_file(&imported.text).expect("a draft is Rust");
    let mut removed = 0;
    for item in &mut file.items {
        let syn::Item::Mod(m) = item else { continue };
        let prefix = prefix(m);
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        let mut kept_fns = BTreeSet::new();
        for it in items.iter_mut() {
            if let syn::Item::Trait(t) = it {
                t.items.retain(|f| {
                    let syn::TraitItem::Fn(f) = f else {
                        return true;
                    };
                    let rust = f.sig.ident.to_string();
                    let c = name_value(&f.attrs, "c_name").unwrap_or(format!("{prefix}{rust}"));
                    let keep = whole.contains(&c);
                    assert!(
                        !keep
                            || !quote::ToTokens::to_token_stream(f)
                                .to_string()
                                .contains("Unresolved"),
                        "`{c}` is counted whole but holds a marker"
                    );
                    if keep {
                        kept_fns.insert(rust);
                    }
                    removed += usize::from(!keep);
                    keep
                });
            }
        }
        items.retain(|it| match it {
            syn::Item::Struct(s) => {
                let text: String = s
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("opaque"))
                    .map(|a| quote::ToTokens::to_token_stream(a).to_string())
                    .collect();
                match text.split("free = ").nth(1) {
                    Some(rest) if text.contains("opaque") => {
                        let free: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        kept_fns.contains(&free)
                    }
                    _ => true,
                }
            }
            _ => true,
        });
    }
    (prettyplease::unparse(&file), removed)
}

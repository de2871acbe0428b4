//! C enums: plain integer variants, with the integer type of `#[repr(..)]`.

use crate::ir::*;
use crate::syntax::attrs::{c_name_of, find_attr};
use crate::syntax::tokens::eval_int;
use crate::syntax::Parser;
use std::collections::BTreeSet;
use syn::spanned::Spanned;

impl Parser {
    pub(super) fn enumeration(&mut self, e: &syn::ItemEnum) -> Option<TypeDef> {
        let mut repr = Scalar::Int;
        if let Some(attr) = find_attr(&e.attrs, "repr") {
            let _ = attr.parse_nested_meta(|meta| {
                let name = meta
                    .path
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                match Scalar::from_rust_name(&name) {
                    Some(s) if s.is_integer() => repr = s,
                    _ if name == "C" => {}
                    _ => self.errs.push(
                        meta.path.span(),
                        "an enum's repr must be C or an integer type",
                    ),
                }
                Ok(())
            });
        }
        let mut next: i64 = 0;
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &e.variants {
            if !matches!(v.fields, syn::Fields::Unit) {
                self.errs.push(
                    v.fields.span(),
                    format!(
                        "`{}` carries data: a C enum's variants are plain integers",
                        v.ident
                    ),
                );
                continue;
            }
            let value = match &v.discriminant {
                None => next,
                Some((_, expr)) => match eval_int(expr) {
                    Some(x) => x,
                    None => {
                        self.errs
                            .push_spanned(&expr, "an enum value must be an integer literal");
                        next
                    }
                },
            };
            if !seen.insert(value) {
                self.errs.push(
                    v.ident.span(),
                    "two variants share this value; C allows it but a Rust enum cannot",
                );
            }
            next = value.wrapping_add(1);
            variants.push(Variant {
                name: v.ident.to_string(),
                c_name: c_name_of(&v.attrs, &v.ident, &mut self.errs),
                value,
            });
        }
        if variants.is_empty() {
            self.errs
                .push(e.ident.span(), "a C enum needs at least one variant");
        }
        Some(TypeDef {
            name: e.ident.to_string(),
            c_name: c_name_of(&e.attrs, &e.ident, &mut self.errs),
            kind: TypeKind::Enum { repr, variants },
        })
    }
}

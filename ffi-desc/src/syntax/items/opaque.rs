//! `#[opaque(c_type = "T", free = f)] struct H;`: a handle type, a pointer
//! Rust never looks behind, freed by `f` when the Rust value drops.

use crate::ir::*;
use crate::syntax::Parser;
use syn::{Attribute, Ident, LitStr};

impl Parser {
    pub(super) fn opaque(&mut self, s: &syn::ItemStruct, attr: &Attribute) -> Option<TypeDef> {
        if !matches!(s.fields, syn::Fields::Unit) {
            self.errs.push_spanned(
                &s.fields,
                "an #[opaque] type has no fields: Rust never looks inside it",
            );
        }
        let mut c_type = None;
        let mut c_pointer = None;
        let mut free = None;
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("c_type") {
                c_type = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("c_pointer") {
                c_pointer = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("free") {
                free = Some(meta.value()?.parse::<Ident>()?);
            } else {
                return Err(
                    meta.error("expected c_type = \"..\", c_pointer = \"..\" or free = function")
                );
            }
            Ok(())
        });
        if let Err(e) = res {
            self.errs.push_error(e);
            return None;
        }
        let pointer_c_type = match (c_type, c_pointer) {
            (Some(t), None) => format!("{t} *"),
            (None, Some(p)) => p,
            (None, None) => format!("{} *", s.ident),
            (Some(_), Some(_)) => {
                self.errs
                    .push_spanned(&attr, "give c_type or c_pointer, not both");
                return None;
            }
        };
        let Some(free) = free else {
            self.errs.push_spanned(
                &attr.meta,
                format!(
                    "the opaque handle `{}` needs `free = function`: the Rust value's Drop calls it",
                    s.ident
                ),
            );
            return None;
        };
        self.free_spans.insert(s.ident.to_string(), free.span());
        Some(TypeDef {
            name: s.ident.to_string(),
            c_name: s.ident.to_string(),
            kind: TypeKind::Opaque {
                pointer_c_type,
                free: free.to_string(),
            },
        })
    }
}

//! `#[copy_out(c_type = "T", size = n, align = a, free = f)] struct S { .. }`:
//! a C struct the linkage reads field by field, at the offsets the
//! description states (the check unit asserts each against the header), and
//! copies into an owned Rust `S`. Each field says where it is read with
//! `#[c(offset = n, field = "path", ..)]`:
//!
//! - `tag`: the enum that selects union members (`yaml_event_t`'s `type`);
//! - `when(V, ..)`: read only when the tag is one of the variants `V`
//!   (a union member), so the Rust field is an `Option`;
//! - `field = ".."` once per union member that holds it at that offset;
//! - `len = l`: a string or byte field's length is the field `l`, which is
//!   read and no field of `S`.
//!
//! Field types: a scalar, enum or struct of the description (`Option<T>`
//! with `when`), `Option<String>` (UTF-8 text, NUL-terminated or with
//! `len`; NULL is `None`) or `Option<Vec<u8>>` (with `len`).

use crate::ir::*;
use crate::syntax::tokens::{generic_args, last_segment, path_ident};
use crate::syntax::Parser;
use proc_macro2::Span;
use syn::{Attribute, GenericArgument, Ident, LitInt, LitStr, Type};

/// `#[c(..)]` of one field, as written.
#[derive(Default)]
struct FieldAttr {
    offset: Option<u64>,
    paths: Vec<String>,
    when: Vec<Ident>,
    len: Option<Ident>,
    tag: bool,
}

impl Parser {
    pub(super) fn copy_out(&mut self, s: &syn::ItemStruct, attr: &Attribute) -> Option<TypeDef> {
        let (c_type, layout, free) = self.copy_out_attr(s, attr)?;
        let syn::Fields::Named(named) = &s.fields else {
            self.errs.push(
                s.ident.span(),
                "a #[copy_out] struct needs named fields, each with #[c(offset = n, field = \"..\")]",
            );
            return None;
        };
        let mut fields = Vec::new();
        let mut lens: Vec<(Ident, Span)> = Vec::new();
        for f in &named.named {
            let ident = f.ident.clone().expect("named field");
            let Some(a) = self.field_attr(&ident, &f.attrs) else {
                continue;
            };
            if let Some(l) = &a.len {
                lens.push((l.clone(), l.span()));
            }
            for w in &a.when {
                let key = format!("{}.{ident}.{w}", s.ident);
                self.copy_spans.insert(key, w.span());
            }
            if let Some(field) = self.copy_field(&ident, &f.ty, a) {
                fields.push(field);
            }
        }
        self.resolve_lengths(&mut fields, &lens);
        let tags = fields
            .iter()
            .filter(|f| matches!(f.kind, CopyKind::Tag(_)))
            .count();
        if tags > 1 {
            self.errs.push(
                s.ident.span(),
                "a #[copy_out] struct has at most one `tag` field",
            );
        }
        if tags == 0 {
            if let Some(f) = fields.iter().find(|f| !f.when.is_empty()) {
                self.errs.push(
                    s.ident.span(),
                    format!(
                        "`{}` is read `when(..)` a tag says so, but no field is the `tag`",
                        f.name
                    ),
                );
            }
        }
        self.copy_spans.insert(s.ident.to_string(), s.ident.span());
        Some(TypeDef {
            name: s.ident.to_string(),
            c_name: c_type,
            kind: TypeKind::CopyOut {
                layout,
                fields,
                free: free.map(|f| f.to_string()),
            },
        })
    }

    /// `c_type`, `size`, `align` and `free` of `#[copy_out(..)]`.
    fn copy_out_attr(
        &mut self,
        s: &syn::ItemStruct,
        attr: &Attribute,
    ) -> Option<(String, Layout, Option<Ident>)> {
        let (mut c_type, mut size, mut align, mut free) = (None, None, None, None);
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("c_type") {
                c_type = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("size") {
                size = Some(meta.value()?.parse::<LitInt>()?.base10_parse::<u64>()?);
            } else if meta.path.is_ident("align") {
                align = Some(meta.value()?.parse::<LitInt>()?.base10_parse::<u64>()?);
            } else if meta.path.is_ident("free") {
                free = Some(meta.value()?.parse::<Ident>()?);
            } else {
                return Err(
                    meta.error("expected c_type = \"..\", size = n, align = n or free = function")
                );
            }
            Ok(())
        });
        if let Err(e) = res {
            self.errs.push_error(e);
            return None;
        }
        let (Some(c_type), Some(size), Some(align)) = (c_type.clone(), size, align) else {
            self.errs.push_spanned(
                &attr.meta,
                format!(
                    "#[copy_out] needs the C struct and its layout: \
                     #[copy_out(c_type = \"{}\", size = n, align = n)], which the check unit asserts",
                    c_type.unwrap_or_else(|| s.ident.to_string())
                ),
            );
            return None;
        };
        if !align.is_power_of_two() || size % align != 0 || size == 0 {
            self.errs.push_spanned(
                &attr.meta,
                "a C struct's alignment is a power of two that divides its (nonzero) size",
            );
            return None;
        }
        Some((c_type, Layout { size, align }, free))
    }

    fn field_attr(&mut self, ident: &Ident, attrs: &[Attribute]) -> Option<FieldAttr> {
        let Some(attr) = attrs.iter().find(|a| a.path().is_ident("c")) else {
            self.errs.push(
                ident.span(),
                format!(
                    "`{ident}` says not where C holds it: #[c(offset = n, field = \"{ident}\")]"
                ),
            );
            return None;
        };
        let mut a = FieldAttr::default();
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("offset") {
                a.offset = Some(meta.value()?.parse::<LitInt>()?.base10_parse::<u64>()?);
            } else if meta.path.is_ident("field") {
                a.paths.push(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("len") {
                a.len = Some(meta.value()?.parse::<Ident>()?);
            } else if meta.path.is_ident("tag") {
                a.tag = true;
            } else if meta.path.is_ident("when") {
                meta.parse_nested_meta(|v| {
                    match v.path.get_ident() {
                        Some(i) => a.when.push(i.clone()),
                        None => return Err(v.error("expected a variant of the tag")),
                    }
                    Ok(())
                })?;
            } else {
                return Err(meta.error(
                    "expected offset = n, field = \"..\", when(Variant, ..), len = field or tag",
                ));
            }
            Ok(())
        });
        if let Err(e) = res {
            self.errs.push_error(e);
            return None;
        }
        if a.offset.is_none() || a.paths.is_empty() {
            self.errs.push_spanned(
                attr,
                "a copied field needs its offset and C member: #[c(offset = n, field = \"..\")]",
            );
            return None;
        }
        Some(a)
    }

    /// A field and what it holds; lengths are resolved afterwards.
    fn copy_field(&mut self, ident: &Ident, ty: &Type, a: FieldAttr) -> Option<CopyField> {
        let optional = last_segment(ty)
            .filter(|s| s.ident == "Option")
            .and_then(|s| match generic_args(s).as_slice() {
                [GenericArgument::Type(t)] => Some(t.clone()),
                _ => None,
            });
        let pointer = optional.as_ref().and_then(|t| {
            let seg = last_segment(t)?;
            match seg.ident.to_string().as_str() {
                "String" => Some(true),
                "Vec" => Some(false),
                _ => None,
            }
        });
        let kind = match (pointer, &a.len, a.tag) {
            (Some(true), len, false) => CopyKind::Str {
                len: len.as_ref().map(|l| l.to_string()),
            },
            (Some(false), Some(len), false) => {
                let bytes = optional.as_ref().and_then(last_segment).is_some_and(|s| {
                    matches!(generic_args(s).as_slice(),
                        [GenericArgument::Type(t)] if path_ident(t).as_deref() == Some("u8"))
                });
                if !bytes {
                    self.errs
                        .push_spanned(ty, "a copied buffer is Option<Vec<u8>>");
                    return None;
                }
                CopyKind::Bytes {
                    len: len.to_string(),
                }
            }
            (Some(false), None, false) => {
                self.errs.push_spanned(
                    ty,
                    "copied bytes need their length: #[c(.., len = length_field)]",
                );
                return None;
            }
            (_, Some(l), _) => {
                self.errs.push(
                    l.span(),
                    "`len = ..` goes with an Option<String> or Option<Vec<u8>> field",
                );
                return None;
            }
            (Some(_), None, true) => {
                self.errs
                    .push_spanned(ty, "the tag is an enum of the description");
                return None;
            }
            (None, None, tag) => self.copied_value(ident, ty, optional.as_ref(), &a, tag)?,
        };
        Some(CopyField {
            name: ident.to_string(),
            c_paths: a.paths,
            offset: a.offset.unwrap_or_default(),
            kind,
            when: a.when.iter().map(|w| w.to_string()).collect(),
        })
    }

    /// A field read by value: `T`, or `Option<T>` for a union member.
    fn copied_value(
        &mut self,
        ident: &Ident,
        ty: &Type,
        optional: Option<&Type>,
        a: &FieldAttr,
        tag: bool,
    ) -> Option<CopyKind> {
        let inner = match (optional, a.when.is_empty()) {
            (Some(t), false) => t,
            (None, true) => ty,
            (Some(_), true) => {
                self.errs.push_spanned(
                    ty,
                    format!(
                        "`{ident}` is always read: write its type without Option, or add when(..)"
                    ),
                );
                return None;
            }
            (None, false) => {
                self.errs.push_spanned(
                    ty,
                    format!(
                        "`{ident}` is read only when(..) the tag says so: its type is Option<..>"
                    ),
                );
                return None;
            }
        };
        let v = self.value_type(inner, false)?;
        if !tag {
            return Some(CopyKind::Value(v));
        }
        match v {
            ValueType::Named(n) if self.kinds.get(&n) == Some(&super::super::Kind::Enum) => {
                if !a.when.is_empty() {
                    self.errs
                        .push_spanned(ty, "the tag is always read: it takes no when(..)");
                }
                Some(CopyKind::Tag(n))
            }
            _ => {
                self.errs
                    .push_spanned(ty, "the tag is an enum of the description");
                None
            }
        }
    }

    /// The fields another field names as its `len` become lengths: integers,
    /// read with that field and not fields of the Rust struct.
    fn resolve_lengths(&mut self, fields: &mut [CopyField], lens: &[(Ident, Span)]) {
        for (l, span) in lens {
            let Some(f) = fields.iter_mut().find(|f| *l == f.name) else {
                self.errs
                    .push(*span, format!("`len = {l}` names no field of this struct"));
                continue;
            };
            match &f.kind {
                CopyKind::Value(ValueType::Scalar(s)) if s.is_integer() => {
                    f.kind = CopyKind::Length(*s);
                    f.when.clear();
                }
                CopyKind::Length(_) => {}
                _ => self.errs.push(
                    *span,
                    format!("the length field `{l}` is an integer (size_t, c_int, ..)"),
                ),
            }
        }
    }
}

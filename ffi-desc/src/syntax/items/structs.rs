//! Structs and unions: their fields, and their C layout, computed once every
//! type they contain by value is laid out.

use crate::ir::*;
use crate::syntax::attrs::{c_name_of, keep_attrs};
use crate::syntax::tokens::path_ident;
use crate::syntax::Parser;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Attribute, Ident, Type};

/// A struct or union whose layout waits on the types of its fields.
pub(crate) struct PendingStruct {
    ident: Ident,
    c_name: String,
    fields: Vec<(Ident, Type, Vec<Attribute>)>,
    is_union: bool,
}

/// The attributes of each struct/union field, keyed by `(type, field)`.
pub(crate) type FieldAttrs = BTreeMap<(String, String), Vec<Attribute>>;

/// A field as laid out: its name, C name and type.
type FieldType = (String, String, ValueType);

impl Parser {
    /// `None` for a struct without named fields (the error is pushed).
    pub(super) fn pending_struct(&mut self, s: &syn::ItemStruct) -> Option<PendingStruct> {
        let fields: Vec<(Ident, Type, Vec<Attribute>)> = match &s.fields {
            syn::Fields::Named(named) => named
                .named
                .iter()
                .map(|f| (f.ident.clone().unwrap(), f.ty.clone(), f.attrs.clone()))
                .collect(),
            _ => {
                self.errs.push(
                    s.ident.span(),
                    "a described struct needs named fields (or #[opaque] for a handle type)",
                );
                return None;
            }
        };
        Some(PendingStruct {
            ident: s.ident.clone(),
            c_name: c_name_of(&s.attrs, &s.ident, &mut self.errs),
            fields,
            is_union: false,
        })
    }

    pub(super) fn pending_union(&mut self, u: &syn::ItemUnion) -> PendingStruct {
        let fields = u
            .fields
            .named
            .iter()
            .map(|f| (f.ident.clone().unwrap(), f.ty.clone(), f.attrs.clone()))
            .collect();
        PendingStruct {
            ident: u.ident.clone(),
            c_name: c_name_of(&u.attrs, &u.ident, &mut self.errs),
            fields,
            is_union: true,
        }
    }

    /// The named types in source order, with the structs and unions (the
    /// `None`s of `types`, in the order of `pending`) laid out; and the
    /// attributes of their fields.
    pub(crate) fn lay_out(
        &mut self,
        types: Vec<Option<TypeDef>>,
        pending: &[PendingStruct],
    ) -> (Vec<TypeDef>, FieldAttrs) {
        let mut laid_out: BTreeMap<String, Layout> = BTreeMap::new();
        for t in types.iter().flatten() {
            if let TypeKind::Enum { repr, .. } = &t.kind {
                laid_out.insert(
                    t.name.clone(),
                    Layout {
                        size: repr.size(),
                        align: repr.size(),
                    },
                );
            }
        }
        let (field_types, field_attrs) = self.field_types(pending);
        let mut resolved: BTreeMap<String, TypeDef> = BTreeMap::new();
        let mut progress = true;
        while progress {
            progress = false;
            for s in pending {
                let name = s.ident.to_string();
                if resolved.contains_key(&name) {
                    continue;
                }
                let Some((def, layout)) = self.lay_out_one(s, &field_types[&name], &laid_out)
                else {
                    continue;
                };
                if let Some(layout) = layout {
                    laid_out.insert(name.clone(), layout);
                    progress = true;
                }
                resolved.insert(name, def);
            }
        }
        self.report_self_containment(pending, &resolved);
        let mut pending = pending.iter();
        let types = types
            .into_iter()
            .filter_map(|t| match t {
                Some(t) => Some(t),
                None => resolved.remove(&pending.next()?.ident.to_string()),
            })
            .collect();
        (types, field_attrs)
    }

    /// The type of each field that has a valid one, per struct name.
    fn field_types(
        &mut self,
        pending: &[PendingStruct],
    ) -> (BTreeMap<String, Vec<FieldType>>, FieldAttrs) {
        let mut field_types = BTreeMap::new();
        let mut field_attrs = BTreeMap::new();
        for s in pending {
            let mut out = Vec::new();
            for (fname, fty, fattrs) in &s.fields {
                if let Some(vt) = self.field_type(fty) {
                    out.push((
                        fname.to_string(),
                        c_name_of(fattrs, fname, &mut self.errs),
                        vt,
                    ));
                }
                field_attrs.insert((s.ident.to_string(), fname.to_string()), keep_attrs(fattrs));
            }
            field_types.insert(s.ident.to_string(), out);
        }
        (field_types, field_attrs)
    }

    /// `None` while a field's type is not laid out yet. A size that
    /// overflows gives a placeholder definition without a layout (and the
    /// error), so that the type is not tried again.
    fn lay_out_one(
        &mut self,
        s: &PendingStruct,
        fields: &[FieldType],
        laid_out: &BTreeMap<String, Layout>,
    ) -> Option<(TypeDef, Option<Layout>)> {
        let layouts: Vec<Layout> = fields
            .iter()
            .map(|(_, _, ty)| layout_with(laid_out, ty))
            .collect::<Option<_>>()?;
        let Some((offsets, layout)) = c_struct_layout(&layouts, s.is_union) else {
            self.errs
                .push(s.ident.span(), "the size of this type overflows");
            let placeholder = TypeDef {
                name: String::new(),
                c_name: String::new(),
                kind: TypeKind::Opaque {
                    pointer_c_type: String::new(),
                    free: String::new(),
                    scoped: false,
                    context: None,
                    kept_by_call: false,
                    storage: None,
                },
            };
            return Some((placeholder, None));
        };
        let fields = fields
            .iter()
            .zip(offsets)
            .map(|((n, c, ty), offset)| Field {
                name: n.clone(),
                c_name: c.clone(),
                ty: ty.clone(),
                offset,
            })
            .collect();
        let kind = if s.is_union {
            TypeKind::Union { fields, layout }
        } else {
            TypeKind::Struct { fields, layout }
        };
        let def = TypeDef {
            name: s.ident.to_string(),
            c_name: s.c_name.clone(),
            kind,
        };
        Some((def, Some(layout)))
    }

    /// What is still unresolved contains itself by value, directly or through
    /// other unresolved types. Points at the fields that name such a type (a
    /// struct that only waits on one whose size overflowed has its error already).
    fn report_self_containment(
        &mut self,
        pending: &[PendingStruct],
        resolved: &BTreeMap<String, TypeDef>,
    ) {
        let unresolved: BTreeSet<String> = pending
            .iter()
            .map(|s| s.ident.to_string())
            .filter(|n| !resolved.contains_key(n))
            .collect();
        for s in pending {
            let ident = &s.ident;
            if !unresolved.contains(&ident.to_string()) {
                continue;
            }
            for (fname, fty, _) in &s.fields {
                let mut elem = fty;
                while let Type::Array(a) = elem {
                    elem = &a.elem;
                }
                if let Some(inner) = path_ident(elem).filter(|n| unresolved.contains(n)) {
                    let how = if *ident == inner {
                        "directly".to_string()
                    } else {
                        format!("through `{inner}`")
                    };
                    self.errs.push_spanned(
                        fty,
                        format!(
                            "`{ident}` contains itself by value {how} (field `{fname}`), \
                             so it has no finite size"
                        ),
                    );
                }
            }
        }
    }
}

fn layout_with(known: &BTreeMap<String, Layout>, ty: &ValueType) -> Option<Layout> {
    match ty {
        ValueType::Scalar(s) => Some(Layout {
            size: s.size(),
            align: s.size(),
        }),
        ValueType::Named(n) => known.get(n).copied(),
        ValueType::Array { elem, len } => {
            let l = layout_with(known, elem)?;
            Some(Layout {
                size: l.size.checked_mul(*len)?,
                align: l.align,
            })
        }
    }
}

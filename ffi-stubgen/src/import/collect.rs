//! Collecting the declarations of bindgen's output, as bindgen wrote them.

use super::ctype::{Decl, Types};
use super::tokens::{docs, ident};
use proc_macro2::Ident;
use quote::quote;
use std::collections::BTreeMap;

/// A struct or union.
pub(super) struct RawRecord {
    /// bindgen's name (`struct_sv_point`).
    pub(super) key: String,
    pub(super) is_union: bool,
    /// Each field's Rust name, type and attributes.
    pub(super) fields: Vec<(Ident, syn::Type, Vec<syn::Attribute>)>,
    pub(super) docs: Vec<syn::Attribute>,
    /// `packed` or `over-aligned`, when bindgen asks for that layout.
    pub(super) layout_attr: Option<String>,
}

impl RawRecord {
    /// Whether the header declares it without its fields: bindgen gives such
    /// a type one placeholder field.
    pub(super) fn is_incomplete(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].0 == "_unused"
    }
}

/// An enum.
pub(super) struct RawEnum {
    /// bindgen's name (`enum_sv_color`).
    pub(super) key: String,
    /// Its integer type, in Rust (`u32`).
    pub(super) repr: String,
    /// Each enumerator's name, value and attributes.
    pub(super) variants: Vec<(Ident, syn::Expr, Vec<syn::Attribute>)>,
    pub(super) docs: Vec<syn::Attribute>,
}

/// A function.
pub(super) struct RawFn {
    /// Its C name.
    pub(super) name: String,
    /// Each parameter's name and type.
    pub(super) params: Vec<(String, syn::Type)>,
    pub(super) ret: syn::ReturnType,
    pub(super) variadic: bool,
    pub(super) docs: Vec<syn::Attribute>,
}

/// A typedef (`pub type X = T;`, or `pub use self::T as X;` for an enum).
pub(super) struct Typedef {
    pub(super) name: String,
    pub(super) ty: syn::Type,
    pub(super) docs: Vec<syn::Attribute>,
}

/// Everything bindgen declared, in its order.
#[derive(Default)]
pub(super) struct Declarations {
    /// Every declared type name, to resolve types by.
    pub(super) types: Types,
    pub(super) typedefs: Vec<Typedef>,
    pub(super) records: Vec<RawRecord>,
    pub(super) enums: Vec<RawEnum>,
    /// Enumerators that repeat another's value, by enum key: bindgen
    /// declares them as associated constants.
    pub(super) enum_aliases: Vec<(String, String)>,
    /// `#define` constants and the like.
    pub(super) consts: Vec<syn::ItemConst>,
    pub(super) functions: Vec<RawFn>,
    /// Global variables.
    pub(super) statics: Vec<String>,
    /// The size and alignment of each record, by bindgen's name, from
    /// bindgen's layout assertions.
    pub(super) layouts: BTreeMap<String, (u64, u64)>,
}

impl Declarations {
    /// Reads bindgen's output.
    pub(super) fn read(file: syn::File) -> Declarations {
        let mut d = Declarations::default();
        for item in file.items {
            match item {
                // bindgen's own helpers, not the header's.
                syn::Item::Struct(s)
                    if s.ident.to_string().starts_with("__Bindgen")
                        || s.ident.to_string().starts_with("__Incomplete") => {}
                syn::Item::Struct(s) => {
                    let fields = match s.fields {
                        syn::Fields::Named(n) => named_fields(n.named),
                        _ => Vec::new(),
                    };
                    d.add_record(s.ident, false, fields, &s.attrs);
                }
                syn::Item::Union(u) => {
                    let fields = named_fields(u.fields.named);
                    d.add_record(u.ident, true, fields, &u.attrs);
                }
                syn::Item::Enum(e) => d.read_enum(e),
                syn::Item::Type(t) => {
                    let name = t.ident.to_string();
                    d.types
                        .decls
                        .insert(name.clone(), Decl::Alias(t.ty.clone()));
                    d.typedefs.push(Typedef {
                        name,
                        ty: *t.ty,
                        docs: docs(&t.attrs),
                    });
                }
                syn::Item::Use(u) => d.read_use(&u),
                // bindgen's layout assertions (`const _: () = ..`).
                syn::Item::Const(c) if c.ident == "_" => {}
                syn::Item::Const(c) => d.consts.push(c),
                syn::Item::Impl(i) => d.read_impl(i),
                syn::Item::ForeignMod(m) => d.read_foreign(m),
                _ => {}
            }
        }
        d
    }

    fn add_record(
        &mut self,
        ident: Ident,
        is_union: bool,
        fields: Vec<(Ident, syn::Type, Vec<syn::Attribute>)>,
        attrs: &[syn::Attribute],
    ) {
        let key = ident.to_string();
        self.types.decls.insert(key.clone(), Decl::Record);
        self.records.push(RawRecord {
            key,
            is_union,
            fields,
            layout_attr: layout_attr(attrs),
            docs: docs(attrs),
        });
    }

    fn read_enum(&mut self, e: syn::ItemEnum) {
        let key = e.ident.to_string();
        let repr = e
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("repr"))
            .filter_map(|a| a.parse_args::<Ident>().ok())
            .map(|i| i.to_string())
            .next()
            .unwrap_or_else(|| "u32".to_string());
        let variants = e
            .variants
            .into_iter()
            .filter_map(|v| v.discriminant.map(|(_, ex)| (v.ident, ex, v.attrs)))
            .collect();
        self.types.decls.insert(key.clone(), Decl::Enum);
        self.enums.push(RawEnum {
            key,
            repr,
            variants,
            docs: docs(&e.attrs),
        });
    }

    /// `pub use self::enum_foo as foo;`
    fn read_use(&mut self, u: &syn::ItemUse) {
        if let syn::UseTree::Path(p) = &u.tree {
            if let syn::UseTree::Rename(r) = &*p.tree {
                let to = r.ident.clone();
                let ty: syn::Type = syn::parse_quote!(#to);
                let name = r.rename.to_string();
                self.types
                    .decls
                    .insert(name.clone(), Decl::Alias(Box::new(ty.clone())));
                self.typedefs.push(Typedef {
                    name,
                    ty,
                    docs: Vec::new(),
                });
            }
        }
    }

    /// Enumerators that repeat another's value.
    fn read_impl(&mut self, i: syn::ItemImpl) {
        let key = match &*i.self_ty {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        for it in i.items {
            if let syn::ImplItem::Const(c) = it {
                self.enum_aliases.push((key.clone(), c.ident.to_string()));
            }
        }
    }

    fn read_foreign(&mut self, m: syn::ItemForeignMod) {
        for fi in m.items {
            match fi {
                syn::ForeignItem::Fn(f) => {
                    let params = f
                        .sig
                        .inputs
                        .iter()
                        .enumerate()
                        .filter_map(|(i, a)| match a {
                            syn::FnArg::Typed(pt) => {
                                let name = match &*pt.pat {
                                    syn::Pat::Ident(pi) => pi.ident.to_string(),
                                    _ => format!("arg{i}"),
                                };
                                // A capitalized name (`CDict`) may be a
                                // drafted type's, which a parameter pattern
                                // of that name would match instead.
                                let name = if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                                    format!("{name}_")
                                } else {
                                    name
                                };
                                Some((name, (*pt.ty).clone()))
                            }
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    self.functions.push(RawFn {
                        name: f.sig.ident.to_string(),
                        params,
                        ret: f.sig.output.clone(),
                        variadic: f.sig.variadic.is_some(),
                        docs: docs(&f.attrs),
                    });
                }
                syn::ForeignItem::Static(s) => self.statics.push(s.ident.to_string()),
                _ => {}
            }
        }
    }

    /// The typedef name of each record and enum that has one (the first, as
    /// `pub type sv_point = struct_sv_point;`), by bindgen's name.
    pub(super) fn typedef_names(&self) -> BTreeMap<String, String> {
        let mut typedef_of: BTreeMap<String, String> = BTreeMap::new();
        for t in &self.typedefs {
            if let syn::Type::Path(p) = &t.ty {
                if let Some(seg) = p.path.segments.last() {
                    let target = seg.ident.to_string();
                    if matches!(
                        self.types.decls.get(&target),
                        Some(Decl::Record | Decl::Enum)
                    ) {
                        typedef_of.entry(target).or_insert_with(|| t.name.clone());
                    }
                }
            }
        }
        typedef_of
    }
}

fn named_fields(
    fields: syn::punctuated::Punctuated<syn::Field, syn::token::Comma>,
) -> Vec<(Ident, syn::Type, Vec<syn::Attribute>)> {
    fields
        .into_iter()
        .map(|f| (f.ident.unwrap_or_else(|| ident("_")), f.ty, f.attrs))
        .collect()
}

/// The layout bindgen asks for, when it is not plain C order.
fn layout_attr(attrs: &[syn::Attribute]) -> Option<String> {
    for a in attrs.iter().filter(|a| a.path().is_ident("repr")) {
        let text = quote!(#a).to_string();
        if text.contains("packed") {
            return Some("packed".to_string());
        }
        if text.contains("align") {
            return Some("over-aligned".to_string());
        }
    }
    None
}

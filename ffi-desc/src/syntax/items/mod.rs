//! The items of a description module: named types, callback types, the
//! trait, and the `use` items and constants passed through unchanged.

mod callbacks;
mod constants;
mod copy_out;
mod enums;
mod opaque;
mod structs;

use structs::PendingStruct;

use super::attrs::{find_attr, keep_attrs};
use super::{Kind, Parser};
use crate::ir::*;
use syn::{Attribute, Ident, Item};

/// The module's items, sorted by what they declare, each with the
/// attributes the expander keeps.
#[derive(Default)]
pub(crate) struct Items {
    /// The named types in source order; `None` for a struct or union, laid
    /// out once every type is parsed.
    pub(crate) types: Vec<Option<TypeDef>>,
    pub(crate) type_attrs: Vec<Vec<Attribute>>,
    /// The structs and unions, in the order of the `None`s of `types`.
    pub(crate) structs: Vec<PendingStruct>,
    pub(crate) callbacks: Vec<CallbackDef>,
    pub(crate) callback_attrs: Vec<Vec<Attribute>>,
    pub(crate) passthrough: Vec<Item>,
    /// The constants the check unit asserts.
    pub(crate) constants: Vec<Constant>,
    pub(crate) the_trait: Option<syn::ItemTrait>,
}

impl Parser {
    /// Names and kinds of every named type, so that references resolve in
    /// any order.
    pub(crate) fn declare_types(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Struct(s) => {
                    let kind = if find_attr(&s.attrs, "opaque").is_some() {
                        Kind::Opaque
                    } else if find_attr(&s.attrs, "copy_out").is_some() {
                        Kind::CopyOut
                    } else {
                        Kind::Struct
                    };
                    self.declare(&s.ident, kind);
                }
                Item::Union(u) => self.declare(&u.ident, Kind::Union),
                Item::Enum(e) => self.declare(&e.ident, Kind::Enum),
                Item::Type(t) => self.declare(&t.ident, Kind::Callback),
                _ => {}
            }
        }
    }

    fn declare(&mut self, ident: &Ident, kind: Kind) {
        let name = ident.to_string();
        if self.kinds.insert(name, kind).is_some() {
            self.errs.push(
                ident.span(),
                "this name is declared twice in the description",
            );
        }
    }

    pub(crate) fn items(&mut self, items: Vec<Item>) -> Items {
        let mut found = Items::default();
        for item in items {
            match item {
                Item::Use(_) => found.passthrough.push(item),
                Item::Const(c) => self.constant(c, &mut found),
                Item::Struct(s) => self.struct_item(&s, &mut found),
                Item::Union(u) => {
                    found.structs.push(self.pending_union(&u));
                    found.type_attrs.push(keep_attrs(&u.attrs));
                    found.types.push(None);
                }
                Item::Enum(e) => {
                    if let Some(td) = self.enumeration(&e) {
                        found.types.push(Some(td));
                        found.type_attrs.push(keep_attrs(&e.attrs));
                    }
                }
                Item::Type(t) => {
                    if let Some(cb) = self.callback(&t) {
                        found.callbacks.push(cb);
                        found.callback_attrs.push(keep_attrs(&t.attrs));
                    }
                }
                Item::Trait(t) => match &found.the_trait {
                    Some(first) => self.errs.push(
                        t.ident.span(),
                        format!(
                            "a description holds exactly one trait: `{}` already lists the C functions",
                            first.ident
                        ),
                    ),
                    None => found.the_trait = Some(t),
                },
                other => self.unsupported_item(&other),
            }
        }
        found
    }

    /// An opaque handle type, or a struct laid out later.
    fn struct_item(&mut self, s: &syn::ItemStruct, found: &mut Items) {
        if let Some(attr) = find_attr(&s.attrs, "opaque") {
            if let Some(td) = self.opaque(s, attr) {
                found.types.push(Some(td));
                found.type_attrs.push(keep_attrs(&s.attrs));
            }
        } else if let Some(attr) = find_attr(&s.attrs, "copy_out") {
            if let Some(td) = self.copy_out(s, attr) {
                found.types.push(Some(td));
                found.type_attrs.push(keep_attrs(&s.attrs));
            }
        } else if let Some(pending) = self.pending_struct(s) {
            found.structs.push(pending);
            found.type_attrs.push(keep_attrs(&s.attrs));
            found.types.push(None);
        }
    }

    fn unsupported_item(&mut self, item: &Item) {
        let (what, ident) = match item {
            Item::Static(i) => ("a `static`", Some(&i.ident)),
            Item::Fn(i) => (
                "a free `fn` (functions go in the trait)",
                Some(&i.sig.ident),
            ),
            Item::Mod(i) => ("a nested module", Some(&i.ident)),
            Item::Impl(_) => ("an `impl` block", None),
            Item::Macro(i) => ("a macro invocation", i.ident.as_ref()),
            Item::ExternCrate(i) => ("an `extern crate`", Some(&i.ident)),
            Item::ForeignMod(_) => ("an `extern` block", None),
            Item::TraitAlias(i) => ("a trait alias", Some(&i.ident)),
            _ => ("this item", None),
        };
        let msg = format!(
            "{what} has no place in a #[foreign] module: it holds structs, unions, enums, \
             #[opaque] handle types, callback types (`type F = fn(..)`), `use` items, \
             constants and one trait"
        );
        match ident {
            Some(i) => self.errs.push(i.span(), msg),
            None => self.errs.push_spanned(item, msg),
        }
    }
}

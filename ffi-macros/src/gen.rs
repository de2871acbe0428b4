//! The generator's view of one description: the checked model, and the
//! look-ups every part of the expansion shares.

use crate::ir::*;
use crate::syntax::Model;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;

pub(crate) struct Gen<'a> {
    pub(crate) desc: &'a Description,
    pub(crate) m: &'a Model,
}

pub(crate) fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// The lifetime of the borrow of the handle parameter `name` that the
/// handles a function returns with `parent = name` live within.
pub(crate) fn parent_lifetime(name: &str) -> syn::Lifetime {
    // A raw identifier (`r#type`) names no lifetime; a prefix keeps it apart
    // from the keywords.
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let lt = if bare == name {
        format!("'{bare}")
    } else {
        format!("'p_{bare}")
    };
    syn::Lifetime::new(&lt, Span::call_site())
}

/// What stands where an `Unresolved` marker would be expanded: the parser
/// refuses the marker outside drafts, and drafts are never expanded, so this
/// only guards the match.
pub(crate) fn unresolved() -> TokenStream {
    quote!(::core::compile_error!(
        "an Unresolved pointer reached code generation"
    ))
}

impl Gen<'_> {
    pub(crate) fn is_enum(&self, name: &str) -> bool {
        matches!(
            self.desc.type_def(name).map(|t| &t.kind),
            Some(TypeKind::Enum { .. })
        )
    }

    pub(crate) fn enum_repr(&self, name: &str) -> Option<Scalar> {
        match self.desc.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { repr, .. }) => Some(*repr),
            _ => None,
        }
    }

    /// The functions callbacks' `#[user_data = f]` name, once each, in the
    /// order of the callback types: their index is their place in
    /// `rt::NativeCaller::getters`.
    pub(crate) fn user_data_fns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for cb in &self.desc.callbacks {
            for p in &cb.params {
                if let CallbackParam::Handle {
                    user_data: Some(f), ..
                } = p
                {
                    if !out.contains(&f.as_str()) {
                        out.push(f);
                    }
                }
            }
        }
        out
    }

    /// The index of an opaque type among the description's opaque types: the
    /// `type_index` a handle's owner frees it by.
    pub(crate) fn opaque_index(&self, name: &str) -> usize {
        self.desc
            .types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Opaque { .. }))
            .position(|t| t.name == name)
            .unwrap_or(0)
    }

    /// The functions that are methods of the generated trait, with their
    /// index in `desc.functions` (the Isolated wire's function number). A
    /// function that frees returned strings, or that registers a handle's
    /// callback table or gives callbacks their user data, is the linkages'
    /// to call, not a method (see `Description::frees_returned_strings`,
    /// `registers_context`, `gives_user_data`).
    pub(crate) fn methods(&self) -> impl Iterator<Item = (usize, &Function)> {
        self.desc.functions.iter().enumerate().filter(|(_, f)| {
            !self.desc.frees_returned_strings(f)
                && !self.desc.registers_context(f)
                && !self.desc.frees_copied_struct(f)
                && !self.desc.gives_user_data(f)
        })
    }

    /// Unique C functions in description order (variadic instantiations share one).
    pub(crate) fn unique_c_fns(&self) -> Vec<&Function> {
        let mut seen = std::collections::BTreeSet::new();
        self.desc
            .functions
            .iter()
            .filter(|f| !f.view && seen.insert(f.c_name.clone()))
            .collect()
    }
}

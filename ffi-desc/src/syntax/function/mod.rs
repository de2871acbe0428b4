//! The functions of the description's trait.

mod attrs;
mod variadic;

use super::attrs::{find_attr, keep_attrs};
use super::Parser;
use crate::ir::*;
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, ReturnType, TraitItem};

/// Where a function's parts are written, for errors found after parsing it.
pub(crate) struct FnSpans {
    /// The function's name.
    pub(crate) name: Span,
    /// The function the result names: the `f` of a returned `Owned<CStr,
    /// free = f>`, the `g` of `Borrowed<[u8], len = g>`.
    pub(crate) free: Option<Span>,
    /// Each parameter's written type, in the order of `Function::params`.
    pub(crate) params: Vec<proc_macro2::TokenStream>,
    /// The slots of `#[clears(..)]`.
    pub(crate) clears: Vec<Ident>,
}

impl Parser {
    /// Adds the functions the trait lists to `desc`. Returns the attributes
    /// the expander keeps of each, and where each is written.
    pub(crate) fn trait_functions(
        &mut self,
        the_trait: &syn::ItemTrait,
        desc: &mut Description,
    ) -> (Vec<Vec<Attribute>>, Vec<FnSpans>) {
        if !the_trait.generics.params.is_empty() {
            self.errs
                .push_spanned(&the_trait.generics, "a description trait takes no generics");
        }
        let mut fn_attrs = Vec::new();
        let mut fn_spans = Vec::new();
        for item in &the_trait.items {
            match item {
                TraitItem::Fn(f) => {
                    if let Some((func, span)) = self.function(f) {
                        fn_attrs.push(keep_attrs(&f.attrs));
                        fn_spans.push(span);
                        desc.functions.push(func);
                    }
                }
                other => self.errs.push_spanned(
                    &other,
                    "a description trait holds only C function declarations",
                ),
            }
        }
        (fn_attrs, fn_spans)
    }

    fn function(&mut self, f: &syn::TraitItemFn) -> Option<(Function, FnSpans)> {
        let sig = &f.sig;
        self.check_plain_fn(f);
        let attrs = self.fn_attrs(f);
        if let Some(v) = &sig.variadic {
            self.errs.push_spanned(
                v,
                "variadic function without instantiation: describe each use as its own function \
                 with #[c_name = \"...\"] #[variadic(fixed = N)] and the argument types spelled out",
            );
        }
        // `parent = p` uses left by a function that failed to parse.
        self.parent_uses.clear();
        let (params, param_tys) = self.params(sig);
        let (ret, free_span) = match (&sig.output, attrs.view) {
            (ReturnType::Type(_, ty), Some(_)) => (self.view_ret(ty)?, None),
            (ReturnType::Default, Some(attr)) => {
                self.errs.push_spanned(
                    attr,
                    "a #[view] copies a #[copy_out] struct out of a state: it returns that struct",
                );
                return None;
            }
            (ReturnType::Default, None) => (Return::Void, None),
            (ReturnType::Type(_, ty), None) => self.ret(ty)?,
        };
        self.check_parents(sig, &params);
        if let (Some(_), Return::Void) = (&attrs.ret_c_type, &ret) {
            if let Some(attr) = find_attr(&f.attrs, "c_type") {
                self.errs.push_spanned(
                    attr,
                    "#[c_type] on a function spells its result in C, and this one returns nothing",
                );
            }
        }
        if let (Some(attr), Some(_)) = (attrs.wrap, attrs.variadic) {
            self.errs.push_spanned(
                attr,
                "#[wrap] and #[variadic] do not combine: a wrapper has fixed parameters; \
                 describe the macro or inline function with the arguments it is used with, \
                 without #[variadic]",
            );
        }
        if let Some((fixed, fixed_span)) = attrs.variadic {
            self.check_variadic(sig, fixed, fixed_span, &params, &param_tys);
        }
        Some((
            Function {
                name: sig.ident.to_string(),
                c_name: attrs.c_name,
                params,
                ret,
                errno: attrs.errno,
                variadic_fixed: attrs.variadic.map(|(fixed, _)| fixed),
                wrapper: attrs.wrap.is_some(),
                ret_c_type: attrs.ret_c_type,
                clears: attrs.clears.iter().map(|c| c.to_string()).collect(),
                view: attrs.view.is_some(),
                thread_safe: attrs.thread_safe,
            },
            FnSpans {
                name: sig.ident.span(),
                free: free_span,
                params: param_tys.iter().map(|t| t.to_token_stream()).collect(),
                clears: attrs.clears,
            },
        ))
    }

    /// A described function is a plain `fn` declaration: C has one
    /// signature and provides the body.
    fn check_plain_fn(&mut self, f: &syn::TraitItemFn) {
        let sig = &f.sig;
        if let Some(body) = &f.default {
            self.errs.push(
                body.span(),
                "a described function has no body: C provides it",
            );
        }
        if !sig.generics.params.is_empty() {
            self.errs.push_spanned(
                &sig.generics,
                "a described function takes no generics: C has one signature per function",
            );
        }
        let keyword = sig
            .constness
            .map(|k| k.span)
            .or(sig.asyncness.map(|k| k.span))
            .or(sig.unsafety.map(|k| k.span));
        if let Some(k) = keyword {
            self.errs.push(
                k,
                "write a described function as a plain `fn`: the description is the trust point, \
                 and calling a described function is safe",
            );
        }
    }
}

//! Checks that need the whole description: duplicate names, the slots
//! `#[clears]` names, and the functions that free strings and handles.

use super::function::FnSpans;
use super::Parser;
use crate::ir::*;
use proc_macro2::Span;
use std::collections::BTreeMap;

impl Parser {
    pub(crate) fn check_whole(&mut self, desc: &mut Description, spans: &[FnSpans]) {
        self.check_duplicate_names(desc, spans);
        self.check_cleared_slots(spans);
        self.check_contexts(desc, spans);
        self.resolve_string_frees(desc, spans);
        self.check_handle_frees(desc, spans);
        self.check_scoped(desc, spans);
        self.check_result_lengths(desc, spans);
        self.check_state(desc, spans);
    }

    fn check_duplicate_names(&mut self, desc: &Description, spans: &[FnSpans]) {
        let mut c_names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust_names: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, f) in desc.functions.iter().enumerate() {
            if let Some(first) = c_names.insert(&f.c_name, i) {
                let both_variadic =
                    f.variadic_fixed.is_some() && desc.functions[first].variadic_fixed.is_some();
                if both_variadic {
                    continue;
                }
                self.errs.push(
                    spans[i].name,
                    format!(
                        "duplicate C name: `{}` and `{}` both describe the C function `{}` \
                         (only #[variadic] instantiations may share a C name)",
                        desc.functions[first].name, f.name, f.c_name
                    ),
                );
            }
            if rust_names.insert(&f.name, i).is_some() {
                self.errs
                    .push(spans[i].name, format!("duplicate function `{}`", f.name));
            }
        }
    }

    /// `#[clears(slot)]` names a slot some stored callback is kept in.
    fn check_cleared_slots(&mut self, spans: &[FnSpans]) {
        for span in spans {
            for slot in &span.clears {
                if !self.slot_spans.contains_key(&slot.to_string()) {
                    self.errs.push(
                        slot.span(),
                        format!(
                            "#[clears({slot})] names no slot: keep a callback there with \
                             `Callback<F, stored = {slot}>`"
                        ),
                    );
                }
            }
        }
    }

    /// Owned strings (returned, or written through `Out<..>`) name their
    /// free function by Rust name; store the C symbol.
    fn resolve_string_frees(&mut self, desc: &mut Description, spans: &[FnSpans]) {
        let by_name: BTreeMap<String, (String, Vec<Param>, usize)> = desc
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), (f.c_name.clone(), f.params.clone(), i)))
            .collect();
        for (i, f) in desc.functions.iter_mut().enumerate() {
            // Where each string's free function is named, in the order of
            // `Function::string_frees`: the result's, then the out parameters'.
            let ret_span = spans[i].free.unwrap_or(spans[i].name);
            let at: Vec<proc_macro2::TokenStream> = f
                .ret
                .string_free()
                .map(|_| quote::quote_spanned!(ret_span=> free))
                .into_iter()
                .chain(
                    f.params
                        .iter()
                        .zip(&spans[i].params)
                        .filter(|(p, _)| {
                            matches!(&p.kind, ParamKind::OutResult(r) if r.string_free().is_some())
                        })
                        .map(|(_, s)| s.clone()),
                )
                .collect();
            let fname = f.name.clone();
            for (k, free) in f.string_frees_mut().enumerate() {
                let at = at.get(k).cloned().unwrap_or_default();
                match by_name.get(free.as_str()) {
                    Some((c, params, _))
                        if params.len() == 1
                            && matches!(
                                params[0].kind,
                                ParamKind::Pointer {
                                    dir: Direction::InOut | Direction::Out | Direction::In,
                                    extent: Extent::NulTerminated,
                                    ..
                                }
                            ) =>
                    {
                        *free = c.clone()
                    }
                    Some((_, _, j)) => self.errs.push(
                        spans[*j].name,
                        format!(
                            "`{free}` frees the string `{fname}` returns: it must take exactly one CStr"
                        ),
                    ),
                    None => self.errs.push_spanned(
                        &at,
                        format!("the free function `{free}` is not described in this trait"),
                    ),
                }
            }
        }
    }

    /// The free function of each opaque handle type takes exactly one
    /// `Owned<H>`.
    fn check_handle_frees(&mut self, desc: &Description, spans: &[FnSpans]) {
        for t in &desc.types {
            if let TypeKind::Opaque {
                free,
                scoped: false,
                ..
            } = &t.kind
            {
                match desc.functions.iter().find(|f| &f.name == free) {
                    Some(f)
                        if f.params.len() == 1
                            && matches!(&f.params[0].kind, ParamKind::Handle { ty, consume: true, .. } if *ty == t.name) =>
                        {}
                    Some(f) => {
                        let i = desc
                            .functions
                            .iter()
                            .position(|g| g.name == f.name)
                            .unwrap_or(0);
                        self.errs.push(
                            spans[i].name,
                            format!(
                                "`{free}` frees `{}`: it must take exactly one Owned<{}>",
                                t.name, t.name
                            ),
                        )
                    }
                    None => self.errs.push(
                        self.free_spans
                            .get(&t.name)
                            .copied()
                            .unwrap_or_else(Span::call_site),
                        format!(
                            "the free function `{free}` of `{}` is not described in the trait",
                            t.name
                        ),
                    ),
                }
            }
        }
    }
}

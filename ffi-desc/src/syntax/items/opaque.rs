//! `#[opaque(c_type = "T", free = f)] struct H;`: a handle type, a pointer
//! Rust never looks behind, freed by `f` when the Rust value drops.
//!
//! `context = g` names the function (`fn g(h: &H, data: UserData)`, expat's
//! `XML_SetUserData`) through which the linkage registers the handle's own
//! table of callbacks as the user data C hands them: callbacks written
//! `Callback<F, stored = slot, on = h>` are kept there and freed with the
//! handle. `g` is no method; the checks of that are in [`Parser::check_contexts`].
//!
//! `kept_by_call` is the other way to keep them, for a header that proves
//! no such function: the callbacks find the handle through the call running
//! on their thread that passed it (`ffi_desc::route`), whatever user data
//! C hands them. The two are exclusive.
//!
//! A handler C fires whose slot in that handle's table is empty (expat's
//! external entity parser inherits its parent's handlers in C, but its own
//! table has none) does not run, in every linkage alike: C gets the
//! zeroed default and the call fails with `Error::CallbackNotRun` ("no
//! callback kept in its slot"). In the Isolated linkage that is so only for
//! the handle the running call passed, of the current incarnation: a domain
//! naming an empty slot of any other handle, or a slot no handle type has,
//! is still a protocol violation that ends the incarnation.

use crate::ir::*;
use crate::syntax::function::FnSpans;
use crate::syntax::Parser;
use std::collections::BTreeMap;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitInt, LitStr};

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
        let mut context = None;
        let mut kept_by_call = None;
        let mut scoped = None;
        let (mut size, mut align) = (None, None);
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("c_type") {
                c_type = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("c_pointer") {
                c_pointer = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("free") {
                free = Some(meta.value()?.parse::<Ident>()?);
            } else if meta.path.is_ident("scoped") {
                scoped = Some(meta.path.clone());
            } else if meta.path.is_ident("context") {
                context = Some(meta.value()?.parse::<Ident>()?);
            } else if meta.path.is_ident("kept_by_call") {
                kept_by_call = Some(meta.path.clone());
            } else if meta.path.is_ident("size") {
                size = Some(meta.value()?.parse::<LitInt>()?.base10_parse::<u64>()?);
            } else if meta.path.is_ident("align") {
                align = Some(meta.value()?.parse::<LitInt>()?.base10_parse::<u64>()?);
            } else {
                return Err(meta.error(
                    "expected c_type = \"..\", c_pointer = \"..\", free = function, \
                     scoped, context = function, kept_by_call, size = n or align = n",
                ));
            }
            Ok(())
        });
        if let Err(e) = res {
            self.errs.push_error(e);
            return None;
        }
        let storage = self.state_storage(s, attr, size, align, c_type.is_some())?;
        let c_name = match (&storage, &c_type) {
            (Some(_), Some(t)) => t.clone(),
            _ => s.ident.to_string(),
        };
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
        if let Some(scoped) = scoped {
            let keeps = context
                .as_ref()
                .map(|c| (c.span(), format!("`context = {c}`")))
                .or(kept_by_call
                    .as_ref()
                    .map(|k| (k.span(), "`kept_by_call`".to_string())));
            return self.scoped_opaque(s, scoped, free, keeps, storage, c_name, pointer_c_type);
        }
        if let (Some(c), Some(k)) = (&context, &kept_by_call) {
            self.errs.push(
                k.span(),
                format!(
                    "`{}` keeps its callbacks either through the context function `{c}` or \
                     by call (`kept_by_call`), not both",
                    s.ident
                ),
            );
            // Checked on as if only the context function were given.
            kept_by_call = None;
        }
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
        if let Some(c) = &context {
            self.contexts
                .insert(s.ident.to_string(), (c.to_string(), c.span()));
        }
        if let Some(k) = &kept_by_call {
            self.kept_by_call.insert(s.ident.to_string(), k.span());
        }
        Some(TypeDef {
            name: s.ident.to_string(),
            c_name,
            kind: TypeKind::Opaque {
                pointer_c_type,
                free: free.to_string(),
                scoped: false,
                context: context.map(|c| c.to_string()),
                kept_by_call: kept_by_call.is_some(),
                storage,
            },
        })
    }

    /// `scoped`: a handle C only lends to callbacks, which nothing frees,
    /// keeps callbacks on or allocates.
    #[allow(clippy::too_many_arguments)]
    fn scoped_opaque(
        &mut self,
        s: &syn::ItemStruct,
        scoped: syn::Path,
        free: Option<Ident>,
        keeps: Option<(proc_macro2::Span, String)>,
        storage: Option<Layout>,
        c_name: String,
        pointer_c_type: String,
    ) -> Option<TypeDef> {
        let what = if let Some(f) = &free {
            Some((f.span(), format!("`free = {f}`")))
        } else if keeps.is_some() {
            keeps
        } else {
            storage.map(|_| (scoped.span(), "`size` and `align`".to_string()))
        };
        if let Some((span, what)) = what {
            self.errs.push(
                span,
                format!(
                    "the scoped handle `{}` is only lent to callbacks, for their duration: \
                     Rust never owns one, so it takes no {what}",
                    s.ident
                ),
            );
            return None;
        }
        Some(TypeDef {
            name: s.ident.to_string(),
            c_name,
            kind: TypeKind::Opaque {
                pointer_c_type,
                free: String::new(),
                scoped: true,
                context: None,
                kept_by_call: false,
                storage: None,
            },
        })
    }

    /// `size = n, align = a`: state the caller allocates, which needs its C
    /// type by name (`c_type`) for the check unit to measure. `None` (with
    /// the error) when it is malformed.
    fn state_storage(
        &mut self,
        s: &syn::ItemStruct,
        attr: &Attribute,
        size: Option<u64>,
        align: Option<u64>,
        has_c_type: bool,
    ) -> Option<Option<Layout>> {
        let (size, align) = match (size, align) {
            (None, None) => return Some(None),
            (Some(size), Some(align)) => (size, align),
            _ => {
                self.errs.push_spanned(
                    &attr.meta,
                    "state the caller allocates needs both `size = n` and `align = n`",
                );
                return None;
            }
        };
        if !has_c_type {
            self.errs.push_spanned(
                &attr.meta,
                format!(
                    "state the caller allocates names its C type, which the check unit \
                     measures: #[opaque(c_type = \"..\", size = {size}, align = {align}, ..)]"
                ),
            );
            return None;
        }
        if !align.is_power_of_two() || size == 0 || size % align != 0 {
            self.errs.push_spanned(
                &attr.meta,
                "a C type's alignment is a power of two that divides its (nonzero) size",
            );
            return None;
        }
        self.copy_spans.insert(s.ident.to_string(), s.ident.span());
        Some(Some(Layout { size, align }))
    }
}

/// Where a slot of callbacks is first used: the callback type, the handle
/// type it is kept on (none for a slot of the description), the function.
struct SlotUse {
    ty: String,
    on: Option<String>,
    function: String,
}

impl Parser {
    /// The handle types that keep callbacks: their `context` function takes
    /// `(h: &H, data: UserData)`, only their free function takes one over
    /// (C then forgets the callbacks, which are dropped with it), and each
    /// slot of callbacks kept on handles holds one callback type on one
    /// handle type, emptied by `None` rather than `#[clears]`.
    pub(crate) fn check_contexts(&mut self, desc: &Description, spans: &[FnSpans]) {
        for (ty, (context, span)) in &self.contexts.clone() {
            let Some(i) = desc.functions.iter().position(|f| f.name == *context) else {
                self.errs.push(
                    *span,
                    format!(
                        "the context function `{context}` of `{ty}` is not described in the trait"
                    ),
                );
                continue;
            };
            let f = &desc.functions[i];
            let takes = matches!(f.params.as_slice(),
                [h, u] if matches!(&h.kind, ParamKind::Handle { ty: t, consume: false, nullable: false, exclusive: false } if t == ty)
                    && matches!(u.kind, ParamKind::UserData));
            if !takes {
                self.errs.push(
                    spans[i].name,
                    format!(
                        "`{context}` registers the callback table of `{ty}`: it must take \
                         `(handle: &{ty}, data: UserData)`"
                    ),
                );
            }
            self.check_taken_over(desc, spans, ty);
        }
        for ty in self.kept_by_call.clone().keys() {
            self.check_taken_over(desc, spans, ty);
        }
        self.check_slot_uses(desc, spans);
    }

    /// Only the free function of a handle type that keeps callbacks takes a
    /// handle over: C then forgets the callbacks, which are dropped with it.
    fn check_taken_over(&mut self, desc: &Description, spans: &[FnSpans], ty: &str) {
        let free = match desc.type_def(ty).map(|t| &t.kind) {
            Some(TypeKind::Opaque { free, .. }) => free.clone(),
            _ => String::new(),
        };
        for (j, g) in desc.functions.iter().enumerate() {
            let consumes = g.params.iter().any(
                |p| matches!(&p.kind, ParamKind::Handle { ty: t, consume: true, .. } if t == ty),
            );
            if consumes && g.name != free {
                self.errs.push(
                    spans[j].name,
                    format!(
                        "`{}` takes a `{ty}` over, but C may still call the callbacks kept \
                             on it: only its free function `{free}` may take it",
                        g.name
                    ),
                );
            }
        }
    }

    fn check_slot_uses(&mut self, desc: &Description, spans: &[FnSpans]) {
        let mut uses: BTreeMap<String, SlotUse> = BTreeMap::new();
        for (i, f) in desc.functions.iter().enumerate() {
            for p in &f.params {
                let ParamKind::Callback {
                    ty,
                    slot: Some(slot),
                    on,
                    ..
                } = &p.kind
                else {
                    continue;
                };
                let on_ty = on.as_ref().and_then(|h| {
                    f.params.iter().find_map(|q| match &q.kind {
                        ParamKind::Handle { ty, .. } if q.name == *h => Some(ty.clone()),
                        _ => None,
                    })
                });
                let here = SlotUse {
                    ty: ty.clone(),
                    on: on_ty,
                    function: f.name.clone(),
                };
                match uses.get(slot) {
                    None => {
                        uses.insert(slot.clone(), here);
                    }
                    Some(first) if first.ty != here.ty || first.on != here.on => {
                        let kept = |u: &SlotUse| match &u.on {
                            Some(h) => format!("`{}` kept on `{h}`", u.ty),
                            None => format!("`{}`", u.ty),
                        };
                        self.errs.push(
                            spans[i].name,
                            format!(
                                "the slot `{slot}` holds {} in `{}`, and {} here: a slot holds \
                                 one callback type, kept on one handle type or on none",
                                kept(first),
                                first.function,
                                kept(&here)
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
        for span in spans {
            for slot in &span.clears {
                if uses.get(&slot.to_string()).is_some_and(|u| u.on.is_some()) {
                    self.errs.push(
                        slot.span(),
                        format!(
                            "`{slot}` is a slot of callbacks kept on a handle: pass `None` for \
                             the callback to empty it"
                        ),
                    );
                }
            }
        }
    }
}

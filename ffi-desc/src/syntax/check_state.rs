//! Checks of state the caller allocates (`#[opaque(.., size, align)]`,
//! `Init<H, V>`, `kept = h`), of `#[copy_out]` structs (their tag's
//! variants, their destructor) and of `#[view]` functions, which need the
//! whole description.

use super::function::FnSpans;
use super::tokens::path_ident;
use super::{Kind, Parser};
use crate::ir::*;
use syn::Type;

impl Parser {
    /// The result of a `#[view]`: a `#[copy_out]` struct.
    pub(crate) fn view_ret(&mut self, ty: &Type) -> Option<Return> {
        match path_ident(ty) {
            Some(n) if self.kinds.get(&n) == Some(&Kind::CopyOut) => {
                Some(Return::CopyOut { ty: n })
            }
            _ => {
                self.errs.push_spanned(
                    ty,
                    "a #[view] returns the #[copy_out] struct it copies out of the state",
                );
                None
            }
        }
    }

    pub(crate) fn check_state(&mut self, desc: &Description, spans: &[FnSpans]) {
        self.check_copy_out_types(desc);
        for (i, f) in desc.functions.iter().enumerate() {
            let span = spans[i].name;
            self.check_state_params(desc, f, &spans[i]);
            if f.view {
                self.check_view(desc, f, span);
            } else if let Return::CopyOut { ty } = f.ret.unwrap_option().0 {
                let destructor = matches!(
                    desc.type_def(ty).map(|t| &t.kind),
                    Some(TypeKind::CopyOut { free: Some(_), .. })
                );
                if destructor {
                    self.errs.push(
                        span,
                        format!(
                            "`{}` returns a `{ty}` the library keeps (Borrowed<{ty}>): its \
                             destructor would free what the library still owns",
                            f.name
                        ),
                    );
                }
            }
            if desc.frees_copied_struct(f) {
                let takes = matches!(f.params.as_slice(),
                    [p] if matches!(p.kind, ParamKind::OutStruct { .. }))
                    && matches!(f.ret, Return::Void);
                if !takes {
                    self.errs.push(
                        span,
                        format!(
                            "`{}` is the destructor of a #[copy_out] struct: it takes only \
                             `Out<S>` and returns nothing",
                            f.name
                        ),
                    );
                }
            }
        }
    }

    /// The tag's variants named by `when(..)`, and the destructor.
    fn check_copy_out_types(&mut self, desc: &Description) {
        for t in &desc.types {
            let TypeKind::CopyOut { fields, free, .. } = &t.kind else {
                continue;
            };
            let span = self.copy_spans.get(&t.name).copied();
            let span = span.unwrap_or_else(proc_macro2::Span::call_site);
            let tag = fields.iter().find_map(|f| match &f.kind {
                CopyKind::Tag(e) => Some(e.clone()),
                _ => None,
            });
            let variants: Vec<String> = match tag.as_deref().and_then(|e| desc.type_def(e)) {
                Some(TypeDef {
                    kind: TypeKind::Enum { variants, .. },
                    ..
                }) => variants.iter().map(|v| v.name.clone()).collect(),
                _ => Vec::new(),
            };
            for f in fields.iter().filter(|_| tag.is_some()) {
                for w in f.when.iter().filter(|w| !variants.contains(w)) {
                    let key = format!("{}.{}.{w}", t.name, f.name);
                    let span = self.copy_spans.get(&key).copied().unwrap_or(span);
                    self.errs.push(
                        span,
                        format!(
                            "`{}` is read when(`{w}`), which is no variant of the tag `{}`",
                            f.name,
                            tag.as_deref().unwrap_or_default()
                        ),
                    );
                }
            }
            if let Some(g) = free {
                if desc.function(g).is_none() {
                    self.errs.push(
                        span,
                        format!(
                            "the destructor `{g}` of `{}` is not described in the trait",
                            t.name
                        ),
                    );
                }
            }
        }
    }

    /// `Init<H>` names a state type and goes with an integer result;
    /// `kept = h` names a `&H` parameter of a state type; only the free
    /// function of a state takes it over (its storage is the linkage's).
    fn check_state_params(&mut self, desc: &Description, f: &Function, spans: &FnSpans) {
        let span = spans.name;
        let mut inits = 0;
        for (p, written) in f.params.iter().zip(&spans.params) {
            match &p.kind {
                ParamKind::Init { ty, .. } => {
                    inits += 1;
                    if desc.storage_of(ty).is_none() {
                        self.errs.push_spanned(
                            written,
                            format!(
                                "`{}`: Init<{ty}> needs `{ty}` to be state the caller allocates: \
                                 #[opaque(c_type = \"..\", size = n, align = n, free = ..)]",
                                f.name
                            ),
                        );
                    }
                    if !matches!(&f.ret, Return::Value(ValueType::Scalar(s)) if s.is_integer()) {
                        self.errs.push(
                            span,
                            format!(
                                "`{}` initialises `{ty}`: its result is the integer `V` is compared with",
                                f.name
                            ),
                        );
                    }
                }
                ParamKind::Pointer { kept: Some(h), .. } => {
                    let state = f.params.iter().find_map(|q| match &q.kind {
                        ParamKind::Handle {
                            ty,
                            consume: false,
                            nullable: false,
                            ..
                        } if q.name == *h => Some(ty),
                        _ => None,
                    });
                    if state.is_none_or(|t| desc.storage_of(t).is_none()) {
                        self.errs.push_spanned(
                            written,
                            format!(
                                "`{}`: `kept = {h}` names a `&H` parameter whose type is state \
                                 the caller allocates (#[opaque(.., size = n, align = n)])",
                                p.name
                            ),
                        );
                    }
                }
                ParamKind::Handle {
                    ty, consume: true, ..
                } if desc.storage_of(ty).is_some() => {
                    let free = match desc.type_def(ty).map(|t| &t.kind) {
                        Some(TypeKind::Opaque { free, .. }) => free.as_str(),
                        _ => "",
                    };
                    if f.name != free {
                        self.errs.push(
                            span,
                            format!(
                                "`{}` takes a `{ty}` over, but its storage is the linkage's: \
                                 only its free function `{free}` may take it",
                                f.name
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
        if inits > 1 {
            self.errs.push(
                span,
                "a function initialises one state: one Init<H> parameter",
            );
        }
    }

    /// A `#[view]` takes one `&H` of a state type whose C type is the
    /// copied struct's.
    fn check_view(&mut self, desc: &Description, f: &Function, span: proc_macro2::Span) {
        let Return::CopyOut { ty } = &f.ret else {
            return;
        };
        let state = match f.params.as_slice() {
            [p] => match &p.kind {
                ParamKind::Handle {
                    ty,
                    consume: false,
                    nullable: false,
                    ..
                } if desc.storage_of(ty).is_some() => desc.type_def(ty),
                _ => None,
            },
            _ => None,
        };
        let Some(state) = state else {
            self.errs.push(
                span,
                format!(
                    "the #[view] `{}` takes one `&H` of state the caller allocates, which it copies `{ty}` out of",
                    f.name
                ),
            );
            return;
        };
        let copied = desc.type_def(ty);
        let (c_type, destructor) = match copied.map(|t| (&t.c_name, &t.kind)) {
            Some((c, TypeKind::CopyOut { free, .. })) => (c.clone(), free.is_some()),
            _ => return,
        };
        if c_type != state.c_name {
            self.errs.push(
                span,
                format!(
                    "`{ty}` is read from a `{c_type}`, and `{}` is a `{}`: a #[view] reads the state's own C type",
                    state.name, state.c_name
                ),
            );
        }
        if destructor {
            self.errs.push(
                span,
                format!(
                    "`{ty}` has a destructor, which would free what the state `{}` still owns",
                    state.name
                ),
            );
        }
    }
}

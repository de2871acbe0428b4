//! Scoped handles (`#[opaque(c_type = "T", scoped)]`) and the functions that
//! give callbacks their user data (`#[user_data = f]`): a scoped handle is
//! only ever lent to a callback, so no function returns it, writes it out or
//! takes it over; a function returning `UserData` is named by a callback and
//! takes exactly the handle it is asked about.

use super::function::FnSpans;
use super::Parser;
use crate::ir::*;

/// Whether the result meaning `r` hands the caller a handle of type `ty`.
fn returns_handle(r: &Return, ty: &str) -> bool {
    match r {
        Return::Handle { ty: t, .. } => t == ty,
        Return::Option(inner) => returns_handle(inner, ty),
        _ => false,
    }
}

impl Parser {
    pub(crate) fn check_scoped(&mut self, desc: &Description, spans: &[FnSpans]) {
        for (i, f) in desc.functions.iter().enumerate() {
            for t in desc.types.iter().filter(|t| desc.is_scoped(&t.name)) {
                let ty = &t.name;
                let lent = "C only lends it to a callback, for the callback's duration";
                if returns_handle(&f.ret, ty) {
                    self.errs.push(
                        spans[i].name,
                        format!(
                            "`{}` returns the scoped handle `{ty}`: {lent}, so Rust never \
                             owns one",
                            f.name
                        ),
                    );
                }
                for (p, at) in f.params.iter().zip(&spans[i].params) {
                    let msg = match &p.kind {
                        ParamKind::Handle {
                            ty: t,
                            consume: true,
                            ..
                        } if t == ty => format!(
                            "`{}` takes the scoped handle `{ty}` over: {lent}; write `&{ty}`",
                            p.name
                        ),
                        ParamKind::OutResult(r) if returns_handle(r, ty) => format!(
                            "`{}` writes out the scoped handle `{ty}`: {lent}, so Rust never \
                             owns one",
                            p.name
                        ),
                        _ => continue,
                    };
                    self.errs.push_spanned(at, msg);
                }
            }
        }
        self.check_user_data_fns(desc, spans);
        self.check_user_data_not_on_handles(desc, spans);
    }

    /// A callback whose user data a function of its handle gives cannot be
    /// kept on a handle, whose callbacks get the handle's table instead.
    fn check_user_data_not_on_handles(&mut self, desc: &Description, spans: &[FnSpans]) {
        for (i, f) in desc.functions.iter().enumerate() {
            for (p, at) in f.params.iter().zip(&spans[i].params) {
                let ParamKind::Callback {
                    ty, on: Some(h), ..
                } = &p.kind
                else {
                    continue;
                };
                let from_handle = desc.callback(ty).is_some_and(|cb| {
                    cb.params.iter().any(|q| {
                        matches!(
                            q,
                            CallbackParam::Handle {
                                user_data: Some(_),
                                ..
                            }
                        )
                    })
                });
                if from_handle {
                    self.errs.push_spanned(
                        at,
                        format!(
                            "`{ty}` takes its user data from `#[user_data = ..]`: it cannot be \
                             kept on `{h}`, whose callbacks get the handle's table as theirs"
                        ),
                    );
                }
            }
        }
    }

    /// Every `#[user_data = f]` names a described `fn f(h: &H) -> UserData`
    /// of its handle's type, and every function returning `UserData` is
    /// named so.
    fn check_user_data_fns(&mut self, desc: &Description, spans: &[FnSpans]) {
        for (ty, f, span) in self.user_data_uses.clone() {
            let ok = desc.function(&f).is_some_and(|g| {
                matches!(g.ret, Return::UserData)
                    && matches!(g.params.as_slice(),
                        [p] if matches!(&p.kind, ParamKind::Handle { ty: t, consume: false, nullable: false, exclusive: false } if *t == ty))
            });
            if !ok {
                self.errs.push(
                    span,
                    format!(
                        "#[user_data = {f}] names the described function that gives the \
                         callback its user data: `fn {f}(h: &{ty}) -> UserData;`"
                    ),
                );
            }
        }
        for (i, f) in desc.functions.iter().enumerate() {
            let named = self.user_data_uses.iter().any(|(_, g, _)| *g == f.name);
            if matches!(f.ret, Return::UserData) && !named {
                self.errs.push(
                    spans[i].name,
                    format!(
                        "`{}` returns UserData, an address no safe method may return: only a \
                         callback's `#[user_data = {}]` on its handle parameter may call it",
                        f.name, f.name
                    ),
                );
            }
        }
    }
}

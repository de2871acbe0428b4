//! `Callback<F, ..>`: a closure C calls, during the call or kept (`stored`,
//! `stored = slot`), with the `UserData` parameter that finds it again;
//! `Option<Callback<..>>` when the caller may pass none (`option.rs` reads
//! the `Option`). `Callback<F, stored = slot, on = h>` is kept in the table of
//! the handle parameter `h`, whose type registers that table as the user
//! data of its callbacks (`#[opaque(.., context = f)]`): such a function
//! takes no `UserData` of its own.

use super::{Links, Written, WrittenParam};
use crate::ir::*;
use crate::syntax::tokens::{generic_args, last_segment, path_ident};
use crate::syntax::{Kind, Parser};
use std::collections::BTreeMap;
use syn::{GenericArgument, Ident, Type};

pub(super) struct WrittenCallback {
    /// The callback type.
    ty: String,
    stored: bool,
    /// `stored = slot`.
    slot: Option<Ident>,
    /// `user = parameter`.
    user: Option<Ident>,
    /// `on = handle parameter`.
    on: Option<Ident>,
    /// In `Option<..>`.
    nullable: bool,
}

impl Parser {
    /// `Callback<F>`, `Callback<F, stored>`, `Callback<F, stored = slot>`,
    /// `Callback<F, during_call>`, each with an optional `user = parameter`.
    pub(super) fn written_callback(&mut self, seg: &syn::PathSegment) -> Option<WrittenCallback> {
        let args = generic_args(seg);
        let name = match args.first() {
            Some(GenericArgument::Type(t)) => path_ident(t),
            _ => None,
        };
        let Some(name) = name.filter(|n| self.kinds.get(n) == Some(&Kind::Callback)) else {
            self.errs.push_spanned(
                &seg,
                "Callback<F> names a callback type of this description",
            );
            return None;
        };
        let mut cb = WrittenCallback {
            ty: name,
            stored: false,
            slot: None,
            user: None,
            on: None,
            nullable: false,
        };
        for a in args.iter().skip(1) {
            self.callback_option(a, &mut cb);
        }
        if let (false, Some(s)) = (cb.stored, &cb.slot) {
            self.errs.push(
                s.span(),
                "a callback kept in a slot is stored: `during_call` and `stored = slot` do not combine",
            );
        }
        if let (Some(h), None) = (&cb.on, &cb.slot) {
            self.errs.push(
                h.span(),
                format!(
                    "a callback kept on the handle `{h}` is kept in a slot of its table: \
                     Callback<{}, stored = slot, on = {h}>",
                    cb.ty
                ),
            );
        }
        Some(cb)
    }

    /// `Option<Callback<..>>`: `None` when `seg` is no `Option` of a
    /// callback (another meaning reads it).
    pub(super) fn optional_callback(
        &mut self,
        seg: &syn::PathSegment,
    ) -> Option<Option<WrittenCallback>> {
        if seg.ident != "Option" {
            return None;
        }
        let [GenericArgument::Type(inner)] = generic_args(seg).as_slice() else {
            return None;
        };
        let inner = last_segment(inner).filter(|s| s.ident == "Callback")?;
        Some(self.written_callback(inner).map(|mut cb| {
            cb.nullable = true;
            cb
        }))
    }

    /// One of the arguments after `F`; a later one overrides an earlier.
    fn callback_option(&mut self, a: &GenericArgument, cb: &mut WrittenCallback) {
        match a {
            GenericArgument::Type(t) if path_ident(t).as_deref() == Some("stored") => {
                cb.stored = true
            }
            GenericArgument::Type(t) if path_ident(t).as_deref() == Some("during_call") => {
                cb.stored = false
            }
            GenericArgument::AssocType(at) if at.ident == "stored" => match &at.ty {
                Type::Path(p) if p.path.get_ident().is_some() => {
                    cb.stored = true;
                    cb.slot = p.path.get_ident().cloned();
                }
                other => self.errs.push_spanned(
                    other,
                    "`stored = slot` names a slot with a plain identifier",
                ),
            },
            GenericArgument::AssocType(at) if at.ident == "user" => {
                if let Type::Path(p) = &at.ty {
                    cb.user = p.path.get_ident().cloned();
                }
            }
            GenericArgument::AssocType(at) if at.ident == "on" => match &at.ty {
                Type::Path(p) if p.path.get_ident().is_some() => {
                    cb.on = p.path.get_ident().cloned();
                }
                other => self.errs.push_spanned(
                    other,
                    "`on = handle` names the handle parameter with a plain identifier",
                ),
            },
            other => self.errs.push_spanned(
                other,
                "expected `stored`, `stored = slot`, `during_call`, `user = parameter` \
                 or `on = handle parameter`",
            ),
        }
    }

    /// Records which `UserData` parameter the callback `p` uses: the one it
    /// names, or the function's only one.
    pub(super) fn link_user_data(
        &mut self,
        p: &WrittenParam<'_>,
        cb: &WrittenCallback,
        written: &[WrittenParam<'_>],
        names: &BTreeMap<String, usize>,
        links: &mut Links,
    ) {
        let name = &p.name;
        if let Some(h) = &cb.on {
            if let Some(u) = &cb.user {
                self.errs.push(
                    u.span(),
                    format!(
                        "a callback kept on `{h}` gets the handle's table as its user data: \
                         it takes no `user = parameter`"
                    ),
                );
            }
            return;
        }
        let target = match &cb.user {
            Some(u) => match names.get(&u.to_string()) {
                Some(&i) => Some(i),
                None => {
                    self.errs.push(
                        u.span(),
                        format!("user data names a missing parameter `{u}`"),
                    );
                    None
                }
            },
            None => {
                let cands: Vec<usize> = written
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| matches!(w.written, Some(Written::UserData)))
                    .map(|(i, _)| i)
                    .collect();
                if cands.len() == 1 {
                    Some(cands[0])
                } else {
                    self.errs.push_spanned(
                        p.ty,
                        format!(
                            "callback without user data: `{name}: Callback<{}>` needs a \
                             `UserData` parameter (name it with `user = parameter` when there are several)",
                            cb.ty
                        ),
                    );
                    None
                }
            }
        };
        let Some(i) = target else { return };
        if !matches!(written[i].written, Some(Written::UserData)) {
            let u = &written[i].name;
            self.errs.push(
                cb.user.as_ref().map_or(u.span(), |u| u.span()),
                format!("the user data parameter `{u}` must be declared `{u}: UserData`"),
            );
        } else if links.user_datas.insert(i, name.to_string()).is_some() {
            self.errs.push_spanned(
                p.ty,
                format!(
                    "two callbacks share the user data parameter `{}`",
                    written[i].name
                ),
            );
        }
    }

    /// `None` when the callback found no user data (its error is pushed).
    pub(super) fn callback_kind(
        &mut self,
        p: &WrittenParam<'_>,
        cb: &WrittenCallback,
        written: &[WrittenParam<'_>],
        links: &Links,
    ) -> Option<ParamKind> {
        let user_data = match &cb.on {
            Some(h) => {
                self.callback_handle(cb, h, written)?;
                String::new()
            }
            None => links
                .user_datas
                .iter()
                .find(|(_, owner)| p.name == **owner)
                .map(|(&u, _)| written[u].name.to_string())?,
        };
        if let Some(s) = &cb.slot {
            self.slot_spans.entry(s.to_string()).or_insert(s.span());
        }
        Some(ParamKind::Callback {
            ty: cb.ty.clone(),
            stored: cb.stored,
            user_data,
            slot: cb.slot.as_ref().map(|s| s.to_string()),
            nullable: cb.nullable,
            on: cb.on.as_ref().map(|h| h.to_string()),
        })
    }

    /// `on = h`: `h` is a borrowed handle parameter whose type has a
    /// `context` function. `None` (with an error) otherwise.
    fn callback_handle(
        &mut self,
        cb: &WrittenCallback,
        h: &Ident,
        written: &[WrittenParam<'_>],
    ) -> Option<()> {
        // `&H`: borrowed, and never `None`.
        let handle = written
            .iter()
            .find(|w| w.name == *h && matches!(w.ty, Type::Reference(_)));
        let ty = match handle.and_then(|w| w.written.as_ref()) {
            Some(Written::Handle(wh)) => match wh.kind() {
                ParamKind::Handle {
                    ty, consume: false, ..
                } => Some(ty),
                _ => None,
            },
            _ => None,
        };
        let Some(ty) = ty else {
            self.errs.push(
                h.span(),
                format!(
                    "`on = {h}` names the handle the callback is kept on: a parameter `{h}: &H`"
                ),
            );
            return None;
        };
        if !self.contexts.contains_key(&ty) && !self.kept_by_call.contains_key(&ty) {
            self.errs.push(
                h.span(),
                format!(
                    "`{ty}` keeps no callbacks: to keep `{}` on `{h}`, name the function that \
                     registers its callback table as their user data, \
                     #[opaque(.., context = set_user_data)], or find the handle through the \
                     call running when C calls them, #[opaque(.., kept_by_call)]",
                    cb.ty
                ),
            );
            return None;
        }
        Some(())
    }
}

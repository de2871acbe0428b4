//! `Callback<F, ..>`: a closure C calls, during the call or kept (`stored`,
//! `stored = slot`), with the `UserData` parameter that finds it again.

use super::{Links, Written, WrittenParam};
use crate::ir::*;
use crate::syntax::Parser;
use std::collections::BTreeMap;
use syn::Ident;

pub(crate) struct WrittenCallback {
    /// The callback type.
    pub(crate) ty: String,
    pub(crate) stored: bool,
    /// `stored = slot`.
    pub(crate) slot: Option<Ident>,
    /// `user = parameter`.
    pub(crate) user: Option<Ident>,
}

impl Parser {
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
        let user_data = links
            .user_datas
            .iter()
            .find(|(_, owner)| p.name == **owner)
            .map(|(&u, _)| written[u].name.to_string())?;
        if let Some(s) = &cb.slot {
            self.slot_spans.entry(s.to_string()).or_insert(s.span());
        }
        Some(ParamKind::Callback {
            ty: cb.ty.clone(),
            stored: cb.stored,
            user_data,
            slot: cb.slot.as_ref().map(|s| s.to_string()),
        })
    }
}

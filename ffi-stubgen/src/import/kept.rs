//! Callbacks C keeps on a handle, drafted kept by call.
//!
//! A function that takes one handle and a described callback with no
//! `void *` beside it (expat's `XML_SetElementHandler(parser, start, end)`)
//! makes C keep the callback on the handle and hand it user data set
//! elsewhere. Which function sets it no signature proves (expat has two
//! candidates, and `XML_UseParserAsHandlerArg` changes it), so the handle
//! type is drafted `#[opaque(.., kept_by_call)]`: the trampolines ignore
//! C's user data and find the closure through the call running on their
//! thread that passed the handle, which is sound whatever C passes. Each
//! callback gets a slot of its own (`<function>_<parameter>`): two setters
//! of one C slot (`XML_SetStartElementHandler` and `XML_SetElementHandler`'s
//! `start`) then keep two closures, and C calls the one set last. The
//! callback is not `Option`: no signature says C accepts NULL.

use super::ctype::CTy;
use super::functions::{CallbackPart, Context};
use super::param::ParamKind;
use std::collections::BTreeMap;

/// For a callback without a `void *` of the function `c_name`: its slot and
/// the handle parameter it is kept on, when the function takes exactly one
/// handle, of a type that is no scoped handle or caller-allocated state and
/// that exactly one function frees (the only one that may take it over,
/// since C may call its callbacks until then), and the function is not it.
pub(super) fn by_call(
    c_name: &str,
    named: &[(String, CTy)],
    param: &str,
    cx: &Context<'_>,
) -> Option<(String, String)> {
    let mut handles = named
        .iter()
        .filter_map(|(n, t)| cx.handles.of(t, cx.spellings).map(|h| (n, h)));
    let (on, h) = handles.next()?;
    if handles.next().is_some() || h.scoped || h.state.is_some() {
        return None;
    }
    if h.frees.len() != 1 || h.frees.iter().any(|f| f == c_name) {
        return None;
    }
    let function = cx.fn_names.get(c_name)?;
    Some((format!("{function}_{param}"), on.clone()))
}

/// Once the parameters are drafted: a kept callback whose handle parameter
/// was not drafted `&H` (a person decides it) falls back to its guess; the
/// handle types of the others are recorded to be drafted `kept_by_call`.
pub(super) fn confirm(
    named: &[(String, CTy)],
    callbacks: &BTreeMap<usize, CallbackPart>,
    kinds: &mut [(ParamKind, Option<String>)],
    cx: &Context<'_>,
) {
    for (i, part) in callbacks {
        let CallbackPart::Kept { on, guess, .. } = part else {
            continue;
        };
        let on_ty = named
            .iter()
            .position(|(n, _)| n == on)
            .and_then(|j| match &kinds[j].0 {
                ParamKind::Handle { ty, consume: false } => Some(ty.clone()),
                _ => None,
            });
        match on_ty {
            Some(ty) => {
                cx.kept_by_call.borrow_mut().insert(ty);
            }
            None => kinds[*i] = (ParamKind::guess(guess.0.clone(), guess.1.clone()), None),
        }
    }
}

//! Functions: the meaning of each parameter and of the result, inferred
//! where the evidence is strong (`strings`, `buffers`, `handles`) and left
//! `Unresolved` otherwise, and the drafted signature.

use super::collect::{Declarations, RawFn};
use super::ctype::{CTy, Types};
use super::handles::{says_end_library, Handles};
use super::lengths::{is_count_name, is_count_type, Pairs};
use super::names::{snake, Spellings};
use super::ownership::Named;
use super::param::{marker_tokens, ParamKind};
use super::report::{ImportReport, Skips};
use super::tokens::{ident, lit};
use super::value::{by_value_tokens, default_spelling, value_tokens, why_not_value};
use super::{buffers, callbacks, strings};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The Rust name of each function, by C name: snake case without the
/// common prefix, made unique.
pub(super) fn rust_names(decls: &Declarations, prefix: &str) -> BTreeMap<String, String> {
    let mut fn_rust: BTreeMap<String, String> = BTreeMap::new();
    let mut used = BTreeSet::new();
    for f in &decls.functions {
        let n = f.name.as_str();
        let stripped = n.strip_prefix(prefix).unwrap_or(n);
        let mut r = snake(stripped);
        while !used.insert(r.clone()) {
            r.push('_');
        }
        fn_rust.insert(n.to_string(), r);
    }
    fn_rust
}

/// What drafting a function needs of the rest of the draft.
pub(super) struct Context<'a> {
    pub(super) types: &'a Types,
    /// The Rust names of the described records and enums, by bindgen's name.
    pub(super) rust_names: &'a BTreeMap<String, String>,
    pub(super) handles: &'a Handles,
    /// The drafted callback types' Rust names, by C name.
    pub(super) callbacks: &'a BTreeMap<String, String>,
    pub(super) spellings: &'a Spellings,
    /// The Rust names of the functions, by C name.
    pub(super) fn_names: &'a BTreeMap<String, String>,
    /// The prefix every function's name has.
    pub(super) prefix: &'a str,
    /// The header's `static inline` functions, which have no symbol.
    pub(super) inline_fns: &'a BTreeSet<String>,
    /// The handles some function lends memory of (`lent`).
    pub(super) lenders: &'a BTreeSet<String>,
    /// The functions that could be a handle's context function (they take
    /// only it and a `void *`, and return nothing), by the handle's Rust
    /// name: their Rust names.
    pub(super) contexts: &'a BTreeMap<String, Vec<String>>,
    /// The records C fills that a `#[copy_out]` struct could carry out, by
    /// their pointers' C spelling.
    pub(super) filled: &'a BTreeMap<String, super::records::Filled>,
    /// The header's values of a destructor's type (`void (*)(void *)`),
    /// as it defines them (`SQLITE_TRANSIENT` as
    /// `((sqlite3_destructor_type)-1)`).
    pub(super) destructor_values: &'a [String],
    /// The handle types callbacks were drafted kept on by call, filled in
    /// while the functions are drafted.
    pub(super) kept_by_call: &'a std::cell::RefCell<BTreeSet<String>>,
}

/// The trait's items, in the header's order: each function drafted is
/// named in `report.functions`; each other is listed as skipped.
pub(super) fn draft(
    decls: &Declarations,
    cx: &Context<'_>,
    skips: &mut Skips,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
    for f in &decls.functions {
        match function(f, cx) {
            Ok((tokens, markers)) => {
                report.markers += markers;
                if markers == 0 {
                    report.whole.push(f.name.clone());
                }
                report.functions.push(f.name.clone());
                items.push(tokens);
            }
            Err(reason) => skips.skip("function", &f.name, reason),
        }
    }
    items
}

/// Drafts one function; returns its tokens and how many markers it holds,
/// or why it cannot be described.
fn function(f: &RawFn, cx: &Context<'_>) -> Result<(TokenStream, usize), String> {
    let ctys: Vec<CTy> = f.params.iter().map(|(_, t)| cx.types.resolve(t)).collect();
    for ((name, _), t) in f.params.iter().zip(&ctys) {
        if t.spell().contains("__va_list_tag") {
            return Err(format!("parameter `{name}` is a va_list"));
        }
    }
    if f.variadic && f.params.is_empty() {
        return Err("it is variadic with no fixed parameter".to_string());
    }
    let takes_pointer = ctys
        .iter()
        .any(|t| matches!(t.strip(), CTy::Ptr { .. } | CTy::FnPtr { .. }));
    if !takes_pointer && says_end_library(&f.name) {
        return Err(
            "its name says it may end the library's state, after which a living handle \
             would dangle: a safe function cannot forbid calling it first, so describe it by \
             hand if a program must"
                .to_string(),
        );
    }
    let mut kinds = param_kinds(f, &ctys, cx)?;
    if f.variadic {
        format_strings(&mut kinds, &ctys);
        variadic_selector(&mut kinds, &ctys);
    }
    let (ret, ret_markers) = result(f, &ctys, cx)?;
    let markers = kinds.iter().filter(|(k, _)| k.is_marker()).count() + ret_markers;
    let params = f
        .params
        .iter()
        .zip(&kinds)
        .map(|((name, _), (kind, c_type))| {
            let id = ident(name);
            let ty = kind.tokens();
            let attr = c_type.as_ref().map(|c| {
                let l = lit(c);
                quote!(#[c_type = #l])
            });
            quote!(#attr #id: #ty)
        });
    let attrs = attributes(f, cx);
    let id = ident(&cx.fn_names[&f.name]);
    Ok((quote! { #attrs fn #id(#(#params),*) #ret; }, markers))
}

/// Last words of an integer's name that say it is a length in bytes,
/// not an index (`sqlite3_column_name(stmt, int N)` names column `N`).
const LENGTH_WORDS: &[&str] = &[
    "size", "len", "length", "bytes", "byte", "sz", "nbyte", "nbytes", "buflen", "bufsize", "nlen",
    "nsize", "capacity", "cap",
];

/// An integer named as a length that no pointer of `f` claims: a returned
/// `const char *` may be that many bytes with no NUL after them
/// (`window(conn *, size_t offset, size_t size)`), as a parameter would.
fn result_count(f: &RawFn, ctys: &[CTy], cx: &Context<'_>) -> Option<String> {
    let named: Vec<(String, CTy)> = f
        .params
        .iter()
        .zip(ctys)
        .map(|((n, _), t)| match cx.handles.of(t, cx.spellings) {
            Some(_) => (n.clone(), CTy::Void),
            None => (n.clone(), t.clone()),
        })
        .collect();
    let pairs = Pairs::new(&named);
    let claimed: BTreeSet<usize> = (0..named.len())
        .filter_map(|j| pairs.length_of(j))
        .collect();
    named
        .iter()
        .enumerate()
        .find(|(i, (n, t))| {
            let last = super::names::words(n).pop().unwrap_or_default();
            !claimed.contains(i) && is_count_type(t) && LENGTH_WORDS.contains(&last.as_str())
        })
        .map(|(_, (n, _))| n.clone())
}

/// A variadic function's strings may be formats (`gzprintf`,
/// `sqlite3_mprintf`): drafted with no extra argument, a `%s` in one would
/// make C read an argument never passed, so each is left to a person.
fn format_strings(kinds: &mut [(ParamKind, Option<String>)], ctys: &[CTy]) {
    for ((kind, c_type), t) in kinds.iter_mut().zip(ctys) {
        if matches!(kind, ParamKind::CStr) {
            *kind = ParamKind::guess(
                t.spell(),
                "CStr if it is no format; a format is described with its arguments, \
                 one #[variadic(fixed = N)] function per use",
            );
            *c_type = None;
        }
    }
}

/// A variadic function drafted with no extra argument is sound only if C
/// reads none, whatever its fixed arguments are: `sqlite3_config(op, ...)`
/// reads the arguments `op` selects (a function pointer and its user data
/// for `SQLITE_CONFIG_LOG`), and reads them though the call passed none.
/// The header cannot say which values read nothing, so the last fixed
/// parameter, which usually selects them, is left to a person with its
/// drafted meaning as the guess. A function already holding a marker (a
/// format) is left whole by no one.
fn variadic_selector(kinds: &mut [(ParamKind, Option<String>)], ctys: &[CTy]) {
    if kinds.iter().any(|(k, _)| k.is_marker()) {
        return;
    }
    let Some(((kind, c_type), t)) = kinds.iter_mut().zip(ctys).last() else {
        return;
    };
    let g = format!(
        "{} if C reads no argument after it, whatever its value (this call passes none); \
         each use that passes more is its own #[variadic(fixed = N)] function",
        kind.text()
    );
    *kind = ParamKind::guess(t.spell(), g);
    *c_type = None;
}

/// Each parameter's meaning, and its C spelling when the meaning's own
/// spelling differs.
fn param_kinds(
    f: &RawFn,
    ctys: &[CTy],
    cx: &Context<'_>,
) -> Result<Vec<(ParamKind, Option<String>)>, String> {
    let named: Vec<(String, CTy)> = f
        .params
        .iter()
        .zip(ctys)
        .map(|((n, _), t)| (n.clone(), t.clone()))
        .collect();
    let callbacks = callback_pairs(&f.name, &named, cx);
    // A callback's user data and a handle are no buffers: neither may
    // claim a count (`xmlOutputBufferWrite(out, int len, const char *buf)`:
    // `len` counts `buf`, which as a `CStr` C would read past).
    let data_only: Vec<(String, CTy)> = named
        .iter()
        .enumerate()
        .map(|(i, (n, t))| match callbacks.get(&i) {
            Some(CallbackPart::UserData(..)) => (n.clone(), CTy::Void),
            _ if cx.handles.of(t, cx.spellings).is_some() => (n.clone(), CTy::Void),
            _ => (n.clone(), t.clone()),
        })
        .collect();
    let pairs = Pairs::new(&data_only);
    let names = drafted_names(f);
    let owner = Named {
        c_name: &f.name,
        handles: cx.handles,
        spellings: cx.spellings,
        params: ctys,
        names: &names,
    };
    let mut kinds = Vec::new();
    let mut handle_seen = false;
    for (i, (name, t)) in named.iter().enumerate() {
        let kind = match t.strip() {
            CTy::Ptr { .. } | CTy::FnPtr { .. } => {
                if let Some(k) = callbacks.get(&i) {
                    (k.clone().into_kind(), None)
                } else if pairs.is_in_out_count(i) {
                    in_out_count(t, cx.rust_names)
                } else if let Some(k) = owner.param(t, !handle_seen) {
                    handle_seen |= cx.handles.of(t, cx.spellings).is_some();
                    k
                } else if let Some(g) = super::records::filled_guess(f, t, cx) {
                    (ParamKind::guess(t.spell(), g), None)
                } else if owner.may_keep() {
                    kept_pointer(i, &named, &pairs, cx)
                } else {
                    pointer_param(i, &named, &pairs, cx.rust_names)
                }
            }
            other => match by_value_tokens(other, cx.rust_names) {
                Some(tok) => (ParamKind::Value(tok), None),
                None => {
                    return Err(format!(
                        "parameter `{name}` is `{}`, {}",
                        t.spell(),
                        why_not_value(other)
                    ))
                }
            },
        };
        kinds.push(kind);
    }
    lent_counts(&named, &pairs, &mut kinds, cx);
    super::kept::confirm(&named, &callbacks, &mut kinds, cx);
    Ok(kinds)
}

/// Leaves each count no pointer of the function claims, when the function
/// takes a handle that lends memory (`lent`): it may count bytes of that
/// memory, which C would read as far as the caller says.
fn lent_counts(
    named: &[(String, CTy)],
    pairs: &Pairs,
    kinds: &mut [(ParamKind, Option<String>)],
    cx: &Context<'_>,
) {
    let Some(lender) = named.iter().find_map(|(_, t)| {
        cx.handles
            .of(t, cx.spellings)
            .filter(|h| cx.lenders.contains(&h.rust))
    }) else {
        return;
    };
    let claimed: BTreeSet<usize> = (0..named.len())
        .filter_map(|j| pairs.length_of(j))
        .collect();
    for (i, (name, t)) in named.iter().enumerate() {
        if claimed.contains(&i) || !is_count_type(t) || !is_count_name(name) {
            continue;
        }
        let ParamKind::Value(tok) = &kinds[i].0 else {
            continue;
        };
        let g = format!(
            "{} if it counts no memory a {} lent (a buffer a function of it returned), which C \
             would read as far as it says",
            ParamKind::Value(tok.clone()).text(),
            lender.rust
        );
        kinds[i] = (ParamKind::guess(t.spell(), g), None);
    }
}

/// A callback parameter's drafted meaning, by index.
#[derive(Clone)]
pub(super) enum CallbackPart {
    /// A callback's marker: its C spelling and the guess.
    Guess(String, String),
    /// A callback kept on the handle parameter `on` by call (type, slot,
    /// `on`), and the guess it falls back to if that parameter is not
    /// drafted `&H`.
    Kept {
        cb: String,
        slot: String,
        on: String,
        guess: (String, String),
    },
    /// The marker of the `void *` guessed to be a callback's user data.
    UserData(String, String),
}

impl CallbackPart {
    fn into_kind(self) -> ParamKind {
        match self {
            CallbackPart::Guess(c, g) | CallbackPart::UserData(c, g) => ParamKind::guess(c, g),
            CallbackPart::Kept { cb, slot, on, .. } => ParamKind::KeptCallback { cb, slot, on },
        }
    }
}

/// The parameters of described callback types and their user data: a
/// callback with the function's only `void *` right beside it is left with
/// the guess `Callback<F, stored>` (C may keep it as long as it likes, so the
/// closure is kept as long) with that `void *` as its `UserData`; any other
/// callback is left to a person with the guess of a stored slot.
fn callback_pairs(
    c_name: &str,
    named: &[(String, CTy)],
    cx: &Context<'_>,
) -> BTreeMap<usize, CallbackPart> {
    let cbs: Vec<(usize, String)> = named
        .iter()
        .enumerate()
        .filter_map(|(i, (_, t))| match t {
            CTy::Alias { name, .. } if matches!(t.strip(), CTy::FnPtr { .. }) => {
                cx.callbacks.get(name).map(|r| (i, r.clone()))
            }
            // Written without a typedef: by its spelling.
            CTy::FnPtr { .. } => cx.callbacks.get(&t.spell()).map(|r| (i, r.clone())),
            _ => None,
        })
        .collect();
    let voids: Vec<usize> = named
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| callbacks::is_user_data_param(t))
        .map(|(i, _)| i)
        .collect();
    let mut parts = BTreeMap::new();
    // A destructor of a pointer before it is no callback of its own.
    let destructors: BTreeMap<usize, String> = cbs
        .iter()
        .filter_map(|(i, _)| super::destructors::destructor_guess(named, *i, cx).map(|g| (*i, g)))
        .collect();
    let callbacks = cbs.len() - destructors.len();
    for (i, f) in &cbs {
        if let Some(g) = destructors.get(i) {
            parts.insert(*i, CallbackPart::Guess(named[*i].1.spell(), g.clone()));
            continue;
        }
        let beside = match voids.as_slice() {
            [u] if callbacks == 1 && (*u == i + 1 || *u + 1 == *i) => Some(*u),
            _ => None,
        };
        match beside {
            // Which pointer C passes the callback the header cannot say:
            // `tdestroy(void *root, void (*free_node)(void *nodep))` passes
            // the tree's nodes, not `root`, and a visitor its items; given
            // the closure's pointer instead, the trampoline reads garbage.
            Some(u) => {
                let (cb, ud) = (&named[*i].1, &named[u]);
                let g = format!(
                    "Callback<{f}, stored> with `{}` its UserData, if C passes the callback \
                     `{}` and no pointer of its own",
                    ud.0, ud.0
                );
                parts.insert(*i, CallbackPart::Guess(cb.spell(), g));
                let g = format!("UserData if C passes it to `{}` unchanged", named[*i].0);
                parts.insert(u, CallbackPart::UserData(ud.1.spell(), g));
            }
            None => {
                // A scoped handle keeps no callbacks: it has no table.
                let handle = named.iter().find_map(|(n, t)| {
                    cx.handles
                        .of(t, cx.spellings)
                        .filter(|h| !h.scoped)
                        .map(|h| (n.as_str(), h.rust.as_str()))
                });
                let on = handle.map_or("handle", |(n, _)| n);
                // Which function sets the user data no signature says; the
                // shape narrows it to those taking only the handle and a
                // `void *` (expat has two: `XML_SetUserData` and
                // `XML_SetExternalEntityRefHandlerArg`).
                let candidates = handle.map(|(_, h)| match cx.contexts.get(h) {
                    Some(fs) => format!(
                        " (#[opaque(.., context = g)] on `{h}`, `g` one of the functions that \
                         take only it and a `void *`: {})",
                        fs.join(", ")
                    ),
                    None => format!(
                        " (no function takes only a `{h}` and a `void *`, so none can be its \
                         context function)"
                    ),
                });
                let candidates = candidates.unwrap_or_default();
                // A function that makes C pass the handlers something else
                // (expat's `XML_UseParserAsHandlerArg`) breaks that, and is
                // drafted `&H` like any other: the guess says to leave it out.
                let g = format!(
                    "Option<Callback<{f}, stored = slot, on = {on}>> if C keeps it on `{on}` and \
                     passes it the user data the handle's context function sets{candidates}, and \
                     no function kept in the description makes C pass it anything else; \
                     Callback<{f}, user = p> with its user data `p`"
                );
                let guess = (named[*i].1.spell(), g);
                let part = match super::kept::by_call(c_name, named, &named[*i].0, cx) {
                    Some((slot, on)) => CallbackPart::Kept {
                        cb: f.clone(),
                        slot,
                        on,
                        guess,
                    },
                    None => CallbackPart::Guess(guess.0, guess.1),
                };
                parts.insert(*i, part);
            }
        }
    }
    for (i, (_, t)) in named.iter().enumerate() {
        if let Some(g) = lent_callback_guess(t, cx) {
            parts.entry(i).or_insert(CallbackPart::Guess(t.spell(), g));
        }
    }
    parts
}

/// The guess for a function pointer that no callback type describes because
/// it has no `void *`, but is lent a scoped handle (SQLite's `xFunc`,
/// `void (*)(sqlite3_context *, int, sqlite3_value **)`): a callback whose
/// user data a function of that handle gives back, and whose `T **` of a
/// handle after an integer is that many handles. Both are guesses: no
/// signature says which function gives the user data, nor that the
/// integer counts the array (only its position does).
fn lent_callback_guess(t: &CTy, cx: &Context<'_>) -> Option<String> {
    let CTy::FnPtr {
        params,
        variadic: false,
        ..
    } = t.strip()
    else {
        return None;
    };
    if params.iter().any(|(_, p)| callbacks::is_user_data_param(p)) {
        return None;
    }
    let scoped = params
        .iter()
        .position(|(_, p)| cx.handles.of(p, cx.spellings).is_some_and(|h| h.scoped))?;
    let name = |k: usize| params[k].0.clone().unwrap_or_else(|| format!("arg{k}"));
    let mut parts = Vec::new();
    let mut counted = Vec::new();
    for (k, (_, p)) in params.iter().enumerate() {
        let n = name(k);
        let meaning = if let Some(h) = cx.handles.of(p, cx.spellings) {
            let user = if k == scoped { "#[user_data = f] " } else { "" };
            format!("{user}{n}: &{}", h.rust)
        } else if let (Some(h), Some(len)) = (
            cx.handles.out_of(p, cx.spellings),
            k.checked_sub(1)
                .filter(|&l| super::lengths::is_count_type(&params[l].1)),
        ) {
            counted.push((name(len), n.clone()));
            format!("{n}: In<[&{}], len = {}>", h.rust, name(len))
        } else {
            let v = super::value::value_tokens(p, cx.rust_names)?;
            format!("{n}: {v}")
        };
        parts.push(meaning);
    }
    let counts: String = counted
        .iter()
        .map(|(len, arr)| format!(", and `{len}` counts `{arr}` (a guess by its place)"))
        .collect();
    Some(format!(
        "Callback<F, stored> with `type F = fn({});` if the described `fn f(h: &{}) -> UserData` \
         gives back the `void *` this function is given{counts}",
        parts.join(", "),
        cx.handles
            .of(&params[scoped].1, cx.spellings)
            .map(|h| h.rust.as_str())
            .unwrap_or_default()
    ))
}

/// A data pointer of a function that may keep it past the call (its name
/// says it sets, refers or attaches): left to a person, with the meaning it
/// would have if C copied it.
fn kept_pointer(
    i: usize,
    named: &[(String, CTy)],
    pairs: &Pairs,
    cx: &Context<'_>,
) -> (ParamKind, Option<String>) {
    let t = &named[i].1;
    let (kind, c_type) = pointer_param(i, named, pairs, cx.rust_names);
    // Bytes given to state the caller allocates: the linkage keeps a copy
    // as long as the state lives, right whether C keeps the pointer or not.
    // (The first handle, the one borrowed: `kept` names a `&H`.)
    let state = named
        .iter()
        .find(|(_, p)| cx.handles.of(p, cx.spellings).is_some())
        .filter(|(_, p)| {
            cx.handles
                .of(p, cx.spellings)
                .is_some_and(|h| h.state.is_some())
        });
    match kind {
        ParamKind::Marker(..) => (kind, c_type),
        ParamKind::InSlice(elem, len) if is_bytes(&elem) && state.is_some() => {
            let kept = state.map(|(n, _)| n.clone()).unwrap_or_default();
            (ParamKind::InSliceKept(elem, len, kept), c_type)
        }
        other => {
            let g = format!(
                "{} if C is done with it when the call returns (it may keep the pointer)",
                other.text()
            );
            (ParamKind::guess(t.spell(), g), None)
        }
    }
}

/// Whether a slice's element tokens are bytes (`u8`, `c_uchar`, ..).
fn is_bytes(elem: &TokenStream) -> bool {
    matches!(
        elem.to_string().as_str(),
        "u8" | "c_uchar" | "c_char" | "c_schar"
    )
}

/// `InOut<T>` for the `T *` count of an out buffer, spelled as C does.
fn in_out_count(t: &CTy, rust_names: &BTreeMap<String, String>) -> (ParamKind, Option<String>) {
    let CTy::Ptr { to, .. } = t.strip() else {
        return (ParamKind::marker(t.spell()), None);
    };
    match value_tokens(to, rust_names) {
        Some(tok) => {
            let spelled = t.spell();
            let c_type = (spelled != format!("{} *", default_spelling(to))).then_some(spelled);
            (ParamKind::InOutCount(tok), c_type)
        }
        None => (ParamKind::marker(t.spell()), None),
    }
}

/// The meaning of a data pointer parameter; a marker when no inference holds.
fn pointer_param(
    i: usize,
    named: &[(String, CTy)],
    pairs: &Pairs,
    rust_names: &BTreeMap<String, String>,
) -> (ParamKind, Option<String>) {
    strings::param(i, named, pairs)
        .or_else(|| buffers::param(i, named, pairs, rust_names))
        .unwrap_or_else(|| (ParamKind::marker(named[i].1.spell()), None))
}

/// The parameters' names as the draft writes them.
fn drafted_names(f: &RawFn) -> Vec<String> {
    f.params.iter().map(|(n, _)| ident(n).to_string()).collect()
}

/// The result's tokens and how many markers they hold.
fn result(f: &RawFn, ctys: &[CTy], cx: &Context<'_>) -> Result<(TokenStream, usize), String> {
    let syn::ReturnType::Type(_, t) = &f.ret else {
        return Ok((quote!(), 0));
    };
    let cty = cx.types.resolve(t);
    let names = drafted_names(f);
    let owner = Named {
        c_name: &f.name,
        handles: cx.handles,
        spellings: cx.spellings,
        params: ctys,
        names: &names,
    };
    let handle = owner.result(&cty);
    if let Some((tok, false)) = &handle {
        return Ok((quote!(-> #tok), 0));
    }
    // A string handle (`sqlite3_filename`) not known to be the caller's is
    // still a string to copy.
    if strings::is_c_string(&cty) {
        if let Some(n) = result_count(f, ctys, cx) {
            let g = format!(
                "Borrowed<CStr> if it is NUL-terminated; else `{n}` may count its bytes, past \
                 which a CStr would read"
            );
            let m = marker_tokens(&cty.spell(), Some(&g));
            return Ok((quote!(-> #m), 1));
        }
        return Ok((quote!(-> Borrowed<CStr>), 0));
    }
    if let Some((tok, marker)) = handle {
        return Ok((quote!(-> #tok), usize::from(marker)));
    }
    match cty.strip() {
        CTy::Void => Ok((quote!(), 0)),
        CTy::Ptr { .. } | CTy::FnPtr { .. } => {
            let tok = marker_tokens(&cty.spell(), None);
            Ok((quote!(-> #tok), 1))
        }
        other => match by_value_tokens(other, cx.rust_names) {
            Some(tok) => Ok((quote!(-> #tok), 0)),
            None => Err(format!(
                "it returns `{}`, {}",
                cty.spell(),
                why_not_value(other)
            )),
        },
    }
}

/// A drafted function's doc comments and attributes.
fn attributes(f: &RawFn, cx: &Context<'_>) -> TokenStream {
    let rust = &cx.fn_names[&f.name];
    let c_name = (format!("{}{rust}", cx.prefix) != f.name).then(|| {
        let l = lit(&f.name);
        quote!(#[c_name = #l])
    });
    let variadic = f.variadic.then(|| {
        let n = syn::LitInt::new(&f.params.len().to_string(), Span::call_site());
        quote! {
            #[doc = " Variadic in C: this draft describes the call with no extra argument."]
            #[doc = " Describe each other use as its own function with #[variadic(fixed = N)]."]
            #[variadic(fixed = #n)]
        }
    });
    // No symbol to call: the check unit defines a wrapper that calls it.
    let wrap = cx.inline_fns.contains(&f.name).then(|| quote!(#[wrap]));
    let fdocs = &f.docs;
    quote! {
        #(#fdocs)*
        #variadic
        #wrap
        #c_name
    }
}

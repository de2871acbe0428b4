//! Opaque handles: a pointer to a record that cannot be described (one the
//! header leaves incomplete, one behind a pointer typedef, or one a
//! constructor makes) is a handle when a function evidently frees it; so is
//! a complete struct C allocates (written out through `T **`, held by value
//! nowhere: `sqlite3_snapshot`) and a typedef of a pointer to a value that
//! no function both takes and returns (`sqlite3_filename`). Either way the
//! caller only ever holds what C made.
//!
//! Each C spelling of the pointee is its own handle (`ZSTD_CCtx` and its
//! typedef `ZSTD_CStream`), so each has the free function named after it.
//! What the functions do with a handle is read in `ownership`.
//!
//! A pointer no function frees is a *scoped* handle when the header proves C
//! only ever lends it to callbacks (SQLite's `sqlite3_context *`): a callback
//! type takes it, and no function returns it, writes it out (`T **`, here
//! or in a callback) or has a name that may free it. Rust then never owns
//! one, and its functions' `T *` parameters are `&H`.

use super::collect::{Declarations, RawFn};
use super::ctype::CTy;
use super::names::{camel, words, Spellings, TypeNamespace};
use super::report::{ImportReport, Skips};
use super::tokens::{ident, lit};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Words that, first or last in a function's name, say it frees what it
/// takes (`XML_ParserFree`, `ZSTD_freeCCtx`, `sqlite3_close_v2`).
const FREE_WORDS: &[&str] = &[
    "free", "close", "destroy", "release", "finalize", "delete", "dispose", "unref", "finish",
];

/// Words that, first or last in a function's name, say it makes a new
/// object the caller owns (`XML_ParserCreate`, `ZSTD_createCCtx`). Not
/// `alloc` (`sqlite3_mutex_alloc` returns static mutexes too) and not
/// `init` (`LZ4_initStream` places one in the caller's memory): freeing
/// either is undefined.
const NEW_WORDS: &[&str] = &["create", "new", "dup", "open"];

/// Words that say a function writes a new object through `T **`.
const OUT_NEW_WORDS: &[&str] = &["create", "new", "open", "prepare"];

/// Words that say a function initialises the state it is given.
const INIT_WORDS: &[&str] = &["initialize", "initialise", "init"];

/// A drafted handle type.
pub(super) struct Handle {
    /// Its Rust name.
    pub(super) rust: String,
    /// How the check unit spells it: `c_pointer` (the pointer typedef's
    /// name) or `c_type` (the pointee's spelling).
    attr: &'static str,
    spelling: String,
    /// The C name of the function its `Drop` calls; empty for a scoped one.
    free: String,
    /// `scoped`: only ever lent to callbacks, never owned.
    pub(super) scoped: bool,
    /// Every function that evidently frees it (`free` among them).
    pub(super) frees: Vec<String>,
    /// State the caller allocates (a complete struct libyaml's
    /// `yaml_parser_t` is): its size and alignment, and the function that
    /// initialises it.
    pub(super) state: Option<State>,
    /// Why a complete record is a handle (C allocates it), for its doc.
    allocated: Option<String>,
}

/// State the caller allocates and C initialises.
pub(super) struct State {
    size: u64,
    align: u64,
    /// The C name of the function that takes only it and initialises it.
    pub(super) init: String,
}

/// The drafted handle types, by the C spelling of what their pointers
/// point to (or the pointer typedef's name).
#[derive(Default)]
pub(super) struct Handles(BTreeMap<String, Handle>);

/// A pointer that may be a handle: the C spelling it is keyed by, the
/// record behind it (bindgen's name), and whether it is a pointer typedef.
pub(super) struct HandleRef {
    pub(super) key: String,
    pub(super) record: String,
    pub(super) via_typedef: bool,
}

/// `T *` (or a pointer typedef) to a record: what it would be a handle of.
pub(super) fn handle_ref(t: &CTy, spellings: &Spellings) -> Option<HandleRef> {
    match t {
        CTy::Alias { name, to } => match &**to {
            CTy::Ptr { to: inner, .. } => match inner.strip() {
                CTy::Record(k) => Some(HandleRef {
                    key: name.clone(),
                    record: k.clone(),
                    via_typedef: true,
                }),
                // A typedef naming a pointer to a value (SQLite's
                // `typedef const char *sqlite3_filename`): no record.
                CTy::Void | CTy::Scalar(_) => Some(HandleRef {
                    key: name.clone(),
                    record: String::new(),
                    via_typedef: true,
                }),
                _ => None,
            },
            CTy::Alias { .. } => handle_ref(to, spellings).map(|r| HandleRef {
                key: name.clone(),
                ..r
            }),
            _ => None,
        },
        CTy::Ptr { to, .. } => match to.strip() {
            CTy::Record(k) => Some(HandleRef {
                key: match &**to {
                    CTy::Alias { name, .. } => name.clone(),
                    _ => spellings.c_spelling(k),
                },
                record: k.clone(),
                via_typedef: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// The words of a C name without the functions' prefix, a trailing version
/// (`_v2`) left out.
fn name_words(name: &str, prefix: &str) -> Vec<String> {
    let mut ws = words(name.strip_prefix(prefix).unwrap_or(name));
    if ws.len() > 1
        && ws.last().is_some_and(|w| {
            w.len() > 1 && w.starts_with('v') && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
    {
        ws.pop();
    }
    ws
}

/// Whether `name`'s first or last word (without the prefix) ends in one of
/// `set` (`XML_ParserFree`, `ZSTD_freeCCtx`, `gzclose_r`, `gzopen`).
pub(super) fn name_says(name: &str, prefix: &str, set: &[&str]) -> bool {
    let ws = name_words(name, prefix);
    let edge = |w: Option<&String>| w.is_some_and(|w| set.iter().any(|s| w.ends_with(s)));
    edge(ws.first()) || edge(ws.last())
}

/// Words that may say a function ends what it takes, though too loosely to
/// make it the handle's `Drop` (`dealloc`, `deinit`, `cleanup`,
/// `shutdown`): drafting it `&H` would let the handle be used, and freed,
/// after it. Matched in the name's words run together (`clean_up`,
/// `TearDown`), so a longer word holding one is left to a person too.
const MAY_FREE_WORDS: &[&str] = &[
    "dealloc",
    "decref",
    "deinit",
    "uninit",
    "cleanup",
    "discard",
    "drop",
    "teardown",
    "unload",
    "shutdown",
    "terminate",
    "destruct",
    "dtor",
    "kill",
    "purge",
    "dispose",
];

/// Whether any word of `name` ends in a free word, or its words hold a
/// word that may free: such a function may free a handle it takes, so none
/// of its handles is drafted as borrowed.
pub(super) fn mentions_free(name: &str) -> bool {
    let ws = words(name);
    let joined = ws.concat();
    ws.iter().any(|w| FREE_WORDS.iter().any(|f| w.ends_with(f)))
        || MAY_FREE_WORDS.iter().any(|f| joined.contains(f))
}

/// Words that, in a function taking no pointer, say it may end the
/// library's own state (`sqlite3_shutdown`, `xmlCleanupParser`).
const END_LIBRARY_WORDS: &[&str] = &[
    "shutdown",
    "cleanup",
    "terminate",
    "teardown",
    "deinit",
    "uninit",
    "finalize",
    "destroy",
];

/// Whether `name`'s words run together hold a word that ends the library:
/// called while a handle lives, such a function may free what the handle
/// points into (SQLite requires every connection closed before
/// `sqlite3_shutdown`), which no signature of safe Rust can forbid.
pub(super) fn says_end_library(name: &str) -> bool {
    let joined = words(name).concat();
    END_LIBRARY_WORDS.iter().any(|w| joined.contains(w))
}

/// Whether the function's name says it frees what it takes.
pub(super) fn says_free(name: &str, prefix: &str) -> bool {
    name_says(name, prefix, FREE_WORDS)
}

/// Words that, anywhere in a constructor's name, say it may hand back an
/// object it made before, which the caller does not own
/// (`conn_get_or_create`, `find_or_new`, `default_open`, `cached_new`):
/// freeing that one is undefined, so such a result is only a guess.
const MAY_REUSE_WORDS: &[&str] = &[
    "or",
    "get",
    "find",
    "lookup",
    "fetch",
    "peek",
    "cache",
    "cached",
    "current",
    "default",
    "global",
    "shared",
    "static",
    "singleton",
    "instance",
];

/// Whether a word of `name` says an object it returns may be one made
/// before.
fn may_reuse(name: &str, prefix: &str) -> bool {
    name_words(name, prefix)
        .iter()
        .any(|w| MAY_REUSE_WORDS.contains(&w.as_str()))
}

/// Whether the function's name says it makes a new object it returns.
pub(super) fn says_new(name: &str, prefix: &str) -> bool {
    name_says(name, prefix, NEW_WORDS) && !may_reuse(name, prefix)
}

/// Whether the function's name says it writes a new object through `T **`.
pub(super) fn says_out_new(name: &str, prefix: &str) -> bool {
    name_says(name, prefix, OUT_NEW_WORDS) && !may_reuse(name, prefix)
}

impl Handles {
    /// Whether a handle is keyed `key` (the C spelling of what its pointers
    /// point to, or the pointer typedef's name).
    pub(super) fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The handle a pointer of type `t` is, if it is one.
    pub(super) fn of(&self, t: &CTy, spellings: &Spellings) -> Option<&Handle> {
        handle_ref(t, spellings).and_then(|r| self.0.get(&r.key))
    }

    /// The Rust names of the scoped handles, by the C spelling they are
    /// keyed by.
    pub(super) fn scoped_names(&self) -> BTreeMap<String, String> {
        self.0
            .iter()
            .filter(|(_, h)| h.scoped)
            .map(|(k, h)| (k.clone(), h.rust.clone()))
            .collect()
    }

    /// The handle `t` points to a pointer of (`sqlite3 **`), if it does.
    pub(super) fn out_of(&self, t: &CTy, spellings: &Spellings) -> Option<&Handle> {
        match t.strip() {
            CTy::Ptr {
                is_const: false,
                to,
            } => self.of(to, spellings),
            _ => None,
        }
    }

    /// The C names of the free functions of the handles `f` takes, returns
    /// or writes.
    pub(super) fn frees_used_by(
        &self,
        f: &RawFn,
        decls: &Declarations,
        spellings: &Spellings,
    ) -> Vec<String> {
        let ret = match &f.ret {
            syn::ReturnType::Type(_, t) => Some(decls.types.resolve(t)),
            syn::ReturnType::Default => None,
        };
        f.params
            .iter()
            .map(|(_, t)| decls.types.resolve(t))
            .chain(ret)
            .filter_map(|t| {
                self.of(&t, spellings)
                    .or_else(|| self.out_of(&t, spellings))
                    .filter(|h| !h.scoped)
                    .map(|h| h.free.clone())
            })
            .collect()
    }

    /// Leaves out the handles whose free function is not among `drafted`
    /// (C names); whether any was left out.
    pub(super) fn keep_freed(&mut self, drafted: &BTreeSet<String>) -> bool {
        let before = self.0.len();
        self.0.retain(|_, h| h.scoped || drafted.contains(&h.free));
        self.0.len() != before
    }
}

/// Each pointer to a record that cannot be described (`described` are those
/// that can) in the functions' parameters and results, each key once, in
/// the order first seen.
pub(super) fn seen_in_signatures(
    decls: &Declarations,
    described: &BTreeSet<String>,
    spellings: &Spellings,
) -> Vec<HandleRef> {
    let mut seen: Vec<HandleRef> = Vec::new();
    for f in &decls.functions {
        let tys = f.params.iter().map(|(_, t)| t.clone()).chain(match &f.ret {
            syn::ReturnType::Type(_, t) => Some((**t).clone()),
            syn::ReturnType::Default => None,
        });
        for t in tys {
            let cty = decls.types.resolve(&t);
            let Some(r) = handle_ref(&cty, spellings) else {
                continue;
            };
            if !described.contains(&r.record)
                && !r.record.contains("__va_list_tag")
                && !seen.iter().any(|s| s.key == r.key)
            {
                seen.push(r);
            }
        }
    }
    seen
}

/// What the functions' signatures, callback types among them, do with the
/// record pointer `key`.
#[derive(Default)]
struct Uses {
    /// A callback type takes it (`T *`).
    lent_to_callback: bool,
    /// A function or a callback returns it.
    returned: bool,
    /// A `T **` of it appears anywhere.
    written_out: bool,
}

impl Uses {
    fn visit(&mut self, t: &CTy, key: &str, spellings: &Spellings) {
        match t {
            CTy::FnPtr { ret, params, .. } => {
                if handle_ref(ret, spellings).is_some_and(|r| r.key == key) {
                    self.returned = true;
                }
                self.visit(ret, key, spellings);
                for (_, p) in params {
                    if in_callback_param(p, key, spellings) {
                        self.lent_to_callback = true;
                    }
                    self.visit(p, key, spellings);
                }
            }
            CTy::Ptr { to, .. } => {
                if handle_ref(to, spellings).is_some_and(|r| r.key == key) {
                    self.written_out = true;
                }
                self.visit(to, key, spellings);
            }
            CTy::Alias { to, .. } => self.visit(to, key, spellings),
            CTy::Array { elem, .. } => self.visit(elem, key, spellings),
            _ => {}
        }
    }
}

/// Whether a callback's parameter of type `p` is a `T *` of `key`.
fn in_callback_param(p: &CTy, key: &str, spellings: &Spellings) -> bool {
    handle_ref(p, spellings).is_some_and(|r| r.key == key)
}

/// Whether the header proves that C only lends `r` to callbacks: a record
/// Rust cannot look into, that a callback type takes, that no function
/// returns or writes out (through `T **`, in a function or a callback), and
/// that no function whose name may free something takes.
fn scoped_evidence(
    decls: &Declarations,
    r: &HandleRef,
    incomplete: bool,
    spellings: &Spellings,
) -> bool {
    if !(incomplete || r.via_typedef) {
        return false;
    }
    let mut uses = Uses::default();
    for f in &decls.functions {
        let params: Vec<CTy> = f
            .params
            .iter()
            .map(|(_, t)| decls.types.resolve(t))
            .collect();
        if let syn::ReturnType::Type(_, t) = &f.ret {
            let ret = decls.types.resolve(t);
            if handle_ref(&ret, spellings).is_some_and(|h| h.key == r.key) {
                uses.returned = true;
            }
            uses.visit(&ret, &r.key, spellings);
        }
        let takes = params
            .iter()
            .any(|p| handle_ref(p, spellings).is_some_and(|h| h.key == r.key));
        if takes && mentions_free(&f.name) {
            return false;
        }
        for p in &params {
            uses.visit(p, &r.key, spellings);
        }
    }
    uses.lent_to_callback && !uses.returned && !uses.written_out
}

/// The functions that evidently free the handle `key`: they take only it,
/// and their names say so.
pub(super) fn free_functions<'d>(
    decls: &'d Declarations,
    key: &str,
    spellings: &Spellings,
) -> Vec<&'d RawFn> {
    decls
        .functions
        .iter()
        .filter(|f| {
            f.params.len() == 1
                && handle_ref(&decls.types.resolve(&f.params[0].1), spellings)
                    .is_some_and(|r| r.key == key)
                && says_free(&f.name, spellings.prefix())
        })
        .collect()
}

/// Whether a function takes a `key` and returns one: it may hand back a
/// replacement of the one it was given, after which the old pointer is
/// dead though Rust's handle to it lives.
fn replaced(decls: &Declarations, key: &str, spellings: &Spellings) -> bool {
    let is_key = |t: &syn::Type| {
        handle_ref(&decls.types.resolve(t), spellings).is_some_and(|r| r.key == key)
    };
    decls.functions.iter().any(|f| {
        matches!(&f.ret, syn::ReturnType::Type(_, t) if is_key(t))
            && f.params.iter().any(|(_, t)| is_key(t))
    })
}

/// For each handle, the functions that could register its callbacks'
/// user data (`#[opaque(.., context = f)]`): they take only the handle and a
/// `void *`, return nothing and have no name that may free. Their Rust
/// names, by the handle's.
pub(super) fn context_candidates(
    decls: &Declarations,
    handles: &Handles,
    spellings: &Spellings,
    fn_names: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &decls.functions {
        let ([(_, h), (_, v)], syn::ReturnType::Default) = (f.params.as_slice(), &f.ret) else {
            continue;
        };
        let h = handles.of(&decls.types.resolve(h), spellings);
        let v = decls.types.resolve(v);
        let (Some(h), Some(name)) = (h.filter(|h| !h.scoped), fn_names.get(&f.name)) else {
            continue;
        };
        // One whose name says it frees (expat's `XML_MemFree(parser, ptr)`)
        // would free the table it was given.
        if super::callbacks::is_user_data_param(&v) && !mentions_free(&f.name) {
            out.entry(h.rust.clone()).or_default().push(name.clone());
        }
    }
    out
}

/// Whether some function's name says it returns a new `key` (a complete
/// record is a handle only then: otherwise the caller may own its memory).
fn has_constructor(decls: &Declarations, key: &str, spellings: &Spellings) -> bool {
    decls.functions.iter().any(|f| {
        let syn::ReturnType::Type(_, t) = &f.ret else {
            return false;
        };
        handle_ref(&decls.types.resolve(t), spellings).is_some_and(|r| r.key == key)
            && says_new(&f.name, spellings.prefix())
    })
}

/// A complete record is state the caller allocates when bindgen gave its
/// layout and its own initialiser takes a pointer to it first: named after
/// the type and an init word (`yaml_parser_initialize` for `yaml_parser_t`,
/// `yaml_document_initialize`, which takes the document's contents too;
/// not `yaml_stream_end_event_initialize`, which makes one kind of
/// `yaml_event_t`). Whatever else it takes, the state is the linkage's
/// storage, handed out only once the initialiser (a person's to resolve)
/// says it is initialised.
fn state_of(decls: &Declarations, r: &HandleRef, spellings: &Spellings) -> Option<State> {
    if r.via_typedef {
        return None;
    }
    let (size, align) = *decls.layouts.get(&r.record)?;
    let mut type_words = words(spellings.without_prefix(&r.key));
    if type_words.len() > 1 && type_words.last().is_some_and(|w| w == "t" || w == "s") {
        type_words.pop();
    }
    let init = decls.functions.iter().find(|f| {
        let mut ws = name_words(&f.name, spellings.prefix());
        let verb = ws.pop();
        f.params.first().is_some_and(|p| {
            handle_ref(&decls.types.resolve(&p.1), spellings).is_some_and(|h| h.key == r.key)
        }) && verb.is_some_and(|v| INIT_WORDS.contains(&v.as_str()))
            && ws == type_words
    })?;
    Some(State {
        size,
        align,
        init: init.name.clone(),
    })
}

/// Verbs that end what another verb began on the same object (`close` what
/// `open` began), paired with the verbs they end.
const COUNTERPARTS: &[(&str, &[&str])] = &[("close", &["open"]), ("finish", &["start", "begin"])];

/// Whether `f`, a free candidate of `key`, is named as the counterpart of a
/// function that takes only a `key` too (`yaml_emitter_close` of
/// `yaml_emitter_open`): it ends what that one began, which need not free
/// the state, so it is not the state's one free function.
fn ends_an_opener(decls: &Declarations, f: &RawFn, key: &str, spellings: &Spellings) -> bool {
    let ws = name_words(&f.name, spellings.prefix());
    let takes_only_key = |g: &RawFn| {
        g.params.len() == 1
            && handle_ref(&decls.types.resolve(&g.params[0].1), spellings)
                .is_some_and(|r| r.key == key)
    };
    let edges = [0, ws.len().saturating_sub(1)];
    edges.iter().any(|&i| {
        let Some((_, openers)) = COUNTERPARTS
            .iter()
            .find(|(end, _)| ws.get(i) == Some(&end.to_string()))
        else {
            return false;
        };
        openers.iter().any(|opener| {
            let mut begun = ws.clone();
            begun[i] = opener.to_string();
            decls
                .functions
                .iter()
                .any(|g| takes_only_key(g) && name_words(&g.name, spellings.prefix()) == begun)
        })
    })
}

/// The free function a handle's `Drop` calls among several: the shortest
/// name, then the first by name (each candidate's name has the free word
/// first or last, so not `sqlite3_db_release_memory`).
fn chosen_free(candidates: &[&RawFn]) -> String {
    let mut names: Vec<&str> = candidates.iter().map(|f| f.name.as_str()).collect();
    names.sort_by_key(|n| (n.len(), n.to_string()));
    names[0].to_string()
}

/// The Rust name of the handle type keyed `key`: `yaml_parser_t` is
/// `Parser`, `LZ4_stream_t` is `Stream`.
fn rust_name(key: &str, spellings: &Spellings, namespace: &mut TypeNamespace) -> String {
    let base = spellings.without_prefix(key);
    let base = base
        .strip_suffix("_t")
        .filter(|b| !b.is_empty())
        .unwrap_or(base);
    namespace.fresh(&camel(base))
}

/// Finds the handle types; a pointer that no function evidently frees is
/// scoped when the header proves C only lends it to callbacks, and listed
/// as skipped otherwise, with the attribute a person would write.
pub(super) fn find(
    decls: &Declarations,
    described: &BTreeSet<String>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
    skips: &mut Skips,
) -> Handles {
    let mut handles = Handles::default();
    let allocated = super::records::allocated_by_c(decls, spellings);
    for r in seen_in_signatures(decls, described, spellings) {
        let incomplete = decls
            .records
            .iter()
            .any(|rec| rec.key == r.record && rec.is_incomplete());
        let mut candidates = free_functions(decls, &r.key, spellings);
        // A pointer typedef to a value is a handle only with a free function
        // and no function that takes one and returns one (`sds
        // sdscat(sds, const char *)` may move it, freeing the one it was
        // given); otherwise it is an ordinary pointer, listed nowhere.
        if r.record.is_empty() && (candidates.is_empty() || replaced(decls, &r.key, spellings)) {
            continue;
        }
        let eligible = r.via_typedef
            || incomplete
            || has_constructor(decls, &r.key, spellings)
            || allocated.contains_key(&r.record);
        let attr = if r.via_typedef { "c_pointer" } else { "c_type" };
        let state = if eligible {
            None
        } else {
            // Its storage is the linkage's, released after its one free
            // function: with several, which is the one is a person's to
            // say, unless all but one end what another function began
            // (`yaml_emitter_close` ends the stream `yaml_emitter_open`
            // began; `yaml_emitter_delete` is the free). Such a counterpart
            // stays a candidate no more, so it is left to a person, its
            // name saying it may free.
            candidates.retain(|f| !ends_an_opener(decls, f, &r.key, spellings));
            match state_of(decls, &r, spellings) {
                Some(s) if candidates.len() == 1 => Some(s),
                _ => continue,
            }
        };
        if candidates.is_empty() && scoped_evidence(decls, &r, incomplete, spellings) {
            let rust = rust_name(&r.key, spellings, namespace);
            handles.0.insert(
                r.key.clone(),
                Handle {
                    rust,
                    attr,
                    spelling: r.key,
                    free: String::new(),
                    scoped: true,
                    frees: Vec::new(),
                    state: None,
                    allocated: None,
                },
            );
            continue;
        }
        if candidates.is_empty() {
            skips.skip(
                "handle type",
                &r.key,
                format!(
                    "no function evidently frees it; a described handle names its free function: \
                     #[opaque({attr} = \"{}\", free = f)]",
                    r.key
                ),
            );
            continue;
        }
        let rust = rust_name(&r.key, spellings, namespace);
        handles.0.insert(
            r.key.clone(),
            Handle {
                rust,
                attr,
                spelling: r.key,
                free: chosen_free(&candidates),
                scoped: false,
                frees: candidates.iter().map(|f| f.name.clone()).collect(),
                state,
                allocated: allocated.get(&r.record).cloned(),
            },
        );
    }
    handles
}

/// The items of the handle types (`fn_names` are the functions' Rust
/// names); several free functions are named in a doc comment, since which
/// one `Drop` calls is a person's choice.
/// Handle types in `kept_by_call` keep their callbacks by call (see
/// `kept`).
pub(super) fn items(
    handles: &Handles,
    fn_names: &BTreeMap<String, String>,
    kept_by_call: &std::collections::BTreeSet<String>,
    report: &mut ImportReport,
) -> Vec<TokenStream> {
    let mut items = Vec::new();
    for h in handles.0.values() {
        let kind = ident(h.attr);
        let l = lit(&h.spelling);
        let id = ident(&h.rust);
        if h.scoped {
            report.opaque += 1;
            items.push(quote! {
                #[doc = " Only ever lent to callbacks, for their duration: a callback type takes it, and no function returns it, writes it out or frees it."]
                #[opaque(#kind = #l, scoped)]
                pub struct #id;
            });
            continue;
        }
        let Some(free) = fn_names.get(&h.free) else {
            continue;
        };
        let free_id = ident(free);
        let layout = h.state.as_ref().map(|s| {
            let (size, align) = (
                syn::LitInt::new(&s.size.to_string(), proc_macro2::Span::call_site()),
                syn::LitInt::new(&s.align.to_string(), proc_macro2::Span::call_site()),
            );
            quote!(, size = #size, align = #align)
        });
        let state_doc = h.state.as_ref().map(|s| {
            let d = format!(
                " State the caller allocates (size and alignment from the header); `{}` initialises it.",
                s.init
            );
            quote!(#[doc = #d])
        });
        let doc = (h.frees.len() > 1).then(|| {
            let d = format!(
                " Freed by any of {}: `Drop` calls `{}`; choose another if it fits better.",
                h.frees.join(", "),
                h.free
            );
            quote!(#[doc = #d])
        });
        let allocated = h.allocated.as_ref().map(|d| quote!(#[doc = #d]));
        let (kept, kept_doc) = if kept_by_call.contains(&h.rust) {
            let d = " Keeps callbacks C calls with user data no signature says who sets: they find the handle through the call running when C calls them.";
            (quote!(, kept_by_call), Some(quote!(#[doc = #d])))
        } else {
            (quote!(), None)
        };
        report.opaque += 1;
        items.push(quote! {
            #allocated
            #state_doc
            #doc
            #kept_doc
            #[opaque(#kind = #l #layout, free = #free_id #kept)]
            pub struct #id;
        });
    }
    items
}

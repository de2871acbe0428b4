//! What a function does with a handle, from the signature and the name:
//!
//! - a parameter of a handle type is borrowed, `&H`, unless the function is
//!   one that frees it (`Owned<H>`: Rust never uses it again, so a wrong
//!   guess only leaks), or its name says it frees something (then it is
//!   left to a person: borrowing what C frees is unsound);
//! - `T **` of a function whose name says it makes one (`sqlite3_open`,
//!   `sqlite3_prepare_v2`) is `Out<Owned<H>>`: a NULL written is an error;
//! - a returned handle is `Owned<H>` when the name says the function makes a
//!   new one and it takes no handle of that type it could hand back
//!   (`XML_ParserCreate`, `ZSTD_createCCtx`; not `sqlite3_db_handle`, whose
//!   result the caller must not free); a NULL returned is an error.
//!
//! A function whose name says it keeps what it is given (`XML_SetBase`,
//! `ZSTD_CCtx_refCDict`, `ZSTD_createCDict_byReference`,
//! `LZ4_compress_fast_continue`) may keep a pointer
//! past the call, which no borrow can express: its data pointers and every
//! handle after the first are left to a person.

use super::ctype::CTy;
use super::handles::{handle_ref, mentions_free, name_says, says_new, says_out_new, Handles};
use super::names::Spellings;
use super::param::{marker_tokens, ParamKind};
use super::tokens::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// Words that say a function keeps what it is given.
/// `continue` and `load`: lz4's streaming functions keep the previous
/// blocks and the dictionary they are given (`LZ4_compress_fast_continue`,
/// `LZ4_loadDict`). `add`, `push`, `insert`, `append`, `install`: a
/// collection may hold the pointer rather than a copy (OpenSSL's
/// `OBJ_NAME_add` keeps both strings, `EVP_add_cipher` the cipher).
const KEEP_WORDS: &[&str] = &[
    "set",
    "ref",
    "reference",
    "attach",
    "register",
    "continue",
    "load",
    "add",
    "push",
    "insert",
    "append",
    "install",
];

/// A function's name and what drafting its handles needs.
pub(super) struct Named<'a> {
    pub(super) c_name: &'a str,
    pub(super) handles: &'a Handles,
    pub(super) spellings: &'a Spellings,
    /// The function's parameter types.
    pub(super) params: &'a [CTy],
    /// The function's parameter names, as the draft writes them.
    pub(super) names: &'a [String],
}

impl Named<'_> {
    fn prefix(&self) -> &str {
        self.spellings.prefix()
    }

    /// The Rust name of a handle other than `key` the function takes, if
    /// it takes one: a new object made from it may keep a pointer to it
    /// (a statement to its connection, an XPath context to its document):
    /// only a person can tell, and tie it to the borrow with `Owned<H,
    /// parent = p>`, so the draft leaves it with a guess naming both.
    fn other_handle(&self, key: &str) -> Option<&str> {
        self.params.iter().find_map(|p| {
            let r = handle_ref(p, self.spellings)?;
            let h = self.handles.of(p, self.spellings)?;
            (r.key != key).then_some(h.rust.as_str())
        })
    }

    /// The name of the first parameter that is a handle of type `key`, or
    /// of another type (`same`: of that type only): what a person may name
    /// in `parent = p` when the new object keeps a pointer to it.
    fn handle_param(&self, key: &str, same: bool) -> Option<&str> {
        self.params.iter().zip(self.names).find_map(|(p, n)| {
            let r = handle_ref(p, self.spellings)?;
            self.handles.of(p, self.spellings)?;
            ((r.key == key) == same).then_some(n.as_str())
        })
    }

    /// The alternative a guess offers for a new handle of Rust type `rust`
    /// in `wrap` (`Owned<..>` or `Out<Owned<..>>`) made from the handle
    /// parameter `p`: the spelling that ties it to `p`'s borrow.
    fn parent_alternative(rust: &str, p: &str, out: bool) -> String {
        let owned = format!("Owned<{rust}, parent = {p}>");
        let spelled = if out { format!("Out<{owned}>") } else { owned };
        format!("; {spelled} if it keeps one")
    }

    /// Whether the function's name says it may keep what it is given; a
    /// word's trailing digits are a variant, not another word (OpenSSL's
    /// `ASN1_STRING_set0` keeps and later frees the data it is given).
    pub(super) fn may_keep(&self) -> bool {
        let ws = super::names::words(self.c_name);
        ws.iter()
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
            .any(|w| KEEP_WORDS.contains(&w))
    }

    /// The meaning of parameter `i` of type `t` when it is a handle or a
    /// pointer to one; `first_handle` is whether no handle came before it.
    pub(super) fn param(&self, t: &CTy, first_handle: bool) -> Option<(ParamKind, Option<String>)> {
        if let Some(h) = self.handles.of(t, self.spellings) {
            let rust = h.rust.clone();
            let c_type = self.c_type(t);
            if h.state.as_ref().is_some_and(|s| s.init == self.c_name) {
                let g = format!(
                    "Init<{rust}, V> where V is what it returns once it initialised it \
                     (any other result releases the storage)"
                );
                return Some((ParamKind::guess(t.spell(), g), None));
            }
            if h.frees.iter().any(|f| f == self.c_name) {
                return Some((
                    ParamKind::Handle {
                        ty: rust,
                        consume: true,
                    },
                    c_type,
                ));
            }
            if mentions_free(self.c_name) {
                let g = format!("Owned<{rust}> if this frees it; &{rust} if not");
                return Some((ParamKind::guess(t.spell(), g), None));
            }
            // State taken after another handle may be what that one
            // consumes or fills (`yaml_emitter_dump` destroys the document
            // it emits, `yaml_parser_load` initialises one): a borrow would
            // let `Drop` free it again, or read it uninitialised.
            if h.state.is_some() && !first_handle {
                let g = format!(
                    "&{rust} if C neither frees it nor initialises it anew; \
                     Init<{rust}, V> if it initialises it"
                );
                return Some((ParamKind::guess(t.spell(), g), None));
            }
            if self.may_keep() && !first_handle {
                let g = format!("&{rust} if C keeps no pointer to it past the call");
                return Some((ParamKind::guess(t.spell(), g), None));
            }
            return Some((
                ParamKind::Handle {
                    ty: rust,
                    consume: false,
                },
                c_type,
            ));
        }
        let h = self.handles.out_of(t, self.spellings)?;
        let key = handle_ref(t, self.spellings).map(|r| r.key);
        let parent = self.other_handle(key.as_deref().unwrap_or_default());
        if says_out_new(self.c_name, self.prefix())
            && !self.may_keep()
            && h.state.is_none()
            && parent.is_none()
        {
            return Some((ParamKind::OutHandle(h.rust.clone()), None));
        }
        let named = self.handle_param(key.as_deref().unwrap_or_default(), false);
        let g = match (parent, named) {
            (Some(p), Some(n)) if says_out_new(self.c_name, self.prefix()) => format!(
                "Out<Owned<{}>> if C writes a new one there that keeps no pointer to the {p} \
                 it is given{}",
                h.rust,
                Self::parent_alternative(&h.rust, n, true)
            ),
            _ => format!("Out<Owned<{}>> if C writes a new one there", h.rust),
        };
        Some((ParamKind::guess(t.spell(), g), None))
    }

    /// `#[c_type]` for a `const` pointer to a handle (the check unit spells
    /// the handle without `const`).
    fn c_type(&self, t: &CTy) -> Option<String> {
        // A pointer typedef is the handle's own spelling (`c_pointer`).
        let typedef = matches!(t, CTy::Alias { to, .. } if matches!(**to, CTy::Ptr { .. }));
        (!typedef && matches!(t.strip(), CTy::Ptr { is_const: true, .. })).then(|| t.spell())
    }

    /// The result's tokens and whether they are a marker, when the result
    /// is a handle; `params` are the function's parameter types.
    pub(super) fn result(&self, t: &CTy) -> Option<(TokenStream, bool)> {
        let h = self.handles.of(t, self.spellings)?;
        let key = handle_ref(t, self.spellings)?.key;
        let takes_same = self
            .params
            .iter()
            .any(|p| handle_ref(p, self.spellings).is_some_and(|r| r.key == key));
        let dup = name_says(self.c_name, self.prefix(), &["dup"]);
        let parent = self.other_handle(&key);
        // State the caller allocates is never C's to hand out.
        if says_new(self.c_name, self.prefix())
            && (!takes_same || dup)
            && !self.may_keep()
            && h.state.is_none()
            && parent.is_none()
        {
            let id = ident(&h.rust);
            return Some((quote!(Owned<#id>), false));
        }
        let new = says_new(self.c_name, self.prefix());
        let g = match (parent, self.handle_param(&key, false)) {
            (Some(p), Some(n)) if new => format!(
                "Owned<{}> if the caller frees it and it keeps no pointer to the {p} it is \
                 given{}",
                h.rust,
                Self::parent_alternative(&h.rust, n, false)
            ),
            // A new one made from one of its own type (expat's external
            // entity parser, made from its parent).
            _ => match self
                .handle_param(&key, true)
                .filter(|_| new && takes_same && !dup)
            {
                Some(n) => format!(
                    "Owned<{}> if the caller frees it and it keeps no pointer to the `{n}` it \
                     is given{}",
                    h.rust,
                    Self::parent_alternative(&h.rust, n, false)
                ),
                None => format!("Owned<{}> if the caller frees it", h.rust),
            },
        };
        Some((marker_tokens(&t.spell(), Some(&g)), true))
    }
}

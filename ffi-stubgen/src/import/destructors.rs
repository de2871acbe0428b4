//! Destructor parameters: a `void (*)(void *)` after the data it destroys
//! (`sqlite3_bind_blob(.., const void *, int n, void (*)(void *))`) is what
//! C calls with that data once done with it, no callback of its own. Which
//! value makes C copy the data (SQLite's `SQLITE_TRANSIENT`) is the
//! library's word, so these stay guesses, naming the values the header
//! defines for the destructor's type.

use super::callbacks;
use super::collect::Declarations;
use super::ctype::CTy;
use super::functions::Context;
use super::header_text::HeaderText;

/// The values the header defines for its destructor types (`#define
/// SQLITE_TRANSIENT ((sqlite3_destructor_type)-1)`), as `NAME as (VALUE)`.
pub(super) fn destructor_values(decls: &Declarations, header: &HeaderText) -> Vec<String> {
    decls
        .typedefs
        .iter()
        .filter(|t| is_destructor(&decls.types.resolve(&t.ty)))
        .flat_map(|t| {
            header
                .casts_to(&t.name)
                .into_iter()
                .map(move |(name, v)| format!("{name} as (({}){v})", t.name))
        })
        .collect()
}

/// Whether `t` is a destructor's type: `void (*)(void *)`.
pub(super) fn is_destructor(t: &CTy) -> bool {
    matches!(t.strip(), CTy::FnPtr { ret, params, variadic: false }
        if *ret.strip() == CTy::Void
            && matches!(params.as_slice(), [(_, p)] if callbacks::is_user_data_param(p)))
}

/// The guess for a destructor parameter `i` after a data pointer
/// (`sqlite3_bind_blob(.., const void *, int n, void (*)(void *))`): C
/// calls it with that data once done with it, so it is no kept callback
/// nor one with user data; `None` when `i` is no destructor or no data
/// pointer comes before it (`sqlite3_rollback_hook(db, void (*)(void *),
/// void *)` is a hook and its user data). A value the header defines for
/// its type may make C copy the data (SQLite's `SQLITE_TRANSIENT`), which
/// `Sentinel` passes; which value does is the library's to say, and NULL
/// or a "static" one lets C keep a pointer into Rust's buffer.
pub(super) fn destructor_guess(
    named: &[(String, CTy)],
    i: usize,
    cx: &Context<'_>,
) -> Option<String> {
    if !is_destructor(&named[i].1) {
        return None;
    }
    let before = &named[..i];
    // A `void *` before it is what it destroys (the user data of
    // `sqlite3_create_function_v2`, the pointer of `sqlite3_bind_pointer`),
    // in a function that takes a handle or another callback to give it to;
    // alone beside it (`tdestroy(void *root, void (*free_node)(void *))`),
    // it may be anything C walks.
    let owner = named.iter().enumerate().any(|(k, (_, t))| {
        k != i
            && (cx.handles.of(t, cx.spellings).is_some() || matches!(t.strip(), CTy::FnPtr { .. }))
    });
    if let Some((v, _)) = before
        .iter()
        .rev()
        .find(|(_, t)| callbacks::is_user_data_param(t))
        .filter(|_| owner)
    {
        return Some(format!(
            "the destructor C calls with `{v}` once done with it: Sentinel<0> (NULL: no \
             call) with #[c_type = \"{}\"] when nothing passed as `{v}` is C's to free (the \
             linkage keeps a stored closure's user data itself)",
            named[i].1.spell()
        ));
    }
    let data = before.iter().rev().find(|(_, t)| {
        matches!(t.strip(), CTy::Ptr { is_const: true, to }
            if matches!(to.strip(), CTy::Void | CTy::Scalar(_)))
    })?;
    let values = cx.destructor_values;
    let defined = if values.is_empty() {
        String::new()
    } else {
        format!(" (the header defines {})", values.join(", "))
    };
    Some(format!(
        "the destructor C calls with `{}` once done with it: Sentinel<V> with \
         #[c_value = \"C\"] for a value C of its type that makes C copy the data before the \
         call returns{defined}; NULL, or a value saying the data is static, lets C keep a \
         pointer into a buffer Rust frees after the call",
        data.0
    ))
}

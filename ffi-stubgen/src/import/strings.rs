//! C strings: a `const char *` is a NUL-terminated string only when no
//! integer of the function may be its length; with its length right after
//! it, it is that many bytes.

use super::ctype::CTy;
use super::lengths::Pairs;
use super::param::ParamKind;
use ffi_desc::ir::Scalar;
use quote::quote;

/// Whether `t` is `const char *`, through typedefs.
pub(super) fn is_c_string(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { is_const: true, to } if *to.strip() == CTy::Scalar(Scalar::Char))
}

/// Whether a typedef names the pointer rather than its characters
/// (`sqlite3_filename`, not `const XML_Char *`).
fn names_the_pointer(t: &CTy) -> bool {
    match t {
        CTy::Alias { to, .. } => matches!(&**to, CTy::Ptr { .. }) || names_the_pointer(to),
        _ => false,
    }
}

/// The meaning of the `const char *` parameter `i` of `params`, with its C
/// spelling when it is spelled otherwise; `None` when it is no string.
///
/// - With a count right after it (`const char *s, int len`): `len` bytes,
///   `In<[u8], len = len>`, whatever NULs they hold.
/// - With a count-named integer elsewhere that no other pointer claims
///   (`LZ4_compress_default(const char *src, char *dst, int srcSize, ..)`):
///   `Unresolved`, since that integer may be its length, and a `CStr` with a
///   caller's length would let C read past the string.
/// - Behind a typedef of the pointer that is no handle (`handles`: one with
///   a free function, as `sqlite3_filename`, is): `Unresolved`.
/// - Otherwise `CStr`.
pub(super) fn param(
    i: usize,
    params: &[(String, CTy)],
    pairs: &Pairs,
) -> Option<(ParamKind, Option<String>)> {
    let (name, t) = &params[i];
    if !is_c_string(t) {
        return None;
    }
    let spelled = t.spell();
    // A typedef of the pointer itself (`typedef const char *sqlite3_filename`)
    // says it is no string of the caller's: SQLite's must come from SQLite.
    if names_the_pointer(t) {
        let guess = format!("CStr if any NUL-terminated string is a `{spelled}`");
        return Some((ParamKind::guess(spelled, guess), None));
    }
    if let Some(l) = pairs.length_of(i) {
        return Some((
            ParamKind::InSlice(quote!(u8), params[l].0.clone()),
            Some(spelled),
        ));
    }
    if pairs.has_loose() {
        let guess = match pairs.guess_for(name, params) {
            Some(l) => format!(
                "In<[u8], len = {}> if `{}` counts its bytes; CStr if it is NUL-terminated",
                params[l].0, params[l].0
            ),
            None => {
                "CStr if it is NUL-terminated; else bytes whose count no parameter is named for"
                    .to_string()
            }
        };
        return Some((ParamKind::guess(spelled, guess), None));
    }
    let c_type = (spelled != "const char *").then_some(spelled);
    Some((ParamKind::CStr, c_type))
}

//! Pointers to data whose extent the signature shows: `const T *` with its
//! count right after it is that many elements read (`In<[T], len = n>`),
//! `T *` with its count right after it at most that many written (`Out<[T],
//! cap = n>`); `const S *` of a described struct or union is one object read.
//! Every other data pointer is left to a person, with a guess when the names
//! suggest one.

use super::ctype::CTy;
use super::lengths::Pairs;
use super::param::ParamKind;
use super::value::{default_spelling, value_tokens};
use quote::quote;
use std::collections::BTreeMap;

/// The meaning of the pointer parameter `i` of `params` (not `const char
/// *`: see `strings`), with its C spelling when the meaning's own spelling
/// differs; `None` when it points to no data (a handle, a function, a
/// pointer to a pointer).
pub(super) fn param(
    i: usize,
    params: &[(String, CTy)],
    pairs: &Pairs,
    rust_names: &BTreeMap<String, String>,
) -> Option<(ParamKind, Option<String>)> {
    let (name, t) = &params[i];
    let CTy::Ptr { is_const, to } = t.strip() else {
        return None;
    };
    let pointee = to.strip();
    let (elem, elem_c) = match pointee {
        CTy::Void | CTy::Scalar(ffi_desc::ir::Scalar::Char) => (quote!(u8), "uint8_t".to_string()),
        CTy::Array { .. } | CTy::Ptr { .. } | CTy::FnPtr { .. } => return None,
        other => (value_tokens(other, rust_names)?, default_spelling(other)),
    };
    let spelled = t.spell();
    let c = if *is_const { "const " } else { "" };
    let c_type = (spelled != format!("{c}{elem_c} *")).then_some(spelled.clone());
    if let Some(l) = pairs.length_of(i) {
        let len = params[l].0.clone();
        let kind = if *is_const {
            ParamKind::InSlice(elem, len)
        } else {
            ParamKind::OutSlice(elem, len)
        };
        return Some((kind, c_type));
    }
    // One object: conventional for a struct or union C reads, unless some
    // count of the function may be its extent. A pointer to a scalar is as
    // often an array, so its extent is left to a person.
    if *is_const && matches!(pointee, CTy::Record(_)) && !pairs.has_loose() {
        return Some((ParamKind::In(elem), c_type));
    }
    let dir = if *is_const { "In" } else { "Out" };
    let slice_word = if *is_const { "len" } else { "cap" };
    let guess = match (pairs.guess_for(name, params), pairs.product_after(i, params)) {
        (_, Some((a, b))) => format!(
            "{dir}<[{elem}], {slice_word} = ..>: {a} × {b} of them, a product no one parameter holds"
        ),
        (Some(l), _) => format!("{dir}<[{elem}], {slice_word} = {}>", params[l].0),
        (None, _) if !*is_const && matches!(pointee, CTy::Scalar(_)) && !is_byte(pointee) => {
            format!("Out<{elem}> if C writes one; InOut<{elem}> if it reads it too")
        }
        (None, _) => return None,
    };
    Some((ParamKind::guess(spelled, guess), None))
}

/// Whether `t` is a byte, whose pointer is as often a buffer as one object.
fn is_byte(t: &CTy) -> bool {
    use ffi_desc::ir::Scalar::*;
    matches!(t, CTy::Scalar(Char | SChar | UChar | U8 | I8))
}

//! Read-only pointers whose extent is evident: `const T *` followed by an
//! integer is that many elements; `const S *` of a described struct or union
//! is one.

use super::ctype::CTy;
use super::param::ParamKind;
use super::value::{default_spelling, value_tokens};
use quote::quote;
use std::collections::BTreeMap;

/// The meaning of a `const` pointer parameter `t` (not to `char`: see
/// `strings`), given the types of the next two parameters and the next's
/// name, with its C spelling when the meaning's own spelling differs; `None`
/// when it is left to a person.
pub(super) fn param(
    t: &CTy,
    next: Option<&CTy>,
    after_next: Option<&CTy>,
    next_name: Option<&str>,
    rust_names: &BTreeMap<String, String>,
) -> Option<(ParamKind, Option<String>)> {
    let CTy::Ptr { is_const: true, to } = t.strip() else {
        return None;
    };
    let pointee = to.strip();
    let integer = |t: Option<&CTy>| match t.map(CTy::strip) {
        Some(CTy::Scalar(s)) if s.is_integer() => Some(*s),
        _ => None,
    };
    // Two integers of one type after the pointer is fread's shape
    // (`buf, size_t size, size_t nitems`): the extent is their product, not
    // one parameter, so it is left to a person.
    let next_is_len = integer(next).is_some_and(|n| integer(after_next) != Some(n));
    let (elem, elem_c) = match pointee {
        CTy::Void if next_is_len => (quote!(u8), "uint8_t".to_string()),
        CTy::Array { .. } | CTy::Void => return None,
        other => (value_tokens(other, rust_names)?, default_spelling(other)),
    };
    let spelled = t.spell();
    let c_type = (spelled != format!("const {elem_c} *")).then_some(spelled);
    match (next_is_len, next_name) {
        (true, Some(n)) => Some((ParamKind::InSlice(elem, n.to_string()), c_type)),
        // One object: conventional for a struct or union; a pointer to a
        // scalar is as often an array, so its extent is left to a person.
        _ if matches!(pointee, CTy::Record(_)) => Some((ParamKind::In(elem), c_type)),
        _ => None,
    }
}

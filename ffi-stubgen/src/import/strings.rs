//! C strings: a `const char *` is read as a NUL-terminated string.

use super::ctype::CTy;
use super::param::ParamKind;
use ffi_desc::ir::Scalar;

/// Whether `t` is `const char *`, through typedefs.
pub(super) fn is_c_string(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { is_const: true, to } if *to.strip() == CTy::Scalar(Scalar::Char))
}

/// A `const char *` parameter is `CStr`, with its C spelling when it is
/// spelled otherwise (through a typedef).
pub(super) fn param(t: &CTy) -> Option<(ParamKind, Option<String>)> {
    if !is_c_string(t) {
        return None;
    }
    let spelled = t.spell();
    let c_type = (spelled != "const char *").then_some(spelled);
    Some((ParamKind::CStr, c_type))
}

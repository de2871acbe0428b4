//! `Unresolved<"T *">`: a pointer whose meaning a draft has yet to state.

use crate::ir::*;

pub(super) fn kind(c_type: &str) -> ParamKind {
    ParamKind::Unresolved {
        c_type: c_type.to_string(),
    }
}

//! A parameter passed by value: a C scalar, struct, union or enum.

use crate::ir::*;

pub(super) fn kind(ty: &ValueType) -> ParamKind {
    ParamKind::Value(ty.clone())
}

//! `CStr`: a NUL-terminated string the function reads; `Option<CStr>` when
//! the function also takes NULL.

use crate::ir::*;

pub(super) fn kind(nullable: bool) -> ParamKind {
    ParamKind::Pointer {
        dir: Direction::In,
        elem: ValueType::Scalar(Scalar::Char),
        extent: Extent::NulTerminated,
        nullable,
        kept: None,
    }
}

//! `CStr`: a NUL-terminated string the function reads.

use crate::ir::*;

pub(super) fn kind() -> ParamKind {
    ParamKind::Pointer {
        dir: Direction::In,
        elem: ValueType::Scalar(Scalar::Char),
        extent: Extent::NulTerminated,
    }
}

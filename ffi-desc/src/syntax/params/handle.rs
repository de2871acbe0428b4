//! `&H` and `Owned<H>`: an opaque handle, borrowed or given away.

use crate::ir::*;

pub(crate) struct WrittenHandle {
    pub(crate) ty: String,
    /// `Owned<H>`: the function takes the handle over.
    pub(crate) consume: bool,
}

impl WrittenHandle {
    pub(super) fn kind(&self) -> ParamKind {
        ParamKind::Handle {
            ty: self.ty.clone(),
            consume: self.consume,
        }
    }
}

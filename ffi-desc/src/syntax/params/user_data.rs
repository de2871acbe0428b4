//! `UserData`: the `void *` C hands back to a callback, which the generated
//! code fills in so the closure can be found. The one of a handle type's
//! `context` function belongs to no callback parameter: the linkage passes
//! the handle's callback table through it.

use super::{Links, WrittenParam};
use crate::ir::*;
use crate::syntax::Parser;

impl Parser {
    pub(super) fn user_data_kind(
        &mut self,
        i: usize,
        p: &WrittenParam<'_>,
        links: &Links,
    ) -> ParamKind {
        let registers_context = self.contexts.values().any(|(f, _)| *f == links.function);
        if !links.user_datas.contains_key(&i) && !registers_context {
            self.errs
                .push_spanned(p.ty, "this UserData belongs to no Callback parameter");
        }
        ParamKind::UserData
    }
}

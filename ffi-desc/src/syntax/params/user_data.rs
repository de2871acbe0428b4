//! `UserData`: the `void *` C hands back to a callback, which the generated
//! code fills in so the closure can be found.

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
        if !links.user_datas.contains_key(&i) {
            self.errs
                .push_spanned(p.ty, "this UserData belongs to no Callback parameter");
        }
        ParamKind::UserData
    }
}

//! `Sentinel<V>`: a pointer parameter that always takes one special value
//! (`SQLITE_TRANSIENT`, `(void (*)(void *))-1`), passed by the linkage and
//! not a parameter of the safe method. `#[c_value = "SQLITE_TRANSIENT"]`
//! names the C expression the check unit asserts equal to `V`.

use super::{Written, WrittenParam};
use crate::ir::*;
use crate::syntax::tokens::{eval_int, generic_args};
use crate::syntax::Parser;
use syn::GenericArgument;

impl Parser {
    /// `Sentinel<V>` with `V` an integer literal (negative in braces:
    /// `Sentinel<{ -1 }>`, or plainly `Sentinel<-1>` where Rust accepts it).
    pub(super) fn written_sentinel(&mut self, seg: &syn::PathSegment) -> Option<Written> {
        let args = generic_args(seg);
        let value = match args.as_slice() {
            [GenericArgument::Const(e)] => eval_int(e),
            [GenericArgument::Type(syn::Type::Path(p))] => p
                .path
                .get_ident()
                .and_then(|i| i.to_string().parse::<i64>().ok()),
            _ => None,
        };
        match value {
            Some(v) => Some(Written::Sentinel(v)),
            None => {
                self.errs.push_spanned(
                    seg,
                    "Sentinel<V> takes the pointer's value as an integer literal: Sentinel<-1>",
                );
                None
            }
        }
    }
}

pub(super) fn kind(value: i64, p: &WrittenParam<'_>) -> ParamKind {
    ParamKind::Sentinel {
        value,
        c_value: p.c_value.as_ref().map(|(v, _)| v.clone()),
    }
}

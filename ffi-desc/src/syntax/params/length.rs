//! A parameter that holds the length of a buffer parameter (`len = n`,
//! `cap = n`): an integer, or `InOut<integer>` for a count the function
//! updates.

use super::{Written, WrittenParam};
use crate::ir::*;
use crate::syntax::Parser;

impl Parser {
    /// The meaning of a parameter that `buffers` name as their length;
    /// `None` (with an error) when it is no integer.
    pub(super) fn length_kind(
        &mut self,
        p: &WrittenParam<'_>,
        w: &Written,
        buffers: &[(Direction, String)],
    ) -> Option<ParamKind> {
        let (ty, by_pointer) = match w {
            Written::Value(ValueType::Scalar(s)) if s.is_integer() => (*s, false),
            Written::InOutScalar(s) => (*s, true),
            _ => {
                let buffers: Vec<&str> = buffers.iter().map(|(_, b)| b.as_str()).collect();
                self.errs.push_spanned(
                    p.ty,
                    format!(
                        "`{}` is the length of `{}`: a length parameter must be an integer, \
                         or InOut<integer> for an in-out length",
                        p.name,
                        buffers.join("`, `")
                    ),
                );
                return None;
            }
        };
        if by_pointer && buffers.iter().any(|(d, _)| *d == Direction::In) {
            self.errs.push_spanned(
                p.ty,
                "an in-out length can only count an Out or InOut buffer",
            );
        }
        Some(ParamKind::Length { ty, by_pointer })
    }
}

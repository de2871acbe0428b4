//! `#[variadic(fixed = N)]`: one instantiation of a C function taking `...`.

use crate::ir::*;
use crate::syntax::Parser;
use proc_macro2::Span;
use syn::Type;

impl Parser {
    /// The parameters after the first `fixed` pass through `...`: only
    /// scalars C does not promote, and strings.
    pub(super) fn check_variadic(
        &mut self,
        sig: &syn::Signature,
        fixed: usize,
        fixed_span: Span,
        params: &[Param],
        param_tys: &[&Type],
    ) {
        if fixed > params.len() {
            self.errs.push(
                fixed_span,
                format!(
                    "#[variadic(fixed = {fixed})]: `{}` has only {} parameters",
                    sig.ident,
                    params.len()
                ),
            );
        }
        if fixed == 0 {
            self.errs.push(
                fixed_span,
                "a variadic C function has at least one fixed parameter",
            );
        }
        for (p, ty) in params.iter().zip(param_tys).skip(fixed) {
            match &p.kind {
                ParamKind::Value(ValueType::Scalar(s)) if s.promoted_in_varargs() => {
                    let (c, rust) = if *s == Scalar::Float {
                        ("double", "f64")
                    } else {
                        ("int", "c_int")
                    };
                    self.errs.push_spanned(
                        ty,
                        format!(
                            "`{}` is promoted through `...`: C passes it as {c}, so describe it as {rust}",
                            p.name
                        ),
                    )
                }
                ParamKind::Value(ValueType::Scalar(_))
                | ParamKind::Pointer {
                    extent: Extent::NulTerminated,
                    ..
                } => {}
                _ => self.errs.push_spanned(
                    ty,
                    format!("`{}`: only scalars and strings pass through `...`", p.name),
                ),
            }
        }
    }
}

//! Types passed by value: C scalars, and the structs, unions and enums of
//! the description; fixed-size arrays inside structs.

use super::tokens::{eval_int, last_segment, path_ident};
use super::{Kind, Parser};
use crate::ir::*;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, GenericArgument, Lit, PathArguments, Type};

impl Parser {
    /// A type usable by value. Arrays only inside structs (`allow_array`).
    pub(crate) fn value_type(&mut self, ty: &Type, allow_array: bool) -> Option<ValueType> {
        match ty {
            Type::Array(a) if allow_array => {
                let elem = self.value_type(&a.elem, true)?;
                let Some(len) = eval_int(&a.len).and_then(|l| u64::try_from(l).ok()) else {
                    self.errs
                        .push(a.len.span(), "an array length must be an integer literal");
                    return None;
                };
                Some(ValueType::Array {
                    elem: Box::new(elem),
                    len,
                })
            }
            Type::Array(a) => {
                self.errs.push_spanned(
                    &a,
                    "C passes no arrays by value: use In<[T; N]> for a pointer to a fixed count",
                );
                None
            }
            Type::Ptr(p) => {
                self.errs.push_spanned(
                    p,
                    "a raw pointer has no meaning: use In<T>, Out<T>, InOut<T>, CStr, a handle or a callback",
                );
                None
            }
            Type::Reference(r) => {
                self.errs
                    .push_spanned(&r, "a reference here has no meaning: use In<T> or InOut<T>");
                None
            }
            Type::Path(_) if last_segment(ty).is_some_and(|s| s.ident == "Unresolved") => {
                self.unresolved_by_value(ty);
                None
            }
            Type::Path(_) => self.named_value_type(ty),
            other => {
                self.errs.push_spanned(
                    other,
                    "unknown C type: expected a C scalar (c_int, u8, size_t, f64, ..) \
                     or a type of this description",
                );
                None
            }
        }
    }

    pub(crate) fn field_type(&mut self, ty: &Type) -> Option<ValueType> {
        self.value_type(ty, true)
    }

    /// The marker `ffi-stubgen import` leaves on a pointer whose meaning the
    /// header does not say, outside a draft.
    fn unresolved_by_value(&mut self, ty: &Type) {
        let c_type = match last_segment(ty).map(|s| &s.arguments) {
            Some(PathArguments::AngleBracketed(a)) => match a.args.first() {
                Some(GenericArgument::Const(Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }))) => format!("`{}` ", s.value()),
                _ => String::new(),
            },
            _ => String::new(),
        };
        self.errs.push_spanned(
            ty,
            format!(
                "unresolved pointer {c_type}left by `ffi-stubgen import`: state its meaning: \
                 In<T>, Out<T> or InOut<T> (`len = n`/`cap = n` for a buffer), CStr, \
                 a handle (&H or Owned<H>), Callback<F> or UserData"
            ),
        );
    }

    /// A C scalar, or a struct, union or enum of the description.
    fn named_value_type(&mut self, ty: &Type) -> Option<ValueType> {
        let Some(name) = path_ident(ty) else {
            self.errs.push_spanned(
                ty,
                "unknown C type: expected a C scalar (c_int, u8, size_t, f64, ..) \
                 or a type of this description",
            );
            return None;
        };
        if let Some(s) = Scalar::from_rust_name(&name) {
            return Some(ValueType::Scalar(s));
        }
        match self.kinds.get(&name) {
            Some(Kind::Struct | Kind::Union | Kind::Enum) => Some(ValueType::Named(name)),
            Some(Kind::Opaque) => {
                self.errs.push_spanned(
                    ty,
                    format!(
                        "opaque type `{name}` by value: C only ever holds a pointer to it; \
                         write &{name} to borrow a handle or Owned<{name}> to give it away"
                    ),
                );
                None
            }
            Some(Kind::CopyOut) => {
                self.errs.push_spanned(
                    ty,
                    format!(
                        "`{name}` is a #[copy_out] struct: C writes it through Out<{name}>, \
                         and Rust gets an owned copy; it is not passed by value"
                    ),
                );
                None
            }
            Some(Kind::Callback) => {
                self.errs
                    .push_spanned(&ty, format!("a callback is passed as Callback<{name}>"));
                None
            }
            None => {
                self.errs.push_spanned(
                    ty,
                    format!(
                        "unknown C type `{name}`: not a C scalar nor a type of this description"
                    ),
                );
                None
            }
        }
    }
}

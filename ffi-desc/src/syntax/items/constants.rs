//! Described constants: `pub const Z_OK: i32 = 0;` is passed through to
//! Rust unchanged and recorded for the check unit, which asserts that the
//! C expression of the same name (`#[c_name = "..."]` for another) has that
//! value. `#[unchecked]` keeps a constant that has no C counterpart.

use super::Items;
use crate::ir::{ConstValue, Constant};
use crate::syntax::attrs::string_attr;
use crate::syntax::Parser;
use syn::{Expr, ExprLit, Lit, Type};

/// The Rust integer types a checked constant may have, C's aliases included.
const INTEGERS: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "isize",
    "usize",
    "c_char",
    "c_schar",
    "c_uchar",
    "c_short",
    "c_ushort",
    "c_int",
    "c_uint",
    "c_long",
    "c_ulong",
    "c_longlong",
    "c_ulonglong",
    "size_t",
    "ssize_t",
];

impl Parser {
    /// Records `c` for the check unit (unless `#[unchecked]`) and passes it
    /// through without the description's attributes.
    pub(crate) fn constant(&mut self, mut c: syn::ItemConst, found: &mut Items) {
        let unchecked = c.attrs.iter().any(|a| a.path().is_ident("unchecked"));
        let c_name = string_attr(&c.attrs, "c_name", &mut self.errs);
        c.attrs
            .retain(|a| !a.path().is_ident("unchecked") && !a.path().is_ident("c_name"));
        if !unchecked {
            if let Some(value) = self.constant_value(&c) {
                let name = c.ident.to_string();
                found.constants.push(Constant {
                    c_name: c_name.unwrap_or_else(|| name.clone()),
                    name,
                    value,
                });
            }
        }
        found.passthrough.push(syn::Item::Const(c));
    }

    fn constant_value(&mut self, c: &syn::ItemConst) -> Option<ConstValue> {
        let value = match (type_name(&c.ty).as_deref(), literal(&c.expr)) {
            (Some(t), Some(Lit::Int(i))) if INTEGERS.contains(&t) => {
                Some(ConstValue::Int(i.base10_digits().to_string()))
            }
            (Some(t), None) if INTEGERS.contains(&t) => negative(&c.expr).map(ConstValue::Int),
            (Some("bool"), Some(Lit::Bool(b))) => {
                Some(ConstValue::Int(u8::from(b.value).to_string()))
            }
            (Some("str"), Some(Lit::Str(s))) => Some(ConstValue::Str(s.value())),
            (Some("CStr"), Some(Lit::CStr(s))) => s
                .value()
                .to_str()
                .ok()
                .map(|v| ConstValue::Str(v.to_string())),
            _ => None,
        };
        if value.is_none() {
            self.errs.push_spanned(
                &c.expr,
                "a described constant is checked against the header: give it an integer, bool \
                 or string literal (an integer type, bool, &str or &CStr), or mark it \
                 #[unchecked] when C has no such constant",
            );
        }
        value
    }
}

/// The last path segment of `T`, `&T` or `&'static T`.
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(r) => type_name(&r.elem),
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Group(g) => type_name(&g.elem),
        Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

fn literal(expr: &Expr) -> Option<Lit> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => Some(lit.clone()),
        Expr::Group(g) => literal(&g.expr),
        Expr::Paren(p) => literal(&p.expr),
        _ => None,
    }
}

/// `-N` for an integer literal `N`, in decimal.
fn negative(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match literal(&u.expr)? {
            Lit::Int(i) => Some(format!("-{}", i.base10_digits())),
            _ => None,
        },
        Expr::Group(g) => negative(&g.expr),
        Expr::Paren(p) => negative(&p.expr),
        _ => None,
    }
}

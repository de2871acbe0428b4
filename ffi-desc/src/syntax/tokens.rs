//! Small readers of `syn` types shared by every part of the parser.

use syn::{Expr, ExprLit, GenericArgument, Lit, PathArguments, Type};

pub(crate) fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The name of a plain path type without generic arguments (`a::B` gives `B`).
pub(crate) fn path_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let seg = p.path.segments.last()?;
            matches!(seg.arguments, PathArguments::None).then(|| seg.ident.to_string())
        }
        _ => None,
    }
}

pub(crate) fn generic_args(seg: &syn::PathSegment) -> Vec<&GenericArgument> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().collect(),
        _ => Vec::new(),
    }
}

/// The C type an `Unresolved<"T *">` marker names, if `ty` is one.
pub(crate) fn unresolved_marker(ty: &Type) -> Option<String> {
    let seg = last_segment(ty).filter(|s| s.ident == "Unresolved")?;
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(GenericArgument::Const(Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }))) => Some(s.value()),
            _ => Some(String::new()),
        },
        _ => Some(String::new()),
    }
}

/// An integer literal, possibly negated or parenthesized.
pub(crate) fn eval_int(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse::<i64>().ok(),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => eval_int(&u.expr).map(|v| -v),
        Expr::Group(g) => eval_int(&g.expr),
        Expr::Paren(p) => eval_int(&p.expr),
        _ => None,
    }
}

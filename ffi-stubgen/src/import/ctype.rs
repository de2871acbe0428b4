//! The C types of bindgen's output, with their C spellings kept.

use ffi_desc::ir::Scalar;
use std::collections::BTreeMap;

/// A C type as bindgen saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CTy {
    /// `void`.
    Void,
    /// A scalar.
    Scalar(Scalar),
    /// A struct or union, by bindgen's name (`struct_sv_point`).
    Record(String),
    /// An enum, by bindgen's name.
    Enum(String),
    /// A pointer.
    Ptr {
        /// `const` pointee.
        is_const: bool,
        /// Pointee.
        to: Box<CTy>,
    },
    /// A fixed-size array.
    Array {
        /// Element.
        elem: Box<CTy>,
        /// Count.
        len: u64,
    },
    /// A function pointer (bindgen's `Option<unsafe extern "C" fn ..>`).
    FnPtr {
        /// Result.
        ret: Box<CTy>,
        /// Parameters with their names.
        params: Vec<(Option<String>, CTy)>,
        /// `...`.
        variadic: bool,
    },
    /// A typedef, keeping its name for the spelling.
    Alias {
        /// The typedef's name.
        name: String,
        /// What it stands for.
        to: Box<CTy>,
    },
    /// Something a description cannot hold, with the reason.
    Unknown(String),
}

/// What bindgen declared under a name.
#[derive(Clone, Debug)]
pub enum Decl {
    /// `pub type X = T;` or `pub use self::T as X;`.
    Alias(Box<syn::Type>),
    /// A struct or union.
    Record,
    /// An enum.
    Enum,
}

/// The names bindgen declared, to resolve paths.
#[derive(Default)]
pub struct Types {
    /// Every declared name.
    pub decls: BTreeMap<String, Decl>,
}

impl CTy {
    /// The type behind every typedef.
    pub fn strip(&self) -> &CTy {
        match self {
            CTy::Alias { to, .. } => to.strip(),
            other => other,
        }
    }

    /// The C spelling.
    pub fn spell(&self) -> String {
        match self {
            CTy::Void => "void".to_string(),
            CTy::Scalar(s) => s.c_name().to_string(),
            CTy::Record(k) | CTy::Enum(k) => record_spelling(k),
            CTy::Alias { name, .. } => name.clone(),
            CTy::Ptr { is_const, to } => {
                if let CTy::FnPtr { .. } = &**to {
                    // A pointer to a function pointer.
                    let inner = to.spell();
                    return inner.replacen("(*)", "(**)", 1);
                }
                let inner = to.spell();
                let c = if *is_const { "const " } else { "" };
                if inner.ends_with('*') {
                    format!("{inner}{c}*")
                } else {
                    format!("{c}{inner} *")
                }
            }
            CTy::Array { elem, len } => format!("{}[{len}]", elem.spell()),
            CTy::FnPtr {
                ret,
                params,
                variadic,
            } => {
                let mut ps: Vec<String> = params.iter().map(|(_, t)| t.spell()).collect();
                if *variadic {
                    ps.push("...".to_string());
                }
                if ps.is_empty() {
                    ps.push("void".to_string());
                }
                let r = ret.spell();
                let sep = if r.ends_with('*') { "" } else { " " };
                format!("{r}{sep}(*)({})", ps.join(", "))
            }
            CTy::Unknown(r) => r.clone(),
        }
    }
}

/// The C spelling of a record or enum by bindgen's name under `c_naming`:
/// `struct_foo` is `struct foo`; any other name is a typedef.
pub fn record_spelling(key: &str) -> String {
    for kw in ["struct", "union", "enum"] {
        if let Some(tag) = key.strip_prefix(kw).and_then(|r| r.strip_prefix('_')) {
            return format!("{kw} {tag}");
        }
    }
    key.to_string()
}

fn scalar_of(name: &str) -> Option<Scalar> {
    Some(match name {
        "c_char" => Scalar::Char,
        "c_schar" => Scalar::SChar,
        "c_uchar" => Scalar::UChar,
        "c_short" => Scalar::Short,
        "c_ushort" => Scalar::UShort,
        "c_int" => Scalar::Int,
        "c_uint" => Scalar::UInt,
        "c_long" => Scalar::Long,
        "c_ulong" => Scalar::ULong,
        "c_longlong" => Scalar::LongLong,
        "c_ulonglong" => Scalar::ULongLong,
        "c_float" | "f32" => Scalar::Float,
        "c_double" | "f64" => Scalar::Double,
        "i8" => Scalar::I8,
        "i16" => Scalar::I16,
        "i32" => Scalar::I32,
        "i64" => Scalar::I64,
        "u8" => Scalar::U8,
        "u16" => Scalar::U16,
        "u32" => Scalar::U32,
        "u64" => Scalar::U64,
        "usize" => Scalar::SizeT,
        "isize" => Scalar::SSizeT,
        "bool" => Scalar::Bool,
        _ => return None,
    })
}

/// An integer literal as bindgen writes it (`16usize`, `-1`).
pub fn int_lit(expr: &syn::Expr) -> Option<i128> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<i128>().ok(),
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => int_lit(&u.expr).map(|v| -v),
        syn::Expr::Paren(p) => int_lit(&p.expr),
        syn::Expr::Group(g) => int_lit(&g.expr),
        syn::Expr::Cast(c) => int_lit(&c.expr),
        _ => None,
    }
}

impl Types {
    /// Resolves a bindgen type.
    pub fn resolve(&self, ty: &syn::Type) -> CTy {
        self.resolve_depth(ty, 0)
    }

    fn resolve_depth(&self, ty: &syn::Type, depth: usize) -> CTy {
        if depth > 64 {
            return CTy::Unknown("a typedef cycle".to_string());
        }
        match ty {
            syn::Type::Tuple(t) if t.elems.is_empty() => CTy::Void,
            syn::Type::Paren(p) => self.resolve_depth(&p.elem, depth),
            syn::Type::Group(g) => self.resolve_depth(&g.elem, depth),
            syn::Type::Ptr(p) => CTy::Ptr {
                is_const: p.const_token.is_some(),
                to: Box::new(self.resolve_depth(&p.elem, depth + 1)),
            },
            syn::Type::Array(a) => match int_lit(&a.len).and_then(|l| u64::try_from(l).ok()) {
                Some(len) => CTy::Array {
                    elem: Box::new(self.resolve_depth(&a.elem, depth + 1)),
                    len,
                },
                None => CTy::Unknown("an array of computed length".to_string()),
            },
            syn::Type::BareFn(f) => self.bare_fn(f, depth),
            syn::Type::Path(p) => {
                let Some(seg) = p.path.segments.last() else {
                    return CTy::Unknown("an empty path".to_string());
                };
                let name = seg.ident.to_string();
                if name == "Option" {
                    if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                        if let Some(syn::GenericArgument::Type(syn::Type::BareFn(f))) =
                            a.args.first()
                        {
                            return self.bare_fn(f, depth);
                        }
                    }
                    return CTy::Unknown("an optional non-function".to_string());
                }
                if name == "c_void" {
                    return CTy::Void;
                }
                if let Some(s) = scalar_of(&name) {
                    return CTy::Scalar(s);
                }
                match self.decls.get(&name) {
                    Some(Decl::Alias(t)) => CTy::Alias {
                        name: name.clone(),
                        to: Box::new(self.resolve_depth(t, depth + 1)),
                    },
                    Some(Decl::Record) => CTy::Record(name),
                    Some(Decl::Enum) => CTy::Enum(name),
                    None => match name.as_str() {
                        "u128" | "i128" => CTy::Unknown("a 128-bit integer".to_string()),
                        "__BindgenFloat16" => CTy::Unknown("a half-precision float".to_string()),
                        "__BindgenComplex" => CTy::Unknown("a complex number".to_string()),
                        _ => CTy::Unknown(format!("the undeclared type `{name}`")),
                    },
                }
            }
            _ => CTy::Unknown("a type bindgen could not translate".to_string()),
        }
    }

    fn bare_fn(&self, f: &syn::TypeBareFn, depth: usize) -> CTy {
        let params = f
            .inputs
            .iter()
            .map(|a| {
                (
                    a.name.as_ref().map(|(n, _)| n.to_string()),
                    self.resolve_depth(&a.ty, depth + 1),
                )
            })
            .collect();
        let ret = match &f.output {
            syn::ReturnType::Default => CTy::Void,
            syn::ReturnType::Type(_, t) => self.resolve_depth(t, depth + 1),
        };
        CTy::FnPtr {
            ret: Box::new(ret),
            params,
            variadic: f.variadic.is_some(),
        }
    }
}

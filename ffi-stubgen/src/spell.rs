//! C spellings of the types a description implies.

use ffi_desc::ir::*;

/// The C spelling of a value type held by value (`int`, `sv_point`).
/// Arrays are spelled with their dimensions after the element (`char[16]`).
pub fn value(desc: &Description, ty: &ValueType) -> String {
    match ty {
        ValueType::Scalar(s) => s.c_name().to_string(),
        ValueType::Named(n) => match desc.type_def(n) {
            Some(t) => t.c_name.clone(),
            None => n.clone(),
        },
        ValueType::Array { .. } => {
            let (base, dims) = array_parts(desc, ty);
            format!("{base}{dims}")
        }
    }
}

/// The C spelling of a pointer to a value of type `ty` (`double *`,
/// `char (*)[16]`).
pub fn pointer_to(desc: &Description, ty: &ValueType) -> String {
    match ty {
        ValueType::Array { .. } => {
            let (base, dims) = array_parts(desc, ty);
            format!("{base} (*){dims}")
        }
        other => pointer(&value(desc, other), false),
    }
}

fn array_parts(desc: &Description, ty: &ValueType) -> (String, String) {
    let mut dims = String::new();
    let mut cur = ty;
    while let ValueType::Array { elem, len } = cur {
        dims.push_str(&format!("[{len}]"));
        cur = elem;
    }
    (value(desc, cur), dims)
}

/// `T *` or `const T *`.
fn pointer(pointee: &str, is_const: bool) -> String {
    if is_const {
        format!("const {pointee} *")
    } else {
        format!("{pointee} *")
    }
}

/// The C spelling of a parameter of `f`.
pub fn param(desc: &Description, f: &Function, p: &Param) -> String {
    if let Some(c) = &p.c_type {
        return c.clone();
    }
    match &p.kind {
        ParamKind::Value(v) => value(desc, v),
        ParamKind::Pointer {
            dir,
            elem,
            extent: Extent::NulTerminated,
            ..
        } => {
            // A string the caller owns is handed back to its free function as `char *`.
            let owned = *dir != Direction::In || desc.frees_returned_strings(f);
            pointer(&value(desc, elem), !owned)
        }
        ParamKind::Pointer { dir, elem, .. } => pointer(&value(desc, elem), *dir == Direction::In),
        ParamKind::Length { ty, by_pointer } => {
            if *by_pointer {
                pointer(ty.c_name(), false)
            } else {
                ty.c_name().to_string()
            }
        }
        ParamKind::Handle { ty, .. } => handle(desc, ty),
        ParamKind::Callback { ty, .. } => match desc.callback(ty) {
            Some(cb) => match &cb.c_name {
                Some(c) => c.clone(),
                None => callback_type(desc, cb),
            },
            None => ty.clone(),
        },
        ParamKind::Strings { .. } => "const char *const *".to_string(),
        ParamKind::UserData => "void *".to_string(),
        ParamKind::OutResult(r) => pointer_to_pointer(&ret_meaning(desc, r)),
        ParamKind::Tail { .. } => "const char **".to_string(),
        ParamKind::Sentinel { .. } => "void *".to_string(),
        ParamKind::Init { ty, .. } => handle(desc, ty),
        ParamKind::OutStruct { ty } => pointer(&value(desc, &ValueType::Named(ty.clone())), false),
        ParamKind::Unresolved { c_type } => c_type.clone(),
    }
}

/// `T **` from `T *`.
fn pointer_to_pointer(pointer: &str) -> String {
    if pointer.ends_with('*') {
        format!("{pointer}*")
    } else {
        format!("{pointer} *")
    }
}

/// The C pointer type of an opaque handle type.
pub fn handle(desc: &Description, ty: &str) -> String {
    match desc.type_def(ty).map(|t| &t.kind) {
        Some(TypeKind::Opaque { pointer_c_type, .. }) => pointer_c_type.clone(),
        _ => format!("{ty} *"),
    }
}

/// The C spelling of a function's result.
pub fn ret(desc: &Description, f: &Function) -> String {
    match &f.ret_c_type {
        Some(c) => c.clone(),
        None => implied_ret(desc, f),
    }
}

/// The C spelling of a function's result as its meaning implies it,
/// whatever `#[c_type]` says.
pub fn implied_ret(desc: &Description, f: &Function) -> String {
    ret_meaning(desc, &f.ret)
}

/// The C spelling a result meaning implies (also what an `Out<R>`
/// parameter points at).
fn ret_meaning(desc: &Description, r: &Return) -> String {
    match r {
        Return::Void => "void".to_string(),
        Return::Value(v) => value(desc, v),
        Return::Handle { ty, .. } => handle(desc, ty),
        Return::CStr(Ownership::Borrowed) => "const char *".to_string(),
        Return::CStr(Ownership::Owned { .. }) => "char *".to_string(),
        Return::Bytes { .. } => "const void *".to_string(),
        Return::Option(inner) => ret_meaning(desc, inner),
        Return::CopyOut { ty } => pointer(&value(desc, &ValueType::Named(ty.clone())), true),
        Return::UserData => "void *".to_string(),
        Return::Unresolved { c_type } => c_type.clone(),
    }
}

/// The parameter list of `f` as C spells it in a type (`int, long`, `void`,
/// `int, ...`); variadic instantiations give their fixed part only.
pub fn param_list(desc: &Description, f: &Function) -> String {
    let fixed = f
        .variadic_fixed
        .unwrap_or(f.params.len())
        .min(f.params.len());
    let mut parts: Vec<String> = f.params[..fixed]
        .iter()
        .map(|p| param(desc, f, p))
        .collect();
    if f.variadic_fixed.is_some() {
        parts.push("...".to_string());
    }
    if parts.is_empty() {
        "void".to_string()
    } else {
        parts.join(", ")
    }
}

/// The C type of a pointer to `f`, as the description implies it
/// (`int (*)(int, int)`).
pub fn function_pointer(desc: &Description, f: &Function) -> String {
    declare(&ret(desc, f), &format!("(*)({})", param_list(desc, f)))
}

/// A spelled-out function-pointer type for a callback (`int (*)(int, void *)`).
pub fn callback_type(desc: &Description, cb: &CallbackDef) -> String {
    let ret = match &cb.ret {
        None => "void".to_string(),
        Some(v) => value(desc, v),
    };
    let params: Vec<String> = cb.params.iter().map(|p| callback_param(desc, p)).collect();
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    format!("{ret} (*)({params})")
}

/// The C spelling of a callback parameter: its `#[c_type]`, or the one its
/// meaning implies.
fn callback_param(desc: &Description, p: &CallbackParam) -> String {
    match p {
        CallbackParam::Value { ty, .. } => value(desc, ty),
        CallbackParam::Length { ty, .. } => ty.c_name().to_string(),
        CallbackParam::CStr { c_type, .. } => c_type.clone().unwrap_or("const char *".into()),
        CallbackParam::Strings { c_type, .. } => c_type.clone().unwrap_or("const char **".into()),
        CallbackParam::Buffer { elem, c_type, .. } => c_type
            .clone()
            .unwrap_or_else(|| pointer(&value(desc, elem), true)),
        CallbackParam::Handle { ty, .. } => handle(desc, ty),
        CallbackParam::Handles { ty, .. } => pointer_to_pointer(&handle(desc, ty)),
        CallbackParam::UserData { .. } => "void *".to_string(),
    }
}

/// Declares `name` with type `ty`: `int a`, `const char *s`,
/// `int (*f)(int, void *)`, `char a[16]`.
pub fn declare(ty: &str, name: &str) -> String {
    if let Some(i) = ty.find("(*") {
        // A function pointer or pointer to array: the name goes after the `*`.
        let (head, tail) = ty.split_at(i + 2);
        let sep = if tail.starts_with(')') || name.is_empty() {
            ""
        } else {
            " "
        };
        return format!("{head}{name}{sep}{tail}");
    }
    if let Some(i) = ty.find('[') {
        let (head, dims) = ty.split_at(i);
        return format!("{} {name}{dims}", head.trim_end());
    }
    if ty.ends_with('*') {
        format!("{ty}{name}")
    } else {
        format!("{ty} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::declare;

    #[test]
    fn declarations() {
        assert_eq!(declare("int", "a"), "int a");
        assert_eq!(declare("const char *", "s"), "const char *s");
        assert_eq!(
            declare("int (*)(int, void *)", "f"),
            "int (*f)(int, void *)"
        );
        assert_eq!(declare("char[16]", "n"), "char n[16]");
        assert_eq!(declare("int", "(*)(int)"), "int (*)(int)");
        assert_eq!(
            declare("const char *", "(*)(void)"),
            "const char *(*)(void)"
        );
    }
}

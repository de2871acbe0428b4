//! The C check unit of a description: one translation unit that includes the
//! real headers and makes the C compiler check every item of the description.

use crate::spell;
use ffi_desc::ir::*;

/// The description item a line of the check unit checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A header the unit includes.
    Header {
        /// As the description names it.
        header: String,
    },
    /// A function.
    Function {
        /// Rust name.
        name: String,
        /// C symbol.
        c_name: String,
    },
    /// A struct, union or enum as a whole.
    Type {
        /// `struct`, `union` or `enum`.
        kind: &'static str,
        /// Rust name.
        name: String,
        /// C spelling.
        c_name: String,
    },
    /// A field of a struct or union.
    Field {
        /// `struct` or `union`.
        kind: &'static str,
        /// Rust name of the type.
        ty: String,
        /// C spelling of the type.
        ty_c_name: String,
        /// Rust name of the field.
        name: String,
        /// C name of the field.
        c_name: String,
    },
    /// A variant of an enum.
    Variant {
        /// Rust name of the enum.
        ty: String,
        /// C spelling of the enum.
        ty_c_name: String,
        /// Rust name of the variant.
        name: String,
        /// C enumerator.
        c_name: String,
    },
    /// An opaque handle type.
    Opaque {
        /// Rust name.
        name: String,
        /// C pointer type.
        pointer_c_type: String,
    },
    /// A callback type.
    Callback {
        /// Rust name.
        name: String,
        /// C typedef.
        c_name: String,
    },
    /// A constant.
    Constant {
        /// Rust name.
        name: String,
        /// The C expression (macro or enumerator).
        c_name: String,
    },
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Header { header } => write!(f, "header `{header}`"),
            Item::Function { name, c_name } => write!(f, "function `{name}` (C `{c_name}`)"),
            Item::Type { kind, name, c_name } => write!(f, "{kind} `{name}` (C `{c_name}`)"),
            Item::Field {
                kind,
                ty,
                ty_c_name,
                name,
                c_name,
            } => write!(
                f,
                "field `{name}` of {kind} `{ty}` (C `{ty_c_name}.{c_name}`)"
            ),
            Item::Variant {
                ty, name, c_name, ..
            } => write!(f, "variant `{name}` of enum `{ty}` (C `{c_name}`)"),
            Item::Opaque {
                name,
                pointer_c_type,
            } => write!(f, "opaque type `{name}` (C `{pointer_c_type}`)"),
            Item::Callback { name, c_name } => write!(f, "callback type `{name}` (C `{c_name}`)"),
            Item::Constant { name, c_name } => write!(f, "constant `{name}` (C `{c_name}`)"),
        }
    }
}

/// What one line checks about its item, with the value the description implies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// That the header can be included.
    Include,
    /// `sizeof`.
    Size(u64),
    /// `_Alignof`.
    Align(u64),
    /// `offsetof`.
    Offset(u64),
    /// The C type of a field (spelled as a pointer to it for `_Generic`).
    FieldType(String),
    /// An enumerator's value.
    Value(i64),
    /// A constant's value, as the description states it (an integer in
    /// decimal, or a quoted string).
    Constant(String),
    /// A function's type (a pointer to it).
    Signature(String),
    /// A callback typedef's type.
    CallbackType(String),
    /// That an opaque type's pointer spelling names a pointer type.
    PointerType(String),
    /// The errno-capture wrapper of a function.
    ErrnoWrapper,
    /// The wrapper of a function-like macro or `static inline` function
    /// (`#[wrap]`), of the described type (a pointer to it).
    Wrapper(String),
    /// That a result spelled with `#[c_type]` agrees with its meaning: the
    /// meaning's own C type for a value, a pointer for a string or handle.
    ResultSpelling {
        /// The spelling `#[c_type]` gives.
        spelled: String,
        /// The C type the meaning implies.
        implied: String,
    },
}

/// Where a line of the check unit comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The item.
    pub item: Item,
    /// What is checked.
    pub check: Check,
    /// A C expression whose value or type, on a mismatch, tells what the
    /// header says (`sizeof(sv_record)`, `&((sv_record *)0)->weight`).
    pub probe: Option<Probe>,
}

/// A C expression that reveals the header's side of a failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// An integer constant expression (non-negative).
    Number(String),
    /// An integer constant expression that may be negative.
    Signed(String),
    /// An expression whose type is a pointer to the checked type.
    PointerType(String),
}

/// A generated check unit: its text and, per line, what the line checks.
#[derive(Clone, Debug, Default)]
pub struct CheckUnit {
    lines: Vec<(String, Option<Origin>)>,
}

impl CheckUnit {
    /// The C source text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (l, _) in &self.lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    }

    /// What the 1-based line `line` checks, if it checks anything.
    pub fn origin(&self, line: usize) -> Option<&Origin> {
        self.lines
            .get(line.checked_sub(1)?)
            .and_then(|(_, o)| o.as_ref())
    }

    /// Every line with its origin, 1-based.
    pub fn origins(&self) -> impl Iterator<Item = (usize, &Origin)> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, (_, o))| o.as_ref().map(|o| (i + 1, o)))
    }

    fn line(&mut self, text: impl Into<String>) {
        self.lines.push((text.into(), None));
    }

    fn checked(
        &mut self,
        text: impl Into<String>,
        item: &Item,
        check: Check,
        probe: Option<Probe>,
    ) {
        self.lines.push((
            text.into(),
            Some(Origin {
                item: item.clone(),
                check,
                probe,
            }),
        ));
    }
}

/// The C translation unit that checks `desc` against its headers.
pub fn check_unit(desc: &Description) -> String {
    generate(desc).text()
}

/// The name of the function pointer that checks `f` in the check unit.
pub fn check_symbol(f: &Function) -> String {
    match f.variadic_fixed {
        Some(_) => format!("ffi_check_{}__{}", f.c_name, f.name),
        None => format!("ffi_check_{}", f.c_name),
    }
}

/// The name of the errno-capture wrapper of an `#[errno]` function:
/// `ffi_errno_<c_name>(args..., int *err)` (variadic instantiations add
/// `__<rust name>`).
pub fn errno_wrapper_symbol(f: &Function) -> String {
    match f.variadic_fixed {
        Some(_) => format!("ffi_errno_{}__{}", f.c_name, f.name),
        None => format!("ffi_errno_{}", f.c_name),
    }
}

/// The name of the wrapper the check unit defines for a `#[wrap]` function,
/// which the Linked and Loaded linkages call: `ffi_wrap_<c_name>`.
pub fn wrapper_symbol(f: &Function) -> String {
    f.symbol()
}

/// A C string literal (for `_Static_assert` messages).
fn c_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Generates the check unit of `desc`, keeping for every line what it checks.
pub fn generate(desc: &Description) -> CheckUnit {
    let mut u = CheckUnit::default();
    u.line(format!(
        "/* Check unit of the description `{}::{}` (library `{}`), generated by ffi-stubgen.",
        desc.module, desc.trait_name, desc.library
    ));
    u.line(" * Compiled with warnings as errors, it fails when the description and the");
    u.line(" * headers disagree. Do not edit: regenerate from the description. */");
    for h in ["stddef.h", "stdbool.h", "stdint.h", "sys/types.h"] {
        u.line(format!("#include <{h}>"));
    }
    if desc.functions.iter().any(|f| f.errno) {
        u.line("#include <errno.h>");
    }
    for h in &desc.headers {
        let item = Item::Header { header: h.clone() };
        u.checked(format!("#include \"{h}\""), &item, Check::Include, None);
    }

    for t in &desc.types {
        u.line("");
        match &t.kind {
            TypeKind::Struct { fields, layout } => {
                record(&mut u, desc, t, "struct", fields, *layout)
            }
            TypeKind::Union { fields, layout } => record(&mut u, desc, t, "union", fields, *layout),
            TypeKind::Enum { repr, variants } => {
                let item = Item::Type {
                    kind: "enum",
                    name: t.name.clone(),
                    c_name: t.c_name.clone(),
                };
                let what = format!("enum {} ({})", t.name, t.c_name);
                u.line(format!("/* {what} */"));
                size_align(&mut u, &item, &what, &t.c_name, repr.size(), repr.size());
                for v in variants {
                    let vitem = Item::Variant {
                        ty: t.name.clone(),
                        ty_c_name: t.c_name.clone(),
                        name: v.name.clone(),
                        c_name: v.c_name.clone(),
                    };
                    let msg = format!("{what}: variant {} ({}) = {}", v.name, v.c_name, v.value);
                    let value = if v.value < 0 {
                        format!("({})", v.value)
                    } else {
                        v.value.to_string()
                    };
                    u.checked(
                        format!("_Static_assert({} == {value}, {});", v.c_name, c_str(&msg)),
                        &vitem,
                        Check::Value(v.value),
                        Some(Probe::Signed(v.c_name.clone())),
                    );
                }
            }
            TypeKind::CopyOut { layout, fields, .. } => copied(&mut u, desc, t, *layout, fields),
            TypeKind::Opaque {
                pointer_c_type,
                storage,
                ..
            } => opaque(&mut u, t, pointer_c_type, *storage),
        }
    }

    for cb in &desc.callbacks {
        let Some(c_name) = &cb.c_name else { continue };
        let spelled = spell::callback_type(desc, cb);
        let item = Item::Callback {
            name: cb.name.clone(),
            c_name: c_name.clone(),
        };
        let msg = format!("callback {} ({c_name}): described {spelled}", cb.name);
        u.line("");
        u.line(format!("/* callback {} ({c_name}) */", cb.name));
        u.checked(
            format!(
                "_Static_assert(_Generic(({c_name})0, {spelled}: 1, default: 0), {});",
                c_str(&msg)
            ),
            &item,
            Check::CallbackType(spelled.clone()),
            None,
        );
    }

    if !desc.functions.is_empty() {
        u.line("");
        u.line("/* functions: a pointer of the described type, initialised with each */");
    }
    for f in desc.functions.iter().filter(|f| !f.view) {
        if f.wrapper {
            wrapper(&mut u, desc, f);
            continue;
        }
        let item = Item::Function {
            name: f.name.clone(),
            c_name: f.c_name.clone(),
        };
        let ty = spell::function_pointer(desc, f);
        let decl = spell::declare(
            &spell::ret(desc, f),
            &format!(
                "(*const {})({})",
                check_symbol(f),
                spell::param_list(desc, f)
            ),
        );
        u.checked(
            format!("{decl} = {};", f.c_name),
            &item,
            Check::Signature(ty),
            None,
        );
        if let Some(spelled) = &f.ret_c_type {
            result_spelling(&mut u, desc, f, spelled, &item);
        }
        sentinels(&mut u, f, &item);
    }

    for f in desc.functions.iter().filter(|f| f.errno) {
        errno_wrapper(&mut u, desc, f);
    }
    constants(&mut u, desc);
    u
}

/// An opaque type: its pointer spelling names a pointer type; state the
/// caller allocates has the size and alignment the linkage allocates.
fn opaque(u: &mut CheckUnit, t: &TypeDef, pointer_c_type: &str, storage: Option<Layout>) {
    if let Some(l) = storage {
        let item = Item::Type {
            kind: "state",
            name: t.name.clone(),
            c_name: t.c_name.clone(),
        };
        let what = format!("state {} ({})", t.name, t.c_name);
        u.line(format!("/* {what}: storage the linkage allocates */"));
        size_align(u, &item, &what, &t.c_name, l.size, l.align);
    }
    let item = Item::Opaque {
        name: t.name.clone(),
        pointer_c_type: pointer_c_type.to_string(),
    };
    let msg = format!("opaque {}: {pointer_c_type} is a pointer type", t.name);
    u.line(format!("/* opaque {} ({pointer_c_type}) */", t.name));
    u.checked(
        format!(
            "_Static_assert(sizeof({pointer_c_type}) == sizeof(void *), {});",
            c_str(&msg)
        ),
        &item,
        Check::PointerType(pointer_c_type.to_string()),
        None,
    );
}

/// Each described constant equals the C expression of its name: integers
/// with their sign checked apart (C would compare -1 equal to an unsigned
/// 2^64 - 1), strings by size and content.
fn constants(u: &mut CheckUnit, desc: &Description) {
    if desc.constants.is_empty() {
        return;
    }
    u.line("");
    u.line("/* constants */");
    for k in &desc.constants {
        let item = Item::Constant {
            name: k.name.clone(),
            c_name: k.c_name.clone(),
        };
        let c = &k.c_name;
        let (test, described, probe) = match &k.value {
            ConstValue::Int(v) => {
                // Spelled so that no warning of -Wextra fires whatever the
                // expression's type: no mixed signedness, no comparison a
                // type's range decides.
                let non_negative = format!("(({c}) > 0 || ({c}) == 0)");
                let test = match v.strip_prefix('-') {
                    Some(abs) => {
                        // -(N - 1) - 1 spells the most negative value too.
                        let below = abs.parse::<u128>().map_or(0, |n| n.saturating_sub(1));
                        format!("!{non_negative} && (long long)({c}) == -{below}LL - 1")
                    }
                    None => format!("{non_negative} && (unsigned long long)({c}) == {v}ULL"),
                };
                (test, v.clone(), Some(Probe::Signed(c.clone())))
            }
            ConstValue::Str(v) => {
                let lit = c_string_literal(v);
                (
                    format!("sizeof({c}) == sizeof({lit}) && __builtin_strcmp({c}, {lit}) == 0"),
                    lit,
                    None,
                )
            }
        };
        let msg = format!("constant {} ({c}) = {described}", k.name);
        u.checked(
            format!("_Static_assert({test}, {});", c_str(&msg)),
            &item,
            Check::Constant(described),
            probe,
        );
    }
}

/// `s` as a C string literal: printable ASCII as itself, the rest in octal.
fn c_string_literal(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

fn size_align(u: &mut CheckUnit, item: &Item, what: &str, c_name: &str, size: u64, align: u64) {
    u.checked(
        format!(
            "_Static_assert(sizeof({c_name}) == {size}, {});",
            c_str(&format!("{what}: size {size}"))
        ),
        item,
        Check::Size(size),
        Some(Probe::Number(format!("sizeof({c_name})"))),
    );
    u.checked(
        format!(
            "_Static_assert(_Alignof({c_name}) == {align}, {});",
            c_str(&format!("{what}: align {align}"))
        ),
        item,
        Check::Align(align),
        Some(Probe::Number(format!("_Alignof({c_name})"))),
    );
}

fn record(
    u: &mut CheckUnit,
    desc: &Description,
    t: &TypeDef,
    kind: &'static str,
    fields: &[Field],
    layout: Layout,
) {
    let item = Item::Type {
        kind,
        name: t.name.clone(),
        c_name: t.c_name.clone(),
    };
    let what = format!("{kind} {} ({})", t.name, t.c_name);
    u.line(format!("/* {what} */"));
    size_align(u, &item, &what, &t.c_name, layout.size, layout.align);
    for fld in fields {
        let fitem = Item::Field {
            kind,
            ty: t.name.clone(),
            ty_c_name: t.c_name.clone(),
            name: fld.name.clone(),
            c_name: fld.c_name.clone(),
        };
        u.checked(
            format!(
                "_Static_assert(offsetof({}, {}) == {}, {});",
                t.c_name,
                fld.c_name,
                fld.offset,
                c_str(&format!("{what}: field {} offset {}", fld.name, fld.offset))
            ),
            &fitem,
            Check::Offset(fld.offset),
            Some(Probe::Number(format!(
                "offsetof({}, {})",
                t.c_name, fld.c_name
            ))),
        );
        let ptr = spell::pointer_to(desc, &fld.ty);
        let access = format!("&(({} *)0)->{}", t.c_name, fld.c_name);
        u.checked(
            format!(
                "_Static_assert(_Generic({access}, {ptr}: 1, default: 0), {});",
                c_str(&format!(
                    "{what}: field {} has type {}",
                    fld.name,
                    spell::value(desc, &fld.ty)
                ))
            ),
            &fitem,
            Check::FieldType(spell::value(desc, &fld.ty)),
            Some(Probe::PointerType(access)),
        );
    }
}

/// A `#[copy_out]` struct: its size and alignment, and each field's every
/// C member at the described offset, of the described type: a pointer to
/// bytes for text and byte fields.
fn copied(
    u: &mut CheckUnit,
    desc: &Description,
    t: &TypeDef,
    layout: Layout,
    fields: &[CopyField],
) {
    let item = Item::Type {
        kind: "copy_out struct",
        name: t.name.clone(),
        c_name: t.c_name.clone(),
    };
    let what = format!("copy_out struct {} ({})", t.name, t.c_name);
    u.line(format!("/* {what} */"));
    size_align(u, &item, &what, &t.c_name, layout.size, layout.align);
    for fld in fields {
        for path in &fld.c_paths {
            let fitem = Item::Field {
                kind: "copy_out struct",
                ty: t.name.clone(),
                ty_c_name: t.c_name.clone(),
                name: fld.name.clone(),
                c_name: path.clone(),
            };
            u.checked(
                format!(
                    "_Static_assert(offsetof({}, {path}) == {}, {});",
                    t.c_name,
                    fld.offset,
                    c_str(&format!(
                        "{what}: field {} ({path}) offset {}",
                        fld.name, fld.offset
                    ))
                ),
                &fitem,
                Check::Offset(fld.offset),
                Some(Probe::Number(format!("offsetof({}, {path})", t.c_name))),
            );
            let (test, described) = match &fld.kind {
                CopyKind::Str { .. } | CopyKind::Bytes { .. } => (
                    format!(
                        "_Generic((({} *)0)->{path}, char *: 1, const char *: 1, unsigned char *: 1, \
                         const unsigned char *: 1, signed char *: 1, const signed char *: 1, \
                         void *: 1, const void *: 1, default: 0)",
                        t.c_name
                    ),
                    "a pointer to bytes".to_string(),
                ),
                other => {
                    let v = match other {
                        CopyKind::Value(v) => v.clone(),
                        CopyKind::Tag(e) => ValueType::Named(e.clone()),
                        CopyKind::Length(s) => ValueType::Scalar(*s),
                        _ => unreachable!(),
                    };
                    let ptr = spell::pointer_to(desc, &v);
                    (
                        format!("_Generic(&(({} *)0)->{path}, {ptr}: 1, default: 0)", t.c_name),
                        spell::value(desc, &v),
                    )
                }
            };
            u.checked(
                format!(
                    "_Static_assert({test}, {});",
                    c_str(&format!(
                        "{what}: field {} ({path}) is {described}",
                        fld.name
                    ))
                ),
                &fitem,
                Check::FieldType(described),
                Some(Probe::PointerType(format!("&(({} *)0)->{path}", t.c_name))),
            );
        }
    }
}

/// A result spelled with `#[c_type]` is checked against the header by the
/// function's signature; this checks it against the description's meaning,
/// which decides how Rust calls it: a value must be of the meaning's own C
/// type (a typedef of it passes), a string or handle must be a pointer.
fn result_spelling(
    u: &mut CheckUnit,
    desc: &Description,
    f: &Function,
    spelled: &str,
    item: &Item,
) {
    let implied = spell::implied_ret(desc, f);
    let test = match &f.ret {
        Return::Value(_) => format!("_Generic(({spelled}){{0}}, {implied}: 1, default: 0)"),
        _ => format!(
            "sizeof({spelled}) == sizeof(void *) && _Generic(({spelled}){{0}}, _Bool: 0, char: 0, \
             signed char: 0, unsigned char: 0, short: 0, unsigned short: 0, int: 0, unsigned: 0, \
             long: 0, unsigned long: 0, long long: 0, unsigned long long: 0, float: 0, double: 0, \
             long double: 0, default: 1)"
        ),
    };
    let msg = c_str(&format!(
        "function {}: its result is spelled {spelled}, its meaning is {implied}",
        f.name
    ));
    u.checked(
        format!("_Static_assert({test}, {msg});"),
        item,
        Check::ResultSpelling {
            spelled: spelled.to_string(),
            implied,
        },
        None,
    );
}

/// A `Sentinel<V>` parameter with `#[c_value = "C"]`: the linkage passes
/// `V` as a pointer, so `C` must be that pointer (`(intptr_t)(C) == V`) and,
/// when the parameter spells its C type, of that type.
fn sentinels(u: &mut CheckUnit, f: &Function, item: &Item) {
    for p in &f.params {
        let ParamKind::Sentinel {
            value,
            c_value: Some(c),
        } = &p.kind
        else {
            continue;
        };
        let msg = c_str(&format!(
            "function {}: parameter {} is always {c}, described as {value}",
            f.name, p.name
        ));
        let v = if *value < 0 {
            format!("({value})")
        } else {
            value.to_string()
        };
        u.checked(
            format!("_Static_assert((intptr_t)({c}) == {v}, {msg});"),
            item,
            Check::Constant(value.to_string()),
            Some(Probe::Signed(format!("(intptr_t)({c})"))),
        );
        if let Some(t) = &p.c_type {
            let msg = c_str(&format!(
                "function {}: parameter {} is always {c}, of type {t}",
                f.name, p.name
            ));
            u.checked(
                format!("_Static_assert(_Generic(({c}), {t}: 1, default: 0), {msg});"),
                item,
                Check::FieldType(t.clone()),
                None,
            );
        }
    }
}

/// The wrapper of a `#[wrap]` function: a function-like macro or a `static
/// inline` function has no symbol, so the unit defines one of the described
/// type that calls it. A static inline function (not a macro) is also checked
/// as any function is, by initialising a pointer of the described type with
/// it; for a macro, the call compiling with the described argument types and
/// a `_Generic` on its result are the check.
fn wrapper(u: &mut CheckUnit, desc: &Description, f: &Function) {
    let item = Item::Function {
        name: f.name.clone(),
        c_name: f.c_name.clone(),
    };
    let ty = spell::function_pointer(desc, f);
    let ret = spell::ret(desc, f);
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| spell::declare(&spell::param(desc, f, p), &p.name))
        .collect();
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    let args: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
    let call = format!("{}({})", f.c_name, args.join(", "));
    let check = Check::Wrapper(ty.clone());
    u.line("");
    u.line(format!(
        "/* `{}` wraps `{}`, a function-like macro or a static inline function: the",
        f.name, f.c_name
    ));
    u.line(format!(
        " * Linked and Loaded linkages call {} */",
        f.symbol()
    ));
    u.line(format!("#ifndef {}", f.c_name));
    let decl = spell::declare(
        &ret,
        &format!(
            "(*const {})({})",
            check_symbol(f),
            spell::param_list(desc, f)
        ),
    );
    u.checked(
        format!("{decl} = {};", f.c_name),
        &item,
        Check::Signature(ty),
        None,
    );
    u.line("#endif");
    u.checked(
        spell::declare(&ret, &format!("{}({params})", f.symbol())),
        &item,
        check.clone(),
        None,
    );
    u.line("{");
    if ret == "void" {
        u.checked(format!("    {call};"), &item, check, None);
    } else {
        let msg = format!(
            "{} ({}): the result is described as {ret}",
            f.name, f.c_name
        );
        u.checked(
            format!(
                "    _Static_assert(_Generic(({call}), {ret}: 1, default: 0), {});",
                c_str(&msg)
            ),
            &item,
            check.clone(),
            None,
        );
        u.checked(format!("    return {call};"), &item, check, None);
    }
    u.line("}");
}

fn errno_wrapper(u: &mut CheckUnit, desc: &Description, f: &Function) {
    let item = Item::Function {
        name: f.name.clone(),
        c_name: f.c_name.clone(),
    };
    let mut params: Vec<String> = f
        .params
        .iter()
        .map(|p| spell::declare(&spell::param(desc, f, p), &p.name))
        .collect();
    params.push("int *ffi_err".to_string());
    let args: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
    let ret = spell::ret(desc, f);
    let call = format!("{}({})", f.c_name, args.join(", "));
    u.line("");
    u.line(format!(
        "/* errno capture for `{}`: errno is read right after the call, on the same thread */",
        f.name
    ));
    let sig = spell::declare(
        &ret,
        &format!("{}({})", errno_wrapper_symbol(f), params.join(", ")),
    );
    u.checked(sig, &item, Check::ErrnoWrapper, None);
    u.line("{");
    u.line("    errno = 0;");
    if ret == "void" {
        u.checked(format!("    {call};"), &item, Check::ErrnoWrapper, None);
        u.line("    *ffi_err = errno;");
    } else {
        u.checked(
            format!("    {} = {call};", spell::declare(&ret, "ffi_ret")),
            &item,
            Check::ErrnoWrapper,
            None,
        );
        u.line("    *ffi_err = errno;");
        u.line("    return ffi_ret;");
    }
    u.line("}");
}

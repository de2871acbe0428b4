//! The description IR: one serde-serialisable value per `#[foreign]`
//! description, carrying everything a linkage or a stub generator needs.
//!
//! The IR is versioned by [`IR_VERSION`]; a change that alters the meaning of
//! an existing field bumps it. Layouts are those of the LP64 C ABI (Linux on
//! x86_64 and aarch64); the generated Rust code asserts them against the Rust
//! compiler and the generated C check unit asserts them against the C compiler.
//!
//! This file is shared verbatim with `ffi-macros` (as cxx shares `syntax/`), so
//! it depends on nothing but `serde` and `std`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// Version of the IR format; part of every fingerprint.
pub const IR_VERSION: u32 = 1;

/// A whole description: one C library as seen through one `#[foreign]` module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// [`IR_VERSION`] of the producer.
    pub ir_version: u32,
    /// The Rust module name of the description.
    pub module: String,
    /// The Rust trait name of the description.
    pub trait_name: String,
    /// The library's name (`z` for zlib): the link name and the stem of its soname.
    pub library: String,
    /// Whether the Linked linkage asks the linker for `library` itself (false when
    /// a build script already links the C code).
    pub link: bool,
    /// Sonames the Loaded linkage tries, in order, when opened without a path.
    pub sonames: Vec<String>,
    /// Headers the C check unit includes, in order.
    pub headers: Vec<String>,
    /// Structs, unions, enums and opaque types, in declaration order.
    pub types: Vec<TypeDef>,
    /// Callback (function-pointer) types.
    pub callbacks: Vec<CallbackDef>,
    /// Functions; the index of a function in this list is its wire index.
    pub functions: Vec<Function>,
    /// The module's constants that the check unit asserts against the
    /// headers. Not part of the fingerprint: they never cross the wire, so
    /// a domain built before a constant was described still serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constants: Vec<Constant>,
}

/// A constant of the description (`pub const Z_OK: i32 = 0;`), which the
/// check unit asserts equal to the C expression of the same name (a macro
/// or an enumerator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constant {
    /// The Rust name.
    pub name: String,
    /// The C expression it must equal: `name` unless `#[c_name = "..."]`.
    pub c_name: String,
    /// Its value.
    pub value: ConstValue,
}

/// The value of a described constant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstValue {
    /// An integer (a `bool` is 0 or 1), in decimal: integers of every C
    /// width and sign fit, and JSON keeps them exact.
    Int(String),
    /// A string (`&str` or `&CStr`), without its terminating NUL.
    Str(String),
}

/// A C scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Scalar {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    SizeT,
    SSizeT,
    Float,
    Double,
    Bool,
}

impl Scalar {
    /// Every scalar, in a fixed order.
    pub const ALL: [Scalar; 24] = [
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::I64,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::U64,
        Scalar::Char,
        Scalar::SChar,
        Scalar::UChar,
        Scalar::Short,
        Scalar::UShort,
        Scalar::Int,
        Scalar::UInt,
        Scalar::Long,
        Scalar::ULong,
        Scalar::LongLong,
        Scalar::ULongLong,
        Scalar::SizeT,
        Scalar::SSizeT,
        Scalar::Float,
        Scalar::Double,
        Scalar::Bool,
    ];

    /// The name a description writes for this scalar.
    pub fn rust_name(self) -> &'static str {
        match self {
            Scalar::I8 => "i8",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::U64 => "u64",
            Scalar::Char => "c_char",
            Scalar::SChar => "c_schar",
            Scalar::UChar => "c_uchar",
            Scalar::Short => "c_short",
            Scalar::UShort => "c_ushort",
            Scalar::Int => "c_int",
            Scalar::UInt => "c_uint",
            Scalar::Long => "c_long",
            Scalar::ULong => "c_ulong",
            Scalar::LongLong => "c_longlong",
            Scalar::ULongLong => "c_ulonglong",
            Scalar::SizeT => "size_t",
            Scalar::SSizeT => "ssize_t",
            Scalar::Float => "f32",
            Scalar::Double => "f64",
            Scalar::Bool => "bool",
        }
    }

    /// Parses a scalar name as a description writes it (`c_float` and
    /// `c_double` are accepted for `f32` and `f64`).
    pub fn from_rust_name(name: &str) -> Option<Scalar> {
        match name {
            "c_float" => return Some(Scalar::Float),
            "c_double" => return Some(Scalar::Double),
            "usize" => return Some(Scalar::SizeT),
            "isize" => return Some(Scalar::SSizeT),
            _ => {}
        }
        Scalar::ALL.into_iter().find(|s| s.rust_name() == name)
    }

    /// The C spelling of this scalar.
    pub fn c_name(self) -> &'static str {
        match self {
            Scalar::I8 => "int8_t",
            Scalar::I16 => "int16_t",
            Scalar::I32 => "int32_t",
            Scalar::I64 => "int64_t",
            Scalar::U8 => "uint8_t",
            Scalar::U16 => "uint16_t",
            Scalar::U32 => "uint32_t",
            Scalar::U64 => "uint64_t",
            Scalar::Char => "char",
            Scalar::SChar => "signed char",
            Scalar::UChar => "unsigned char",
            Scalar::Short => "short",
            Scalar::UShort => "unsigned short",
            Scalar::Int => "int",
            Scalar::UInt => "unsigned int",
            Scalar::Long => "long",
            Scalar::ULong => "unsigned long",
            Scalar::LongLong => "long long",
            Scalar::ULongLong => "unsigned long long",
            Scalar::SizeT => "size_t",
            Scalar::SSizeT => "ssize_t",
            Scalar::Float => "float",
            Scalar::Double => "double",
            Scalar::Bool => "bool",
        }
    }

    /// Size in bytes under LP64.
    pub fn size(self) -> u64 {
        match self {
            Scalar::I8
            | Scalar::U8
            | Scalar::Char
            | Scalar::SChar
            | Scalar::UChar
            | Scalar::Bool => 1,
            Scalar::I16 | Scalar::U16 | Scalar::Short | Scalar::UShort => 2,
            Scalar::I32 | Scalar::U32 | Scalar::Int | Scalar::UInt | Scalar::Float => 4,
            Scalar::I64
            | Scalar::U64
            | Scalar::Long
            | Scalar::ULong
            | Scalar::LongLong
            | Scalar::ULongLong
            | Scalar::SizeT
            | Scalar::SSizeT
            | Scalar::Double => 8,
        }
    }

    /// Whether values of this scalar are integers (as opposed to floats or bool).
    pub fn is_integer(self) -> bool {
        !matches!(self, Scalar::Float | Scalar::Double | Scalar::Bool)
    }

    /// Whether C's default argument promotions change this type when it is
    /// passed through `...` (so a variadic instantiation cannot name it).
    pub fn promoted_in_varargs(self) -> bool {
        matches!(
            self,
            Scalar::I8
                | Scalar::I16
                | Scalar::U8
                | Scalar::U16
                | Scalar::Char
                | Scalar::SChar
                | Scalar::UChar
                | Scalar::Short
                | Scalar::UShort
                | Scalar::Bool
                | Scalar::Float
        )
    }
}

/// A type that can be held by value: in a parameter, a field, or behind a pointer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueType {
    /// A scalar.
    Scalar(Scalar),
    /// A struct, union or enum of this description, by Rust name.
    Named(String),
    /// A fixed-size array (only inside structs and unions).
    Array {
        /// Element type.
        elem: Box<ValueType>,
        /// Element count.
        len: u64,
    },
}

/// Size and alignment in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// `sizeof`.
    pub size: u64,
    /// `_Alignof`.
    pub align: u64,
}

/// A named type of the description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// C spelling, usable in a declaration (`sv_point`, `struct sv_point`).
    pub c_name: String,
    /// What the type is.
    pub kind: TypeKind,
}

/// The kinds of named type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeKind {
    /// A struct with its exact layout.
    Struct {
        /// Fields in declaration order.
        fields: Vec<Field>,
        /// Size and alignment.
        layout: Layout,
    },
    /// A union with its exact layout (every field at offset 0).
    Union {
        /// Fields in declaration order.
        fields: Vec<Field>,
        /// Size and alignment.
        layout: Layout,
    },
    /// A C enum: an integer of type `repr` that should hold one of `variants`.
    Enum {
        /// The integer the enum travels as.
        repr: Scalar,
        /// The named values.
        variants: Vec<Variant>,
    },
    /// A type Rust never looks inside; only pointers to it exist.
    Opaque {
        /// C spelling of the *pointer* type (`sv_counter *`, `gzFile`).
        pointer_c_type: String,
        /// The function that frees a handle, by Rust method name; empty for
        /// a `scoped` type, which no one frees.
        free: String,
        /// `#[opaque(c_type = "T", scoped)]`: a handle C only ever lends to
        /// a callback for the callback's duration (SQLite's
        /// `sqlite3_context *`). Rust never owns one: no function returns it,
        /// writes it out or takes it over, and it has no free function. The
        /// Isolated domain lends it an id that dies when the callback
        /// returns. Absent from the JSON when false.
        #[serde(default, skip_serializing_if = "is_false")]
        scoped: bool,
        /// `context = f`: the function (by Rust name, taking the handle and
        /// `UserData`) by which the linkage registers the handle's table of
        /// callbacks as the user data C hands them; not a method. Absent
        /// from the JSON when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// `kept_by_call`: the handle's callbacks are found through the call
        /// running on the thread that passed the handle, never through the
        /// user data C hands them (which may be anything: expat's
        /// `XML_UseParserAsHandlerArg` changes it). A callback fired while
        /// that handle's slot is empty (a child object inheriting its
        /// parent's handlers in C) is refused in every linkage: the call
        /// fails with `CallbackNotRun`, and an Isolated domain lives on.
        /// Exclusive with `context`. Absent from the JSON when false.
        #[serde(default, skip_serializing_if = "is_false")]
        kept_by_call: bool,
        /// `size = n, align = a`: state the caller allocates (libyaml's
        /// `yaml_parser_t`). The linkage allocates it, zeroed and pinned,
        /// hands it to the function with an [`ParamKind::Init`] parameter,
        /// and releases it after the free function ran; the check unit
        /// asserts its size and alignment against the header. Absent from the
        /// JSON when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        storage: Option<Layout>,
    },
    /// `#[copy_out]`: a C struct Rust reads by described offsets and copies
    /// into an owned Rust value (pointer fields become owned strings and
    /// bytes), selecting union fields by a tag; C writes it through an
    /// [`ParamKind::OutStruct`] parameter, and the struct's destructor, if
    /// any, runs after the copy. The Rust type holds only what was copied.
    CopyOut {
        /// Size and alignment of the C struct.
        layout: Layout,
        /// The fields read, in declaration order.
        fields: Vec<CopyField>,
        /// The function (by Rust name) that releases what the struct's
        /// pointer fields own, run on the struct after every copy; not a method.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        free: Option<String>,
    },
}

/// A field of a [`TypeKind::CopyOut`] struct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyField {
    /// Rust name.
    pub name: String,
    /// The C member paths it is read from (`data.scalar.value`), one per
    /// union member that holds it; all at `offset`.
    pub c_paths: Vec<String>,
    /// `offsetof` of every path.
    pub offset: u64,
    /// What is read there.
    pub kind: CopyKind,
    /// The variants of the tag field (by Rust name) for which the field is
    /// read (a union member); empty: always. A field read only for some
    /// variants is an `Option` in Rust.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<String>,
}

/// What a [`CopyField`] holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CopyKind {
    /// A value: scalar, enum or struct of the description, copied.
    Value(ValueType),
    /// The enum that selects the union fields (`yaml_event_t`'s `type`).
    Tag(String),
    /// `Option<String>`: a `char *` copied as UTF-8 text, NUL-terminated
    /// or as long as the [`CopyKind::Length`] field `len`; NULL is `None`.
    Str {
        /// The length field, by Rust name.
        len: Option<String>,
    },
    /// `Option<Vec<u8>>`: a pointer to as many bytes as the length field
    /// `len` says; NULL is `None`.
    Bytes {
        /// The length field, by Rust name.
        len: String,
    },
    /// The length of a `Str` or `Bytes` field: read, not a Rust field.
    Length(Scalar),
}

impl CopyField {
    /// The Rust type is an `Option`: a pointer, or a union member.
    pub fn is_optional(&self) -> bool {
        !self.when.is_empty() || matches!(self.kind, CopyKind::Str { .. } | CopyKind::Bytes { .. })
    }
}

/// A struct or union field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// C name.
    pub c_name: String,
    /// Type.
    pub ty: ValueType,
    /// `offsetof`.
    pub offset: u64,
}

/// A named enum value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// C enumerator name.
    pub c_name: String,
    /// Value.
    pub value: i64,
}

/// A callback (C function-pointer) type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackDef {
    /// Rust name.
    pub name: String,
    /// C spelling of the function-pointer type, when the header names it.
    pub c_name: Option<String>,
    /// Parameters; exactly one is [`CallbackParam::UserData`].
    pub params: Vec<CallbackParam>,
    /// Result; `None` for `void`.
    pub ret: Option<ValueType>,
}

/// A callback parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallbackParam {
    /// A value passed to the Rust closure.
    Value {
        /// Name.
        name: String,
        /// Type.
        ty: ValueType,
    },
    /// A NUL-terminated string borrowed for the duration of the callback.
    CStr {
        /// Name.
        name: String,
        /// `Option<CStr>`: C may pass NULL, which the closure sees as
        /// `None`. Without it a NULL keeps the callback from running. Absent
        /// from the JSON when false, so other descriptions keep their
        /// fingerprints.
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
        /// `#[c_type = ".."]`: the C spelling, where it is not `const char *`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c_type: Option<String>,
    },
    /// An array of strings C hands the callback: counted by the callback's
    /// [`CallbackParam::Length`] parameter `n` (`In<[CStr], len = n>`,
    /// sqlite3_exec's `argv`) or ended by NULL (`In<[CStr], nul_terminated>`,
    /// expat's `atts`).
    Strings {
        /// Name.
        name: String,
        /// [`Extent::Param`] or [`Extent::NulTerminated`].
        extent: Extent,
        /// `In<[Option<CStr>], len = n>`: an element may be NULL (`None`).
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
        /// `#[c_type = ".."]`: the C spelling, where it is not `const char **`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c_type: Option<String>,
    },
    /// `In<[T], len = n>`: `n` elements C hands the callback, a slice for
    /// the closure (expat's character data).
    Buffer {
        /// Name.
        name: String,
        /// Element type.
        elem: ValueType,
        /// The [`CallbackParam::Length`] parameter that counts them.
        len: String,
        /// `#[c_type = ".."]`: the C spelling, where it is not `const T *`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c_type: Option<String>,
    },
    /// `&H`: a handle C lends the callback for its duration (SQLite's
    /// `sqlite3_context *`), of any opaque type, scoped or not; the closure
    /// gets `&H` under a lifetime of the callback alone. NULL keeps the
    /// callback from running.
    Handle {
        /// Name.
        name: String,
        /// Opaque type, by Rust name.
        ty: String,
        /// `#[user_data = f]`: the callback has no `void *` of its own, and
        /// its user data is what the described function `f` (`fn f(h: &H)
        /// -> UserData`, `sqlite3_user_data`) returns for this handle.
        /// Absent from the JSON when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_data: Option<String>,
    },
    /// `In<[&H], len = n>`: `n` handles C lends the callback (SQLite's
    /// `sqlite3_value **argv`), a slice of `&H` for the closure. A NULL
    /// array with elements, or a NULL element, keeps it from running.
    Handles {
        /// Name.
        name: String,
        /// Opaque type, by Rust name.
        ty: String,
        /// The [`CallbackParam::Length`] parameter that counts them.
        len: String,
    },
    /// The count of a `Strings` or `Buffer` parameter: not a parameter of
    /// the closure, which gets slices.
    Length {
        /// Name.
        name: String,
        /// Integer type.
        ty: Scalar,
    },
    /// The `void *` user-data pointer that carries the closure.
    UserData {
        /// Name.
        name: String,
    },
}

impl CallbackParam {
    /// The parameter's name.
    pub fn name(&self) -> &str {
        match self {
            CallbackParam::Value { name, .. }
            | CallbackParam::CStr { name, .. }
            | CallbackParam::Strings { name, .. }
            | CallbackParam::Buffer { name, .. }
            | CallbackParam::Handle { name, .. }
            | CallbackParam::Handles { name, .. }
            | CallbackParam::Length { name, .. }
            | CallbackParam::UserData { name } => name,
        }
    }
}

/// A described C function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Rust method name.
    pub name: String,
    /// C symbol.
    pub c_name: String,
    /// Parameters in C order.
    pub params: Vec<Param>,
    /// Result.
    pub ret: Return,
    /// Whether the function reports failure through `errno`.
    pub errno: bool,
    /// For a fixed instantiation of a variadic function: how many leading
    /// parameters are the fixed ones (the rest travel through `...`).
    pub variadic_fixed: Option<usize>,
    /// `#[wrap]`: `c_name` is a function-like macro or a `static inline`
    /// function, which has no symbol; the check unit defines a wrapper that
    /// calls it, and the Linked and Loaded linkages call that wrapper
    /// ([`Function::symbol`]). Absent from the JSON when false, so the
    /// descriptions that wrap nothing keep their fingerprints.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wrapper: bool,
    /// `#[c_type = "..."]` on the function: the C spelling of its result,
    /// where the meaning implies another (a string returned as `void *`, a
    /// library typedef). Absent from the JSON when not given, so other
    /// descriptions keep their fingerprints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ret_c_type: Option<String>,
    /// `#[clears(slot, ..)]`: the stored-callback slots whose callback C
    /// forgets in this function (`sv_clear_logger`). Absent from the JSON
    /// when empty, so other descriptions keep their fingerprints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clears: Vec<String>,
    /// `#[view]`: no C function; the linkage copies the `#[copy_out]`
    /// struct of the result out of the state its one `&H` parameter points
    /// at (libyaml's `parser.problem`), in the domain for Isolated. Absent
    /// from the JSON when false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub view: bool,
    /// Whether calls of this function may run at the same time as calls of
    /// the description's other thread-safe functions, made from other
    /// threads (`thread_safe` in `#[foreign(..)]`, or `#[thread_safe]` on
    /// the function; `#[not_thread_safe]` opts one out). A function that is
    /// not runs alone: no other call of the library runs meanwhile, except
    /// the calls its own callbacks make. Part of the fingerprint (client and
    /// domain agree on what may run at once); absent from the JSON when
    /// false, so other descriptions keep their fingerprints.
    #[serde(default, skip_serializing_if = "is_false")]
    pub thread_safe: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Function {
    /// The handle parameters this function's new handles keep a pointer to
    /// (`Owned<H, parent = p>`, returned or written out), each once, in the
    /// order they are named.
    pub fn parents(&self) -> Vec<&str> {
        let outs = self.params.iter().filter_map(|p| match &p.kind {
            ParamKind::OutResult(r) => Some(r),
            _ => None,
        });
        let mut out: Vec<&str> = Vec::new();
        for r in core::iter::once(&self.ret).chain(outs) {
            if let Return::Handle {
                parent: Some(p), ..
            } = r.unwrap_option().0
            {
                if !out.contains(&p.as_str()) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// The free functions of the owned strings this function hands out:
    /// its result's and its out parameters' (`Out<Option<Owned<CStr, free
    /// = f>>>`), as the description names them (C names once checked).
    pub fn string_frees(&self) -> impl Iterator<Item = &String> {
        let outs = self.params.iter().filter_map(|p| match &p.kind {
            ParamKind::OutResult(r) => Some(r),
            _ => None,
        });
        core::iter::once(&self.ret)
            .chain(outs)
            .filter_map(Return::string_free)
    }

    /// As [`Function::string_frees`], to rewrite the names.
    pub fn string_frees_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let outs = self.params.iter_mut().filter_map(|p| match &mut p.kind {
            ParamKind::OutResult(r) => Some(r),
            _ => None,
        });
        core::iter::once(&mut self.ret)
            .chain(outs)
            .filter_map(Return::string_free_mut)
    }

    /// The symbol the Linked and Loaded linkages call: the C name, or for a
    /// wrapped function the wrapper the check unit defines,
    /// `ffi_wrap_<c_name>`.
    pub fn symbol(&self) -> String {
        if self.wrapper {
            alloc::format!("ffi_wrap_{}", self.c_name)
        } else {
            self.c_name.clone()
        }
    }
}

/// A parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Meaning.
    pub kind: ParamKind,
    /// C spelling that overrides the one the meaning implies (for `void *`
    /// buffers and library typedefs).
    pub c_type: Option<String>,
}

/// Which way data flows through a pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// C reads.
    In,
    /// C writes.
    Out,
    /// C reads, then writes.
    InOut,
}

/// How many objects a pointer points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Extent {
    /// Exactly one.
    One,
    /// A fixed count.
    Fixed(u64),
    /// As many as the named length parameter says (for an out buffer: its capacity).
    Param(String),
    /// Up to and including a NUL terminator.
    NulTerminated,
}

/// What a parameter means.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamKind {
    /// A value: scalar, struct, union or enum.
    Value(ValueType),
    /// A pointer to data.
    Pointer {
        /// Direction.
        dir: Direction,
        /// Pointee.
        elem: ValueType,
        /// Extent.
        extent: Extent,
        /// `Option<..>`: the caller may pass NULL (`None`); a buffer's
        /// length is then 0. Absent from the JSON when false, so other
        /// descriptions keep their fingerprints.
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
        /// `In<[u8], len = n, kept = h>`: C keeps the pointer after the
        /// call, as long as the state handle parameter `h` lives
        /// (`yaml_parser_set_input_string`); the linkage copies the bytes
        /// into memory it keeps with `h`'s storage and releases with it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kept: Option<String>,
    },
    /// The length of one or more buffers, filled in by the stub. When
    /// `by_pointer`, C receives a pointer to it and writes back how many
    /// elements it produced (zlib's `uLongf *destLen`).
    Length {
        /// Integer type.
        ty: Scalar,
        /// In-out through a pointer.
        by_pointer: bool,
    },
    /// An opaque handle.
    Handle {
        /// Opaque type, by Rust name.
        ty: String,
        /// Whether C takes ownership (the free function, or a consuming call).
        consume: bool,
        /// `Option<&H>`: the caller may pass NULL (`None`). Absent from the
        /// JSON when false, so other descriptions keep their fingerprints.
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
        /// `&mut H`: the function needs the handle alone, so no child that
        /// borrows it (`Owned<_, parent = h>`) may live across the call
        /// (`XML_ParserReset` of a parent). Absent from the JSON when false.
        #[serde(default, skip_serializing_if = "is_false")]
        exclusive: bool,
    },
    /// A callback.
    Callback {
        /// Callback type, by Rust name.
        ty: String,
        /// Whether C keeps it after the call returns.
        stored: bool,
        /// The parameter carrying its user data; empty for a callback kept
        /// `on` a handle, whose user data the handle's context function
        /// registered apart.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        user_data: String,
        /// `Callback<F, stored = slot>`: where C keeps it. C holds one
        /// callback per slot, so passing a new one replaces the one before,
        /// and a function marked `#[clears(slot)]` forgets it; the Isolated
        /// linkage then refuses the replaced or forgotten callback's id.
        /// Absent from the JSON when not given, so other descriptions keep
        /// their fingerprints.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slot: Option<String>,
        /// `Option<Callback<..>>`: the caller may pass `None`, and C gets
        /// NULL for the function (and its user data); a stored one's slot
        /// is emptied. Absent from the JSON when false.
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
        /// `Callback<F, stored = slot, on = h>`: the callback is kept in the
        /// table of the handle parameter `h` (whose type names a `context`
        /// function), replaced per slot, and freed when that handle is
        /// dropped; the closure gets the handle as its first argument.
        /// Absent from the JSON when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<String>,
    },
    /// An array of strings the function reads: `In<[CStr], len = n>` (a
    /// count in the [`ParamKind::Length`] parameter `n`) or `In<[CStr],
    /// nul_terminated>` (the linkage appends NULL).
    Strings {
        /// [`Extent::Param`] or [`Extent::NulTerminated`].
        extent: Extent,
        /// `In<[Option<CStr>], len = n>`: an element may be NULL (`None`).
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
    },
    /// The `void *` user data of a callback parameter, filled in by the stub.
    UserData,
    /// `Out<R>` over `T **`: C writes a pointer of the result meaning `R`
    /// (`Owned<H>`, `Owned<CStr, free = f>`, `Borrowed<CStr>`, or one of
    /// them in `Option`), which joins the safe result as a returned `R`
    /// would. A NULL written where `R` is no `Option` is `Error::NullOut`.
    OutResult(Return),
    /// `Out<Tail<p>>`: C writes `const char **` pointing into the input
    /// parameter `p` (a string or a byte slice); the safe result is the
    /// offset into `p`, checked to be within it.
    Tail {
        /// The input parameter the pointer points into.
        of: String,
        /// `Out<Option<Tail<p>>>`: a NULL written is `None`, not an error.
        #[serde(default, skip_serializing_if = "is_false")]
        nullable: bool,
    },
    /// `Init<H, V>`: the state `H` (an opaque type with storage),
    /// which the linkage allocates and C initialises; when the function
    /// returns `V`, the safe result holds the new `H`, else `None` and the
    /// storage is released without the free function.
    Init {
        /// The state type, by Rust name.
        ty: String,
        /// The result that says C initialised it.
        ok: i64,
    },
    /// `Out<S>` for a `#[copy_out]` struct `S`: zeroed storage C writes,
    /// copied into the result, then given to `S`'s destructor.
    OutStruct {
        /// The struct, by Rust name.
        ty: String,
    },
    /// `Sentinel<V>`: no parameter of the safe method; the linkage passes
    /// the pointer-sized value `V` (`SQLITE_TRANSIENT` is -1).
    Sentinel {
        /// The value, as a signed pointer-sized integer.
        value: i64,
        /// `#[c_value = "..."]`: the C expression the check unit asserts
        /// equal to `value`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c_value: Option<String>,
    },
    /// A pointer whose meaning a person has yet to state: only in a draft
    /// made by `ffi-stubgen import`, which no linkage accepts.
    Unresolved {
        /// The C type as the header spells it.
        c_type: String,
    },
}

/// Who owns a returned pointer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ownership {
    /// Static or owned by the library; copied, never freed.
    Borrowed,
    /// Owned by the caller and freed by the named C function after copying.
    Owned {
        /// C symbol of the free function.
        free: String,
    },
}

/// What a function returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Return {
    /// `void`.
    Void,
    /// A value: scalar, struct, union or enum.
    Value(ValueType),
    /// A new handle owned by the caller.
    Handle {
        /// Opaque type, by Rust name.
        ty: String,
        /// `Owned<H, parent = p>`: the handle keeps a pointer to the handle
        /// parameter `p` (expat's external entity parser keeps its parent),
        /// so it must go before `p` does; by parameter name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent: Option<String>,
    },
    /// A NUL-terminated string.
    CStr(Ownership),
    /// `Borrowed<[u8], len = g>`: bytes the library keeps, as many as the
    /// described function `g` returns when called with the same arguments
    /// right after; copied.
    Bytes {
        /// The function that gives the length, by Rust name.
        len: String,
    },
    /// `Borrowed<S>` of a `#[copy_out]` struct `S`: a `const T *` the
    /// library keeps, copied (NULL is an error, or `None` in `Option`); or,
    /// for a `#[view]`, the struct copied out of the state.
    CopyOut {
        /// The struct, by Rust name.
        ty: String,
    },
    /// `Option<R>` for a pointer result `R` (a string, bytes or a handle):
    /// NULL is `None`, not an error.
    Option(Box<Return>),
    /// `UserData`: the `void *` a callback's user data is (`sqlite3_user_data`),
    /// for a function a callback's `#[user_data = f]` names; the linkages
    /// call it, it is no method.
    UserData,
    /// A returned pointer whose meaning a person has yet to state (drafts only).
    Unresolved {
        /// The C type as the header spells it.
        c_type: String,
    },
}

impl Return {
    /// The meaning inside `Option<..>`, and whether it was in one.
    pub fn unwrap_option(&self) -> (&Return, bool) {
        match self {
            Return::Option(inner) => (inner, true),
            other => (other, false),
        }
    }

    /// The free function of an owned string (in `Option` or not).
    pub fn string_free(&self) -> Option<&String> {
        match self.unwrap_option().0 {
            Return::CStr(Ownership::Owned { free }) => Some(free),
            _ => None,
        }
    }

    fn string_free_mut(&mut self) -> Option<&mut String> {
        match self {
            Return::Option(inner) => inner.string_free_mut(),
            Return::CStr(Ownership::Owned { free }) => Some(free),
            _ => None,
        }
    }
}

impl Description {
    /// Looks a named type up.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Looks a callback type up.
    pub fn callback(&self, name: &str) -> Option<&CallbackDef> {
        self.callbacks.iter().find(|c| c.name == name)
    }

    /// Looks a function up by Rust name.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The stored-callback slots the description declares
    /// (`Callback<F, stored = slot>`), each once, in the order they first
    /// appear: a slot's number is its index here.
    pub fn callback_slots(&self) -> Vec<&str> {
        let mut slots: Vec<&str> = Vec::new();
        for f in &self.functions {
            for p in &f.params {
                if let ParamKind::Callback {
                    slot: Some(slot), ..
                } = &p.kind
                {
                    if !slots.contains(&slot.as_str()) {
                        slots.push(slot);
                    }
                }
            }
        }
        slots
    }

    /// Whether `f` is the `context` function of a handle type: the
    /// linkages call it themselves to register the handle's callback table,
    /// so it is not a method of the generated trait.
    pub fn registers_context(&self, f: &Function) -> bool {
        self.types
            .iter()
            .any(|t| matches!(&t.kind, TypeKind::Opaque { context: Some(c), .. } if *c == f.name))
    }

    /// Whether `f` gives a callback its user data (`#[user_data = f]` on a
    /// callback's handle parameter, `sqlite3_user_data`): the linkages call
    /// it in their trampolines, so it is not a method (its result is an
    /// address of the caller's world, or of the domain's).
    pub fn gives_user_data(&self, f: &Function) -> bool {
        matches!(f.ret, Return::UserData)
    }

    /// Whether the opaque type `ty` is `scoped`: only ever lent to a callback.
    pub fn is_scoped(&self, ty: &str) -> bool {
        matches!(
            self.type_def(ty).map(|t| &t.kind),
            Some(TypeKind::Opaque { scoped: true, .. })
        )
    }

    /// Whether a callback type of the description takes handles (`&H` or
    /// `In<[&H], len = n>`): its trampolines make views of them.
    pub fn lends_handles(&self) -> bool {
        self.callbacks.iter().any(|cb| {
            cb.params.iter().any(|p| {
                matches!(
                    p,
                    CallbackParam::Handle { .. } | CallbackParam::Handles { .. }
                )
            })
        })
    }

    /// Whether the opaque type `ty` keeps callbacks by call (`kept_by_call`).
    pub fn kept_by_call(&self, ty: &str) -> bool {
        matches!(
            self.type_def(ty).map(|t| &t.kind),
            Some(TypeKind::Opaque {
                kept_by_call: true,
                ..
            })
        )
    }

    /// Whether any opaque type of the description keeps callbacks by call.
    pub fn any_kept_by_call(&self) -> bool {
        self.types.iter().any(|t| {
            matches!(
                t.kind,
                TypeKind::Opaque {
                    kept_by_call: true,
                    ..
                }
            )
        })
    }

    /// Whether callbacks can be kept on handles of the opaque type `ty`: it
    /// has a `context` function or keeps them by call.
    pub fn keeps_callbacks(&self, ty: &str) -> bool {
        self.kept_by_call(ty) || self.context_of(ty).is_some()
    }

    /// The `context` function of the opaque type `ty`, if it has one.
    pub fn context_of(&self, ty: &str) -> Option<&Function> {
        match &self.type_def(ty)?.kind {
            TypeKind::Opaque {
                context: Some(c), ..
            } => self.function(c),
            _ => None,
        }
    }

    /// Whether `f` is the function that frees the strings another function
    /// returns (`Owned<CStr, free = f>`). The linkages call it themselves:
    /// every returned string is copied and freed before the caller sees it,
    /// so no caller ever holds one to free, and a method taking a string
    /// would hand C a pointer it never allocated. It is therefore not a
    /// method of the generated trait.
    pub fn frees_returned_strings(&self, f: &Function) -> bool {
        self.functions
            .iter()
            .any(|g| g.string_frees().any(|free| *free == f.c_name))
    }

    /// Whether `f` is the destructor of a `#[copy_out]` struct: the
    /// linkages run it after every copy, so it is not a method.
    pub fn frees_copied_struct(&self, f: &Function) -> bool {
        self.types
            .iter()
            .any(|t| matches!(&t.kind, TypeKind::CopyOut { free: Some(g), .. } if *g == f.name))
    }

    /// The storage of the state type `ty` (`#[opaque(.., size, align)]`).
    pub fn storage_of(&self, ty: &str) -> Option<Layout> {
        match &self.type_def(ty)?.kind {
            TypeKind::Opaque { storage, .. } => *storage,
            _ => None,
        }
    }

    /// The symbol the Linked and Loaded linkages call for the C function
    /// `c_name` ([`Function::symbol`]); `c_name` itself when no function of
    /// the description has that C name.
    pub fn symbol_of(&self, c_name: &str) -> String {
        self.functions
            .iter()
            .find(|f| f.c_name == c_name)
            .map_or_else(|| c_name.into(), Function::symbol)
    }

    /// Size and alignment of a value type (LP64); `None` for an unknown name.
    pub fn layout_of(&self, ty: &ValueType) -> Option<Layout> {
        match ty {
            ValueType::Scalar(s) => Some(Layout {
                size: s.size(),
                align: s.size(),
            }),
            ValueType::Array { elem, len } => {
                let l = self.layout_of(elem)?;
                Some(Layout {
                    size: l.size.checked_mul(*len)?,
                    align: l.align,
                })
            }
            ValueType::Named(n) => match &self.type_def(n)?.kind {
                TypeKind::Struct { layout, .. } | TypeKind::Union { layout, .. } => Some(*layout),
                TypeKind::Enum { repr, .. } => Some(Layout {
                    size: repr.size(),
                    align: repr.size(),
                }),
                TypeKind::Opaque { .. } | TypeKind::CopyOut { .. } => None,
            },
        }
    }

    /// The canonical JSON text of this description (what the fingerprint hashes).
    pub fn to_canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stable fingerprint: the first 16 bytes of SHA-256 over the canonical
    /// JSON of everything but the constants.
    pub fn fingerprint(&self) -> [u8; 16] {
        use sha2::Digest;
        let json = if self.constants.is_empty() {
            self.to_canonical_json()
        } else {
            let mut wire = self.clone();
            wire.constants.clear();
            wire.to_canonical_json()
        };
        let digest = sha2::Sha256::digest(json.as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }
}

/// Lays out fields in C order and returns their offsets and the total layout;
/// `None` if a field's layout is unknown or a size overflows.
pub fn c_struct_layout(field_layouts: &[Layout], is_union: bool) -> Option<(Vec<u64>, Layout)> {
    let mut offsets = Vec::with_capacity(field_layouts.len());
    let mut size: u64 = 0;
    let mut align: u64 = 1;
    for l in field_layouts {
        align = align.max(l.align);
        if is_union {
            offsets.push(0);
            size = size.max(l.size);
        } else {
            let off = size.checked_next_multiple_of(l.align.max(1))?;
            offsets.push(off);
            size = off.checked_add(l.size)?;
        }
    }
    let size = size.checked_next_multiple_of(align)?;
    Some((offsets, Layout { size, align }))
}

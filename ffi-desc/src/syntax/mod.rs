//! The one parser from Rust tokens to the description IR, shared by
//! `ffi-macros` and `ffi-stubgen`.
//!
//! Parsing never stops at the first mistake: every error is collected, spanned
//! at the offending token, and reported together.

mod attrs;
mod errors;
mod function;
mod params;
mod returns;
mod tokens;

use crate::ir::*;
use attrs::{c_name_of, find_attr, keep_attrs};
pub use errors::Errors;
use function::FnSpans;
use params::{Written, WrittenCallback, WrittenExtent, WrittenHandle, WrittenPointer};
use proc_macro2::Span;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, ExprLit, GenericArgument, Ident, Item, Lit, LitStr, PathArguments, ReturnType,
    Type,
};
use tokens::{eval_int, generic_args, last_segment, path_ident, unresolved_marker};

/// A parsed, checked description together with what the expander needs of the
/// original tokens (names, visibility, documentation, derives).
pub struct Model {
    /// The IR.
    pub desc: Description,
    /// Visibility of the module.
    pub vis: syn::Visibility,
    /// Attributes of the module (docs) other than the ones this parser consumes.
    pub mod_attrs: Vec<Attribute>,
    /// Module name.
    pub mod_ident: Ident,
    /// Visibility of the trait.
    pub trait_vis: syn::Visibility,
    /// Attributes of the trait (docs).
    pub trait_attrs: Vec<Attribute>,
    /// Attributes of each function (docs), in the order of `desc.functions`.
    pub fn_attrs: Vec<Vec<Attribute>>,
    /// Attributes of each named type (docs, derives), in the order of `desc.types`.
    pub type_attrs: Vec<Vec<Attribute>>,
    /// Attributes of each struct/union field, keyed by `(type, field)`.
    pub field_attrs: BTreeMap<(String, String), Vec<Attribute>>,
    /// Attributes of each callback type, in the order of `desc.callbacks`.
    pub callback_attrs: Vec<Vec<Attribute>>,
    /// Items passed through unchanged (`use` declarations, constants).
    pub passthrough: Vec<Item>,
}

/// Arguments of `#[foreign(...)]`.
#[derive(Default)]
pub struct ForeignArgs {
    /// `library = "z"`.
    pub library: Option<String>,
    /// `header = "zlib.h"`, repeatable.
    pub headers: Vec<String>,
    /// `link = false` when a build script links the C code.
    pub link: Option<bool>,
    /// `soname = "libz.so.1"`, repeatable.
    pub sonames: Vec<String>,
    /// `prefix = "sv_"`: prepended to a function's Rust name to form its C name.
    pub prefix: Option<String>,
    /// Parse a draft of `ffi-stubgen import`: its `Unresolved<"T *">` markers
    /// become [`ParamKind::Unresolved`] and [`Return::Unresolved`] instead of
    /// errors. Never set by `#[foreign]`, which refuses every marker.
    pub draft: bool,
}

impl ForeignArgs {
    /// Parses the arguments of the attribute.
    pub fn parse(tokens: proc_macro2::TokenStream) -> syn::Result<ForeignArgs> {
        let mut args = ForeignArgs::default();
        let parser = syn::meta::parser(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match key.as_str() {
                "library" => args.library = Some(meta.value()?.parse::<LitStr>()?.value()),
                "header" => args.headers.push(meta.value()?.parse::<LitStr>()?.value()),
                "soname" => args.sonames.push(meta.value()?.parse::<LitStr>()?.value()),
                "prefix" => args.prefix = Some(meta.value()?.parse::<LitStr>()?.value()),
                "link" => args.link = Some(meta.value()?.parse::<syn::LitBool>()?.value),
                _ => {
                    return Err(meta.error(
                        "unknown argument of #[foreign]; expected library, header, soname, prefix or link",
                    ))
                }
            }
            Ok(())
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(args)
    }
}

/// Parses a `#[foreign]` module into a checked [`Model`].
pub fn parse_module(args: ForeignArgs, module: syn::ItemMod) -> syn::Result<Model> {
    let mut errs = Errors::default();
    let mod_span = module.ident.span();
    let library = match args.library {
        Some(l) => l,
        None => {
            errs.push(
                Span::call_site(),
                "#[foreign] needs `library = \"name\"`: the C library to link or load \
                 (`library = \"z\"` for libz)",
            );
            String::new()
        }
    };
    let Some((_, items)) = module.content else {
        return Err(syn::Error::new(
            mod_span,
            "a #[foreign] module needs a body with the types and the trait",
        ));
    };

    let mut p = Parser {
        errs,
        draft: args.draft,
        prefix: args.prefix.unwrap_or_default(),
        kinds: BTreeMap::new(),
        free_spans: BTreeMap::new(),
        slot_spans: BTreeMap::new(),
    };

    // Pass 1: names and kinds of every named type, so references resolve in any order.
    for item in &items {
        match item {
            Item::Struct(s) => {
                let kind = if find_attr(&s.attrs, "opaque").is_some() {
                    Kind::Opaque
                } else {
                    Kind::Struct
                };
                p.declare(&s.ident, kind);
            }
            Item::Union(u) => p.declare(&u.ident, Kind::Union),
            Item::Enum(e) => p.declare(&e.ident, Kind::Enum),
            Item::Type(t) => p.declare(&t.ident, Kind::Callback),
            _ => {}
        }
    }

    let mut types: Vec<Option<TypeDef>> = Vec::new();
    let mut type_attrs = Vec::new();
    let mut field_attrs = BTreeMap::new();
    let mut callbacks = Vec::new();
    let mut callback_attrs = Vec::new();
    let mut passthrough = Vec::new();
    let mut the_trait = None;
    let mut pending_structs = Vec::new();

    for item in items {
        match item {
            Item::Use(_) | Item::Const(_) => passthrough.push(item),
            Item::Struct(s) => {
                if let Some(attr) = find_attr(&s.attrs, "opaque") {
                    if let Some(td) = p.opaque(&s, attr) {
                        types.push(Some(td));
                        type_attrs.push(keep_attrs(&s.attrs));
                    }
                } else {
                    let fields: Vec<(Ident, Type, Vec<Attribute>)> = match &s.fields {
                        syn::Fields::Named(named) => named
                            .named
                            .iter()
                            .map(|f| (f.ident.clone().unwrap(), f.ty.clone(), f.attrs.clone()))
                            .collect(),
                        _ => {
                            p.errs.push(
                                s.ident.span(),
                                "a described struct needs named fields (or #[opaque] for a handle type)",
                            );
                            continue;
                        }
                    };
                    pending_structs.push((
                        s.ident.clone(),
                        c_name_of(&s.attrs, &s.ident, &mut p.errs),
                        fields,
                        false,
                    ));
                    type_attrs.push(keep_attrs(&s.attrs));
                    types.push(None);
                }
            }
            Item::Union(u) => {
                let fields = u
                    .fields
                    .named
                    .iter()
                    .map(|f| (f.ident.clone().unwrap(), f.ty.clone(), f.attrs.clone()))
                    .collect();
                pending_structs.push((
                    u.ident.clone(),
                    c_name_of(&u.attrs, &u.ident, &mut p.errs),
                    fields,
                    true,
                ));
                type_attrs.push(keep_attrs(&u.attrs));
                types.push(None);
            }
            Item::Enum(e) => {
                if let Some(td) = p.enumeration(&e) {
                    types.push(Some(td));
                    type_attrs.push(keep_attrs(&e.attrs));
                }
            }
            Item::Type(t) => {
                if let Some(cb) = p.callback(&t) {
                    callbacks.push(cb);
                    callback_attrs.push(keep_attrs(&t.attrs));
                }
            }
            Item::Trait(t) => {
                if let Some(first) = &the_trait {
                    let first: &syn::ItemTrait = first;
                    p.errs.push(
                        t.ident.span(),
                        format!(
                            "a description holds exactly one trait: `{}` already lists the C functions",
                            first.ident
                        ),
                    );
                } else {
                    the_trait = Some(t);
                }
            }
            other => {
                let (what, ident) = match &other {
                    Item::Static(i) => ("a `static`", Some(&i.ident)),
                    Item::Fn(i) => (
                        "a free `fn` (functions go in the trait)",
                        Some(&i.sig.ident),
                    ),
                    Item::Mod(i) => ("a nested module", Some(&i.ident)),
                    Item::Impl(_) => ("an `impl` block", None),
                    Item::Macro(i) => ("a macro invocation", i.ident.as_ref()),
                    Item::ExternCrate(i) => ("an `extern crate`", Some(&i.ident)),
                    Item::ForeignMod(_) => ("an `extern` block", None),
                    Item::TraitAlias(i) => ("a trait alias", Some(&i.ident)),
                    _ => ("this item", None),
                };
                let msg = format!(
                    "{what} has no place in a #[foreign] module: it holds structs, unions, enums, \
                     #[opaque] handle types, callback types (`type F = fn(..)`), `use` items, \
                     constants and one trait"
                );
                match ident {
                    Some(i) => p.errs.push(i.span(), msg),
                    None => p.errs.push_spanned(&other, msg),
                }
            }
        }
    }

    // Struct and union layouts, in dependency order.
    let mut laid_out: BTreeMap<String, Layout> = BTreeMap::new();
    for t in types.iter().flatten() {
        if let TypeKind::Enum { repr, .. } = &t.kind {
            laid_out.insert(
                t.name.clone(),
                Layout {
                    size: repr.size(),
                    align: repr.size(),
                },
            );
        }
    }
    let mut resolved: BTreeMap<String, TypeDef> = BTreeMap::new();
    let mut field_types: BTreeMap<String, Vec<(String, String, ValueType)>> = BTreeMap::new();
    for (ident, c_name, fields, _) in &pending_structs {
        let mut out = Vec::new();
        for (fname, fty, fattrs) in fields {
            if let Some(vt) = p.field_type(fty) {
                out.push((fname.to_string(), c_name_of(fattrs, fname, &mut p.errs), vt));
            }
            field_attrs.insert((ident.to_string(), fname.to_string()), keep_attrs(fattrs));
        }
        let _ = c_name;
        field_types.insert(ident.to_string(), out);
    }
    let mut progress = true;
    while progress {
        progress = false;
        for (ident, c_name, _, is_union) in &pending_structs {
            let name = ident.to_string();
            if resolved.contains_key(&name) {
                continue;
            }
            let fields = &field_types[&name];
            let layouts: Option<Vec<Layout>> = fields
                .iter()
                .map(|(_, _, ty)| layout_with(&laid_out, ty))
                .collect();
            let Some(layouts) = layouts else { continue };
            let Some((offsets, layout)) = c_struct_layout(&layouts, *is_union) else {
                p.errs.push(ident.span(), "the size of this type overflows");
                resolved.insert(
                    name,
                    TypeDef {
                        name: String::new(),
                        c_name: String::new(),
                        kind: TypeKind::Opaque {
                            pointer_c_type: String::new(),
                            free: String::new(),
                        },
                    },
                );
                continue;
            };
            let fields = fields
                .iter()
                .zip(offsets)
                .map(|((n, c, ty), offset)| Field {
                    name: n.clone(),
                    c_name: c.clone(),
                    ty: ty.clone(),
                    offset,
                })
                .collect();
            let kind = if *is_union {
                TypeKind::Union { fields, layout }
            } else {
                TypeKind::Struct { fields, layout }
            };
            laid_out.insert(name.clone(), layout);
            resolved.insert(
                name.clone(),
                TypeDef {
                    name,
                    c_name: c_name.clone(),
                    kind,
                },
            );
            progress = true;
        }
    }
    // What is still unresolved contains itself by value, directly or through
    // other unresolved types. Point at the fields that name such a type (a
    // struct that only waits on one whose size overflowed has its error already).
    let unresolved: BTreeSet<String> = pending_structs
        .iter()
        .map(|(ident, ..)| ident.to_string())
        .filter(|n| !resolved.contains_key(n))
        .collect();
    for (ident, _, fields, _) in &pending_structs {
        if !unresolved.contains(&ident.to_string()) {
            continue;
        }
        for (fname, fty, _) in fields {
            let mut elem = fty;
            while let Type::Array(a) = elem {
                elem = &a.elem;
            }
            if let Some(inner) = path_ident(elem).filter(|n| unresolved.contains(n)) {
                let how = if *ident == inner {
                    "directly".to_string()
                } else {
                    format!("through `{inner}`")
                };
                p.errs.push_spanned(
                    fty,
                    format!(
                        "`{ident}` contains itself by value {how} (field `{fname}`), \
                         so it has no finite size"
                    ),
                );
            }
        }
    }
    let mut pending = pending_structs.iter();
    let types: Vec<TypeDef> = types
        .into_iter()
        .filter_map(|t| match t {
            Some(t) => Some(t),
            None => {
                let (ident, ..) = pending.next()?;
                resolved.remove(&ident.to_string())
            }
        })
        .collect();

    let Some(the_trait) = the_trait else {
        p.errs.push(
            mod_span,
            "a #[foreign] module needs one trait listing the C functions",
        );
        p.errs.finish()?;
        unreachable!("an error was pushed");
    };
    let mut desc = Description {
        ir_version: IR_VERSION,
        module: module.ident.to_string(),
        trait_name: the_trait.ident.to_string(),
        library: library.clone(),
        link: args.link.unwrap_or(true),
        sonames: if args.sonames.is_empty() {
            vec![format!("lib{library}.so")]
        } else {
            args.sonames
        },
        headers: args.headers,
        types,
        callbacks,
        functions: Vec::new(),
    };
    let (fn_attrs, fn_spans) = p.trait_functions(&the_trait, &mut desc);
    p.check_whole(&mut desc, &fn_spans);
    p.errs.finish()?;
    Ok(Model {
        desc,
        vis: module.vis,
        mod_attrs: keep_attrs(&module.attrs),
        mod_ident: module.ident,
        trait_vis: the_trait.vis.clone(),
        trait_attrs: keep_attrs(&the_trait.attrs),
        fn_attrs,
        type_attrs,
        field_attrs,
        callback_attrs,
        passthrough,
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Struct,
    Union,
    Enum,
    Opaque,
    Callback,
}

struct Parser {
    errs: Errors,
    draft: bool,
    prefix: String,
    kinds: BTreeMap<String, Kind>,
    /// Where each opaque type names its free function, for errors about it.
    free_spans: BTreeMap<String, Span>,
    /// Where each stored-callback slot is first declared.
    slot_spans: BTreeMap<String, Span>,
}

fn layout_with(known: &BTreeMap<String, Layout>, ty: &ValueType) -> Option<Layout> {
    match ty {
        ValueType::Scalar(s) => Some(Layout {
            size: s.size(),
            align: s.size(),
        }),
        ValueType::Named(n) => known.get(n).copied(),
        ValueType::Array { elem, len } => {
            let l = layout_with(known, elem)?;
            Some(Layout {
                size: l.size.checked_mul(*len)?,
                align: l.align,
            })
        }
    }
}

impl Parser {
    fn declare(&mut self, ident: &Ident, kind: Kind) {
        let name = ident.to_string();
        if self.kinds.insert(name, kind).is_some() {
            self.errs.push(
                ident.span(),
                "this name is declared twice in the description",
            );
        }
    }

    fn opaque(&mut self, s: &syn::ItemStruct, attr: &Attribute) -> Option<TypeDef> {
        if !matches!(s.fields, syn::Fields::Unit) {
            self.errs.push_spanned(
                &s.fields,
                "an #[opaque] type has no fields: Rust never looks inside it",
            );
        }
        let mut c_type = None;
        let mut c_pointer = None;
        let mut free = None;
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("c_type") {
                c_type = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("c_pointer") {
                c_pointer = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("free") {
                free = Some(meta.value()?.parse::<Ident>()?);
            } else {
                return Err(
                    meta.error("expected c_type = \"..\", c_pointer = \"..\" or free = function")
                );
            }
            Ok(())
        });
        if let Err(e) = res {
            self.errs.push_error(e);
            return None;
        }
        let pointer_c_type = match (c_type, c_pointer) {
            (Some(t), None) => format!("{t} *"),
            (None, Some(p)) => p,
            (None, None) => format!("{} *", s.ident),
            (Some(_), Some(_)) => {
                self.errs
                    .push_spanned(&attr, "give c_type or c_pointer, not both");
                return None;
            }
        };
        let Some(free) = free else {
            self.errs.push_spanned(
                &attr.meta,
                format!(
                    "the opaque handle `{}` needs `free = function`: the Rust value's Drop calls it",
                    s.ident
                ),
            );
            return None;
        };
        self.free_spans.insert(s.ident.to_string(), free.span());
        Some(TypeDef {
            name: s.ident.to_string(),
            c_name: s.ident.to_string(),
            kind: TypeKind::Opaque {
                pointer_c_type,
                free: free.to_string(),
            },
        })
    }

    fn enumeration(&mut self, e: &syn::ItemEnum) -> Option<TypeDef> {
        let mut repr = Scalar::Int;
        if let Some(attr) = find_attr(&e.attrs, "repr") {
            let _ = attr.parse_nested_meta(|meta| {
                let name = meta
                    .path
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                match Scalar::from_rust_name(&name) {
                    Some(s) if s.is_integer() => repr = s,
                    _ if name == "C" => {}
                    _ => self.errs.push(
                        meta.path.span(),
                        "an enum's repr must be C or an integer type",
                    ),
                }
                Ok(())
            });
        }
        let mut next: i64 = 0;
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &e.variants {
            if !matches!(v.fields, syn::Fields::Unit) {
                self.errs.push(
                    v.fields.span(),
                    format!(
                        "`{}` carries data: a C enum's variants are plain integers",
                        v.ident
                    ),
                );
                continue;
            }
            let value = match &v.discriminant {
                None => next,
                Some((_, expr)) => match eval_int(expr) {
                    Some(x) => x,
                    None => {
                        self.errs
                            .push_spanned(&expr, "an enum value must be an integer literal");
                        next
                    }
                },
            };
            if !seen.insert(value) {
                self.errs.push(
                    v.ident.span(),
                    "two variants share this value; C allows it but a Rust enum cannot",
                );
            }
            next = value.wrapping_add(1);
            variants.push(Variant {
                name: v.ident.to_string(),
                c_name: c_name_of(&v.attrs, &v.ident, &mut self.errs),
                value,
            });
        }
        if variants.is_empty() {
            self.errs
                .push(e.ident.span(), "a C enum needs at least one variant");
        }
        Some(TypeDef {
            name: e.ident.to_string(),
            c_name: c_name_of(&e.attrs, &e.ident, &mut self.errs),
            kind: TypeKind::Enum { repr, variants },
        })
    }

    fn callback(&mut self, t: &syn::ItemType) -> Option<CallbackDef> {
        let Type::BareFn(f) = &*t.ty else {
            self.errs.push_spanned(&t.ty,
                "a type in a description is a callback: `type F = fn(args..., user: UserData) -> R;`",
            );
            return None;
        };
        let mut c_name = None;
        if let Some(attr) = find_attr(&t.attrs, "callback") {
            let res = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("c_name") {
                    c_name = Some(meta.value()?.parse::<LitStr>()?.value());
                    Ok(())
                } else {
                    Err(meta.error("expected c_name = \"..\""))
                }
            });
            if let Err(e) = res {
                self.errs.push_error(e);
            }
        }
        let mut params = Vec::new();
        let mut user_data = 0;
        for (i, arg) in f.inputs.iter().enumerate() {
            let name = arg
                .name
                .as_ref()
                .map(|(n, _)| n.to_string())
                .unwrap_or_else(|| format!("arg{i}"));
            if path_ident(&arg.ty).as_deref() == Some("UserData") {
                user_data += 1;
                params.push(CallbackParam::UserData { name });
            } else if path_ident(&arg.ty).as_deref() == Some("CStr") {
                params.push(CallbackParam::CStr { name });
            } else if let Some(ty) = self.value_type(&arg.ty, false) {
                params.push(CallbackParam::Value { name, ty });
            }
        }
        if f.variadic.is_some() {
            self.errs
                .push_spanned(&f.variadic, "a callback cannot be variadic");
        }
        match user_data {
            1 => {}
            0 => self.errs.push(
                t.ident.span(),
                format!(
                    "callback without user data: `{}` needs a `UserData` parameter, the pointer \
                     C hands back so the closure can be found",
                    t.ident
                ),
            ),
            _ => self
                .errs
                .push(t.ident.span(), "a callback takes exactly one UserData"),
        }
        let ret = match &f.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => self.value_type(ty, false),
        };
        Some(CallbackDef {
            name: t.ident.to_string(),
            c_name,
            params,
            ret,
        })
    }

    /// A type usable by value. Arrays only inside structs (`allow_array`).
    fn value_type(&mut self, ty: &Type, allow_array: bool) -> Option<ValueType> {
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
            // The marker `ffi-stubgen import` leaves on a pointer whose meaning
            // the header does not say.
            Type::Path(_) if last_segment(ty).is_some_and(|s| s.ident == "Unresolved") => {
                let c_type = match &last_segment(ty)?.arguments {
                    PathArguments::AngleBracketed(a) => match a.args.first() {
                        Some(GenericArgument::Const(Expr::Lit(ExprLit {
                            lit: Lit::Str(s),
                            ..
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
                None
            }
            Type::Path(_) => {
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
                    Some(Kind::Callback) => {
                        self.errs
                            .push_spanned(&ty, format!("a callback is passed as Callback<{name}>"));
                        None
                    }
                    None => {
                        self.errs.push_spanned(
                            ty,
                            format!("unknown C type `{name}`: not a C scalar nor a type of this description"),
                        );
                        None
                    }
                }
            }
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

    fn field_type(&mut self, ty: &Type) -> Option<ValueType> {
        self.value_type(ty, true)
    }

    fn written(&mut self, ty: &Type) -> Option<Written> {
        if self.draft {
            if let Some(c_type) = unresolved_marker(ty) {
                return Some(Written::Unresolved(c_type));
            }
        }
        if let Type::Reference(r) = ty {
            if let Some(name) = path_ident(&r.elem) {
                if self.kinds.get(&name) == Some(&Kind::Opaque) {
                    return Some(Written::Handle(WrittenHandle {
                        ty: name,
                        consume: false,
                    }));
                }
            }
            self.errs.push_spanned(
                r,
                "a reference must name an opaque handle type; data behind pointers is In<T> or InOut<T>",
            );
            return None;
        }
        if let Type::Ptr(p) = ty {
            self.errs.push_spanned(
                p,
                "pointer without direction: say In<..>, Out<..> or InOut<..> (or CStr for a string)",
            );
            return None;
        }
        let Some(seg) = last_segment(ty) else {
            return self.value_type(ty, false).map(Written::Value);
        };
        let head = seg.ident.to_string();
        let args = generic_args(seg);
        match head.as_str() {
            "CStr" => Some(Written::CStr),
            "UserData" => Some(Written::UserData),
            "In" | "Out" | "InOut" => {
                let dir = match head.as_str() {
                    "In" => Direction::In,
                    "Out" => Direction::Out,
                    _ => Direction::InOut,
                };
                let Some(GenericArgument::Type(inner)) = args.first() else {
                    self.errs
                        .push_spanned(&seg, format!("{head} needs a pointee: {head}<T>"));
                    return None;
                };
                let mut len = None;
                for a in args.iter().skip(1) {
                    match a {
                        GenericArgument::AssocType(at)
                            if at.ident == "len" || at.ident == "cap" =>
                        {
                            match path_ident(&at.ty) {
                                Some(_) => {
                                    if let Type::Path(p) = &at.ty {
                                        len = p.path.get_ident().cloned();
                                    }
                                }
                                None => {
                                    self.errs.push_spanned(&at.ty, "a length names a parameter")
                                }
                            }
                        }
                        other => self.errs.push_spanned(
                            other,
                            "expected `len = parameter` (or `cap = parameter` for an out buffer)",
                        ),
                    }
                }
                match inner {
                    Type::Slice(s) => {
                        let elem = self.value_type(&s.elem, false)?;
                        let extent = match len {
                            Some(l) => WrittenExtent::Param(l),
                            None => WrittenExtent::Missing,
                        };
                        Some(Written::Pointer(WrittenPointer {
                            dir,
                            elem,
                            extent,
                            tokens: seg.to_token_stream(),
                        }))
                    }
                    Type::Array(a) => {
                        let elem = self.value_type(&a.elem, false)?;
                        let Some(n) = eval_int(&a.len).and_then(|l| u64::try_from(l).ok()) else {
                            self.errs
                                .push(a.len.span(), "a fixed count must be an integer literal");
                            return None;
                        };
                        if let Some(l) = len {
                            self.errs
                                .push(l.span(), "a fixed-count pointer takes no length parameter");
                        }
                        Some(Written::Pointer(WrittenPointer {
                            dir,
                            elem,
                            extent: WrittenExtent::Fixed(n),
                            tokens: seg.to_token_stream(),
                        }))
                    }
                    _ => {
                        if let Some(l) = &len {
                            self.errs
                                .push(l.span(), "a length goes with a slice: In<[T], len = n>");
                        }
                        let elem = self.value_type(inner, false)?;
                        if dir == Direction::InOut {
                            if let ValueType::Scalar(s) = elem {
                                if s.is_integer() {
                                    return Some(Written::InOutScalar(s));
                                }
                            }
                        }
                        Some(Written::Pointer(WrittenPointer {
                            dir,
                            elem,
                            extent: WrittenExtent::One,
                            tokens: seg.to_token_stream(),
                        }))
                    }
                }
            }
            "Owned" => {
                let name = match args.first() {
                    Some(GenericArgument::Type(t)) => path_ident(t),
                    _ => None,
                };
                match name {
                    Some(n) if self.kinds.get(&n) == Some(&Kind::Opaque) => {
                        Some(Written::Handle(WrittenHandle {
                            ty: n,
                            consume: true,
                        }))
                    }
                    _ => {
                        self.errs.push_spanned(
                            &seg,
                            "Owned<T> as a parameter names an opaque handle type",
                        );
                        None
                    }
                }
            }
            "Callback" => {
                let name = match args.first() {
                    Some(GenericArgument::Type(t)) => path_ident(t),
                    _ => None,
                };
                let Some(name) = name.filter(|n| self.kinds.get(n) == Some(&Kind::Callback)) else {
                    self.errs.push_spanned(
                        &seg,
                        "Callback<F> names a callback type of this description",
                    );
                    return None;
                };
                let mut stored = false;
                let mut slot = None;
                let mut user = None;
                for a in args.iter().skip(1) {
                    match a {
                        GenericArgument::Type(t) if path_ident(t).as_deref() == Some("stored") => {
                            stored = true
                        }
                        GenericArgument::Type(t)
                            if path_ident(t).as_deref() == Some("during_call") =>
                        {
                            stored = false
                        }
                        GenericArgument::AssocType(at) if at.ident == "stored" => {
                            match &at.ty {
                                Type::Path(p) if p.path.get_ident().is_some() => {
                                    stored = true;
                                    slot = p.path.get_ident().cloned();
                                }
                                other => self.errs.push_spanned(
                                    other,
                                    "`stored = slot` names a slot with a plain identifier",
                                ),
                            }
                        }
                        GenericArgument::AssocType(at) if at.ident == "user" => {
                            if let Type::Path(p) = &at.ty {
                                user = p.path.get_ident().cloned();
                            }
                        }
                        other => self.errs.push_spanned(
                            other,
                            "expected `stored`, `stored = slot`, `during_call` or `user = parameter`",
                        ),
                    }
                }
                if let (false, Some(s)) = (stored, &slot) {
                    self.errs.push(
                        s.span(),
                        "a callback kept in a slot is stored: `during_call` and `stored = slot` do not combine",
                    );
                }
                Some(Written::Callback(WrittenCallback {
                    ty: name,
                    stored,
                    slot,
                    user,
                }))
            }
            _ => self.value_type(ty, false).map(Written::Value),
        }
    }

    /// Checks that need the whole description: duplicate names, free functions.
    fn check_whole(&mut self, desc: &mut Description, spans: &[FnSpans]) {
        let mut c_names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust_names: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, f) in desc.functions.iter().enumerate() {
            if let Some(first) = c_names.insert(&f.c_name, i) {
                let both_variadic =
                    f.variadic_fixed.is_some() && desc.functions[first].variadic_fixed.is_some();
                if both_variadic {
                    continue;
                }
                self.errs.push(
                    spans[i].name,
                    format!(
                        "duplicate C name: `{}` and `{}` both describe the C function `{}` \
                         (only #[variadic] instantiations may share a C name)",
                        desc.functions[first].name, f.name, f.c_name
                    ),
                );
            }
            if rust_names.insert(&f.name, i).is_some() {
                self.errs
                    .push(spans[i].name, format!("duplicate function `{}`", f.name));
            }
        }
        // `#[clears(slot)]` names a slot some stored callback is kept in.
        for span in spans {
            for slot in &span.clears {
                if !self.slot_spans.contains_key(&slot.to_string()) {
                    self.errs.push(
                        slot.span(),
                        format!(
                            "#[clears({slot})] names no slot: keep a callback there with \
                             `Callback<F, stored = {slot}>`"
                        ),
                    );
                }
            }
        }
        // Owned strings name their free function by Rust name; store the C symbol.
        let by_name: BTreeMap<String, (String, Vec<Param>, usize)> = desc
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), (f.c_name.clone(), f.params.clone(), i)))
            .collect();
        for (i, f) in desc.functions.iter_mut().enumerate() {
            if let Return::CStr(Ownership::Owned { free }) = &mut f.ret {
                match by_name.get(free.as_str()) {
                    Some((c, params, _))
                        if params.len() == 1
                            && matches!(
                                params[0].kind,
                                ParamKind::Pointer {
                                    dir: Direction::InOut | Direction::Out | Direction::In,
                                    extent: Extent::NulTerminated,
                                    ..
                                }
                            ) =>
                    {
                        *free = c.clone()
                    }
                    Some((_, _, j)) => self.errs.push(
                        spans[*j].name,
                        format!(
                            "`{free}` frees the string `{}` returns: it must take exactly one CStr",
                            f.name
                        ),
                    ),
                    None => self.errs.push(
                        spans[i].free.unwrap_or(spans[i].name),
                        format!("the free function `{free}` is not described in this trait"),
                    ),
                }
            }
        }
        for t in &desc.types {
            if let TypeKind::Opaque { free, .. } = &t.kind {
                match desc.functions.iter().find(|f| &f.name == free) {
                    Some(f)
                        if f.params.len() == 1
                            && matches!(&f.params[0].kind, ParamKind::Handle { ty, consume: true } if *ty == t.name) =>
                        {}
                    Some(f) => {
                        let i = desc
                            .functions
                            .iter()
                            .position(|g| g.name == f.name)
                            .unwrap_or(0);
                        self.errs.push(
                            spans[i].name,
                            format!(
                                "`{free}` frees `{}`: it must take exactly one Owned<{}>",
                                t.name, t.name
                            ),
                        )
                    }
                    None => self.errs.push(
                        self.free_spans
                            .get(&t.name)
                            .copied()
                            .unwrap_or_else(Span::call_site),
                        format!(
                            "the free function `{free}` of `{}` is not described in the trait",
                            t.name
                        ),
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(trait_items: proc_macro2::TokenStream) -> Description {
        let module: syn::ItemMod = syn::parse2(quote::quote! {
            mod m {
                #[callback(c_name = "log_fn")]
                pub type Log = fn(level: c_int, user: UserData);
                pub trait X { #trait_items }
            }
        })
        .unwrap();
        let args = ForeignArgs::parse(quote::quote!(library = "x")).unwrap();
        parse_module(args, module).unwrap().desc
    }

    #[test]
    fn stored_callback_slots_and_clears() {
        let desc = parse(quote::quote! {
            fn set_logger(f: Callback<Log, stored = logger>, user: UserData);
            fn add_hook(f: Callback<Log, stored>, user: UserData);
            #[clears(logger)]
            fn clear_logger();
        });
        assert!(matches!(
            &desc.functions[0].params[0].kind,
            ParamKind::Callback { stored: true, slot: Some(s), .. } if s == "logger"
        ));
        assert!(matches!(
            &desc.functions[1].params[0].kind,
            ParamKind::Callback {
                stored: true,
                slot: None,
                ..
            }
        ));
        assert_eq!(desc.functions[2].clears, ["logger"]);
        assert_eq!(desc.callback_slots(), ["logger"]);
    }

    #[test]
    fn a_description_without_slots_keeps_its_fingerprint() {
        // The fields are absent from the JSON the fingerprint hashes.
        let desc = parse(quote::quote! {
            fn set_logger(f: Callback<Log, stored>, user: UserData);
        });
        let json = serde_json::to_string(&desc).unwrap();
        assert!(!json.contains("slot") && !json.contains("clears"), "{json}");
    }
}

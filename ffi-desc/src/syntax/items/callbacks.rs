//! Callback types: `type F = fn(args.., user: UserData) -> R;`, the
//! signature of a C function pointer a described function takes.
//!
//! A parameter of a callback is a value, a string (`CStr`, or
//! `Option<CStr>` when C may pass NULL), an array of strings (`In<[CStr],
//! len = n>`, `In<[Option<CStr>], len = n>`, `In<[CStr], nul_terminated>`), a
//! buffer (`In<[T], len = n>`), the count `n` of an array or a buffer (no
//! parameter of the closure, which gets slices), or the `UserData`. A
//! pointer's C spelling is `#[c_type = ".."]` where the header's differs from
//! the one implied (`char **` for sqlite3_exec's `argv`).

use crate::ir::*;
use crate::syntax::attrs::{find_attr, string_attr};
use crate::syntax::params::strings::{string_elem, StringsExtent};
use crate::syntax::tokens::{generic_args, last_segment, path_ident};
use crate::syntax::{Kind, Parser};
use std::collections::BTreeMap;
use syn::{GenericArgument, Ident, LitStr, ReturnType, Type};

/// A callback parameter as written, before its counts are resolved.
enum WrittenArg {
    Done(CallbackParam),
    /// An array or a buffer counted by the parameter `len`.
    Counted {
        param: CallbackParam,
        len: Ident,
    },
}

impl Parser {
    pub(super) fn callback(&mut self, t: &syn::ItemType) -> Option<CallbackDef> {
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
        let mut written = Vec::new();
        for (i, arg) in f.inputs.iter().enumerate() {
            let name = arg
                .name
                .as_ref()
                .map(|(n, _)| n.to_string())
                .unwrap_or_else(|| format!("arg{i}"));
            let c_type = string_attr(&arg.attrs, "c_type", &mut self.errs);
            let user_data = self.user_data_attr(&arg.attrs);
            if let Some(w) = self.callback_arg(name, &arg.ty, c_type, user_data) {
                written.push((w, &arg.ty));
            }
        }
        let params = self.resolve_counts(written);
        if f.variadic.is_some() {
            self.errs
                .push_spanned(&f.variadic, "a callback cannot be variadic");
        }
        let user_data = params
            .iter()
            .filter(|p| {
                matches!(
                    p,
                    CallbackParam::UserData { .. }
                        | CallbackParam::Handle {
                            user_data: Some(_),
                            ..
                        }
                )
            })
            .count();
        match user_data {
            1 => {}
            0 => self.errs.push(
                t.ident.span(),
                format!(
                    "callback without user data: `{}` needs a `UserData` parameter, the pointer \
                     C hands back so the closure can be found (or `#[user_data = f]` on a \
                     handle parameter `&H`, when `f(&H)` gives it)",
                    t.ident
                ),
            ),
            _ => self
                .errs
                .push(t.ident.span(), "a callback takes exactly one UserData (a `UserData` parameter or one `#[user_data = f]`)"),
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

    /// One parameter of a callback type; `None` (with an error) when it
    /// means nothing.
    fn callback_arg(
        &mut self,
        name: String,
        ty: &Type,
        c_type: Option<String>,
        user_data: Option<Ident>,
    ) -> Option<WrittenArg> {
        if let Some(h) = self.lent_handle(ty) {
            if c_type.is_some() {
                self.errs.push_spanned(
                    ty,
                    "#[c_type] is not for a handle: its C type is its #[opaque] type's",
                );
            }
            let user_data = user_data.map(|f| {
                self.user_data_uses
                    .push((h.clone(), f.to_string(), f.span()));
                f.to_string()
            });
            return Some(WrittenArg::Done(CallbackParam::Handle {
                name,
                ty: h,
                user_data,
            }));
        }
        if let Some(f) = &user_data {
            self.errs.push(
                f.span(),
                "#[user_data = f] is on a handle parameter `&H`: `f(&H)` gives the callback its user data",
            );
        }
        if path_ident(ty).as_deref() == Some("UserData") {
            return Some(WrittenArg::Done(CallbackParam::UserData { name }));
        }
        if let Some(nullable) = string_elem(ty) {
            return Some(WrittenArg::Done(CallbackParam::CStr {
                name,
                nullable,
                c_type,
            }));
        }
        let seg = last_segment(ty)
            .filter(|s| matches!(s.ident.to_string().as_str(), "In" | "Out" | "InOut"));
        let Some(seg) = seg else {
            if c_type.is_some() {
                self.errs.push_spanned(
                    ty,
                    "#[c_type] on a callback parameter spells a pointer: a string, an array or a buffer",
                );
            }
            return self
                .value_type(ty, false)
                .map(|ty| WrittenArg::Done(CallbackParam::Value { name, ty }));
        };
        if let Some(strings) = self.written_strings(seg) {
            let s = strings?;
            let param = |extent| CallbackParam::Strings {
                name,
                extent,
                nullable: s.nullable,
                c_type,
            };
            return match s.extent {
                StringsExtent::Param(len) => Some(WrittenArg::Counted {
                    param: param(Extent::Param(len.to_string())),
                    len,
                }),
                StringsExtent::NulTerminated => {
                    Some(WrittenArg::Done(param(Extent::NulTerminated)))
                }
                StringsExtent::Missing => None,
            };
        }
        self.callback_buffer(name, seg, c_type)
    }

    /// `In<[T], len = n>`: elements C hands the callback.
    fn callback_buffer(
        &mut self,
        name: String,
        seg: &syn::PathSegment,
        c_type: Option<String>,
    ) -> Option<WrittenArg> {
        let args = generic_args(seg);
        let elem = match (seg.ident == "In", args.first()) {
            (true, Some(GenericArgument::Type(Type::Slice(s)))) => &*s.elem,
            _ => {
                self.errs.push_spanned(
                    seg,
                    "a callback reads what C hands it: In<[T], len = n> for a buffer, \
                     In<[CStr], ..> for strings",
                );
                return None;
            }
        };
        let mut len = None;
        for a in &args[1..] {
            match a {
                GenericArgument::AssocType(at) if at.ident == "len" => match &at.ty {
                    Type::Path(p) if p.path.get_ident().is_some() => {
                        len = p.path.get_ident().cloned()
                    }
                    other => self.errs.push_spanned(other, "a length names a parameter"),
                },
                other => self
                    .errs
                    .push_spanned(other, "expected `len = parameter` after the element type"),
            }
        }
        let handles = self.lent_handle(elem);
        let elem = match &handles {
            Some(_) => ValueType::Scalar(Scalar::U8),
            None => self.value_type(elem, false)?,
        };
        let Some(len) = len else {
            self.errs.push_spanned(
                seg,
                "a buffer without length: say In<[T], len = parameter>, the callback's \
                 parameter that counts its elements",
            );
            return None;
        };
        let param = match handles {
            Some(ty) => {
                if c_type.is_some() {
                    self.errs.push(
                        len.span(),
                        "#[c_type] is not for handles: their C type is their #[opaque] type's",
                    );
                }
                CallbackParam::Handles {
                    name,
                    ty,
                    len: len.to_string(),
                }
            }
            None => CallbackParam::Buffer {
                name,
                elem,
                len: len.to_string(),
                c_type,
            },
        };
        Some(WrittenArg::Counted { param, len })
    }

    /// `&H` of an opaque type: the type's name.
    fn lent_handle(&self, ty: &Type) -> Option<String> {
        let Type::Reference(r) = ty else { return None };
        path_ident(&r.elem).filter(|n| self.kinds.get(n) == Some(&Kind::Opaque))
    }

    /// `#[user_data = f]` on a callback parameter.
    fn user_data_attr(&mut self, attrs: &[syn::Attribute]) -> Option<Ident> {
        let attr = find_attr(attrs, "user_data")?;
        let found = match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Path(p) => p.path.get_ident().cloned(),
                _ => None,
            },
            _ => None,
        };
        if found.is_none() {
            self.errs.push_spanned(
                attr,
                "#[user_data = f] names the described function that gives the user data",
            );
        }
        found
    }

    /// Turns the parameters that count arrays and buffers into
    /// [`CallbackParam::Length`]s, checking that each is an integer.
    fn resolve_counts(&mut self, written: Vec<(WrittenArg, &Type)>) -> Vec<CallbackParam> {
        let mut counts: BTreeMap<String, Ident> = BTreeMap::new();
        for (w, _) in &written {
            if let WrittenArg::Counted { len, .. } = w {
                counts.entry(len.to_string()).or_insert_with(|| len.clone());
            }
        }
        let mut params = Vec::new();
        for (w, ty) in written {
            let p = match w {
                WrittenArg::Done(p) | WrittenArg::Counted { param: p, .. } => p,
            };
            let name = p.name().to_string();
            if counts.remove(&name).is_none() {
                params.push(p);
                continue;
            }
            match p {
                CallbackParam::Value {
                    ty: ValueType::Scalar(s),
                    ..
                } if s.is_integer() => params.push(CallbackParam::Length { name, ty: s }),
                _ => self.errs.push_spanned(
                    ty,
                    format!("`{name}` counts an array or a buffer: it must be an integer"),
                ),
            }
        }
        for (name, len) in counts {
            self.errs.push(
                len.span(),
                format!("length names a missing parameter `{name}`"),
            );
        }
        params
    }
}

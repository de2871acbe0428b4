//! Callback types: `type F = fn(args.., user: UserData) -> R;`, the
//! signature of a C function pointer a described function takes.

use crate::ir::*;
use crate::syntax::attrs::find_attr;
use crate::syntax::tokens::path_ident;
use crate::syntax::Parser;
use syn::{LitStr, ReturnType, Type};

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
}

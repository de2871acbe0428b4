//! What a function returns: everything one [`Return`] meaning generates, in
//! one place, as [`crate::meaning`] does for parameters. Each generator binds
//! what C returned to a variable (`__ret`) and asks the meaning to turn it
//! into the safe value (Linked, Loaded), to decode it from the reply (the
//! Isolated client) or to encode it into the reply (the server).
//!
//! An out parameter whose pointee is a result meaning (`Out<Owned<H>>`,
//! `Out<Option<Owned<CStr, free = f>>>`) asks the same meanings, for its
//! own variable ([`of_out`]).

mod bytes;
mod copy_out;
mod handle;
mod string;
mod unresolved;
mod user_data;
mod value;
mod void;

use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

pub(crate) use copy_out::view_call;

/// The function whose result it is, and where that result is held.
#[derive(Clone)]
pub(crate) struct RetCx<'a> {
    pub(crate) g: &'a Gen<'a>,
    pub(crate) f: &'a Function,
    /// The variable holding what C returned (or wrote), rebound to the
    /// safe value.
    pub(crate) var: Ident,
    /// NULL is `None` rather than an error.
    pub(crate) nullable: bool,
    /// The out parameter it is written through; `None` for the result.
    pub(crate) param: Option<&'a str>,
}

impl RetCx<'_> {
    /// The error for a NULL where none is allowed.
    pub(crate) fn null_error(&self) -> TokenStream {
        let fname = &self.f.name;
        match self.param {
            None => quote!(::ffi_desc::Error::NullReturn { function: #fname }),
            Some(p) => quote!(::ffi_desc::Error::NullOut { function: #fname, param: #p }),
        }
    }

    /// `ty`, or `Option<ty>` when NULL is a value.
    pub(crate) fn wrap(&self, ty: TokenStream) -> TokenStream {
        if self.nullable {
            quote!(::core::option::Option<#ty>)
        } else {
            ty
        }
    }
}

/// What one return meaning generates.
pub(crate) trait Returned {
    /// The type at the C ABI.
    fn raw_ty(&self) -> TokenStream;

    /// Its part of the safe method's result, `Option`al when NULL is a
    /// value; `None` for nothing.
    fn result_ty(&self) -> Option<TokenStream>;

    /// Linked and Loaded: the variable, as C returned it, rebound to the safe value.
    fn native(&self, callee: &Callee) -> TokenStream;

    /// The Isolated client: the variable decoded from the reply `__r`.
    fn client(&self) -> TokenStream;

    /// The server: C's value in the variable encoded into `__out`.
    fn server(&self) -> TokenStream;
}

/// The return meaning of `f`.
pub(crate) fn of<'a>(g: &'a Gen<'a>, f: &'a Function) -> Box<dyn Returned + 'a> {
    let cx = RetCx {
        g,
        f,
        var: ident("__ret"),
        nullable: false,
        param: None,
    };
    meaning(cx, &f.ret)
}

/// The meaning of what C writes through the out parameter `param` of `f`,
/// held in `var`. NULL is always `None` here: the parameter itself reports
/// a NULL where none is allowed, once every out value is safe to drop.
pub(crate) fn of_out<'a>(
    g: &'a Gen<'a>,
    f: &'a Function,
    param: &'a str,
    var: Ident,
    ret: &'a Return,
) -> Box<dyn Returned + 'a> {
    let cx = RetCx {
        g,
        f,
        var,
        nullable: true,
        param: Some(param),
    };
    meaning(cx, ret.unwrap_option().0)
}

fn meaning<'a>(cx: RetCx<'a>, ret: &'a Return) -> Box<dyn Returned + 'a> {
    match ret {
        Return::Void => Box::new(void::Void { cx }),
        Return::Value(ty) => Box::new(value::Value { cx, ty }),
        Return::Handle { ty, parent } => Box::new(handle::Handle {
            cx,
            ty,
            parent: parent.as_deref(),
        }),
        Return::CStr(own) => Box::new(string::CStr { cx, own }),
        Return::Bytes { len } => Box::new(bytes::Bytes { cx, len }),
        Return::Option(inner) => meaning(
            RetCx {
                nullable: true,
                ..cx
            },
            inner,
        ),
        Return::CopyOut { ty } => Box::new(copy_out::CopyOut { cx, ty }),
        Return::Unresolved { .. } => Box::new(unresolved::Unresolved),
        Return::UserData => Box::new(user_data::UserData),
    }
}

/// The safe type of a result meaning `ret` of `f`, `Option`al when it is
/// in `Option`: what an out parameter of that meaning adds to the result.
pub(crate) fn safe_ty_of<'a>(
    g: &'a Gen<'a>,
    f: &'a Function,
    ret: &'a Return,
) -> Option<TokenStream> {
    let cx = RetCx {
        g,
        f,
        var: ident("__ret"),
        nullable: false,
        param: None,
    };
    meaning(cx, ret).result_ty()
}

//! The parameters of a described function.
//!
//! Each meaning a parameter can have lives in its own file, holding how it is
//! written, how it refers to other parameters and the checks it needs. A
//! function's parameters are read in three passes, each over all parameters
//! so that errors come in parameter order: what each written type means
//! ([`Written`]), which parameters are lengths or user data of others
//! ([`Links`]), and the [`ParamKind`] each one ends up with.
//!
//! A new meaning is a file here with its variant of [`Written`], the head
//! `Parser::written` recognizes it by, and its arm in `Parser::kind` (and in
//! `Parser::links` when it refers to other parameters). `Option<..>` around
//! a meaning is read in `option.rs`, which asks the meaning whether it may
//! be NULL.

mod callback;
mod handle;
mod length;
mod option;
mod out_result;
mod pointer;
mod sentinel;
mod state;
mod string;
pub(super) mod strings;
mod unresolved;
mod user_data;
mod value;

use callback::WrittenCallback;
use handle::WrittenHandle;
use out_result::WrittenTail;
use pointer::WrittenPointer;
use strings::WrittenStrings;

use super::attrs::{find_attr, string_attr};
use super::tokens::{last_segment, unresolved_marker};
use super::Parser;
use crate::ir::*;
use std::collections::BTreeMap;
use syn::{FnArg, Ident, Pat, Type};

/// A parameter type as written, before lengths and user data are resolved.
enum Written {
    Value(ValueType),
    Pointer(WrittenPointer),
    /// `InOut<integer>`: an in-out length, or a pointer to one integer.
    InOutScalar(Scalar),
    /// `CStr`, or `Option<CStr>` when `nullable`.
    CStr {
        nullable: bool,
    },
    Handle(WrittenHandle),
    Callback(WrittenCallback),
    /// `In<[CStr], len = n>`, `In<[CStr], nul_terminated>`.
    Strings(WrittenStrings),
    UserData,
    /// `Out<R>` over `T **`: a handle or string C writes.
    OutResult(Return),
    /// `Out<Tail<p>>`: a pointer C writes into the input `p`.
    Tail(WrittenTail),
    /// `Sentinel<V>`: a fixed pointer value.
    Sentinel(i64),
    /// `Init<H, V>`: state storage C initialises.
    Init {
        ty: String,
        ok: i64,
    },
    /// `Out<S>` of a `#[copy_out]` struct.
    OutStruct(String),
    /// A draft's marker (draft mode only).
    Unresolved(String),
}

/// One parameter as written.
struct WrittenParam<'a> {
    name: Ident,
    /// `None` when the type was refused (the error is pushed).
    written: Option<Written>,
    /// `#[c_type = ".."]` on the parameter.
    c_type: Option<String>,
    /// `#[c_value = ".."]` on the parameter (sentinels only), with where
    /// it is written.
    c_value: Option<(String, &'a syn::Attribute)>,
    ty: &'a Type,
}

/// How parameters refer to each other, by index.
#[derive(Default)]
struct Links {
    /// The parameters that are lengths, each with the buffers it counts.
    lengths: BTreeMap<usize, Vec<(Direction, String)>>,
    /// The `UserData` parameters, each with the callback it belongs to.
    user_datas: BTreeMap<usize, String>,
    /// The function's name.
    function: String,
}

impl Parser {
    /// The parameters of `sig`, each with the type it was written as (for
    /// errors found later).
    pub(crate) fn params<'a>(&mut self, sig: &'a syn::Signature) -> (Vec<Param>, Vec<&'a Type>) {
        let written = self.written_params(sig);
        let mut links = self.links(&written);
        links.function = sig.ident.to_string();
        let mut params = Vec::new();
        let mut param_tys = Vec::new();
        for (i, p) in written.iter().enumerate() {
            let Some(w) = &p.written else { continue };
            let kind = match links.lengths.get(&i) {
                Some(buffers) => self.length_kind(p, w, buffers),
                None => self.kind(i, p, w, &written, &links),
            };
            let Some(kind) = kind else { continue };
            params.push(Param {
                name: p.name.to_string(),
                kind,
                c_type: p.c_type.clone(),
            });
            param_tys.push(p.ty);
        }
        (params, param_tys)
    }

    /// What a parameter's written type means; `None` (with an error) when
    /// it means nothing.
    fn written(&mut self, ty: &Type) -> Option<Written> {
        if self.draft {
            if let Some(c_type) = unresolved_marker(ty) {
                return Some(Written::Unresolved(c_type));
            }
        }
        if let Type::Reference(r) = ty {
            return self.borrowed_handle(r).map(Written::Handle);
        }
        if let Type::Ptr(p) = ty {
            self.undirected_pointer(p);
            return None;
        }
        let Some(seg) = last_segment(ty) else {
            return self.value_type(ty, false).map(Written::Value);
        };
        if let Some(strings) = self.written_strings(seg) {
            return strings.map(Written::Strings);
        }
        if let Some(cb) = self.optional_callback(seg) {
            return cb.map(Written::Callback);
        }
        match seg.ident.to_string().as_str() {
            "CStr" => Some(Written::CStr { nullable: false }),
            "UserData" => Some(Written::UserData),
            "Option" => self.written_option(seg),
            "Sentinel" => self.written_sentinel(seg),
            "Init" => self.written_init(seg),
            "In" => self.written_pointer(seg, Direction::In),
            "Out" => self.written_pointer(seg, Direction::Out),
            "InOut" => self.written_pointer(seg, Direction::InOut),
            "Owned" => self.owned_handle(seg).map(Written::Handle),
            "Callback" => self.written_callback(seg).map(Written::Callback),
            _ => self.value_type(ty, false).map(Written::Value),
        }
    }

    fn written_params<'a>(&mut self, sig: &'a syn::Signature) -> Vec<WrittenParam<'a>> {
        let mut written = Vec::new();
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(r) => self.errs.push_spanned(
                    r,
                    "a described function takes no self: the generated method adds &self",
                ),
                FnArg::Typed(pt) => {
                    let Pat::Ident(pi) = &*pt.pat else {
                        self.errs
                            .push_spanned(&pt.pat, "a parameter needs a plain name");
                        continue;
                    };
                    let c_type = string_attr(&pt.attrs, "c_type", &mut self.errs);
                    let c_value = string_attr(&pt.attrs, "c_value", &mut self.errs)
                        .zip(find_attr(&pt.attrs, "c_value"));
                    let w = self.written(&pt.ty);
                    written.push(WrittenParam {
                        name: pi.ident.clone(),
                        written: w,
                        c_type,
                        c_value,
                        ty: &pt.ty,
                    });
                }
            }
        }
        written
    }

    /// Which parameters are lengths, and which are user data, and of whom.
    fn links(&mut self, written: &[WrittenParam<'_>]) -> Links {
        let names: BTreeMap<String, usize> = written
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.to_string(), i))
            .collect();
        let mut links = Links::default();
        for p in written {
            match &p.written {
                Some(Written::Pointer(ptr)) => self.link_length(p, ptr, &names, &mut links),
                Some(Written::Callback(cb)) => {
                    self.link_user_data(p, cb, written, &names, &mut links)
                }
                Some(Written::Strings(s)) => self.link_strings_length(p, s, &names, &mut links),
                _ => {}
            }
        }
        self.check_strings_lengths(written, &links);
        links
    }

    /// The meaning of a parameter that is no length; `None` drops it (its
    /// error is pushed).
    fn kind(
        &mut self,
        i: usize,
        p: &WrittenParam<'_>,
        w: &Written,
        written: &[WrittenParam<'_>],
        links: &Links,
    ) -> Option<ParamKind> {
        if let (Some((_, attr)), false) = (&p.c_value, matches!(w, Written::Sentinel(_))) {
            self.errs.push_spanned(
                attr,
                "#[c_value = \"..\"] names the C expression of a Sentinel<V> parameter",
            );
        }
        match w {
            Written::Value(v) => Some(value::kind(v)),
            Written::InOutScalar(s) => Some(pointer::in_out_scalar_kind(*s)),
            Written::Pointer(ptr) => ptr.kind(),
            Written::CStr { nullable } => Some(string::kind(*nullable)),
            Written::Handle(h) => Some(h.kind()),
            Written::Callback(cb) => self.callback_kind(p, cb, written, links),
            Written::Strings(s) => s.kind(),
            Written::UserData => Some(self.user_data_kind(i, p, links)),
            Written::OutResult(r) => Some(ParamKind::OutResult(r.clone())),
            Written::Tail(t) => self.tail_kind(t, written),
            Written::Sentinel(v) => Some(sentinel::kind(*v, p)),
            Written::Init { ty, ok } => Some(state::init_kind(ty, *ok)),
            Written::OutStruct(ty) => Some(ParamKind::OutStruct { ty: ty.clone() }),
            Written::Unresolved(c_type) => Some(unresolved::kind(c_type)),
        }
    }
}

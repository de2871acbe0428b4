//! From a checked [`Model`] to Rust: the types, the safe trait, and its
//! Linked and Loaded implementations.

use crate::ir::*;
use crate::syntax::Model;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

pub(crate) fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

pub(crate) fn scalar_tokens(s: Scalar) -> TokenStream {
    match s {
        Scalar::I8 => quote!(i8),
        Scalar::I16 => quote!(i16),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::U8 => quote!(u8),
        Scalar::U16 => quote!(u16),
        Scalar::U32 => quote!(u32),
        Scalar::U64 => quote!(u64),
        Scalar::SizeT => quote!(usize),
        Scalar::SSizeT => quote!(isize),
        Scalar::Float => quote!(f32),
        Scalar::Double => quote!(f64),
        Scalar::Bool => quote!(bool),
        other => {
            let n = ident(other.rust_name());
            quote!(::ffi_desc::c::#n)
        }
    }
}

pub(crate) struct Gen<'a> {
    pub(crate) desc: &'a Description,
    pub(crate) m: &'a Model,
}

/// How a linkage reaches C: the tokens that differ between Linked and Loaded.
struct Callee {
    /// The expression that names a C function, given its C name.
    fn_expr: Box<dyn Fn(&str) -> TokenStream>,
    /// The identity of the handle owner (`*const ()`).
    owner_id: TokenStream,
    /// An `OwnerRef` for a new handle.
    owner_ref: TokenStream,
    /// The callback store.
    store: TokenStream,
}

impl Gen<'_> {
    pub(crate) fn is_enum(&self, name: &str) -> bool {
        matches!(
            self.desc.type_def(name).map(|t| &t.kind),
            Some(TypeKind::Enum { .. })
        )
    }

    pub(crate) fn enum_repr(&self, name: &str) -> Option<Scalar> {
        match self.desc.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { repr, .. }) => Some(*repr),
            _ => None,
        }
    }

    /// The type as stored in memory C may write (fields, pointees).
    pub(crate) fn stored_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Scalar(s) => scalar_tokens(*s),
            ValueType::Named(n) if self.is_enum(n) => {
                let n = ident(n);
                quote!(::ffi_desc::EnumField<#n>)
            }
            ValueType::Named(n) => {
                let n = ident(n);
                quote!(#n)
            }
            ValueType::Array { elem, len } => {
                let e = self.stored_ty(elem);
                let len = *len as usize;
                quote!([#e; #len])
            }
        }
    }

    /// The type as passed by value across the C ABI.
    pub(crate) fn raw_value_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Named(n) if self.is_enum(n) => {
                scalar_tokens(self.enum_repr(n).unwrap_or(Scalar::Int))
            }
            other => self.stored_ty(other),
        }
    }

    /// The type as a safe method sees a value.
    pub(crate) fn safe_value_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Named(n) => {
                let n = ident(n);
                quote!(#n)
            }
            other => self.stored_ty(other),
        }
    }

    pub(crate) fn callback_raw_ty(&self, cb: &CallbackDef) -> TokenStream {
        let params = cb.params.iter().map(|p| match p {
            CallbackParam::Value { ty, .. } => self.raw_value_ty(ty),
            CallbackParam::CStr { .. } => quote!(*const ::ffi_desc::c::c_char),
            CallbackParam::UserData { .. } => quote!(*mut ::ffi_desc::c::c_void),
        });
        let ret = match &cb.ret {
            None => quote!(),
            Some(t) => {
                let t = self.raw_value_ty(t);
                quote!(-> #t)
            }
        };
        quote!(::core::option::Option<unsafe extern "C" fn(#(#params),*) #ret>)
    }

    pub(crate) fn callback_closure_sig(&self, cb: &CallbackDef) -> (Vec<TokenStream>, TokenStream) {
        let params = cb
            .params
            .iter()
            .filter_map(|p| match p {
                CallbackParam::Value { ty, .. } => Some(self.stored_ty(ty)),
                CallbackParam::CStr { .. } => Some(quote!(&::core::ffi::CStr)),
                CallbackParam::UserData { .. } => None,
            })
            .collect();
        let ret = match &cb.ret {
            None => quote!(()),
            Some(t) => self.stored_ty(t),
        };
        (params, ret)
    }

    pub(crate) fn raw_param_ty(&self, p: &Param) -> TokenStream {
        match &p.kind {
            // The parser refuses Unresolved outside drafts; drafts are never expanded.
            ParamKind::Unresolved { .. } => unresolved(),
            ParamKind::Value(v) => self.raw_value_ty(v),
            ParamKind::Pointer { dir, elem, .. } => {
                let e = self.stored_ty(elem);
                if *dir == Direction::In {
                    quote!(*const #e)
                } else {
                    quote!(*mut #e)
                }
            }
            ParamKind::Length { ty, by_pointer } => {
                let t = scalar_tokens(*ty);
                if *by_pointer {
                    quote!(*mut #t)
                } else {
                    t
                }
            }
            ParamKind::Handle { .. } | ParamKind::UserData => quote!(*mut ::ffi_desc::c::c_void),
            ParamKind::Callback { ty, .. } => match self.desc.callback(ty) {
                Some(cb) => self.callback_raw_ty(cb),
                None => quote!(*mut ::ffi_desc::c::c_void),
            },
        }
    }

    pub(crate) fn raw_ret_ty(&self, r: &Return) -> TokenStream {
        match r {
            Return::Unresolved { .. } => unresolved(),
            Return::Void => quote!(()),
            Return::Value(v) => self.raw_value_ty(v),
            Return::Handle { .. } => quote!(*mut ::ffi_desc::c::c_void),
            Return::CStr(Ownership::Borrowed) => quote!(*const ::ffi_desc::c::c_char),
            Return::CStr(Ownership::Owned { .. }) => quote!(*mut ::ffi_desc::c::c_char),
        }
    }

    /// `unsafe extern "C" fn(..) -> R` for a function (variadic: the fixed part and `...`).
    fn raw_fn_ptr_ty(&self, f: &Function) -> TokenStream {
        let n = f.variadic_fixed.unwrap_or(f.params.len());
        let params = f.params.iter().take(n).map(|p| self.raw_param_ty(p));
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = self.raw_ret_ty(&f.ret);
        quote!(unsafe extern "C" fn(#(#params),* #dots) -> #ret)
    }

    fn extern_decl(&self, f: &Function) -> TokenStream {
        // The symbol: the C name, or the check unit's wrapper (`#[wrap]`).
        let name = ident(&f.symbol());
        let n = f.variadic_fixed.unwrap_or(f.params.len());
        let params = f.params.iter().take(n).map(|p| {
            let pn = format_ident!("{}", p.name);
            let t = self.raw_param_ty(p);
            quote!(#pn: #t)
        });
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = self.raw_ret_ty(&f.ret);
        quote!(pub fn #name(#(#params),* #dots) -> #ret;)
    }

    /// Unique C functions in description order (variadic instantiations share one).
    fn unique_c_fns(&self) -> Vec<&Function> {
        let mut seen = std::collections::BTreeSet::new();
        self.desc
            .functions
            .iter()
            .filter(|f| seen.insert(f.c_name.clone()))
            .collect()
    }

    pub(crate) fn opaque_index(&self, name: &str) -> usize {
        self.desc
            .types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Opaque { .. }))
            .position(|t| t.name == name)
            .unwrap_or(0)
    }

    /// Who shares which length parameter.
    pub(crate) fn buffers_of<'f>(&self, f: &'f Function, len: &str) -> Vec<(&'f Param, Direction)> {
        f.params
            .iter()
            .filter_map(|p| match &p.kind {
                ParamKind::Pointer {
                    dir,
                    extent: Extent::Param(l),
                    ..
                } if l == len => Some((p, *dir)),
                _ => None,
            })
            .collect()
    }

    /// The safe method's signature (without body).
    pub(crate) fn safe_sig(&self, f: &Function) -> TokenStream {
        let name = ident(&f.name);
        let mut args = Vec::new();
        for p in &f.params {
            let pn = format_ident!("{}", p.name);
            let ty = match &p.kind {
                ParamKind::Unresolved { .. } => Some(unresolved()),
                ParamKind::Value(v) => Some(self.safe_value_ty(v)),
                ParamKind::Pointer { dir, elem, extent } => {
                    let e = self.stored_ty(elem);
                    let inner = match extent {
                        Extent::One => quote!(#e),
                        Extent::Fixed(n) => {
                            let n = *n as usize;
                            quote!([#e; #n])
                        }
                        Extent::Param(_) => quote!([#e]),
                        Extent::NulTerminated => quote!(impl ::ffi_desc::CStrArg + ?Sized),
                    };
                    match (dir, extent) {
                        (_, Extent::NulTerminated) => Some(quote!(&(#inner))),
                        (Direction::In, _) => Some(quote!(&#inner)),
                        (Direction::Out, Extent::One) => None,
                        _ => Some(quote!(&mut #inner)),
                    }
                }
                ParamKind::Length { .. } | ParamKind::UserData => None,
                ParamKind::Handle { ty, consume } => {
                    let t = ident(ty);
                    Some(if *consume { quote!(#t) } else { quote!(&#t) })
                }
                ParamKind::Callback { ty, stored, .. } => {
                    let cb = self.desc.callback(ty).expect("checked by the parser");
                    let (ps, ret) = self.callback_closure_sig(cb);
                    Some(if *stored {
                        quote!(impl Fn(#(#ps),*) -> #ret + Send + Sync + 'static)
                    } else {
                        quote!(&mut dyn FnMut(#(#ps),*) -> #ret)
                    })
                }
            };
            if let Some(ty) = ty {
                args.push(quote!(#pn: #ty));
            }
        }
        let out = self.result_ty(f);
        quote!(fn #name(&self, #(#args),*) -> ::core::result::Result<#out, ::ffi_desc::Error>)
    }

    pub(crate) fn result_parts(&self, f: &Function) -> Vec<TokenStream> {
        let mut parts = Vec::new();
        match &f.ret {
            Return::Unresolved { .. } => parts.push(unresolved()),
            Return::Void => {}
            Return::Value(v) => parts.push(self.safe_value_ty(v)),
            Return::Handle { ty } => {
                let t = ident(ty);
                parts.push(quote!(#t))
            }
            Return::CStr(_) => parts.push(quote!(::ffi_desc::__private::CString)),
        }
        for p in &f.params {
            match &p.kind {
                ParamKind::Pointer {
                    dir: Direction::Out,
                    elem,
                    extent: Extent::One,
                } => parts.push(self.safe_value_ty(elem)),
                ParamKind::Length {
                    by_pointer: true, ..
                } => parts.push(quote!(usize)),
                _ => {}
            }
        }
        if f.errno {
            parts.push(quote!(::ffi_desc::Errno));
        }
        parts
    }

    pub(crate) fn result_ty(&self, f: &Function) -> TokenStream {
        let parts = self.result_parts(f);
        match parts.len() {
            1 => parts[0].clone(),
            _ => quote!((#(#parts),*)),
        }
    }

    /// The body of a safe method for one linkage.
    fn body(&self, f: &Function, c: &Callee) -> TokenStream {
        let fname = &f.name;
        let mut pre = Vec::new();
        let mut call_args = Vec::new();
        let mut post = Vec::new();
        let mut disarm = Vec::new();
        let mut outs = Vec::new();
        let mut has_callback = false;
        // Lengths first: they read the buffers.
        for p in &f.params {
            if let ParamKind::Length { ty, by_pointer } = &p.kind {
                let ln = format_ident!("__len_{}", p.name);
                let pname = &p.name;
                let t = scalar_tokens(*ty);
                let bufs = self.buffers_of(f, &p.name);
                // The length is that of the first input buffer (or the first buffer);
                // every other buffer sharing it must hold at least as many elements.
                let lead = bufs
                    .iter()
                    .find(|(_, d)| *d == Direction::In)
                    .or_else(|| bufs.first())
                    .map(|(b, _)| format_ident!("{}", b.name));
                let Some(lead) = lead else { continue };
                pre.push(quote! {
                    let #ln: usize = #lead.len();
                });
                for (b, _) in &bufs {
                    let bn = format_ident!("{}", b.name);
                    if bn != lead {
                        let bname = &b.name;
                        pre.push(
                            quote!(::ffi_desc::rt::at_least(#bn.len(), #ln, #fname, #bname)?;),
                        );
                    }
                }
                let var = format_ident!("__arg_{}", p.name);
                if *by_pointer {
                    pre.push(
                        quote!(let mut #var: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;),
                    );
                    post.push(
                        quote!(let #var = ::ffi_desc::rt::len_back(#var, #ln, #fname, #pname)?;),
                    );
                    outs.push((p.name.clone(), quote!(#var)));
                } else {
                    pre.push(quote!(let #var: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;));
                }
            }
        }
        // User-data pointers are prepared with their callbacks.
        let mut user_ptr: std::collections::BTreeMap<String, Ident> = Default::default();
        for p in &f.params {
            let pn = format_ident!("{}", p.name);
            let pname = &p.name;
            let var = format_ident!("__arg_{}", p.name);
            match &p.kind {
                ParamKind::Unresolved { .. } => pre.push(unresolved()),
                ParamKind::Value(ValueType::Named(n)) if self.is_enum(n) => {
                    pre.push(quote!(let #var = ::ffi_desc::CEnum::to_raw(#pn);));
                }
                ParamKind::Value(_) => pre.push(quote!(let #var = #pn;)),
                ParamKind::Pointer { dir, elem, extent } => match (dir, extent) {
                    (_, Extent::NulTerminated) => {
                        let holder = format_ident!("__str_{}", p.name);
                        pre.push(quote! {
                            let #holder = ::ffi_desc::CStrArg::to_c_str(#pn, #fname, #pname)?;
                            let #var = #holder.as_ptr();
                        });
                    }
                    (Direction::Out, Extent::One) => {
                        let e = self.stored_ty(elem);
                        let slot = format_ident!("__out_{}", p.name);
                        pre.push(quote! {
                            let mut #slot = ::core::mem::MaybeUninit::<#e>::zeroed();
                            let #var = #slot.as_mut_ptr();
                        });
                        let conv = match elem {
                            ValueType::Named(n) if self.is_enum(n) => quote!(.get()?),
                            _ => quote!(),
                        };
                        // SAFETY (generated): the slot was zero-initialised, and every
                        // type that can stand here is valid when all-zero.
                        post.push(quote!(let #slot = unsafe { #slot.assume_init() } #conv;));
                        outs.push((p.name.clone(), quote!(#slot)));
                    }
                    (Direction::In, Extent::One) => pre.push(quote!(let #var = #pn as *const _;)),
                    (_, Extent::One) => pre.push(quote!(let #var = #pn as *mut _;)),
                    (Direction::In, _) => pre.push(quote!(let #var = #pn.as_ptr();)),
                    (_, _) => pre.push(quote!(let #var = #pn.as_mut_ptr();)),
                },
                ParamKind::Length { .. } => {}
                ParamKind::Handle { consume, .. } => {
                    let owner_id = &c.owner_id;
                    pre.push(quote! {
                        let #var = #pn.core.raw_for(#owner_id, #fname, #pname)? as usize as *mut ::ffi_desc::c::c_void;
                    });
                    if *consume {
                        pre.push(quote!(let mut #pn = #pn;));
                        disarm.push(quote!(#pn.core.disarm(); ::core::mem::drop(#pn);));
                    }
                }
                ParamKind::Callback {
                    ty,
                    stored,
                    user_data,
                    ..
                } => {
                    has_callback = true;
                    let cb = self.desc.callback(ty).expect("checked by the parser");
                    let (ps, ret) = self.callback_closure_sig(cb);
                    let uvar = format_ident!("__user_{}", p.name);
                    if *stored {
                        let tramp = format_ident!("__tramp_stored_{}", ty);
                        let store = &c.store;
                        pre.push(quote! {
                            let __boxed: ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync> =
                                ::ffi_desc::__private::Box::new(#pn);
                            let #uvar = #store.keep(::ffi_desc::__private::Box::new(__boxed));
                            let #var = ::core::option::Option::Some(#tramp as _);
                        });
                    } else {
                        let tramp = format_ident!("__tramp_call_{}", ty);
                        let holder = format_ident!("__cb_{}", p.name);
                        pre.push(quote! {
                            let mut #holder: &mut dyn FnMut(#(#ps),*) -> #ret = #pn;
                            let #uvar = &mut #holder as *mut &mut dyn FnMut(#(#ps),*) -> #ret
                                as *mut ::ffi_desc::c::c_void;
                            let #var = ::core::option::Option::Some(#tramp as _);
                        });
                    }
                    user_ptr.insert(user_data.clone(), uvar);
                }
                ParamKind::UserData => {}
            }
        }
        for p in &f.params {
            let var = format_ident!("__arg_{}", p.name);
            if let ParamKind::UserData = p.kind {
                let u = user_ptr
                    .get(&p.name)
                    .cloned()
                    .unwrap_or_else(|| ident("__no_user"));
                pre.push(quote!(let #var = #u;));
            }
            if let ParamKind::Length {
                by_pointer: true, ..
            } = p.kind
            {
                call_args.push(quote!(&mut #var));
            } else {
                call_args.push(quote!(#var));
            }
        }
        let callee = (c.fn_expr)(&f.symbol());
        // Only calls that pass a callback pay for the check: a stored callback
        // that panics when C calls it later is stopped all the same, and its
        // panic is reported by this thread's next call that passes a callback.
        let check_panic = has_callback;
        let take = check_panic.then(|| quote!(::ffi_desc::rt::take_callback_panic(#fname)?;));
        let (errno_pre, errno_post) = if f.errno {
            (
                quote!(::ffi_desc::rt::set_errno(0);),
                quote!(let __errno = ::ffi_desc::Errno(::ffi_desc::rt::errno());),
            )
        } else {
            (quote!(), quote!())
        };
        let ret_conv = match &f.ret {
            Return::Unresolved { .. } => unresolved(),
            Return::Void => quote!(),
            Return::Value(ValueType::Named(n)) if self.is_enum(n) => {
                let n = ident(n);
                quote!(let __ret = <#n as ::ffi_desc::CEnum>::checked(__ret)?;)
            }
            Return::Value(_) => quote!(),
            Return::Handle { ty } => {
                let t = ident(ty);
                let idx = self.opaque_index(ty);
                let owner_ref = &c.owner_ref;
                quote! {
                    if __ret.is_null() {
                        return ::core::result::Result::Err(::ffi_desc::Error::NullReturn { function: #fname });
                    }
                    let __ret = #t { core: ::ffi_desc::rt::HandleCore::new(__ret as usize as u64, #idx, #owner_ref) };
                }
            }
            Return::CStr(Ownership::Borrowed) => quote! {
                // SAFETY (generated): the description promises a NUL-terminated
                // string that stays valid until the next call; it is copied now.
                let __ret = unsafe { ::ffi_desc::rt::copy_c_str(__ret, #fname) }?;
            },
            Return::CStr(Ownership::Owned { free }) => {
                let free_fn = (c.fn_expr)(&self.desc.symbol_of(free));
                quote! {
                    // SAFETY (generated): the description promises a NUL-terminated
                    // string owned by the caller; it is copied, then freed once.
                    let __copy = unsafe { ::ffi_desc::rt::copy_c_str(__ret, #fname) };
                    if !__ret.is_null() {
                        // SAFETY (generated): `free` is the function the description
                        // names for strings this function returns.
                        unsafe { #free_fn(__ret as _) };
                    }
                    let __ret = __copy?;
                }
            }
        };
        let mut result = Vec::new();
        if !matches!(f.ret, Return::Void) {
            result.push(quote!(__ret));
        }
        // Out values in parameter order.
        for p in &f.params {
            if let Some((_, v)) = outs.iter().find(|(n, _)| *n == p.name) {
                result.push(v.clone());
            }
        }
        if f.errno {
            result.push(quote!(__errno));
        }
        let result = match result.len() {
            1 => result[0].clone(),
            _ => quote!((#(#result),*)),
        };
        let unused_ret = matches!(f.ret, Return::Void).then(|| quote!(let _ = __ret;));
        quote! {
            #(#pre)*
            #errno_pre
            // SAFETY (generated): every argument was prepared from a safe Rust
            // value as the description states: buffers with their lengths,
            // strings NUL-terminated, handles checked against their owner, and
            // callbacks with user data that outlives the call (or the linkage).
            let __ret = unsafe { #callee(#(#call_args),*) };
            #errno_post
            #(#disarm)*
            #unused_ret
            #take
            #(#post)*
            #ret_conv
            ::core::result::Result::Ok(#result)
        }
    }

    fn types(&self) -> TokenStream {
        let mut out = Vec::new();
        for (i, t) in self.desc.types.iter().enumerate() {
            let added: &[&str] = match t.kind {
                TypeKind::Enum { .. } => &["Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash"],
                _ => &["Clone", "Copy", "Default"],
            };
            let mut attrs = filter_derives(&self.m.type_attrs[i], added);
            if !self.m.type_attrs[i]
                .iter()
                .any(|a| a.path().is_ident("doc"))
            {
                let doc = format!("The C type `{}`.", t.c_name);
                attrs.push(quote!(#[doc = #doc]));
            }
            let name = ident(&t.name);
            match &t.kind {
                TypeKind::Struct { fields, layout } | TypeKind::Union { fields, layout } => {
                    let is_union = matches!(t.kind, TypeKind::Union { .. });
                    let fs = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        let ty = self.stored_ty(&f.ty);
                        let fattrs = self
                            .m
                            .field_attrs
                            .get(&(t.name.clone(), f.name.clone()))
                            .cloned()
                            .unwrap_or_default();
                        let fattrs = with_default_doc(&fattrs, &format!("C field `{}`.", f.c_name));
                        quote!(#(#fattrs)* pub #fname: #ty)
                    });
                    let kw = if is_union {
                        quote!(union)
                    } else {
                        quote!(struct)
                    };
                    let size = layout.size as usize;
                    let align = layout.align as usize;
                    let offsets = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        let off = f.offset as usize;
                        let msg = format!(
                            "layout of {}.{} differs from the description",
                            t.name, f.name
                        );
                        quote!(assert!(::core::mem::offset_of!(#name, #fname) == #off, #msg);)
                    });
                    let msg = format!("layout of {} differs from the description", t.name);
                    out.push(quote! {
                        #(#attrs)*
                        #[repr(C)]
                        #[derive(Clone, Copy)]
                        pub #kw #name { #(#fs),* }
                        const _: () = {
                            assert!(::core::mem::size_of::<#name>() == #size, #msg);
                            assert!(::core::mem::align_of::<#name>() == #align, #msg);
                            #(#offsets)*
                        };
                    });
                }
                TypeKind::Enum { repr, variants } => {
                    let r = scalar_tokens(*repr);
                    let vs = variants.iter().map(|v| {
                        let vn = ident(&v.name);
                        let doc = format!("C `{}` ({}).", v.c_name, v.value);
                        quote!(#[doc = #doc] #vn)
                    });
                    let from = variants.iter().map(|v| {
                        let vn = ident(&v.name);
                        let val = proc_macro2::Literal::i64_unsuffixed(v.value);
                        quote!(#val => ::core::option::Option::Some(Self::#vn),)
                    });
                    let to = variants.iter().map(|v| {
                        let vn = ident(&v.name);
                        let val = proc_macro2::Literal::i64_unsuffixed(v.value);
                        quote!(Self::#vn => #val,)
                    });
                    let tname = &t.name;
                    out.push(quote! {
                        #(#attrs)*
                        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
                        pub enum #name { #(#vs),* }
                        impl ::ffi_desc::CEnum for #name {
                            type Repr = #r;
                            const NAME: &'static str = #tname;
                            #[inline]
                            fn from_raw(raw: #r) -> ::core::option::Option<Self> {
                                #[allow(unreachable_patterns)]
                                match raw { #(#from)* _ => ::core::option::Option::None }
                            }
                            #[inline]
                            fn to_raw(self) -> #r { match self { #(#to)* } }
                            #[inline]
                            fn raw_as_i64(raw: #r) -> i64 { raw as i64 }
                        }
                    });
                }
                TypeKind::Opaque { .. } => {
                    out.push(quote! {
                        #(#attrs)*
                        #[derive(Debug)]
                        pub struct #name {
                            core: ::ffi_desc::rt::HandleCore,
                        }
                    });
                }
            }
        }
        quote!(#(#out)*)
    }

    fn trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let (ps, ret) = self.callback_closure_sig(cb);
            let mut raw_params = Vec::new();
            let mut conv = Vec::new();
            let mut args = Vec::new();
            let mut user = ident("__user");
            for (i, p) in cb.params.iter().enumerate() {
                let a = format_ident!("__a{}", i);
                match p {
                    CallbackParam::Value { ty, .. } => {
                        let t = self.raw_value_ty(ty);
                        raw_params.push(quote!(#a: #t));
                        match ty {
                            ValueType::Named(n) if self.is_enum(n) => {
                                args.push(quote!(::ffi_desc::EnumField::from_raw(#a)))
                            }
                            _ => args.push(quote!(#a)),
                        }
                    }
                    CallbackParam::CStr { .. } => {
                        raw_params.push(quote!(#a: *const ::ffi_desc::c::c_char));
                        conv.push(quote! {
                            let #a: &::core::ffi::CStr = if #a.is_null() {
                                c""
                            } else {
                                // SAFETY: C passes a NUL-terminated string valid for the callback.
                                unsafe { ::core::ffi::CStr::from_ptr(#a) }
                            };
                        });
                        args.push(quote!(#a));
                    }
                    CallbackParam::UserData { .. } => {
                        raw_params.push(quote!(#a: *mut ::ffi_desc::c::c_void));
                        user = a;
                    }
                }
            }
            let raw_ret = match &cb.ret {
                None => quote!(()),
                Some(t) => self.raw_value_ty(t),
            };
            let to_raw = match &cb.ret {
                Some(ValueType::Named(n)) if self.is_enum(n) => quote!(.raw()),
                _ => quote!(),
            };
            let call_t = format_ident!("__tramp_call_{}", cb.name);
            let stored_t = format_ident!("__tramp_stored_{}", cb.name);
            out.push(quote! {
                #[allow(non_snake_case)]
                unsafe extern "C" fn #call_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is the `&mut dyn FnMut` the calling method
                    // placed on its stack; C calls back only during that call.
                    let __f = unsafe { &mut *(#user as *mut &mut dyn FnMut(#(#ps),*) -> #ret) };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
                #[allow(non_snake_case, dead_code)]
                unsafe extern "C" fn #stored_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is a boxed closure kept alive by the
                    // linkage's callback store for as long as C may call it.
                    let __f = unsafe { &*(#user as *const ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync>) };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
            });
        }
        quote!(#(#out)*)
    }

    fn free_dispatch(&self, call: impl Fn(&str) -> TokenStream) -> TokenStream {
        let arms = self
            .desc
            .types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Opaque { .. }))
            .enumerate()
            .map(|(i, t)| {
                let TypeKind::Opaque { free, .. } = &t.kind else {
                    unreachable!()
                };
                let c_free = self
                    .desc
                    .function(free)
                    .expect("checked by the parser")
                    .symbol();
                let callee = call(&c_free);
                quote! {
                    // SAFETY: `raw` is a live handle of this type created by this
                    // linkage instance, freed exactly once (the handle disarms).
                    #i => unsafe { let _ = #callee(raw as usize as *mut ::ffi_desc::c::c_void); },
                }
            });
        quote! {
            #[allow(unreachable_patterns)]
            match type_index { #(#arms)* _ => {} }
        }
    }
}

/// What stands where an `Unresolved` marker would be expanded: the parser
/// refuses the marker outside drafts, and drafts are never expanded, so this
/// only guards the match.
pub(crate) fn unresolved() -> TokenStream {
    quote!(::core::compile_error!(
        "an Unresolved pointer reached code generation"
    ))
}

/// The attributes, plus a `#[doc]` when they hold none.
fn with_default_doc(attrs: &[syn::Attribute], doc: &str) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = attrs.iter().map(|a| quote!(#a)).collect();
    if !attrs.iter().any(|a| a.path().is_ident("doc")) {
        out.push(quote!(#[doc = #doc]));
    }
    out
}

/// Drops derives the expansion adds itself.
fn filter_derives(attrs: &[syn::Attribute], added: &[&str]) -> Vec<TokenStream> {
    attrs
        .iter()
        .map(|a| {
            if a.path().is_ident("derive") {
                let mut keep = Vec::new();
                let _ = a.parse_nested_meta(|m| {
                    let n = m
                        .path
                        .get_ident()
                        .map(|i| i.to_string())
                        .unwrap_or_default();
                    if !added.contains(&n.as_str()) {
                        let p = &m.path;
                        keep.push(quote!(#p));
                    }
                    Ok(())
                });
                if keep.is_empty() {
                    quote!()
                } else {
                    quote!(#[derive(#(#keep),*)])
                }
            } else {
                quote!(#a)
            }
        })
        .collect()
}

pub fn expand(m: &Model) -> TokenStream {
    let g = Gen { desc: &m.desc, m };
    let desc = &m.desc;
    let vis = &m.vis;
    let mod_ident = &m.mod_ident;
    let trait_ident = ident(&desc.trait_name);
    let trait_vis = &m.trait_vis;
    let passthrough = &m.passthrough;
    let types = g.types();
    let trampolines = g.trampolines();
    let json = desc.to_canonical_json();
    let fp = desc.fingerprint();
    let linked_ident = format_ident!("{}Linked", desc.trait_name);
    let loaded_ident = format_ident!("{}Loaded", desc.trait_name);

    // A function that frees returned strings is the linkages' to call, not
    // a method (see `Description::frees_returned_strings`). The others keep
    // their index in `desc.functions`, which the Isolated wire uses.
    let exposed: Vec<bool> = desc
        .functions
        .iter()
        .map(|f| !desc.frees_returned_strings(f))
        .collect();
    let sigs: Vec<TokenStream> = desc.functions.iter().map(|f| g.safe_sig(f)).collect();
    let fn_docs: Vec<Vec<TokenStream>> = desc
        .functions
        .iter()
        .zip(&m.fn_attrs)
        .map(|(f, attrs)| with_default_doc(attrs, &format!("Calls the C function `{}`.", f.c_name)))
        .collect();
    let trait_items = sigs
        .iter()
        .zip(&fn_docs)
        .zip(&exposed)
        .filter(|(_, shown)| **shown)
        .map(|((sig, docs), _)| quote!(#(#docs)* #sig;));
    let mod_attrs = with_default_doc(
        &m.mod_attrs,
        &format!("The description of the C library `{}`.", desc.library),
    );
    let trait_attrs = with_default_doc(
        &m.trait_attrs,
        &format!("The functions of the C library `{}`.", desc.library),
    );

    // Linked.
    let unique = g.unique_c_fns();
    let decls = unique.iter().map(|f| g.extern_decl(f));
    let link_attr = desc.link.then(|| {
        let lib = &desc.library;
        quote!(#[link(name = #lib)])
    });
    let linked = Callee {
        fn_expr: Box::new(|c| {
            let c = ident(c);
            quote!(__linked_sys::#c)
        }),
        owner_id: quote!(&__LINKED_OWNER as *const __LinkedOwner as *const ()),
        owner_ref: quote!(::ffi_desc::rt::OwnerRef::Static(&__LINKED_OWNER)),
        store: quote!(::ffi_desc::rt::linked_callback_store()),
    };
    let linked_methods = desc
        .functions
        .iter()
        .zip(&sigs)
        .zip(&exposed)
        .filter(|(_, shown)| **shown)
        .map(|((f, sig), _)| {
            let body = g.body(f, &linked);
            quote!(#[inline] #sig { #body })
        });
    let linked_free = g.free_dispatch(|c| {
        let c = ident(c);
        quote!(__linked_sys::#c)
    });

    // Loaded.
    let loaded = Callee {
        fn_expr: Box::new(|c| {
            let c = ident(c);
            quote!((self.fns.#c))
        }),
        owner_id: quote!(::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const ()),
        owner_ref: quote!(::ffi_desc::rt::OwnerRef::Shared(self.inner.clone())),
        store: quote!(self.inner.store),
    };
    let loaded_methods = desc
        .functions
        .iter()
        .zip(&sigs)
        .zip(&exposed)
        .filter(|(_, shown)| **shown)
        .map(|((f, sig), _)| {
            let body = g.body(f, &loaded);
            quote!(#[inline] #sig { #body })
        });
    let fn_fields = unique.iter().map(|f| {
        let n = ident(&f.symbol());
        let t = g.raw_fn_ptr_ty(f);
        quote!(#n: #t)
    });
    let fn_inits = unique.iter().enumerate().map(|(i, f)| {
        let n = ident(&f.symbol());
        let t = g.raw_fn_ptr_ty(f);
        // SAFETY (generated) below: a non-null symbol address of the described type.
        quote! {
            // SAFETY: the symbol was resolved (non-null) from the library the
            // caller of `open` vouched for, and the description states its type.
            #n: unsafe { ::core::mem::transmute::<*mut ::ffi_desc::c::c_void, #t>(__syms[#i]) }
        }
    });
    let c_names: Vec<String> = unique.iter().map(|f| f.symbol()).collect();
    let loaded_free = g.free_dispatch(|c| {
        let c = ident(c);
        quote!((self.fns.#c))
    });
    let sonames = &desc.sonames;
    let library = &desc.library;

    // Isolated.
    let isolated_ident = format_ident!("{}Isolated", desc.trait_name);
    let wire_impls = g.wire_impls();
    let isolated_methods = desc
        .functions
        .iter()
        .zip(&sigs)
        .enumerate()
        .filter(|(i, _)| exposed[*i])
        .map(|(i, (f, sig))| {
            let body = g.isolated_body(f, i as u32);
            quote!(#sig { #body })
        });
    let server_fns = desc.functions.iter().map(|f| g.server_fn(f));
    let server_arms = desc.functions.iter().enumerate().map(|(i, f)| {
        let i = i as u32;
        let n = format_ident!("__srv_{}", f.name);
        quote!(#i => #n(ctx, args, out),)
    });
    let server_tramps = g.server_trampolines();
    let iso_free_arms = desc
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Opaque { .. }))
        .enumerate()
        .map(|(i, t)| {
            let TypeKind::Opaque { free, .. } = &t.kind else {
                unreachable!()
            };
            let idx = desc
                .functions
                .iter()
                .position(|f| &f.name == free)
                .unwrap_or(0) as u32;
            quote!(#i => #idx,)
        });
    let n_functions = desc.functions.len() as u32;
    let module_name = mod_ident.to_string();

    quote! {
        #(#mod_attrs)*
        #vis mod #mod_ident {
            #![allow(non_camel_case_types, non_snake_case, dead_code, clippy::all, unused_imports)]
            #(#passthrough)*

            #types

            /// The description's IR as canonical JSON.
            pub const DESCRIPTION_JSON: &str = #json;
            /// The description's fingerprint (SHA-256 of the canonical JSON, first 16 bytes).
            pub const FINGERPRINT: [u8; 16] = [#(#fp),*];

            ::ffi_desc::__if_std! {
            /// The description's IR.
            pub fn description() -> &'static ::ffi_desc::ir::Description {
                static D: ::ffi_desc::__private::OnceLock<::ffi_desc::ir::Description> =
                    ::ffi_desc::__private::OnceLock::new();
                D.get_or_init(|| {
                    ::ffi_desc::__private::serde_json::from_str(DESCRIPTION_JSON)
                        .expect("the IR text was written by #[foreign] itself")
                })
            }
            }

            #(#trait_attrs)*
            #trait_vis trait #trait_ident {
                #(#trait_items)*
            }

            ::ffi_desc::__if_std! {
            #trampolines

            mod __linked_sys {
                use super::*;
                #link_attr
                extern "C" {
                    #(#decls)*
                }
            }

            struct __LinkedOwner(u8);
            static __LINKED_OWNER: __LinkedOwner = __LinkedOwner(0);
            impl ::ffi_desc::rt::HandleOwner for __LinkedOwner {
                fn release(&self, type_index: usize, raw: u64) {
                    #linked_free
                }
            }

            /// The Linked linkage: direct calls to symbols resolved at link time.
            #[derive(Clone, Copy, Debug, Default)]
            pub struct #linked_ident;

            impl #linked_ident {
                /// The linkage (it holds nothing: the symbols are linked in).
                pub const fn new() -> Self { #linked_ident }
            }

            impl ::ffi_desc::Linkage for #linked_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "linked" }
            }

            impl #trait_ident for #linked_ident {
                #(#linked_methods)*
            }

            #[derive(Clone, Copy)]
            struct __Fns { #(#fn_fields),* }

            struct __LoadedInner {
                fns: __Fns,
                store: ::ffi_desc::rt::CallbackStore,
                lib: ::ffi_desc::rt::LoadedLibrary,
            }

            impl ::ffi_desc::rt::HandleOwner for __LoadedInner {
                fn release(&self, type_index: usize, raw: u64) {
                    #loaded_free
                }
            }

            /// The Loaded linkage: the library is opened at run time and every
            /// described symbol is resolved when it is opened. The library stays
            /// loaded while this value, a clone of it, or anything obtained from
            /// it (a handle, a stored callback) lives.
            #[derive(Clone)]
            pub struct #loaded_ident {
                // A copy of the symbol table beside the Arc: a call loads its
                // function pointer straight from `self`.
                fns: __Fns,
                inner: ::ffi_desc::__private::Arc<__LoadedInner>,
            }

            impl ::core::fmt::Debug for #loaded_ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(stringify!(#loaded_ident)).field("library", &self.inner.lib.name()).finish()
                }
            }

            impl #loaded_ident {
                /// The C symbols resolved at open, in order.
                pub const SYMBOLS: &'static [&'static str] = &[#(#c_names),*];

                /// Opens the library at `path` (a path or a soname) and resolves every
                /// described symbol; a missing one fails with every missing name listed.
                ///
                /// # Safety
                /// Opening runs the library's initialisers, and the library's symbols
                /// are trusted to have the types the description gives them.
                pub unsafe fn open(path: impl AsRef<::ffi_desc::__private::OsStr>) -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    // SAFETY: forwarded to the caller.
                    let lib = unsafe { ::ffi_desc::rt::LoadedLibrary::open(path.as_ref()) }?;
                    Self::resolve(lib)
                }

                /// Opens the library by its usual sonames.
                ///
                /// # Safety
                /// As [`Self::open`].
                pub unsafe fn open_default() -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    // SAFETY: forwarded to the caller.
                    let lib = unsafe { ::ffi_desc::rt::LoadedLibrary::open_first(&[#(#sonames),*]) }
                        .map_err(|e| match e {
                            ::ffi_desc::Error::Open { reason, .. } => ::ffi_desc::Error::Open { library: #library.into(), reason },
                            other => other,
                        })?;
                    Self::resolve(lib)
                }

                fn resolve(lib: ::ffi_desc::rt::LoadedLibrary) -> ::core::result::Result<Self, ::ffi_desc::Error> {
                    let __syms = lib.resolve(Self::SYMBOLS)?;
                    let fns = __Fns { #(#fn_inits),* };
                    ::core::result::Result::Ok(#loaded_ident {
                        fns,
                        inner: ::ffi_desc::__private::Arc::new(__LoadedInner {
                            fns,
                            store: ::core::default::Default::default(),
                            lib,
                        }),
                    })
                }
            }

            impl ::ffi_desc::Linkage for #loaded_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "loaded" }
            }

            impl #trait_ident for #loaded_ident {
                #(#loaded_methods)*
            }
            }

            #wire_impls

            struct __IsoInner {
                chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>,
                stored: ::ffi_desc::isolated::StoredCallbacks,
            }

            impl ::ffi_desc::rt::HandleOwner for __IsoInner {
                #[allow(unreachable_code)]
                fn release(&self, type_index: usize, raw: u64) {
                    // A handle of an earlier incarnation died with its domain.
                    if ::ffi_desc::isolated::handle_generation(raw) != self.chan.generation() {
                        return;
                    }
                    #[allow(unreachable_patterns)]
                    let free: u32 = match type_index { #(#iso_free_arms)* _ => return };
                    let mut req = ::ffi_desc::__private::Vec::new();
                    ::ffi_desc::wire::Wire::put(&raw, &mut req);
                    let mut reply = ::ffi_desc::__private::Vec::new();
                    // A failure here means the domain died; its objects died with it.
                    let _ = self.chan.call(free, &req, &mut reply, &mut |_, _, _| {
                        ::core::result::Result::Err(::ffi_desc::wire::WireError("no callbacks while freeing"))
                    });
                }
            }

            /// The Isolated linkage: the C library runs in a separate domain and
            /// every call crosses a [`Channel`](::ffi_desc::isolated::Channel) as
            /// a request. Nothing the domain sends is trusted: replies are decoded
            /// with bounds, enum values and lengths are checked, and handles are
            /// ids tagged with the domain's incarnation.
            #[derive(Clone)]
            pub struct #isolated_ident {
                inner: ::ffi_desc::__private::Arc<__IsoInner>,
            }

            impl ::core::fmt::Debug for #isolated_ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(stringify!(#isolated_ident)).field("generation", &self.inner.chan.generation()).finish()
                }
            }

            impl #isolated_ident {
                /// The linkage over a connected channel to a domain serving this description.
                pub fn with_channel(chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>) -> Self {
                    #isolated_ident {
                        inner: ::ffi_desc::__private::Arc::new(__IsoInner { chan, stored: ::core::default::Default::default() }),
                    }
                }

                /// The channel, for its transport-specific controls.
                pub fn channel(&self) -> &dyn ::ffi_desc::isolated::Channel {
                    &*self.inner.chan
                }
            }

            impl ::ffi_desc::isolated::IsolatedLinkage for #isolated_ident {
                const FINGERPRINT: [u8; 16] = FINGERPRINT;
                fn from_channel(chan: ::ffi_desc::__private::Box<dyn ::ffi_desc::isolated::Channel>) -> Self {
                    Self::with_channel(chan)
                }
            }

            ::ffi_desc::__if_std! {
            impl ::ffi_desc::Linkage for #isolated_ident {
                fn description() -> &'static ::ffi_desc::ir::Description { description() }
                fn linkage_name(&self) -> &'static str { "isolated" }
            }
            }

            impl #trait_ident for #isolated_ident {
                #(#isolated_methods)*
            }

            ::ffi_desc::__if_std! {
            #server_tramps
            #(#server_fns)*

            fn __server_dispatch(
                ctx: &dyn ::ffi_desc::isolated::ServerCtx,
                function: u32,
                args: &[u8],
                out: &mut ::ffi_desc::__private::Vec<u8>,
            ) -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                match function {
                    #(#server_arms)*
                    _ => ::core::result::Result::Err(::ffi_desc::wire::WireError("unknown function index")),
                }
            }

            /// The server a domain runs for this description: decodes each call,
            /// calls the C library linked into the domain, encodes the reply.
            pub fn server() -> ::ffi_desc::isolated::ServerSpec {
                ::ffi_desc::isolated::ServerSpec {
                    name: #module_name,
                    fingerprint: FINGERPRINT,
                    functions: #n_functions,
                    dispatch: __server_dispatch,
                }
            }
            }
        }
    }
}

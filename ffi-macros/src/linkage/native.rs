//! What Linked and Loaded share: the body of a safe method, which prepares
//! the C arguments from the safe ones, calls C in this process and makes the
//! result, and the release of handles. The two differ only in the tokens of
//! a [`Callee`].

use crate::gen::Gen;
use crate::gen::{ident, unresolved};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// How a linkage reaches C: the tokens that differ between Linked and Loaded.
pub(crate) struct Callee {
    /// The expression that names a C function, given its C name.
    pub(crate) fn_expr: Box<dyn Fn(&str) -> TokenStream>,
    /// The identity of the handle owner (`*const ()`).
    pub(crate) owner_id: TokenStream,
    /// An `OwnerRef` for a new handle.
    pub(crate) owner_ref: TokenStream,
    /// The callback store.
    pub(crate) store: TokenStream,
}

impl Gen<'_> {
    /// The body of a safe method for one linkage.
    pub(crate) fn native_body(&self, f: &Function, c: &Callee) -> TokenStream {
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

    /// The `release` of a handle owner: the free function of the handle's type.
    pub(crate) fn free_dispatch(&self, call: impl Fn(&str) -> TokenStream) -> TokenStream {
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

    /// The methods of the trait for Linked or Loaded.
    pub(crate) fn native_methods(&self, c: &Callee) -> Vec<TokenStream> {
        self.methods()
            .map(|(_, f)| {
                let sig = self.safe_sig(f);
                let body = self.native_body(f, c);
                quote!(#[inline] #sig { #body })
            })
            .collect()
    }
}

//! The server a domain runs: one function per described function, which
//! decodes the request into memory it owns, calls the C library linked into
//! the domain and encodes the reply; the dispatch by function number; and
//! the [`ServerSpec`](ffi_desc::isolated::ServerSpec) the domain serves.

use crate::gen::unresolved;
use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    /// The server function that serves one described function.
    fn server_fn(&self, f: &Function) -> TokenStream {
        let name = format_ident!("__srv_{}", f.name);
        let mut pre = Vec::new();
        let mut args = Vec::new();
        let mut post = Vec::new();
        let mut user_ptr: std::collections::BTreeMap<String, TokenStream> = Default::default();
        for p in &f.params {
            let var = format_ident!("__arg_{}", p.name);
            let v = format_ident!("__v_{}", p.name);
            match &p.kind {
                ParamKind::Unresolved { .. } => pre.push(unresolved()),
                ParamKind::Value(ty) => {
                    let t = self.raw_value_ty(ty);
                    pre.push(quote!(let #var: #t = ::ffi_desc::wire::Wire::get(&mut __r)?;));
                }
                ParamKind::Pointer { dir, elem, extent } => {
                    let e = self.stored_ty(elem);
                    match (dir, extent) {
                        (_, Extent::NulTerminated) => pre.push(quote! {
                            let #v = ::ffi_desc::wire::get_cstring(&mut __r)?;
                            let #var = #v.as_ptr();
                        }),
                        (Direction::Out, Extent::One) => {
                            pre.push(quote! {
                                let mut #v: #e = ::core::default::Default::default();
                                let #var = &mut #v as *mut #e;
                            });
                            post.push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
                        }
                        (Direction::Out, Extent::Fixed(n)) => {
                            let n = *n as usize;
                            pre.push(quote! {
                                let mut #v: [#e; #n] = ::core::default::Default::default();
                                let #var = #v.as_mut_ptr();
                            });
                            post.push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
                        }
                        (_, Extent::One) => {
                            pre.push(quote! {
                                let mut #v: #e = ::ffi_desc::wire::Wire::get(&mut __r)?;
                                let #var = &mut #v as *mut #e;
                            });
                            if *dir == Direction::InOut {
                                post.push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
                            }
                        }
                        (_, Extent::Fixed(n)) => {
                            let n = *n as usize;
                            pre.push(quote! {
                                let mut #v: [#e; #n] = ::ffi_desc::wire::Wire::get(&mut __r)?;
                                let #var = #v.as_mut_ptr();
                            });
                            if *dir == Direction::InOut {
                                post.push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
                            }
                        }
                        (Direction::In, Extent::Param(_)) => pre.push(quote! {
                            let #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::wire::get_vec(&mut __r)?;
                            let #var = #v.as_ptr();
                        }),
                        (dir, Extent::Param(len)) => {
                            if *dir == Direction::InOut {
                                pre.push(quote!(let mut #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::wire::get_vec(&mut __r)?;));
                            } else {
                                pre.push(quote! {
                                    let __cap = __r.capacity(::ffi_desc::isolated::MAX_BUFFER_ELEMENTS)?;
                                    let mut #v: ::ffi_desc::__private::Vec<#e> = ::ffi_desc::__private::vec![::core::default::Default::default(); __cap];
                                });
                            }
                            pre.push(quote!(let #var = #v.as_mut_ptr();));
                            let by_pointer = f.params.iter().any(|q| {
                                q.name == *len && matches!(q.kind, ParamKind::Length { by_pointer: true, .. })
                            });
                            if by_pointer {
                                let lv = format_ident!("__arg_{}", len);
                                post.push(quote! {
                                    let __n = usize::try_from(#lv).unwrap_or(usize::MAX).min(#v.len());
                                    ::ffi_desc::wire::put_slice(&#v[..__n], __out);
                                });
                            } else {
                                post.push(quote!(::ffi_desc::wire::put_slice(&#v, __out);));
                            }
                        }
                    }
                }
                ParamKind::Handle { ty, consume } => {
                    let idx = self.opaque_index(ty);
                    let id = format_ident!("__id_{}", p.name);
                    let get = if *consume {
                        quote!(handle_remove)
                    } else {
                        quote!(handle_get)
                    };
                    pre.push(quote! {
                        let #id: u64 = ::ffi_desc::wire::Wire::get(&mut __r)?;
                        let #var = __ctx.#get(#idx, #id)?;
                    });
                }
                ParamKind::Callback {
                    ty,
                    stored,
                    user_data,
                    ..
                } => {
                    let tramp = format_ident!("__srv_tramp_{}", ty);
                    let id = format_ident!("__cbid_{}", p.name);
                    pre.push(quote! {
                        let #id: u32 = ::ffi_desc::wire::Wire::get(&mut __r)?;
                        let #var = ::core::option::Option::Some(#tramp as _);
                    });
                    let ptr = if *stored {
                        // C keeps the pointer: the id lives as long as the domain.
                        quote!(::ffi_desc::__private::Box::into_raw(::ffi_desc::__private::Box::new(#id)) as *mut ::ffi_desc::c::c_void)
                    } else {
                        quote!(&#id as *const u32 as *mut ::ffi_desc::c::c_void)
                    };
                    user_ptr.insert(user_data.clone(), ptr);
                }
                ParamKind::Length { .. } | ParamKind::UserData => {}
            }
        }
        // Lengths and user data, once the buffers and callbacks exist.
        for p in &f.params {
            let var = format_ident!("__arg_{}", p.name);
            match &p.kind {
                ParamKind::Length { ty, by_pointer } => {
                    let bufs = self.buffers_of(f, &p.name);
                    let lead = bufs
                        .iter()
                        .find(|(_, d)| *d == Direction::In)
                        .or_else(|| bufs.first())
                        .map(|(b, _)| format_ident!("__v_{}", b.name));
                    let t = scalar_tokens(*ty);
                    let Some(lead) = lead else { continue };
                    for (b, _) in &bufs {
                        let bv = format_ident!("__v_{}", b.name);
                        pre.push(quote! {
                            if #bv.len() < #lead.len() {
                                return ::core::result::Result::Err(::ffi_desc::wire::WireError("buffers sharing a length differ"));
                            }
                        });
                    }
                    let m = if *by_pointer { quote!(mut) } else { quote!() };
                    pre.push(quote! {
                        let #m #var: #t = <#t>::try_from(#lead.len()).map_err(|_| ::ffi_desc::wire::WireError("length does not fit"))?;
                    });
                    if *by_pointer {
                        post.push(quote!(::ffi_desc::wire::Wire::put(&(u64::try_from(#var).unwrap_or(u64::MAX)), __out);));
                    }
                }
                ParamKind::UserData => {
                    let ptr = user_ptr
                        .get(&p.name)
                        .cloned()
                        .unwrap_or(quote!(::core::ptr::null_mut()));
                    pre.push(quote!(let #var: *mut ::ffi_desc::c::c_void = #ptr;));
                }
                _ => {}
            }
        }
        // Post-call encodings must follow parameter order; re-sort by walking again.
        let mut ordered_post = Vec::new();
        {
            // Rebuild in parameter order: each param contributes at most one item.
            let mut per_param: Vec<(String, TokenStream)> = Vec::new();
            let mut it = post.into_iter();
            for p in &f.params {
                let contributes = match &p.kind {
                    ParamKind::Pointer {
                        dir: Direction::Out,
                        ..
                    } => true,
                    ParamKind::Pointer {
                        dir: Direction::InOut,
                        extent,
                        ..
                    } => !matches!(extent, Extent::NulTerminated),
                    _ => false,
                };
                if contributes {
                    if let Some(t) = it.next() {
                        per_param.push((p.name.clone(), t));
                    }
                }
            }
            let length_posts: Vec<TokenStream> = it.collect();
            let mut lens = length_posts.into_iter();
            for p in &f.params {
                if let Some((_, t)) = per_param.iter().find(|(n, _)| *n == p.name) {
                    ordered_post.push(t.clone());
                }
                if matches!(
                    p.kind,
                    ParamKind::Length {
                        by_pointer: true,
                        ..
                    }
                ) {
                    if let Some(t) = lens.next() {
                        ordered_post.push(t);
                    }
                }
            }
        }
        for p in &f.params {
            let var = format_ident!("__arg_{}", p.name);
            if let ParamKind::Length {
                by_pointer: true, ..
            } = p.kind
            {
                args.push(quote!(&mut #var));
            } else {
                args.push(quote!(#var));
            }
        }
        let c = ident(&f.symbol());
        let (errno_pre, errno_post) = if f.errno {
            (
                quote!(::ffi_desc::rt::set_errno(0);),
                quote!(let __errno: i32 = ::ffi_desc::rt::errno();),
            )
        } else {
            (quote!(), quote!())
        };
        let ret = match &f.ret {
            Return::Unresolved { .. } => unresolved(),
            Return::Void => quote!(let _ = __ret;),
            Return::Value(_) => quote!(::ffi_desc::wire::Wire::put(&__ret, __out);),
            Return::Handle { ty } => {
                let idx = self.opaque_index(ty);
                quote! {
                    let __id: u64 = if __ret.is_null() { 0 } else { __ctx.handle_insert(#idx, __ret)? };
                    ::ffi_desc::wire::Wire::put(&__id, __out);
                }
            }
            Return::CStr(own) => {
                let free = match own {
                    Ownership::Borrowed => quote!(),
                    Ownership::Owned { free } => {
                        let free = ident(&self.desc.symbol_of(free));
                        quote! {
                            if !__ret.is_null() {
                                // SAFETY: the description names this function as the one
                                // that frees strings this function returns.
                                unsafe { __linked_sys::#free(__ret as _) };
                            }
                        }
                    }
                };
                quote! {
                    let __s = if __ret.is_null() {
                        ::core::option::Option::None
                    } else {
                        // SAFETY: the description promises a NUL-terminated string.
                        ::core::option::Option::Some(unsafe { ::core::ffi::CStr::from_ptr(__ret) })
                    };
                    ::ffi_desc::wire::put_opt_str(__s, __out);
                    #free
                }
            }
        };
        let errno_put = f
            .errno
            .then(|| quote!(::ffi_desc::wire::Wire::put(&__errno, __out);));
        quote! {
            #[allow(unused_mut, unused_variables, clippy::all)]
            fn #name(
                __ctx: &dyn ::ffi_desc::isolated::ServerCtx,
                __args: &[u8],
                __out: &mut ::ffi_desc::__private::Vec<u8>,
            ) -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                let mut __r = ::ffi_desc::wire::Reader::new(__args);
                #(#pre)*
                __r.finish()?;
                #errno_pre
                // SAFETY: every argument was decoded into memory this function owns,
                // with the extents the description states; handles were looked up in
                // the table of pointers C gave out.
                let __ret = unsafe { __linked_sys::#c(#(#args),*) };
                #errno_post
                #ret
                #(#ordered_post)*
                #errno_put
                ::core::result::Result::Ok(())
            }
        }
    }

    /// Everything the domain's side needs (std only: a domain is a process).
    pub(crate) fn server_items(&self) -> TokenStream {
        let desc = self.desc;
        let server_tramps = self.server_trampolines();
        let server_fns = desc.functions.iter().map(|f| self.server_fn(f));
        let server_arms = desc.functions.iter().enumerate().map(|(i, f)| {
            let i = i as u32;
            let n = format_ident!("__srv_{}", f.name);
            quote!(#i => #n(ctx, args, out),)
        });
        let n_functions = desc.functions.len() as u32;
        let module_name = self.m.mod_ident.to_string();
        quote! {
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

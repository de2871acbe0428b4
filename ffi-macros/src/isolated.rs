//! The Isolated linkage: a client that encodes each call onto the wire, and
//! the server dispatch that decodes it inside the domain and calls C.
//!
//! Both halves walk the parameters in the same order; `ffi_desc::wire`
//! documents the encoding.

use crate::expand::{ident, scalar_tokens, unresolved, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The number of a stored-callback slot: its index among the description's
/// slots ([`Description::callback_slots`]).
fn slot_index(desc: &Description, slot: &str) -> u32 {
    desc.callback_slots()
        .iter()
        .position(|s| *s == slot)
        .and_then(|i| u32::try_from(i).ok())
        .expect("a slot the parser checked")
}

impl Gen<'_> {
    /// `Wire` impls for the description's structs and unions.
    pub(crate) fn wire_impls(&self) -> TokenStream {
        let mut out = Vec::new();
        for t in &self.desc.types {
            let name = ident(&t.name);
            match &t.kind {
                TypeKind::Struct { fields, layout } => {
                    let size = layout.size as usize;
                    let puts = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        quote!(::ffi_desc::wire::Wire::put(&self.#fname, out);)
                    });
                    let gets = fields.iter().map(|f| {
                        let fname = ident(&f.name);
                        quote!(#fname: ::ffi_desc::wire::Wire::get(r)?,)
                    });
                    out.push(quote! {
                        impl ::ffi_desc::wire::Wire for #name {
                            const SIZE: usize = #size;
                            #[inline]
                            fn put(&self, out: &mut ::ffi_desc::__private::Vec<u8>) { #(#puts)* }
                            #[inline]
                            fn get(r: &mut ::ffi_desc::wire::Reader<'_>) -> ::core::result::Result<Self, ::ffi_desc::wire::WireError> {
                                ::core::result::Result::Ok(#name { #(#gets)* })
                            }
                        }
                        impl ::core::default::Default for #name {
                            fn default() -> Self {
                                // SAFETY: a described struct holds only scalars, arrays,
                                // enum fields and other described structs and unions, all
                                // of which are valid when all-zero.
                                unsafe { ::core::mem::zeroed() }
                            }
                        }
                    });
                }
                TypeKind::Union { layout, .. } => {
                    let size = layout.size as usize;
                    out.push(quote! {
                        impl ::ffi_desc::wire::Wire for #name {
                            const SIZE: usize = #size;
                            #[inline]
                            fn put(&self, out: &mut ::ffi_desc::__private::Vec<u8>) {
                                // SAFETY: the union is `#[repr(C)]` and `Copy`, of `SIZE`
                                // bytes; a union travels as its bytes, as C copies it.
                                let bytes: [u8; #size] = unsafe { ::core::mem::transmute_copy(self) };
                                out.extend_from_slice(&bytes);
                            }
                            #[inline]
                            fn get(r: &mut ::ffi_desc::wire::Reader<'_>) -> ::core::result::Result<Self, ::ffi_desc::wire::WireError> {
                                let bytes: [u8; #size] = r.array()?;
                                // SAFETY: every field of a described union is valid for
                                // any bit pattern (scalars and arrays of them).
                                ::core::result::Result::Ok(unsafe { ::core::mem::transmute_copy(&bytes) })
                            }
                        }
                        impl ::core::default::Default for #name {
                            fn default() -> Self {
                                // SAFETY: as for `get`: any bit pattern is a valid value.
                                unsafe { ::core::mem::zeroed() }
                            }
                        }
                    });
                }
                _ => {}
            }
        }
        quote!(#(#out)*)
    }

    fn wire_ty(&self, ty: &ValueType) -> TokenStream {
        match ty {
            ValueType::Named(n) if self.is_enum(n) => {
                scalar_tokens(self.enum_repr(n).unwrap_or(Scalar::Int))
            }
            other => self.stored_ty(other),
        }
    }

    /// The invoker that decodes a callback's arguments, runs the Rust closure
    /// `f`, and encodes its result.
    fn client_invoker_body(&self, cb: &CallbackDef, f: TokenStream) -> TokenStream {
        let mut decode = Vec::new();
        let mut args = Vec::new();
        for (i, p) in cb.params.iter().enumerate() {
            let a = format_ident!("__a{}", i);
            match p {
                CallbackParam::Value { ty, .. } => {
                    let t = self.stored_ty(ty);
                    decode.push(quote!(let #a: #t = ::ffi_desc::wire::Wire::get(&mut __r)?;));
                    args.push(quote!(#a));
                }
                CallbackParam::CStr { .. } => {
                    decode.push(quote!(let #a = ::ffi_desc::wire::get_opt_cstring(&mut __r)?;));
                    args.push(quote!(#a.as_deref().unwrap_or(c"")));
                }
                CallbackParam::UserData { .. } => {}
            }
        }
        let put = match &cb.ret {
            None => quote!(let _ = __res;),
            Some(_) => quote!(::ffi_desc::wire::Wire::put(&__res, __out);),
        };
        quote! {
            let mut __r = ::ffi_desc::wire::Reader::new(__args);
            #(#decode)*
            __r.finish()?;
            // SAFETY: all-zero is a valid value of every callback result type.
            let __res = ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || #f(#(#args),*));
            #put
            ::core::result::Result::Ok(())
        }
    }

    /// The body of an Isolated client method.
    pub(crate) fn isolated_body(&self, f: &Function, index: u32) -> TokenStream {
        let fname = &f.name;
        let mut pre = Vec::new();
        let mut invokers = Vec::new();
        let mut post = Vec::new();
        let mut disarm = Vec::new();
        let mut outs: Vec<(String, TokenStream)> = Vec::new();
        // Length checks, identical to the other linkages.
        for p in &f.params {
            if let ParamKind::Length { ty, .. } = &p.kind {
                let bufs = self.buffers_of(f, &p.name);
                let lead = bufs
                    .iter()
                    .find(|(_, d)| *d == Direction::In)
                    .or_else(|| bufs.first())
                    .map(|(b, _)| format_ident!("{}", b.name));
                let Some(lead) = lead else { continue };
                let ln = format_ident!("__len_{}", p.name);
                let pname = &p.name;
                let t = scalar_tokens(*ty);
                pre.push(quote!(let #ln: usize = #lead.len();));
                for (b, _) in &bufs {
                    let bn = format_ident!("{}", b.name);
                    if bn != lead {
                        let bname = &b.name;
                        pre.push(
                            quote!(::ffi_desc::rt::at_least(#bn.len(), #ln, #fname, #bname)?;),
                        );
                    }
                }
                pre.push(quote!(let _: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;));
            }
        }
        // Scalars and structs by value or behind one pointer, plus 8 bytes for
        // each count, handle or id: the request's size before any buffer.
        let req_cap: usize = 16
            + f.params
                .iter()
                .map(|p| match &p.kind {
                    ParamKind::Value(v)
                    | ParamKind::Pointer {
                        elem: v,
                        extent: Extent::One,
                        ..
                    } => self.desc.layout_of(v).map_or(8, |l| l.size as usize),
                    _ => 8,
                })
                .sum::<usize>();
        let takes_callbacks = f
            .params
            .iter()
            .any(|p| matches!(p.kind, ParamKind::Callback { .. }));
        let take_panic =
            takes_callbacks.then(|| quote!(::ffi_desc::rt::take_callback_panic(#fname)?;));
        let mut local_callbacks = 0u32;
        let mut stored_arms = Vec::new();
        let mut confirms = Vec::new();
        // `#[clears(slot)]`: C forgets what the slot keeps, so its id is
        // refused from the moment the call is made.
        let clears: Vec<TokenStream> = f
            .clears
            .iter()
            .map(|slot| {
                let k = slot_index(self.desc, slot);
                quote!(self.inner.stored.clear_slot(#k);)
            })
            .collect();
        let mut counts = Vec::new();
        for p in &f.params {
            let pn = format_ident!("{}", p.name);
            let pname = &p.name;
            match &p.kind {
                ParamKind::Unresolved { .. } => pre.push(unresolved()),
                ParamKind::Value(ValueType::Named(n)) if self.is_enum(n) => {
                    pre.push(quote!(::ffi_desc::wire::Wire::put(&::ffi_desc::CEnum::to_raw(#pn), &mut __req);));
                }
                ParamKind::Value(_) => {
                    pre.push(quote!(::ffi_desc::wire::Wire::put(&#pn, &mut __req);))
                }
                ParamKind::Pointer { dir, elem, extent } => match (dir, extent) {
                    (_, Extent::NulTerminated) => {
                        let holder = format_ident!("__str_{}", p.name);
                        pre.push(quote! {
                            let #holder = ::ffi_desc::CStrArg::to_c_str(#pn, #fname, #pname)?;
                            ::ffi_desc::wire::put_str(&#holder, &mut __req);
                        });
                    }
                    (Direction::Out, Extent::One) => {
                        let e = self.stored_ty(elem);
                        let slot = format_ident!("__out_{}", p.name);
                        let conv = match elem {
                            ValueType::Named(n) if self.is_enum(n) => quote!(.get()?),
                            _ => quote!(),
                        };
                        post.push(quote! {
                            let #slot: #e = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                            let #slot = #slot #conv;
                        });
                        outs.push((p.name.clone(), quote!(#slot)));
                    }
                    (Direction::In, Extent::One | Extent::Fixed(_)) => {
                        pre.push(quote!(::ffi_desc::wire::Wire::put(#pn, &mut __req);))
                    }
                    (Direction::InOut, Extent::One | Extent::Fixed(_)) => {
                        pre.push(quote!(::ffi_desc::wire::Wire::put(&*#pn, &mut __req);));
                        post.push(quote!(*#pn = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;));
                    }
                    (Direction::Out, Extent::Fixed(_)) => {
                        post.push(quote!(*#pn = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;));
                    }
                    (Direction::In, Extent::Param(_)) => {
                        pre.push(quote!(::ffi_desc::wire::put_slice(#pn, &mut __req);))
                    }
                    (dir, Extent::Param(len)) => {
                        if *dir == Direction::InOut {
                            pre.push(quote!(::ffi_desc::wire::put_slice(&*#pn, &mut __req);));
                        } else {
                            pre.push(quote!(::ffi_desc::wire::Wire::put(&(#pn.len() as u64), &mut __req);));
                        }
                        let by_pointer = f.params.iter().any(|q| {
                            q.name == *len
                                && matches!(
                                    q.kind,
                                    ParamKind::Length {
                                        by_pointer: true,
                                        ..
                                    }
                                )
                        });
                        let count = format_ident!("__count_{}", p.name);
                        post.push(quote! {
                            let #count = ::ffi_desc::wire::get_into(&mut __r, &mut #pn[..]).map_err(__protocol)?;
                        });
                        if !by_pointer {
                            post.push(quote! {
                                if #count != #pn.len() {
                                    return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("short buffer in reply")));
                                }
                            });
                        }
                    }
                },
                ParamKind::Length {
                    by_pointer: true, ..
                } => {
                    let var = format_ident!("__arg_{}", p.name);
                    let ln = format_ident!("__len_{}", p.name);
                    post.push(quote! {
                        let #var: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                        let #var = ::ffi_desc::rt::len_back(#var, #ln, #fname, #pname)?;
                    });
                    // The count C reported must be the count of elements the
                    // reply carried, or the caller would read bytes never sent.
                    for (b, dir) in self.buffers_of(f, &p.name) {
                        if dir != Direction::In {
                            let count = format_ident!("__count_{}", b.name);
                            counts.push(quote! {
                                if #count != #var {
                                    return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("in-out length differs from the elements sent")));
                                }
                            });
                        }
                    }
                    outs.push((p.name.clone(), quote!(#var)));
                }
                ParamKind::Length { .. } | ParamKind::UserData => {}
                ParamKind::Handle { consume, .. } => {
                    let var = format_ident!("__id_{}", p.name);
                    pre.push(quote! {
                        let #var = #pn.core.raw_for(::ffi_desc::__private::Arc::as_ptr(&self.inner) as *const (), #fname, #pname)?;
                        if ::ffi_desc::isolated::handle_generation(#var) != __gen {
                            return ::core::result::Result::Err(::ffi_desc::Error::StaleHandle { function: #fname, param: #pname });
                        }
                        ::ffi_desc::wire::Wire::put(&#var, &mut __req);
                    });
                    if *consume {
                        pre.push(quote!(let mut #pn = #pn;));
                        disarm.push(quote!(#pn.core.disarm(); ::core::mem::drop(#pn);));
                    }
                }
                ParamKind::Callback {
                    ty, stored, slot, ..
                } => {
                    let cb = self.desc.callback(ty).expect("checked by the parser");
                    if *stored {
                        let body = self.client_invoker_body(cb, quote!(#pn));
                        let pending = format_ident!("__stored_{}", p.name);
                        let slot = match slot {
                            Some(slot) => {
                                let k = slot_index(self.desc, slot);
                                quote!(::core::option::Option::Some(#k))
                            }
                            None => quote!(::core::option::Option::None),
                        };
                        // Pending while this call runs (only its own dispatch
                        // reaches it), then kept by the incarnation the call ran in.
                        pre.push(quote! {
                            let #pending = self.inner.stored.register(__gen, #slot, ::ffi_desc::__private::Arc::new(
                                move |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                                    #body
                                },
                            )).map_err(|e| ::ffi_desc::Error::Domain {
                                function: #fname,
                                failure: ::ffi_desc::DomainFailure::Unavailable { reason: e.0.into() },
                            })?;
                            ::ffi_desc::wire::Wire::put(&#pending.id(), &mut __req);
                        });
                        stored_arms.push(quote! {
                            if __id == #pending.id() {
                                return #pending.invoke(__args, __out);
                            }
                        });
                        confirms.push(quote! {
                            #pending.confirm(__status.is_ok().then(|| self.inner.chan.generation()));
                        });
                    } else {
                        let body = self.client_invoker_body(cb, quote!(#pn));
                        let k = local_callbacks;
                        local_callbacks += 1;
                        let inv = format_ident!("__inv_{}", p.name);
                        pre.push(quote! {
                            let mut #inv = |__args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                                #body
                            };
                            ::ffi_desc::wire::Wire::put(&#k, &mut __req);
                        });
                        invokers.push(quote!(#k => #inv(__args, __out),));
                    }
                }
            }
        }
        let mut results = Vec::new();
        let ret_decode = match &f.ret {
            Return::Unresolved { .. } => unresolved(),
            Return::Void => quote!(),
            Return::Value(ValueType::Named(n)) if self.is_enum(n) => {
                let n = ident(n);
                let r = scalar_tokens(self.enum_repr(&n.to_string()).unwrap_or(Scalar::Int));
                results.push(quote!(__ret));
                quote! {
                    let __ret: #r = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                    let __ret = <#n as ::ffi_desc::CEnum>::checked(__ret)?;
                }
            }
            Return::Value(v) => {
                let t = self.stored_ty(v);
                results.push(quote!(__ret));
                quote!(let __ret: #t = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;)
            }
            Return::Handle { ty } => {
                let t = ident(ty);
                let idx = self.opaque_index(ty);
                results.push(quote!(__ret));
                quote! {
                    let __ret: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                    if __ret == 0 {
                        return ::core::result::Result::Err(::ffi_desc::Error::NullReturn { function: #fname });
                    }
                    if ::ffi_desc::isolated::handle_generation(__ret) != __gen {
                        return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("handle id of another incarnation")));
                    }
                    let __ret = #t { core: ::ffi_desc::rt::HandleCore::new(__ret, #idx, ::ffi_desc::rt::OwnerRef::Shared(self.inner.clone())) };
                }
            }
            Return::CStr(_) => {
                results.push(quote!(__ret));
                quote! {
                    let __ret = ::ffi_desc::wire::get_opt_cstring(&mut __r)
                        .map_err(__protocol)?
                        .ok_or(::ffi_desc::Error::NullReturn { function: #fname })?;
                }
            }
        };
        for p in &f.params {
            if let Some((_, v)) = outs.iter().find(|(n, _)| *n == p.name) {
                results.push(v.clone());
            }
        }
        let errno = f.errno.then(|| {
            results.push(quote!(__errno));
            quote!(let __errno = ::ffi_desc::Errno(::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?);)
        });
        let result = match results.len() {
            1 => results[0].clone(),
            _ => quote!((#(#results),*)),
        };
        quote! {
            let __gen = self.inner.chan.generation();
            let __protocol = |e: ::ffi_desc::wire::WireError| {
                self.inner.chan.violation(__gen, e.0);
                ::ffi_desc::Error::Domain {
                    function: #fname,
                    failure: ::ffi_desc::DomainFailure::Protocol { what: e.0.into() },
                }
            };
            #(#clears)*
            // Room for every fixed-size argument at once: no regrowth while encoding.
            let mut __req: ::ffi_desc::__private::Vec<u8> = ::ffi_desc::__private::Vec::with_capacity(#req_cap);
            #(#pre)*
            let __inner = &*self.inner;
            // Only the ids this call issued, or a stored callback the
            // incarnation serving the call keeps, are answered; any other id
            // (or arguments that do not decode) is an error, which the
            // channel treats as a protocol violation.
            let mut __dispatch = |__id: u32, __args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                if __id & ::ffi_desc::isolated::STORED_CALLBACK != 0 {
                    #(#stored_arms)*
                    return match __inner.stored.get(__id, __inner.chan.generation()) {
                        ::core::option::Option::Some(__f) => __f(__args, __out),
                        ::core::option::Option::None => ::core::result::Result::Err(::ffi_desc::wire::WireError("unknown stored callback id")),
                    };
                }
                #[allow(unreachable_code, unused_variables)]
                match __id {
                    #(#invokers)*
                    _ => ::core::result::Result::Err(::ffi_desc::wire::WireError("unknown callback id")),
                }
            };
            let mut __reply = ::ffi_desc::__private::Vec::new();
            let __status = self.inner.chan.call(#index, &__req, &mut __reply, &mut __dispatch);
            #(#confirms)*
            #(#disarm)*
            __status.map_err(|failure| ::ffi_desc::Error::Domain { function: #fname, failure })?;
            #take_panic
            let mut __r = ::ffi_desc::wire::Reader::new(&__reply);
            #ret_decode
            #(#post)*
            #(#counts)*
            #errno
            __r.finish().map_err(__protocol)?;
            ::core::result::Result::Ok(#result)
        }
    }

    /// The server function that serves one described function.
    pub(crate) fn server_fn(&self, f: &Function) -> TokenStream {
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
                    let t = self.wire_ty(ty);
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

    /// Trampolines through which C, inside the domain, reaches client callbacks.
    pub(crate) fn server_trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let name = format_ident!("__srv_tramp_{}", cb.name);
            let mut raw = Vec::new();
            let mut enc = Vec::new();
            let mut user = quote!(::core::ptr::null_mut::<::ffi_desc::c::c_void>());
            for (i, p) in cb.params.iter().enumerate() {
                let a = format_ident!("__a{}", i);
                match p {
                    CallbackParam::Value { ty, .. } => {
                        let t = self.raw_value_ty(ty);
                        raw.push(quote!(#a: #t));
                        enc.push(quote!(::ffi_desc::wire::Wire::put(&#a, &mut __args);));
                    }
                    CallbackParam::CStr { .. } => {
                        raw.push(quote!(#a: *const ::ffi_desc::c::c_char));
                        enc.push(quote! {
                            let __s = if #a.is_null() {
                                ::core::option::Option::None
                            } else {
                                // SAFETY: C passes a NUL-terminated string valid for the callback.
                                ::core::option::Option::Some(unsafe { ::core::ffi::CStr::from_ptr(#a) })
                            };
                            ::ffi_desc::wire::put_opt_str(__s, &mut __args);
                        });
                    }
                    CallbackParam::UserData { .. } => {
                        raw.push(quote!(#a: *mut ::ffi_desc::c::c_void));
                        user = quote!(#a);
                    }
                }
            }
            let (ret_ty, decode) = match &cb.ret {
                None => (quote!(()), quote!(let _ = __ok;)),
                Some(t) => {
                    let rt = self.raw_value_ty(t);
                    (
                        rt.clone(),
                        quote! {
                            let mut __r = ::ffi_desc::wire::Reader::new(&__reply);
                            match (__ok, <#rt as ::ffi_desc::wire::Wire>::get(&mut __r)) {
                                (true, ::core::result::Result::Ok(v)) if __r.finish().is_ok() => v,
                                // SAFETY: all-zero is a valid value of every callback result type.
                                _ => unsafe { ::core::mem::zeroed() },
                            }
                        },
                    )
                }
            };
            out.push(quote! {
                #[allow(non_snake_case)]
                unsafe extern "C" fn #name(#(#raw),*) -> #ret_ty {
                    let __user = #user;
                    if __user.is_null() {
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::core::mem::zeroed() };
                    }
                    // SAFETY: the user data is the callback id this domain passed to C.
                    let __id = unsafe { *(__user as *const u32) };
                    let mut __args = ::ffi_desc::__private::Vec::new();
                    #(#enc)*
                    let mut __reply = ::ffi_desc::__private::Vec::new();
                    let __ok = ::ffi_desc::isolated::server_callback(__id, &__args, &mut __reply).is_ok();
                    #decode
                }
            });
        }
        quote!(#(#out)*)
    }
}

//! The body of an Isolated client method: the arguments encoded into one
//! request, the call over the channel (answering the callbacks the domain
//! calls meanwhile), and the reply decoded with bounds and checks, since
//! nothing the domain sends is trusted.

use super::slot_index;
use crate::gen::Gen;
use crate::gen::{ident, unresolved};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    /// The body of an Isolated client method.
    /// The body of the method for function number `index`.
    pub(crate) fn client_body(&self, f: &Function, index: u32) -> TokenStream {
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
}

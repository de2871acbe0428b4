//! The body of an Isolated client method: the arguments encoded into one
//! request, the call over the channel (answering the callbacks the domain
//! calls meanwhile), and the reply decoded with bounds and checks, since
//! nothing the domain sends is trusted.

use super::slot_index;
use crate::gen::Gen;
use crate::ir::*;
use crate::meaning::{self, ClientPieces};
use crate::returns;
use proc_macro2::TokenStream;
use quote::quote;

/// Which method a client body is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The trait's method: the call blocks the calling thread.
    Sync,
    /// The async form's method (a function without callbacks): the call
    /// runs on a thread of the transport while the future waits.
    Async,
}

impl Gen<'_> {
    /// The body of the method for function number `index`.
    pub(crate) fn client_body(&self, f: &Function, index: u32) -> TokenStream {
        self.client_body_for(f, index, Form::Sync)
    }

    /// Whether the function has an async form: it passes no callback and
    /// reaches no kept one (a callback must run while C waits, on the
    /// calling thread, with what it borrows).
    pub(crate) fn has_async_form(&self, f: &Function) -> bool {
        let mut pieces = ClientPieces::default();
        for p in &f.params {
            meaning::of(self, f, p).client(&mut pieces);
        }
        !pieces.passes_callback && !self.reaches_kept_callbacks(f)
    }

    /// The body of the method for function number `index`, in `form`.
    pub(crate) fn client_body_for(&self, f: &Function, index: u32, form: Form) -> TokenStream {
        let fname = &f.name;
        let mut pieces = ClientPieces::default();
        // Scalars and structs by value or behind one pointer, plus 8 bytes for
        // each count, handle or id: the request's size before any buffer.
        let mut req_cap: usize = 16;
        for p in &f.params {
            let m = meaning::of(self, f, p);
            req_cap += m.request_size();
            m.client(&mut pieces);
        }
        let ClientPieces {
            lengths,
            encode,
            stored_arms,
            invokers,
            confirms,
            after_call,
            decode,
            counts,
            outs,
            passes_callback,
            bulk,
        } = pieces;
        let reports = passes_callback || self.reaches_kept_callbacks(f);
        let take_panic = reports.then(|| quote!(::ffi_desc::rt::take_callback_panic(#fname)?;));
        // `#[clears(slot)]`: C forgets what the slot keeps, so its id is
        // refused from the moment the call is made.
        let clears = f.clears.iter().map(|slot| {
            let k = slot_index(self.desc, slot);
            quote!(self.inner.stored.clear_slot(#k);)
        });
        let ret_decode = returns::of(self, f).client();
        let mut results = Vec::new();
        if !matches!(f.ret, Return::Void) {
            results.push(quote!(__ret));
        }
        results.extend(outs);
        let errno = f.errno.then(|| {
            results.push(quote!(__errno));
            quote!(let __errno = ::ffi_desc::Errno(::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?);)
        });
        // A thread-safe function may run beside other threads' calls.
        let concurrent = f.thread_safe;
        let call = match form {
            Form::Sync => {
                // Only a call that reports refusals takes a domain's notice of
                // one, so a hostile domain cannot plant a refusal that a later
                // call of another library on this thread would report.
                // The domain sends refusal notices for callbacks lent handles,
                // for those kept by call that it cannot route, and for any C
                // made from a thread of its own.
                let notices = reports;
                let routed = self.routed_handle();
                Self::sync_call(
                    index,
                    concurrent,
                    bulk,
                    notices,
                    &routed,
                    &stored_arms,
                    &invokers,
                )
            }
            Form::Async => quote! {
                let mut __reply = ::ffi_desc::__private::Vec::new();
                let __status = self
                    .inner
                    .chan
                    .call_async(#index, #concurrent, ::core::mem::take(&mut __req), __gen)
                    .await
                    .map(|__r| __reply = __r);
            },
        };
        // Segments (buffers lent to the channel) are collected while
        // encoding; once the call returned, only what C wrote into each is
        // kept, and the caller's slices are free again.
        let (segs, written) = if bulk {
            let threshold = match form {
                Form::Sync => quote!(self.inner.chan.bulk_threshold()),
                Form::Async => quote!(::core::option::Option::None),
            };
            (
                quote! {
                    let __bulk_threshold: ::core::option::Option<usize> = #threshold;
                    let mut __segs: ::ffi_desc::__private::Vec<::ffi_desc::bulk::Segment<'_>> = ::ffi_desc::__private::Vec::new();
                },
                quote! {
                    let __written: ::ffi_desc::__private::Vec<usize> = __segs.iter().map(|__s| __s.written()).collect();
                    drop(__segs);
                },
            )
        } else {
            (quote!(), quote!())
        };
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
            #(#lengths)*
            #segs
            #(#encode)*
            #call
            #written
            #(#confirms)*
            #(#after_call)*
            __status.map_err(|failure| ::ffi_desc::Error::Domain { function: #fname, failure })?;
            #take_panic
            let mut __r = ::ffi_desc::wire::Reader::new(&__reply);
            #ret_decode
            #(#decode)*
            #(#counts)*
            #errno
            __r.finish().map_err(__protocol)?;
            ::core::result::Result::Ok(#result)
        }
    }

    /// The dispatch's `__routed`, an `ffi_desc::isolated::SlotRoute` for
    /// the slot `__id` names: for a handle type kept by call, the id the
    /// innermost call of that type running on this thread sent
    /// (`Handle::client` records it, 0 for a view); for one with a context
    /// function, the type, whose handles with a table an honest domain may
    /// name; `Unknown` for a slot no handle type has.
    fn routed_handle(&self) -> TokenStream {
        let arms = self.on_slots().into_iter().map(|s| {
            let (k, idx) = (
                s.index | crate::callbacks::on_handle::ffi_handle_callback(),
                self.opaque_index(s.handle),
            );
            if self.desc.kept_by_call(s.handle) {
                quote! {
                    #k => ::ffi_desc::isolated::SlotRoute::ByCall(::ffi_desc::route::innermost(::ffi_desc::route::client_token(::ffi_desc::rt::description_token(&FINGERPRINT)), #idx)),
                }
            } else {
                quote!(#k => ::ffi_desc::isolated::SlotRoute::ByContext(#idx),)
            }
        });
        quote! {
            match __id {
                #(#arms)*
                _ => ::ffi_desc::isolated::SlotRoute::Unknown,
            }
        }
    }

    /// The call of the trait's method: it answers the callbacks the domain
    /// makes meanwhile.
    fn sync_call(
        index: u32,
        concurrent: bool,
        bulk: bool,
        notices: bool,
        routed: &TokenStream,
        stored_arms: &[TokenStream],
        invokers: &[TokenStream],
    ) -> TokenStream {
        let method = if concurrent {
            quote!(call_concurrent)
        } else {
            quote!(call)
        };
        let plain = quote!(self.inner.chan.#method(#index, &__req, &mut __reply, &mut __dispatch));
        let notice = notices.then(|| {
            quote! {
                if __id == ::ffi_desc::isolated::REFUSED_CALLBACK {
                    return ::ffi_desc::isolated::refused_in_domain(__args);
                }
            }
        });
        let send = if bulk {
            quote! {
                let __status = if __segs.is_empty() {
                    #plain
                } else {
                    self.inner.chan.call_bulk(#index, #concurrent, &__req, &mut __segs, &mut __reply, &mut __dispatch)
                };
            }
        } else {
            quote!(let __status = #plain;)
        };
        quote! {
            let __inner = &*self.inner;
            // Only the ids this call issued, or a stored callback the
            // incarnation serving the call keeps, are answered; any other id
            // (or arguments that do not decode) is an error, which the
            // channel treats as a protocol violation.
            let mut __dispatch = |__id: u32, __args: &[u8], __out: &mut ::ffi_desc::__private::Vec<u8>| -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                #notice
                if __id & (::ffi_desc::isolated::STORED_CALLBACK | ::ffi_desc::isolated::HANDLE_CALLBACK) == ::ffi_desc::isolated::HANDLE_CALLBACK {
                    let __routed: ::ffi_desc::isolated::SlotRoute = #routed;
                    return __inner.stored.invoke_on(__id, __args, __out, __inner.chan.generation(), __routed);
                }
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
            #send
        }
    }
}

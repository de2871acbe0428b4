//! What Linked and Loaded share: the body of a safe method, which prepares
//! the C arguments from the safe ones, calls C in this process and makes the
//! result, and the release of handles. The two differ only in the tokens of
//! a [`Callee`].

use crate::gen::Gen;
use crate::ir::*;
use crate::meaning::{self, NativePieces};
use crate::returns;
use proc_macro2::TokenStream;
use quote::quote;

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
        let mut pieces = NativePieces::default();
        let mut call_args = Vec::new();
        for p in &f.params {
            let m = meaning::of(self, f, p);
            m.native(c, &mut pieces);
            call_args.push(m.c_arg());
        }
        let NativePieces {
            lengths,
            prepare,
            late,
            after_call,
            reported_lengths,
            write_back,
            outs,
            passes_callback,
        } = pieces;
        let call = if f.view {
            returns::view_call(&meaning::arg_of(&f.params[0].name))
        } else {
            let callee = (c.fn_expr)(&f.symbol());
            quote!(#callee(#(#call_args),*))
        };
        // Only calls that pass a callback pay for the check: a stored callback
        // that panics when C calls it later is stopped all the same, and its
        // panic is reported by this thread's next call that passes a callback.
        let reports = passes_callback || self.reaches_kept_callbacks(f);
        let take = reports.then(|| quote!(::ffi_desc::rt::take_callback_panic(#fname)?;));
        let (errno_pre, errno_post) = if f.errno {
            (
                quote!(::ffi_desc::rt::set_errno(0);),
                quote!(let __errno = ::ffi_desc::Errno(::ffi_desc::rt::errno());),
            )
        } else {
            (quote!(), quote!())
        };
        let ret_conv = returns::of(self, f).native(c);
        let void = matches!(f.ret, Return::Void);
        let mut result = Vec::new();
        if !void {
            result.push(quote!(__ret));
        }
        result.extend(outs);
        if f.errno {
            result.push(quote!(__errno));
        }
        let result = match result.len() {
            1 => result[0].clone(),
            _ => quote!((#(#result),*)),
        };
        let unused_ret = void.then(|| quote!(let _ = __ret;));
        let (enter, leave) = self.native_caller(c).unwrap_or_default();
        quote! {
            #(#lengths)*
            #(#prepare)*
            #(#late)*
            #errno_pre
            // SAFETY (generated): every argument was prepared from a safe Rust
            // value as the description states: buffers with their lengths,
            // strings NUL-terminated, handles checked against their owner, and
            // callbacks with user data that outlives the call (or the linkage).
            #enter
            let __ret = unsafe { #call };
            #leave
            #errno_post
            #(#after_call)*
            #unused_ret
            #take
            #(#reported_lengths)*
            #(#write_back)*
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
            // A scoped handle is never owned, so never released.
            .filter(|(_, t)| !matches!(t.kind, TypeKind::Opaque { scoped: true, .. }))
            .map(|(i, t)| {
                let TypeKind::Opaque { free, storage, .. } = &t.kind else {
                    unreachable!()
                };
                let c_free = self
                    .desc
                    .function(free)
                    .expect("checked by the parser")
                    .symbol();
                let callee = call(&c_free);
                // State the caller allocates is the linkage's to release,
                // once C finalised it.
                let release = storage.map(|l| {
                    let (size, align) = (l.size as usize, l.align as usize);
                    quote!(::ffi_desc::state::release(raw as usize as *mut ::ffi_desc::c::c_void, #size, #align);)
                });
                quote! {
                    // SAFETY: `raw` is a live handle of this type created by this
                    // linkage instance, freed exactly once (the handle disarms).
                    #i => unsafe { let _ = #callee(raw as usize as *mut ::ffi_desc::c::c_void); #release },
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

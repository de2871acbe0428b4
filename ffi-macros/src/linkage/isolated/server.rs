//! The server a domain runs: one function per described function, which
//! decodes the request into memory it owns, calls the C library linked into
//! the domain and encodes the reply; the dispatch by function number; and
//! the [`ServerSpec`](ffi_desc::isolated::ServerSpec) the domain serves.

use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::meaning::{self, ServerPieces};
use crate::returns;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    /// The server function that serves one described function.
    fn server_fn(&self, f: &Function) -> TokenStream {
        let name = format_ident!("__srv_{}", f.name);
        let mut pieces = ServerPieces::default();
        let mut args = Vec::new();
        for p in &f.params {
            let m = meaning::of(self, f, p);
            m.server(&mut pieces);
            args.push(m.c_arg());
        }
        let ServerPieces {
            decode,
            late,
            write_back,
        } = pieces;
        let call = if f.view {
            returns::view_call(&meaning::arg_of(&f.params[0].name))
        } else {
            let c = ident(&f.symbol());
            quote!(__linked_sys::#c(#(#args),*))
        };
        let (errno_pre, errno_post) = if f.errno {
            (
                quote!(::ffi_desc::rt::set_errno(0);),
                quote!(let __errno: i32 = ::ffi_desc::rt::errno();),
            )
        } else {
            (quote!(), quote!())
        };
        // A call whose client reports refused callbacks is told of one C
        // made from a thread of its own (the client then fails the call).
        let passes_callback = f
            .params
            .iter()
            .any(|p| matches!(p.kind, ParamKind::Callback { .. }));
        let strays = (passes_callback || self.reaches_kept_callbacks(f))
            .then(|| quote!(::ffi_desc::isolated::server_report_strays();));
        let ret = returns::of(self, f).server();
        let errno_put = f
            .errno
            .then(|| quote!(::ffi_desc::wire::Wire::put(&__errno, __out);));
        quote! {
            #[allow(unused_mut, unused_variables, unreachable_code, unused_unsafe, clippy::all)]
            fn #name(
                __ctx: &dyn ::ffi_desc::isolated::ServerCtx,
                __args: &[u8],
                __out: &mut ::ffi_desc::__private::Vec<u8>,
            ) -> ::core::result::Result<(), ::ffi_desc::wire::WireError> {
                let mut __r = ::ffi_desc::wire::Reader::new(__args);
                #(#decode)*
                #(#late)*
                __r.finish()?;
                #errno_pre
                // SAFETY: every argument was decoded into memory this function owns,
                // with the extents the description states; handles were looked up in
                // the table of pointers C gave out.
                let __ret = unsafe { #call };
                #errno_post
                #strays
                #ret
                #(#write_back)*
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

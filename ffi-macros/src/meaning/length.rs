//! The length of one or more buffers, filled in by the linkage from the
//! slices the caller passed. By pointer (zlib's `uLongf *destLen`), C writes
//! back how many elements it produced, which joins the result after it is
//! checked against the capacity.

use super::pointer::buffer;
use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Length<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) ty: Scalar,
    pub(super) by_pointer: bool,
}

/// Who shares the length parameter `len` of `f`.
fn buffers_of<'f>(f: &'f Function, len: &str) -> Vec<(&'f Param, Direction)> {
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

/// Whether C writes the length `len` of `f` back (the length is by pointer).
pub(super) fn is_written_back(f: &Function, len: &str) -> bool {
    f.params.iter().any(|q| {
        q.name == *len
            && matches!(
                q.kind,
                ParamKind::Length {
                    by_pointer: true,
                    ..
                }
            )
    })
}

impl Length<'_> {
    fn buffers(&self) -> Vec<(&Param, Direction)> {
        buffers_of(self.cx.f, &self.cx.p.name)
    }

    /// The buffer whose length this is: the first input buffer, or the first
    /// buffer. Every other buffer sharing it must hold at least as many elements.
    fn lead<'p>(bufs: &[(&'p Param, Direction)]) -> Option<&'p Param> {
        bufs.iter()
            .find(|(_, d)| *d == Direction::In)
            .or_else(|| bufs.first())
            .map(|(b, _)| *b)
    }

    /// The caller's side (Linked, Loaded, the Isolated client): the length
    /// in `__len_<name>`, taken from the lead slice, and the other slices
    /// checked against it. `None` when no buffer uses the length.
    fn caller_checks(&self) -> Option<Vec<TokenStream>> {
        let bufs = self.buffers();
        let lead = Self::lead(&bufs)?;
        let (fname, ln) = (&self.cx.f.name, self.cx.local("__len_"));
        // A buffer that is `None` counts 0 elements.
        let lead_len = buffer::caller_len(lead);
        let mut checks = vec![quote!(let #ln: usize = #lead_len;)];
        for (b, _) in &bufs {
            if b.name != lead.name {
                let (bname, blen) = (&b.name, buffer::caller_len(b));
                checks.push(quote!(::ffi_desc::rt::at_least(#blen, #ln, #fname, #bname)?;));
            }
        }
        Some(checks)
    }
}

impl Meaning for Length<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        let t = scalar_tokens(self.ty);
        if self.by_pointer {
            quote!(*mut #t)
        } else {
            t
        }
    }

    fn result_ty(&self) -> Option<TokenStream> {
        self.by_pointer.then(|| quote!(usize))
    }

    fn c_arg(&self) -> TokenStream {
        let var = self.cx.arg();
        if self.by_pointer {
            quote!(&mut #var)
        } else {
            quote!(#var)
        }
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let Some(checks) = self.caller_checks() else {
            return;
        };
        out.lengths.extend(checks);
        let (var, ln, t) = (
            self.cx.arg(),
            self.cx.local("__len_"),
            scalar_tokens(self.ty),
        );
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        if self.by_pointer {
            out.lengths
                .push(quote!(let mut #var: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;));
            out.reported_lengths
                .push(quote!(let #var = ::ffi_desc::rt::len_back(#var, #ln, #fname, #pname)?;));
            out.outs.push(quote!(#var));
        } else {
            out.lengths
                .push(quote!(let #var: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;));
        }
    }

    fn client(&self, out: &mut ClientPieces) {
        let (var, ln, t) = (
            self.cx.arg(),
            self.cx.local("__len_"),
            scalar_tokens(self.ty),
        );
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        if let Some(checks) = self.caller_checks() {
            out.lengths.extend(checks);
            out.lengths
                .push(quote!(let _: #t = ::ffi_desc::rt::len_to(#ln, #fname, #pname)?;));
        }
        if !self.by_pointer {
            return;
        }
        out.decode.push(quote! {
            let #var: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
            let #var = ::ffi_desc::rt::len_back(#var, #ln, #fname, #pname)?;
        });
        // The count C reported must be the count of elements the reply
        // carried, or the caller would read bytes never sent.
        for (b, dir) in self.buffers() {
            if dir != Direction::In {
                let count = buffer::client_count(&b.name);
                out.counts.push(quote! {
                    if #count != #var {
                        return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("in-out length differs from the elements sent")));
                    }
                });
            }
        }
        out.outs.push(quote!(#var));
    }

    fn server(&self, out: &mut ServerPieces) {
        let bufs = self.buffers();
        let Some(lead) = Self::lead(&bufs) else {
            return;
        };
        let lead = buffer::server_vec(&lead.name);
        for (b, _) in &bufs {
            let bv = buffer::server_vec(&b.name);
            out.late.push(quote! {
                if #bv.len() < #lead.len() {
                    return ::core::result::Result::Err(::ffi_desc::wire::WireError("buffers sharing a length differ"));
                }
            });
        }
        let (var, t) = (self.cx.arg(), scalar_tokens(self.ty));
        let m = if self.by_pointer {
            quote!(mut)
        } else {
            quote!()
        };
        out.late.push(quote! {
            let #m #var: #t = <#t>::try_from(#lead.len()).map_err(|_| ::ffi_desc::wire::WireError("length does not fit"))?;
        });
        if self.by_pointer {
            out.write_back.push(
                quote!(::ffi_desc::wire::Wire::put(&(u64::try_from(#var).unwrap_or(u64::MAX)), __out);),
            );
        }
    }
}

//! Memory a handle lends: a function that takes a handle and a count, and
//! no other pointer, and returns a writable `void *` or `char *` (expat's
//! `XML_GetBuffer(parser, int len)`) hands out memory the handle holds. A count of another
//! function of that handle that no pointer of its own claims may count
//! bytes of that memory (`XML_ParseBuffer(parser, int len, int isFinal)`
//! parses `len` bytes of it, trusting `len`): drafted as a plain integer,
//! safe code could make C read past what it lent. Such a count is left
//! `Unresolved` with the guess beside it.

use super::collect::Declarations;
use super::ctype::CTy;
use super::handles::Handles;
use super::lengths::{is_count_name, is_count_type};
use super::names::Spellings;
use ffi_desc::ir::Scalar;
use std::collections::BTreeSet;

/// The Rust names of the handles some function lends memory of.
pub(super) fn lenders(
    decls: &Declarations,
    handles: &Handles,
    spellings: &Spellings,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in &decls.functions {
        let syn::ReturnType::Type(_, ret) = &f.ret else {
            continue;
        };
        if !is_writable_bytes(&decls.types.resolve(ret)) {
            continue;
        }
        let params: Vec<(String, CTy)> = f
            .params
            .iter()
            .map(|(n, t)| (n.clone(), decls.types.resolve(t)))
            .collect();
        let counted = params
            .iter()
            .any(|(n, t)| is_count_type(t) && is_count_name(n));
        // A pointer it is given may be what it returns (zlib's `gzgets`
        // returns its `buf`): only memory nothing else could have given.
        let only_handles = params.iter().all(|(_, t)| {
            !matches!(t.strip(), CTy::Ptr { .. }) || handles.of(t, spellings).is_some()
        });
        if !counted || !only_handles {
            continue;
        }
        for (_, t) in &params {
            if let Some(h) = handles.of(t, spellings) {
                out.insert(h.rust.clone());
            }
        }
    }
    out
}

/// Whether `t` is `void *` or `char *` (signed or not), not `const`.
fn is_writable_bytes(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { is_const: false, to } if matches!(
        to.strip(),
        CTy::Void | CTy::Scalar(Scalar::Char | Scalar::SChar | Scalar::UChar)
    ))
}

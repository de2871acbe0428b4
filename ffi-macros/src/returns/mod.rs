//! What a function returns: everything one [`Return`] meaning generates, in
//! one place, as [`crate::meaning`] does for parameters. Each generator binds
//! what C returned to `__ret` and asks the meaning to turn it into the safe
//! value (Linked, Loaded), to decode it from the reply (the Isolated client)
//! or to encode it into the reply (the server).

mod handle;
mod string;
mod unresolved;
mod value;
mod void;

use crate::gen::Gen;
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;

/// The function whose result it is.
#[derive(Clone, Copy)]
pub(crate) struct RetCx<'a> {
    pub(crate) g: &'a Gen<'a>,
    pub(crate) f: &'a Function,
}

/// What one return meaning generates.
pub(crate) trait Returned {
    /// The type at the C ABI.
    fn raw_ty(&self) -> TokenStream;

    /// Its part of the safe method's result; `None` for nothing.
    fn result_ty(&self) -> Option<TokenStream>;

    /// Linked and Loaded: `__ret`, as C returned it, rebound to the safe value.
    fn native(&self, callee: &Callee) -> TokenStream;

    /// The Isolated client: `__ret` decoded from the reply `__r`.
    fn client(&self) -> TokenStream;

    /// The server: C's `__ret` encoded into `__out`.
    fn server(&self) -> TokenStream;
}

/// The return meaning of `f`.
pub(crate) fn of<'a>(g: &'a Gen<'a>, f: &'a Function) -> Box<dyn Returned + 'a> {
    let cx = RetCx { g, f };
    match &f.ret {
        Return::Void => Box::new(void::Void),
        Return::Value(ty) => Box::new(value::Value { cx, ty }),
        Return::Handle { ty } => Box::new(handle::Handle { cx, ty }),
        Return::CStr(own) => Box::new(string::CStr { cx, own }),
        Return::Unresolved { .. } => Box::new(unresolved::Unresolved),
    }
}

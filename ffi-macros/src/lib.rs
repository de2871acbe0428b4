//! `#[foreign]`: a thin shell around the description parser shared with
//! `ffi-stubgen`: parse, check, expand. Every mistake in a description is a
//! compile error spanned at the offending token, and all are reported at once.

extern crate alloc;

use proc_macro::TokenStream;

// The IR and the parser live in `ffi-desc`; this crate includes the same
// files, as cxx shares its `syntax/` directory, because a proc-macro crate
// cannot depend on the crate that re-exports it.
#[allow(dead_code, missing_docs, clippy::all)]
#[path = "../../ffi-desc/src/ir.rs"]
mod ir;
#[allow(dead_code, missing_docs, clippy::all)]
#[path = "../../ffi-desc/src/syntax/mod.rs"]
mod syntax;

mod attrs;
mod callbacks;
mod copy_out;
mod expand;
mod gen;
mod linkage;
mod meaning;
mod returns;
mod rust_types;
mod signature;
mod types;

/// Describes a C library: applied to a module holding the library's types and
/// one trait listing its functions. See the `ffi-desc` crate for the vocabulary.
#[proc_macro_attribute]
pub fn foreign(args: TokenStream, input: TokenStream) -> TokenStream {
    // A bad argument does not hide the body's mistakes: both are reported.
    let (args, args_error) = match syntax::ForeignArgs::parse(args.into()) {
        Ok(a) => (a, None),
        Err(e) => (
            syntax::ForeignArgs {
                library: Some(String::new()),
                ..Default::default()
            },
            Some(e),
        ),
    };
    let module =
        match syn::parse::<syn::ItemMod>(input) {
            Ok(m) => m,
            Err(e) => return syn::Error::new(
                e.span(),
                "#[foreign] applies to a module: `#[foreign(library = \"..\")] mod name { .. }`",
            )
            .to_compile_error()
            .into(),
        };
    match (syntax::parse_module(args, module), args_error) {
        (Ok(model), None) => expand::expand(&model).into(),
        (Ok(_), Some(e)) => e.to_compile_error().into(),
        (Err(e), None) => e.to_compile_error().into(),
        (Err(e), Some(mut first)) => {
            first.combine(e);
            first.to_compile_error().into()
        }
    }
}

//! `ffi-stubgen`: import a C header into a `#[foreign]` description, and emit
//! the C translation unit that makes the C compiler check a description against
//! the real header.
//!
//! - [`description_from_file`] finds the `#[foreign(...)]` module of a Rust
//!   file and parses it into the IR, with the same parser `#[foreign]` uses.
//! - [`check_unit`] writes the C check unit: `_Static_assert`s on the size,
//!   alignment and field offsets and types of every struct and union, on enum
//!   values, a function pointer of the described type initialised with every
//!   function, errno-capture wrappers, and the wrappers (`ffi_wrap_<name>`)
//!   of function-like macros and `static inline` functions (`#[wrap]`).
//! - [`Builder`] generates and compiles that unit from a build script, and
//!   turns the compiler's complaints into messages naming the description item.
//! - [`import::import`] drafts a description from a header through bindgen.

mod builder;
pub mod cunit;
pub mod diagnose;
mod error;
pub mod import;
mod load;
pub mod spell;

pub use builder::{Builder, Compiled};
pub use cunit::{check_symbol, check_unit, errno_wrapper_symbol, wrapper_symbol, CheckUnit};
pub use diagnose::{compile_check, CheckFailure, CompilerCommand, Mismatch};
pub use error::{Located, StubgenError};
pub use ffi_desc::ir::Description;
pub use load::{
    description_from_file, description_from_str, draft_from_file, model_from_file, models_from_str,
};

/// Generates the check unit of `desc`, writes it to `path` and compiles it
/// with the system C compiler (`$CC` or `cc`) and the given include
/// directories; the error names every description item that does not match.
pub fn check_compiles(
    desc: &Description,
    path: impl AsRef<std::path::Path>,
    includes: &[std::path::PathBuf],
) -> Result<(), StubgenError> {
    let unit = cunit::generate(desc);
    let mut compiler = CompilerCommand::system();
    compiler.includes = includes.to_vec();
    compile_check(&desc.module, &unit, path.as_ref(), &compiler)
}

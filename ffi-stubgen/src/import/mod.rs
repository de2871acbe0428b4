//! Drafting a description from a C header, through bindgen (libclang).
//!
//! bindgen translates the header; this module reads its output back with
//! `syn`, keeping the C spelling of every type (bindgen runs with C naming, so
//! `struct_foo` is `struct foo` and every other name is a typedef), and
//! drafts a `#[foreign]` module:
//!
//! - structs and unions whose fields are all values, enums, callback typedefs
//!   with one `void *` user-data parameter, `#define` constants;
//! - every function, with the meaning of a pointer inferred only where the
//!   evidence is strong: `const char *` is `CStr`; `const T *` followed by an
//!   integer parameter (and not by two of one type, as fread's `size, nitems`) is
//!   `In<[T], len = that>`; `const S *` is `In<S>` for
//!   a described struct or union `S` (a `const` pointer to a scalar is as
//!   often an array, so its extent is left to a person);
//!   a returned `const char *` is `Borrowed<CStr>`; an opaque handle's free
//!   function (the one `*_free`/`*_close`/... taking only that handle) takes
//!   `Owned<H>`;
//! - `static inline` functions of the header as functions marked `#[wrap]`
//!   (the check unit defines a wrapper with a symbol); function-like macros
//!   are listed, since a macro has no C type to draft from;
//! - every other pointer as `Unresolved<"C type">`, a marker the parser
//!   rejects until a person states its meaning;
//! - everything that cannot be described listed, with the reason, in a
//!   comment at the end of the output.
//!
//! The stages, each a module: `translate` runs bindgen, `collect` reads its
//! declarations (their C types resolved by `ctype`), `header_text` reads what
//! only the header's text shows, `draft` runs the inferences in order —
//! `structs`, `enums` (and constants), `callbacks`, `handles`, then
//! `functions`, whose pointer parameters `strings` and `buffers` read — and
//! `write` writes the draft's text. `names` makes the Rust names.

mod buffers;
mod callbacks;
mod collect;
mod ctype;
mod draft;
mod enums;
mod functions;
mod handles;
mod header_text;
mod names;
mod options;
mod param;
mod report;
mod strings;
mod structs;
mod tokens;
mod translate;
mod value;
mod write;

use crate::error::StubgenError;
use collect::Declarations;
use header_text::HeaderText;
use options::AllowList;
use std::time::Instant;

pub use names::{camel, snake};
pub use options::ImportOptions;
pub use report::{Import, ImportReport, Skipped};
pub use translate::bindgen_baseline;

/// Drafts a description of `opts.header`.
pub fn import(opts: &ImportOptions) -> Result<Import, StubgenError> {
    let start = Instant::now();
    if !opts.header.is_file() {
        return Err(StubgenError::Import {
            header: opts.header.clone(),
            message: "no such file".to_string(),
        });
    }
    let translation = translate::translate(opts, start)?;
    let header_text =
        std::fs::read_to_string(&opts.header).map_err(|e| StubgenError::io(&opts.header, e))?;
    let header = HeaderText::new(&header_text);
    let decls = Declarations::read(translation.file);
    let allow = AllowList::new(opts)?;
    let sources = draft::Sources {
        opts,
        allow: &allow,
        header: &header,
        fn_macros: &translation.fn_macros,
    };
    let mut import = draft::draft(&sources, &decls);
    import.report.bindgen_time = translation.bindgen_time;
    import.report.total_time = start.elapsed();
    Ok(import)
}

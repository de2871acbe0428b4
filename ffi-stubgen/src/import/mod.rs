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
//!   signature proves it, so that a draft that builds is sound for what the
//!   header says: a pointer and the count named for it (`lengths`) are a
//!   buffer, `In<[T], len = n>` or `Out<[T], cap = n>`; a `const char *`
//!   is `CStr` only when no count of the function may be its length
//!   (`strings`); handles are borrowed, consumed by the functions that free
//!   them, made by constructors (`handles`, `ownership`); callback types
//!   are drafted (`callbacks`), but which pointer C passes a callback no
//!   signature says, so a callback parameter and the `void *` beside it
//!   are left with the guess `Callback<F, stored>` and `UserData`. An
//!   inference only a name supports is left
//!   `Unresolved<"C type", guess = "..">`, the guess beside it;
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
//! `functions`, whose pointer parameters `lengths`, `strings`, `buffers`,
//! `ownership`, `records` (complete structs C allocates or fills) and
//! `destructors` read — and
//! `write` writes the draft's text. `names` makes the Rust names.

mod buffers;
mod callbacks;
mod collect;
mod ctype;
mod destructors;
mod draft;
mod enums;
mod functions;
mod handles;
mod header_text;
mod kept;
mod lengths;
mod lent;
mod locate;
mod names;
mod options;
mod ownership;
mod param;
mod records;
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
    let at = locate::locate(opts)?;
    let translation = translate::translate(opts, &at, start)?;
    // The text of every header of the scope: their macros and inline
    // functions are the library's too.
    let mut header_text = String::new();
    for f in &translation.files {
        let text = std::fs::read(f).map_err(|e| StubgenError::io(f, e))?;
        header_text.push_str(&String::from_utf8_lossy(&text));
        header_text.push('\n');
    }
    let header = HeaderText::new(&header_text);
    let mut decls = Declarations::read(translation.file);
    decls.layouts = translation.layouts;
    let allow = AllowList::new(opts)?;
    let sources = draft::Sources {
        opts,
        allow: &allow,
        header: &header,
        fn_macros: &translation.fn_macros,
        header_name: &at.include_name,
    };
    let mut import = draft::draft(&sources, &decls).map_err(|message| StubgenError::Import {
        header: opts.header.clone(),
        message,
    })?;
    import.report.bindgen_time = translation.bindgen_time;
    import.report.total_time = start.elapsed();
    Ok(import)
}

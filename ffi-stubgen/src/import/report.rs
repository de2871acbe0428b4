//! What an import drafted, what it could not, and the draft itself.

use std::time::Duration;

/// Something the header declares that the draft does not describe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// `function`, `struct`, `macro`, ...
    pub kind: &'static str,
    /// Its C name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// What an import drafted.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// C names of the functions drafted into the trait.
    pub functions: Vec<String>,
    /// Structs drafted.
    pub structs: usize,
    /// Unions drafted.
    pub unions: usize,
    /// Enums drafted.
    pub enums: usize,
    /// Callback types drafted.
    pub callbacks: usize,
    /// Opaque handle types drafted.
    pub opaque: usize,
    /// Constants drafted.
    pub constants: usize,
    /// `Unresolved<..>` markers left for a person.
    pub markers: usize,
    /// C names of the functions drafted whole: no marker in their
    /// signature, so they build as drafted.
    pub whole: Vec<String>,
    /// What could not be imported, with the reasons.
    pub skipped: Vec<Skipped>,
    /// Time spent in bindgen (libclang and its code generation).
    pub bindgen_time: Duration,
    /// Time of the whole import.
    pub total_time: Duration,
}

impl ImportReport {
    /// One line for standard error.
    pub fn summary(&self) -> String {
        format!(
            "imported {} functions ({} whole), {} structs, {} unions, {} enums, {} callback types, {} handle types, {} constants; \
             {} pointers left Unresolved; {} items not imported (listed at the end of the output)",
            self.functions.len(),
            self.whole.len(),
            self.structs,
            self.unions,
            self.enums,
            self.callbacks,
            self.opaque,
            self.constants,
            self.markers,
            self.skipped.len()
        )
    }
}

/// A drafted description.
#[derive(Clone, Debug)]
pub struct Import {
    /// The Rust source of the description, formatted.
    pub text: String,
    /// What was drafted and what was not.
    pub report: ImportReport,
}

/// The items left out of a draft, in the order they were found.
#[derive(Default)]
pub(super) struct Skips(Vec<Skipped>);

impl Skips {
    /// Lists `name` as not imported, for `reason`.
    pub(super) fn skip(&mut self, kind: &'static str, name: &str, reason: impl Into<String>) {
        self.0.push(Skipped {
            kind,
            name: name.to_string(),
            reason: reason.into(),
        });
    }

    /// The list, in order.
    pub(super) fn into_vec(self) -> Vec<Skipped> {
        self.0
    }

    /// Appends the items of `other`, in their order.
    pub(super) fn extend(&mut self, other: Skips) {
        self.0.extend(other.0);
    }

    /// Whether an item of this C name is listed already.
    pub(super) fn lists(&self, name: &str) -> bool {
        self.0.iter().any(|s| s.name == name)
    }
}

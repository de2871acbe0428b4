//! The one error type of `ffi-stubgen`.

use std::path::PathBuf;

/// One located message of a description that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// 1-based line in the description file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Everything that can go wrong in `ffi-stubgen`.
#[derive(Debug, thiserror::Error)]
pub enum StubgenError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not Rust syntax.
    #[error("{}:{}:{}: not Rust syntax: {}", path.display(), .error.line, .error.column, .error.message)]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where and what.
        error: Located,
    },
    /// The file holds no `#[foreign]` module.
    #[error("{}: no #[foreign(...)] module in this file", path.display())]
    NoDescription {
        /// The file.
        path: PathBuf,
    },
    /// The file holds several `#[foreign]` modules where one was expected.
    #[error("{}: {count} #[foreign(...)] modules in this file; expected one", path.display())]
    SeveralDescriptions {
        /// The file.
        path: PathBuf,
        /// How many.
        count: usize,
    },
    /// The `#[foreign]` module does not parse as a description.
    #[error("{}:{}{}", path.display(), errors.first().map(|e| e.to_string()).unwrap_or_default(),
        if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() })]
    Description {
        /// The file.
        path: PathBuf,
        /// Every error, in source order.
        errors: Vec<Located>,
    },
    /// A header could not be imported.
    #[error("import of {}: {message}", header.display())]
    Import {
        /// The header.
        header: PathBuf,
        /// Why.
        message: String,
    },
    /// The C compiler could not be run at all.
    #[error("cannot run the C compiler `{command}`: {message}")]
    Compiler {
        /// The command line.
        command: String,
        /// Why.
        message: String,
    },
    /// The C compiler rejected the check unit: the description does not match its headers.
    #[error("{0}")]
    Check(Box<crate::diagnose::CheckFailure>),
}

impl StubgenError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StubgenError {
        StubgenError::Io {
            path: path.into(),
            source,
        }
    }
}

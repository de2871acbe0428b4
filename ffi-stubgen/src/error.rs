//! The one error type of `ffi-stubgen`.

use std::path::PathBuf;

/// One located message of a description that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// 1-based line in the description file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// 1-based column just past the offending text when it ends on `line`
    /// (`column` itself when it does not).
    pub end_column: usize,
    /// The text of `line` (empty when unknown).
    pub source_line: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl Located {
    /// The message as rustc shows one: `path:line:column: error: ...`, then
    /// the source line with the offending text underlined.
    pub fn render(&self, path: &std::path::Path) -> String {
        let mut out = format!(
            "{}:{}:{}: error: {}",
            path.display(),
            self.line,
            self.column,
            self.message
        );
        if !self.source_line.is_empty() {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            // Columns count characters; tabs keep their width under the caret.
            let lead: String = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = self.end_column.saturating_sub(self.column).max(1);
            out.push_str(&format!(
                "\n{pad} |\n{gutter} | {}\n{pad} | {lead}{}",
                self.source_line,
                "^".repeat(width)
            ));
        }
        out
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
    /// The `#[foreign]` module does not parse as a description: every
    /// error, each with its source line.
    #[error("{}", render_all(path, errors))]
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
    /// Another error, with what is known about its likely cause.
    #[error("{error}\n{}", notes.iter().map(|n| format!("note: {n}")).collect::<Vec<_>>().join("\n"))]
    Noted {
        /// What is known (a missing development package, ...).
        notes: Vec<String>,
        /// The error.
        error: Box<StubgenError>,
    },
}

fn render_all(path: &std::path::Path, errors: &[Located]) -> String {
    let each: Vec<String> = errors.iter().map(|e| e.render(path)).collect();
    let count = match errors.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    format!(
        "{}\n\n{count} in the description {}",
        each.join("\n\n"),
        path.display()
    )
}

impl StubgenError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StubgenError {
        StubgenError::Io {
            path: path.into(),
            source,
        }
    }
}

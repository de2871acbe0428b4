//! What to import, and the command line that stands for it.

use crate::error::StubgenError;
use std::path::{Path, PathBuf};

/// What to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The header.
    pub header: PathBuf,
    /// The library's link name (`z` for zlib).
    pub library: String,
    /// Include directories (`-I`).
    pub includes: Vec<PathBuf>,
    /// pkg-config packages whose include directories are searched and
    /// imported (`--pkg-config`).
    pub pkg_config: Vec<String>,
    /// Regular expressions naming the functions, types and constants to
    /// import; when empty, everything the header itself declares.
    pub allow: Vec<String>,
    /// Extra arguments for clang (`-DNAME=1`).
    pub clang_args: Vec<String>,
    /// The output file, as named on the command line (only quoted in the
    /// output's first comment).
    pub output: Option<String>,
}

impl ImportOptions {
    /// Options for `header` and `library`.
    pub fn new(header: impl AsRef<Path>, library: &str) -> ImportOptions {
        ImportOptions {
            header: header.as_ref().to_path_buf(),
            library: library.to_string(),
            ..ImportOptions::default()
        }
    }

    /// The `ffi-stubgen import` command line these options stand for.
    pub fn command_line(&self) -> String {
        let mut parts = vec![
            "ffi-stubgen import".to_string(),
            format!(
                "--header {}",
                shell_word(&self.header.display().to_string())
            ),
            format!("--library {}", shell_word(&self.library)),
        ];
        for i in &self.includes {
            parts.push(format!("-I {}", shell_word(&i.display().to_string())));
        }
        for p in &self.pkg_config {
            parts.push(format!("--pkg-config {}", shell_word(p)));
        }
        for a in &self.allow {
            parts.push(format!("--allow {}", shell_word(a)));
        }
        for c in &self.clang_args {
            parts.push(format!("--clang-arg {}", shell_word(c)));
        }
        if let Some(o) = &self.output {
            parts.push(format!("-o {}", shell_word(o)));
        }
        parts.join(" ")
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=+:,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The `--allow` expressions, each matching a whole name.
pub(super) struct AllowList(Vec<regex::Regex>);

impl AllowList {
    pub(super) fn new(opts: &ImportOptions) -> Result<AllowList, StubgenError> {
        let allow = opts
            .allow
            .iter()
            .map(|a| {
                regex::Regex::new(&format!("^(?:{a})$")).map_err(|e| StubgenError::Import {
                    header: opts.header.clone(),
                    message: format!("--allow {a}: {e}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AllowList(allow))
    }

    /// Whether `name` is to be imported (every name when no `--allow` is given).
    pub(super) fn allows(&self, name: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|r| r.is_match(name))
    }
}

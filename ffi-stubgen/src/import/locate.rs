//! Finding the header and what of it to import, the way a C compiler and
//! a library's users see it.
//!
//! `--header` is a file, or a name as `#include <...>` writes it
//! (`libxml/parser.h`), found in the `-I` directories, the include
//! directories of the `--pkg-config` packages, and the compiler's own search
//! path (multiarch directories included). What is imported is what the
//! library's headers declare: the header's directory tree (so an umbrella
//! header that only includes its library's sub-headers imports them), or the
//! header alone when it sits right in a system include directory (where the
//! tree would be every library's), with the directory named after it if
//! there is one (`lzma.h` and `lzma/`); and the packages' include
//! directories.

use super::ImportOptions;
use crate::error::StubgenError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the header is and what to import.
pub(super) struct Located {
    /// The header file.
    pub(super) path: PathBuf,
    /// How the draft's `#[foreign(header = ..)]` names it: as written when
    /// it was found on the include path, else its file name.
    pub(super) include_name: String,
    /// Every include directory for clang: `-I`, then the packages'.
    pub(super) includes: Vec<PathBuf>,
    /// The directories whose files are imported; empty: the header alone.
    pub(super) trees: Vec<PathBuf>,
}

impl Located {
    /// Whether declarations of `file` are imported.
    pub(super) fn in_scope(&self, file: &Path) -> bool {
        file == self.path || self.trees.iter().any(|t| file.starts_with(t))
    }
}

fn error(opts: &ImportOptions, message: String) -> StubgenError {
    StubgenError::Import {
        header: opts.header.clone(),
        message,
    }
}

/// The `-I` directories of `pkg-config --cflags-only-I` for each package.
fn package_includes(opts: &ImportOptions) -> Result<Vec<PathBuf>, StubgenError> {
    let mut dirs = Vec::new();
    for p in &opts.pkg_config {
        let out = Command::new("pkg-config")
            .args(["--cflags-only-I", p])
            .output()
            .map_err(|e| {
                error(
                    opts,
                    format!("--pkg-config {p}: cannot run pkg-config: {e}"),
                )
            })?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            let why = why.lines().next().unwrap_or("").trim();
            return Err(error(
                opts,
                format!("--pkg-config {p}: pkg-config does not know it ({why})"),
            ));
        }
        for w in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            if let Some(d) = w.strip_prefix("-I") {
                dirs.push(PathBuf::from(d));
            }
        }
    }
    Ok(dirs)
}

/// The directories the C compiler searches for `#include <...>`, in order
/// (`cc -E -v`); the usual Debian ones when no compiler answers.
pub(super) fn system_includes() -> Vec<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let out = Command::new(&cc)
        .args(["-E", "-Wp,-v", "-x", "c", "/dev/null"])
        .output();
    let mut dirs = Vec::new();
    if let Ok(out) = out {
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("#include <...>") {
                inside = true;
            } else if line.starts_with("End of search list") {
                break;
            } else if inside {
                dirs.push(PathBuf::from(line.trim()));
            }
        }
    }
    if dirs.is_empty() {
        dirs = ["/usr/local/include", "/usr/include"]
            .iter()
            .map(PathBuf::from)
            .collect();
    }
    dirs
}

/// Finds `opts.header` and the scope of the import.
pub(super) fn locate(opts: &ImportOptions) -> Result<Located, StubgenError> {
    let mut includes = opts.includes.clone();
    let packages = package_includes(opts)?;
    includes.extend(packages.iter().cloned());
    let system = system_includes();
    let written = opts.header.display().to_string();
    let (path, include_name) = if opts.header.is_file() {
        let name = opts
            .header
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (opts.header.clone(), name)
    } else if opts.header.is_relative() {
        let found = includes
            .iter()
            .chain(&system)
            .map(|d| d.join(&opts.header))
            .find(|p| p.is_file());
        match found {
            Some(p) => (p, written.clone()),
            None => return Err(not_found(opts, &includes, &system)),
        }
    } else {
        return Err(error(opts, "no such file".to_string()));
    };
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let path = canon(&path);
    let roots: Vec<PathBuf> = system.iter().map(|d| canon(d)).collect();
    let mut trees = Vec::new();
    if let Some(dir) = path.parent() {
        if !roots.iter().any(|r| r == dir) {
            trees.push(dir.to_path_buf());
        } else if let Some(stem) = path.file_stem() {
            // `lzma.h` beside its own `lzma/` directory of sub-headers.
            let own = dir.join(stem);
            if own.is_dir() {
                trees.push(own);
            }
        }
    }
    for d in packages.iter().map(|d| canon(d)) {
        if !roots.contains(&d) && !trees.contains(&d) {
            trees.push(d);
        }
    }
    Ok(Located {
        path,
        include_name,
        includes,
        trees,
    })
}

fn not_found(opts: &ImportOptions, includes: &[PathBuf], system: &[PathBuf]) -> StubgenError {
    let searched: Vec<String> = includes
        .iter()
        .chain(system)
        .map(|d| d.display().to_string())
        .collect();
    error(
        opts,
        format!(
            "no such file, and no such header on the include path ({}); \
             add its directory with -I DIR or its package with --pkg-config NAME",
            searched.join(", ")
        ),
    )
}

//! Finding a domain executable built with the application, and saying
//! which of the two is stale when their descriptions differ.
//!
//! Cargo writes every binary of a package to one directory
//! (`target/<profile>/`); test and bench executables sit one level below,
//! in `deps/`, and examples in `examples/`. A domain executable is looked
//! for beside the running program there. `cargo run --bin app` builds only
//! `app`, so after an edit of the description the domain binary can be
//! older than the application: the handshake then fails with a fingerprint
//! mismatch, whose message compares the two executables' times.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The directories searched for a domain executable: the running
/// program's, and its parent when that is cargo's `deps/` or `examples/`.
fn search_dirs() -> std::io::Result<Vec<PathBuf>> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut dirs = vec![dir.clone()];
    if matches!(
        dir.file_name().and_then(|n| n.to_str()),
        Some("deps" | "examples")
    ) {
        if let Some(up) = dir.parent() {
            dirs.push(up.to_path_buf());
        }
    }
    Ok(dirs)
}

/// The executable `name` beside the running program (see the module
/// documentation), or why there is none: the places searched and the
/// command that builds it.
pub fn beside_current_exe(name: &str) -> Result<PathBuf, String> {
    let dirs = search_dirs().map_err(|e| format!("cannot find the running program: {e}"))?;
    if let Some(found) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
        return Ok(found);
    }
    let looked: Vec<String> = dirs
        .iter()
        .map(|d| d.join(name).display().to_string())
        .collect();
    Err(format!(
        "no domain executable `{name}` beside this program (looked for {}); \
         build it with `cargo build --bin {name}` (a plain `cargo build` builds every binary)",
        looked.join(" and ")
    ))
}

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// For a fingerprint mismatch with the domain executable `domain`: which of
/// it and the running program is older, and what to rebuild (empty when
/// their times are unknown). The times cannot tell a stale build from an
/// executable of another library, so the advice says both.
pub(crate) fn which_is_stale(domain: &Path) -> String {
    let this = std::env::current_exe().ok();
    let (Some(theirs), Some(ours)) = (modified(domain), this.as_deref().and_then(modified)) else {
        return String::new();
    };
    let name = domain
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if theirs < ours {
        format!(
            ": the domain executable {} is older than this program; if it serves this \
             library, it was built from an earlier version of the description: rebuild it \
             (`cargo build --bin {name}`, or `cargo build` for every binary)",
            domain.display()
        )
    } else {
        format!(
            ": this program is older than the domain executable {}; if that serves this \
             library, this program was built from an earlier version of the description: \
             rebuild it",
            domain.display()
        )
    }
}

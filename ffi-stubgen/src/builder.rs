//! A `Builder` for build scripts: generate a description's check unit,
//! compile it against the real headers, and fail the build with a message
//! naming the description item when they disagree.

use crate::cunit;
use crate::diagnose::{compile_check, CompilerCommand, CHECK_FLAGS};
use crate::error::StubgenError;
use crate::load::description_from_file;
use std::path::{Path, PathBuf};

/// Generates and compiles the C check unit of one description from a build script.
///
/// ```no_run
/// // build.rs
/// ffi_stubgen::Builder::new("src/zlib.rs").pkg_config("zlib").compile("zlib_check");
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    description: PathBuf,
    includes: Vec<PathBuf>,
    pkg_configs: Vec<String>,
    defines: Vec<(String, Option<String>)>,
    files: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    cargo_metadata: bool,
}

/// What a successful [`Builder::try_compile`] produced.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// The check unit's path.
    pub unit: PathBuf,
    /// The description it checked.
    pub description: ffi_desc::ir::Description,
    /// Include directories used (given and found by `pkg-config`).
    pub includes: Vec<PathBuf>,
}

impl Builder {
    /// A builder for the description in `path` (relative paths are taken from
    /// `CARGO_MANIFEST_DIR` when it is set).
    pub fn new(path: impl AsRef<Path>) -> Builder {
        Builder {
            description: path.as_ref().to_path_buf(),
            includes: Vec::new(),
            pkg_configs: Vec::new(),
            defines: Vec::new(),
            files: Vec::new(),
            out_dir: None,
            cargo_metadata: true,
        }
    }

    /// Adds a directory the headers are searched in.
    pub fn include(mut self, dir: impl AsRef<Path>) -> Builder {
        self.includes.push(dir.as_ref().to_path_buf());
        self
    }

    /// Finds the library with `pkg-config` and uses its include directories
    /// (and, with cargo metadata on, its link flags). When `pkg-config` does
    /// not know the library, the system's default search paths are used.
    pub fn pkg_config(mut self, name: &str) -> Builder {
        self.pkg_configs.push(name.to_string());
        self
    }

    /// Defines a preprocessor macro for the check unit.
    pub fn define(mut self, name: &str, value: Option<&str>) -> Builder {
        self.defines
            .push((name.to_string(), value.map(str::to_string)));
        self
    }

    /// Adds a C source compiled into the archive beside the check unit, with
    /// the same flags and include directories: a shim whose functions the
    /// description names, whose declarations the unit then checks.
    pub fn file(mut self, path: impl AsRef<Path>) -> Builder {
        self.files.push(path.as_ref().to_path_buf());
        self
    }

    /// Where the unit and the archive are written (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Builder {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Whether to print `cargo:` lines (default: true, as a build script wants).
    pub fn cargo_metadata(mut self, on: bool) -> Builder {
        self.cargo_metadata = on;
        self
    }

    /// Generates and compiles the check unit `<name>.c`, then archives it as
    /// `lib<name>.a` (which holds the errno-capture wrappers and the
    /// [`file`](Builder::file)s). Panics with a
    /// message naming every mismatching description item, followed by the
    /// compiler's output, when the description and the headers disagree.
    pub fn compile(self, name: &str) {
        if let Err(e) = self.try_compile(name) {
            panic!("\n{e}\n");
        }
    }

    /// As [`Builder::compile`], returning the error instead of panicking.
    pub fn try_compile(self, name: &str) -> Result<Compiled, StubgenError> {
        let path = resolve(&self.description);
        if self.cargo_metadata {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let desc = description_from_file(&path)?;
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| StubgenError::Compiler {
                    command: "ffi_stubgen::Builder".to_string(),
                    message: "OUT_DIR is not set: call from a build script or give out_dir(..)"
                        .to_string(),
                })?,
        };
        std::fs::create_dir_all(&out_dir).map_err(|e| StubgenError::io(&out_dir, e))?;

        let mut includes: Vec<PathBuf> = self.includes.iter().map(|d| resolve(d)).collect();
        for lib in &self.pkg_configs {
            match pkg_config::Config::new()
                .cargo_metadata(self.cargo_metadata)
                .env_metadata(self.cargo_metadata)
                .probe(lib)
            {
                Ok(found) => includes.extend(found.include_paths),
                Err(e) => {
                    if self.cargo_metadata {
                        let first = e.to_string();
                        let first = first.lines().next().unwrap_or("");
                        println!(
                            "cargo:warning=pkg-config does not know `{lib}` ({first}); using the system's search paths"
                        );
                    }
                }
            }
        }
        if self.cargo_metadata {
            for h in &desc.headers {
                if let Some(found) = includes.iter().map(|d| d.join(h)).find(|p| p.exists()) {
                    println!("cargo:rerun-if-changed={}", found.display());
                }
            }
        }

        let unit = cunit::generate(&desc);
        let unit_path = out_dir.join(format!("{name}.c"));

        // The compiler `cc` would use, with its target flags.
        let mut build = cc::Build::new();
        build.cargo_metadata(self.cargo_metadata).out_dir(&out_dir);
        if !self.cargo_metadata {
            // Outside a build script, cc has no target of its own to read.
            configure_host(&mut build);
        }
        let compiler = match build.try_get_compiler() {
            Ok(tool) => {
                let mut c = CompilerCommand::system();
                c.program = tool.path().to_path_buf();
                c.args = tool
                    .args()
                    .iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect();
                c
            }
            Err(_) => CompilerCommand::system(),
        };
        let compiler = CompilerCommand {
            includes: includes.clone(),
            defines: self.defines.clone(),
            ..compiler
        };
        compile_check(&desc.module, &unit, &unit_path, &compiler)?;

        // It compiles: archive it for its wrappers, with the extra sources.
        build.file(&unit_path);
        for f in &self.files {
            let f = resolve(f);
            if self.cargo_metadata {
                println!("cargo:rerun-if-changed={}", f.display());
            }
            build.file(f);
        }
        for f in CHECK_FLAGS.iter().filter(|f| !f.starts_with("-std")) {
            build.flag(f);
        }
        build.std("c11");
        for i in &includes {
            build.include(i);
        }
        for (k, v) in &self.defines {
            build.define(k, v.as_deref());
        }
        build
            .try_compile(name)
            .map_err(|e| StubgenError::Compiler {
                command: format!("cc::Build::compile({name})"),
                message: e.to_string(),
            })?;
        Ok(Compiled {
            unit: unit_path,
            description: desc,
            includes,
        })
    }
}

fn resolve(p: &Path) -> PathBuf {
    if p.is_relative() {
        if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
            return PathBuf::from(dir).join(p);
        }
    }
    p.to_path_buf()
}

fn configure_host(build: &mut cc::Build) {
    let target = host_triple();
    build
        .target(&target)
        .host(&target)
        .opt_level(0)
        .debug(false);
}

fn host_triple() -> String {
    if let Ok(t) = std::env::var("TARGET") {
        return t;
    }
    format!(
        "{}-unknown-{}-gnu",
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}

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
    shared: bool,
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
    /// The shared object [`Builder::shared`] asked for.
    pub shared: Option<PathBuf>,
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
            shared: false,
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

    /// Also links the check unit and the [`file`](Builder::file)s into a
    /// shared object, `shared/lib<name>.so` in the output directory (apart,
    /// so the static link never picks it up), linked with the libraries
    /// `pkg-config` found: what the Loaded linkage opens when the
    /// description's functions include wrappers (`#[wrap]`) or shims, which
    /// the library's own shared object does not have. Its path is
    /// [`Compiled::shared`] and, for the crate being built, the compile-time
    /// environment variable `<NAME>_SO` (`name` in upper case):
    /// `WrappedLoaded::open(env!("WRAPPED_CHECK_SO"))`.
    pub fn shared(mut self) -> Builder {
        self.shared = true;
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
    /// [`file`](Builder::file)s). When the description does not parse, or
    /// it and the headers disagree, prints every error (each at its place
    /// in the description, or naming the mismatching item, then the
    /// compiler's output) and ends the build script with exit status 1:
    /// the failure cargo shows is those errors alone, since no `cargo:`
    /// line is printed before the unit compiled.
    pub fn compile(self, name: &str) {
        if let Err(e) = self.try_compile(name) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }

    /// As [`Builder::compile`], returning the error instead of ending the
    /// process.
    pub fn try_compile(self, name: &str) -> Result<Compiled, StubgenError> {
        let mut meta = Metadata::default();
        let path = resolve(&self.description);
        meta.line(format!("rerun-if-changed={}", path.display()));
        let desc = description_from_file(&path).map_err(|e| relative_to_crate(e, &path))?;
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
        let mut unknown = Vec::new();
        let mut link_args = Vec::new();
        for lib in &self.pkg_configs {
            match probe(lib, &mut meta) {
                Some(found) => {
                    includes.extend(found.include_paths);
                    link_args.extend(
                        found
                            .link_paths
                            .iter()
                            .map(|p| format!("-L{}", p.display())),
                    );
                    link_args.extend(found.libs.iter().map(|l| format!("-l{l}")));
                }
                None => unknown.push(lib.clone()),
            }
        }
        for h in &desc.headers {
            if let Some(found) = includes.iter().map(|d| d.join(h)).find(|p| p.exists()) {
                meta.line(format!("rerun-if-changed={}", found.display()));
            }
        }

        let unit = cunit::generate(&desc);
        let unit_path = out_dir.join(format!("{name}.c"));
        // cc prints nothing itself: its lines are among those held back.
        let mut build = cc::Build::new();
        build.cargo_metadata(false).out_dir(&out_dir);
        if !self.cargo_metadata {
            // Outside a build script, cc has no target of its own to read.
            configure_host(&mut build);
        }
        let compiler = CompilerCommand {
            includes: includes.clone(),
            defines: self.defines.clone(),
            ..compiler_of(&build)
        };
        compile_check(&desc.module, &unit, &unit_path, &compiler)
            .map_err(|e| with_library_hint(e, &unknown))?;

        // It compiles: archive it for its wrappers, with the extra sources.
        build.file(&unit_path);
        for f in &self.files {
            let f = resolve(f);
            meta.line(format!("rerun-if-changed={}", f.display()));
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
        meta.line(format!("rustc-link-search=native={}", out_dir.display()));
        meta.line(format!("rustc-link-lib=static={name}"));
        let shared = if self.shared {
            let sources: Vec<PathBuf> = std::iter::once(unit_path.clone())
                .chain(self.files.iter().map(|f| resolve(f)))
                .collect();
            let so = link_shared(name, &sources, &out_dir, &compiler, &link_args)?;
            meta.line(format!(
                "rustc-env={}_SO={}",
                name.to_ascii_uppercase(),
                so.display()
            ));
            Some(so)
        } else {
            None
        };
        for var in ["CC", "CFLAGS", "PKG_CONFIG_PATH"] {
            meta.line(format!("rerun-if-env-changed={var}"));
        }
        for lib in &unknown {
            meta.line(format!(
                "warning=pkg-config does not know `{lib}`; the system's search paths were used"
            ));
        }
        if self.cargo_metadata {
            meta.print();
        }
        Ok(Compiled {
            unit: unit_path,
            description: desc,
            includes,
            shared,
        })
    }
}

/// A description error naming its file as rustc names sources: relative to
/// the crate being built.
fn relative_to_crate(e: StubgenError, path: &Path) -> StubgenError {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let Some(short) = crate_dir.and_then(|d| path.strip_prefix(d).ok().map(Path::to_path_buf))
    else {
        return e;
    };
    match e {
        StubgenError::Description { errors, .. } => StubgenError::Description {
            path: short,
            errors,
        },
        StubgenError::Syntax { error, .. } => StubgenError::Syntax { path: short, error },
        other => other,
    }
}

/// The `cargo:` lines of a build, held until it succeeded.
#[derive(Default)]
struct Metadata(Vec<String>);

impl Metadata {
    fn line(&mut self, l: String) {
        self.0.push(l);
    }

    fn print(&self) {
        for l in &self.0 {
            println!("cargo:{l}");
        }
    }
}

/// What `pkg-config` knows of `lib` (its link flags also go to `meta`), or
/// `None` when it does not know `lib`.
fn probe(lib: &str, meta: &mut Metadata) -> Option<pkg_config::Library> {
    let found = pkg_config::Config::new()
        .cargo_metadata(false)
        .env_metadata(false)
        .probe(lib)
        .ok()?;
    for p in &found.link_paths {
        meta.line(format!("rustc-link-search=native={}", p.display()));
    }
    for l in &found.libs {
        meta.line(format!("rustc-link-lib={l}"));
    }
    Some(found)
}

/// Links `sources` into `out_dir/shared/lib<name>.so` with the check unit's
/// compiler, include directories and definitions.
fn link_shared(
    name: &str,
    sources: &[PathBuf],
    out_dir: &Path,
    compiler: &CompilerCommand,
    link_args: &[String],
) -> Result<PathBuf, StubgenError> {
    let dir = out_dir.join("shared");
    std::fs::create_dir_all(&dir).map_err(|e| StubgenError::io(&dir, e))?;
    let so = dir.join(format!("lib{name}.so"));
    let mut cmd = std::process::Command::new(&compiler.program);
    cmd.args(&compiler.args)
        .args(["-shared", "-fPIC", "-std=c11"])
        .args(CHECK_FLAGS.iter().filter(|f| !f.starts_with("-std")));
    for i in &compiler.includes {
        cmd.arg("-I").arg(i);
    }
    for (k, v) in &compiler.defines {
        cmd.arg(match v {
            Some(v) => format!("-D{k}={v}"),
            None => format!("-D{k}"),
        });
    }
    cmd.args(sources)
        .arg("-o")
        .arg(&so)
        .arg(format!("-Wl,-soname,lib{name}.so"))
        .args(link_args);
    let command = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| StubgenError::Compiler {
        command: command.clone(),
        message: e.to_string(),
    })?;
    if !out.status.success() {
        return Err(StubgenError::Compiler {
            command,
            message: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(so)
}

/// The compiler `cc` would use, with its target flags.
fn compiler_of(build: &cc::Build) -> CompilerCommand {
    let mut c = CompilerCommand::system();
    if let Ok(tool) = build.try_get_compiler() {
        c.program = tool.path().to_path_buf();
        c.args = tool
            .args()
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
    }
    c
}

/// A check that failed while `pkg-config` knew none of `unknown`: most often
/// the library's development package is missing, so say which one provides
/// it, as far as the package lists tell.
fn with_library_hint(e: StubgenError, unknown: &[String]) -> StubgenError {
    if unknown.is_empty() {
        return e;
    }
    let hints: Vec<String> = unknown
        .iter()
        .map(|lib| match debian_packages(lib) {
            Some(pkgs) => format!(
                "pkg-config does not know `{lib}`: its development files seem to be missing; \
                 on Debian they are in {} (`apt-get install {}`)",
                pkgs.join(" or "),
                pkgs[0]
            ),
            None => format!(
                "pkg-config does not know `{lib}`: its development files (headers and `{lib}.pc`) \
                 seem to be missing"
            ),
        })
        .collect();
    StubgenError::Noted {
        notes: hints,
        error: Box::new(e),
    }
}

/// Debian packages whose name fits the development package of `lib`
/// (`zstd` or `libzstd`: `libzstd-dev`; `zlib`: `zlib1g-dev`), from
/// `apt-cache`; `None` when it is absent or finds none.
fn debian_packages(lib: &str) -> Option<Vec<String>> {
    let stem = lib.strip_prefix("lib").unwrap_or(lib);
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let pattern = format!("^(lib)?{}[0-9a-z.]*-dev$", stem.replace('_', "[-_]"));
    let out = std::process::Command::new("apt-cache")
        .args(["search", "--names-only", &pattern])
        .output()
        .ok()?;
    let pkgs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split(' ').next())
        .map(str::to_string)
        .take(3)
        .collect();
    (!pkgs.is_empty()).then_some(pkgs)
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

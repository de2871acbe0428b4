//! `unikernel-image-check`: proves that a built executable links none of a
//! described C library.
//!
//! ```text
//! unikernel-image-check [--allow-stripped] [--freestanding] EXECUTABLE DESCRIPTION.json...
//! ```
//!
//! Each `DESCRIPTION.json` holds a description's IR, one object or an array
//! of them: what `ffi-stubgen json --description FILE.rs` prints, or the
//! `DESCRIPTION_JSON` constant `#[foreign]` generates. The executable (ELF,
//! 32 or 64 bits, either byte order) fails the check, with every finding
//! named, if it
//!
//! - **defines** one of the described C functions (`Function::c_name`): the
//!   library's code, or a piece of it, is linked in;
//! - **imports** one (an undefined dynamic symbol): the dynamic linker would
//!   bind it to the library;
//! - imports **`dlopen`** (or `dlmopen`): it can load a library at run time;
//! - **needs** the library in its dynamic section (`DT_NEEDED`
//!   `lib<library>.so`, `lib<library>.so.*`, or one of the description's
//!   sonames).
//!
//! With `--freestanding` (a unikernel, which must link no C at all, not only
//! none of the described libraries) it also fails if the image imports any
//! symbol, needs any library, or names a program interpreter, and if it
//! shows a C library or a C compiler linked in statically, where nothing is
//! imported: a C library's start-up symbols (`__libc_start_main` and the
//! like) or a C compiler's mark in `.comment` (`GCC: `, `clang version`,
//! which the C start-up files and every object a C compiler builds leave).
//! The descriptions may then be left out.
//!
//! Symbols are read from both `.symtab` and `.dynsym`; a version suffix
//! (`compress2@ZLIB_1.2.0`) is ignored. Without a `.symtab` (a stripped
//! image) statically linked C code cannot be seen, so that is a finding too,
//! unless `--allow-stripped` is given.
//!
//! Exit status: 0 when the image is clean, 1 when something was found, 2 when
//! the inputs cannot be read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ffi_desc::ir::Description;
use object::elf;
use object::read::elf::{Dyn, ElfFile, FileHeader, ProgramHeader};
use object::{Endianness, FileKind, Object, ObjectSection, ObjectSymbol};

/// Symbols whose import means the image can load libraries at run time.
const LOADERS: [&str; 2] = ["dlopen", "dlmopen"];

/// Symbols a C library's start-up code defines in a static image (glibc,
/// musl, uClibc): what `main` is called from.
const C_RUNTIME: [&str; 6] = [
    "__libc_start_main",
    "__libc_start_call_main",
    "__libc_csu_init",
    "_IO_stdin_used",
    "__init_libc",
    "__uClibc_main",
];

/// How a C compiler signs the objects it builds, in `.comment`.
const C_COMPILER_MARKS: [&str; 2] = ["GCC: ", "clang version"];

const USAGE: &str = "usage: unikernel-image-check [--allow-stripped] [--freestanding] EXECUTABLE DESCRIPTION.json...

Fails if EXECUTABLE defines or imports a C function of a description, imports
dlopen, or needs the described library (DT_NEEDED). Each DESCRIPTION.json is a
description's IR (`ffi-stubgen json --description FILE.rs`, or DESCRIPTION_JSON).
--freestanding: also fails if it imports any symbol, needs any library, has
an interpreter, or shows a static C library or a C compiler's mark (no C at
all); descriptions are then optional.";

/// What the image holds, as far as the check is concerned.
#[derive(Debug, Default)]
struct Image {
    /// Names of defined symbols (`.symtab` and `.dynsym`), versions stripped.
    defined: BTreeSet<String>,
    /// Names of undefined symbols, versions stripped.
    imported: BTreeSet<String>,
    /// `DT_NEEDED` entries.
    needed: Vec<String>,
    /// Whether a `.symtab` was present.
    has_symtab: bool,
    /// The program interpreter (`PT_INTERP`), if any.
    interpreter: Option<String>,
    /// The strings of `.comment` (compilers' and linkers' marks).
    comments: Vec<String>,
}

/// `compress2@ZLIB_1.2.0` and `compress2@@ZLIB_1.2.0` name `compress2`.
fn unversioned(name: &str) -> &str {
    name.split_once('@').map_or(name, |(n, _)| n)
}

fn read_image(path: &Path) -> Result<Image, String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let kind = FileKind::parse(&*data).map_err(|e| format!("{}: {e}", path.display()))?;
    let image = match kind {
        FileKind::Elf32 => {
            let file = ElfFile::<elf::FileHeader32<Endianness>>::parse(&*data);
            file.map_err(|e| e.to_string()).and_then(|f| scan(&f))
        }
        FileKind::Elf64 => {
            let file = ElfFile::<elf::FileHeader64<Endianness>>::parse(&*data);
            file.map_err(|e| e.to_string()).and_then(|f| scan(&f))
        }
        other => return Err(format!("{}: not an ELF file ({other:?})", path.display())),
    };
    image.map_err(|e| format!("{}: {e}", path.display()))
}

fn scan<Elf: FileHeader<Endian = Endianness>>(file: &ElfFile<'_, Elf>) -> Result<Image, String> {
    let mut image = Image {
        has_symtab: file.section_by_name(".symtab").is_some(),
        ..Image::default()
    };
    for sym in file.symbols().chain(file.dynamic_symbols()) {
        let Ok(name) = sym.name() else { continue };
        if name.is_empty() {
            continue;
        }
        let name = unversioned(name).to_owned();
        if sym.is_undefined() {
            image.imported.insert(name);
        } else if sym.is_definition() {
            image.defined.insert(name);
        }
    }
    if let Some(comment) = file.section_by_name(".comment") {
        let bytes = comment.data().map_err(|e| e.to_string())?;
        image.comments = bytes
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
    }
    let endian = file.endian();
    let data = file.data();
    for ph in file.elf_program_headers() {
        if let Ok(Some(interp)) = ph.interpreter(endian, data) {
            image.interpreter = Some(String::from_utf8_lossy(interp).into_owned());
        }
    }
    let sections = file.elf_section_table();
    if let Some((entries, link)) = sections.dynamic(endian, data).map_err(|e| e.to_string())? {
        let strings = sections
            .strings(endian, data, link)
            .map_err(|e| e.to_string())?;
        for entry in entries {
            if entry.tag32(endian) == Some(elf::DT_NEEDED) {
                let name = entry.string(endian, strings).map_err(|e| e.to_string())?;
                image
                    .needed
                    .push(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    Ok(image)
}

fn read_descriptions(path: &Path) -> Result<Vec<Description>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let parsed = match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<Vec<Description>, _>>(),
        one => serde_json::from_value(one).map(|d| vec![d]),
    };
    parsed.map_err(|e| format!("{}: not a description's IR: {e}", path.display()))
}

/// Whether `needed` (a `DT_NEEDED` entry) names `desc`'s library.
fn names_library(needed: &str, desc: &Description) -> bool {
    let stem = format!("lib{}.so", desc.library);
    needed == stem
        || needed
            .strip_prefix(&stem)
            .is_some_and(|v| v.starts_with('.'))
        || desc.sonames.iter().any(|s| s == needed)
}

/// What a freestanding image must not have: any import, any library, an
/// interpreter, a C library's start-up code, a C compiler's mark.
fn freestanding_findings(image: &Image) -> Vec<String> {
    let mut found: Vec<String> = image
        .imported
        .iter()
        .map(|sym| format!("imports `{sym}`: a freestanding image imports nothing"))
        .collect();
    for needed in &image.needed {
        found.push(format!(
            "needs `{needed}` (DT_NEEDED): a freestanding image needs no library"
        ));
    }
    if let Some(interp) = &image.interpreter {
        found.push(format!(
            "names the interpreter `{interp}`: a freestanding image is not loaded by one"
        ));
    }
    for sym in C_RUNTIME {
        if image.defined.contains(sym) {
            found.push(format!(
                "defines `{sym}`: a C library's start-up code is linked in statically"
            ));
        }
    }
    for comment in &image.comments {
        if C_COMPILER_MARKS.iter().any(|m| comment.contains(m)) {
            found.push(format!("was built with C: its .comment says `{comment}`"));
        }
    }
    found
}

/// Every finding, one line each; empty when the image is clean.
fn findings(image: &Image, descriptions: &[Description], allow_stripped: bool) -> Vec<String> {
    let mut found = Vec::new();
    if !image.has_symtab && !allow_stripped {
        found.push(
            "has no .symtab (stripped): statically linked C code would not be visible \
             (pass --allow-stripped to check the dynamic symbols only)"
                .to_owned(),
        );
    }
    for desc in descriptions {
        let of = format!("{} (library `{}`)", desc.module, desc.library);
        let symbols: BTreeSet<&str> = desc.functions.iter().map(|f| f.c_name.as_str()).collect();
        for sym in &symbols {
            if image.defined.contains(*sym) {
                found.push(format!("defines `{sym}` of {of}"));
            }
            if image.imported.contains(*sym) {
                found.push(format!("imports `{sym}` of {of}"));
            }
        }
        for needed in &image.needed {
            if names_library(needed, desc) {
                found.push(format!("needs `{needed}` (DT_NEEDED) of {of}"));
            }
        }
    }
    for loader in LOADERS {
        if image.imported.contains(loader) {
            found.push(format!(
                "imports `{loader}`: it can load libraries at run time"
            ));
        }
    }
    found
}

struct Args {
    allow_stripped: bool,
    freestanding: bool,
    executable: PathBuf,
    descriptions: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut allow_stripped = false;
    let mut freestanding = false;
    let mut paths = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("--allow-stripped") => allow_stripped = true,
            Some("--freestanding") => freestanding = true,
            Some("-h" | "--help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Some(flag) if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() || (paths.len() < 2 && !freestanding) {
        return Err("an executable and at least one description are needed".into());
    }
    let executable = paths.remove(0);
    Ok(Args {
        allow_stripped,
        freestanding,
        executable,
        descriptions: paths,
    })
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let image = read_image(&args.executable)?;
    let mut descriptions = Vec::new();
    for path in &args.descriptions {
        descriptions.extend(read_descriptions(path)?);
    }
    let mut found = findings(&image, &descriptions, args.allow_stripped);
    if args.freestanding {
        found.extend(freestanding_findings(&image));
    }
    let exe = args.executable.display();
    if found.is_empty() {
        let symbols: usize = descriptions.iter().map(|d| d.functions.len()).sum();
        let libraries: Vec<String> = descriptions
            .iter()
            .map(|d| format!("lib{}.so", d.library))
            .collect();
        let mut parts = Vec::new();
        if !descriptions.is_empty() {
            parts.push(format!(
                "none of the {symbols} described C functions is defined or imported, no dlopen, \
                 no DT_NEEDED of {}",
                libraries.join(", ")
            ));
        }
        if args.freestanding {
            parts.push(
                "freestanding: nothing imported, no library needed, no interpreter, \
                 no C start-up code, no C compiler's mark"
                    .into(),
            );
        }
        println!("unikernel-image-check: {exe}: clean: {}", parts.join("; "));
        Ok(true)
    } else {
        let n = found.len();
        let s = if n == 1 { "" } else { "s" };
        println!("unikernel-image-check: {exe}: links C it must not ({n} finding{s}):");
        for f in &found {
            println!("  {f}");
        }
        Ok(false)
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("unikernel-image-check: error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

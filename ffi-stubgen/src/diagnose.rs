//! Compiling a check unit and turning the C compiler's complaints into
//! messages about the description.

use crate::cunit::{Check, CheckUnit, Item, Origin, Probe};
use crate::error::StubgenError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The flags every check unit is compiled with.
pub const CHECK_FLAGS: &[&str] = &[
    "-std=c11",
    "-Wall",
    "-Werror",
    "-Wincompatible-pointer-types",
    "-fdiagnostics-color=never",
];

/// The C compiler rejected a check unit.
#[derive(Clone, Debug)]
pub struct CheckFailure {
    /// The description module the unit checks.
    pub module: String,
    /// The check unit that failed.
    pub unit_path: PathBuf,
    /// One message per description item that does not match, naming the item
    /// and both sides.
    pub mismatches: Vec<Mismatch>,
    /// Compiler errors on lines that check no item (or that could not be mapped).
    pub unmapped: Vec<String>,
    /// The compiler's output, unchanged.
    pub raw: String,
}

/// One description item that does not match its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The item.
    pub item: Item,
    /// What the description says (`int (*)(int, long)`, `offset 8`).
    pub described: String,
    /// What the header says, when the compiler told (`int (*)(int,  int)`).
    pub header: Option<String>,
    /// The compiler's own message.
    pub compiler: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Item::Header { header } = &self.item {
            return write!(
                f,
                "header `{header}` cannot be included: {} (give its directory with Builder::include or Builder::pkg_config)",
                self.compiler
            );
        }
        write!(
            f,
            "description of {} does not match the header: described {}",
            self.item, self.described
        )?;
        match &self.header {
            Some(h) => write!(f, ", header declares {h}"),
            None => write!(f, "; the compiler says: {}", self.compiler),
        }
    }
}

impl std::fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "the description `{}` does not match its C headers ({} mismatch{}; check unit {}):",
            self.module,
            self.mismatches.len(),
            if self.mismatches.len() == 1 { "" } else { "es" },
            self.unit_path.display()
        )?;
        for m in &self.mismatches {
            writeln!(f, "  - {m}")?;
        }
        for u in &self.unmapped {
            writeln!(f, "  - {u}")?;
        }
        writeln!(f, "compiler output:")?;
        write!(f, "{}", self.raw)
    }
}

impl std::error::Error for CheckFailure {}

/// How to run the C compiler on a check unit.
#[derive(Clone, Debug)]
pub struct CompilerCommand {
    /// The compiler and the arguments it always takes (target flags, `CFLAGS`).
    pub program: PathBuf,
    /// Arguments placed before the check flags.
    pub args: Vec<String>,
    /// Include directories.
    pub includes: Vec<PathBuf>,
    /// `-D` definitions.
    pub defines: Vec<(String, Option<String>)>,
}

impl CompilerCommand {
    /// The system C compiler: `$CC`, or `cc`.
    pub fn system() -> CompilerCommand {
        let program = std::env::var_os("CC")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("cc"));
        CompilerCommand {
            program,
            args: Vec::new(),
            includes: Vec::new(),
            defines: Vec::new(),
        }
    }

    /// Adds an include directory.
    pub fn include(mut self, dir: impl Into<PathBuf>) -> CompilerCommand {
        self.includes.push(dir.into());
        self
    }

    fn command(&self, source: &Path, extra: &[&str]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args);
        cmd.args(CHECK_FLAGS);
        cmd.args(extra);
        for i in &self.includes {
            cmd.arg("-I").arg(i);
        }
        for (k, v) in &self.defines {
            match v {
                Some(v) => cmd.arg(format!("-D{k}={v}")),
                None => cmd.arg(format!("-D{k}")),
            };
        }
        cmd.arg("-fsyntax-only").arg(source);
        // Plain ASCII quotes in the messages, whatever the locale.
        cmd.env("LC_ALL", "C")
            .env_remove("LANG")
            .env_remove("LANGUAGE");
        cmd
    }

    /// Runs the compiler on `source`; `Ok(stderr)` says whether it succeeded.
    fn run(&self, source: &Path, extra: &[&str]) -> Result<(bool, String), StubgenError> {
        let mut cmd = self.command(source, extra);
        let out = cmd.output().map_err(|e| StubgenError::Compiler {
            command: format!("{cmd:?}"),
            message: e.to_string(),
        })?;
        let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stdout));
        Ok((out.status.success(), text))
    }
}

/// Writes `unit` to `path` and compiles it (syntax and types only). On a
/// rejection, the error names every description item that does not match.
pub fn compile_check(
    module: &str,
    unit: &CheckUnit,
    path: &Path,
    compiler: &CompilerCommand,
) -> Result<(), StubgenError> {
    std::fs::write(path, unit.text()).map_err(|e| StubgenError::io(path, e))?;
    let (ok, output) = compiler.run(path, &[])?;
    if ok {
        return Ok(());
    }
    let mut failure = diagnose(module, unit, path, &output);
    reveal_header_side(unit, path, compiler, &mut failure);
    Err(StubgenError::Check(Box::new(failure)))
}

/// A compiler diagnostic: `file:line:col: error: message`.
struct Diagnostic {
    file: String,
    line: usize,
    message: String,
}

fn parse_diagnostics(output: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for l in output.lines() {
        let Some(idx) = l.find(": error: ").or_else(|| l.find(": fatal error: ")) else {
            continue;
        };
        let (loc, rest) = l.split_at(idx);
        let message = rest
            .trim_start_matches(": ")
            .trim_start_matches("fatal ")
            .trim_start_matches("error: ")
            .to_string();
        let mut parts = loc.rsplitn(3, ':');
        let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
            continue;
        };
        // `file:line:col` or `file:line`.
        let (file, line) = match (a.parse::<usize>(), b.parse::<usize>(), parts.next()) {
            (Ok(_col), Ok(line), Some(file)) => (file.to_string(), line),
            (Ok(line), Err(_), _) => (b.to_string(), line),
            _ => continue,
        };
        out.push(Diagnostic {
            file,
            line,
            message,
        });
    }
    out
}

/// The quoted fragments of a compiler message (`'int (*)(int)'`).
fn quoted(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find('\'') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('\'') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

fn tidy(c_type: &str) -> String {
    let mut s = c_type.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [
        ("long int", "long"),
        ("short int", "short"),
        ("long unsigned int", "unsigned long"),
        ("short unsigned int", "unsigned short"),
        ("long long unsigned int", "unsigned long long"),
        ("( ", "("),
        (" )", ")"),
    ] {
        s = s.replace(from, to);
    }
    s
}

fn described(check: &Check) -> String {
    match check {
        Check::Include => "the header".to_string(),
        Check::Size(n) => format!("size {n}"),
        Check::Align(n) => format!("alignment {n}"),
        Check::Offset(n) => format!("offset {n}"),
        Check::FieldType(t) => format!("type `{t}`"),
        Check::Value(v) => format!("value {v}"),
        Check::Constant(v) => format!("value {v}"),
        Check::Signature(t) => format!("`{t}`"),
        Check::CallbackType(t) => format!("`{t}`"),
        Check::PointerType(t) => format!("pointer type `{t}`"),
        Check::ErrnoWrapper => "an errno wrapper".to_string(),
        Check::Wrapper(t) => format!("`{t}` (called through its wrapper)"),
        Check::ResultSpelling { spelled, implied } => {
            format!("a result spelled `{spelled}` for the meaning `{implied}`")
        }
    }
}

/// Maps the compiler's errors on `unit` back to description items.
pub fn diagnose(module: &str, unit: &CheckUnit, path: &Path, output: &str) -> CheckFailure {
    let unit_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut by_line: BTreeMap<usize, (Origin, Vec<String>)> = BTreeMap::new();
    let mut unmapped = Vec::new();
    for d in parse_diagnostics(output) {
        let in_unit = Path::new(&d.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            == unit_name;
        match unit.origin(d.line).filter(|_| in_unit) {
            Some(o) => by_line
                .entry(d.line)
                .or_insert_with(|| (o.clone(), Vec::new()))
                .1
                .push(d.message),
            None => unmapped.push(format!("{}:{}: {}", d.file, d.line, d.message)),
        }
    }
    // A header that cannot be included makes every other error noise.
    let header_missing = by_line
        .values()
        .any(|(o, _)| matches!(o.check, Check::Include));
    let mut mismatches = Vec::new();
    for (origin, messages) in by_line.into_values() {
        if header_missing && !matches!(origin.check, Check::Include) {
            continue;
        }
        let compiler = messages.join("; ");
        let header = header_side(&origin, &messages);
        mismatches.push(Mismatch {
            item: origin.item.clone(),
            described: described(&origin.check),
            header,
            compiler,
        });
    }
    if header_missing {
        unmapped.clear();
    }
    CheckFailure {
        module: module.to_string(),
        unit_path: path.to_path_buf(),
        mismatches,
        unmapped,
        raw: output.to_string(),
    }
}

/// What the compiler's own messages tell of the header's side.
fn header_side(origin: &Origin, messages: &[String]) -> Option<String> {
    let first = messages.first()?;
    match &origin.check {
        Check::Signature(_) => {
            if first.contains("undeclared") {
                return Some("no such function".to_string());
            }
            // gcc: "initialization of 'D' from incompatible pointer type 'H'";
            // clang: "... initializing 'D' with an expression of type 'H'".
            let q = quoted(first);
            q.last().filter(|_| q.len() >= 2).map(|h| {
                let h = tidy(h);
                // clang spells the function type itself: `int (int, int)`.
                if h.contains("(*") {
                    format!("`{h}`")
                } else {
                    format!("`{}`", h.replacen(" (", " (*)(", 1))
                }
            })
        }
        Check::Wrapper(_)
            if first.contains("undeclared") || first.contains("implicit declaration") =>
        {
            Some("no such macro or function".to_string())
        }
        Check::Value(_) if first.contains("undeclared") => Some("no such enumerator".to_string()),
        Check::Constant(_) if first.contains("undeclared") => {
            Some("no such macro or enumerator".to_string())
        }
        Check::Offset(_) | Check::FieldType(_) if first.contains("has no member") => {
            Some("no such field".to_string())
        }
        Check::Size(_) | Check::Align(_)
            if first.contains("unknown type name") || first.contains("expected") =>
        {
            Some("no such type".to_string())
        }
        _ => None,
    }
}

/// For failed layout and value checks, compiles a small probe unit whose
/// errors reveal the header's numbers and types.
fn reveal_header_side(
    unit: &CheckUnit,
    path: &Path,
    compiler: &CompilerCommand,
    failure: &mut CheckFailure,
) {
    let wanted: Vec<usize> = failure
        .mismatches
        .iter()
        .enumerate()
        .filter(|(_, m)| m.header.is_none())
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return;
    }
    // The probe unit: the same prelude (every line up to the first check of a
    // type), then one line per probe.
    let text = unit.text();
    let prelude: Vec<&str> = text
        .lines()
        .enumerate()
        .take_while(|(i, _)| {
            unit.origin(i + 1)
                .is_none_or(|o| matches!(o.check, Check::Include))
        })
        .map(|(_, l)| l)
        .collect();
    let mut probe_text = prelude.join("\n");
    probe_text.push('\n');
    let first_probe_line = prelude.len() + 1;
    let mut probes: Vec<(usize, &Probe)> = Vec::new();
    for &i in &wanted {
        let m = &failure.mismatches[i];
        let Some((_, origin)) = unit
            .origins()
            .find(|(_, o)| o.item == m.item && described(&o.check) == m.described)
        else {
            continue;
        };
        let Some(probe) = &origin.probe else { continue };
        let n = probes.len();
        let line = match probe {
            Probe::Number(e) => format!("int ffi_probe_{n} = (char (*)[{e}])0;"),
            Probe::Signed(e) => format!(
                "int ffi_probe_{n} = (char (*)[({e}) < 0 ? -({e}) : 0][({e}) < 0 ? 0 : ({e})])0;"
            ),
            Probe::PointerType(e) => format!("int ffi_probe_{n} = {e};"),
        };
        probe_text.push_str(&line);
        probe_text.push('\n');
        probes.push((i, probe));
    }
    if probes.is_empty() {
        return;
    }
    let probe_path = path.with_extension("probe.c");
    if std::fs::write(&probe_path, probe_text).is_err() {
        return;
    }
    let Ok((_, output)) = compiler.run(&probe_path, &[]) else {
        return;
    };
    let mut found: BTreeMap<usize, String> = BTreeMap::new();
    for l in output.lines() {
        let Some((loc, msg)) = l
            .split_once(": error: ")
            .or_else(|| l.split_once(": warning: "))
        else {
            continue;
        };
        let mut parts = loc.rsplitn(3, ':');
        let _col = parts.next();
        let Some(line) = parts.next().and_then(|s| s.parse::<usize>().ok()) else {
            continue;
        };
        let Some(k) = line.checked_sub(first_probe_line) else {
            continue;
        };
        if k >= probes.len() || found.contains_key(&k) {
            continue;
        }
        let q = quoted(msg);
        let Some(ty) = q.iter().find(|t| t.contains('*') && t.as_str() != "int") else {
            continue;
        };
        let value = match probes[k].1 {
            Probe::Number(_) => dims(ty).first().map(|n| n.to_string()),
            Probe::Signed(_) => match dims(ty).as_slice() {
                [neg, pos] => Some((*pos as i128 - *neg as i128).to_string()),
                _ => None,
            },
            Probe::PointerType(_) => Some(format!("type `{}`", tidy(&pointee(ty)))),
        };
        if let Some(v) = value {
            found.insert(k, v);
        }
    }
    for (k, v) in found {
        let i = probes[k].0;
        let m = &mut failure.mismatches[i];
        m.header = Some(match probes[k].1 {
            Probe::PointerType(_) => v,
            _ => {
                let what = m.described.split(' ').next().unwrap_or("");
                format!("{what} {v}")
            }
        });
    }
    let _ = std::fs::remove_file(&probe_path);
}

/// The array dimensions of `char (*)[16][3]`.
fn dims(ty: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut rest = ty;
    while let Some(s) = rest.find('[') {
        let after = &rest[s + 1..];
        let Some(e) = after.find(']') else { break };
        if let Ok(n) = after[..e].trim().parse::<u64>() {
            out.push(n);
        }
        rest = &after[e + 1..];
    }
    out
}

/// The type a pointer type points at: `double *` → `double`,
/// `char (*)[16]` → `char[16]`.
fn pointee(ptr: &str) -> String {
    if let Some(i) = ptr.find("(*)") {
        format!("{}{}", ptr[..i].trim_end(), &ptr[i + 3..])
    } else {
        ptr.trim_end().trim_end_matches('*').trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcc_lines() {
        let d = parse_diagnostics(
            "/tmp/x/vocab_check.c:12:31: error: initialization of 'int (*const)(int,  long int)' from incompatible pointer type 'int (*)(int,  int)' [-Werror=incompatible-pointer-types]\n   12 | int ...\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 12);
        assert_eq!(d[0].file, "/tmp/x/vocab_check.c");
        let q = quoted(&d[0].message);
        assert_eq!(tidy(&q[1]), "int (*)(int, int)");
        assert_eq!(tidy(&q[0]), "int (*const)(int, long)");
    }

    #[test]
    fn pointees() {
        assert_eq!(pointee("double *"), "double");
        assert_eq!(pointee("char (*)[16]"), "char[16]");
        assert_eq!(dims("char (*)[0][5]"), vec![0, 5]);
    }
}

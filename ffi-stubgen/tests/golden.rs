//! Golden tests: every header under `tests/golden/` is imported with the
//! flags its `ffi-stubgen-flags:` comment declares; the draft must equal
//! `NAME.rs` beside it, and then either its check unit must equal `NAME.c`
//! (and compile against the header), or, when the draft still holds
//! `Unresolved` markers, the parser's errors must equal `NAME.err`.
//!
//! Re-bless the expected files with `BLESS=1 cargo test -p ffi-stubgen --test golden`.

use ffi_stubgen::import::{import, ImportOptions};
use ffi_stubgen::{check_compiles, check_unit, description_from_str, StubgenError};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/golden";

/// Splits a flags line into words, honouring single quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn options(header: &Path, text: &str) -> ImportOptions {
    let line = text
        .lines()
        .find_map(|l| l.split_once("ffi-stubgen-flags:").map(|(_, f)| f))
        .unwrap_or_else(|| {
            panic!(
                "{} declares no `ffi-stubgen-flags:` comment",
                header.display()
            )
        });
    let line = line.trim().trim_end_matches("*/");
    let mut opts = ImportOptions::new(header, "");
    let mut it = words(line).into_iter();
    while let Some(w) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| panic!("{w} needs a value"));
        match w.as_str() {
            "--library" => opts.library = val(),
            "--allow" => opts.allow.push(val()),
            "-I" => opts.includes.push(PathBuf::from(val())),
            "--clang-arg" => opts.clang_args.push(val()),
            other => panic!("{}: unknown flag {other}", header.display()),
        }
    }
    opts.output = Some(header.with_extension("rs").display().to_string());
    opts
}

/// Compares `actual` with the file, or rewrites it under `BLESS=1`.
fn expect(path: &Path, actual: Option<&str>, failures: &mut Vec<String>) {
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0");
    let existing = std::fs::read_to_string(path).ok();
    if bless {
        match actual {
            Some(a) => std::fs::write(path, a).unwrap(),
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
        return;
    }
    match (actual, existing.as_deref()) {
        (Some(a), Some(e)) if a == e => {}
        (None, None) => {}
        (Some(a), Some(e)) => {
            let line = a
                .lines()
                .zip(e.lines())
                .position(|(x, y)| x != y)
                .map(|i| i + 1)
                .unwrap_or_else(|| a.lines().count().min(e.lines().count()) + 1);
            failures.push(format!(
                "{} differs from the output at line {line} (re-bless with BLESS=1):\n--- expected\n{}\n--- actual\n{}",
                path.display(),
                e.lines().nth(line - 1).unwrap_or("<end>"),
                a.lines().nth(line - 1).unwrap_or("<end>")
            ));
        }
        (Some(_), None) => failures.push(format!(
            "{} is missing (bless with BLESS=1)",
            path.display()
        )),
        (None, Some(_)) => failures.push(format!(
            "{} is stale: nothing produces it now (BLESS=1 removes it)",
            path.display()
        )),
    }
}

#[test]
fn golden() {
    let mut headers: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .map(|p| Path::new(DIR).join(p.file_name().unwrap()))
        .collect();
    headers.sort();
    assert!(headers.len() >= 4, "{headers:?}");
    let mut failures = Vec::new();
    let mut compiled = 0;
    for h in &headers {
        let text = std::fs::read_to_string(h).unwrap();
        let opts = options(h, &text);
        let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
        expect(&h.with_extension("rs"), Some(&imported.text), &mut failures);
        match description_from_str(&imported.text, h.with_extension("rs")) {
            Ok(desc) => {
                let unit = check_unit(&desc);
                expect(&h.with_extension("c"), Some(&unit), &mut failures);
                expect(&h.with_extension("err"), None, &mut failures);
                let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
                    "golden_{}.c",
                    h.file_stem().unwrap().to_string_lossy()
                ));
                match check_compiles(&desc, &out, &[PathBuf::from(DIR)]) {
                    Ok(()) => compiled += 1,
                    Err(e) => failures.push(format!(
                        "{}: the check unit does not compile: {e}",
                        h.display()
                    )),
                }
            }
            Err(StubgenError::Description { errors, .. }) => {
                let mut err = String::new();
                for e in &errors {
                    err.push_str(&format!("{e}\n"));
                }
                expect(&h.with_extension("err"), Some(&err), &mut failures);
                expect(&h.with_extension("c"), None, &mut failures);
            }
            Err(e) => failures.push(format!("{}: {e}", h.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        compiled >= 2,
        "at least two golden drafts compile against their headers"
    );
}

//! Importing real headers: zlib and sqlite3 (Debian's zlib1g-dev and
//! libsqlite3-dev), and the time an import takes next to plain bindgen.

use ffi_stubgen::import::{bindgen_baseline, import, Import, ImportOptions};
use ffi_stubgen::{check_compiles, description_from_str, StubgenError};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn import_system(header: &str, library: &str) -> Option<Import> {
    let path = Path::new("/usr/include").join(header);
    if !path.exists() {
        eprintln!("skipped: {} is not installed", path.display());
        return None;
    }
    let opts = ImportOptions::new(&path, library);
    Some(import(&opts).unwrap_or_else(|e| panic!("{e}")))
}

/// The whole functions of a draft compile against the real header.
fn resolved_part_compiles(imported: &Import, name: &str) -> usize {
    let (text, removed) = common::whole_part(imported);
    let desc =
        description_from_str(&text, format!("{name}.rs")).unwrap_or_else(|e| panic!("{e}\n{text}"));
    if let Err(e) = check_compiles(&desc, scratch(&format!("{name}_check.c")), &[]) {
        panic!("{e}");
    }
    assert_eq!(
        desc.functions.len() + removed,
        imported.report.functions.len()
    );
    desc.functions.len()
}

#[test]
fn zlib_imports_whole() {
    let Some(imported) = import_system("zlib.h", "z") else {
        return;
    };
    let r = &imported.report;
    eprintln!("zlib.h: {}", r.summary());
    // The draft cannot be parsed until its markers are resolved, so the
    // functions are counted from the import's own report.
    assert!(r.functions.len() >= 80, "{} functions", r.functions.len());
    for f in [
        "compress2",
        "uncompress",
        "crc32",
        "adler32",
        "gzopen",
        "gzclose",
        "deflate",
        "inflate",
    ] {
        assert!(r.functions.iter().any(|g| g == f), "{f} missing");
    }
    assert!(imported.text.starts_with("// Drafted by ffi-stubgen from `zlib.h`:\n//     ffi-stubgen import --header /usr/include/zlib.h --library z\n"));
    assert!(r.markers > 0);
    // Strong evidence only: `crc32(uLong, const Bytef *buf, uInt len)`.
    assert!(imported.text.contains(
        "fn crc32(crc: c_ulong, #[c_type = \"const Bytef *\"] buf: In<[c_uchar], len = len>, len: c_uint) -> c_ulong;"
    ) || imported.text.contains("buf: In<[c_uchar], len = len>"), "{}", imported.text);
    assert!(imported
        .text
        .contains("#[opaque(c_pointer = \"gzFile\", free = gzclose)]"));
    assert!(imported
        .text
        .contains("fn gzclose(file: Owned<GzFile>) -> c_int;"));
    assert!(imported.text.contains("fn compress2("));
    // zlib's out buffer: its capacity in, and the count out, through `destLen`.
    assert!(imported
        .text
        .contains("dest: Out<[c_uchar], cap = destLen>,\n            #[c_type = \"uLongf *\"]\n            destLen: InOut<c_ulong>,"));
    // gzclose_r frees the file too: never borrowed.
    assert!(imported
        .text
        .contains("fn gzclose_r(file: Owned<GzFile>) -> c_int;"));
    assert!(imported
        .text
        .contains("// - function-like macro `deflateInit(strm, level)`"));
    // Unresolved markers stop the parser, with the C type named.
    let err = description_from_str(&imported.text, "zlib_draft.rs").unwrap_err();
    let StubgenError::Description { errors, .. } = &err else {
        panic!("{err}")
    };
    let unresolved = errors
        .iter()
        .filter(|e| e.message.contains("unresolved pointer"))
        .count();
    assert_eq!(unresolved, r.markers, "one error per marker");
    assert!(
        errors[0]
            .message
            .contains("unresolved pointer `z_streamp` left by `ffi-stubgen import`"),
        "{}",
        errors[0].message
    );
    let resolved = resolved_part_compiles(&imported, "zlib_draft");
    eprintln!("zlib.h: {resolved} functions need no decision and compile against the header");
    // Deterministic.
    let again = import_system("zlib.h", "z").unwrap();
    assert_eq!(again.text, imported.text);
}

/// The raw drafts of the libraries the repository describes by hand are
/// committed (`tests/drafts/`): re-importing each header must give its draft
/// again, so any change of the importer shows as a diff, and each hand-resolved
/// description (`tests/src/*.rs`) reads as its draft resolved. Re-bless with
/// `BLESS=1 cargo test -p ffi-stubgen --test import`.
const COMMITTED_DRAFTS: &[(&str, &str, &str)] = &[
    ("zlib.h", "z", "zlib.rs"),
    ("expat.h", "expat", "expat.rs"),
    ("sqlite3.h", "sqlite3", "sqlite3.rs"),
    ("yaml.h", "yaml", "yaml.rs"),
];

#[test]
fn committed_drafts_are_unchanged() {
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0");
    let mut stale = Vec::new();
    for &(header, library, draft) in COMMITTED_DRAFTS {
        let header = Path::new("/usr/include").join(header);
        assert!(
            header.exists(),
            "{} is not installed: run scripts/install-deps",
            header.display()
        );
        let committed = Path::new("tests/drafts").join(draft);
        let mut opts = ImportOptions::new(&header, library);
        // As run from the workspace's root.
        opts.output = Some(format!("ffi-stubgen/tests/drafts/{draft}"));
        let imported = import(&opts).unwrap_or_else(|e| panic!("{}: {e}", header.display()));
        if bless {
            std::fs::write(&committed, &imported.text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&committed)
            .unwrap_or_else(|e| panic!("{}: {e} (bless with BLESS=1)", committed.display()));
        if imported.text != expected {
            let line = imported
                .text
                .lines()
                .zip(expected.lines())
                .position(|(a, e)| a != e)
                .unwrap_or_else(|| imported.text.lines().count().min(expected.lines().count()));
            stale.push(format!(
                "{} differs at line {}:\n--- committed\n{}\n--- imported\n{}",
                committed.display(),
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                imported.text.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "re-bless with BLESS=1 after reading the diff:\n{}",
        stale.join("\n")
    );
}

/// The description the repository uses (`tests/src/zlib.rs`) is the draft
/// resolved: each drafted function is either described there under its C
/// name or listed, with its reason, in its comment of removed functions.
#[test]
fn zlib_resolved_accounts_for_every_drafted_function() {
    let draft = std::fs::read_to_string("tests/drafts/zlib.rs").unwrap();
    let resolved_path = Path::new("../tests/src/zlib.rs");
    let resolved = std::fs::read_to_string(resolved_path).unwrap();
    assert!(resolved.contains(
        "//     ffi-stubgen import --header /usr/include/zlib.h --library z -o ffi-stubgen/tests/drafts/zlib.rs"
    ));
    let desc = ffi_stubgen::description_from_file(resolved_path).unwrap_or_else(|e| panic!("{e}"));
    let (comment, _) = resolved
        .split_once("\nuse ")
        .expect("the comment comes before the code");
    let drafted = draft_c_names(&draft);
    assert_eq!(drafted.len(), 80);
    let mut removed = 0;
    for c in &drafted {
        if desc.functions.iter().any(|f| &f.c_name == c) {
            continue;
        }
        assert!(
            comment.contains(&format!("`{c}`")),
            "`{c}` is neither described nor listed as removed"
        );
        removed += 1;
    }
    assert_eq!(desc.functions.len() + removed, drafted.len());
    eprintln!(
        "zlib: {} of {} drafted functions resolved, {removed} removed with a reason",
        desc.functions.len(),
        drafted.len()
    );
}

/// The C names of the functions of a draft (its `#[c_name]` or its name).
fn draft_c_names(draft: &str) -> Vec<String> {
    let file = syn::parse_file(draft).expect("a draft is Rust");
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        for it in m.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Trait(t) = it else { continue };
            for f in &t.items {
                let syn::TraitItem::Fn(f) = f else { continue };
                let c_name = f.attrs.iter().find_map(|a| match &a.meta {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("c_name") => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => Some(s.value()),
                        _ => None,
                    },
                    _ => None,
                });
                out.push(c_name.unwrap_or_else(|| f.sig.ident.to_string()));
            }
        }
    }
    out
}

#[test]
fn sqlite3_imports_whole() {
    let Some(imported) = import_system("sqlite3.h", "sqlite3") else {
        return;
    };
    let r = &imported.report;
    eprintln!("sqlite3.h: {}", r.summary());
    assert!(r.functions.len() >= 250, "{} functions", r.functions.len());
    for f in [
        "sqlite3_open",
        "sqlite3_prepare_v2",
        "sqlite3_step",
        "sqlite3_column_int",
        "sqlite3_finalize",
        "sqlite3_close",
    ] {
        assert!(r.functions.iter().any(|g| g == f), "{f} missing");
    }
    assert!(imported.text.contains("prefix = \"sqlite3_\""));
    assert!(imported
        .text
        .contains("#[opaque(c_type = \"sqlite3_stmt\", free = finalize)]"));
    assert!(imported.text.contains("fn libversion() -> Borrowed<CStr>;"));
    let resolved = resolved_part_compiles(&imported, "sqlite3_draft");
    eprintln!("sqlite3.h: {resolved} functions need no decision and compile against the header");
}

/// Import time next to plain bindgen on the same header, measured side by
/// side in one run (figures printed; no assertion on time).
#[test]
fn sqlite3_import_time_next_to_bindgen() {
    let header = Path::new("/usr/include/sqlite3.h");
    if !header.exists() {
        eprintln!("skipped: sqlite3.h is not installed");
        return;
    }
    let opts = ImportOptions::new(header, "sqlite3");
    // Warm up (libclang loading, page cache).
    bindgen_baseline(&opts, true).unwrap();
    import(&opts).unwrap();
    let rounds = 3;
    let (mut plain, mut raw, mut ours) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..rounds {
        let t = Instant::now();
        let out = bindgen_baseline(&opts, true).unwrap();
        plain.push(t.elapsed());
        assert!(out.contains("sqlite3_open"));
        let t = Instant::now();
        let out = bindgen_baseline(&opts, false).unwrap();
        raw.push(t.elapsed());
        assert!(out.contains("sqlite3_open"));
        let t = Instant::now();
        let imported = import(&opts).unwrap();
        ours.push(t.elapsed());
        last = Some(imported.report);
    }
    let median = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    let (p, r, o) = (median(&mut plain), median(&mut raw), median(&mut ours));
    let report = last.unwrap();
    println!(
        "sqlite3.h, median of {rounds} side by side: plain bindgen (default settings) {p:.1} ms; \
         bindgen without formatting {r:.1} ms; ffi-stubgen import {o:.1} ms (of which bindgen {:.1} ms); \
         import / plain bindgen = {:.2}, import / unformatted bindgen = {:.2}",
        report.bindgen_time.as_secs_f64() * 1e3,
        o / p,
        o / r
    );
}

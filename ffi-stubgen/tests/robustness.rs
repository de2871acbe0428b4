//! The importer on ordinary headers: an umbrella header, a header named as
//! `#include <...>` names it, a header that needs another first, and odd
//! headers generated in bulk, none of which may make it panic.

use ffi_stubgen::import::{import, Import, ImportOptions};
use ffi_stubgen::{check_compiles, description_from_str, draft_from_file, StubgenError};
use std::path::{Path, PathBuf};

mod common;

const UMBRELLA: &str = "tests/umbrella";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The draft parses as a draft (its markers kept).
fn parses_as_draft(imported: &Import, name: &str) {
    let path = scratch(name);
    std::fs::write(&path, &imported.text).unwrap();
    if let Err(e) = draft_from_file(&path) {
        panic!("{e}\n{}", imported.text);
    }
}

fn message(e: &StubgenError) -> String {
    match e {
        StubgenError::Import { message, .. } => message.clone(),
        other => panic!("not an import error: {other}"),
    }
}

#[test]
fn an_umbrella_header_imports_its_librarys_sub_headers() {
    let opts = ImportOptions::new(Path::new(UMBRELLA).join("umb.h"), "umb");
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    let r = &imported.report;
    let mut fns = r.functions.clone();
    fns.sort();
    // Not stdio's functions: stdio.h is no header of the library.
    assert_eq!(
        fns,
        [
            "umb_doc_free",
            "umb_doc_new",
            "umb_emit",
            "umb_parse",
            "umb_version"
        ]
    );
    assert!(imported
        .text
        .contains("#[foreign(library = \"umb\", header = \"umb.h\", prefix = \"umb_\")]"));
    assert!(
        imported
            .text
            .contains("#[wrap]\n        fn version() -> c_int;"),
        "{}",
        imported.text
    );
    // The macro's backslash-continued parameters stay in one comment line.
    assert!(imported
        .text
        .contains("// - function-like macro `UMB_EMIT_TWICE(d, out)`: "));
    parses_as_draft(&imported, "umb.rs");
    // Every function is whole, and the draft matches the header.
    assert_eq!(r.whole.len(), 5, "{}", imported.text);
    let desc = description_from_str(&imported.text, "umb.rs").unwrap_or_else(|e| panic!("{e}"));
    let include = std::fs::canonicalize(UMBRELLA).unwrap();
    check_compiles(&desc, scratch("umb_check.c"), &[include]).unwrap_or_else(|e| panic!("{e}"));
}

/// `lzma.h` sits right in /usr/include and only includes `lzma/*.h`: the
/// directory named after it is the library's.
#[test]
fn an_umbrella_in_a_system_directory_imports_the_directory_named_after_it() {
    if !Path::new("/usr/include/lzma/base.h").exists() {
        eprintln!("skipped: liblzma-dev is not installed");
        return;
    }
    let imported = import(&ImportOptions::new("lzma.h", "lzma")).unwrap_or_else(|e| panic!("{e}"));
    let fns = &imported.report.functions;
    assert!(fns.iter().any(|f| f == "lzma_code"), "{fns:?}");
    assert!(fns.iter().any(|f| f == "lzma_easy_encoder"), "{fns:?}");
    // Not the C library's, though lzma.h includes its headers.
    assert!(
        !fns.iter().any(|f| f == "memcpy" || f == "malloc"),
        "{fns:?}"
    );
    parses_as_draft(&imported, "lzma.rs");
}

/// A package's include directory (`-I/usr/include/libxml2`) is searched
/// for the header and imported from: `libxml/parser.h` brings `tree.h`'s
/// functions, which are libxml's too.
#[test]
fn a_pkg_config_package_is_searched_and_imported_from() {
    let known = std::process::Command::new("pkg-config")
        .args(["--exists", "libxml-2.0"])
        .status()
        .is_ok_and(|s| s.success());
    if !known {
        eprintln!("skipped: pkg-config does not know libxml-2.0");
        return;
    }
    let mut opts = ImportOptions::new("libxml/parser.h", "xml2");
    opts.pkg_config.push("libxml-2.0".to_string());
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.text.contains("header = \"libxml/parser.h\""));
    assert!(imported.text.contains("--pkg-config libxml-2.0"));
    let fns = &imported.report.functions;
    assert!(fns.iter().any(|f| f == "xmlReadMemory"), "parser.h's own");
    assert!(
        fns.iter().any(|f| f == "xmlNewDoc"),
        "tree.h's, in the package's directory"
    );
    parses_as_draft(&imported, "libxml.rs");
}

#[test]
fn allow_narrows_an_umbrella_import() {
    let mut opts = ImportOptions::new(Path::new(UMBRELLA).join("umb.h"), "umb");
    opts.allow.push("umb_parse|umb_doc".to_string());
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.report.functions, ["umb_parse"]);
}

#[test]
fn a_header_is_found_as_include_finds_it() {
    // On the -I path, named as the include names it.
    let mut opts = ImportOptions::new("umb/parse.h", "umb");
    opts.includes.push(PathBuf::from(UMBRELLA));
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.text.contains("header = \"umb/parse.h\""));
    assert!(imported
        .text
        .contains("// Drafted by ffi-stubgen from `umb/parse.h`:"));
    let mut fns = imported.report.functions.clone();
    fns.sort();
    // Its directory tree: emit.h beside it is the library's too, but it is
    // not included, so nothing of it is declared.
    assert_eq!(fns, ["umb_doc_free", "umb_doc_new", "umb_parse"]);
    // On the compiler's own include path.
    if Path::new("/usr/include/zlib.h").exists() {
        let imported = import(&ImportOptions::new("zlib.h", "z")).unwrap_or_else(|e| panic!("{e}"));
        assert!(imported.report.functions.iter().any(|f| f == "crc32"));
    }
}

#[test]
fn a_header_that_is_nowhere_says_where_it_was_looked_for() {
    let err = import(&ImportOptions::new("no/such/header.h", "x")).unwrap_err();
    let m = message(&err);
    assert!(m.contains("no such header on the include path"), "{m}");
    assert!(
        m.contains("-I DIR") && m.contains("--pkg-config NAME"),
        "{m}"
    );
    let mut opts = ImportOptions::new("zlib.h", "z");
    opts.pkg_config
        .push("no-such-package-of-this-test".to_string());
    let m = message(&import(&opts).unwrap_err());
    assert!(
        m.contains("--pkg-config no-such-package-of-this-test: pkg-config"),
        "{m}"
    );
}

#[test]
fn a_header_that_needs_types_it_does_not_include_names_them_and_the_fix() {
    let header = Path::new(UMBRELLA).join("needs_types.h");
    let err = import(&ImportOptions::new(&header, "nt")).unwrap_err();
    let m = message(&err);
    assert!(
        m.contains("the header uses `FILE` without including what declares it: add --clang-arg=-includestdio.h"),
        "{m}"
    );
    assert!(
        m.contains("`size_t`") && m.contains("-includestddef.h"),
        "{m}"
    );
    // The flag it names fixes it.
    let mut opts = ImportOptions::new(&header, "nt");
    opts.clang_args.push("-includestdio.h".to_string());
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.report.functions, ["nt_dump"]);
}

#[test]
fn a_flag_clang_refuses_is_an_error_not_a_panic() {
    let mut opts = ImportOptions::new(Path::new(UMBRELLA).join("umb.h"), "umb");
    opts.clang_args.push("-std=no-such-standard".to_string());
    let m = message(&import(&opts).unwrap_err());
    assert!(
        m.contains("clang refused its arguments or the header"),
        "{m}"
    );
}

#[test]
fn a_link_name_that_is_no_identifier_is_named_after_its_words() {
    let opts = ImportOptions::new(Path::new(UMBRELLA).join("umb.h"), "umb-2.0");
    let imported = import(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.text.contains("#[foreign(library = \"umb-2.0\""));
    assert!(imported.text.contains("pub mod umb_2_0 {"));
    assert!(imported.text.contains("pub trait Umb20 {"));
    parses_as_draft(&imported, "umb_hyphen.rs");
}

/// A tiny deterministic generator (no dependency): xorshift.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Pieces of C that headers really hold, odd ones among them.
const TYPES: &[&str] = &[
    "int",
    "unsigned long",
    "const char *",
    "char *",
    "const void *",
    "void *",
    "size_t",
    "const unsigned char *",
    "struct odd_s *",
    "odd_t *",
    "odd_t **",
    "const odd_t *",
    "odd_cb",
    "double",
    "long long",
    "_Bool",
    "int *",
    "const char **",
    "union odd_u *",
    "enum odd_e",
    "struct odd_rec",
    "int (*)(int)",
    "odd_arr_t",
    "wchar_t *",
    "float _Complex",
    "__int128",
    "va_list",
    "odd_name",
    "odd_vp",
    "struct odd_snap *",
    "struct odd_snap **",
    "struct odd_ev *",
    "odd_dtor",
    "void (*)(void *)",
];

const NAMES: &[&str] = &[
    "len",
    "n",
    "buf",
    "src",
    "srcSize",
    "dst",
    "dstCapacity",
    "type",
    "match",
    "self",
    "fn",
    "user",
    "ud",
    "flags",
    "size",
    "nitems",
    "s",
    "out",
    "outLen",
    "_",
    "x1",
    "Self",
    "r#",
    "",
];

const PREAMBLE: &str = r#"#include <stddef.h>
#include <stdarg.h>
#include <wchar.h>
typedef struct odd_s odd_t;
struct odd_rec { int a; char tag[4]; unsigned bits : 3; union { int i; float f; } u; };
union odd_u;
enum odd_e { ODD_A = -1, ODD_B = 0x7fffffff, ODD_C };
typedef int odd_arr_t[4];
typedef void (*odd_cb)(void *user, const char *s, int len);
#define ODD_MACRO(a, \
                  b) ((a) + (b))
#define ODD_STR "a \"quoted\" \\ string"
#define ODD_FLOAT 1.5e300
#define ODD_BIG 0xffffffffffffffffULL
/* a comment with a // and a /* inside, and unicode: é ∀ */
typedef const char *odd_name;
void odd_name_free(odd_name n);
typedef void *odd_vp;
void odd_vp_free(odd_vp p);
struct odd_snap { int x; };
void odd_snap_free(struct odd_snap *s);
struct odd_ev { int kind; union { char *s; int i; } u; };
void odd_ev_delete(struct odd_ev *e);
typedef void (*odd_dtor)(void *);
#define ODD_STATIC ((odd_dtor)0)
#define ODD_COPY ((odd_dtor) - 1)
"#;

/// One odd header, drawn from `rng`.
fn odd_header(rng: &mut Rng, i: usize) -> String {
    let mut h = String::from(PREAMBLE);
    let fns = 1 + rng.next() % 6;
    for f in 0..fns {
        let ret = rng.pick(&[
            "int",
            "void",
            "odd_t *",
            "const char *",
            "struct odd_rec",
            "odd_cb",
            "char *",
        ]);
        let params = rng.next() % 6;
        let mut ps = Vec::new();
        for p in 0..params {
            let t = rng.pick(TYPES);
            let n = rng.pick(NAMES);
            // A C parameter needs a C name: the odd ones become plain.
            let n = if n.is_empty() || n == "r#" || n == "_" {
                format!("p{p}")
            } else {
                n.to_string()
            };
            let n = if ps.iter().any(|q: &String| q.ends_with(&format!(" {n}"))) {
                format!("{n}{p}")
            } else {
                n
            };
            ps.push(match t {
                "int (*)(int)" => format!("int (*{n})(int)"),
                "void (*)(void *)" => format!("void (*{n})(void *)"),
                _ => format!("{t} {n}"),
            });
        }
        if rng.next() % 7 == 0 {
            ps.push("...".to_string());
            if ps.len() == 1 {
                ps.insert(0, "int first".to_string());
            }
        }
        let name = format!(
            "odd{i}_{}",
            rng.pick(&["free", "create", "new_x", "set_y", "close_r", "open", "f"])
        );
        let args = if ps.is_empty() {
            "void".to_string()
        } else {
            ps.join(", ")
        };
        if rng.next() % 5 == 0 {
            h.push_str(&format!(
                "static inline {ret} {name}{f}({args}) {{ return ({ret})0; }}\n"
            ));
        } else {
            h.push_str(&format!("{ret} {name}{f}({args});\n"));
        }
    }
    if rng.next() % 4 == 0 {
        h.push_str("void odd_free(odd_t *o);\n");
    }
    h
}

/// Odd headers, drawn deterministically: each import writes a draft that
/// parses as one, or fails with an import error; none panics.
#[test]
fn odd_headers_never_make_the_importer_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut drafted, mut refused) = (0, 0);
    for i in 0..40 {
        let text = odd_header(&mut rng, i);
        let path = scratch(&format!("odd{i}.h"));
        std::fs::write(&path, &text).unwrap();
        let library = ["odd", "odd-lib", "2odd", "type", "x.y"][i % 5];
        let opts = ImportOptions::new(&path, library);
        let result = std::panic::catch_unwind(|| import(&opts));
        match result {
            Err(_) => panic!("the importer panicked on:\n{text}"),
            Ok(Ok(imported)) => {
                parses_as_draft(&imported, &format!("odd{i}.rs"));
                // What it counts whole parses as a description.
                let (whole, _) = common::whole_part(&imported);
                if let Err(e) = description_from_str(&whole, format!("odd{i}_whole.rs")) {
                    panic!("{e}\n{whole}\n--- from\n{text}");
                }
                drafted += 1;
            }
            Ok(Err(e)) => {
                assert!(matches!(e, StubgenError::Import { .. }), "{e}");
                refused += 1;
            }
        }
    }
    eprintln!("odd headers: {drafted} drafted, {refused} refused with an error");
    assert!(drafted > 20, "only {drafted} of 40 drafted");
}

//! How much of five real headers a draft resolves, and whether what it
//! resolves is right: expat, sqlite3, libyaml, lz4 and zstd are imported;
//! the share of functions drafted whole (no `Unresolved` marker) is printed;
//! the whole functions of each draft must match the header (their check
//! unit compiles), and each one a hand-resolved description also describes
//! must have its safe signature, or one narrower only where a person
//! decides (NULL allowed, how long C keeps a callback).

use ffi_stubgen::import::{import, ImportOptions};
use ffi_stubgen::{
    compile_check, description_from_file, description_from_str, draft_from_file, CompilerCommand,
    Description,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

mod common;

/// A header, its link name, and its hand-resolved descriptions (paths
/// from this crate).
const LIBRARIES: &[(&str, &str, &[&str])] = &[
    ("expat.h", "expat", &["../tests/src/expat.rs"]),
    ("sqlite3.h", "sqlite3", &["../tests/src/sqlite.rs"]),
    (
        "yaml.h",
        "yaml",
        &["../tests/src/yaml.rs", "tests/references/yaml.rs"],
    ),
    ("lz4.h", "lz4", &["../examples/lz4-app/src/lz4.rs"]),
    ("zstd.h", "zstd", &["tests/references/zstd.rs"]),
];

/// The share the importer resolves today, kept from falling back.
const FLOOR: f64 = 0.53;

/// A function's meaning with every name made the C name it stands for:
/// parameters by position, types and callbacks by C spelling, functions by
/// C name; `u8` and `unsigned char` alike (one Rust type).
fn signature(desc: &Description, c_name: &str) -> Option<Value> {
    let f = desc.functions.iter().find(|f| f.c_name == c_name)?;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for t in &desc.types {
        let c = match &t.kind {
            ffi_desc::ir::TypeKind::Opaque { pointer_c_type, .. } => pointer_c_type.clone(),
            _ => t.c_name.clone(),
        };
        names.insert(t.name.clone(), format!("type {c}"));
    }
    for cb in &desc.callbacks {
        let c = cb.c_name.clone().unwrap_or_else(|| cb.name.clone());
        names.insert(cb.name.clone(), format!("callback {c}"));
    }
    for g in &desc.functions {
        names.insert(g.name.clone(), format!("function {}", g.c_name));
    }
    for (i, p) in f.params.iter().enumerate() {
        names.insert(p.name.clone(), format!("parameter {i}"));
    }
    let kinds: Vec<Value> = f
        .params
        .iter()
        .map(|p| serde_json::to_value(&p.kind).unwrap())
        .collect();
    let v = serde_json::json!({ "params": kinds, "ret": serde_json::to_value(&f.ret).unwrap() });
    Some(rename(v, &names))
}

fn rename(v: Value, names: &BTreeMap<String, String>) -> Value {
    match v {
        Value::String(s) => {
            let s = match s.as_str() {
                "UChar" => "U8".to_string(),
                "SChar" => "I8".to_string(),
                _ => names.get(&s).cloned().unwrap_or(s),
            };
            Value::String(s)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|x| rename(x, names)).collect()),
        // Keys are the IR's own variant and field names, never the
        // description's.
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, x)| (k, rename(x, names))).collect())
        }
        other => other,
    }
}

/// Whether the draft's meaning `d` is the reference's `r` or narrower only
/// where a person decides: the reference lets NULL through (`Option`,
/// `nullable`), says how long C keeps a callback (the draft keeps it as
/// long as the program runs), names the slot a callback is kept in, or
/// borrows a handle alone (`exclusive`).
fn narrower(d: &Value, r: &Value) -> bool {
    if d == r {
        return true;
    }
    if let Some(inner) = r.get("Option") {
        if d.get("Option").is_none() && r.as_object().is_some_and(|o| o.len() == 1) {
            return narrower(d, inner);
        }
    }
    match (d, r) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| narrower(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().all(|k| {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                match k.as_str() {
                    "nullable" => x == y || (x != &Value::Bool(true) && y == &Value::Bool(true)),
                    // Whether a function needs its handle alone (`&mut H`:
                    // the state a child depends on, `XML_ParserReset`) is a
                    // person's to say; the draft borrows it shared.
                    "exclusive" => x == y || (x != &Value::Bool(true) && y == &Value::Bool(true)),
                    "stored" => x == &Value::Bool(true) || x == y,
                    // A slot's name is a person's: the draft gives each
                    // setter's callback a slot of its own, where a person may
                    // share one between setters of one C slot.
                    "slot" => x.is_null() || x == y || (x.is_string() && y.is_string()),
                    _ => narrower(x, y),
                }
            })
        }
        _ => false,
    }
}

/// One library's figures.
struct Figures {
    functions: usize,
    whole: usize,
    same: usize,
    person: Vec<String>,
    /// Functions of the references the draft holds with markers, whose
    /// stated parts agree with them.
    partial: usize,
    /// The functions left with markers, by the C types marked (the
    /// largest groups are where a new inference would count most).
    left: BTreeMap<String, usize>,
}

/// The C types marked `Unresolved` anywhere in `v`, a function's meaning
/// as JSON.
fn marked(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(c) = o.get("Unresolved").and_then(|u| u.get("c_type")) {
                out.insert(c.as_str().unwrap_or_default().to_string());
            }
            o.values().for_each(|x| marked(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| marked(x, out)),
        _ => {}
    }
}

/// The draft's functions left with markers, grouped by what is marked
/// (`sqlite3_context *`, a result `-> const void *`, or several joined by
/// ` + `).
fn left_by_marker(draft: &Description) -> BTreeMap<String, usize> {
    let mut left = BTreeMap::new();
    for f in &draft.functions {
        let mut types = std::collections::BTreeSet::new();
        marked(&serde_json::to_value(&f.params).unwrap(), &mut types);
        let mut ret = std::collections::BTreeSet::new();
        marked(&serde_json::to_value(&f.ret).unwrap(), &mut ret);
        types.extend(ret.into_iter().map(|t| format!("-> {t}")));
        if !types.is_empty() {
            let key = types.into_iter().collect::<Vec<_>>().join(" + ");
            *left.entry(key).or_insert(0) += 1;
        }
    }
    left
}

/// The largest groups of `left`, for the printed figures.
fn largest(left: &BTreeMap<String, usize>, n: usize) -> String {
    let mut groups: Vec<(&String, &usize)> = left.iter().collect();
    groups.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    groups
        .iter()
        .take(n)
        .map(|(k, c)| format!("{c} × `{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn measure(header: &str, library: &str, references: &[&str]) -> Option<Figures> {
    let path = Path::new("/usr/include").join(header);
    if !path.exists() {
        eprintln!("skipped: {} is not installed", path.display());
        return None;
    }
    let imported = import(&ImportOptions::new(&path, library)).unwrap_or_else(|e| panic!("{e}"));
    let (text, _) = common::whole_part(&imported);
    let draft = description_from_str(&text, format!("{library}_whole.rs"))
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    // Each whole function builds: its check unit compiles against the header.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("share");
    std::fs::create_dir_all(&dir).unwrap();
    // (Deprecated functions are drafted too: whether to keep them is a
    // person's choice, so their warnings are not this check's.)
    let mut compiler = CompilerCommand::system();
    compiler
        .args
        .push("-Wno-deprecated-declarations".to_string());
    let unit = ffi_stubgen::cunit::generate(&draft);
    compile_check(
        &draft.module,
        &unit,
        &dir.join(format!("{library}_whole.c")),
        &compiler,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let references: Vec<Description> = references
        .iter()
        .map(|r| description_from_file(r).unwrap_or_else(|e| panic!("{r}: {e}")))
        .collect();
    let mut figures = Figures {
        functions: imported.report.functions.len(),
        whole: imported.report.whole.len(),
        same: 0,
        person: Vec::new(),
        partial: 0,
        left: BTreeMap::new(),
    };
    let mut wrong = Vec::new();
    for f in &draft.functions {
        let Some(r) = references.iter().find_map(|d| signature(d, &f.c_name)) else {
            continue;
        };
        let d = signature(&draft, &f.c_name).unwrap();
        if d == r {
            figures.same += 1;
        } else if narrower(&d, &r) {
            figures.person.push(f.c_name.clone());
        } else {
            wrong.push(format!("{}:\n  draft     {d}\n  reference {r}", f.c_name));
        }
    }
    assert!(
        wrong.is_empty(),
        "{header}: whole functions unlike the hand-resolved description:\n{}",
        wrong.join("\n")
    );
    let full = full_draft(&imported.text, library);
    figures.partial = partly_drafted_agree(&full, &references, &draft);
    figures.left = left_by_marker(&full);
    Some(figures)
}

/// The whole draft, markers kept.
fn full_draft(text: &str, library: &str) -> Description {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("share/{library}_draft.rs"));
    std::fs::write(&path, text).unwrap();
    draft_from_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The functions the references describe that the draft holds with some
/// marker: every parameter and result the draft did state must be the
/// reference's or narrower (a count it left a plain value, where the
/// reference pairs it with a pointer the draft left `Unresolved`, is the
/// person's pairing). Returns how many were compared.
fn partly_drafted_agree(
    draft: &Description,
    references: &[Description],
    whole: &Description,
) -> usize {
    let library = &draft.library;
    let mut compared = 0;
    let mut wrong = Vec::new();
    for f in &draft.functions {
        if whole.functions.iter().any(|w| w.c_name == f.c_name) {
            continue;
        }
        let Some(r) = references.iter().find_map(|d| signature(d, &f.c_name)) else {
            continue;
        };
        let d = signature(draft, &f.c_name).unwrap();
        let (dp, rp) = (
            d["params"].as_array().unwrap(),
            r["params"].as_array().unwrap(),
        );
        let stated = |v: &Value| v.get("Unresolved").is_none();
        let agree = dp.len() == rp.len()
            && dp.iter().zip(rp).all(|(x, y)| {
                !stated(x)
                    || narrower(x, y)
                    || (x.get("Value").is_some() && y.get("Length").is_some())
            })
            && (!stated(&d["ret"]) || narrower(&d["ret"], &r["ret"]));
        compared += 1;
        if !agree {
            wrong.push(format!("{}:\n  draft     {d}\n  reference {r}", f.c_name));
        }
    }
    assert!(
        wrong.is_empty(),
        "{library}: what the draft states of these functions is unlike the hand-resolved description:\n{}",
        wrong.join("\n")
    );
    compared
}

/// zlib is no header of the five, but it has a hand-resolved description
/// too: its whole functions are checked the same way.
#[test]
fn zlibs_whole_functions_match_its_description() {
    let Some(f) = measure("zlib.h", "z", &["../tests/src/zlib.rs"]) else {
        return;
    };
    println!(
        "zlib.h: {} of {} functions whole; {} the same as tests/src/zlib.rs, {} narrower where a person decides",
        f.whole,
        f.functions,
        f.same,
        f.person.len()
    );
    assert!(f.same > 0);
}

#[test]
fn share_of_whole_functions_on_five_headers() {
    let (mut functions, mut whole) = (0, 0);
    let mut left = BTreeMap::new();
    for (header, library, reference) in LIBRARIES {
        let Some(f) = measure(header, library, reference) else {
            continue;
        };
        println!(
            "{header}: {} of {} functions whole ({:.0} %); of those the hand-resolved description has, \
             {} the same and {} narrower where a person decides{}; {} more it has drafted with \
             markers, agreeing where stated",
            f.whole,
            f.functions,
            100.0 * f.whole as f64 / f.functions as f64,
            f.same,
            f.person.len(),
            if f.person.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.person.join(", "))
            },
            f.partial
        );
        println!(
            "{header}: the largest groups left with markers: {}",
            largest(&f.left, 6)
        );
        for (k, c) in &f.left {
            *left.entry(k.clone()).or_insert(0) += c;
        }
        functions += f.functions;
        whole += f.whole;
    }
    if functions == 0 {
        return;
    }
    println!(
        "the five headers: the largest groups left with markers: {}",
        largest(&left, 10)
    );
    let share = whole as f64 / functions as f64;
    println!(
        "the five headers: {whole} of {functions} functions drafted whole: {:.1} % (the goal is 60 %)",
        100.0 * share
    );
    assert!(share >= FLOOR, "the share fell to {:.1} %", 100.0 * share);
}

//! A draft is seen whole: `import` on the real zlib.h, then `json --draft`
//! lists every drafted function, its unresolved pointers kept as such, while
//! plain `json` (like every linkage) refuses the markers.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ffi-stubgen"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ffi-stubgen-draft-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn zlib_draft_json_lists_every_function() {
    let draft = scratch("zlib.rs");
    let out = bin()
        .args([
            "import",
            "--header",
            "/usr/include/zlib.h",
            "--library",
            "z",
            "-o",
        ])
        .arg(&draft)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = bin()
        .args(["json", "--draft", "--description"])
        .arg(&draft)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ir: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let functions = ir["functions"].as_array().unwrap();
    assert!(functions.len() >= 80, "{} functions", functions.len());
    let unresolved = functions
        .iter()
        .flat_map(|f| f["params"].as_array().unwrap())
        .filter(|p| p["kind"].get("Unresolved").is_some())
        .count();
    assert!(unresolved > 0, "the draft's markers are kept");

    let out = bin()
        .args(["json", "--description"])
        .arg(&draft)
        .output()
        .unwrap();
    assert!(!out.status.success(), "plain json refuses a draft");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unresolved pointer"));
}

//! The example application built three ways (`--features linked`, `loaded`,
//! `isolated`): every build runs the same scenario and prints the same
//! lines, and `unikernel-image-check` passes the Isolated build and fails the
//! other two, naming what it found.
//!
//! The builds run `cargo` with a target directory of their own under
//! `target/tmp`, so they neither wait for nor disturb the build running this
//! test.

#[path = "../examples/app/vocab.rs"]
mod vocab;
#[path = "../examples/app/zlib.rs"]
mod zlib;

use std::path::{Path, PathBuf};
use std::process::Command;

const LINKAGES: [&str; 3] = ["linked", "loaded", "isolated"];

/// Builds the examples with `--features <linkage>` and copies the
/// executables into a directory of that linkage's own (the next build
/// overwrites `target/.../examples/`). Returns the copy of `app`.
fn build(linkage: &str, root: &Path) -> PathBuf {
    let target = root.join("target");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "unikernel-link", "--examples"])
        .args(["--no-default-features", "--features", linkage])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo build --features {linkage} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = target.join("debug").join("examples");
    let dir = root.join(linkage);
    std::fs::create_dir_all(&dir).unwrap();
    let names: &[&str] = if linkage == "isolated" {
        &["app", "app-domain"]
    } else {
        &["app"]
    };
    for name in names {
        // Copy by writing a fresh file, so a running copy is never overwritten.
        let dest = dir.join(name);
        let _ = std::fs::remove_file(&dest);
        std::fs::copy(built.join(name), &dest).unwrap();
    }
    dir.join("app")
}

/// Runs the application; returns its standard output, checking that it
/// succeeded and named its linkage.
fn run(linkage: &str, app: &Path) -> String {
    let out = Command::new(app).output().expect("run the app");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the {linkage} app failed ({}):\n{stderr}",
        out.status
    );
    assert!(
        stderr.contains(&format!("app: linkage {linkage}")),
        "{stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the image check on `app` with the application's two descriptions;
/// returns the exit code and the report.
fn image_check(app: &Path, root: &Path) -> (i32, String) {
    let descriptions = [
        ("vocab.json", vocab::vocab::DESCRIPTION_JSON),
        ("zlib.json", zlib::zlib::DESCRIPTION_JSON),
    ];
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unikernel-image-check"));
    cmd.arg(app);
    for (name, json) in descriptions {
        let path = root.join(name);
        std::fs::write(&path, json).unwrap();
        cmd.arg(path);
    }
    let out = cmd.output().unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), report)
}

#[test]
fn three_builds_agree_and_only_the_isolated_one_is_free_of_c() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("unikernel-app");
    std::fs::create_dir_all(&root).unwrap();
    let apps: Vec<PathBuf> = LINKAGES.iter().map(|l| build(l, &root)).collect();

    // The same scenario, the same output.
    let outputs: Vec<String> = LINKAGES
        .iter()
        .zip(&apps)
        .map(|(l, app)| run(l, app))
        .collect();
    println!("the scenario's output:\n{}", outputs[0]);
    assert!(outputs[0].contains("hello, unikernel!"), "{}", outputs[0]);
    assert!(outputs[0].contains("equal: true"), "{}", outputs[0]);
    for (linkage, output) in LINKAGES.iter().zip(&outputs).skip(1) {
        assert_eq!(
            output, &outputs[0],
            "the {linkage} build printed something else than the linked one"
        );
    }

    // The image check.
    let reports: Vec<(i32, String)> = apps.iter().map(|app| image_check(app, &root)).collect();
    for (linkage, (code, report)) in LINKAGES.iter().zip(&reports) {
        println!("{linkage} build (exit {code}):\n{report}");
    }
    let (code, report) = &reports[0];
    assert_eq!(*code, 1, "linked: {report}");
    for found in [
        "defines `sv_greet` of vocab (library `sample_vocab`)",
        "defines `sv_each` of vocab",
        "imports `compress2` of zlib (library `z`)",
        "imports `zlibVersion` of zlib",
        "needs `libz.so.1` (DT_NEEDED) of zlib",
    ] {
        assert!(report.contains(found), "linked: no `{found}` in\n{report}");
    }
    let (code, report) = &reports[1];
    assert_eq!(*code, 1, "loaded: {report}");
    assert!(
        report.contains("imports `dlopen`: it can load libraries at run time"),
        "loaded: {report}"
    );
    assert!(
        !report.contains("defines") && !report.contains("needs"),
        "loaded: the C code itself must not be in the image:\n{report}"
    );
    let (code, report) = &reports[2];
    assert_eq!(*code, 0, "isolated: {report}");
    assert!(
        report.contains("clean: none of the 18 described C functions"),
        "isolated: {report}"
    );
}

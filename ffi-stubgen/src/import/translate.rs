//! Running bindgen (libclang) on the header, and reading its output back as
//! Rust items.

use super::locate::{locate, Located};
use super::ImportOptions;
use crate::error::StubgenError;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// bindgen's translation of a header.
pub(super) struct Translation {
    /// bindgen's output, every struct and union under its C tag.
    pub(super) file: syn::File,
    /// The function-like macros defined once the header is preprocessed.
    pub(super) fn_macros: BTreeSet<String>,
    /// Each record's size and alignment, by bindgen's name.
    pub(super) layouts: std::collections::BTreeMap<String, (u64, u64)>,
    /// The files of the import's scope the header included, itself first.
    pub(super) files: Vec<std::path::PathBuf>,
    /// Time from `start` until bindgen was done.
    pub(super) bindgen_time: Duration,
}

/// The bindgen builder both the import and the plain-bindgen baseline use
/// for the same header scope.
fn scope(opts: &ImportOptions, at: &Located) -> bindgen::Builder {
    let mut b = bindgen::builder().header(at.path.display().to_string());
    for i in &at.includes {
        b = b.clang_arg(format!("-I{}", i.display()));
    }
    for a in &opts.clang_args {
        b = b.clang_arg(a.clone());
    }
    if opts.allow.is_empty() {
        b = b.allowlist_file(regex::escape(&at.path.display().to_string()));
        for t in &at.trees {
            b = b.allowlist_file(format!("{}/.*", regex::escape(&t.display().to_string())));
        }
    } else {
        for a in &opts.allow {
            b = b.allowlist_function(a).allowlist_type(a).allowlist_var(a);
        }
    }
    b
}

fn run_bindgen(opts: &ImportOptions, b: bindgen::Builder) -> Result<String, StubgenError> {
    let err = |message: String| StubgenError::Import {
        header: opts.header.clone(),
        message,
    };
    // bindgen panics when libclang cannot be loaded or refuses its
    // arguments: caught, and reported as an error rather than printed.
    let result = quietly(|| b.generate());
    match result {
        Ok(Ok(bindings)) => Ok(bindings.to_string()),
        Ok(Err(e)) => Err(err(with_missing_types(format!("bindgen: {e}")))),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let first = msg.lines().next().unwrap_or("").trim_end_matches(';');
            Err(err(if msg.contains("libclang error") {
                "clang refused its arguments or the header: check the --clang-arg, -I and \
                 --pkg-config flags"
                    .to_string()
            } else {
                format!(
                    "bindgen failed ({first}); is libclang installed (Debian: apt-get install libclang-dev)?"
                )
            }))
        }
    }
}

/// Runs `f`, catching its panic without the panic hook printing it for
/// this thread (other threads' panics are printed as before).
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send>;
    let previous: Arc<Hook> = Arc::new(std::panic::take_hook());
    let me = std::thread::current().id();
    let chained = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != me {
            chained(info);
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let _ = std::panic::take_hook();
    // Put back the hook that was there (another thread may have swapped
    // hooks meanwhile; the default hook is the fallback).
    match Arc::try_unwrap(previous) {
        Ok(h) => std::panic::set_hook(h),
        Err(shared) => std::panic::set_hook(Box::new(move |info| shared(info))),
    }
    result
}

/// Where the types a header often uses without including them are declared.
const TYPE_HEADERS: &[(&str, &str)] = &[
    ("FILE", "stdio.h"),
    ("size_t", "stddef.h"),
    ("ptrdiff_t", "stddef.h"),
    ("wchar_t", "stddef.h"),
    ("va_list", "stdarg.h"),
    ("bool", "stdbool.h"),
    ("time_t", "time.h"),
    ("off_t", "sys/types.h"),
    ("ssize_t", "sys/types.h"),
    ("pid_t", "sys/types.h"),
];

/// `message` (clang's errors) with, for each `unknown type name 'T'`, the
/// type named again and the flag that declares it first.
fn with_missing_types(message: String) -> String {
    let re = regex::Regex::new(r"unknown type name '([A-Za-z_]\w*)'").ok();
    let mut missing: Vec<String> = re
        .iter()
        .flat_map(|re| re.captures_iter(&message))
        .map(|c| c[1].to_string())
        .collect();
    missing.dedup();
    let mut seen = BTreeSet::new();
    let mut hints = Vec::new();
    for t in missing.into_iter().filter(|t| seen.insert(t.clone())) {
        let header = TYPE_HEADERS
            .iter()
            .find(|(n, _)| *n == t)
            .map(|(_, h)| *h)
            .or_else(|| (t.ends_with("_t") && t.contains("int")).then_some("stdint.h"));
        hints.push(match header {
            Some(h) => format!(
                "the header uses `{t}` without including what declares it: \
                 add --clang-arg=-include{h} (or include <{h}> in it)"
            ),
            None => format!(
                "the header uses `{t}`, which nothing it includes declares: include the header \
                 that declares it first with --clang-arg=-include<header>, or add its directory with -I"
            ),
        });
    }
    if hints.is_empty() {
        message
    } else {
        format!("{}\n{message}", hints.join("\n"))
    }
}

/// Plain bindgen on the same header scope as [`import`](super::import), with bindgen's
/// default settings (which format the output with `rustfmt` when it is
/// installed, unless `formatted` is false): the baseline an import's time is
/// compared with.
pub fn bindgen_baseline(opts: &ImportOptions, formatted: bool) -> Result<String, StubgenError> {
    let at = locate(opts)?;
    let b = scope(opts, &at);
    let b = if formatted {
        b
    } else {
        b.formatter(bindgen::Formatter::None)
    };
    run_bindgen(opts, b)
}

/// Translates `opts.header` with the settings the importer reads back.
pub(super) fn translate(
    opts: &ImportOptions,
    at: &Located,
    start: Instant,
) -> Result<Translation, StubgenError> {
    // bindgen translates `static` functions only when it also writes C
    // wrappers for them, to a file of its own: a scratch path, removed after
    // (the check unit defines the wrappers a description uses).
    static SCRATCH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let scratch = std::env::temp_dir().join(format!(
        "ffi-stubgen-{}-{}",
        std::process::id(),
        SCRATCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let macros = Arc::new(Mutex::new(BTreeSet::new()));
    let tags = Arc::new(Mutex::new(Vec::new()));
    let included = Arc::new(Mutex::new(Vec::new()));
    let builder = scope(opts, at)
        .parse_callbacks(Box::new(FnMacros(macros.clone())))
        .parse_callbacks(Box::new(Included(included.clone())))
        .parse_callbacks(Box::new(Tags(tags.clone())))
        .c_naming(true)
        .rustified_enum(".*")
        // Its layout assertions give each record's size and alignment.
        .layout_tests(true)
        .derive_debug(false)
        .generate_cstr(true)
        // `static inline` functions too: drafted with #[wrap].
        .generate_inline_functions(true)
        .wrap_static_fns(true)
        .wrap_static_fns_path(scratch.join("static_fns"))
        .merge_extern_blocks(true)
        .formatter(bindgen::Formatter::None);
    let output = run_bindgen(opts, builder);
    let _ = std::fs::remove_dir_all(&scratch);
    let mut output = output?;
    let bindgen_time = start.elapsed();
    let renames = tags.lock().map(|t| t.clone()).unwrap_or_default();
    for (from, to) in renames {
        if let Ok(re) = regex::Regex::new(&format!(r"\b{}\b", regex::escape(&from))) {
            output = re.replace_all(&output, to.as_str()).into_owned();
        }
    }
    let layouts = layouts(&output);
    let file = syn::parse_file(&output).map_err(|e| StubgenError::Import {
        header: opts.header.clone(),
        message: format!("bindgen's output does not parse: {e}"),
    })?;
    let fn_macros = macros.lock().map(|m| m.clone()).unwrap_or_default();
    let mut files = vec![at.path.clone()];
    for f in included.lock().map(|f| f.clone()).unwrap_or_default() {
        let f = std::fs::canonicalize(&f).unwrap_or(f);
        if at.in_scope(&f) && !files.contains(&f) {
            files.push(f);
        }
    }
    Ok(Translation {
        file,
        fn_macros,
        layouts,
        files,
        bindgen_time,
    })
}

/// Collects the names of the function-like macros defined once the header
/// is preprocessed (bindgen does not translate them).
#[derive(Debug)]
struct FnMacros(Arc<Mutex<BTreeSet<String>>>);

impl bindgen::callbacks::ParseCallbacks for FnMacros {
    fn func_macro(&self, head: &str, _value: &[&[u8]]) {
        // `head` is the macro's name with its parameters: `deflateInit(strm,level)`.
        let name = head.split('(').next().unwrap_or(head);
        if let Ok(mut m) = self.0.lock() {
            m.insert(name.to_string());
        }
    }
}

/// Each record's size and alignment, from bindgen's layout assertions
/// (`["Size of T"][size_of::<T>() - 480usize]`).
fn layouts(output: &str) -> std::collections::BTreeMap<String, (u64, u64)> {
    let mut sizes = std::collections::BTreeMap::new();
    let mut aligns = std::collections::BTreeMap::new();
    let re =
        regex::Regex::new(r#""(Size|Alignment) of (\w+)"\s*\]\s*\[[^\]]*?-\s*(\d+)usize\s*\]"#);
    for c in re.iter().flat_map(|re| re.captures_iter(output)) {
        let Ok(n) = c[3].parse::<u64>() else { continue };
        let map = if &c[1] == "Size" {
            &mut sizes
        } else {
            &mut aligns
        };
        map.insert(c[2].to_string(), n);
    }
    sizes
        .into_iter()
        .filter_map(|(k, s)| aligns.get(&k).map(|a| (k, (s, *a))))
        .collect()
}

/// Collects the files the header includes, directly or not.
#[derive(Debug)]
struct Included(Arc<Mutex<Vec<std::path::PathBuf>>>);

impl bindgen::callbacks::ParseCallbacks for Included {
    fn include_file(&self, filename: &str) {
        if let Ok(mut f) = self.0.lock() {
            f.push(std::path::PathBuf::from(filename));
        }
    }
}

/// Collects the C tags of structs and unions: bindgen names a struct
/// declared inside another after both (`struct_outer_inner`), but C tags
/// live in one scope, so its C spelling is `struct inner`.
#[derive(Debug)]
struct Tags(Arc<Mutex<Vec<(String, String)>>>);

impl bindgen::callbacks::ParseCallbacks for Tags {
    fn new_item_found(
        &self,
        _id: bindgen::callbacks::DiscoveredItemId,
        item: bindgen::callbacks::DiscoveredItem,
    ) {
        use bindgen::callbacks::DiscoveredItem;
        let (kw, original, fin) = match item {
            DiscoveredItem::Struct {
                original_name: Some(o),
                final_name,
            } => ("struct", o, final_name),
            DiscoveredItem::Union {
                original_name: Some(o),
                final_name,
            } => ("union", o, final_name),
            _ => return,
        };
        let natural = format!("{kw}_{original}");
        if fin.starts_with(kw)
            && fin != natural
            && !original.contains(|c: char| !c.is_alphanumeric() && c != '_')
        {
            if let Ok(mut t) = self.0.lock() {
                t.push((fin, natural));
            }
        }
    }
}

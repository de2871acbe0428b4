//! The shared object and the header are where the crate's constants say.

use std::path::Path;

#[test]
fn shared_object_is_an_elf_file() {
    let path = Path::new(sample_libs::VOCAB_SHARED_LIBRARY);
    assert!(path.is_absolute(), "{}", path.display());
    assert_eq!(path.file_name().unwrap(), "libsample_vocab.so");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..4], b"\x7fELF", "{} is not ELF", path.display());
}

#[test]
fn shared_object_is_not_beside_the_static_archive() {
    let so_dir = Path::new(sample_libs::VOCAB_SHARED_LIBRARY)
        .parent()
        .unwrap();
    assert!(!so_dir.join("libsample_vocab.a").exists());
    assert!(so_dir.parent().unwrap().join("libsample_vocab.a").exists());
}

#[test]
fn header_and_source_exist() {
    let dir = Path::new(sample_libs::VOCAB_HEADER_DIR);
    assert!(dir.is_absolute());
    assert_eq!(Path::new(sample_libs::VOCAB_HEADER), dir.join("vocab.h"));
    let header = std::fs::read_to_string(sample_libs::VOCAB_HEADER).unwrap();
    assert!(header.contains("int sv_checked_div(int a, int b);"));
    let source = std::fs::read_to_string(sample_libs::VOCAB_SOURCE).unwrap();
    assert!(source.contains("#include \"vocab.h\""));
}

#[test]
fn shared_object_exports_every_function_of_the_header() {
    // Every `sv_` function declared in the header names a string in the .so
    // (its dynamic symbol table), without needing a dynamic loader here.
    let header = std::fs::read_to_string(sample_libs::VOCAB_HEADER).unwrap();
    let so = std::fs::read(sample_libs::VOCAB_SHARED_LIBRARY).unwrap();
    // A function is an `sv_` name directly followed by `(`; that leaves out
    // the types, the callback typedefs `(*sv_..._fn)` and the comments.
    let mut functions: Vec<&str> = Vec::new();
    for (at, _) in header.match_indices("sv_") {
        let rest = &header[at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let before = header[..at].chars().next_back();
        let is_word_start = !matches!(before, Some(c) if c.is_ascii_alphanumeric() || c == '_');
        if is_word_start && rest[end..].starts_with('(') && !functions.contains(&&rest[..end]) {
            functions.push(&rest[..end]);
        }
    }
    assert!(functions.len() > 70, "{functions:?}");
    for f in functions {
        let mut needle = f.as_bytes().to_vec();
        needle.push(0);
        assert!(
            so.windows(needle.len()).any(|w| w == needle.as_slice()),
            "{f} is not in the shared object"
        );
    }
}

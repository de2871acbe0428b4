//! Rust names for C names: the case conversions, the draft's type namespace,
//! and how records and enums are spelled and named.

use super::ctype::record_spelling;
use std::collections::{BTreeMap, BTreeSet};

/// Rust keywords (strict and reserved) that cannot name an item.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits a C name into lower-case words: `compressBound` → `compress`,
/// `bound`; `SV_RED` → `sv`, `red`; `HTTPServer2` → `http`, `server2`.
/// Any character that cannot be in an identifier separates words too
/// (`foo-bar` → `foo`, `bar`), so every name makes a Rust identifier.
pub(super) fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `snake_case`, keeping a trailing underscore (`deflateInit_` → `deflate_init_`).
pub fn snake(s: &str) -> String {
    let mut out = words(s).join("_");
    if s.ends_with('_') && !out.is_empty() {
        out.push('_');
    }
    valid_ident(out, "f")
}

/// `UpperCamelCase`.
pub fn camel(s: &str) -> String {
    let out: String = words(s)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    valid_ident(out, "T")
}

fn valid_ident(mut s: String, lead: &str) -> String {
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, lead);
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// The longest prefix ending in `_` that every name has and that leaves
/// every name non-empty (`sv_` for `sv_add`, `sv_sub`).
pub fn common_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    if names.len() < 2 {
        return String::new();
    }
    let first = names[0];
    let mut len = first.len();
    for n in &names[1..] {
        len = len.min(
            first
                .bytes()
                .zip(n.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let prefix = &first[..len];
    let Some(cut) = prefix.rfind('_') else {
        return String::new();
    };
    let prefix = &first[..=cut];
    if names.iter().any(|n| n.len() <= prefix.len()) {
        return String::new();
    }
    prefix.to_string()
}

/// Names the description's vocabulary or Rust's prelude already use: a
/// drafted type of one of these names is prefixed with `C`.
const RESERVED: &[&str] = &[
    "In",
    "Out",
    "InOut",
    "CStr",
    "Owned",
    "Borrowed",
    "Callback",
    "UserData",
    "Unresolved",
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Drop",
    "Send",
    "Sync",
    "Copy",
    "Clone",
    "Fn",
    "FnMut",
    "FnOnce",
    "Error",
    "Self",
    "Default",
    "Debug",
    "Iterator",
    "ToString",
];

/// The Rust names taken in a draft's type namespace.
#[derive(Default)]
pub(super) struct TypeNamespace {
    taken: BTreeSet<String>,
}

impl TypeNamespace {
    /// Takes a Rust type name not yet taken, as close to `want` as can be
    /// (`Point`, else `Point2`, `Point3`, ...).
    pub(super) fn fresh(&mut self, want: &str) -> String {
        let want = if RESERVED.contains(&want) {
            format!("C{want}")
        } else {
            want.to_string()
        };
        let mut name = want.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{want}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is taken.
    pub(super) fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// How the draft spells and names the records and enums of bindgen's output.
pub(super) struct Spellings {
    /// The first typedef name of each record and enum that has one, by
    /// bindgen's name.
    typedef_of: BTreeMap<String, String>,
    /// The prefix every function's name has (`sv_`), left out of Rust names.
    prefix: String,
}

impl Spellings {
    pub(super) fn new(typedef_of: BTreeMap<String, String>, prefix: String) -> Spellings {
        Spellings { typedef_of, prefix }
    }

    /// The prefix of every function's name.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// How C spells the type of bindgen's name `key`: its typedef name if it
    /// has one, else `struct tag`.
    pub(super) fn c_spelling(&self, key: &str) -> String {
        self.typedef_of
            .get(key)
            .cloned()
            .unwrap_or_else(|| record_spelling(key))
    }

    /// The C name a Rust type name is made from: the typedef name, else the
    /// tag, without the functions' prefix.
    pub(super) fn base_name(&self, key: &str) -> String {
        let base = self.typedef_of.get(key).cloned().unwrap_or_else(|| {
            let sp = record_spelling(key);
            sp.rsplit(' ').next().unwrap_or(&sp).to_string()
        });
        self.without_prefix(&base).to_string()
    }

    /// `name` without the functions' prefix, unless nothing would be left.
    pub(super) fn without_prefix<'a>(&self, name: &'a str) -> &'a str {
        name.strip_prefix(self.prefix.as_str())
            .filter(|r| !r.is_empty())
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("compressBound"), "compress_bound");
        assert_eq!(snake("deflateInit_"), "deflate_init_");
        assert_eq!(snake("zlibVersion"), "zlib_version");
        assert_eq!(snake("type"), "type_");
        assert_eq!(camel("sv_point"), "SvPoint");
        assert_eq!(camel("SV_RED"), "SvRed");
        assert_eq!(camel("z_stream"), "ZStream");
        assert_eq!(camel("2d"), "T2d");
        assert_eq!(snake("foo-bar"), "foo_bar");
        assert_eq!(camel("gtk-3.0"), "Gtk30");
        assert_eq!(snake("-"), "f");
        assert_eq!(common_prefix(["sv_add", "sv_sub"]), "sv_");
        assert_eq!(common_prefix(["SV_RED", "SV_GREEN", "SV_BLUE"]), "SV_");
        assert_eq!(
            common_prefix(["sqlite3_open", "sqlite3_open_v2"]),
            "sqlite3_"
        );
        assert_eq!(common_prefix(["compress", "crc32"]), "");
    }
}

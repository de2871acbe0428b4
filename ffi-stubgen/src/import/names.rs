//! Rust names for C names.

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
fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
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
        assert_eq!(common_prefix(["sv_add", "sv_sub"]), "sv_");
        assert_eq!(common_prefix(["SV_RED", "SV_GREEN", "SV_BLUE"]), "SV_");
        assert_eq!(
            common_prefix(["sqlite3_open", "sqlite3_open_v2"]),
            "sqlite3_"
        );
        assert_eq!(common_prefix(["compress", "crc32"]), "");
    }
}

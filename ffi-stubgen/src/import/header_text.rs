//! What only the header's text shows: its function-like macros and its
//! `static inline` functions, which bindgen translates partly or not at all.

use super::report::Skips;
use std::collections::BTreeSet;

/// A header's text without its comments (so commented-out code is not
/// read as declarations).
pub(super) struct HeaderText {
    text: String,
}

impl HeaderText {
    pub(super) fn new(raw: &str) -> HeaderText {
        HeaderText {
            text: strip_c_comments(raw),
        }
    }

    /// The names of the `static inline` functions it defines, in order.
    pub(super) fn inline_functions(&self) -> Vec<String> {
        let inline_re = regex::Regex::new(
            r"(?m)^[ \t]*(?:static[ \t]+(?:__inline__|__inline|inline)|(?:__inline__|__inline|inline)[ \t]+static)\b[^;{(]*?\b([A-Za-z_]\w*)[ \t]*\(",
        )
        .unwrap();
        inline_re
            .captures_iter(&self.text)
            .map(|c| c[1].to_string())
            .collect()
    }

    /// Whether the object-like macro `name` is defined with an unsigned
    /// integer literal in it (`0ULL - 1`, `1u << 31`).
    pub(super) fn has_unsigned_macro(&self, name: &str) -> bool {
        let re = format!(
            r"(?m)^[ \t]*#[ \t]*define[ \t]+{}[ \t]+.*\b(?:0[xX][0-9a-fA-F]+|[0-9]+)[lL]*[uU]",
            regex::escape(name)
        );
        regex::Regex::new(&re).is_ok_and(|r| r.is_match(&self.text))
    }

    /// The object-like macros that cast an integer to the type `typedef`
    /// (`#define SQLITE_TRANSIENT ((sqlite3_destructor_type)-1)`), each as
    /// its name and its value's text, in order.
    pub(super) fn casts_to(&self, typedef: &str) -> Vec<(String, String)> {
        let re = format!(
            r"(?m)^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+\([ \t]*\([ \t]*{}[ \t]*\)[ \t]*(-?[ \t]*[0-9][0-9a-fA-FxXuUlL]*)[ \t]*\)",
            regex::escape(typedef)
        );
        let Ok(re) = regex::Regex::new(&re) else {
            return Vec::new();
        };
        re.captures_iter(&self.text)
            .map(|c| (c[1].to_string(), c[2].split_whitespace().collect()))
            .collect()
    }

    /// The function-like macros it defines, each as its name and its
    /// parameter list, in order.
    fn function_like_macros(&self) -> Vec<(String, String)> {
        let macro_re =
            regex::Regex::new(r"(?m)^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)").unwrap();
        macro_re
            .captures_iter(&self.text)
            .map(|c| (c[1].to_string(), c[2].trim().to_string()))
            .collect()
    }
}

/// Lists for a person the header's function-like macros still defined after
/// preprocessing (`defined_macros`; a macro has no C type to draft from) and
/// its `static inline` functions that were neither drafted (`drafted`, by C
/// name) nor listed already with a reason.
pub(super) fn list_undrafted(
    header: &HeaderText,
    allowed: impl Fn(&str) -> bool,
    defined_macros: &BTreeSet<String>,
    drafted: &[String],
    skips: &mut Skips,
) {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for (name, params) in header.function_like_macros() {
        if allowed(&name) && defined_macros.contains(&name) && seen.insert(name.clone()) {
            found.push(("function-like macro", format!("{name}({params})"),
                "a macro has no C type: describe it by hand with #[wrap] and the signature it is used with"));
        }
    }
    for name in header.inline_functions() {
        // One that was drafted (with #[wrap]) is not listed; one that was
        // not has its reason listed as a function's already.
        if allowed(&name)
            && !drafted.contains(&name)
            && !skips.lists(&name)
            && seen.insert(name.clone())
        {
            found.push((
                "static inline function",
                name,
                "bindgen did not translate it: describe it by hand with #[wrap]",
            ));
        }
    }
    for (kind, name, reason) in found {
        skips.skip(kind, &name, reason);
    }
}

fn strip_c_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = s[i + 2..]
                .find("*/")
                .map(|e| i + 2 + e + 2)
                .unwrap_or(b.len());
            // Keep the line structure.
            out.extend(s[i..end].chars().filter(|&c| c == '\n'));
            i = end;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            let end = s[i..].find('\n').map(|e| i + e).unwrap_or(b.len());
            i = end;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

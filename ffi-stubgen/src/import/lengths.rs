//! Which integer parameter counts which pointer.
//!
//! A pointer and the integer right after it are a buffer and its length
//! only when the integer's name says it counts (`len`, `n`, `nByte`, or the
//! pointer's own name with `Size`, `Len`, `Capacity`: `src`, `srcSize`).
//! A count elsewhere in the signature is a pointer's only when its name is
//! the pointer's name and a suffix (`LZ4_compress_default(const char *src,
//! char *dst, int srcSize, int dstCapacity)`), and no other pointer's.
//! Both wrong readings are unsound: a length drafted as no length lets a
//! caller's number make C read past a slice, and a count of something else
//! (`const char *zName, int nArg`) drafted as a length hands C a slice where
//! it reads to a NUL. So a pointer whose length is not right after it, or an
//! adjacent integer whose name says nothing, is never paired: the draft
//! leaves the pointer `Unresolved`, with the pairing its names suggest as a
//! guess.

use super::ctype::CTy;
use super::names::words;

/// Names that on their own say "a count" (compared in lower case).
const BARE: &[&str] = &[
    "n", "len", "length", "size", "sz", "count", "cnt", "num", "nbyte", "nbytes", "bytes", "cap",
    "capacity", "nb", "nlen", "nsize", "nelem", "nelems", "nmemb", "nitems", "buflen", "bufsize",
];

/// Word endings that, after a buffer's name, say "its count" (`srcSize`).
const SUFFIXES: &[&str] = &[
    "size", "len", "length", "capacity", "cap", "bytes", "byte", "count",
];

/// Whether `name` is one bindgen made for a parameter the header left
/// unnamed (`arg4`), which says nothing of what it is.
fn is_unnamed(name: &str) -> bool {
    name.strip_prefix("arg")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `name` is a bare count word, whatever its case and underscores
/// (`N`, `N_`, `nByte`).
fn is_bare(name: &str) -> bool {
    BARE.contains(&words(name).concat().as_str())
}

/// Whether `t` is an integer (not `bool`, not a character).
pub(super) fn is_count_type(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Scalar(s) if s.is_integer() && !matches!(s, ffi_desc::ir::Scalar::Bool))
}

/// Whether an integer's name says it counts something, whatever it counts.
pub(super) fn is_count_name(name: &str) -> bool {
    if is_bare(name) {
        return true;
    }
    words(name)
        .last()
        .is_some_and(|w| SUFFIXES.contains(&w.as_str()))
}

/// Whether `len` names the count of the buffer `buf`: a bare count word, or
/// `buf`'s name (or the start of it: `dictBuffer`, `dictSize`) and a suffix.
pub(super) fn counts(buf: &str, len: &str) -> bool {
    if is_bare(len) {
        return true;
    }
    let ws = words(len);
    let Some((last, head)) = ws.split_last() else {
        return false;
    };
    if !SUFFIXES.contains(&last.as_str()) || head.is_empty() {
        return false;
    }
    let head = head.concat();
    let buf = words(buf).concat();
    buf.starts_with(&head) || head.starts_with(&buf)
}

/// The pairing of a function's pointers with their lengths.
pub(super) struct Pairs {
    /// For each parameter, the index of the parameter that counts it.
    length_of: Vec<Option<usize>>,
    /// The `integer *` parameters that are the capacity C reads and the
    /// count it writes of the out buffer named like them (zlib's `Bytef
    /// *dest, uLongf *destLen`).
    in_out_counts: Vec<bool>,
    /// Count-named integers no pointer right before them claims.
    loose: Vec<usize>,
}

impl Pairs {
    /// Pairs each pointer (its pointee a value, `void` or `char`) with the
    /// integer right after it when that integer's name counts it, and not
    /// when a second count follows (fread's `size, nitems`: the extent is
    /// their product).
    pub(super) fn new(params: &[(String, CTy)]) -> Pairs {
        let mut length_of = vec![None; params.len()];
        let mut claimed = vec![false; params.len()];
        for i in 0..params.len() {
            let (name, t) = &params[i];
            if !is_buffer(t) {
                continue;
            }
            let Some((next, nt)) = params.get(i + 1) else {
                continue;
            };
            let product = params.get(i + 2).is_some_and(|(n2, t2)| {
                is_count_type(t2)
                    && (is_count_name(n2) || (t2.strip() == nt.strip() && !is_flag_name(n2)))
            });
            if is_count_type(nt) && counts(name, next) && !product && counts_its_unit(t, next) {
                length_of[i] = Some(i + 1);
                claimed[i + 1] = true;
            }
        }
        // Counts named after their pointer, wherever they are.
        for i in 0..params.len() {
            if length_of[i].is_some() || !is_buffer(&params[i].1) {
                continue;
            }
            let own: Vec<usize> = (0..params.len())
                .filter(|&j| !claimed[j] && is_count_type(&params[j].1))
                .filter(|&j| named_after(&params[i].0, &params[j].0))
                .filter(|&j| counts_its_unit(&params[i].1, &params[j].0))
                .collect();
            let [j] = own.as_slice() else { continue };
            let rivals = (0..params.len())
                .filter(|&k| {
                    k != i && is_buffer(&params[k].1) && named_after(&params[k].0, &params[*j].0)
                })
                .count();
            if rivals == 0 {
                length_of[i] = Some(*j);
                claimed[*j] = true;
            }
        }
        let mut in_out_counts = vec![false; params.len()];
        for i in 0..params.len() {
            if length_of[i].is_some() || !is_out_buffer(&params[i].1) {
                continue;
            }
            let own: Vec<usize> = (0..params.len())
                .filter(|&j| !claimed[j] && is_count_pointer(&params[j].1))
                .filter(|&j| named_after(&params[i].0, &params[j].0))
                .collect();
            if let [j] = own.as_slice() {
                length_of[i] = Some(*j);
                claimed[*j] = true;
                in_out_counts[*j] = true;
            }
        }
        // An integer the header left unnamed (bindgen's `argN`:
        // `sqlite3_bind_text(sqlite3_stmt*, int, const char*, int, ..)`) may
        // be a count too.
        let loose = params
            .iter()
            .enumerate()
            .filter(|(i, (n, t))| {
                !claimed[*i] && is_count_type(t) && (is_count_name(n) || is_unnamed(n))
            })
            .map(|(i, _)| i)
            .collect();
        Pairs {
            length_of,
            in_out_counts,
            loose,
        }
    }

    /// Whether parameter `i` is an out buffer's capacity and count, passed
    /// by pointer.
    pub(super) fn is_in_out_count(&self, i: usize) -> bool {
        self.in_out_counts.get(i).copied().unwrap_or(false)
    }

    /// The parameter that counts parameter `i`, when structure says so.
    pub(super) fn length_of(&self, i: usize) -> Option<usize> {
        self.length_of.get(i).copied().flatten()
    }

    /// Whether some count-named integer is claimed by no pointer: then a
    /// pointer without a length may be the one it counts.
    pub(super) fn has_loose(&self) -> bool {
        !self.loose.is_empty()
    }

    /// The loose count named after the pointer `buf` (`srcSize` for
    /// `src`), for a guess; none when no name says so (a bare `size` far
    /// from the pointer, or fread's `size, nitems`, would mislead).
    pub(super) fn guess_for(&self, buf: &str, params: &[(String, CTy)]) -> Option<usize> {
        let bare = |i: &usize| is_bare(&params[*i].0);
        self.loose
            .iter()
            .copied()
            .find(|i| !bare(i) && counts(buf, &params[*i].0))
    }

    /// fread's shape at parameter `i`: the two counts right after it, whose
    /// product is its extent.
    pub(super) fn product_after(
        &self,
        i: usize,
        params: &[(String, CTy)],
    ) -> Option<(String, String)> {
        let (a, b) = (params.get(i + 1)?, params.get(i + 2)?);
        (self.length_of(i).is_none()
            && is_buffer(&params[i].1)
            && is_count_type(&a.1)
            && is_count_type(&b.1)
            && counts(&params[i].0, &a.0))
        .then(|| (a.0.clone(), b.0.clone()))
    }
}

/// Whether an integer's name says it is a flag or a setting, not a count
/// (`XML_Parse(.., const char *s, int len, int isFinal)`).
fn is_flag_name(name: &str) -> bool {
    let ws = words(name);
    let first = ws.first().map(String::as_str);
    matches!(
        first,
        Some("is" | "has" | "flag" | "flags" | "mode" | "level" | "options" | "opts")
    ) || ws.last().is_some_and(|w| w == "flag" || w == "flags")
}

/// Whether `len` is `buf`'s name and a count suffix (`src`, `srcSize`).
fn named_after(buf: &str, len: &str) -> bool {
    let ws = words(len);
    match ws.split_last() {
        Some((last, head)) => {
            SUFFIXES.contains(&last.as_str())
                && !head.is_empty()
                && head.concat() == words(buf).concat()
        }
        None => false,
    }
}

/// Words that count bytes; `n`, `count` and `num` may count elements of
/// a size the signature does not say.
const BYTE_WORDS: &[&str] = &[
    "len", "length", "size", "sz", "nbyte", "nbytes", "bytes", "byte", "cap", "capacity", "buflen",
    "bufsize", "nlen", "nsize",
];

/// Whether the count `len` is in the unit of the pointer `t`'s elements: a
/// `void *` has none, so only a count of bytes (`len`, `srcSize`) is its
/// extent; `void *buf, size_t count` may be `count` elements of four bytes.
fn counts_its_unit(t: &CTy, len: &str) -> bool {
    if !matches!(t.strip(), CTy::Ptr { to, .. } if *to.strip() == CTy::Void) {
        return true;
    }
    let ws = words(len);
    BYTE_WORDS.contains(&ws.concat().as_str())
        || ws.last().is_some_and(|w| BYTE_WORDS.contains(&w.as_str()))
}

/// Whether `t` is `integer *`.
fn is_count_pointer(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { is_const: false, to } if is_count_type(to))
}

/// Whether `t` is a non-`const` pointer to what can be a buffer.
fn is_out_buffer(t: &CTy) -> bool {
    matches!(
        t.strip(),
        CTy::Ptr {
            is_const: false,
            ..
        }
    ) && is_buffer(t)
}

/// Whether `t` points to what can be a buffer of elements.
fn is_buffer(t: &CTy) -> bool {
    matches!(t.strip(), CTy::Ptr { to, .. } if is_element(to))
}

/// Whether a pointer to `t` can be a buffer of elements: a value, `void`
/// (bytes) or `char` (bytes).
fn is_element(t: &CTy) -> bool {
    matches!(
        t.strip(),
        CTy::Void | CTy::Scalar(_) | CTy::Record(_) | CTy::Enum(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_count() {
        assert!(counts("src", "srcSize"));
        assert!(counts("dictBuffer", "dictSize"));
        assert!(counts("s", "len"));
        assert!(counts("zSql", "nByte"));
        assert!(counts("zIn", "N_"));
        assert!(counts("dst", "dstCapacity"));
        assert!(!counts("zFunctionName", "nArg"));
        assert!(!counts("name", "pageSize"));
        assert!(!counts("s", "isFinal"));
        assert!(!counts("src", "dstCapacity"));
        assert!(is_count_name("dstCapacity"));
        assert!(named_after("src", "srcSize"));
        assert!(!named_after("src", "dstCapacity"));
        assert!(!named_after("dictBuffer", "dictSize"));
        let int = |n: &str| (n.to_string(), CTy::Scalar(ffi_desc::ir::Scalar::Int));
        let size = |n: &str| (n.to_string(), CTy::Scalar(ffi_desc::ir::Scalar::SizeT));
        let bytes = |n: &str| {
            let to = Box::new(CTy::Void);
            (
                n.to_string(),
                CTy::Ptr {
                    is_const: false,
                    to,
                },
            )
        };
        // fread's shape: the extent is a product, no one parameter.
        let fread = Pairs::new(&[bytes("buf"), size("size"), size("k")]);
        assert_eq!(fread.length_of(0), None);
        let parse = Pairs::new(&[bytes("s"), int("len"), int("isFinal")]);
        assert_eq!(parse.length_of(0), Some(1));
        let lz4 = Pairs::new(&[
            bytes("src"),
            bytes("dst"),
            int("srcSize"),
            int("dstCapacity"),
        ]);
        assert_eq!((lz4.length_of(0), lz4.length_of(1)), (Some(2), Some(3)));
        let nargs = Pairs::new(&[bytes("zName"), int("nArg")]);
        assert_eq!(nargs.length_of(0), None);
        assert!(!nargs.has_loose());
        // An unnamed integer may count the string.
        let unnamed = Pairs::new(&[bytes("arg3"), int("arg4")]);
        assert!(unnamed.has_loose());
        // A void * counted in elements of a size no one says.
        let elems = Pairs::new(&[bytes("buf"), size("count")]);
        assert_eq!(elems.length_of(0), None);
        assert!(elems.has_loose());
        let ulong = |n: &str| {
            let to = Box::new(CTy::Scalar(ffi_desc::ir::Scalar::ULong));
            (
                n.to_string(),
                CTy::Ptr {
                    is_const: false,
                    to,
                },
            )
        };
        let zlib = Pairs::new(&[
            bytes("dest"),
            ulong("destLen"),
            bytes("source"),
            size("sourceLen"),
        ]);
        assert_eq!(zlib.length_of(0), Some(1));
        assert!(zlib.is_in_out_count(1));
        assert!(!is_count_name("flags"));
    }
}

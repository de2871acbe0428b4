//! The attributes of a described function.

use crate::syntax::attrs::{find_attr, string_attr};
use crate::syntax::Parser;
use proc_macro2::Span;
use syn::{Attribute, Ident, Meta};

pub(super) struct FnAttrs<'a> {
    /// `#[c_name = ".."]`, or the prefix and the Rust name.
    pub(super) c_name: String,
    /// `#[errno]`.
    pub(super) errno: bool,
    /// `#[c_type = ".."]`: the C spelling of the result.
    pub(super) ret_c_type: Option<String>,
    /// `#[wrap]`: a function-like macro or `static inline` function, called
    /// through the wrapper the check unit defines.
    pub(super) wrap: Option<&'a Attribute>,
    /// `#[clears(slot, ..)]`: C forgets the callbacks kept in these slots.
    pub(super) clears: Vec<Ident>,
    /// `#[variadic(fixed = N)]`, with where N is written.
    pub(super) variadic: Option<(usize, Span)>,
    /// `#[view]`: a copy out of a state, no C function.
    pub(super) view: Option<&'a Attribute>,
    /// Whether the function may run beside other thread-safe calls: the
    /// description's `thread_safe`, or `#[thread_safe]` / `#[not_thread_safe]`.
    pub(super) thread_safe: bool,
}

impl Parser {
    pub(super) fn fn_attrs<'a>(&mut self, f: &'a syn::TraitItemFn) -> FnAttrs<'a> {
        let c_name = string_attr(&f.attrs, "c_name", &mut self.errs)
            .unwrap_or_else(|| format!("{}{}", self.prefix, f.sig.ident));
        let errno = find_attr(&f.attrs, "errno").is_some();
        let ret_c_type = string_attr(&f.attrs, "c_type", &mut self.errs);
        let wrap = find_attr(&f.attrs, "wrap");
        if let Some(attr) = wrap {
            if !matches!(attr.meta, Meta::Path(_)) {
                self.errs
                    .push_spanned(&attr.meta, "#[wrap] takes no arguments");
            }
        }
        let clears = self.clears(&f.attrs);
        let variadic = self.variadic_fixed(&f.attrs);
        let view = find_attr(&f.attrs, "view");
        if let Some(attr) = view {
            if !matches!(attr.meta, Meta::Path(_)) {
                self.errs
                    .push_spanned(&attr.meta, "#[view] takes no arguments");
            }
        }
        let thread_safe = self.thread_safety(&f.attrs);
        FnAttrs {
            view,
            c_name,
            errno,
            ret_c_type,
            wrap,
            clears,
            variadic,
            thread_safe,
        }
    }

    /// `#[thread_safe]` (in a description that is not) or
    /// `#[not_thread_safe]` (in one that is), each without arguments.
    fn thread_safety(&mut self, attrs: &[Attribute]) -> bool {
        let yes = find_attr(attrs, "thread_safe");
        let no = find_attr(attrs, "not_thread_safe");
        for attr in [yes, no].into_iter().flatten() {
            if !matches!(attr.meta, Meta::Path(_)) {
                self.errs.push_spanned(
                    &attr.meta,
                    "#[thread_safe] and #[not_thread_safe] take no arguments",
                );
            }
        }
        match (yes, no) {
            (Some(_), Some(no)) => {
                self.errs.push_spanned(
                    no,
                    "a function is #[thread_safe] or #[not_thread_safe], not both",
                );
                self.thread_safe
            }
            (Some(yes), None) if self.thread_safe => {
                self.errs.push_spanned(
                    yes,
                    "#[thread_safe] repeats the description's `thread_safe`: every function \
                     of this description is thread-safe unless marked #[not_thread_safe]",
                );
                true
            }
            (None, Some(no)) if !self.thread_safe => {
                self.errs.push_spanned(
                    no,
                    "#[not_thread_safe] repeats C's default: a function of a description \
                     without `thread_safe` in #[foreign(..)] is already serialised",
                );
                false
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => self.thread_safe,
        }
    }

    fn clears(&mut self, attrs: &[Attribute]) -> Vec<Ident> {
        let mut clears: Vec<Ident> = Vec::new();
        if let Some(attr) = find_attr(attrs, "clears") {
            let res = attr.parse_nested_meta(|meta| match meta.path.get_ident() {
                Some(slot) if meta.input.is_empty() || meta.input.peek(syn::Token![,]) => {
                    clears.push(slot.clone());
                    Ok(())
                }
                _ => Err(meta.error("expected #[clears(slot, ..)], naming stored-callback slots")),
            });
            if let Err(e) = res {
                self.errs.push_error(e);
            }
        }
        clears
    }

    fn variadic_fixed(&mut self, attrs: &[Attribute]) -> Option<(usize, Span)> {
        let mut fixed = None;
        if let Some(attr) = find_attr(attrs, "variadic") {
            let res = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("fixed") {
                    let lit: syn::LitInt = meta.value()?.parse()?;
                    fixed = Some((lit.base10_parse::<usize>()?, lit.span()));
                    Ok(())
                } else {
                    Err(meta.error("expected #[variadic(fixed = N)]"))
                }
            });
            if let Err(e) = res {
                self.errs.push_error(e);
            }
        }
        fixed
    }
}

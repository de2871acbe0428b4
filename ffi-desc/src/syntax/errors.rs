//! Collecting errors instead of stopping at the first one.

use proc_macro2::Span;
use quote::ToTokens;

/// Collects errors so that all of them are reported in one compile.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, msg));
    }

    /// An error spanning every token of `tokens`, from the first to the last
    /// (on stable Rust, `Spanned::span` covers only the first token).
    pub(crate) fn push_spanned(&mut self, tokens: &impl ToTokens, msg: impl std::fmt::Display) {
        self.0.push(syn::Error::new_spanned(tokens, msg));
    }

    /// Keeps an error `syn` made, such as one of `parse_nested_meta`.
    pub(crate) fn push_error(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    /// Combines every collected error into one, or `Ok` when there are none.
    pub fn finish(self) -> syn::Result<()> {
        let mut iter = self.0.into_iter();
        match iter.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in iter {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}

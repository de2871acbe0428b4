//! The meaning drafted for a function's parameter, and how it is written.

use super::tokens::{ident, lit};
use proc_macro2::TokenStream;
use quote::quote;

/// The meaning drafted for a parameter.
pub(super) enum ParamKind {
    /// A value, of these tokens.
    Value(TokenStream),
    /// A NUL-terminated string read by the call.
    CStr,
    /// One object read by the call.
    In(TokenStream),
    /// Elements read by the call, their count the named parameter.
    InSlice(TokenStream, String),
    /// Bytes C reads and may keep, as long as the named state parameter
    /// lives (the linkage keeps a copy): element, count, state.
    InSliceKept(TokenStream, String, String),
    /// Elements the call may write, at most as many as the named parameter.
    OutSlice(TokenStream, String),
    /// An out buffer's capacity C reads and the count it writes back.
    InOutCount(TokenStream),
    /// A handle of this Rust type the call borrows (`&H`) or takes over
    /// (`Owned<H>`).
    Handle { ty: String, consume: bool },
    /// `T **` a constructor writes a new handle of this Rust type through.
    OutHandle(String),
    /// A callback C keeps on the handle parameter `on`, in a slot of its
    /// own, under a handle type that keeps its callbacks by call.
    KeptCallback {
        cb: String,
        slot: String,
        on: String,
    },
    /// A pointer whose meaning a person states: its C spelling, and the
    /// meaning the draft would guess, for the person to accept or correct.
    Marker(String, Option<String>),
}

impl ParamKind {
    /// A marker without a guess.
    pub(super) fn marker(c_type: String) -> ParamKind {
        ParamKind::Marker(c_type, None)
    }

    /// A marker with the guess beside it.
    pub(super) fn guess(c_type: String, guess: impl Into<String>) -> ParamKind {
        ParamKind::Marker(c_type, Some(guess.into()))
    }

    /// The parameter's type in the description.
    pub(super) fn tokens(&self) -> TokenStream {
        match self {
            ParamKind::Value(t) => t.clone(),
            ParamKind::CStr => quote!(CStr),
            ParamKind::In(t) => quote!(In<#t>),
            ParamKind::InSlice(t, len) => {
                let l = ident(len);
                quote!(In<[#t], len = #l>)
            }
            ParamKind::InSliceKept(t, len, state) => {
                let (l, h) = (ident(len), ident(state));
                quote!(In<[#t], len = #l, kept = #h>)
            }
            ParamKind::OutSlice(t, cap) => {
                let l = ident(cap);
                quote!(Out<[#t], cap = #l>)
            }
            ParamKind::InOutCount(t) => quote!(InOut<#t>),
            ParamKind::Handle { ty, consume } => {
                let h = ident(ty);
                if *consume {
                    quote!(Owned<#h>)
                } else {
                    quote!(&#h)
                }
            }
            ParamKind::OutHandle(h) => {
                let h = ident(h);
                quote!(Out<Owned<#h>>)
            }
            ParamKind::KeptCallback { cb, slot, on } => {
                let (cb, slot, on) = (ident(cb), ident(slot), ident(on));
                quote!(Callback<#cb, stored = #slot, on = #on>)
            }
            ParamKind::Marker(c_type, guess) => marker_tokens(c_type, guess.as_deref()),
        }
    }

    /// The meaning as a person would write it (for a guess).
    pub(super) fn text(&self) -> String {
        let t = self.tokens().to_string();
        let mut out = String::new();
        for (i, part) in t.split(' ').enumerate() {
            let glue = matches!(part, "<" | ">" | "[" | "]" | "," | "&")
                || out.ends_with(['<', '[', '&'])
                || i == 0;
            if !glue {
                out.push(' ');
            }
            out.push_str(part);
        }
        out
    }

    /// Whether a person has to state the parameter's meaning.
    pub(super) fn is_marker(&self) -> bool {
        matches!(self, ParamKind::Marker(..))
    }
}

/// `Unresolved<"C type">`, or `Unresolved<"C type", guess = "meaning">`: the
/// parser reads only the C type, so the guess is a note for a person.
pub(super) fn marker_tokens(c_type: &str, guess: Option<&str>) -> TokenStream {
    let l = lit(c_type);
    match guess {
        Some(g) => {
            let g = lit(g);
            quote!(Unresolved<#l, guess = #g>)
        }
        None => quote!(Unresolved<#l>),
    }
}

//! The one parser from Rust tokens to the description IR, shared by
//! `ffi-macros` and `ffi-stubgen`.
//!
//! Parsing never stops at the first mistake: every error is collected, spanned
//! at the offending token, and reported together.
//!
//! [`parse_module`] runs the passes in order: `items` declares every named type
//! and parses the module's items (`items/structs.rs` lays structs and unions
//! out once all are known), `function` parses the trait's functions, whose
//! parameters `params` reads with one file per meaning and whose results
//! `returns` reads, and `check` runs the checks that need the whole
//! description. `types` reads the types passed by value that all of them
//! share.

mod attrs;
mod check;
mod check_scoped;
mod check_state;
mod errors;
mod function;
mod items;
mod params;
mod returns;
mod tokens;
mod types;

use crate::ir::*;
use attrs::keep_attrs;
pub use errors::Errors;
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::{Attribute, Ident, Item, LitStr};

/// A parsed, checked description together with what the expander needs of the
/// original tokens (names, visibility, documentation, derives).
pub struct Model {
    /// The IR.
    pub desc: Description,
    /// Visibility of the module.
    pub vis: syn::Visibility,
    /// Attributes of the module (docs) other than the ones this parser consumes.
    pub mod_attrs: Vec<Attribute>,
    /// Module name.
    pub mod_ident: Ident,
    /// Visibility of the trait.
    pub trait_vis: syn::Visibility,
    /// Attributes of the trait (docs).
    pub trait_attrs: Vec<Attribute>,
    /// Attributes of each function (docs), in the order of `desc.functions`.
    pub fn_attrs: Vec<Vec<Attribute>>,
    /// Attributes of each named type (docs, derives), in the order of `desc.types`.
    pub type_attrs: Vec<Vec<Attribute>>,
    /// Attributes of each struct/union field, keyed by `(type, field)`.
    pub field_attrs: BTreeMap<(String, String), Vec<Attribute>>,
    /// Attributes of each callback type, in the order of `desc.callbacks`.
    pub callback_attrs: Vec<Vec<Attribute>>,
    /// Items passed through unchanged (`use` declarations, constants).
    pub passthrough: Vec<Item>,
}

/// Arguments of `#[foreign(...)]`.
#[derive(Default)]
pub struct ForeignArgs {
    /// `library = "z"`.
    pub library: Option<String>,
    /// `header = "zlib.h"`, repeatable.
    pub headers: Vec<String>,
    /// `link = false` when a build script links the C code.
    pub link: Option<bool>,
    /// `soname = "libz.so.1"`, repeatable.
    pub sonames: Vec<String>,
    /// `prefix = "sv_"`: prepended to a function's Rust name to form its C name.
    pub prefix: Option<String>,
    /// `thread_safe`: every function may run at the same time as the others,
    /// from other threads, unless marked `#[not_thread_safe]`.
    pub thread_safe: bool,
    /// Parse a draft of `ffi-stubgen import`: its `Unresolved<"T *">` markers
    /// become [`ParamKind::Unresolved`] and [`Return::Unresolved`] instead of
    /// errors. Never set by `#[foreign]`, which refuses every marker.
    pub draft: bool,
}

impl ForeignArgs {
    /// Parses the arguments of the attribute.
    pub fn parse(tokens: proc_macro2::TokenStream) -> syn::Result<ForeignArgs> {
        let mut args = ForeignArgs::default();
        let parser = syn::meta::parser(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match key.as_str() {
                "library" => args.library = Some(meta.value()?.parse::<LitStr>()?.value()),
                "header" => args.headers.push(meta.value()?.parse::<LitStr>()?.value()),
                "soname" => args.sonames.push(meta.value()?.parse::<LitStr>()?.value()),
                "prefix" => args.prefix = Some(meta.value()?.parse::<LitStr>()?.value()),
                "link" => args.link = Some(meta.value()?.parse::<syn::LitBool>()?.value),
                "thread_safe" if meta.input.is_empty() || meta.input.peek(syn::Token![,]) => {
                    args.thread_safe = true
                }
                "thread_safe" => return Err(meta.error(
                    "`thread_safe` takes no value: write it to say that every function may run \
                         beside the others from other threads, and leave it out (C's default) \
                         to serialise them",
                )),
                _ => return Err(meta.error(
                    "unknown argument of #[foreign]; expected library, header, soname, prefix, \
                         link or thread_safe",
                )),
            }
            Ok(())
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(args)
    }
}

/// Parses a `#[foreign]` module into a checked [`Model`].
pub fn parse_module(args: ForeignArgs, module: syn::ItemMod) -> syn::Result<Model> {
    let mut errs = Errors::default();
    let mod_span = module.ident.span();
    let library = match args.library {
        Some(l) => l,
        None => {
            errs.push(
                Span::call_site(),
                "#[foreign] needs `library = \"name\"`: the C library to link or load \
                 (`library = \"z\"` for libz)",
            );
            String::new()
        }
    };
    let Some((_, items)) = module.content else {
        return Err(syn::Error::new(
            mod_span,
            "a #[foreign] module needs a body with the types and the trait",
        ));
    };

    let mut p = Parser {
        errs,
        draft: args.draft,
        prefix: args.prefix.unwrap_or_default(),
        thread_safe: args.thread_safe,
        kinds: BTreeMap::new(),
        free_spans: BTreeMap::new(),
        slot_spans: BTreeMap::new(),
        contexts: BTreeMap::new(),
        kept_by_call: BTreeMap::new(),
        copy_spans: BTreeMap::new(),
        user_data_uses: Vec::new(),
        parent_uses: Vec::new(),
    };
    p.declare_types(&items);
    let items = p.items(items);
    let (types, field_attrs) = p.lay_out(items.types, &items.structs);

    let Some(the_trait) = items.the_trait else {
        p.errs.push(
            mod_span,
            "a #[foreign] module needs one trait listing the C functions",
        );
        p.errs.finish()?;
        unreachable!("an error was pushed");
    };
    let mut desc = Description {
        ir_version: IR_VERSION,
        module: module.ident.to_string(),
        trait_name: the_trait.ident.to_string(),
        library: library.clone(),
        link: args.link.unwrap_or(true),
        sonames: if args.sonames.is_empty() {
            vec![format!("lib{library}.so")]
        } else {
            args.sonames
        },
        headers: args.headers,
        types,
        callbacks: items.callbacks,
        functions: Vec::new(),
        constants: items.constants,
    };
    let (fn_attrs, fn_spans) = p.trait_functions(&the_trait, &mut desc);
    p.check_whole(&mut desc, &fn_spans);
    p.errs.finish()?;
    Ok(Model {
        desc,
        vis: module.vis,
        mod_attrs: keep_attrs(&module.attrs),
        mod_ident: module.ident,
        trait_vis: the_trait.vis.clone(),
        trait_attrs: keep_attrs(&the_trait.attrs),
        fn_attrs,
        type_attrs: items.type_attrs,
        field_attrs,
        callback_attrs: items.callback_attrs,
        passthrough: items.passthrough,
    })
}

/// What a name declared in the module is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Struct,
    Union,
    Enum,
    Opaque,
    /// A `#[copy_out]` struct.
    CopyOut,
    Callback,
}

/// The state of one parse, shared by every pass.
struct Parser {
    errs: Errors,
    /// Parsing a draft: `Unresolved<"T *">` markers are kept.
    draft: bool,
    /// `prefix = ".."` of `#[foreign]`, for C names.
    prefix: String,
    /// `thread_safe` of `#[foreign]`: the default of every function.
    thread_safe: bool,
    /// Every named type of the module, declared before anything refers to it.
    kinds: BTreeMap<String, Kind>,
    /// Where each opaque type names its free function, for errors about it.
    free_spans: BTreeMap<String, Span>,
    /// Where each stored-callback slot is first declared.
    slot_spans: BTreeMap<String, Span>,
    /// The opaque types with a `context = f`, each with `f` and where it is
    /// written.
    contexts: BTreeMap<String, (String, Span)>,
    /// The handle types written `kept_by_call`, with the flag's span.
    kept_by_call: BTreeMap<String, Span>,
    /// Where each `#[copy_out]` struct and each state type is declared.
    copy_spans: BTreeMap<String, Span>,
    /// Each `#[user_data = f]` of a callback's handle parameter: the handle
    /// type, `f`, and where `f` is written.
    user_data_uses: Vec<(String, String, Span)>,
    /// Each `parent = p` of a returned handle in the function being parsed,
    /// with where `p` is written; checked once its parameters are known.
    parent_uses: Vec<(String, Span)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(trait_items: proc_macro2::TokenStream) -> Description {
        let module: syn::ItemMod = syn::parse2(quote::quote! {
            mod m {
                #[callback(c_name = "log_fn")]
                pub type Log = fn(level: c_int, user: UserData);
                pub trait X { #trait_items }
            }
        })
        .unwrap();
        let args = ForeignArgs::parse(quote::quote!(library = "x")).unwrap();
        parse_module(args, module).unwrap().desc
    }

    #[test]
    fn stored_callback_slots_and_clears() {
        let desc = parse(quote::quote! {
            fn set_logger(f: Callback<Log, stored = logger>, user: UserData);
            fn add_hook(f: Callback<Log, stored>, user: UserData);
            #[clears(logger)]
            fn clear_logger();
        });
        assert!(matches!(
            &desc.functions[0].params[0].kind,
            ParamKind::Callback { stored: true, slot: Some(s), .. } if s == "logger"
        ));
        assert!(matches!(
            &desc.functions[1].params[0].kind,
            ParamKind::Callback {
                stored: true,
                slot: None,
                ..
            }
        ));
        assert_eq!(desc.functions[2].clears, ["logger"]);
        assert_eq!(desc.callback_slots(), ["logger"]);
    }

    #[test]
    fn a_description_without_slots_keeps_its_fingerprint() {
        // The fields are absent from the JSON the fingerprint hashes.
        let desc = parse(quote::quote! {
            fn set_logger(f: Callback<Log, stored>, user: UserData);
        });
        let json = serde_json::to_string(&desc).unwrap();
        assert!(!json.contains("slot") && !json.contains("clears"), "{json}");
    }

    fn parse_module_items(items: proc_macro2::TokenStream) -> Description {
        let module: syn::ItemMod = syn::parse2(quote::quote!(mod m { #items })).unwrap();
        let args = ForeignArgs::parse(quote::quote!(library = "x")).unwrap();
        parse_module(args, module).unwrap().desc
    }

    #[test]
    fn a_child_names_its_parent_and_others_keep_their_fingerprint() {
        let desc = parse_module_items(quote::quote! {
            #[opaque(c_type = "x_p", free = p_free)]
            pub struct P;
            pub trait X {
                fn p_new() -> Owned<P>;
                fn p_child(p: &P, id: c_int) -> Option<Owned<P, parent = p>>;
                fn p_open(q: &P, p: &P, out: Out<Owned<P, parent = p>>) -> Owned<P, parent = q>;
                fn p_free(p: Owned<P>);
            }
        });
        let f = |n: &str| desc.function(n).unwrap();
        assert_eq!(f("p_new").parents(), Vec::<&str>::new());
        assert_eq!(f("p_child").parents(), ["p"]);
        assert_eq!(f("p_open").parents(), ["q", "p"]);
        assert!(matches!(
            f("p_child").ret.unwrap_option(),
            (Return::Handle { parent: Some(p), .. }, true) if p == "p"
        ));
        // A handle without a parent writes no `parent` into the JSON the
        // fingerprint hashes.
        let json = serde_json::to_string(&f("p_new").ret).unwrap();
        assert_eq!(json, r#"{"Handle":{"ty":"P"}}"#);
    }

    #[test]
    fn a_handle_borrowed_alone_is_exclusive_and_others_keep_their_fingerprint() {
        let desc = parse_module_items(quote::quote! {
            #[opaque(c_type = "x_p", free = p_free)]
            pub struct P;
            pub trait X {
                fn p_reset(p: &mut P);
                fn p_use(p: &P);
                fn p_free(p: Owned<P>);
            }
        });
        let kind = |n: &str| &desc.function(n).unwrap().params[0].kind;
        assert!(matches!(
            kind("p_reset"),
            ParamKind::Handle {
                exclusive: true,
                ..
            }
        ));
        let json = serde_json::to_string(kind("p_use")).unwrap();
        assert_eq!(
            json, r#"{"Handle":{"ty":"P","consume":false}}"#,
            "no `exclusive` when false"
        );
    }

    fn parse_with(
        args: proc_macro2::TokenStream,
        trait_items: proc_macro2::TokenStream,
    ) -> Description {
        let module: syn::ItemMod = syn::parse2(quote::quote! {
            mod m { pub trait X { #trait_items } }
        })
        .unwrap();
        parse_module(ForeignArgs::parse(args).unwrap(), module)
            .unwrap()
            .desc
    }

    #[test]
    fn thread_safety_by_description_and_by_function() {
        let items = quote::quote! {
            fn a(x: c_int) -> c_int;
            #[not_thread_safe]
            fn b(x: c_int) -> c_int;
        };
        let desc = parse_with(quote::quote!(library = "x", thread_safe), items);
        let safe: Vec<bool> = desc.functions.iter().map(|f| f.thread_safe).collect();
        assert_eq!(safe, [true, false]);
        let desc = parse_with(
            quote::quote!(library = "x"),
            quote::quote! {
                fn a(x: c_int) -> c_int;
                #[thread_safe]
                fn b(x: c_int) -> c_int;
            },
        );
        let safe: Vec<bool> = desc.functions.iter().map(|f| f.thread_safe).collect();
        assert_eq!(safe, [false, true]);
    }

    #[test]
    fn thread_safety_is_part_of_the_fingerprint_only_when_claimed() {
        let items = quote::quote! { fn a(x: c_int) -> c_int; };
        let plain = parse_with(quote::quote!(library = "x"), items.clone());
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("thread_safe"), "{json}");
        let safe = parse_with(quote::quote!(library = "x", thread_safe), items);
        assert_ne!(plain.fingerprint(), safe.fingerprint());
    }
}

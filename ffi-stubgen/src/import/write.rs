//! Writing the draft: the `#[foreign]` module, formatted, between a comment
//! that says how it was made and what is left to do, and the list of what
//! could not be imported.

use super::names::{camel, snake, TypeNamespace};
use super::options::ImportOptions;
use super::report::ImportReport;
use super::tokens::{ident, lit};
use proc_macro2::TokenStream;
use quote::quote;

/// The drafted items of the module.
pub(super) struct Items {
    pub(super) consts: Vec<TokenStream>,
    pub(super) types: Vec<TokenStream>,
    pub(super) functions: Vec<TokenStream>,
}

/// The `#[foreign]` module holding `items`, formatted; its trait is named
/// after the library unless a drafted type (in `namespace`) is.
pub(super) fn module(
    opts: &ImportOptions,
    header_name: &str,
    prefix: &str,
    namespace: &TypeNamespace,
    items: &Items,
) -> Result<String, String> {
    let module = snake(&opts.library);
    let module = if module.is_empty() {
        "library".to_string()
    } else {
        module
    };
    let mut trait_name = camel(&opts.library);
    if namespace.contains(&trait_name) {
        trait_name.push_str("Library");
    }
    let mod_id = ident(&module);
    let trait_id = ident(&trait_name);
    let library = lit(&opts.library);
    let header = lit(header_name);
    let prefix_arg = (!prefix.is_empty()).then(|| {
        let l = lit(prefix);
        quote!(, prefix = #l)
    });
    let trait_doc = format!(" The functions of `{header_name}`.");
    let Items {
        consts,
        types,
        functions,
    } = items;
    let tokens = quote! {
        use ffi_desc::foreign;

        #[foreign(library = #library, header = #header #prefix_arg)]
        pub mod #mod_id {
            #(#consts)*
            #(#types)*
            #[doc = #trait_doc]
            pub trait #trait_id {
                #(#functions)*
            }
        }
    };
    // Every piece is made by `quote` from checked identifiers and literals,
    // so this is a bug of the importer, reported rather than panicking.
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("the drafted description is not Rust ({e}): a bug of ffi-stubgen"))?;
    Ok(prettyplease::unparse(&file))
}

/// `s` on one line: a name or reason goes into a `//` comment, which a line
/// break (a macro's backslash-continued parameter list) would end early.
fn one_line(s: &str) -> String {
    s.replace('\\', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `1 one` or `n many`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The draft's text: a comment with the command line, what was drafted and
/// what is left to a person, the module (`body`), and the items not imported
/// with their reasons.
pub(super) fn text(
    opts: &ImportOptions,
    header_name: &str,
    report: &ImportReport,
    body: &str,
) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "// Drafted by ffi-stubgen from `{}`:\n",
        header_name
    ));
    text.push_str(&format!("//     {}\n", opts.command_line()));
    text.push_str(&format!(
        "// {} drafted, {} whole. ",
        plural(report.functions.len(), "function", "functions"),
        report.whole.len()
    ));
    if report.markers > 0 {
        text.push_str(&format!(
            "{} marked `Unresolved<\"C type\">`: state each one's\n",
            plural(report.markers, "pointer is", "pointers are")
        ));
        text.push_str(
            "// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the\n",
        );
        text.push_str(
            "// `guess = \"..\"` beside it where there is one; the description does not build until\n",
        );
        text.push_str("// none is left.");
    } else {
        text.push_str(
            "Every pointer's meaning was inferred: review them before trusting the draft.",
        );
    }
    if report.skipped.is_empty() {
        text.push_str("\n\n");
    } else {
        text.push_str(&format!(
            "\n// {} could not be imported: see the end of this file.\n\n",
            plural(report.skipped.len(), "item", "items")
        ));
    }
    text.push_str(body);
    if !report.skipped.is_empty() {
        text.push_str(&format!("\n// Not imported ({}):\n", report.skipped.len()));
        for s in &report.skipped {
            text.push_str(&format!(
                "// - {} `{}`: {}\n",
                s.kind,
                one_line(&s.name),
                one_line(&s.reason)
            ));
        }
    }
    text
}

//! Finding and parsing the `#[foreign]` module of a Rust source file.

use crate::error::{Located, StubgenError};
use ffi_desc::ir::Description;
use ffi_desc::syntax::{parse_module, ForeignArgs, Model};
use std::path::Path;

/// Reads `path` and returns the IR of the one `#[foreign(...)]` module in it.
pub fn description_from_file(path: impl AsRef<Path>) -> Result<Description, StubgenError> {
    model_from_file(path).map(|m| m.desc)
}

/// Parses Rust source text (`path` only names it in errors) and returns the
/// IR of the one `#[foreign(...)]` module in it.
pub fn description_from_str(
    source: &str,
    path: impl AsRef<Path>,
) -> Result<Description, StubgenError> {
    let path = path.as_ref();
    let mut models = models_from_str(source, path)?;
    match models.len() {
        0 => Err(StubgenError::NoDescription {
            path: path.to_path_buf(),
        }),
        1 => Ok(models.remove(0).desc),
        count => Err(StubgenError::SeveralDescriptions {
            path: path.to_path_buf(),
            count,
        }),
    }
}

/// Reads `path` and returns the parsed model (IR plus the original tokens) of
/// the one `#[foreign(...)]` module in it.
pub fn model_from_file(path: impl AsRef<Path>) -> Result<Model, StubgenError> {
    let path = path.as_ref();
    let source = std::fs::read_to_string(path).map_err(|e| StubgenError::io(path, e))?;
    let mut models = models_from_str(&source, path)?;
    match models.len() {
        0 => Err(StubgenError::NoDescription {
            path: path.to_path_buf(),
        }),
        1 => Ok(models.remove(0)),
        count => Err(StubgenError::SeveralDescriptions {
            path: path.to_path_buf(),
            count,
        }),
    }
}

/// Every `#[foreign(...)]` module of a Rust source text, in source order
/// (modules nested in inline modules included).
pub fn models_from_str(source: &str, path: &Path) -> Result<Vec<Model>, StubgenError> {
    models_from_str_as(source, path, false)
}

/// The IR of the one description in a draft made by `ffi-stubgen import`,
/// its `Unresolved` markers kept as such (`ParamKind::Unresolved`,
/// `Return::Unresolved`): for looking at a draft whole. No linkage and no
/// check unit accepts a draft.
pub fn draft_from_file(path: impl AsRef<Path>) -> Result<Description, StubgenError> {
    let path = path.as_ref();
    let source = std::fs::read_to_string(path).map_err(|e| StubgenError::io(path, e))?;
    let mut models = models_from_str_as(&source, path, true)?;
    match models.len() {
        0 => Err(StubgenError::NoDescription {
            path: path.to_path_buf(),
        }),
        1 => Ok(models.remove(0).desc),
        count => Err(StubgenError::SeveralDescriptions {
            path: path.to_path_buf(),
            count,
        }),
    }
}

fn models_from_str_as(source: &str, path: &Path, draft: bool) -> Result<Vec<Model>, StubgenError> {
    let file = syn::parse_file(source).map_err(|e| StubgenError::Syntax {
        path: path.to_path_buf(),
        error: located_in(&e, source),
    })?;
    let mut found = Vec::new();
    collect(file.items, &mut found);
    let mut models = Vec::new();
    for (attr, mut module) in found {
        module.attrs.retain(|a| !is_foreign(a));
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            _ => proc_macro2::TokenStream::new(),
        };
        let parsed = ForeignArgs::parse(tokens)
            .and_then(|args| parse_module(ForeignArgs { draft, ..args }, module));
        match parsed {
            Ok(model) => models.push(model),
            Err(e) => {
                return Err(StubgenError::Description {
                    path: path.to_path_buf(),
                    errors: e.into_iter().map(|e| located_in(&e, source)).collect(),
                })
            }
        }
    }
    Ok(models)
}

fn is_foreign(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "foreign")
}

fn collect(items: Vec<syn::Item>, out: &mut Vec<(syn::Attribute, syn::ItemMod)>) {
    for item in items {
        if let syn::Item::Mod(m) = item {
            if let Some(attr) = m.attrs.iter().find(|a| is_foreign(a)).cloned() {
                out.push((attr, m));
            } else if let Some((_, inner)) = m.content {
                collect(inner, out);
            }
        }
    }
}

/// Where `e` points in `source`, with the text of its line.
fn located_in(e: &syn::Error, source: &str) -> Located {
    let (start, end) = (e.span().start(), e.span().end());
    let end_column = if end.line == start.line && end.column > start.column {
        end.column + 1
    } else {
        start.column + 1
    };
    Located {
        line: start.line,
        column: start.column + 1,
        end_column,
        source_line: source
            .lines()
            .nth(start.line.saturating_sub(1))
            .unwrap_or("")
            .to_string(),
        message: e.to_string(),
    }
}

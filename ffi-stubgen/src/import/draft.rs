//! The drafting: one inference after another over the declarations, in the
//! order the draft's names depend on (described types first, then callback
//! and handle types, then the functions that use them).

use super::collect::Declarations;
use super::header_text::{self, HeaderText};
use super::names::{self, camel, Spellings, TypeNamespace};
use super::options::{AllowList, ImportOptions};
use super::report::{Import, ImportReport, Skips};
use super::write::{self, Items};
use super::{callbacks, destructors, enums, functions, handles, lent, records, structs};
use std::collections::{BTreeMap, BTreeSet};

/// What the draft is made from besides bindgen's declarations.
pub(super) struct Sources<'a> {
    pub(super) opts: &'a ImportOptions,
    pub(super) allow: &'a AllowList,
    pub(super) header: &'a HeaderText,
    /// The function-like macros defined once the header is preprocessed.
    pub(super) fn_macros: &'a BTreeSet<String>,
    /// How the draft's `#[foreign(header = ..)]` names the header.
    pub(super) header_name: &'a str,
}

/// Drafts the description of `decls`.
pub(super) fn draft(src: &Sources<'_>, decls: &Declarations) -> Result<Import, String> {
    let mut report = ImportReport::default();
    let mut skips = Skips::default();
    let mut namespace = TypeNamespace::default();
    let prefix = names::common_prefix(decls.functions.iter().map(|f| f.name.as_str()));
    let spellings = Spellings::new(decls.typedef_names(), prefix);

    let ok_enums = enums::describable(decls);
    let mut verdicts = structs::verdicts(decls, &ok_enums);
    // A record C allocates and frees is a handle, though it could be
    // described: the caller never holds one but through C's pointer.
    for record in records::allocated_by_c(decls, &spellings).keys() {
        verdicts.as_handle(record);
    }
    let rust_names = type_names(decls, &verdicts.ok, &ok_enums, &spellings, &mut namespace);
    let mut types = structs::draft(
        decls,
        &verdicts,
        &rust_names,
        &spellings,
        &mut skips,
        &mut report,
    );
    let drafted_enums = enums::draft(decls, &rust_names, &spellings, &mut skips, &mut report);
    types.extend(drafted_enums.types);
    // Found before the callback types (their skips listed after them): a
    // callback's parameter of a scoped handle is `&H` (no scoped handle is
    // left out below, as it has no free function to draft).
    let mut handle_skips = Skips::default();
    let mut handles = handles::find(
        decls,
        &verdicts.ok,
        &spellings,
        &mut namespace,
        &mut handle_skips,
    );
    let drafted_callbacks = callbacks::draft(
        decls,
        &rust_names,
        &handles.scoped_names(),
        &spellings,
        &mut namespace,
        &mut skips,
        &mut report,
    );
    types.extend(drafted_callbacks.items);
    skips.extend(handle_skips);

    let fn_names = functions::rust_names(decls, spellings.prefix());
    let destructor_values = destructors::destructor_values(decls, src.header);
    let filled = records::filled_records(decls, &verdicts.ok, &handles, &spellings);
    let contexts = handles::context_candidates(decls, &handles, &spellings, &fn_names);
    let inline_fns: BTreeSet<String> = src.header.inline_functions().into_iter().collect();
    // A handle whose free function cannot be drafted is no handle: the
    // functions are drafted again without it (at most once per handle).
    let (fn_items, fn_report, fn_skips, kept_by_call) = loop {
        let kept_by_call = std::cell::RefCell::new(BTreeSet::new());
        let cx = functions::Context {
            types: &decls.types,
            rust_names: &rust_names,
            handles: &handles,
            callbacks: &drafted_callbacks.names,
            spellings: &spellings,
            fn_names: &fn_names,
            prefix: spellings.prefix(),
            inline_fns: &inline_fns,
            lenders: &lent::lenders(decls, &handles, &spellings),
            destructor_values: &destructor_values,
            filled: &filled,
            contexts: &contexts,
            kept_by_call: &kept_by_call,
        };
        let mut fn_report = ImportReport::default();
        let mut fn_skips = Skips::default();
        let items = functions::draft(decls, &cx, &mut fn_skips, &mut fn_report);
        let drafted: BTreeSet<String> = fn_report.functions.iter().cloned().collect();
        if !handles.keep_freed(&drafted) {
            break (items, fn_report, fn_skips, kept_by_call.into_inner());
        }
    };
    report.functions = fn_report.functions;
    report.markers += fn_report.markers;
    // A function is whole when it builds as drafted: no marker, and the free
    // function of every handle it uses (which the handle's type names) whole
    // too.
    let marker_free: BTreeSet<String> = fn_report.whole.iter().cloned().collect();
    report.whole = decls
        .functions
        .iter()
        .filter(|f| marker_free.contains(&f.name))
        .filter(|f| {
            handles
                .frees_used_by(f, decls, &spellings)
                .iter()
                .all(|free| marker_free.contains(free))
        })
        .map(|f| f.name.clone())
        .collect();
    skips.extend(fn_skips);
    types.extend(handles::items(
        &handles,
        &fn_names,
        &kept_by_call,
        &mut report,
    ));

    let mut consts = drafted_enums.consts;
    consts.extend(enums::constants(
        decls,
        &drafted_enums.const_names,
        |name| src.header.has_unsigned_macro(name),
        &mut skips,
        &mut report,
    ));
    for s in &decls.statics {
        skips.skip(
            "variable",
            s,
            "a global variable: a description holds functions, types and constants",
        );
    }
    header_text::list_undrafted(
        src.header,
        |name| src.allow.allows(name),
        src.fn_macros,
        &report.functions,
        &mut skips,
    );

    let items = Items {
        consts,
        types,
        functions: fn_items,
    };
    let body = write::module(
        src.opts,
        src.header_name,
        spellings.prefix(),
        &namespace,
        &items,
    )?;
    report.skipped = skips.into_vec();
    let text = write::text(src.opts, src.header_name, &report, &body);
    Ok(Import { text, report })
}

/// The Rust names of the described records, then enums, by bindgen's name.
fn type_names(
    decls: &Declarations,
    ok_records: &BTreeSet<String>,
    ok_enums: &BTreeSet<String>,
    spellings: &Spellings,
    namespace: &mut TypeNamespace,
) -> BTreeMap<String, String> {
    let records = decls
        .records
        .iter()
        .map(|r| &r.key)
        .filter(|k| ok_records.contains(*k));
    let enums = decls
        .enums
        .iter()
        .map(|e| &e.key)
        .filter(|k| ok_enums.contains(*k));
    let keys: Vec<&String> = records.chain(enums).collect();
    let mut rust_names = BTreeMap::new();
    for k in keys {
        let name = namespace.fresh(&camel(&spellings.base_name(k)));
        rust_names.insert(k.clone(), name);
    }
    rust_names
}

//! Drafting a description from a C header, through bindgen (libclang).
//!
//! bindgen translates the header; this module reads its output back with
//! `syn`, keeping the C spelling of every type (bindgen runs with C naming, so
//! `struct_foo` is `struct foo` and every other name is a typedef), and
//! drafts a `#[foreign]` module:
//!
//! - structs and unions whose fields are all values, enums, callback typedefs
//!   with one `void *` user-data parameter, `#define` constants;
//! - every function, with the meaning of a pointer inferred only where the
//!   evidence is strong: `const char *` is `CStr`; `const T *` followed by an
//!   integer parameter (and not by two of one type, as fread's `size, nitems`) is
//!   `In<[T], len = that>`; `const S *` is `In<S>` for
//!   a described struct or union `S` (a `const` pointer to a scalar is as
//!   often an array, so its extent is left to a person);
//!   a returned `const char *` is `Borrowed<CStr>`; an opaque handle's free
//!   function (the one `*_free`/`*_close`/... taking only that handle) takes
//!   `Owned<H>`;
//! - `static inline` functions of the header as functions marked `#[wrap]`
//!   (the check unit defines a wrapper with a symbol); function-like macros
//!   are listed, since a macro has no C type to draft from;
//! - every other pointer as `Unresolved<"C type">`, a marker the parser
//!   rejects until a person states its meaning;
//! - everything that cannot be described listed, with the reason, in a
//!   comment at the end of the output.

mod collect;
mod ctype;
mod header_text;
mod names;
mod options;
mod report;
mod tokens;
mod translate;
mod value;

use crate::error::StubgenError;
use collect::{Declarations, RawFn, RawRecord, Typedef};
use ctype::{int_lit, record_spelling, CTy};
use ffi_desc::ir::Scalar;
use header_text::HeaderText;
use options::AllowList;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use report::Skips;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;
use tokens::{docs, ident, lit};
use value::{default_spelling, value_tokens, why_not_value};

pub use names::{camel, snake};
pub use options::ImportOptions;
pub use report::{Import, ImportReport, Skipped};
pub use translate::bindgen_baseline;

/// Drafts a description of `opts.header`.
pub fn import(opts: &ImportOptions) -> Result<Import, StubgenError> {
    let start = Instant::now();
    if !opts.header.is_file() {
        return Err(StubgenError::Import {
            header: opts.header.clone(),
            message: "no such file".to_string(),
        });
    }
    let translation = translate::translate(opts, start)?;
    let header_text =
        std::fs::read_to_string(&opts.header).map_err(|e| StubgenError::io(&opts.header, e))?;
    let header_text = HeaderText::new(&header_text);
    let decls = Declarations::read(translation.file);
    let mut d = Drafter::new(opts, &header_text, decls)?;
    d.defined_macros = translation.fn_macros;
    let mut import = d.draft();
    import.report.bindgen_time = translation.bindgen_time;
    import.report.total_time = start.elapsed();
    Ok(import)
}

/// The meaning drafted for a parameter.
enum PKind {
    Value(TokenStream),
    CStr,
    In(TokenStream),
    InSlice(TokenStream, String),
    Owned(String),
    Marker(String),
}

struct Drafter<'a> {
    opts: &'a ImportOptions,
    allow: AllowList,
    header_text: &'a HeaderText,
    decls: Declarations,
    skipped: Skips,
    /// Rust names taken in the type namespace.
    taken: BTreeSet<String>,
    /// Function-like macros defined after preprocessing.
    defined_macros: BTreeSet<String>,
    /// `static inline` functions of the header itself: drafted with `#[wrap]`.
    inline_fns: BTreeSet<String>,
}

/// A description's name for a bindgen field or parameter: bindgen appends `_`
/// to Rust keywords (`type_`); the C name is the one without.
fn c_field_name(rust: &str) -> String {
    match rust.strip_suffix('_') {
        Some(base) if names::is_keyword(base) => base.to_string(),
        _ => rust.to_string(),
    }
}

impl<'a> Drafter<'a> {
    fn new(
        opts: &'a ImportOptions,
        header_text: &'a HeaderText,
        decls: Declarations,
    ) -> Result<Drafter<'a>, StubgenError> {
        let allow = AllowList::new(opts)?;
        Ok(Drafter {
            opts,
            allow,
            header_text,
            decls,
            skipped: Skips::default(),
            taken: BTreeSet::new(),
            defined_macros: BTreeSet::new(),
            inline_fns: header_text.inline_functions().into_iter().collect(),
        })
    }

    fn skip(&mut self, kind: &'static str, name: &str, reason: impl Into<String>) {
        self.skipped.skip(kind, name, reason);
    }

    fn draft(mut self) -> Import {
        let mut report = ImportReport::default();

        // Typedef names of records and enums: `pub type sv_point = struct_sv_point;`.
        let typedef_of = self.decls.typedef_names();
        let prefix = names::common_prefix(self.decls.functions.iter().map(|f| f.name.as_str()));
        let c_spelling = |key: &str| -> String {
            typedef_of
                .get(key)
                .cloned()
                .unwrap_or_else(|| record_spelling(key))
        };
        let base_name = |key: &str| -> String {
            let base = typedef_of.get(key).cloned().unwrap_or_else(|| {
                let sp = record_spelling(key);
                sp.rsplit(' ').next().unwrap_or(&sp).to_string()
            });
            base.strip_prefix(&prefix)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .unwrap_or(base)
        };

        // Which records and enums can be described, to a fixed point.
        let mut ok_enums: BTreeSet<String> = BTreeSet::new();
        for e in &self.decls.enums {
            if !e.key.contains("_bindgen_ty_") && !e.variants.is_empty() {
                ok_enums.insert(e.key.clone());
            }
        }
        let mut record_reason: BTreeMap<String, String> = BTreeMap::new();
        let mut ok_records: BTreeSet<String> = BTreeSet::new();
        loop {
            let mut changed = false;
            for r in &self.decls.records {
                if ok_records.contains(&r.key) || record_reason.contains_key(&r.key) {
                    continue;
                }
                match self.record_verdict(r, &ok_records, &ok_enums, &record_reason) {
                    Verdict::Ok => {
                        ok_records.insert(r.key.clone());
                        changed = true;
                    }
                    Verdict::No(reason) => {
                        record_reason.insert(r.key.clone(), reason);
                        changed = true;
                    }
                    Verdict::Wait => {}
                }
            }
            if !changed {
                break;
            }
        }
        for r in &self.decls.records {
            if !ok_records.contains(&r.key) && !record_reason.contains_key(&r.key) {
                record_reason.insert(
                    r.key.clone(),
                    "it contains itself by value through other types".to_string(),
                );
            }
        }

        // Rust names of the described types.
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        let mut keys: Vec<String> = Vec::new();
        for r in &self.decls.records {
            if ok_records.contains(&r.key) {
                keys.push(r.key.clone());
            }
        }
        for e in &self.decls.enums {
            if ok_enums.contains(&e.key) {
                keys.push(e.key.clone());
            }
        }
        for k in keys {
            let name = self.fresh(&camel(&base_name(&k)));
            rust_names.insert(k, name);
        }

        // Structs and unions.
        let mut type_items: Vec<TokenStream> = Vec::new();
        let records = std::mem::take(&mut self.decls.records);
        for r in &records {
            let c = c_spelling(&r.key);
            let Some(name) = rust_names.get(&r.key) else {
                // Anonymous members are reported with the type that holds them.
                if !r.is_incomplete() && !r.key.contains("_bindgen_ty_") {
                    let reason = record_reason.get(&r.key).cloned().unwrap_or_default();
                    let kind = if r.is_union { "union" } else { "struct" };
                    let shown = c
                        .strip_prefix(kind)
                        .map(str::trim_start)
                        .unwrap_or(&c)
                        .to_string();
                    self.skip(kind, &shown, reason);
                }
                continue;
            };
            let mut fields = Vec::new();
            for (fname, fty, fattrs) in &r.fields {
                let rust = fname.to_string();
                let c_field = c_field_name(&rust);
                let cty = self.decls.types.resolve(fty);
                let ty = value_tokens(&cty, &rust_names).unwrap_or_else(|| quote!(()));
                let fdocs = docs(fattrs);
                let cn = (c_field != rust).then(|| {
                    let l = lit(&c_field);
                    quote!(#[c_name = #l])
                });
                let fid = ident(&rust);
                fields.push(quote!(#(#fdocs)* #cn pub #fid: #ty));
            }
            let cn = (c != *name).then(|| {
                let l = lit(&c);
                quote!(#[c_name = #l])
            });
            let id = ident(name);
            let rdocs = &r.docs;
            let kw = if r.is_union {
                report.unions += 1;
                quote!(union)
            } else {
                report.structs += 1;
                quote!(struct)
            };
            type_items.push(quote! {
                #(#rdocs)*
                #cn
                pub #kw #id { #(#fields),* }
            });
        }

        // Enums; anonymous ones become constants.
        let mut const_items: Vec<TokenStream> = Vec::new();
        let mut enum_consts: BTreeSet<String> = BTreeSet::new();
        let enums = std::mem::take(&mut self.decls.enums);
        for e in &enums {
            let c = c_spelling(&e.key);
            let repr_ty = ident(&e.repr);
            let Some(name) = rust_names.get(&e.key) else {
                if e.key.contains("_bindgen_ty_") {
                    for (v, ex, vattrs) in &e.variants {
                        enum_consts.insert(v.to_string());
                        let vdocs = docs(vattrs);
                        const_items.push(quote!(#(#vdocs)* pub const #v: #repr_ty = #ex;));
                        report.constants += 1;
                    }
                } else {
                    self.skip("enum", &c, "it has no enumerators");
                }
                continue;
            };
            let vnames: Vec<String> = e
                .variants
                .iter()
                .map(|(v, ..)| v.to_string())
                .chain(
                    self.decls
                        .enum_aliases
                        .iter()
                        .filter(|(k, _)| *k == e.key)
                        .map(|(_, a)| a.clone()),
                )
                .collect();
            let vprefix = names::common_prefix(vnames.iter().map(String::as_str));
            let mut seen = BTreeSet::new();
            let mut variants = Vec::new();
            for (v, ex, vattrs) in &e.variants {
                let c_v = v.to_string();
                if int_lit(ex).and_then(|x| i64::try_from(x).ok()).is_none() {
                    self.skip("enumerator", &c_v, "its value does not fit an i64");
                    continue;
                }
                let stripped = c_v.strip_prefix(vprefix.as_str()).unwrap_or(&c_v);
                let mut rust = camel(stripped);
                while !seen.insert(rust.clone()) {
                    rust.push('_');
                }
                let vdocs = docs(vattrs);
                let cn = (rust != c_v).then(|| {
                    let l = lit(&c_v);
                    quote!(#[c_name = #l])
                });
                let vid = ident(&rust);
                variants.push(quote!(#(#vdocs)* #cn #vid = #ex));
            }
            for (k, alias) in &self.decls.enum_aliases.clone() {
                if *k == e.key {
                    self.skip(
                        "enumerator",
                        alias,
                        "it repeats another enumerator's value, which a Rust enum cannot hold twice",
                    );
                }
            }
            let repr = match e.repr.as_str() {
                "u32" | "i32" => None,
                other => {
                    let r = ident(other);
                    Some(quote!(#[repr(#r)]))
                }
            };
            let cn = (c != *name).then(|| {
                let l = lit(&c);
                quote!(#[c_name = #l])
            });
            let id = ident(name);
            let edocs = &e.docs;
            report.enums += 1;
            type_items.push(quote! {
                #(#edocs)*
                #cn
                #repr
                pub enum #id { #(#variants),* }
            });
        }

        // Callback typedefs.
        let mut callbacks: BTreeMap<String, String> = BTreeMap::new();
        let aliases = std::mem::take(&mut self.decls.typedefs);
        for Typedef {
            name,
            ty,
            docs: adocs,
        } in &aliases
        {
            let cty = self.decls.types.resolve(ty);
            let CTy::FnPtr {
                ret,
                params,
                variadic,
            } = &cty
            else {
                continue;
            };
            match self.callback(params, ret, *variadic, &rust_names) {
                Ok((ps, r)) => {
                    let rust = self.fresh(&camel(
                        name.strip_prefix(&prefix)
                            .filter(|s| !s.is_empty())
                            .unwrap_or(name),
                    ));
                    let id = ident(&rust);
                    let l = lit(name);
                    report.callbacks += 1;
                    type_items.push(quote! {
                        #(#adocs)*
                        #[callback(c_name = #l)]
                        pub type #id = fn(#(#ps),*) #r;
                    });
                    callbacks.insert(name.clone(), rust);
                }
                Err(reason) => self.skip("callback type", name, reason),
            }
        }

        // Opaque handle types: pointers to records that cannot be described,
        // when exactly one function evidently frees them.
        let functions = std::mem::take(&mut self.decls.functions);
        let mut opaque: BTreeMap<String, (String, String, String)> = BTreeMap::new(); // key -> (rust, spelling attr, free c name)
        let mut handle_keys: Vec<(String, String, bool)> = Vec::new(); // (record key, spelling, via pointer typedef)
        for f in &functions {
            let tys = f.params.iter().map(|(_, t)| t.clone()).chain(match &f.ret {
                syn::ReturnType::Type(_, t) => Some((**t).clone()),
                syn::ReturnType::Default => None,
            });
            for t in tys {
                let cty = self.decls.types.resolve(&t);
                if let Some((key, spelling, via_typedef)) = handle_of(&cty) {
                    let incomplete = records.iter().any(|r| r.key == key && r.is_incomplete());
                    if !ok_records.contains(&key)
                        && (via_typedef || incomplete)
                        && !key.contains("__va_list_tag")
                        && !handle_keys.iter().any(|(k, ..)| *k == key)
                    {
                        handle_keys.push((key, spelling, via_typedef));
                    }
                }
            }
        }
        for (key, spelling, via_typedef) in &handle_keys {
            let candidates: Vec<&RawFn> = functions
                .iter()
                .filter(|f| {
                    f.params.len() == 1
                        && handle_of(&self.decls.types.resolve(&f.params[0].1))
                            .is_some_and(|(k, ..)| k == *key)
                        && is_free_name(&f.name)
                })
                .collect();
            let c = c_spelling(key);
            if candidates.len() != 1 {
                let why = if candidates.is_empty() {
                    "no function evidently frees it".to_string()
                } else {
                    format!(
                        "several functions may free it ({})",
                        candidates
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let attr = if *via_typedef {
                    format!("c_pointer = \"{spelling}\"")
                } else {
                    format!("c_type = \"{c}\"")
                };
                let shown = if *via_typedef {
                    spelling.clone()
                } else {
                    c.clone()
                };
                self.skip(
                    "handle type",
                    &shown,
                    format!("{why}; a described handle names its free function: #[opaque({attr}, free = f)]"),
                );
                continue;
            }
            let base = if *via_typedef {
                spelling.clone()
            } else {
                base_name(key)
            };
            let rust = self.fresh(&camel(
                base.strip_prefix(&prefix)
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&base),
            ));
            let attr = if *via_typedef {
                format!("c_pointer:{spelling}")
            } else {
                format!("c_type:{c}")
            };
            opaque.insert(key.clone(), (rust, attr, candidates[0].name.clone()));
        }

        // Functions.
        let fn_names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
        let mut fn_rust: BTreeMap<String, String> = BTreeMap::new();
        let mut used_fn = BTreeSet::new();
        for n in &fn_names {
            let stripped = n.strip_prefix(prefix.as_str()).unwrap_or(n);
            let mut r = snake(stripped);
            while !used_fn.insert(r.clone()) {
                r.push('_');
            }
            fn_rust.insert(n.to_string(), r);
        }
        let mut fn_items = Vec::new();
        for f in &functions {
            match self.function(f, &rust_names, &opaque, &fn_rust, &prefix) {
                Ok((tokens, markers)) => {
                    report.markers += markers;
                    report.functions.push(f.name.clone());
                    fn_items.push(tokens);
                }
                Err(reason) => self.skip("function", &f.name, reason),
            }
        }
        // Opaque types whose free function could not be drafted are dropped.
        let drafted: BTreeSet<&String> = report.functions.iter().collect();
        for (key, (rust, attr, free)) in &opaque {
            if !drafted.contains(free) {
                continue;
            }
            let (kind, spelling) = attr.split_once(':').unwrap_or(("c_type", ""));
            let kind = ident(kind);
            let l = lit(spelling);
            let free_id = ident(&fn_rust[free]);
            let id = ident(rust);
            let _ = key;
            report.opaque += 1;
            type_items.push(quote! {
                #[opaque(#kind = #l, free = #free_id)]
                pub struct #id;
            });
        }

        // Constants from #defines.
        let consts = std::mem::take(&mut self.decls.consts);
        for c in consts {
            let name = c.ident.to_string();
            if enum_consts.contains(&name) {
                // Already drafted from its anonymous enum.
                continue;
            }
            if !const_type_ok(&c.ty) {
                self.skip(
                    "constant",
                    &name,
                    "its type is not an integer, a float or a string",
                );
                continue;
            }
            let cdocs = docs(&c.attrs);
            let id = &c.ident;
            let ty = &c.ty;
            let ex = &c.expr;
            const_items.push(quote!(#(#cdocs)* pub const #id: #ty = #ex;));
            report.constants += 1;
        }

        for s in std::mem::take(&mut self.decls.statics) {
            self.skip(
                "variable",
                &s,
                "a global variable: a description holds functions, types and constants",
            );
        }
        let allow = &self.allow;
        header_text::list_undrafted(
            self.header_text,
            |name| allow.allows(name),
            &self.defined_macros,
            &report.functions,
            &mut self.skipped,
        );

        // The module.
        let module = names::snake(&self.opts.library);
        let module = if module.is_empty() {
            "library".to_string()
        } else {
            module
        };
        let mut trait_name = camel(&self.opts.library);
        if self.taken.contains(&trait_name) {
            trait_name.push_str("Library");
        }
        let mod_id = ident(&module);
        let trait_id = ident(&trait_name);
        let library = lit(&self.opts.library);
        let header_name = self
            .opts
            .header
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let header = lit(&header_name);
        let prefix_arg = (!prefix.is_empty()).then(|| {
            let l = lit(&prefix);
            quote!(, prefix = #l)
        });
        let trait_doc = format!(" The functions of `{header_name}`.");
        let tokens = quote! {
            use ffi_desc::foreign;

            #[foreign(library = #library, header = #header #prefix_arg)]
            pub mod #mod_id {
                #(#const_items)*
                #(#type_items)*
                #[doc = #trait_doc]
                pub trait #trait_id {
                    #(#fn_items)*
                }
            }
        };
        let file: syn::File = match syn::parse2(tokens.clone()) {
            Ok(f) => f,
            Err(e) => panic!("the drafted description does not parse as Rust ({e}): {tokens}"),
        };
        let body = prettyplease::unparse(&file);
        report.skipped = std::mem::take(&mut self.skipped.0);

        let mut text = String::new();
        text.push_str(&format!(
            "// Drafted by ffi-stubgen from `{header_name}`:\n"
        ));
        text.push_str(&format!("//     {}\n", self.opts.command_line()));
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        text.push_str(&format!(
            "// {} drafted. ",
            plural(report.functions.len(), "function", "functions")
        ));
        if report.markers > 0 {
            text.push_str(&format!(
                "{} marked `Unresolved<\"C type\">`: state each one's\n",
                plural(report.markers, "pointer is", "pointers are")
            ));
            text.push_str(
                "// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback); the description\n",
            );
            text.push_str("// does not build until none is left.");
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
        text.push_str(&body);
        if !report.skipped.is_empty() {
            text.push_str(&format!("\n// Not imported ({}):\n", report.skipped.len()));
            for s in &report.skipped {
                text.push_str(&format!("// - {} `{}`: {}\n", s.kind, s.name, s.reason));
            }
        }
        Import { text, report }
    }

    /// A Rust type name not yet taken.
    fn fresh(&mut self, want: &str) -> String {
        // Names the description's vocabulary or Rust's prelude already use.
        const RESERVED: &[&str] = &[
            "In",
            "Out",
            "InOut",
            "CStr",
            "Owned",
            "Borrowed",
            "Callback",
            "UserData",
            "Unresolved",
            "Box",
            "Option",
            "Result",
            "String",
            "Vec",
            "Some",
            "None",
            "Ok",
            "Err",
            "Drop",
            "Send",
            "Sync",
            "Copy",
            "Clone",
            "Fn",
            "FnMut",
            "FnOnce",
            "Error",
            "Self",
            "Default",
            "Debug",
            "Iterator",
            "ToString",
        ];
        let want = if RESERVED.contains(&want) {
            format!("C{want}")
        } else {
            want.to_string()
        };
        let mut name = want.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{want}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    fn record_verdict(
        &self,
        r: &RawRecord,
        ok_records: &BTreeSet<String>,
        ok_enums: &BTreeSet<String>,
        bad: &BTreeMap<String, String>,
    ) -> Verdict {
        if r.is_incomplete() {
            return Verdict::No("it is incomplete in the header (an opaque type)".to_string());
        }
        if r.key.contains("_bindgen_ty_") {
            return Verdict::No("it is anonymous: C gives it no name to check it by".to_string());
        }
        if r.fields.is_empty() {
            return Verdict::No("it has no fields".to_string());
        }
        let mut wait = false;
        for (fname, fty, _) in &r.fields {
            let f = fname.to_string();
            if f.starts_with("_bitfield") {
                return Verdict::No("it has bit-fields".to_string());
            }
            if f.starts_with("__bindgen_anon") {
                return Verdict::No("it has an anonymous struct or union member".to_string());
            }
            if f.starts_with("__bindgen_padding") {
                return Verdict::No("it is over-aligned".to_string());
            }
            if quote!(#fty).to_string().contains("__IncompleteArrayField") {
                return Verdict::No(format!("field `{f}` is a flexible array member"));
            }
            let cty = self.decls.types.resolve(fty);
            match field_state(&cty, ok_records, ok_enums, bad) {
                FieldState::Ok => {}
                FieldState::Wait => wait = true,
                FieldState::No(why) => {
                    return Verdict::No(format!("field `{f}` {why}"));
                }
            }
        }
        if let Some(a) = &r.layout_attr {
            return Verdict::No(format!(
                "it is {a}: a described struct is laid out in plain C order"
            ));
        }
        if wait {
            Verdict::Wait
        } else {
            Verdict::Ok
        }
    }

    fn callback(
        &self,
        params: &[(Option<String>, CTy)],
        ret: &CTy,
        variadic: bool,
        rust_names: &BTreeMap<String, String>,
    ) -> Result<(Vec<TokenStream>, TokenStream), String> {
        if variadic {
            return Err("it is variadic".to_string());
        }
        let voids = params
            .iter()
            .filter(|(_, t)| matches!(t.strip(), CTy::Ptr { to, .. } if *to.strip() == CTy::Void))
            .count();
        if voids != 1 {
            return Err(format!(
                "it has {voids} `void *` parameters; a described callback has exactly one, its user data"
            ));
        }
        let mut out = Vec::new();
        for (i, (name, t)) in params.iter().enumerate() {
            let name = name.clone().unwrap_or_else(|| format!("arg{i}"));
            let id = ident(&name);
            let ty = match t.strip() {
                CTy::Ptr { to, .. } if *to.strip() == CTy::Void => quote!(UserData),
                CTy::Ptr { is_const: true, to } if *to.strip() == CTy::Scalar(Scalar::Char) => {
                    quote!(CStr)
                }
                other => match value_tokens(other, rust_names) {
                    Some(t) if !matches!(other, CTy::Array { .. }) => t,
                    _ => {
                        return Err(format!(
                            "parameter `{name}` is `{}`, which a callback cannot describe",
                            t.spell()
                        ))
                    }
                },
            };
            out.push(quote!(#id: #ty));
        }
        let r = match ret.strip() {
            CTy::Void => quote!(),
            other => match value_tokens(other, rust_names) {
                Some(t) if !matches!(other, CTy::Array { .. }) => quote!(-> #t),
                _ => {
                    return Err(format!(
                        "it returns `{}`, which a callback cannot describe",
                        ret.spell()
                    ))
                }
            },
        };
        Ok((out, r))
    }

    /// Drafts one function; returns its tokens and how many markers it holds.
    fn function(
        &self,
        f: &RawFn,
        rust_names: &BTreeMap<String, String>,
        opaque: &BTreeMap<String, (String, String, String)>,
        fn_rust: &BTreeMap<String, String>,
        prefix: &str,
    ) -> Result<(TokenStream, usize), String> {
        let ctys: Vec<CTy> = f
            .params
            .iter()
            .map(|(_, t)| self.decls.types.resolve(t))
            .collect();
        for ((name, _), t) in f.params.iter().zip(&ctys) {
            if t.spell().contains("__va_list_tag") {
                return Err(format!("parameter `{name}` is a va_list"));
            }
        }
        if f.variadic && f.params.is_empty() {
            return Err("it is variadic with no fixed parameter".to_string());
        }
        let frees: Option<String> = opaque
            .values()
            .find(|(_, _, free)| *free == f.name)
            .map(|(rust, ..)| rust.clone());
        let mut markers = 0;
        let mut kinds: Vec<(PKind, Option<String>)> = Vec::new();
        for (i, ((name, _), t)) in f.params.iter().zip(&ctys).enumerate() {
            let stripped = t.strip();
            let kind = match stripped {
                CTy::Ptr { .. } | CTy::FnPtr { .. } => {
                    if let Some(h) = &frees {
                        (PKind::Owned(h.clone()), None)
                    } else {
                        self.pointer_param(
                            t,
                            ctys.get(i + 1),
                            ctys.get(i + 2),
                            f.params.get(i + 1).map(|p| p.0.as_str()),
                            rust_names,
                        )
                    }
                }
                other => match value_tokens(other, rust_names) {
                    Some(tok) if !matches!(other, CTy::Array { .. }) => (PKind::Value(tok), None),
                    _ => {
                        return Err(format!(
                            "parameter `{name}` is `{}`, {}",
                            t.spell(),
                            why_not_value(other)
                        ))
                    }
                },
            };
            if matches!(kind.0, PKind::Marker(_)) {
                markers += 1;
            }
            kinds.push(kind);
        }
        let ret = match &f.ret {
            syn::ReturnType::Default => quote!(),
            syn::ReturnType::Type(_, t) => {
                let cty = self.decls.types.resolve(t);
                match cty.strip() {
                    CTy::Void => quote!(),
                    CTy::Ptr { is_const: true, to } if *to.strip() == CTy::Scalar(Scalar::Char) => {
                        quote!(-> Borrowed<CStr>)
                    }
                    CTy::Ptr { .. } | CTy::FnPtr { .. } => {
                        markers += 1;
                        let l = lit(&cty.spell());
                        quote!(-> Unresolved<#l>)
                    }
                    other => match value_tokens(other, rust_names) {
                        Some(tok) if !matches!(other, CTy::Array { .. }) => quote!(-> #tok),
                        _ => {
                            return Err(format!(
                                "it returns `{}`, {}",
                                cty.spell(),
                                why_not_value(other)
                            ))
                        }
                    },
                }
            }
        };
        let mut params = Vec::new();
        for ((name, _), (kind, c_type)) in f.params.iter().zip(&kinds) {
            let id = ident(name);
            let ty = match kind {
                PKind::Value(t) => t.clone(),
                PKind::CStr => quote!(CStr),
                PKind::In(t) => quote!(In<#t>),
                PKind::InSlice(t, len) => {
                    let l = ident(len);
                    quote!(In<[#t], len = #l>)
                }
                PKind::Owned(h) => {
                    let h = ident(h);
                    quote!(Owned<#h>)
                }
                PKind::Marker(s) => {
                    let l = lit(s);
                    quote!(Unresolved<#l>)
                }
            };
            let attr = c_type.as_ref().map(|c| {
                let l = lit(c);
                quote!(#[c_type = #l])
            });
            params.push(quote!(#attr #id: #ty));
        }
        let rust = &fn_rust[&f.name];
        let c_name = (format!("{prefix}{rust}") != f.name).then(|| {
            let l = lit(&f.name);
            quote!(#[c_name = #l])
        });
        let variadic = f.variadic.then(|| {
            let n = syn::LitInt::new(&f.params.len().to_string(), Span::call_site());
            quote! {
                #[doc = " Variadic in C: this draft describes the call with no extra argument."]
                #[doc = " Describe each other use as its own function with #[variadic(fixed = N)]."]
                #[variadic(fixed = #n)]
            }
        });
        // No symbol to call: the check unit defines a wrapper that calls it.
        let wrap = self.inline_fns.contains(&f.name).then(|| quote!(#[wrap]));
        let fdocs = &f.docs;
        let id = ident(rust);
        Ok((
            quote! {
                #(#fdocs)*
                #variadic
                #wrap
                #c_name
                fn #id(#(#params),*) #ret;
            },
            markers,
        ))
    }

    /// The meaning of a pointer parameter, and its C spelling when the
    /// meaning's own spelling differs.
    fn pointer_param(
        &self,
        t: &CTy,
        next: Option<&CTy>,
        after_next: Option<&CTy>,
        next_name: Option<&str>,
        rust_names: &BTreeMap<String, String>,
    ) -> (PKind, Option<String>) {
        let spelled = t.spell();
        let marker = (PKind::Marker(spelled.clone()), None);
        let CTy::Ptr { is_const: true, to } = t.strip() else {
            return marker;
        };
        let pointee = to.strip();
        if *pointee == CTy::Scalar(Scalar::Char) {
            let c_type = (spelled != "const char *").then(|| spelled.clone());
            return (PKind::CStr, c_type);
        }
        let integer = |t: Option<&CTy>| match t.map(CTy::strip) {
            Some(CTy::Scalar(s)) if s.is_integer() => Some(*s),
            _ => None,
        };
        // Two integers of one type after the pointer is fread's shape
        // (`buf, size_t size, size_t nitems`): the extent is their product, not
        // one parameter, so it is left to a person.
        let next_is_len = integer(next).is_some_and(|n| integer(after_next) != Some(n));
        let elem = match pointee {
            CTy::Void if next_is_len => Some((quote!(u8), "uint8_t".to_string())),
            CTy::Array { .. } | CTy::Void => None,
            other => value_tokens(other, rust_names).map(|t| (t, default_spelling(other))),
        };
        let Some((elem, elem_c)) = elem else {
            return marker;
        };
        let default = format!("const {elem_c} *");
        let c_type = (spelled != default).then(|| spelled.clone());
        match (next_is_len, next_name) {
            (true, Some(n)) => (PKind::InSlice(elem, n.to_string()), c_type),
            // One object: conventional for a struct or union; a pointer to a
            // scalar is as often an array, so its extent is left to a person.
            _ if matches!(pointee, CTy::Record(_)) => (PKind::In(elem), c_type),
            _ => marker,
        }
    }
}

enum Verdict {
    Ok,
    No(String),
    Wait,
}

enum FieldState {
    Ok,
    No(String),
    Wait,
}

fn field_state(
    t: &CTy,
    ok_records: &BTreeSet<String>,
    ok_enums: &BTreeSet<String>,
    bad: &BTreeMap<String, String>,
) -> FieldState {
    match t.strip() {
        CTy::Scalar(_) => FieldState::Ok,
        CTy::Enum(k) if ok_enums.contains(k) => FieldState::Ok,
        CTy::Enum(k) => FieldState::No(format!(
            "is `{}`, an enum that cannot be described",
            record_spelling(k)
        )),
        CTy::Record(k) if ok_records.contains(k) => FieldState::Ok,
        CTy::Record(k) if bad.contains_key(k) => FieldState::No(format!(
            "is `{}`, which cannot be described",
            record_spelling(k)
        )),
        CTy::Record(_) => FieldState::Wait,
        CTy::Array { elem, len } if *len > 0 => field_state(elem, ok_records, ok_enums, bad),
        CTy::Array { .. } => FieldState::No("is a zero-length array".to_string()),
        CTy::Ptr { .. } | CTy::FnPtr { .. } => FieldState::No(format!(
            "is a pointer (`{}`): a described struct holds values only",
            t.spell()
        )),
        CTy::Void => FieldState::No("is void".to_string()),
        CTy::Unknown(why) => FieldState::No(format!("is {why}")),
        CTy::Alias { .. } => FieldState::No("is an unresolved typedef".to_string()),
    }
}

/// The record behind a handle-like pointer: `T *` or a typedef of it.
fn handle_of(t: &CTy) -> Option<(String, String, bool)> {
    match t {
        CTy::Alias { name, to } => match &**to {
            CTy::Ptr { to: inner, .. } => match inner.strip() {
                CTy::Record(k) => Some((k.clone(), name.clone(), true)),
                _ => None,
            },
            CTy::Alias { .. } => handle_of(to).map(|(k, _, via)| (k, name.clone(), via)),
            _ => None,
        },
        CTy::Ptr { to, .. } => match to.strip() {
            CTy::Record(k) => Some((k.clone(), t.spell(), false)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a C function's name says it frees what it takes (`gzclose`,
/// `sqlite3_finalize`, `sv_counter_free`; not `gzclose_r`).
fn is_free_name(name: &str) -> bool {
    let lower = name.trim_end_matches('_').to_lowercase();
    [
        "free", "close", "destroy", "release", "finalize", "delete", "dispose", "unref",
    ]
    .iter()
    .any(|w| lower.ends_with(w))
}

fn const_type_ok(ty: &syn::Type) -> bool {
    let text = quote!(#ty).to_string().replace(' ', "");
    matches!(
        text.as_str(),
        "u8" | "u16"
            | "u32"
            | "u64"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "f32"
            | "f64"
            | "bool"
            | "usize"
            | "isize"
    ) || text.ends_with("CStr")
        || text.starts_with("&[u8;")
}

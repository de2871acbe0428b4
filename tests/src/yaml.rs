//! libyaml (Debian's `libyaml-dev`), drafted from its header and resolved
//! by hand, described directly: no C of this crate stands between the
//! description and `libyaml`.
//
// Drafted by ffi-stubgen from `yaml.h`:
//     ffi-stubgen import --header /usr/include/yaml.h --library yaml -o ffi-stubgen/tests/drafts/yaml.rs
// (committed there; `committed_drafts_are_unchanged` re-imports it).
// The draft holds 48 functions (16 of them whole), 5 structs, 11 enums, three
// handle types (the parser's, the emitter's and the document's state) and 11
// constants, with 51 pointers marked Unresolved and 12 items it could not import (among them `yaml_event_t`, whose `data` is a
// union of structs with pointer fields). This description resolves what
// reading a document as events needs: the parser's life, its string input,
// `yaml_parser_parse`, the parser's problem, and the version.
//
// How the draft was resolved:
// - module `yaml`/trait `Yaml` and `prefix = "yaml_"` kept; soname
//   `libyaml-0.so.2` added for the Loaded linkage (Debian ships no
//   `libyaml.so` outside the -dev package).
// - `yaml_parser_t` is the draft's state the caller allocates,
//   `#[opaque(c_type = "yaml_parser_t", size = 480, align = 8, free =
//   parser_delete)]`, kept as drafted: the check unit asserts its size and
//   alignment, `&Parser` and `Owned<Parser>` (`yaml_parser_delete`, which
//   its `Drop` calls before the linkage releases the storage) as drafted.
//   `yaml_parser_initialize`'s `Unresolved<"yaml_parser_t *", guess =
//   "Init<Parser, V> ..">` is `Init<Parser, 1>`: it returns 1 once it
//   initialised the parser, 0 after cleaning up.
// - `yaml_parser_set_input_string`'s `input` must stay valid while the
//   parser exists: the draft's `In<[c_uchar], len = size, kept = parser>`,
//   written `In<[u8], ..>` with `#[c_type = "const unsigned char *"]`, so
//   the linkage copies it and keeps the copy with the parser (in the domain
//   for Isolated) until the parser is freed.
// - `yaml_event_t` is a `#[copy_out]` struct `Event`: its `type` is the
//   tag (the draft's `EventTypeT`, renamed `EventType` with its variants'
//   `Event` suffix dropped), and the members of its `data` union are read
//   when the tag selects them: `anchor` from `data.alias`, `data.scalar`,
//   `data.sequence_start` and `data.mapping_start` (all at offset 8),
//   `tag` from the last three, `value` with its `length` from
//   `data.scalar`, the scalar's `style`; the marks are the draft's `MarkT`
//   (renamed `Mark`). Text is UTF-8 (libyaml checks its input is). Its
//   destructor `yaml_event_delete` runs after every copy.
//   `yaml_parser_parse`'s `Unresolved<"yaml_event_t *">` is `Out<Event>`.
// - The parser's `error`, `problem`, `problem_offset`, `problem_mark`,
//   `context` and `context_mark` are a `#[copy_out]` struct `Problem` over
//   `yaml_parser_t`, which the `#[view]` `problem` copies out of a parser.
// - `ErrorTypeT`, `ScalarStyleT` are the draft's, renamed.
//
// Left out for now: the token scanner (`yaml_token_t`, like the event, is
// a union of pointer-holding structs), the document loader and the node
// API, the emitter (drafted as state like the parser, `yaml_emitter_delete`
// its free function; `yaml_emitter_close` left to a person), `yaml_parser_set_input_file` (a `FILE *`) and
// `yaml_parser_set_input` (a read handler that fills a caller's buffer).

use ffi_desc::foreign;

#[foreign(
    library = "yaml",
    header = "yaml.h",
    soname = "libyaml-0.so.2",
    prefix = "yaml_"
)]
pub mod yaml {
    /// A position in the input.
    #[c_name = "yaml_mark_t"]
    #[derive(Debug, PartialEq, Eq)]
    pub struct Mark {
        /// The byte index.
        pub index: size_t,
        /// The line, from 0.
        pub line: size_t,
        /// The column, from 0.
        pub column: size_t,
    }

    /// `yaml_error_type_t`: what kind of error stopped the parser.
    #[c_name = "yaml_error_type_t"]
    #[allow(missing_docs)]
    pub enum ErrorType {
        #[c_name = "YAML_NO_ERROR"]
        NoError = 0,
        #[c_name = "YAML_MEMORY_ERROR"]
        MemoryError = 1,
        #[c_name = "YAML_READER_ERROR"]
        ReaderError = 2,
        #[c_name = "YAML_SCANNER_ERROR"]
        ScannerError = 3,
        #[c_name = "YAML_PARSER_ERROR"]
        ParserError = 4,
        #[c_name = "YAML_COMPOSER_ERROR"]
        ComposerError = 5,
        #[c_name = "YAML_WRITER_ERROR"]
        WriterError = 6,
        #[c_name = "YAML_EMITTER_ERROR"]
        EmitterError = 7,
    }

    /// `yaml_scalar_style_t`.
    #[c_name = "yaml_scalar_style_t"]
    #[allow(missing_docs)]
    pub enum ScalarStyle {
        #[c_name = "YAML_ANY_SCALAR_STYLE"]
        Any = 0,
        #[c_name = "YAML_PLAIN_SCALAR_STYLE"]
        Plain = 1,
        #[c_name = "YAML_SINGLE_QUOTED_SCALAR_STYLE"]
        SingleQuoted = 2,
        #[c_name = "YAML_DOUBLE_QUOTED_SCALAR_STYLE"]
        DoubleQuoted = 3,
        #[c_name = "YAML_LITERAL_SCALAR_STYLE"]
        Literal = 4,
        #[c_name = "YAML_FOLDED_SCALAR_STYLE"]
        Folded = 5,
    }

    /// `yaml_event_type_t`.
    #[c_name = "yaml_event_type_t"]
    #[allow(missing_docs)]
    pub enum EventType {
        #[c_name = "YAML_NO_EVENT"]
        NoEvent = 0,
        #[c_name = "YAML_STREAM_START_EVENT"]
        StreamStart = 1,
        #[c_name = "YAML_STREAM_END_EVENT"]
        StreamEnd = 2,
        #[c_name = "YAML_DOCUMENT_START_EVENT"]
        DocumentStart = 3,
        #[c_name = "YAML_DOCUMENT_END_EVENT"]
        DocumentEnd = 4,
        #[c_name = "YAML_ALIAS_EVENT"]
        Alias = 5,
        #[c_name = "YAML_SCALAR_EVENT"]
        Scalar = 6,
        #[c_name = "YAML_SEQUENCE_START_EVENT"]
        SequenceStart = 7,
        #[c_name = "YAML_SEQUENCE_END_EVENT"]
        SequenceEnd = 8,
        #[c_name = "YAML_MAPPING_START_EVENT"]
        MappingStart = 9,
        #[c_name = "YAML_MAPPING_END_EVENT"]
        MappingEnd = 10,
    }

    /// A parser: libyaml's state, which the linkage allocates and pins.
    #[opaque(c_type = "yaml_parser_t", size = 480, align = 8, free = parser_delete)]
    pub struct Parser;

    /// One parsing event, copied out of the `yaml_event_t` libyaml wrote.
    #[copy_out(c_type = "yaml_event_t", size = 104, align = 8, free = event_delete)]
    pub struct Event {
        #[c(offset = 0, field = "type", tag)]
        pub kind: EventType,
        #[c(
            offset = 8,
            when(Alias, Scalar, SequenceStart, MappingStart),
            field = "data.alias.anchor",
            field = "data.scalar.anchor",
            field = "data.sequence_start.anchor",
            field = "data.mapping_start.anchor"
        )]
        pub anchor: Option<String>,
        #[c(
            offset = 16,
            when(Scalar, SequenceStart, MappingStart),
            field = "data.scalar.tag",
            field = "data.sequence_start.tag",
            field = "data.mapping_start.tag"
        )]
        pub tag: Option<String>,
        #[c(offset = 24, when(Scalar), field = "data.scalar.value", len = length)]
        pub value: Option<String>,
        #[c(offset = 32, field = "data.scalar.length")]
        pub length: size_t,
        #[c(offset = 48, when(Scalar), field = "data.scalar.style")]
        pub style: Option<ScalarStyle>,
        #[c(offset = 56, field = "start_mark")]
        pub start_mark: Mark,
        #[c(offset = 80, field = "end_mark")]
        pub end_mark: Mark,
    }

    /// Why a parser stopped, copied out of its `yaml_parser_t`.
    #[copy_out(c_type = "yaml_parser_t", size = 480, align = 8)]
    pub struct Problem {
        #[c(offset = 0, field = "error")]
        pub error: ErrorType,
        #[c(offset = 8, field = "problem")]
        pub problem: Option<String>,
        #[c(offset = 16, field = "problem_offset")]
        pub problem_offset: size_t,
        #[c(offset = 32, field = "problem_mark")]
        pub problem_mark: Mark,
        #[c(offset = 56, field = "context")]
        pub context: Option<String>,
        #[c(offset = 64, field = "context_mark")]
        pub context_mark: Mark,
    }

    /// The functions of `yaml.h` this description covers.
    pub trait Yaml {
        /// `"X.Y.Z"`.
        fn get_version_string() -> Borrowed<CStr>;
        /// A new parser, or `None` when libyaml could not allocate its
        /// buffers (the result is then 0).
        fn parser_initialize(parser: Init<Parser, 1>) -> c_int;
        /// Frees the parser (its `Drop` calls it too).
        fn parser_delete(parser: Owned<Parser>);
        /// The document to parse; the linkage keeps a copy as long as the
        /// parser lives.
        fn parser_set_input_string(
            parser: &Parser,
            #[c_type = "const unsigned char *"] input: In<[u8], len = size, kept = parser>,
            size: size_t,
        );
        /// The next event; 1 on success, 0 on error (see `problem`).
        fn parser_parse(parser: &Parser, event: Out<Event>) -> c_int;
        /// Frees what an event's pointers own: the linkages' to call.
        fn event_delete(event: Out<Event>);
        /// Why the parser stopped.
        #[view]
        fn problem(parser: &Parser) -> Problem;
    }
}

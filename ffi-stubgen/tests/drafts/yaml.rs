// Drafted by ffi-stubgen from `yaml.h`:
//     ffi-stubgen import --header /usr/include/yaml.h --library yaml -o ffi-stubgen/tests/drafts/yaml.rs
// 48 functions drafted, 16 whole. 51 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 12 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "yaml", header = "yaml.h", prefix = "yaml_")]
pub mod yaml {
    pub const YAML_NULL_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:null";
    pub const YAML_BOOL_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:bool";
    pub const YAML_STR_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:str";
    pub const YAML_INT_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:int";
    pub const YAML_FLOAT_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:float";
    pub const YAML_TIMESTAMP_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:timestamp";
    pub const YAML_SEQ_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:seq";
    pub const YAML_MAP_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:map";
    pub const YAML_DEFAULT_SCALAR_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:str";
    pub const YAML_DEFAULT_SEQUENCE_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:seq";
    pub const YAML_DEFAULT_MAPPING_TAG: &::std::ffi::CStr = c"tag:yaml.org,2002:map";
    /// The version directive data.
    #[c_name = "yaml_version_directive_t"]
    pub struct VersionDirectiveT {
        /// The major version number.
        pub major: c_int,
        /// The minor version number.
        pub minor: c_int,
    }
    /// The pointer position.
    #[c_name = "yaml_mark_t"]
    pub struct MarkT {
        /// The position index.
        pub index: size_t,
        /// The position line.
        pub line: size_t,
        /// The position column.
        pub column: size_t,
    }
    /// An element of a mapping node.
    #[c_name = "yaml_node_pair_t"]
    pub struct NodePairT {
        /// The key of the element.
        pub key: c_int,
        /// The value of the element.
        pub value: c_int,
    }
    /// This structure holds information about a potential simple key.
    #[c_name = "yaml_simple_key_t"]
    pub struct SimpleKeyT {
        /// Is a simple key possible?
        pub possible: c_int,
        /// Is a simple key required?
        pub required: c_int,
        /// The number of the token.
        pub token_number: size_t,
        /// The position mark.
        pub mark: MarkT,
    }
    #[c_name = "yaml_anchors_t"]
    pub struct AnchorsT {
        /// The number of references.
        pub references: c_int,
        /// The anchor id.
        pub anchor: c_int,
        /// If the node has been emitted?
        pub serialized: c_int,
    }
    /// The stream encoding.
    #[c_name = "yaml_encoding_t"]
    pub enum EncodingT {
        /// Let the parser choose the encoding.
        #[c_name = "YAML_ANY_ENCODING"]
        AnyEncoding = 0,
        /// The default UTF-8 encoding.
        #[c_name = "YAML_UTF8_ENCODING"]
        Utf8Encoding = 1,
        /// The UTF-16-LE encoding with BOM.
        #[c_name = "YAML_UTF16LE_ENCODING"]
        Utf16LeEncoding = 2,
        /// The UTF-16-BE encoding with BOM.
        #[c_name = "YAML_UTF16BE_ENCODING"]
        Utf16BeEncoding = 3,
    }
    /// Line break types.
    #[c_name = "yaml_break_t"]
    pub enum BreakT {
        /// Let the parser choose the break type.
        #[c_name = "YAML_ANY_BREAK"]
        AnyBreak = 0,
        /// Use CR for line breaks (Mac style).
        #[c_name = "YAML_CR_BREAK"]
        CrBreak = 1,
        /// Use LN for line breaks (Unix style).
        #[c_name = "YAML_LN_BREAK"]
        LnBreak = 2,
        /// Use CR LN for line breaks (DOS style).
        #[c_name = "YAML_CRLN_BREAK"]
        CrlnBreak = 3,
    }
    /// Many bad things could happen with the parser and emitter.
    #[c_name = "yaml_error_type_t"]
    pub enum ErrorTypeT {
        /// No error is produced.
        #[c_name = "YAML_NO_ERROR"]
        NoError = 0,
        /// Cannot allocate or reallocate a block of memory.
        #[c_name = "YAML_MEMORY_ERROR"]
        MemoryError = 1,
        /// Cannot read or decode the input stream.
        #[c_name = "YAML_READER_ERROR"]
        ReaderError = 2,
        /// Cannot scan the input stream.
        #[c_name = "YAML_SCANNER_ERROR"]
        ScannerError = 3,
        /// Cannot parse the input stream.
        #[c_name = "YAML_PARSER_ERROR"]
        ParserError = 4,
        /// Cannot compose a YAML document.
        #[c_name = "YAML_COMPOSER_ERROR"]
        ComposerError = 5,
        /// Cannot write to the output stream.
        #[c_name = "YAML_WRITER_ERROR"]
        WriterError = 6,
        /// Cannot emit a YAML stream.
        #[c_name = "YAML_EMITTER_ERROR"]
        EmitterError = 7,
    }
    /// Scalar styles.
    #[c_name = "yaml_scalar_style_t"]
    pub enum ScalarStyleT {
        /// Let the emitter choose the style.
        #[c_name = "YAML_ANY_SCALAR_STYLE"]
        AnyScalarStyle = 0,
        /// The plain scalar style.
        #[c_name = "YAML_PLAIN_SCALAR_STYLE"]
        PlainScalarStyle = 1,
        /// The single-quoted scalar style.
        #[c_name = "YAML_SINGLE_QUOTED_SCALAR_STYLE"]
        SingleQuotedScalarStyle = 2,
        /// The double-quoted scalar style.
        #[c_name = "YAML_DOUBLE_QUOTED_SCALAR_STYLE"]
        DoubleQuotedScalarStyle = 3,
        /// The literal scalar style.
        #[c_name = "YAML_LITERAL_SCALAR_STYLE"]
        LiteralScalarStyle = 4,
        /// The folded scalar style.
        #[c_name = "YAML_FOLDED_SCALAR_STYLE"]
        FoldedScalarStyle = 5,
    }
    /// Sequence styles.
    #[c_name = "yaml_sequence_style_t"]
    pub enum SequenceStyleT {
        /// Let the emitter choose the style.
        #[c_name = "YAML_ANY_SEQUENCE_STYLE"]
        AnySequenceStyle = 0,
        /// The block sequence style.
        #[c_name = "YAML_BLOCK_SEQUENCE_STYLE"]
        BlockSequenceStyle = 1,
        /// The flow sequence style.
        #[c_name = "YAML_FLOW_SEQUENCE_STYLE"]
        FlowSequenceStyle = 2,
    }
    /// Mapping styles.
    #[c_name = "yaml_mapping_style_t"]
    pub enum MappingStyleT {
        /// Let the emitter choose the style.
        #[c_name = "YAML_ANY_MAPPING_STYLE"]
        AnyMappingStyle = 0,
        /// The block mapping style.
        #[c_name = "YAML_BLOCK_MAPPING_STYLE"]
        BlockMappingStyle = 1,
        /// The flow mapping style.
        #[c_name = "YAML_FLOW_MAPPING_STYLE"]
        FlowMappingStyle = 2,
    }
    /// Token types.
    #[c_name = "yaml_token_type_t"]
    pub enum TokenTypeT {
        /// An empty token.
        #[c_name = "YAML_NO_TOKEN"]
        NoToken = 0,
        /// A STREAM-START token.
        #[c_name = "YAML_STREAM_START_TOKEN"]
        StreamStartToken = 1,
        /// A STREAM-END token.
        #[c_name = "YAML_STREAM_END_TOKEN"]
        StreamEndToken = 2,
        /// A VERSION-DIRECTIVE token.
        #[c_name = "YAML_VERSION_DIRECTIVE_TOKEN"]
        VersionDirectiveToken = 3,
        /// A TAG-DIRECTIVE token.
        #[c_name = "YAML_TAG_DIRECTIVE_TOKEN"]
        TagDirectiveToken = 4,
        /// A DOCUMENT-START token.
        #[c_name = "YAML_DOCUMENT_START_TOKEN"]
        DocumentStartToken = 5,
        /// A DOCUMENT-END token.
        #[c_name = "YAML_DOCUMENT_END_TOKEN"]
        DocumentEndToken = 6,
        /// A BLOCK-SEQUENCE-START token.
        #[c_name = "YAML_BLOCK_SEQUENCE_START_TOKEN"]
        BlockSequenceStartToken = 7,
        /// A BLOCK-MAPPING-START token.
        #[c_name = "YAML_BLOCK_MAPPING_START_TOKEN"]
        BlockMappingStartToken = 8,
        /// A BLOCK-END token.
        #[c_name = "YAML_BLOCK_END_TOKEN"]
        BlockEndToken = 9,
        /// A FLOW-SEQUENCE-START token.
        #[c_name = "YAML_FLOW_SEQUENCE_START_TOKEN"]
        FlowSequenceStartToken = 10,
        /// A FLOW-SEQUENCE-END token.
        #[c_name = "YAML_FLOW_SEQUENCE_END_TOKEN"]
        FlowSequenceEndToken = 11,
        /// A FLOW-MAPPING-START token.
        #[c_name = "YAML_FLOW_MAPPING_START_TOKEN"]
        FlowMappingStartToken = 12,
        /// A FLOW-MAPPING-END token.
        #[c_name = "YAML_FLOW_MAPPING_END_TOKEN"]
        FlowMappingEndToken = 13,
        /// A BLOCK-ENTRY token.
        #[c_name = "YAML_BLOCK_ENTRY_TOKEN"]
        BlockEntryToken = 14,
        /// A FLOW-ENTRY token.
        #[c_name = "YAML_FLOW_ENTRY_TOKEN"]
        FlowEntryToken = 15,
        /// A KEY token.
        #[c_name = "YAML_KEY_TOKEN"]
        KeyToken = 16,
        /// A VALUE token.
        #[c_name = "YAML_VALUE_TOKEN"]
        ValueToken = 17,
        /// An ALIAS token.
        #[c_name = "YAML_ALIAS_TOKEN"]
        AliasToken = 18,
        /// An ANCHOR token.
        #[c_name = "YAML_ANCHOR_TOKEN"]
        AnchorToken = 19,
        /// A TAG token.
        #[c_name = "YAML_TAG_TOKEN"]
        TagToken = 20,
        /// A SCALAR token.
        #[c_name = "YAML_SCALAR_TOKEN"]
        ScalarToken = 21,
    }
    /// Event types.
    #[c_name = "yaml_event_type_t"]
    pub enum EventTypeT {
        /// An empty event.
        #[c_name = "YAML_NO_EVENT"]
        NoEvent = 0,
        /// A STREAM-START event.
        #[c_name = "YAML_STREAM_START_EVENT"]
        StreamStartEvent = 1,
        /// A STREAM-END event.
        #[c_name = "YAML_STREAM_END_EVENT"]
        StreamEndEvent = 2,
        /// A DOCUMENT-START event.
        #[c_name = "YAML_DOCUMENT_START_EVENT"]
        DocumentStartEvent = 3,
        /// A DOCUMENT-END event.
        #[c_name = "YAML_DOCUMENT_END_EVENT"]
        DocumentEndEvent = 4,
        /// An ALIAS event.
        #[c_name = "YAML_ALIAS_EVENT"]
        AliasEvent = 5,
        /// A SCALAR event.
        #[c_name = "YAML_SCALAR_EVENT"]
        ScalarEvent = 6,
        /// A SEQUENCE-START event.
        #[c_name = "YAML_SEQUENCE_START_EVENT"]
        SequenceStartEvent = 7,
        /// A SEQUENCE-END event.
        #[c_name = "YAML_SEQUENCE_END_EVENT"]
        SequenceEndEvent = 8,
        /// A MAPPING-START event.
        #[c_name = "YAML_MAPPING_START_EVENT"]
        MappingStartEvent = 9,
        /// A MAPPING-END event.
        #[c_name = "YAML_MAPPING_END_EVENT"]
        MappingEndEvent = 10,
    }
    /// Node types.
    #[c_name = "yaml_node_type_t"]
    pub enum NodeTypeT {
        /// An empty node.
        #[c_name = "YAML_NO_NODE"]
        NoNode = 0,
        /// A scalar node.
        #[c_name = "YAML_SCALAR_NODE"]
        ScalarNode = 1,
        /// A sequence node.
        #[c_name = "YAML_SEQUENCE_NODE"]
        SequenceNode = 2,
        /// A mapping node.
        #[c_name = "YAML_MAPPING_NODE"]
        MappingNode = 3,
    }
    /// The states of the parser.
    #[c_name = "yaml_parser_state_t"]
    pub enum ParserStateT {
        /// Expect STREAM-START.
        #[c_name = "YAML_PARSE_STREAM_START_STATE"]
        StreamStartState = 0,
        /// Expect the beginning of an implicit document.
        #[c_name = "YAML_PARSE_IMPLICIT_DOCUMENT_START_STATE"]
        ImplicitDocumentStartState = 1,
        /// Expect DOCUMENT-START.
        #[c_name = "YAML_PARSE_DOCUMENT_START_STATE"]
        DocumentStartState = 2,
        /// Expect the content of a document.
        #[c_name = "YAML_PARSE_DOCUMENT_CONTENT_STATE"]
        DocumentContentState = 3,
        /// Expect DOCUMENT-END.
        #[c_name = "YAML_PARSE_DOCUMENT_END_STATE"]
        DocumentEndState = 4,
        /// Expect a block node.
        #[c_name = "YAML_PARSE_BLOCK_NODE_STATE"]
        BlockNodeState = 5,
        /// Expect a block node or indentless sequence.
        #[c_name = "YAML_PARSE_BLOCK_NODE_OR_INDENTLESS_SEQUENCE_STATE"]
        BlockNodeOrIndentlessSequenceState = 6,
        /// Expect a flow node.
        #[c_name = "YAML_PARSE_FLOW_NODE_STATE"]
        FlowNodeState = 7,
        /// Expect the first entry of a block sequence.
        #[c_name = "YAML_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE"]
        BlockSequenceFirstEntryState = 8,
        /// Expect an entry of a block sequence.
        #[c_name = "YAML_PARSE_BLOCK_SEQUENCE_ENTRY_STATE"]
        BlockSequenceEntryState = 9,
        /// Expect an entry of an indentless sequence.
        #[c_name = "YAML_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE"]
        IndentlessSequenceEntryState = 10,
        /// Expect the first key of a block mapping.
        #[c_name = "YAML_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE"]
        BlockMappingFirstKeyState = 11,
        /// Expect a block mapping key.
        #[c_name = "YAML_PARSE_BLOCK_MAPPING_KEY_STATE"]
        BlockMappingKeyState = 12,
        /// Expect a block mapping value.
        #[c_name = "YAML_PARSE_BLOCK_MAPPING_VALUE_STATE"]
        BlockMappingValueState = 13,
        /// Expect the first entry of a flow sequence.
        #[c_name = "YAML_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE"]
        FlowSequenceFirstEntryState = 14,
        /// Expect an entry of a flow sequence.
        #[c_name = "YAML_PARSE_FLOW_SEQUENCE_ENTRY_STATE"]
        FlowSequenceEntryState = 15,
        /// Expect a key of an ordered mapping.
        #[c_name = "YAML_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE"]
        FlowSequenceEntryMappingKeyState = 16,
        /// Expect a value of an ordered mapping.
        #[c_name = "YAML_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE"]
        FlowSequenceEntryMappingValueState = 17,
        /// Expect the and of an ordered mapping entry.
        #[c_name = "YAML_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE"]
        FlowSequenceEntryMappingEndState = 18,
        /// Expect the first key of a flow mapping.
        #[c_name = "YAML_PARSE_FLOW_MAPPING_FIRST_KEY_STATE"]
        FlowMappingFirstKeyState = 19,
        /// Expect a key of a flow mapping.
        #[c_name = "YAML_PARSE_FLOW_MAPPING_KEY_STATE"]
        FlowMappingKeyState = 20,
        /// Expect a value of a flow mapping.
        #[c_name = "YAML_PARSE_FLOW_MAPPING_VALUE_STATE"]
        FlowMappingValueState = 21,
        /// Expect an empty value of a flow mapping.
        #[c_name = "YAML_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE"]
        FlowMappingEmptyValueState = 22,
        /// Expect nothing.
        #[c_name = "YAML_PARSE_END_STATE"]
        EndState = 23,
    }
    /// The emitter states.
    #[c_name = "yaml_emitter_state_t"]
    pub enum EmitterStateT {
        /// Expect STREAM-START.
        #[c_name = "YAML_EMIT_STREAM_START_STATE"]
        StreamStartState = 0,
        /// Expect the first DOCUMENT-START or STREAM-END.
        #[c_name = "YAML_EMIT_FIRST_DOCUMENT_START_STATE"]
        FirstDocumentStartState = 1,
        /// Expect DOCUMENT-START or STREAM-END.
        #[c_name = "YAML_EMIT_DOCUMENT_START_STATE"]
        DocumentStartState = 2,
        /// Expect the content of a document.
        #[c_name = "YAML_EMIT_DOCUMENT_CONTENT_STATE"]
        DocumentContentState = 3,
        /// Expect DOCUMENT-END.
        #[c_name = "YAML_EMIT_DOCUMENT_END_STATE"]
        DocumentEndState = 4,
        /// Expect the first item of a flow sequence.
        #[c_name = "YAML_EMIT_FLOW_SEQUENCE_FIRST_ITEM_STATE"]
        FlowSequenceFirstItemState = 5,
        /// Expect an item of a flow sequence.
        #[c_name = "YAML_EMIT_FLOW_SEQUENCE_ITEM_STATE"]
        FlowSequenceItemState = 6,
        /// Expect the first key of a flow mapping.
        #[c_name = "YAML_EMIT_FLOW_MAPPING_FIRST_KEY_STATE"]
        FlowMappingFirstKeyState = 7,
        /// Expect a key of a flow mapping.
        #[c_name = "YAML_EMIT_FLOW_MAPPING_KEY_STATE"]
        FlowMappingKeyState = 8,
        /// Expect a value for a simple key of a flow mapping.
        #[c_name = "YAML_EMIT_FLOW_MAPPING_SIMPLE_VALUE_STATE"]
        FlowMappingSimpleValueState = 9,
        /// Expect a value of a flow mapping.
        #[c_name = "YAML_EMIT_FLOW_MAPPING_VALUE_STATE"]
        FlowMappingValueState = 10,
        /// Expect the first item of a block sequence.
        #[c_name = "YAML_EMIT_BLOCK_SEQUENCE_FIRST_ITEM_STATE"]
        BlockSequenceFirstItemState = 11,
        /// Expect an item of a block sequence.
        #[c_name = "YAML_EMIT_BLOCK_SEQUENCE_ITEM_STATE"]
        BlockSequenceItemState = 12,
        /// Expect the first key of a block mapping.
        #[c_name = "YAML_EMIT_BLOCK_MAPPING_FIRST_KEY_STATE"]
        BlockMappingFirstKeyState = 13,
        /// Expect the key of a block mapping.
        #[c_name = "YAML_EMIT_BLOCK_MAPPING_KEY_STATE"]
        BlockMappingKeyState = 14,
        /// Expect a value for a simple key of a block mapping.
        #[c_name = "YAML_EMIT_BLOCK_MAPPING_SIMPLE_VALUE_STATE"]
        BlockMappingSimpleValueState = 15,
        /// Expect a value of a block mapping.
        #[c_name = "YAML_EMIT_BLOCK_MAPPING_VALUE_STATE"]
        BlockMappingValueState = 16,
        /// Expect nothing.
        #[c_name = "YAML_EMIT_END_STATE"]
        EndState = 17,
    }
    /// State the caller allocates (size and alignment from the header); `yaml_document_initialize` initialises it.
    #[opaque(c_type = "yaml_document_t", size = 104, align = 8, free = document_delete)]
    pub struct Document;
    /// State the caller allocates (size and alignment from the header); `yaml_emitter_initialize` initialises it.
    #[opaque(c_type = "yaml_emitter_t", size = 432, align = 8, free = emitter_delete)]
    pub struct Emitter;
    /// State the caller allocates (size and alignment from the header); `yaml_parser_initialize` initialises it.
    #[opaque(c_type = "yaml_parser_t", size = 480, align = 8, free = parser_delete)]
    pub struct Parser;
    /// The functions of `yaml.h`.
    pub trait Yaml {
        /** Get the library version as a string.

 @returns The function returns the pointer to a static string of the form
 @c "X.Y.Z", where @c X is the major version number, @c Y is a minor version
 number, and @c Z is the patch version number.*/
        fn get_version_string() -> Borrowed<CStr>;
        /** Get the library version numbers.

 @param[out]      major   Major version number.
 @param[out]      minor   Minor version number.
 @param[out]      patch   Patch version number.*/
        fn get_version(
            major: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            minor: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            patch: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        );
        /** Free any memory allocated for a token object.

 @param[in,out]   token   A token object.*/
        fn token_delete(
            token: Unresolved<
                "yaml_token_t *",
                guess = "Out<S> as the `free = token_delete` of #[copy_out(c_type = \"yaml_token_t\", size = 80, align = 8, free = token_delete)] struct S: the linkage calls it after each copy, and it is no method",
            >,
        );
        /** Create the STREAM-START event.

 @param[out]      event       An empty event object.
 @param[in]       encoding    The stream encoding.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn stream_start_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            encoding: EncodingT,
        ) -> c_int;
        /** Create the STREAM-END event.

 @param[out]      event       An empty event object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn stream_end_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Create the DOCUMENT-START event.

 The @a implicit argument is considered as a stylistic parameter and may be
 ignored by the emitter.

 @param[out]      event                   An empty event object.
 @param[in]       version_directive       The %YAML directive value or
                                          @c NULL.
 @param[in]       tag_directives_start    The beginning of the %TAG
                                          directives list.
 @param[in]       tag_directives_end      The end of the %TAG directives
                                          list.
 @param[in]       implicit                If the document start indicator is
                                          implicit.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn document_start_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            version_directive: Unresolved<"yaml_version_directive_t *">,
            tag_directives_start: Unresolved<"yaml_tag_directive_t *">,
            tag_directives_end: Unresolved<"yaml_tag_directive_t *">,
            implicit: c_int,
        ) -> c_int;
        /** Create the DOCUMENT-END event.

 The @a implicit argument is considered as a stylistic parameter and may be
 ignored by the emitter.

 @param[out]      event       An empty event object.
 @param[in]       implicit    If the document end indicator is implicit.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn document_end_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            implicit: c_int,
        ) -> c_int;
        /** Create an ALIAS event.

 @param[out]      event       An empty event object.
 @param[in]       anchor      The anchor value.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn alias_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            anchor: Unresolved<"const yaml_char_t *">,
        ) -> c_int;
        /** Create a SCALAR event.

 The @a style argument may be ignored by the emitter.

 Either the @a tag attribute or one of the @a plain_implicit and
 @a quoted_implicit flags must be set.

 @param[out]      event           An empty event object.
 @param[in]       anchor          The scalar anchor or @c NULL.
 @param[in]       tag             The scalar tag or @c NULL.
 @param[in]       value           The scalar value.
 @param[in]       length          The length of the scalar value.
 @param[in]       plain_implicit  If the tag may be omitted for the plain
                                  style.
 @param[in]       quoted_implicit If the tag may be omitted for any
                                  non-plain style.
 @param[in]       style           The scalar style.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn scalar_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            anchor: Unresolved<"const yaml_char_t *">,
            tag: Unresolved<"const yaml_char_t *">,
            value: Unresolved<
                "const yaml_char_t *",
                guess = "In<[c_uchar], len = ..>: length × plain_implicit of them, a product no one parameter holds",
            >,
            length: c_int,
            plain_implicit: c_int,
            quoted_implicit: c_int,
            style: ScalarStyleT,
        ) -> c_int;
        /** Create a SEQUENCE-START event.

 The @a style argument may be ignored by the emitter.

 Either the @a tag attribute or the @a implicit flag must be set.

 @param[out]      event       An empty event object.
 @param[in]       anchor      The sequence anchor or @c NULL.
 @param[in]       tag         The sequence tag or @c NULL.
 @param[in]       implicit    If the tag may be omitted.
 @param[in]       style       The sequence style.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn sequence_start_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            anchor: Unresolved<"const yaml_char_t *">,
            tag: Unresolved<"const yaml_char_t *">,
            implicit: c_int,
            style: SequenceStyleT,
        ) -> c_int;
        /** Create a SEQUENCE-END event.

 @param[out]      event       An empty event object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn sequence_end_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Create a MAPPING-START event.

 The @a style argument may be ignored by the emitter.

 Either the @a tag attribute or the @a implicit flag must be set.

 @param[out]      event       An empty event object.
 @param[in]       anchor      The mapping anchor or @c NULL.
 @param[in]       tag         The mapping tag or @c NULL.
 @param[in]       implicit    If the tag may be omitted.
 @param[in]       style       The mapping style.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn mapping_start_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            anchor: Unresolved<"const yaml_char_t *">,
            tag: Unresolved<"const yaml_char_t *">,
            implicit: c_int,
            style: MappingStyleT,
        ) -> c_int;
        /** Create a MAPPING-END event.

 @param[out]      event       An empty event object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn mapping_end_event_initialize(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Free any memory allocated for an event object.

 @param[in,out]   event   An event object.*/
        fn event_delete(
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> as the `free = event_delete` of #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S: the linkage calls it after each copy, and it is no method",
            >,
        );
        /** Create a YAML document.

 @param[out]      document                An empty document object.
 @param[in]       version_directive       The %YAML directive value or
                                          @c NULL.
 @param[in]       tag_directives_start    The beginning of the %TAG
                                          directives list.
 @param[in]       tag_directives_end      The end of the %TAG directives
                                          list.
 @param[in]       start_implicit          If the document start indicator is
                                          implicit.
 @param[in]       end_implicit            If the document end indicator is
                                          implicit.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn document_initialize(
            document: Unresolved<
                "yaml_document_t *",
                guess = "Init<Document, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
            version_directive: Unresolved<"yaml_version_directive_t *">,
            tag_directives_start: Unresolved<"yaml_tag_directive_t *">,
            tag_directives_end: Unresolved<"yaml_tag_directive_t *">,
            start_implicit: c_int,
            end_implicit: c_int,
        ) -> c_int;
        /** Delete a YAML document and all its nodes.

 @param[in,out]   document        A document object.*/
        fn document_delete(document: Owned<Document>);
        /** Get a node of a YAML document.

 The pointer returned by this function is valid until any of the functions
 modifying the documents are called.

 @param[in]       document        A document object.
 @param[in]       index           The node id.

 @returns the node objct or @c NULL if @c node_id is out of range.*/
        fn document_get_node(
            document: &Document,
            index: c_int,
        ) -> Unresolved<"yaml_node_t *">;
        /** Get the root of a YAML document node.

 The root object is the first object added to the document.

 The pointer returned by this function is valid until any of the functions
 modifying the documents are called.

 An empty document produced by the parser signifies the end of a YAML
 stream.

 @param[in]       document        A document object.

 @returns the node object or @c NULL if the document is empty.*/
        fn document_get_root_node(document: &Document) -> Unresolved<"yaml_node_t *">;
        /** Create a SCALAR node and attach it to the document.

 The @a style argument may be ignored by the emitter.

 @param[in,out]   document        A document object.
 @param[in]       tag             The scalar tag.
 @param[in]       value           The scalar value.
 @param[in]       length          The length of the scalar value.
 @param[in]       style           The scalar style.

 @returns the node id or @c 0 on error.*/
        fn document_add_scalar(
            document: &Document,
            tag: Unresolved<"const yaml_char_t *">,
            #[c_type = "const yaml_char_t *"]
            value: In<[c_uchar], len = length, kept = document>,
            length: c_int,
            style: ScalarStyleT,
        ) -> c_int;
        /** Create a SEQUENCE node and attach it to the document.

 The @a style argument may be ignored by the emitter.

 @param[in,out]   document    A document object.
 @param[in]       tag         The sequence tag.
 @param[in]       style       The sequence style.

 @returns the node id or @c 0 on error.*/
        fn document_add_sequence(
            document: &Document,
            tag: Unresolved<"const yaml_char_t *">,
            style: SequenceStyleT,
        ) -> c_int;
        /** Create a MAPPING node and attach it to the document.

 The @a style argument may be ignored by the emitter.

 @param[in,out]   document    A document object.
 @param[in]       tag         The sequence tag.
 @param[in]       style       The sequence style.

 @returns the node id or @c 0 on error.*/
        fn document_add_mapping(
            document: &Document,
            tag: Unresolved<"const yaml_char_t *">,
            style: MappingStyleT,
        ) -> c_int;
        /** Add an item to a SEQUENCE node.

 @param[in,out]   document    A document object.
 @param[in]       sequence    The sequence node id.
 @param[in]       item        The item node id.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn document_append_sequence_item(
            document: &Document,
            sequence: c_int,
            item: c_int,
        ) -> c_int;
        /** Add a pair of a key and a value to a MAPPING node.

 @param[in,out]   document    A document object.
 @param[in]       mapping     The mapping node id.
 @param[in]       key         The key node id.
 @param[in]       value       The value node id.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn document_append_mapping_pair(
            document: &Document,
            mapping: c_int,
            key: c_int,
            value: c_int,
        ) -> c_int;
        /** Initialize a parser.

 This function creates a new parser object.  An application is responsible
 for destroying the object using the yaml_parser_delete() function.

 @param[out]      parser  An empty parser object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn parser_initialize(
            parser: Unresolved<
                "yaml_parser_t *",
                guess = "Init<Parser, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
        ) -> c_int;
        /** Destroy a parser.

 @param[in,out]   parser  A parser object.*/
        fn parser_delete(parser: Owned<Parser>);
        /** Set a string input.

 Note that the @a input pointer must be valid while the @a parser object
 exists.  The application is responsible for destroing @a input after
 destroying the @a parser.

 @param[in,out]   parser  A parser object.
 @param[in]       input   A source data.
 @param[in]       size    The length of the source data in bytes.*/
        fn parser_set_input_string(
            parser: &Parser,
            input: In<[c_uchar], len = size, kept = parser>,
            size: size_t,
        );
        /** Set a file input.

 @a file should be a file object open for reading.  The application is
 responsible for closing the @a file.

 @param[in,out]   parser  A parser object.
 @param[in]       file    An open file.*/
        fn parser_set_input_file(parser: &Parser, file: Unresolved<"FILE *">);
        /** Set a generic input handler.

 @param[in,out]   parser  A parser object.
 @param[in]       handler A read handler.
 @param[in]       data    Any application data for passing to the read
                          handler.*/
        fn parser_set_input(
            parser: &Parser,
            handler: Unresolved<"yaml_read_handler_t">,
            data: Unresolved<"void *">,
        );
        /** Set the source encoding.

 @param[in,out]   parser      A parser object.
 @param[in]       encoding    The source encoding.*/
        fn parser_set_encoding(parser: &Parser, encoding: EncodingT);
        /** Scan the input stream and produce the next token.

 Call the function subsequently to produce a sequence of tokens corresponding
 to the input stream.  The initial token has the type
 @c YAML_STREAM_START_TOKEN while the ending token has the type
 @c YAML_STREAM_END_TOKEN.

 An application is responsible for freeing any buffers associated with the
 produced token object using the @c yaml_token_delete function.

 An application must not alternate the calls of yaml_parser_scan() with the
 calls of yaml_parser_parse() or yaml_parser_load(). Doing this will break
 the parser.

 @param[in,out]   parser      A parser object.
 @param[out]      token       An empty token object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn parser_scan(
            parser: &Parser,
            token: Unresolved<
                "yaml_token_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_token_t\", size = 80, align = 8, free = token_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_token_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Parse the input stream and produce the next parsing event.

 Call the function subsequently to produce a sequence of events corresponding
 to the input stream.  The initial event has the type
 @c YAML_STREAM_START_EVENT while the ending event has the type
 @c YAML_STREAM_END_EVENT.

 An application is responsible for freeing any buffers associated with the
 produced event object using the yaml_event_delete() function.

 An application must not alternate the calls of yaml_parser_parse() with the
 calls of yaml_parser_scan() or yaml_parser_load(). Doing this will break the
 parser.

 @param[in,out]   parser      A parser object.
 @param[out]      event       An empty event object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn parser_parse(
            parser: &Parser,
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Parse the input stream and produce the next YAML document.

 Call this function subsequently to produce a sequence of documents
 constituting the input stream.

 If the produced document has no root node, it means that the document
 end has been reached.

 An application is responsible for freeing any data associated with the
 produced document object using the yaml_document_delete() function.

 An application must not alternate the calls of yaml_parser_load() with the
 calls of yaml_parser_scan() or yaml_parser_parse(). Doing this will break
 the parser.

 @param[in,out]   parser      A parser object.
 @param[out]      document    An empty document object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn parser_load(
            parser: &Parser,
            document: Unresolved<
                "yaml_document_t *",
                guess = "&Document if C neither frees it nor initialises it anew; Init<Document, V> if it initialises it",
            >,
        ) -> c_int;
        /** Initialize an emitter.

 This function creates a new emitter object.  An application is responsible
 for destroying the object using the yaml_emitter_delete() function.

 @param[out]      emitter     An empty parser object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_initialize(
            emitter: Unresolved<
                "yaml_emitter_t *",
                guess = "Init<Emitter, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
        ) -> c_int;
        /** Destroy an emitter.

 @param[in,out]   emitter     An emitter object.*/
        fn emitter_delete(emitter: Owned<Emitter>);
        /** Set a string output.

 The emitter will write the output characters to the @a output buffer of the
 size @a size.  The emitter will set @a size_written to the number of written
 bytes.  If the buffer is smaller than required, the emitter produces the
 YAML_WRITE_ERROR error.

 @param[in,out]   emitter         An emitter object.
 @param[in]       output          An output buffer.
 @param[in]       size            The buffer size.
 @param[in]       size_written    The pointer to save the number of written
                                  bytes.*/
        fn emitter_set_output_string(
            emitter: &Emitter,
            output: Unresolved<
                "unsigned char *",
                guess = "Out<[c_uchar], cap = size> if C is done with it when the call returns (it may keep the pointer)",
            >,
            size: size_t,
            size_written: Unresolved<
                "size_t *",
                guess = "Out<size_t> if C writes one; InOut<size_t> if it reads it too",
            >,
        );
        /** Set a file output.

 @a file should be a file object open for writing.  The application is
 responsible for closing the @a file.

 @param[in,out]   emitter     An emitter object.
 @param[in]       file        An open file.*/
        fn emitter_set_output_file(emitter: &Emitter, file: Unresolved<"FILE *">);
        /** Set a generic output handler.

 @param[in,out]   emitter     An emitter object.
 @param[in]       handler     A write handler.
 @param[in]       data        Any application data for passing to the write
                              handler.*/
        fn emitter_set_output(
            emitter: &Emitter,
            handler: Unresolved<"yaml_write_handler_t">,
            data: Unresolved<"void *">,
        );
        /** Set the output encoding.

 @param[in,out]   emitter     An emitter object.
 @param[in]       encoding    The output encoding.*/
        fn emitter_set_encoding(emitter: &Emitter, encoding: EncodingT);
        /** Set if the output should be in the "canonical" format as in the YAML
 specification.

 @param[in,out]   emitter     An emitter object.
 @param[in]       canonical   If the output is canonical.*/
        fn emitter_set_canonical(emitter: &Emitter, canonical: c_int);
        /** Set the indentation increment.

 @param[in,out]   emitter     An emitter object.
 @param[in]       indent      The indentation increment (1 < . < 10).*/
        fn emitter_set_indent(emitter: &Emitter, indent: c_int);
        /** Set the preferred line width. @c -1 means unlimited.

 @param[in,out]   emitter     An emitter object.
 @param[in]       width       The preferred line width.*/
        fn emitter_set_width(emitter: &Emitter, width: c_int);
        /** Set if unescaped non-ASCII characters are allowed.

 @param[in,out]   emitter     An emitter object.
 @param[in]       unicode     If unescaped Unicode characters are allowed.*/
        fn emitter_set_unicode(emitter: &Emitter, unicode: c_int);
        /** Set the preferred line break.

 @param[in,out]   emitter     An emitter object.
 @param[in]       line_break  The preferred line break.*/
        fn emitter_set_break(emitter: &Emitter, line_break: BreakT);
        /** Emit an event.

 The event object may be generated using the yaml_parser_parse() function.
 The emitter takes the responsibility for the event object and destroys its
 content after it is emitted. The event object is destroyed even if the
 function fails.

 @param[in,out]   emitter     An emitter object.
 @param[in,out]   event       An event object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_emit(
            emitter: &Emitter,
            event: Unresolved<
                "yaml_event_t *",
                guess = "Out<S> with #[copy_out(c_type = \"yaml_event_t\", size = 104, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `yaml_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        /** Start a YAML stream.

 This function should be used before yaml_emitter_dump() is called.

 @param[in,out]   emitter     An emitter object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_open(emitter: &Emitter) -> c_int;
        /** Finish a YAML stream.

 This function should be used after yaml_emitter_dump() is called.

 @param[in,out]   emitter     An emitter object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_close(
            emitter: Unresolved<
                "yaml_emitter_t *",
                guess = "Owned<Emitter> if this frees it; &Emitter if not",
            >,
        ) -> c_int;
        /** Emit a YAML document.

 The documen object may be generated using the yaml_parser_load() function
 or the yaml_document_initialize() function.  The emitter takes the
 responsibility for the document object and destroys its content after
 it is emitted. The document object is destroyed even if the function fails.

 @param[in,out]   emitter     An emitter object.
 @param[in,out]   document    A document object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_dump(
            emitter: &Emitter,
            document: Unresolved<
                "yaml_document_t *",
                guess = "&Document if C neither frees it nor initialises it anew; Init<Document, V> if it initialises it",
            >,
        ) -> c_int;
        /** Flush the accumulated characters to the output.

 @param[in,out]   emitter     An emitter object.

 @returns @c 1 if the function succeeded, @c 0 on error.*/
        fn emitter_flush(emitter: &Emitter) -> c_int;
    }
}

// Not imported (12):
// - struct `FILE`: field `_IO_read_ptr` is a pointer (`char *`): a described struct holds values only
// - struct `yaml_tag_directive_t`: field `handle` is a pointer (`yaml_char_t *`): a described struct holds values only
// - struct `yaml_token_t`: field `data` is `union yaml_token_s__bindgen_ty_1`, which cannot be described
// - struct `yaml_event_t`: field `data` is `union yaml_event_s__bindgen_ty_1`, which cannot be described
// - struct `yaml_node_t`: field `tag` is a pointer (`yaml_char_t *`): a described struct holds values only
// - struct `yaml_document_t`: field `version_directive` is a pointer (`yaml_version_directive_t *`): a described struct holds values only
// - struct `yaml_alias_data_t`: field `anchor` is a pointer (`yaml_char_t *`): a described struct holds values only
// - struct `yaml_parser_t`: field `problem` is a pointer (`const char *`): a described struct holds values only
// - struct `yaml_emitter_t`: field `problem` is a pointer (`const char *`): a described struct holds values only
// - callback type `yaml_read_handler_t`: parameter `buffer` is `unsigned char *`, which a callback cannot describe
// - callback type `yaml_write_handler_t`: parameter `buffer` is `unsigned char *`, which a callback cannot describe
// - function-like macro `YAML_DECLARE(type)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with

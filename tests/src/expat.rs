//! expat (Debian's `libexpat1-dev`), drafted from its header and resolved
//! by hand, described directly: no C of this crate stands between the
//! description and `libexpat`.
//
// Drafted by ffi-stubgen from `expat.h`:
//     ffi-stubgen import --header /usr/include/expat.h --library expat -o ffi-stubgen/tests/drafts/expat.rs
// (committed there; `committed_drafts_are_unchanged` re-imports it). The
// draft holds 66 functions, 23 of them whole, with 54 pointers marked
// Unresolved and 9 items it could not import; earlier drafts, which these
// notes were first written against, marked more. This
// description resolves the 12 functions a streaming parse with element and
// text handlers needs, and `XML_ExternalEntityParserCreate`, whose parser
// copies its parent's handlers and user data in C; the others are simply
// not described here yet.
//
// How the draft was resolved:
// - module `expat`/trait `Expat` kept; soname `libexpat.so.1` added for the
//   Loaded linkage; the draft's `prefix = "XML_"` dropped, since every
//   function names its C symbol with `#[c_name]` anyway.
// - every `XML_Parser` is the `Parser` handle the draft declared (`c_pointer
//   = "XML_Parser"`): `&Parser` while it lives, `Owned<Parser>` in
//   `XML_ParserFree`, and `XML_ParserCreate` returns a new `Owned<Parser>`.
// - `XML_ExternalEntityParserCreate` returns `Owned<Parser, parent =
//   parser>`, not the draft's guess `Owned<Parser>`: the child keeps a
//   pointer to its parent (its root parser, whose accounting and hash salt
//   every parse of the child uses), so the method returns a
//   `Child<'parser, Parser>` that cannot outlive the borrow of the parent.
//   Its `context` stays the draft's `CStr`, never `Option`: a NULL
//   context makes a parser of an external parameter entity, which shares
//   its parent's DTD; with a context the child copies it.
// - `XML_ParserReset` takes `&mut Parser`: it makes the root's hash salt
//   anew (and would reset a shared DTD), under any child's tables, so it
//   needs the parser alone, which no child's borrow lets a caller have.
// - `XML_ParserCreate`'s and `XML_ParserReset`'s `encoding` may be NULL (the
//   document says its encoding): `Option<CStr>`, not the draft's `CStr`.
// - `XML_SetUserData`'s `void *userData` is the user data every handler of
//   the parser gets: the parser's `context = set_user_data` (the draft keeps
//   them `kept_by_call` instead, as no signature proves which function sets
//   it), so the linkage registers the parser's own callback table through
//   it, and it is no method.
// - each handler argument of `XML_SetElementHandler` and
//   `XML_SetCharacterDataHandler` (the draft: `Callback<F, stored =
//   <function>_<param>, on = parser>`, or `Unresolved<"XML_..Handler">` for
//   a type it did not import) is `Option<Callback<F, stored = slot, on =
//   parser>>`: expat keeps one handler per kind, NULL unsets it, and the
//   start and end handlers share the parser's user data. The closures are
//   dropped with the parser.
// - `XML_StartElementHandler` was not imported (its `const XML_Char **atts`
//   was no callback parameter the vocabulary had): `atts` is the
//   NULL-terminated array of name/value pairs, `In<[CStr], nul_terminated>`.
// - `XML_CharacterDataHandler`'s `s` is no NUL-terminated string, as the
//   draft guessed from `const XML_Char *`, but `len` bytes of UTF-8 text:
//   `In<[u8], len = len>`, spelled `const XML_Char *`.
// - `XML_Parse`'s `s` with `len` is likewise `In<[u8], len = len>` (the
//   draft's `CStr` would have let a caller's `len` read past the string).
// - `XML_Bool` is `unsigned char`, `c_uchar` as in the draft; `XML_Status`
//   and `XML_Error` are the draft's enums (`Status`, `CError`), and the
//   version constants are the draft's, checked against the header.
// - `XML_ErrorString` returns NULL for a code it does not know:
//   `Option<Borrowed<CStr>>`.
//
// Left out for now: the other handler setters (their callback types import
// as they are, but nothing here uses them), `XML_ParserCreateNS` and
// `_MM` (a memory suite of function pointers in a struct),
// `XML_GetBuffer`/`XML_ParseBuffer` (a buffer expat owns and the caller
// fills between calls), `XML_SetExternalEntityRefHandler` (its handler gets
// the parser rather than user data), `XML_GetFeatureList` (an array of
// structs with pointer fields), `XML_GetUserData` (a macro reading the
// parser's first field, which is the linkage's table) and
// `XML_UseParserAsHandlerArg`, whole in the draft, which would make expat
// pass every handler the parser instead of the table: with `context =
// set_user_data` it must never be described.

use ffi_desc::foreign;

#[foreign(library = "expat", header = "expat.h", soname = "libexpat.so.1")]
pub mod expat {
    /// `XML_MAJOR_VERSION` of the header the description was drafted from.
    pub const XML_MAJOR_VERSION: u32 = 2;
    /// `XML_MINOR_VERSION`.
    pub const XML_MINOR_VERSION: u32 = 5;
    /// `XML_MICRO_VERSION`.
    pub const XML_MICRO_VERSION: u32 = 0;

    /// `enum XML_Status`: what a parse call did.
    #[c_name = "enum XML_Status"]
    pub enum Status {
        /// `XML_STATUS_ERROR`: see `get_error_code`.
        #[c_name = "XML_STATUS_ERROR"]
        Error = 0,
        /// `XML_STATUS_OK`.
        #[c_name = "XML_STATUS_OK"]
        Ok = 1,
        /// `XML_STATUS_SUSPENDED`: stopped resumably.
        #[c_name = "XML_STATUS_SUSPENDED"]
        Suspended = 2,
    }

    /// `enum XML_Error`: why parsing stopped.
    #[c_name = "enum XML_Error"]
    #[allow(missing_docs)]
    pub enum CError {
        #[c_name = "XML_ERROR_NONE"]
        None = 0,
        #[c_name = "XML_ERROR_NO_MEMORY"]
        NoMemory = 1,
        #[c_name = "XML_ERROR_SYNTAX"]
        Syntax = 2,
        #[c_name = "XML_ERROR_NO_ELEMENTS"]
        NoElements = 3,
        #[c_name = "XML_ERROR_INVALID_TOKEN"]
        InvalidToken = 4,
        #[c_name = "XML_ERROR_UNCLOSED_TOKEN"]
        UnclosedToken = 5,
        #[c_name = "XML_ERROR_PARTIAL_CHAR"]
        PartialChar = 6,
        #[c_name = "XML_ERROR_TAG_MISMATCH"]
        TagMismatch = 7,
        #[c_name = "XML_ERROR_DUPLICATE_ATTRIBUTE"]
        DuplicateAttribute = 8,
        #[c_name = "XML_ERROR_JUNK_AFTER_DOC_ELEMENT"]
        JunkAfterDocElement = 9,
        #[c_name = "XML_ERROR_PARAM_ENTITY_REF"]
        ParamEntityRef = 10,
        #[c_name = "XML_ERROR_UNDEFINED_ENTITY"]
        UndefinedEntity = 11,
        #[c_name = "XML_ERROR_RECURSIVE_ENTITY_REF"]
        RecursiveEntityRef = 12,
        #[c_name = "XML_ERROR_ASYNC_ENTITY"]
        AsyncEntity = 13,
        #[c_name = "XML_ERROR_BAD_CHAR_REF"]
        BadCharRef = 14,
        #[c_name = "XML_ERROR_BINARY_ENTITY_REF"]
        BinaryEntityRef = 15,
        #[c_name = "XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF"]
        AttributeExternalEntityRef = 16,
        #[c_name = "XML_ERROR_MISPLACED_XML_PI"]
        MisplacedXmlPi = 17,
        #[c_name = "XML_ERROR_UNKNOWN_ENCODING"]
        UnknownEncoding = 18,
        #[c_name = "XML_ERROR_INCORRECT_ENCODING"]
        IncorrectEncoding = 19,
        #[c_name = "XML_ERROR_UNCLOSED_CDATA_SECTION"]
        UnclosedCdataSection = 20,
        #[c_name = "XML_ERROR_EXTERNAL_ENTITY_HANDLING"]
        ExternalEntityHandling = 21,
        #[c_name = "XML_ERROR_NOT_STANDALONE"]
        NotStandalone = 22,
        #[c_name = "XML_ERROR_UNEXPECTED_STATE"]
        UnexpectedState = 23,
        #[c_name = "XML_ERROR_ENTITY_DECLARED_IN_PE"]
        EntityDeclaredInPe = 24,
        #[c_name = "XML_ERROR_FEATURE_REQUIRES_XML_DTD"]
        FeatureRequiresXmlDtd = 25,
        #[c_name = "XML_ERROR_CANT_CHANGE_FEATURE_ONCE_PARSING"]
        CantChangeFeatureOnceParsing = 26,
        #[c_name = "XML_ERROR_UNBOUND_PREFIX"]
        UnboundPrefix = 27,
        #[c_name = "XML_ERROR_UNDECLARING_PREFIX"]
        UndeclaringPrefix = 28,
        #[c_name = "XML_ERROR_INCOMPLETE_PE"]
        IncompletePe = 29,
        #[c_name = "XML_ERROR_XML_DECL"]
        XmlDecl = 30,
        #[c_name = "XML_ERROR_TEXT_DECL"]
        TextDecl = 31,
        #[c_name = "XML_ERROR_PUBLICID"]
        Publicid = 32,
        #[c_name = "XML_ERROR_SUSPENDED"]
        Suspended = 33,
        #[c_name = "XML_ERROR_NOT_SUSPENDED"]
        NotSuspended = 34,
        #[c_name = "XML_ERROR_ABORTED"]
        Aborted = 35,
        #[c_name = "XML_ERROR_FINISHED"]
        Finished = 36,
        #[c_name = "XML_ERROR_SUSPEND_PE"]
        SuspendPe = 37,
        #[c_name = "XML_ERROR_RESERVED_PREFIX_XML"]
        ReservedPrefixXml = 38,
        #[c_name = "XML_ERROR_RESERVED_PREFIX_XMLNS"]
        ReservedPrefixXmlns = 39,
        #[c_name = "XML_ERROR_RESERVED_NAMESPACE_URI"]
        ReservedNamespaceUri = 40,
        #[c_name = "XML_ERROR_INVALID_ARGUMENT"]
        InvalidArgument = 41,
        #[c_name = "XML_ERROR_NO_BUFFER"]
        NoBuffer = 42,
        #[c_name = "XML_ERROR_AMPLIFICATION_LIMIT_BREACH"]
        AmplificationLimitBreach = 43,
    }

    /// A parser: the document's state, and the handlers and user data
    /// expat keeps for it.
    #[opaque(c_pointer = "XML_Parser", free = parser_free, context = set_user_data)]
    pub struct Parser;

    /// Called at each start tag with the element's name and its attributes
    /// as name/value pairs.
    #[callback(c_name = "XML_StartElementHandler")]
    pub type StartElementHandler =
        fn(user_data: UserData, name: CStr, atts: In<[CStr], nul_terminated>);

    /// Called at each end tag (and after the start of an empty element).
    #[callback(c_name = "XML_EndElementHandler")]
    pub type EndElementHandler = fn(user_data: UserData, name: CStr);

    /// Called with text, in pieces of expat's choosing.
    #[callback(c_name = "XML_CharacterDataHandler")]
    pub type CharacterDataHandler =
        fn(user_data: UserData, #[c_type = "const XML_Char *"] s: In<[u8], len = len>, len: c_int);

    /// The functions of `expat.h` this description covers.
    pub trait Expat {
        /// A new parser; `None` lets the document say its encoding.
        #[c_name = "XML_ParserCreate"]
        fn parser_create(#[c_type = "const XML_Char *"] encoding: Option<CStr>) -> Owned<Parser>;
        /// A parser for an external entity of `parser`'s document: expat
        /// copies its parent's handlers and user data (the parent's table)
        /// into it, and its own table has none. It keeps a pointer to its
        /// parent (and may share its DTD), so it goes before its parent.
        #[c_name = "XML_ExternalEntityParserCreate"]
        fn external_entity_parser_create(
            parser: &Parser,
            #[c_type = "const XML_Char *"] context: CStr,
            #[c_type = "const XML_Char *"] encoding: Option<CStr>,
        ) -> Owned<Parser, parent = parser>;
        /// Makes the parser new again, forgetting its handlers and user
        /// data. It needs the parser alone: a child made from it keeps
        /// pointers into the state this resets (the hash salt its tables
        /// were built with, among others).
        #[c_name = "XML_ParserReset"]
        fn parser_reset(
            parser: &mut Parser,
            #[c_type = "const XML_Char *"] encoding: Option<CStr>,
        ) -> c_uchar;
        /// The user data of every handler: the linkage's to call.
        #[c_name = "XML_SetUserData"]
        fn set_user_data(parser: &Parser, user_data: UserData);
        /// The start and end handlers, which share the parser's user data.
        #[c_name = "XML_SetElementHandler"]
        fn set_element_handler(
            parser: &Parser,
            start: Option<Callback<StartElementHandler, stored = start, on = parser>>,
            end: Option<Callback<EndElementHandler, stored = end, on = parser>>,
        );
        /// The text handler.
        #[c_name = "XML_SetCharacterDataHandler"]
        fn set_character_data_handler(
            parser: &Parser,
            handler: Option<Callback<CharacterDataHandler, stored = text, on = parser>>,
        );
        /// Parses the next piece of the document; `is_final` on the last.
        #[c_name = "XML_Parse"]
        fn parse(
            parser: &Parser,
            #[c_type = "const char *"] s: In<[u8], len = len>,
            len: c_int,
            is_final: c_int,
        ) -> Status;
        /// Stops parsing, from a handler; resumably if `resumable`.
        #[c_name = "XML_StopParser"]
        fn stop_parser(parser: &Parser, resumable: c_uchar) -> Status;
        /// Why the last parse failed.
        #[c_name = "XML_GetErrorCode"]
        fn get_error_code(parser: &Parser) -> CError;
        /// The line the parser is at.
        #[c_name = "XML_GetCurrentLineNumber"]
        fn get_current_line_number(parser: &Parser) -> c_ulong;
        /// Frees the parser (its `Drop` calls it too).
        #[c_name = "XML_ParserFree"]
        fn parser_free(parser: Owned<Parser>);
        /// The message of an error code; NULL for a code expat does not know.
        #[c_name = "XML_ErrorString"]
        fn error_string(code: CError) -> Option<Borrowed<CStr>>;
        /// `expat_x.y.z`.
        #[c_name = "XML_ExpatVersion"]
        fn expat_version() -> Borrowed<CStr>;
    }
}

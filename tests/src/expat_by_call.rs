//! A few functions of expat (`/usr/include/expat.h`) described as the
//! importer drafts its handlers: the parser keeps them by call
//! (`kept_by_call`), with no context function. `XML_UseParserAsHandlerArg`,
//! which makes expat hand every handler the parser instead of the user data,
//! is described too: the handlers ignore what expat hands them.

use ffi_desc::foreign;

/// expat, its handlers kept by call.
#[foreign(library = "expat", header = "expat.h", soname = "libexpat.so.1")]
pub mod expat_by_call {
    /// `enum XML_Status`.
    #[c_name = "enum XML_Status"]
    pub enum Status {
        /// `XML_STATUS_ERROR`.
        #[c_name = "XML_STATUS_ERROR"]
        Error = 0,
        /// `XML_STATUS_OK`.
        #[c_name = "XML_STATUS_OK"]
        Ok = 1,
        /// `XML_STATUS_SUSPENDED`.
        #[c_name = "XML_STATUS_SUSPENDED"]
        Suspended = 2,
    }

    /// A parser, whose handlers are found through the call running when
    /// expat calls them.
    #[opaque(c_pointer = "XML_Parser", free = parser_free, kept_by_call)]
    pub struct Parser;

    /// Called at each end tag.
    #[callback(c_name = "XML_EndElementHandler")]
    pub type EndElementHandler = fn(user_data: UserData, name: CStr);

    /// The functions of `expat.h` this description covers.
    pub trait ExpatByCall {
        /// A new parser.
        #[c_name = "XML_ParserCreate"]
        fn parser_create(#[c_type = "const XML_Char *"] encoding: Option<CStr>) -> Owned<Parser>;
        /// A parser for an external entity of `parser`'s document, which
        /// inherits its handlers in C (none in its own table) and keeps a
        /// pointer to its parent, before which it goes. Never a NULL
        /// `context`, whose parser would share its parent's DTD (see
        /// `expat.rs`).
        #[c_name = "XML_ExternalEntityParserCreate"]
        fn external_entity_parser_create(
            parser: &Parser,
            #[c_type = "const XML_Char *"] context: CStr,
            #[c_type = "const XML_Char *"] encoding: Option<CStr>,
        ) -> Owned<Parser, parent = parser>;
        /// The end handler, as the importer drafts it.
        #[c_name = "XML_SetEndElementHandler"]
        fn set_end_element_handler(
            parser: &Parser,
            handler: Callback<
                EndElementHandler,
                stored = set_end_element_handler_handler,
                on = parser,
            >,
        );
        /// Makes expat hand every handler the parser as its user data.
        #[c_name = "XML_UseParserAsHandlerArg"]
        fn use_parser_as_handler_arg(parser: &Parser);
        /// Parses the next piece of the document; `is_final` on the last.
        #[c_name = "XML_Parse"]
        fn parse(
            parser: &Parser,
            #[c_type = "const char *"] s: In<[u8], len = len>,
            len: c_int,
            is_final: c_int,
        ) -> Status;
        /// Frees the parser (its `Drop` calls it too).
        #[c_name = "XML_ParserFree"]
        fn parser_free(parser: Owned<Parser>);
    }
}

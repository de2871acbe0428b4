// Drafted by ffi-stubgen from `expat.h`:
//     ffi-stubgen import --header /usr/include/expat.h --library expat -o ffi-stubgen/tests/drafts/expat.rs
// 66 functions drafted, 45 whole. 28 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 9 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "expat", header = "expat.h", prefix = "XML_")]
pub mod expat {
    pub const Expat_INCLUDED: u32 = 1;
    pub const XML_MAJOR_VERSION: u32 = 2;
    pub const XML_MINOR_VERSION: u32 = 5;
    pub const XML_MICRO_VERSION: u32 = 0;
    #[c_name = "XML_ParsingStatus"]
    pub struct ParsingStatus {
        pub parsing: Parsing,
        pub finalBuffer: c_uchar,
    }
    #[c_name = "XML_Expat_Version"]
    pub struct ExpatVersion {
        pub major: c_int,
        pub minor: c_int,
        pub micro: c_int,
    }
    #[c_name = "enum XML_Status"]
    pub enum Status {
        #[c_name = "XML_STATUS_ERROR"]
        Error = 0,
        #[c_name = "XML_STATUS_OK"]
        Ok = 1,
        #[c_name = "XML_STATUS_SUSPENDED"]
        Suspended = 2,
    }
    #[c_name = "enum XML_Error"]
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
    #[c_name = "enum XML_Content_Type"]
    pub enum ContentType {
        #[c_name = "XML_CTYPE_EMPTY"]
        Empty = 1,
        #[c_name = "XML_CTYPE_ANY"]
        Any = 2,
        #[c_name = "XML_CTYPE_MIXED"]
        Mixed = 3,
        #[c_name = "XML_CTYPE_NAME"]
        Name = 4,
        #[c_name = "XML_CTYPE_CHOICE"]
        Choice = 5,
        #[c_name = "XML_CTYPE_SEQ"]
        Seq = 6,
    }
    #[c_name = "enum XML_Content_Quant"]
    pub enum ContentQuant {
        #[c_name = "XML_CQUANT_NONE"]
        None = 0,
        #[c_name = "XML_CQUANT_OPT"]
        Opt = 1,
        #[c_name = "XML_CQUANT_REP"]
        Rep = 2,
        #[c_name = "XML_CQUANT_PLUS"]
        Plus = 3,
    }
    #[c_name = "enum XML_Parsing"]
    pub enum Parsing {
        #[c_name = "XML_INITIALIZED"]
        Initialized = 0,
        #[c_name = "XML_PARSING"]
        Parsing = 1,
        #[c_name = "XML_FINISHED"]
        Finished = 2,
        #[c_name = "XML_SUSPENDED"]
        Suspended = 3,
    }
    #[c_name = "enum XML_ParamEntityParsing"]
    pub enum ParamEntityParsing {
        #[c_name = "XML_PARAM_ENTITY_PARSING_NEVER"]
        Never = 0,
        #[c_name = "XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE"]
        UnlessStandalone = 1,
        #[c_name = "XML_PARAM_ENTITY_PARSING_ALWAYS"]
        Always = 2,
    }
    #[c_name = "enum XML_FeatureEnum"]
    pub enum FeatureEnum {
        #[c_name = "XML_FEATURE_END"]
        End = 0,
        #[c_name = "XML_FEATURE_UNICODE"]
        Unicode = 1,
        #[c_name = "XML_FEATURE_UNICODE_WCHAR_T"]
        UnicodeWcharT = 2,
        #[c_name = "XML_FEATURE_DTD"]
        Dtd = 3,
        #[c_name = "XML_FEATURE_CONTEXT_BYTES"]
        ContextBytes = 4,
        #[c_name = "XML_FEATURE_MIN_SIZE"]
        MinSize = 5,
        #[c_name = "XML_FEATURE_SIZEOF_XML_CHAR"]
        SizeofXmlChar = 6,
        #[c_name = "XML_FEATURE_SIZEOF_XML_LCHAR"]
        SizeofXmlLchar = 7,
        #[c_name = "XML_FEATURE_NS"]
        Ns = 8,
        #[c_name = "XML_FEATURE_LARGE_SIZE"]
        LargeSize = 9,
        #[c_name = "XML_FEATURE_ATTR_INFO"]
        AttrInfo = 10,
        #[c_name = "XML_FEATURE_BILLION_LAUGHS_ATTACK_PROTECTION_MAXIMUM_AMPLIFICATION_DEFAULT"]
        BillionLaughsAttackProtectionMaximumAmplificationDefault = 11,
        #[c_name = "XML_FEATURE_BILLION_LAUGHS_ATTACK_PROTECTION_ACTIVATION_THRESHOLD_DEFAULT"]
        BillionLaughsAttackProtectionActivationThresholdDefault = 12,
    }
    #[callback(c_name = "XML_AttlistDeclHandler")]
    pub type AttlistDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        elname: CStr,
        #[c_type = "const XML_Char *"]
        attname: CStr,
        #[c_type = "const XML_Char *"]
        att_type: CStr,
        #[c_type = "const XML_Char *"]
        dflt: CStr,
        isrequired: c_int,
    );
    #[callback(c_name = "XML_XmlDeclHandler")]
    pub type XmlDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        version: CStr,
        #[c_type = "const XML_Char *"]
        encoding: CStr,
        standalone: c_int,
    );
    #[callback(c_name = "XML_EndElementHandler")]
    pub type EndElementHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        name: CStr,
    );
    #[callback(c_name = "XML_CharacterDataHandler")]
    pub type CharacterDataHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        s: In<[u8], len = len>,
        len: c_int,
    );
    #[callback(c_name = "XML_ProcessingInstructionHandler")]
    pub type ProcessingInstructionHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        target: CStr,
        #[c_type = "const XML_Char *"]
        data: CStr,
    );
    #[callback(c_name = "XML_CommentHandler")]
    pub type CommentHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        data: CStr,
    );
    #[callback(c_name = "XML_StartCdataSectionHandler")]
    pub type StartCdataSectionHandler = fn(userData: UserData);
    #[callback(c_name = "XML_EndCdataSectionHandler")]
    pub type EndCdataSectionHandler = fn(userData: UserData);
    #[callback(c_name = "XML_DefaultHandler")]
    pub type DefaultHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        s: In<[u8], len = len>,
        len: c_int,
    );
    #[callback(c_name = "XML_StartDoctypeDeclHandler")]
    pub type StartDoctypeDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        doctypeName: CStr,
        #[c_type = "const XML_Char *"]
        sysid: CStr,
        #[c_type = "const XML_Char *"]
        pubid: CStr,
        has_internal_subset: c_int,
    );
    #[callback(c_name = "XML_EndDoctypeDeclHandler")]
    pub type EndDoctypeDeclHandler = fn(userData: UserData);
    #[callback(c_name = "XML_EntityDeclHandler")]
    pub type EntityDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        entityName: CStr,
        is_parameter_entity: c_int,
        #[c_type = "const XML_Char *"]
        value: In<[u8], len = value_length>,
        value_length: c_int,
        #[c_type = "const XML_Char *"]
        base: CStr,
        #[c_type = "const XML_Char *"]
        systemId: CStr,
        #[c_type = "const XML_Char *"]
        publicId: CStr,
        #[c_type = "const XML_Char *"]
        notationName: CStr,
    );
    #[callback(c_name = "XML_UnparsedEntityDeclHandler")]
    pub type UnparsedEntityDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        entityName: CStr,
        #[c_type = "const XML_Char *"]
        base: CStr,
        #[c_type = "const XML_Char *"]
        systemId: CStr,
        #[c_type = "const XML_Char *"]
        publicId: CStr,
        #[c_type = "const XML_Char *"]
        notationName: CStr,
    );
    #[callback(c_name = "XML_NotationDeclHandler")]
    pub type NotationDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        notationName: CStr,
        #[c_type = "const XML_Char *"]
        base: CStr,
        #[c_type = "const XML_Char *"]
        systemId: CStr,
        #[c_type = "const XML_Char *"]
        publicId: CStr,
    );
    #[callback(c_name = "XML_StartNamespaceDeclHandler")]
    pub type StartNamespaceDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        prefix: CStr,
        #[c_type = "const XML_Char *"]
        uri: CStr,
    );
    #[callback(c_name = "XML_EndNamespaceDeclHandler")]
    pub type EndNamespaceDeclHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        prefix: CStr,
    );
    #[callback(c_name = "XML_NotStandaloneHandler")]
    pub type NotStandaloneHandler = fn(userData: UserData) -> c_int;
    #[callback(c_name = "XML_SkippedEntityHandler")]
    pub type SkippedEntityHandler = fn(
        userData: UserData,
        #[c_type = "const XML_Char *"]
        entityName: CStr,
        is_parameter_entity: c_int,
    );
    /// Keeps callbacks C calls with user data no signature says who sets: they find the handle through the call running when C calls them.
    #[opaque(c_pointer = "XML_Parser", free = parser_free, kept_by_call)]
    pub struct Parser;
    /// The functions of `expat.h`.
    pub trait Expat {
        #[c_name = "XML_SetElementDeclHandler"]
        fn set_element_decl_handler(
            parser: &Parser,
            eldecl: Unresolved<"XML_ElementDeclHandler">,
        );
        #[c_name = "XML_SetAttlistDeclHandler"]
        fn set_attlist_decl_handler(
            parser: &Parser,
            attdecl: Callback<
                AttlistDeclHandler,
                stored = set_attlist_decl_handler_attdecl,
                on = parser,
            >,
        );
        #[c_name = "XML_SetXmlDeclHandler"]
        fn set_xml_decl_handler(
            parser: &Parser,
            xmldecl: Callback<
                XmlDeclHandler,
                stored = set_xml_decl_handler_xmldecl,
                on = parser,
            >,
        );
        #[c_name = "XML_ParserCreate"]
        fn parser_create(#[c_type = "const XML_Char *"] encoding: CStr) -> Owned<Parser>;
        #[c_name = "XML_ParserCreateNS"]
        fn parser_create_ns(
            #[c_type = "const XML_Char *"]
            encoding: CStr,
            namespaceSeparator: c_char,
        ) -> Unresolved<"XML_Parser", guess = "Owned<Parser> if the caller frees it">;
        #[c_name = "XML_ParserCreate_MM"]
        fn parser_create_mm(
            #[c_type = "const XML_Char *"]
            encoding: CStr,
            memsuite: Unresolved<"const XML_Memory_Handling_Suite *">,
            #[c_type = "const XML_Char *"]
            namespaceSeparator: CStr,
        ) -> Unresolved<"XML_Parser", guess = "Owned<Parser> if the caller frees it">;
        #[c_name = "XML_ParserReset"]
        fn parser_reset(
            parser: &Parser,
            #[c_type = "const XML_Char *"]
            encoding: CStr,
        ) -> c_uchar;
        #[c_name = "XML_SetEntityDeclHandler"]
        fn set_entity_decl_handler(
            parser: &Parser,
            handler: Callback<
                EntityDeclHandler,
                stored = set_entity_decl_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetElementHandler"]
        fn set_element_handler(
            parser: &Parser,
            start: Unresolved<"XML_StartElementHandler">,
            end: Callback<
                EndElementHandler,
                stored = set_element_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetStartElementHandler"]
        fn set_start_element_handler(
            parser: &Parser,
            handler: Unresolved<"XML_StartElementHandler">,
        );
        #[c_name = "XML_SetEndElementHandler"]
        fn set_end_element_handler(
            parser: &Parser,
            handler: Callback<
                EndElementHandler,
                stored = set_end_element_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetCharacterDataHandler"]
        fn set_character_data_handler(
            parser: &Parser,
            handler: Callback<
                CharacterDataHandler,
                stored = set_character_data_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetProcessingInstructionHandler"]
        fn set_processing_instruction_handler(
            parser: &Parser,
            handler: Callback<
                ProcessingInstructionHandler,
                stored = set_processing_instruction_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetCommentHandler"]
        fn set_comment_handler(
            parser: &Parser,
            handler: Callback<
                CommentHandler,
                stored = set_comment_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetCdataSectionHandler"]
        fn set_cdata_section_handler(
            parser: &Parser,
            start: Callback<
                StartCdataSectionHandler,
                stored = set_cdata_section_handler_start,
                on = parser,
            >,
            end: Callback<
                EndCdataSectionHandler,
                stored = set_cdata_section_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetStartCdataSectionHandler"]
        fn set_start_cdata_section_handler(
            parser: &Parser,
            start: Callback<
                StartCdataSectionHandler,
                stored = set_start_cdata_section_handler_start,
                on = parser,
            >,
        );
        #[c_name = "XML_SetEndCdataSectionHandler"]
        fn set_end_cdata_section_handler(
            parser: &Parser,
            end: Callback<
                EndCdataSectionHandler,
                stored = set_end_cdata_section_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetDefaultHandler"]
        fn set_default_handler(
            parser: &Parser,
            handler: Callback<
                DefaultHandler,
                stored = set_default_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetDefaultHandlerExpand"]
        fn set_default_handler_expand(
            parser: &Parser,
            handler: Callback<
                DefaultHandler,
                stored = set_default_handler_expand_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetDoctypeDeclHandler"]
        fn set_doctype_decl_handler(
            parser: &Parser,
            start: Callback<
                StartDoctypeDeclHandler,
                stored = set_doctype_decl_handler_start,
                on = parser,
            >,
            end: Callback<
                EndDoctypeDeclHandler,
                stored = set_doctype_decl_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetStartDoctypeDeclHandler"]
        fn set_start_doctype_decl_handler(
            parser: &Parser,
            start: Callback<
                StartDoctypeDeclHandler,
                stored = set_start_doctype_decl_handler_start,
                on = parser,
            >,
        );
        #[c_name = "XML_SetEndDoctypeDeclHandler"]
        fn set_end_doctype_decl_handler(
            parser: &Parser,
            end: Callback<
                EndDoctypeDeclHandler,
                stored = set_end_doctype_decl_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetUnparsedEntityDeclHandler"]
        fn set_unparsed_entity_decl_handler(
            parser: &Parser,
            handler: Callback<
                UnparsedEntityDeclHandler,
                stored = set_unparsed_entity_decl_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetNotationDeclHandler"]
        fn set_notation_decl_handler(
            parser: &Parser,
            handler: Callback<
                NotationDeclHandler,
                stored = set_notation_decl_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetNamespaceDeclHandler"]
        fn set_namespace_decl_handler(
            parser: &Parser,
            start: Callback<
                StartNamespaceDeclHandler,
                stored = set_namespace_decl_handler_start,
                on = parser,
            >,
            end: Callback<
                EndNamespaceDeclHandler,
                stored = set_namespace_decl_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetStartNamespaceDeclHandler"]
        fn set_start_namespace_decl_handler(
            parser: &Parser,
            start: Callback<
                StartNamespaceDeclHandler,
                stored = set_start_namespace_decl_handler_start,
                on = parser,
            >,
        );
        #[c_name = "XML_SetEndNamespaceDeclHandler"]
        fn set_end_namespace_decl_handler(
            parser: &Parser,
            end: Callback<
                EndNamespaceDeclHandler,
                stored = set_end_namespace_decl_handler_end,
                on = parser,
            >,
        );
        #[c_name = "XML_SetNotStandaloneHandler"]
        fn set_not_standalone_handler(
            parser: &Parser,
            handler: Callback<
                NotStandaloneHandler,
                stored = set_not_standalone_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetExternalEntityRefHandler"]
        fn set_external_entity_ref_handler(
            parser: &Parser,
            handler: Unresolved<"XML_ExternalEntityRefHandler">,
        );
        #[c_name = "XML_SetExternalEntityRefHandlerArg"]
        fn set_external_entity_ref_handler_arg(
            parser: &Parser,
            arg: Unresolved<"void *">,
        );
        #[c_name = "XML_SetSkippedEntityHandler"]
        fn set_skipped_entity_handler(
            parser: &Parser,
            handler: Callback<
                SkippedEntityHandler,
                stored = set_skipped_entity_handler_handler,
                on = parser,
            >,
        );
        #[c_name = "XML_SetUnknownEncodingHandler"]
        fn set_unknown_encoding_handler(
            parser: &Parser,
            handler: Unresolved<"XML_UnknownEncodingHandler">,
            encodingHandlerData: Unresolved<"void *">,
        );
        #[c_name = "XML_DefaultCurrent"]
        fn default_current(parser: &Parser);
        #[c_name = "XML_SetReturnNSTriplet"]
        fn set_return_ns_triplet(parser: &Parser, do_nst: c_int);
        #[c_name = "XML_SetUserData"]
        fn set_user_data(parser: &Parser, userData: Unresolved<"void *">);
        #[c_name = "XML_SetEncoding"]
        fn set_encoding(
            parser: &Parser,
            encoding: Unresolved<
                "const XML_Char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
        ) -> Status;
        #[c_name = "XML_UseParserAsHandlerArg"]
        fn use_parser_as_handler_arg(parser: &Parser);
        #[c_name = "XML_UseForeignDTD"]
        fn use_foreign_dtd(parser: &Parser, useDTD: c_uchar) -> CError;
        #[c_name = "XML_SetBase"]
        fn set_base(
            parser: &Parser,
            base: Unresolved<
                "const XML_Char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
        ) -> Status;
        #[c_name = "XML_GetBase"]
        fn get_base(parser: &Parser) -> Borrowed<CStr>;
        #[c_name = "XML_GetSpecifiedAttributeCount"]
        fn get_specified_attribute_count(parser: &Parser) -> c_int;
        #[c_name = "XML_GetIdAttributeIndex"]
        fn get_id_attribute_index(parser: &Parser) -> c_int;
        #[c_name = "XML_Parse"]
        fn parse(
            parser: &Parser,
            #[c_type = "const char *"]
            s: In<[u8], len = len>,
            len: c_int,
            isFinal: c_int,
        ) -> Status;
        #[c_name = "XML_GetBuffer"]
        fn get_buffer(
            parser: &Parser,
            len: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Parser lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> Unresolved<"void *">;
        #[c_name = "XML_ParseBuffer"]
        fn parse_buffer(
            parser: &Parser,
            len: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Parser lent (a buffer a function of it returned), which C would read as far as it says",
            >,
            isFinal: c_int,
        ) -> Status;
        #[c_name = "XML_StopParser"]
        fn stop_parser(parser: &Parser, resumable: c_uchar) -> Status;
        #[c_name = "XML_ResumeParser"]
        fn resume_parser(parser: &Parser) -> Status;
        #[c_name = "XML_GetParsingStatus"]
        fn get_parsing_status(
            parser: &Parser,
            status: Unresolved<"XML_ParsingStatus *">,
        );
        #[c_name = "XML_ExternalEntityParserCreate"]
        fn external_entity_parser_create(
            parser: &Parser,
            #[c_type = "const XML_Char *"]
            context: CStr,
            #[c_type = "const XML_Char *"]
            encoding: CStr,
        ) -> Unresolved<
            "XML_Parser",
            guess = "Owned<Parser> if the caller frees it and it keeps no pointer to the `parser` it is given; Owned<Parser, parent = parser> if it keeps one",
        >;
        #[c_name = "XML_SetParamEntityParsing"]
        fn set_param_entity_parsing(
            parser: &Parser,
            parsing: ParamEntityParsing,
        ) -> c_int;
        #[c_name = "XML_SetHashSalt"]
        fn set_hash_salt(parser: &Parser, hash_salt: c_ulong) -> c_int;
        #[c_name = "XML_GetErrorCode"]
        fn get_error_code(parser: &Parser) -> CError;
        #[c_name = "XML_GetCurrentLineNumber"]
        fn get_current_line_number(parser: &Parser) -> c_ulong;
        #[c_name = "XML_GetCurrentColumnNumber"]
        fn get_current_column_number(parser: &Parser) -> c_ulong;
        #[c_name = "XML_GetCurrentByteIndex"]
        fn get_current_byte_index(parser: &Parser) -> c_long;
        #[c_name = "XML_GetCurrentByteCount"]
        fn get_current_byte_count(parser: &Parser) -> c_int;
        #[c_name = "XML_GetInputContext"]
        fn get_input_context(
            parser: &Parser,
            offset: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            size: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> Borrowed<CStr>;
        #[c_name = "XML_FreeContentModel"]
        fn free_content_model(
            parser: Unresolved<
                "XML_Parser",
                guess = "Owned<Parser> if this frees it; &Parser if not",
            >,
            model: Unresolved<"XML_Content *">,
        );
        #[c_name = "XML_MemMalloc"]
        fn mem_malloc(
            parser: &Parser,
            size: Unresolved<
                "size_t",
                guess = "size_t if it counts no memory a Parser lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> Unresolved<"void *">;
        #[c_name = "XML_MemRealloc"]
        fn mem_realloc(
            parser: &Parser,
            #[c_type = "void *"]
            ptr: Out<[u8], cap = size>,
            size: size_t,
        ) -> Unresolved<"void *">;
        #[c_name = "XML_MemFree"]
        fn mem_free(
            parser: Unresolved<
                "XML_Parser",
                guess = "Owned<Parser> if this frees it; &Parser if not",
            >,
            ptr: Unresolved<"void *">,
        );
        #[c_name = "XML_ParserFree"]
        fn parser_free(parser: Owned<Parser>);
        #[c_name = "XML_ErrorString"]
        fn error_string(code: CError) -> Borrowed<CStr>;
        #[c_name = "XML_ExpatVersion"]
        fn expat_version() -> Borrowed<CStr>;
        #[c_name = "XML_ExpatVersionInfo"]
        fn expat_version_info() -> ExpatVersion;
        #[c_name = "XML_GetFeatureList"]
        fn get_feature_list() -> Unresolved<"const XML_Feature *">;
    }
}

// Not imported (9):
// - struct `XML_Content`: field `name` is a pointer (`XML_Char *`): a described struct holds values only
// - struct `XML_Memory_Handling_Suite`: field `malloc_fcn` is a pointer (`void *(*)(size_t)`): a described struct holds values only
// - struct `XML_Encoding`: field `data` is a pointer (`void *`): a described struct holds values only
// - struct `XML_Feature`: field `name` is a pointer (`const XML_LChar *`): a described struct holds values only
// - callback type `XML_ElementDeclHandler`: parameter `model` is `XML_Content *`, which a callback cannot describe
// - callback type `XML_StartElementHandler`: parameter `atts` is `const XML_Char **`, which a callback cannot describe
// - callback type `XML_ExternalEntityRefHandler`: it has 0 `void *` parameters; a described callback has exactly one, its user data
// - callback type `XML_UnknownEncodingHandler`: parameter `info` is `XML_Encoding *`, which a callback cannot describe
// - function-like macro `XML_GetUserData(parser)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with

// Drafted by ffi-stubgen from `kept.h`:
//     ffi-stubgen import --header tests/golden/kept.h --library kept -o tests/golden/kept.rs
// 5 functions drafted, 5 whole. Every pointer's meaning was inferred: review them before trusting the draft.

use ffi_desc::foreign;
#[foreign(library = "kept", header = "kept.h", prefix = "kp_")]
pub mod kept {
    #[callback(c_name = "kp_start_fn")]
    pub type StartFn = fn(user: UserData, depth: c_int);
    #[callback(c_name = "kp_end_fn")]
    pub type EndFn = fn(user: UserData);
    /// Keeps callbacks C calls with user data no signature says who sets: they find the handle through the call running when C calls them.
    #[opaque(c_type = "kp_parser", free = parser_free, kept_by_call)]
    pub struct Parser;
    /// The functions of `kept.h`.
    pub trait Kept {
        fn parser_create() -> Owned<Parser>;
        fn parser_free(p: Owned<Parser>);
        fn set_handlers(
            p: &Parser,
            start: Callback<StartFn, stored = set_handlers_start, on = p>,
            end: Callback<EndFn, stored = set_handlers_end, on = p>,
        );
        fn set_start_handler(
            p: &Parser,
            handler: Callback<StartFn, stored = set_start_handler_handler, on = p>,
        );
        fn parse(p: &Parser, n: c_int) -> c_int;
    }
}

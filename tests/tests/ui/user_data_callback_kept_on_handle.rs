use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_ctx", scoped)]
    pub struct Ctx;

    #[opaque(c_type = "x_parser", free = parser_free, context = set_user_data)]
    pub struct Parser;

    pub type Visit = fn(#[user_data = ctx_data] ctx: &Ctx, n: c_int);

    pub trait X {
        fn set_user_data(p: &Parser, data: UserData);
        fn on_visit(p: &Parser, f: Option<Callback<Visit, stored = visit, on = p>>);
        fn ctx_data(ctx: &Ctx) -> UserData;
        fn parser_free(p: Owned<Parser>);
    }
}

fn main() {}

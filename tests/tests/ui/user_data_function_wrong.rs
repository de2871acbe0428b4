use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_ctx", scoped)]
    pub struct Ctx;

    pub type Visit = fn(#[user_data = ctx_data] ctx: &Ctx, n: c_int);
    pub type Other = fn(#[user_data = ctx_data] ctx: &Ctx, user: UserData);

    pub trait X {
        fn visit(f: Callback<Visit, stored>, user: UserData);
        fn ctx_data(ctx: &Ctx, n: c_int) -> UserData;
        fn leak(ctx: &Ctx) -> UserData;
    }
}

fn main() {}

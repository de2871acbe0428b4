use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_ctx", scoped)]
    pub struct Ctx;

    pub type Visit = fn(ctx: &Ctx, user: UserData);

    pub trait X {
        fn visit(f: Callback<Visit>, user: UserData);
        fn ctx_finish(ctx: Owned<Ctx>);
        fn ctx_new() -> Owned<Ctx>;
        fn ctx_open(out: Out<Option<Owned<Ctx>>>) -> c_int;
    }
}

fn main() {}

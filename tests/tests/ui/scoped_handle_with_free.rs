use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_ctx", scoped, free = ctx_free)]
    pub struct Ctx;

    pub trait X {
        fn ctx_free(ctx: Owned<Ctx>);
    }
}

fn main() {}

use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_ctx", scoped)]
    pub struct Ctx;

    pub type Visit = fn(ctx: &Ctx, user: UserData);

    pub trait X {
        fn visit(f: Callback<Visit>, user: UserData);
        fn answer(ctx: &Ctx, value: c_int);
    }
}

use m::*;

// The closure gets the context for the callback alone: keeping it fails.
fn keep<L: X>(lib: &L) {
    let mut kept: Option<&Ctx> = None;
    lib.visit(&mut |ctx| kept = Some(ctx)).unwrap();
    if let Some(ctx) = kept {
        lib.answer(ctx, 1).unwrap();
    }
}

fn main() {}

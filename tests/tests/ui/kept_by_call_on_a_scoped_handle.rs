use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "ctx", scoped, kept_by_call)]
    pub struct Ctx;

    pub trait X {
        fn ctx_id(c: &Ctx) -> c_int;
    }
}

fn main() {}

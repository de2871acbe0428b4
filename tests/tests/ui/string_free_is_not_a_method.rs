use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn name() -> Owned<CStr, free = name_free>;
        fn name_free(s: CStr);
    }
}

use m::X;

fn main() {
    // Returned strings are copied and freed by the linkage; a string the
    // caller holds was never allocated by C, so there is nothing to free.
    let x = m::XLinked::new();
    let _ = x.name();
    let _ = x.name_free("not from C");
}

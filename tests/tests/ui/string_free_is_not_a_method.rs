use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn name() -> Owned<CStr, free = name_free>;
        fn name_free(s: CStr);
    }
}

use m::X;

// Returned strings are copied and freed by the linkage; a string the caller
// holds was never allocated by C, so no linkage offers to free one.
fn linked(x: &m::XLinked) {
    let _ = x.name();
    let _ = x.name_free("not from C");
}

fn loaded(x: &m::XLoaded) {
    let _ = x.name_free("not from C");
}

fn isolated(x: &m::XIsolated) {
    let _ = x.name_free("not from C");
}

fn main() {
    let _ = (linked, loaded, isolated);
}

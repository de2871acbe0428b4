use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        unsafe fn poke(addr: size_t, value: u8);
    }
}

fn main() {}

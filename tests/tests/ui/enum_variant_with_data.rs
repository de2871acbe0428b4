use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub enum Shape {
        Circle(c_int),
        Square = 1,
    }

    pub trait X {
        fn area(s: Shape) -> c_int;
    }
}

fn main() {}

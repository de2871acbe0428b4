use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "log_fn")]
    pub type Log = fn(level: c_int, user: UserData);

    pub trait X {
        fn set_logger(f: Callback<Log, stored = logger>, user: UserData);
        #[clears(loger)]
        fn clear_logger();
    }
}

fn main() {}

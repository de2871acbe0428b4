//! libyaml's version functions (Debian's `libyaml-dev`), resolved by hand:
//! the reference the draft of `yaml.h` is compared with. Its parser,
//! emitter, event and document types are structs the caller allocates
//! and libyaml fills (with pointers inside), which the draft rightly
//! leaves to a person.

use ffi_desc::foreign;

#[foreign(library = "yaml", header = "yaml.h", prefix = "yaml_")]
pub mod yaml {
    /// The functions of `yaml.h` this reference covers.
    pub trait Yaml {
        /// `"0.2.5"`.
        fn get_version_string() -> Borrowed<CStr>;
        /// The version's three numbers, each written through its pointer.
        fn get_version(major: Out<c_int>, minor: Out<c_int>, patch: Out<c_int>);
    }
}

//! Cross-crate tests: the descriptions of the sample libraries and zlib, and
//! one test body per behaviour run against every linkage.

// The sample C library is linked into this crate through `sample-libs`.
use sample_libs as _;

pub mod arena_attack;
pub mod expat;
pub mod expat_by_call;
pub mod harness;
pub mod hostile;
pub mod lent;
pub mod loadtime;
pub mod rogue;
pub mod route;
pub mod sqlite;
pub mod threads;
pub mod vocab;
pub mod yaml;
pub mod zlib;

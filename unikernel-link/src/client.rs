//! A description's Isolated client, without `std`.

/// The vocab sample library's description, shared verbatim with the domain
/// that serves it.
#[path = "../../tests/src/vocab.rs"]
pub mod vocab;

use ffi_desc::Error;
use vocab::vocab::{Point, Vocab};

/// What [`scenario`] computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `add_int(40, 2)`.
    pub sum: i32,
    /// `point_add((1, 2), (10, 20))`.
    pub point: (i32, i32),
    /// `sum(1..=100)`.
    pub total: i64,
    /// `greet("unikernel")`.
    pub greeting: alloc::string::String,
}

/// A small scenario written against the trait alone, so the same code runs
/// over any linkage: scalars, a struct by value, a buffer, an owned string.
pub fn scenario<L: Vocab>(lib: &L) -> Result<Outcome, Error> {
    let xs: alloc::vec::Vec<i32> = (1..=100).collect();
    let p = lib.point_add(Point { x: 1, y: 2 }, Point { x: 10, y: 20 })?;
    let greeting = lib.greet("unikernel")?;
    Ok(Outcome {
        sum: lib.add_int(40, 2)?,
        point: (p.x, p.y),
        total: lib.sum(&xs)?,
        greeting: alloc::string::String::from_utf8_lossy(greeting.as_bytes()).into_owned(),
    })
}

/// The client over a channel to a domain serving the vocab description.
pub fn connect(
    chan: alloc::boxed::Box<dyn ffi_desc::isolated::Channel>,
) -> vocab::vocab::VocabIsolated {
    vocab::vocab::VocabIsolated::with_channel(chan)
}

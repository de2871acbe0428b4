//! trybuild UI tests for `#[foreign]`: every description mistake fails the
//! build with a spanned, readable error, and a correct description compiles.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}

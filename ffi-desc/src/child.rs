//! A handle that keeps a pointer to another handle it was made from.
//!
//! Some C objects are made from a parent and keep a pointer to it (expat's
//! external entity parser shares its parent's DTD and reaches its root
//! parser on every parse). A description says so with `Owned<H, parent =
//! p>`, and the generated method returns a [`Child`] under the borrow of the
//! parameter `p`: the borrow checker refuses to drop or take over the
//! parent while the child lives, in every linkage.
//!
//! ```text
//! fn external_entity_parser_create(parser: &Parser, ..) -> Owned<Parser, parent = parser>;
//! // generated, for every linkage:
//! fn external_entity_parser_create<'parser>(&self, parser: &'parser Parser, ..)
//!     -> Result<Child<'parser, Parser>, Error>;
//! ```

use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;

/// A handle `H` that must go before the handle it borrows for `'p`.
///
/// It derefs to `&H`, so every method taking `&H` takes it; dropping it
/// frees the handle as `H`'s own `Drop` does. It never gives `H` out by
/// value, so the handle cannot be moved out of the borrow nor handed to a
/// function that takes it over (`Owned<H>`): the parent's lifetime bounds
/// the child's whatever the caller does in safe code.
pub struct Child<'p, H> {
    handle: H,
    // Covariant: a child may be seen as borrowing its parent for less time.
    parent: PhantomData<&'p ()>,
}

impl<'p, H> Child<'p, H> {
    /// Ties `handle` to the borrow of `parent`, the handle it keeps a
    /// pointer to. Generated code calls it; tying a handle to a borrow only
    /// restricts what the caller may do with it.
    #[doc(hidden)]
    #[inline(always)]
    pub fn tie<P: ?Sized>(handle: H, parent: &'p P) -> Self {
        let _ = parent;
        Child {
            handle,
            parent: PhantomData,
        }
    }
}

impl<H> Deref for Child<'_, H> {
    type Target = H;

    #[inline(always)]
    fn deref(&self) -> &H {
        &self.handle
    }
}

impl<H> AsRef<H> for Child<'_, H> {
    #[inline(always)]
    fn as_ref(&self) -> &H {
        &self.handle
    }
}

impl<H: fmt::Debug> fmt::Debug for Child<'_, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Child").field(&self.handle).finish()
    }
}

//! The one error type every linkage returns.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

/// Why a call through the Isolated linkage could not complete.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainFailure {
    /// The domain was killed by a signal (a crash such as SIGSEGV or SIGABRT, or SIGKILL).
    #[error("the domain was killed by signal {signal} ({name})")]
    Signaled {
        /// Signal number.
        signal: i32,
        /// Signal name.
        name: String,
    },
    /// The domain exited.
    #[error("the domain exited with code {code}")]
    Exited {
        /// Exit code.
        code: i32,
    },
    /// The sandbox stopped a system call and ended the domain.
    #[error("sandbox violation: the domain attempted the system call `{syscall}`")]
    SandboxViolation {
        /// Name of the system call.
        syscall: String,
    },
    /// The call did not complete before its deadline; the domain was killed.
    #[error("no reply within the deadline of {deadline:?}")]
    Deadline {
        /// The deadline that passed.
        deadline: Duration,
    },
    /// The call was cancelled from another thread.
    #[error("the call was cancelled")]
    Cancelled,
    /// The domain broke the protocol (bad index, frame, length or handle id).
    #[error("protocol violation: {what}")]
    Protocol {
        /// What was wrong.
        what: String,
    },
    /// The domain runs a server built from another description; `detail`
    /// says which side is stale and what to rebuild, when that is known
    /// (empty, or starting with `: `).
    #[error("fingerprint mismatch: the domain serves another description{detail}")]
    FingerprintMismatch {
        /// Which side is older, and the command that rebuilds it.
        detail: String,
    },
    /// Calls made from callbacks nested deeper than the channel allows
    /// (a callback's Rust code called into the library, whose C code called
    /// back, and so on): the nested call was refused before it was sent,
    /// and the domain is intact.
    #[error("callbacks nested deeper than {max_depth} calls")]
    NestingTooDeep {
        /// The most calls one thread may have in progress on the channel at once.
        max_depth: u32,
    },
    /// A call that is not thread-safe needs the library to itself, and was
    /// made by a callback of a thread-safe call while another thread's
    /// callback waited for the same: each would wait for the other's outer
    /// call to end. This call was refused before it was sent; the domain is
    /// intact.
    #[error("a call that is not thread-safe would deadlock: {what}")]
    WouldDeadlock {
        /// Who waits for whom.
        what: String,
    },
    /// The domain is down and the restart policy does not restart it.
    #[error("the domain is not running: {reason}")]
    Unavailable {
        /// Why.
        reason: String,
    },
}

/// The error of every described call, in every linkage.
///
/// A call that cannot fail in one linkage still has this shape, so that code
/// written against a description works unchanged through all of them.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A string argument holds a NUL byte before its end.
    #[error("{function}: argument `{param}` holds a NUL byte at offset {position}")]
    InteriorNul {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
        /// Offset of the first NUL byte.
        position: usize,
    },
    /// A buffer's length does not fit the C type of its length parameter.
    #[error("{function}: the length {len} of `{param}` does not fit its C type")]
    LengthOverflow {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
        /// The length.
        len: usize,
    },
    /// A buffer that shares a length with another is shorter than that length.
    #[error("{function}: buffer `{param}` holds {got} elements but the call needs {needed}")]
    BufferTooSmall {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
        /// Elements needed.
        needed: usize,
        /// Elements given.
        got: usize,
    },
    /// C reported more elements in an out buffer than the buffer holds.
    #[error(
        "{function}: C reported {returned} elements in `{param}`, beyond its capacity {capacity}"
    )]
    LengthOutOfRange {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
        /// What C wrote.
        returned: u64,
        /// The capacity.
        capacity: usize,
    },
    /// C produced an enum value that names no variant.
    #[error("C produced {value} for enum {type_name}, which names no variant")]
    InvalidEnum {
        /// Enum.
        type_name: &'static str,
        /// Raw value.
        value: i64,
    },
    /// A string copied out of a struct C wrote (`#[copy_out]`) is not UTF-8
    /// where the description promises text.
    #[error("{function}: field `{field}` of `{ty}` is not UTF-8")]
    NotUtf8 {
        /// Function.
        function: &'static str,
        /// The `#[copy_out]` struct.
        ty: &'static str,
        /// The field.
        field: &'static str,
    },
    /// C returned NULL where the description promises a string or a handle.
    #[error("{function}: C returned NULL")]
    NullReturn {
        /// Function.
        function: &'static str,
    },
    /// C wrote NULL through an out pointer (`Out<Owned<H>>`, `Out<Tail<p>>`)
    /// where the description promises a handle, a string or a position.
    #[error("{function}: C wrote NULL to `{param}`")]
    NullOut {
        /// Function.
        function: &'static str,
        /// The out parameter.
        param: &'static str,
    },
    /// A handle was passed to a linkage (or library instance) that did not create it.
    #[error("{function}: handle `{param}` belongs to another linkage or library instance")]
    ForeignHandle {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
    },
    /// A handle from an earlier incarnation of the isolated domain (which
    /// died, taking the object with it).
    #[error("{function}: handle `{param}` belongs to an earlier incarnation of the domain")]
    StaleHandle {
        /// Function.
        function: &'static str,
        /// Parameter.
        param: &'static str,
    },
    /// A Rust callback panicked; the panic was stopped before it reached C.
    #[error("{function}: a Rust callback panicked (the panic was stopped at the C boundary)")]
    CallbackPanicked {
        /// Function.
        function: &'static str,
    },
    /// C called a Rust callback with arguments the description does not
    /// allow (a NULL where it promises a string, a negative count, no
    /// callback table to find the closure in): the callback did not run and
    /// C got a zeroed result.
    #[error("{function}: C called back with {reason}; the callback did not run")]
    CallbackNotRun {
        /// Function.
        function: &'static str,
        /// What C passed.
        reason: &'static str,
    },
    /// The library could not be opened.
    #[error("cannot open library `{library}`: {reason}")]
    Open {
        /// Path or soname.
        library: String,
        /// The loader's message.
        reason: String,
    },
    /// The library lacks symbols the description names.
    #[error("library `{library}` lacks described symbols: {}", missing.join(", "))]
    MissingSymbols {
        /// Path or soname.
        library: String,
        /// Every missing C name.
        missing: Vec<String>,
    },
    /// The Isolated linkage's domain failed during the call.
    #[error("{function}: {failure}")]
    Domain {
        /// Function.
        function: &'static str,
        /// What happened.
        failure: DomainFailure,
    },
}

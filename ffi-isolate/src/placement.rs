//! Where a domain's thread runs a large bulk call: on the CPU of the caller
//! that asked, so that the buffers the caller just wrote (or is about to
//! read) stay in that CPU's caches instead of crossing to the other one.
//!
//! The client names its CPU in the call ([`ffi_desc::bulk::NO_CPU`] when the
//! call is small); the thread serving the lane pins itself there for the
//! call and returns to the CPUs it started with once the reply is sent. It
//! only ever moves itself (`sched_setaffinity` on thread 0, the one filter
//! rule of the sandbox for it), and only onto a CPU it was allowed to start
//! with, so a client's hint cannot widen where the domain runs.

use std::cell::Cell;

/// One serving thread's CPUs, and whether a call moved it.
pub(crate) struct Placement {
    /// The CPUs the thread started with.
    home: libc::cpu_set_t,
    /// A call pinned the thread and has not returned it yet.
    moved: Cell<bool>,
}

/// Returns the thread to its CPUs when the call that pinned it ends.
pub(crate) struct Near<'p> {
    placement: Option<&'p Placement>,
}

impl Drop for Near<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.placement {
            p.moved.set(false);
            // A failure leaves the thread pinned, which slows it and
            // harms nothing; there is no one to tell.
            let _ = set_affinity(&p.home);
        }
    }
}

impl Placement {
    /// The calling thread's placement, from the CPUs it may run on now;
    /// `None` where the kernel does not say.
    pub(crate) fn of_this_thread() -> Option<Placement> {
        // SAFETY: a zeroed cpu_set_t is an empty set; sched_getaffinity
        // writes at most its size.
        let mut home: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: as above; thread 0 is the calling thread.
        let rc = unsafe { libc::sched_getaffinity(0, size, &mut home) };
        (rc == 0).then_some(Placement {
            home,
            moved: Cell::new(false),
        })
    }

    /// Pins the thread to `cpu` until the returned guard drops, if `cpu` is
    /// one of its own and no outer call pinned it already (a call nested
    /// in a callback stays where the outer call put it).
    pub(crate) fn near(&self, cpu: u32) -> Near<'_> {
        let cpu = cpu as usize;
        if !holds(&self.home, cpu) || self.moved.get() {
            return Near { placement: None };
        }
        // SAFETY: a zeroed cpu_set_t is an empty set.
        let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: `holds` checked that `cpu` is below the set's size.
        unsafe { libc::CPU_SET(cpu, &mut one) };
        if set_affinity(&one).is_err() {
            return Near { placement: None };
        }
        self.moved.set(true);
        Near {
            placement: Some(self),
        }
    }
}

/// Whether `set` holds `cpu` (any number: beyond the set's size, no).
fn holds(set: &libc::cpu_set_t, cpu: usize) -> bool {
    // SAFETY: CPU_ISSET reads the bit of `cpu`, which is below the set's size.
    cpu < libc::CPU_SETSIZE as usize && unsafe { libc::CPU_ISSET(cpu, set) }
}

fn set_affinity(set: &libc::cpu_set_t) -> std::io::Result<()> {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `set` is a whole cpu_set_t; thread 0 is the calling thread.
    match unsafe { libc::sched_setaffinity(0, size, set) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> libc::cpu_set_t {
        Placement::of_this_thread().expect("affinity").home
    }

    fn only(set: &libc::cpu_set_t) -> Vec<usize> {
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| holds(set, c))
            .collect()
    }

    #[test]
    fn a_call_pins_the_thread_and_its_end_returns_it() {
        std::thread::spawn(|| {
            let p = Placement::of_this_thread().expect("affinity");
            let home = only(&p.home);
            let cpu = *home.last().expect("a CPU");
            {
                let _near = p.near(cpu as u32);
                assert_eq!(only(&current()), [cpu]);
                // A nested call neither moves it nor returns it.
                drop(p.near(cpu as u32));
                assert_eq!(only(&current()), [cpu]);
            }
            assert_eq!(only(&current()), home);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_cpu_the_thread_may_not_use_is_ignored() {
        std::thread::spawn(|| {
            let p = Placement::of_this_thread().expect("affinity");
            for cpu in [libc::CPU_SETSIZE as u32, u32::MAX - 1] {
                let near = p.near(cpu);
                assert!(near.placement.is_none());
                assert_eq!(only(&current()), only(&p.home));
            }
        })
        .join()
        .unwrap();
    }
}

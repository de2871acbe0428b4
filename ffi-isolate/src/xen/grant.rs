//! The bulk region of a Xen connection: pages of the library's domain,
//! granted to the application's domain for the connection's life.
//!
//! The server (the library's domain) allocates the pages and grants them
//! with Linux's `gntalloc` device, as `libxenvchan` grants its rings; the
//! client (the application's domain) maps them with `gntdev`. Both see the
//! same bytes: the client copies an `In` buffer in once, C reads and writes
//! it in place in the server's own mapping, the client copies an `Out`
//! buffer out once ([`crate::bulk`], the same code as the process
//! transport's lane region).
//!
//! # The handshake
//!
//! A client that wants a region sends the 32-byte hello (the bytes it asks
//! for at offset 24, as the process transport's hello); the server grants
//! at most [`super::XenServeOptions::max_bulk`] bytes of it and appends to
//! its `Welcome` (the fingerprint) the number of pages and their grant
//! references, `u32` little-endian each. A short hello (an older client,
//! the `xen-pv` unikernel) gets the plain 16-byte `Welcome`, and a server
//! that cannot grant sends it too: calls then carry their buffers inline.
//!
//! # Trust
//!
//! The client maps only what it asked for: a list longer than the pages it
//! asked, an empty or cut list, or references that do not map
//! (`gntdev`'s map fails) end the handshake with a typed error. Once mapped,
//! a page stays mapped until the client unmaps it: Xen holds a grant that
//! is mapped (the granting domain can neither end the grant nor, if it
//! dies, have the page freed, until every mapping of it is gone), so a
//! server that ends or regrants its grants mid-call changes at most the
//! bytes the client reads, never whether it can read them. The client
//! never reads an offset back from the region (see [`crate::bulk`]). The
//! server checks every segment the client names against its own mapping's
//! length ([`crate::bulk::CallSegments::read`]).

use std::os::fd::{AsRawFd, OwnedFd};

use crate::shm::{SharedMemory, PAGE_SIZE};

/// The most pages either side grants or maps for one connection: 16 MiB.
pub const MAX_GRANT_PAGES: usize = 4096;

/// The pages of a region of `bytes` bytes (rounded up), bounded by
/// `max_bytes` and [`MAX_GRANT_PAGES`].
pub(crate) fn pages_for(bytes: u64, max_bytes: usize) -> usize {
    let bytes = usize::try_from(bytes).unwrap_or(usize::MAX).min(max_bytes);
    bytes.div_ceil(PAGE_SIZE).min(MAX_GRANT_PAGES)
}

/// What the server appends to its `Welcome`: the page count, then each
/// grant reference.
pub(crate) fn encode_refs(refs: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 4 * refs.len());
    out.extend_from_slice(&(refs.len() as u32).to_le_bytes());
    for r in refs {
        out.extend_from_slice(&r.to_le_bytes());
    }
    out
}

/// Why the grant list of a `Welcome` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantListError {
    /// Bytes after the fingerprint, when no region was asked for.
    #[error("a grant list the client did not ask for")]
    Unasked,
    /// Fewer than four bytes, or a length that is not the count's.
    #[error("a grant list of {len} bytes does not hold the {count} references it announces")]
    Malformed {
        /// The bytes after the fingerprint.
        len: usize,
        /// The count it announced (0 when it has none).
        count: u64,
    },
    /// More pages than the client asked for, or none.
    #[error("{count} granted pages, where 1 to {asked} were asked for")]
    Count {
        /// The pages announced.
        count: u64,
        /// The pages asked for.
        asked: usize,
    },
}

/// The grant references in `rest` (a `Welcome` after the fingerprint) for a
/// client that asked for `asked` pages (0: none). Empty: no region.
pub(crate) fn decode_refs(rest: &[u8], asked: usize) -> Result<Vec<u32>, GrantListError> {
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    if asked == 0 {
        return Err(GrantListError::Unasked);
    }
    let Some((count, refs)) = rest.split_first_chunk::<4>() else {
        let len = rest.len();
        return Err(GrantListError::Malformed { len, count: 0 });
    };
    let count = u64::from(u32::from_le_bytes(*count));
    if count == 0 || count > asked as u64 {
        return Err(GrantListError::Count { count, asked });
    }
    if refs.len() as u64 != count * 4 {
        let len = rest.len();
        return Err(GrantListError::Malformed { len, count });
    }
    Ok(refs
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// `_IOC(_IOC_NONE, 'G', 5, 24)`: `IOCTL_GNTALLOC_ALLOC_GREF`.
const GNTALLOC_ALLOC_GREF: libc::c_ulong = 0x0018_4705;
/// `GNTALLOC_FLAG_WRITABLE`.
const GNTALLOC_WRITABLE: u16 = 1;
/// `_IOC(_IOC_NONE, 'G', 0, 24)`: `IOCTL_GNTDEV_MAP_GRANT_REF`.
const GNTDEV_MAP_GRANT_REF: libc::c_ulong = 0x0018_4700;

fn open_device(path: &str) -> Result<OwnedFd, String> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map(OwnedFd::from)
        .map_err(|e| format!("open {path}: {e}"))
}

/// Calls `request` on `fd` with the argument block `arg`.
fn ioctl(fd: &OwnedFd, request: libc::c_ulong, arg: &mut [u64]) -> Result<(), String> {
    // SAFETY: `arg` is a writable block at least as long as the structure
    // `request` reads and writes (the callers size it for their count), and
    // outlives the call.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), request, arg.as_mut_ptr()) };
    if r < 0 {
        return Err(std::io::Error::last_os_error().to_string());
    }
    Ok(())
}

/// Allocates `pages` zeroed pages, grants them writable to domain `peer`
/// and maps them here: the region and its grant references. Dropping the
/// region unmaps it and closes the device, which ends the grants (or,
/// while the peer still maps a page, lets the page go once it unmaps).
pub(crate) fn share(peer: u16, pages: usize) -> Result<(SharedMemory, Vec<u32>), String> {
    if pages == 0 || pages > MAX_GRANT_PAGES {
        return Err(format!("{pages} pages to grant"));
    }
    let fd = open_device("/dev/xen/gntalloc")?;
    // struct ioctl_gntalloc_alloc_gref: domid u16, flags u16, count u32,
    // index u64, then `count` u32 references.
    let mut arg = vec![0u64; 2 + pages.div_ceil(2)];
    arg[0] = u64::from(peer) | (u64::from(GNTALLOC_WRITABLE) << 16) | ((pages as u64) << 32);
    ioctl(&fd, GNTALLOC_ALLOC_GREF, &mut arg).map_err(|e| format!("gntalloc: {e}"))?;
    let index = arg[1];
    let refs = (0..pages)
        .map(|i| {
            let word = arg[2 + i / 2];
            (word >> (32 * (i % 2))) as u32
        })
        .collect();
    let region = SharedMemory::map_device(fd, index, pages * PAGE_SIZE)
        .map_err(|e| format!("map the granted pages: {e}"))?;
    Ok((region, refs))
}

/// Maps the pages domain `peer` granted under `refs`. A reference that does
/// not map fails the whole mapping; the region stays mapped until dropped,
/// whatever the peer does with its grants.
pub(crate) fn map(peer: u16, refs: &[u32]) -> Result<SharedMemory, String> {
    if refs.is_empty() || refs.len() > MAX_GRANT_PAGES {
        return Err(format!("{} grant references to map", refs.len()));
    }
    let fd = open_device("/dev/xen/gntdev")?;
    // struct ioctl_gntdev_map_grant_ref: count u32, pad u32, index u64,
    // then `count` (domid u32, ref u32) pairs.
    let mut arg = vec![0u64; 2 + refs.len()];
    arg[0] = refs.len() as u64;
    for (slot, r) in arg[2..].iter_mut().zip(refs) {
        *slot = u64::from(peer) | (u64::from(*r) << 32);
    }
    ioctl(&fd, GNTDEV_MAP_GRANT_REF, &mut arg).map_err(|e| format!("gntdev: {e}"))?;
    // The grants are mapped (and so checked by Xen) here: a bad reference
    // fails the mmap.
    SharedMemory::map_device(fd, arg[1], refs.len() * PAGE_SIZE)
        .map_err(|e| format!("map the grants of domain {peer}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_rounded_up_and_bounded() {
        assert_eq!(pages_for(0, 1 << 20), 0);
        assert_eq!(pages_for(1, 1 << 20), 1);
        assert_eq!(pages_for(4096, 1 << 20), 1);
        assert_eq!(pages_for(4097, 1 << 20), 2);
        // The server's bound, then the absolute one.
        assert_eq!(pages_for(u64::MAX, 1 << 20), 256);
        assert_eq!(pages_for(u64::MAX, usize::MAX), MAX_GRANT_PAGES);
        assert_eq!(pages_for(1 << 20, 0), 0);
    }

    #[test]
    fn a_list_round_trips() {
        let refs = [8, 9, 0xffff_fff0, 0];
        assert_eq!(decode_refs(&encode_refs(&refs), 4), Ok(refs.to_vec()));
        assert_eq!(decode_refs(&encode_refs(&refs), 100), Ok(refs.to_vec()));
        assert_eq!(decode_refs(&[], 4), Ok(Vec::new()));
        assert_eq!(decode_refs(&[], 0), Ok(Vec::new()));
    }

    #[test]
    fn hostile_lists_are_refused() {
        let refs = [1u32, 2, 3, 4, 5];
        // Longer than asked.
        assert_eq!(
            decode_refs(&encode_refs(&refs), 4),
            Err(GrantListError::Count { count: 5, asked: 4 })
        );
        // Not asked at all.
        assert_eq!(
            decode_refs(&encode_refs(&refs), 0),
            Err(GrantListError::Unasked)
        );
        // An empty list announced.
        assert_eq!(
            decode_refs(&0u32.to_le_bytes(), 4),
            Err(GrantListError::Count { count: 0, asked: 4 })
        );
        // A count the bytes do not hold, either way, and a huge one.
        let mut cut = encode_refs(&refs);
        cut.truncate(cut.len() - 1);
        assert!(matches!(
            decode_refs(&cut, 8),
            Err(GrantListError::Malformed { count: 5, .. })
        ));
        let mut long = encode_refs(&refs);
        long.extend_from_slice(&[0; 4]);
        assert!(matches!(
            decode_refs(&long, 8),
            Err(GrantListError::Malformed { count: 5, .. })
        ));
        assert_eq!(
            decode_refs(&u32::MAX.to_le_bytes(), MAX_GRANT_PAGES),
            Err(GrantListError::Count {
                count: u32::MAX.into(),
                asked: MAX_GRANT_PAGES
            })
        );
        // Fewer bytes than a count.
        assert!(matches!(
            decode_refs(&[1, 0], 8),
            Err(GrantListError::Malformed { len: 2, count: 0 })
        ));
    }

    #[test]
    fn without_xen_the_devices_fail_with_an_error() {
        if std::path::Path::new("/dev/xen").exists() {
            return;
        }
        assert!(share(0, 1).unwrap_err().contains("/dev/xen/gntalloc"));
        assert!(map(0, &[1]).unwrap_err().contains("/dev/xen/gntdev"));
        // Bounds are checked before any device is opened.
        assert!(share(0, 0).unwrap_err().contains("0 pages"));
        assert!(share(0, MAX_GRANT_PAGES + 1).is_err());
        assert!(map(0, &[]).unwrap_err().contains("0 grant"));
    }
}

//! The client's supervisor of a confined domain: every system call the
//! domain's filter does not allow comes here (`SECCOMP_RET_USER_NOTIF`)
//! instead of being run.
//!
//! * Opening a file is decided here. While the domain loads (from `execve`
//!   until the client has its handshake), the dynamic loader may read the
//!   system's library directories and `/etc/ld.so.cache`; at any time the
//!   domain may open what [`SandboxPolicy::read_paths`] and
//!   [`SandboxPolicy::write_paths`] grant. The supervisor opens the file
//!   itself, beneath the granted directory (`RESOLVE_BENEATH`: no `..` or
//!   symbolic link out of it), and installs the descriptor in the domain.
//!   It reads the path out of the domain's memory once and uses only its copy.
//! * Every other call is a violation: its number is recorded here, in the
//!   client's memory (the domain can neither forge nor hide it), and the
//!   domain is killed. The loader's probe for `/etc/ld.so.preload`
//!   (`access`) is answered "no such file" while the domain loads.
//!
//! The domain cannot reach the supervisor other than by a system call: it
//! shares no memory with it and holds no descriptor of it.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use crate::sandbox::{OpenRefusal, SandboxPolicy};

/// `AUDIT_ARCH_X86_64`: the only ABI whose numbers the filter allows.
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;

/// The longest path read out of the domain.
const PATH_MAX: usize = 4096;

/// The most requests answered in one [`WINDOW`]: a domain that asks without
/// end (opening and closing a granted file in a loop, from threads it left
/// behind) costs the client a bounded share of a CPU, and waits.
const REQUESTS_PER_WINDOW: u32 = 1000;
const WINDOW: std::time::Duration = std::time::Duration::from_millis(100);

/// Directories the dynamic loader reads while the domain loads.
const LOADER_DIRS: &[&str] = &["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"];
/// Files it reads.
const LOADER_FILES: &[&str] = &["/etc/ld.so.cache"];

/// What the supervisor knows and the client reads.
#[derive(Debug, Default)]
pub struct Supervision {
    serving: AtomicBool,
    violation: AtomicU32,
}

impl Supervision {
    /// The first refused system call's number plus one (0: none).
    pub fn violation_word(&self) -> u32 {
        self.violation.load(Ordering::SeqCst)
    }

    /// The domain has loaded (its handshake is done): from now on only the
    /// policy's paths may be opened.
    pub fn end_load_phase(&self) {
        self.serving.store(true, Ordering::SeqCst);
    }

    fn record(&self, nr: u32) {
        let _ = self.violation.compare_exchange(
            0,
            nr.wrapping_add(1),
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }
}

/// `struct open_how` of `openat2` (the libc crate's cannot be built).
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// A path the domain may open: a file, or a directory and what is beneath.
#[derive(Debug)]
struct Grant {
    path: Vec<u8>,
    /// `O_PATH` descriptor of a directory; `None` for a file.
    dir: Option<OwnedFd>,
}

impl Grant {
    fn new(path: &Path) -> Option<Grant> {
        let bytes = path.as_os_str().as_bytes();
        let trimmed = match bytes {
            [rest @ .., b'/'] if !rest.is_empty() => rest,
            other => other,
        };
        if !trimmed.starts_with(b"/") {
            return None;
        }
        let c = CString::new(trimmed).ok()?;
        // SAFETY: a NUL-terminated path; the result is checked.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_PATH | libc::O_CLOEXEC | libc::O_DIRECTORY,
            )
        };
        let dir = (fd >= 0).then(|| {
            // SAFETY: a new descriptor nothing else owns.
            unsafe { OwnedFd::from_raw_fd(fd) }
        });
        // Not a directory: a file, which need not exist yet (a write grant
        // may create it).
        Some(Grant {
            path: trimmed.to_vec(),
            dir,
        })
    }

    /// The part of `path` beneath this grant, if it is granted.
    fn beneath<'p>(&self, path: &'p [u8]) -> Option<&'p [u8]> {
        let rest = path.strip_prefix(self.path.as_slice())?;
        match (&self.dir, rest) {
            (None, []) => Some(rest),
            (Some(_), []) => Some(b"."),
            (Some(_), [b'/', rest @ ..]) if !rest.is_empty() => Some(rest),
            _ => None,
        }
    }

    /// Opens what lies at `rest` beneath the grant. The supervisor opens
    /// with the client's rights; a file of procfs is never handed out, since
    /// through it (`/proc/<client>/mem`, `environ`) the domain would reach
    /// the client's process, whatever the policy granted.
    fn open(&self, rest: &[u8], flags: i32, mode: u32) -> Result<OwnedFd, Refusal> {
        let fd = self
            .open_beneath(rest, flags, mode)
            .map_err(Refusal::Errno)?;
        // SAFETY: an all-zero statfs is a valid value for the kernel to fill.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: a descriptor we own and a valid statfs.
        if unsafe { libc::fstatfs(fd.as_raw_fd(), &mut fs) } != 0
            || fs.f_type == libc::PROC_SUPER_MAGIC
        {
            return Err(Refusal::Violation);
        }
        Ok(fd)
    }

    fn open_beneath(&self, rest: &[u8], flags: i32, mode: u32) -> Result<OwnedFd, i32> {
        let how = OpenHow {
            flags: (flags | libc::O_CLOEXEC | libc::O_NOCTTY) as u32 as u64,
            mode: if flags & libc::O_CREAT != 0 {
                u64::from(mode & 0o777)
            } else {
                0
            },
            resolve: libc::RESOLVE_NO_MAGICLINKS
                | if self.dir.is_some() {
                    libc::RESOLVE_BENEATH
                } else {
                    libc::RESOLVE_NO_SYMLINKS
                },
        };
        let (dirfd, path) = match &self.dir {
            Some(dir) => (dir.as_raw_fd(), CString::new(rest)),
            None => (libc::AT_FDCWD, CString::new(self.path.as_slice())),
        };
        let path = path.map_err(|_| libc::EINVAL)?;
        // SAFETY: a valid open_how of the size passed and a NUL-terminated
        // path; the result is checked.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dirfd,
                path.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EACCES));
        }
        // SAFETY: a new descriptor nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
    }
}

/// The paths a domain may open.
#[derive(Debug)]
pub(crate) struct Grants {
    loader: Vec<Grant>,
    read: Vec<Grant>,
    write: Vec<Grant>,
    refused: OpenRefusal,
}

impl Grants {
    pub(crate) fn for_policy(policy: &SandboxPolicy) -> Grants {
        let grants =
            |paths: &mut dyn Iterator<Item = &Path>| paths.filter_map(Grant::new).collect();
        Grants {
            loader: grants(
                &mut LOADER_DIRS
                    .iter()
                    .chain(LOADER_FILES)
                    .map(|p| Path::new(*p)),
            ),
            read: grants(&mut policy.read_paths.iter().map(|p| p.as_path())),
            write: grants(&mut policy.write_paths.iter().map(|p| p.as_path())),
            refused: policy.refused_open,
        }
    }
}

/// How a refused request is answered.
enum Refusal {
    Errno(i32),
    Violation,
}

/// The supervisor of one domain process.
struct Supervisor {
    listener: OwnedFd,
    pidfd: OwnedFd,
    grants: Grants,
    state: Arc<Supervision>,
}

/// Starts the supervisor thread of the domain `pidfd` refers to; it ends
/// when the domain does.
pub(crate) fn start(
    listener: OwnedFd,
    pidfd: OwnedFd,
    grants: Grants,
) -> io::Result<Arc<Supervision>> {
    let state = Arc::new(Supervision::default());
    let supervisor = Supervisor {
        listener,
        pidfd,
        grants,
        state: state.clone(),
    };
    std::thread::Builder::new()
        .name("ffi-domain-supervise".into())
        .spawn(move || supervisor.run())?;
    Ok(state)
}

impl Supervisor {
    fn run(self) {
        let mut window = std::time::Instant::now();
        let mut answered = 0u32;
        loop {
            let mut fds = [
                libc::pollfd {
                    fd: self.listener.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: self.pidfd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: two valid pollfds for descriptors this thread owns.
            let rc = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
            if rc < 0 {
                if io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                return;
            }
            if fds[0].revents & libc::POLLIN != 0 {
                if answered >= REQUESTS_PER_WINDOW {
                    std::thread::sleep(WINDOW.saturating_sub(window.elapsed()));
                }
                if window.elapsed() >= WINDOW {
                    window = std::time::Instant::now();
                    answered = 0;
                }
                answered += 1;
                self.serve_one();
            } else if fds[0].revents & (libc::POLLHUP | libc::POLLERR) != 0 || fds[1].revents != 0 {
                // The domain is gone (or no task of it can ask any more).
                return;
            }
        }
    }

    fn serve_one(&self) {
        // SAFETY: RECV wants a zeroed seccomp_notif to fill in.
        let mut req: libc::seccomp_notif = unsafe { std::mem::zeroed() };
        // SAFETY: the listener and a valid seccomp_notif.
        if unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_RECV,
                &mut req,
            )
        } != 0
        {
            return; // the asking task died meanwhile
        }
        match self.decide(&req) {
            Ok((fd, cloexec)) => self.reply_fd(req.id, &fd, cloexec),
            Err(Refusal::Errno(errno)) => self.reply_errno(req.id, errno),
            Err(Refusal::Violation) => {
                self.state.record(req.data.nr as u32);
                self.kill();
                self.reply_errno(req.id, libc::EPERM);
            }
        }
    }

    fn decide(&self, req: &libc::seccomp_notif) -> Result<(OwnedFd, bool), Refusal> {
        if req.data.arch != AUDIT_ARCH_X86_64 {
            return Err(Refusal::Violation);
        }
        let args = req.data.args;
        let serving = self.state.serving.load(Ordering::SeqCst);
        let (at, path, flags, mode) = match i64::from(req.data.nr) {
            libc::SYS_openat => (args[0] as i32, args[1], args[2] as i32, args[3] as u32),
            libc::SYS_open => (libc::AT_FDCWD, args[0], args[1] as i32, args[2] as u32),
            libc::SYS_access | libc::SYS_faccessat | libc::SYS_faccessat2 if !serving => {
                return Err(Refusal::Errno(libc::ENOENT))
            }
            _ => return Err(Refusal::Violation),
        };
        if at != libc::AT_FDCWD {
            return Err(Refusal::Violation);
        }
        let path = self.read_path(req.pid, path).ok_or(Refusal::Violation)?;
        // The task may have died and its pid been reused while we read.
        // SAFETY: the listener and a valid u64.
        if unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_ID_VALID,
                &req.id,
            )
        } != 0
        {
            return Err(Refusal::Errno(libc::ESRCH));
        }
        let cloexec = flags & libc::O_CLOEXEC != 0;
        if path == b"/proc/self/maps" && flags & libc::O_ACCMODE == libc::O_RDONLY {
            // The domain's own mappings (glibc reads them to find the main
            // thread's stack): the client's "self" would be the client.
            return own_maps(req.pid).map(|fd| (fd, cloexec));
        }
        self.open(&path, flags, mode, serving)
            .map(|fd| (fd, cloexec))
    }

    fn open(&self, path: &[u8], flags: i32, mode: u32, serving: bool) -> Result<OwnedFd, Refusal> {
        if flags & libc::O_TMPFILE == libc::O_TMPFILE {
            return Err(Refusal::Errno(libc::EOPNOTSUPP));
        }
        let kept = libc::O_ACCMODE
            | libc::O_CREAT
            | libc::O_EXCL
            | libc::O_TRUNC
            | libc::O_APPEND
            | libc::O_NONBLOCK
            | libc::O_DIRECTORY
            | libc::O_NOFOLLOW
            | libc::O_DSYNC
            | libc::O_SYNC
            | libc::O_LARGEFILE;
        let flags = flags & kept;
        let writes = flags & libc::O_ACCMODE != libc::O_RDONLY
            || flags & (libc::O_CREAT | libc::O_TRUNC | libc::O_APPEND) != 0;
        let loader: &[Grant] = if serving { &[] } else { &self.grants.loader };
        let lists: [&[Grant]; 3] = if writes {
            [&self.grants.write, &[], &[]]
        } else {
            [&self.grants.read, &self.grants.write, loader]
        };
        for grant in lists.iter().flat_map(|l| l.iter()) {
            if let Some(rest) = grant.beneath(path) {
                return grant.open(rest, flags, mode);
            }
        }
        match self.grants.refused {
            OpenRefusal::Fail(errno) if serving => Err(Refusal::Errno(errno)),
            _ => Err(Refusal::Violation),
        }
    }

    /// Copies a NUL-terminated path out of task `pid`, page by page (a read
    /// that crosses into an unmapped page fails whole).
    fn read_path(&self, pid: u32, addr: u64) -> Option<Vec<u8>> {
        const PAGE: u64 = 4096;
        let mut out = Vec::new();
        let mut at = addr;
        while out.len() < PATH_MAX {
            let chunk = (PAGE - at % PAGE).min((PATH_MAX - out.len()) as u64) as usize;
            let mut buf = vec![0u8; chunk];
            let local = libc::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: chunk,
            };
            let remote = libc::iovec {
                iov_base: at as *mut libc::c_void,
                iov_len: chunk,
            };
            // SAFETY: one local iovec over our own buffer; the remote one is
            // only read by the kernel, from the other process.
            let n = unsafe { libc::process_vm_readv(pid as libc::pid_t, &local, 1, &remote, 1, 0) };
            if n <= 0 {
                return None;
            }
            let n = n as usize;
            if let Some(end) = buf[..n].iter().position(|&b| b == 0) {
                out.extend_from_slice(&buf[..end]);
                return out.starts_with(b"/").then_some(out);
            }
            out.extend_from_slice(&buf[..n]);
            at = at.checked_add(n as u64)?;
        }
        None
    }

    fn reply_fd(&self, id: u64, fd: &OwnedFd, cloexec: bool) {
        let add = libc::seccomp_notif_addfd {
            id,
            flags: libc::SECCOMP_ADDFD_FLAG_SEND as u32,
            srcfd: fd.as_raw_fd() as u32,
            newfd: 0,
            newfd_flags: if cloexec { libc::O_CLOEXEC as u32 } else { 0 },
        };
        // SAFETY: the listener and a valid seccomp_notif_addfd. A failure
        // (the task died, its descriptor table is full) leaves the task
        // waiting for an answer: give it the error.
        if unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_ADDFD,
                &add,
            )
        } < 0
        {
            let errno = io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EMFILE);
            self.reply_errno(id, errno);
        }
    }

    fn reply_errno(&self, id: u64, errno: i32) {
        let resp = libc::seccomp_notif_resp {
            id,
            val: 0,
            error: -errno,
            flags: 0,
        };
        // SAFETY: the listener and a valid seccomp_notif_resp; ENOENT (the
        // task is gone) needs no handling.
        unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_SEND,
                &resp,
            )
        };
    }

    fn kill(&self) {
        crate::domain::kill_by_pidfd(self.pidfd.as_fd());
    }
}

/// Opens `/proc/<tid>/maps` of the asking task, read-only.
fn own_maps(tid: u32) -> Result<OwnedFd, Refusal> {
    let path = CString::new(format!("/proc/{tid}/maps")).map_err(|_| Refusal::Violation)?;
    // SAFETY: a NUL-terminated path; the result is checked.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(Refusal::Errno(libc::ENOENT));
    }
    // SAFETY: a new descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_match_beneath_their_directory_only() {
        let g = Grant::new(Path::new("/usr/lib/")).unwrap();
        assert_eq!(g.beneath(b"/usr/lib/x/libz.so"), Some(&b"x/libz.so"[..]));
        assert_eq!(g.beneath(b"/usr/lib"), Some(&b"."[..]));
        assert_eq!(g.beneath(b"/usr/libexec/x"), None);
        assert_eq!(g.beneath(b"/usr/lib/"), None);
        assert_eq!(g.beneath(b"/usr"), None);
        // `..` is left to RESOLVE_BENEATH, which refuses it.
        let escape = g.beneath(b"/usr/lib/../../etc/passwd").unwrap();
        assert_eq!(
            g.open_beneath(escape, libc::O_RDONLY, 0).err(),
            Some(libc::EXDEV)
        );
        let proc = Grant::new(Path::new("/proc")).unwrap();
        assert!(matches!(
            proc.open(b"self/environ", libc::O_RDONLY, 0),
            Err(Refusal::Violation)
        ));
        let file = Grant::new(Path::new("/etc/ld.so.cache")).unwrap();
        assert_eq!(file.beneath(b"/etc/ld.so.cache"), Some(&b""[..]));
        assert_eq!(file.beneath(b"/etc/ld.so.cache/x"), None);
        assert!(Grant::new(Path::new("relative")).is_none());
    }
}

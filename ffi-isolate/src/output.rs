//! Forwarding a domain's stdout and stderr.
//!
//! By default ([`crate::domain::StdioMode::Forward`]) a domain writes to the
//! write ends of two pipes, and a thread of the client copies what arrives to
//! the client's own stdout and stderr: the library's messages stay visible,
//! and the domain holds no descriptor it could read the client's terminal or
//! socket through. The thread ends when the domain has closed both pipes, or
//! when the client has reaped the domain (after draining what the pipes
//! hold, so that a last message before a crash is not lost).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::thread::JoinHandle;

/// The most a forwarder copies after it was told to stop: a pipe holds 64 KiB
/// by default, so this is everything a dead domain left, and bounds the
/// drain if something else still writes.
const DRAIN_LIMIT: usize = 1 << 20;

/// A running forwarder; [`Forwarder::finish`] stops it.
#[derive(Debug)]
pub(crate) struct Forwarder {
    stop: OwnedFd,
    thread: Option<JoinHandle<()>>,
}

impl Forwarder {
    /// Copies from each pipe read end to its client descriptor.
    pub(crate) fn start(outputs: Vec<(OwnedFd, RawFd)>) -> io::Result<Option<Forwarder>> {
        if outputs.is_empty() {
            return Ok(None);
        }
        let mut fds = [0; 2];
        // SAFETY: a valid array of two ints for the kernel to fill in.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: two new descriptors nothing else owns.
        let (stop_read, stop) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        for (fd, _) in &outputs {
            // SAFETY: F_SETFL on a descriptor we own; only our read end
            // becomes non-blocking (the domain's write end is another file
            // description).
            unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
        }
        let thread = std::thread::Builder::new()
            .name("ffi-domain-output".into())
            .spawn(move || copy_until_closed(outputs, stop_read))?;
        Ok(Some(Forwarder {
            stop,
            thread: Some(thread),
        }))
    }

    /// Drains what the pipes hold and ends the thread.
    pub(crate) fn finish(&mut self) {
        // SAFETY: one byte from our own buffer to our own pipe.
        unsafe { libc::write(self.stop.as_raw_fd(), b"x".as_ptr().cast(), 1) };
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.finish();
    }
}

fn copy_until_closed(mut open: Vec<(OwnedFd, RawFd)>, stop: OwnedFd) {
    let mut buf = vec![0u8; 64 << 10];
    while !open.is_empty() {
        let mut fds: Vec<libc::pollfd> = open
            .iter()
            .map(|(fd, _)| fd.as_raw_fd())
            .chain([stop.as_raw_fd()])
            .map(|fd| libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        // SAFETY: valid pollfds for descriptors this thread owns.
        if unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) } < 0 {
            continue;
        }
        if fds.last().is_some_and(|p| p.revents != 0) {
            for (fd, to) in &open {
                drain(fd.as_raw_fd(), *to, &mut buf);
            }
            return;
        }
        let mut closed = Vec::new();
        for (i, p) in fds[..open.len()].iter().enumerate() {
            if p.revents == 0 {
                continue;
            }
            // SAFETY: reading into our own buffer.
            let n = unsafe { libc::read(p.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n == 0 || (n < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EAGAIN))
            {
                closed.push(i);
            } else if n > 0 {
                write_all(open[i].1, &buf[..n as usize]);
            }
        }
        for i in closed.into_iter().rev() {
            open.remove(i);
        }
    }
}

/// Copies what `fd` holds now (at most [`DRAIN_LIMIT`]).
fn drain(fd: RawFd, to: RawFd, buf: &mut [u8]) {
    let mut copied = 0;
    while copied < DRAIN_LIMIT {
        // SAFETY: reading into our own buffer from a non-blocking descriptor.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return;
        }
        write_all(to, &buf[..n as usize]);
        copied += n as usize;
    }
}

fn write_all(fd: RawFd, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: writing from our own buffer to a descriptor of ours.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n <= 0 {
            if io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return; // the client's own output is closed: drop the domain's
        }
        bytes = &bytes[n as usize..];
    }
}

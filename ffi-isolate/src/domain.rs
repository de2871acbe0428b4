//! Launching and watching a domain process, from the client's side.
//!
//! [`Process::spawn`] starts the server executable with one extra descriptor
//! (the shared memory) at [`EXTRA_FD`] (and, through
//! [`Process::spawn_confined_with`], the shared arena at
//! [`crate::arena::ARENA_FD`] and the out arena at
//! [`crate::out_arena::OUT_ARENA_FD`]), the client's pid in
//! [`PARENT_PID_ENV`], and the parent-death
//! signal armed before `exec`. The child then enters the sandbox itself (see
//! [`crate::sandbox`]).
//!
//! # The launcher thread
//!
//! `PR_SET_PDEATHSIG` fires when the **thread** that forked the child exits,
//! not when the parent process does. Clients and tests spawn domains from
//! short-lived threads, whose exit would kill a healthy domain. So every spawn
//! in this process is carried out by one dedicated launcher thread, started
//! lazily on the first spawn and never stopped: callers send it a request over
//! a channel and wait for the reply. Its exit coincides with the process's,
//! which is exactly when the domains should die.
//!
//! # Watching
//!
//! Each [`Process`] holds a pidfd. Status queries use `waitid(P_PIDFD, …)`, so
//! a recycled pid can never be confused with the domain; the child is reaped
//! once and its status remembered. Dropping a [`Process`] kills and reaps it,
//! so no zombie is left behind. (If the client sets `SIGCHLD` to `SIG_IGN`,
//! the kernel reaps children itself and the status is lost:
//! [`Termination::Unknown`].)

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::confine::Plan;
use crate::output::Forwarder;
use crate::sandbox::{syscall_name, SandboxPolicy, PARENT_PID_ENV, VIOLATION_EXIT_CODE};
use crate::supervise::{Grants, Supervision};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

/// The descriptor number at which the domain finds the extra descriptor
/// given to [`Process::spawn`].
pub const EXTRA_FD: RawFd = 3;

/// What to connect a domain's stdout or stderr to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StdioMode {
    /// The write end of a pipe that the client drains into its own stdout
    /// or stderr: the library's output stays visible, and the domain holds
    /// no descriptor it can read from the client's world (a terminal or a
    /// socket behind the client's stdio is readable through a shared
    /// descriptor).
    #[default]
    Forward,
    /// Share the client's descriptor. Only for trusted domains: the domain
    /// can read from it when it is a terminal or a socket.
    Inherit,
    /// `/dev/null`.
    Null,
}

/// How to start a domain process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainConfig {
    /// The server executable.
    pub executable: PathBuf,
    /// Its arguments (without `argv[0]`).
    pub args: Vec<OsString>,
    /// Environment variables to set.
    pub env: Vec<(OsString, OsString)>,
    /// Whether the client's environment is passed on (default: no, the
    /// domain sees only [`DomainConfig::env`] and the parent pid).
    pub inherit_env: bool,
    /// The domain's stdout.
    pub stdout: StdioMode,
    /// The domain's stderr.
    pub stderr: StdioMode,
    /// Working directory, if not the client's.
    pub current_dir: Option<PathBuf>,
}

impl DomainConfig {
    /// A configuration running `executable` with no arguments, an empty
    /// environment, stdout and stderr forwarded to the client's.
    pub fn new(executable: impl Into<PathBuf>) -> Self {
        DomainConfig {
            executable: executable.into(),
            args: Vec::new(),
            env: Vec::new(),
            inherit_env: false,
            stdout: StdioMode::Forward,
            stderr: StdioMode::Forward,
            current_dir: None,
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// When the client restarts a dead domain. A plain configuration value; the
/// client acts on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RestartPolicy {
    /// Never: once dead, every call fails.
    #[default]
    Never,
    /// When the next call needs the domain (the call that saw it die fails).
    OnNextCall {
        /// Restarts allowed over the client's lifetime.
        max_restarts: u32,
    },
    /// As soon as the death is noticed.
    Immediately {
        /// Restarts allowed over the client's lifetime.
        max_restarts: u32,
    },
}

impl RestartPolicy {
    /// The most restarts this policy allows.
    pub fn max_restarts(&self) -> u32 {
        match *self {
            RestartPolicy::Never => 0,
            RestartPolicy::OnNextCall { max_restarts }
            | RestartPolicy::Immediately { max_restarts } => max_restarts,
        }
    }

    /// Whether another restart is allowed after `restarts_so_far`.
    pub fn may_restart(&self, restarts_so_far: u32) -> bool {
        restarts_so_far < self.max_restarts()
    }
}

/// How a domain process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// It exited with this code.
    Exited(i32),
    /// A signal killed it.
    Signaled {
        /// The signal number.
        signal: i32,
        /// Its name (`"SIGSEGV"`), or `"unknown"`.
        name: &'static str,
    },
    /// The seccomp filter refused a syscall: recorded by the client's
    /// supervisor for a confined process, or, for one that confined itself,
    /// exit code [`VIOLATION_EXIT_CODE`] together with a violation word.
    SandboxViolation {
        /// The syscall number.
        syscall: u32,
        /// Its name (`"openat"`), or `"unknown"`.
        name: &'static str,
    },
    /// Someone else reaped the process (for instance `SIGCHLD` was set to
    /// `SIG_IGN`), so its status is unknown.
    Unknown,
}

impl Termination {
    /// Classifies a `waitpid`-style status (`WIFEXITED`/`WIFSIGNALED`
    /// encoding). `violation_word` is the value the domain's `SIGSYS`
    /// handler left in shared memory (syscall number plus one; 0 for none):
    /// an exit with [`VIOLATION_EXIT_CODE`] and a non-zero word is a
    /// [`Termination::SandboxViolation`]; without a word it stays an exit.
    pub fn classify(wait_status: i32, violation_word: Option<u32>) -> Termination {
        if libc::WIFEXITED(wait_status) {
            let code = libc::WEXITSTATUS(wait_status);
            match violation_word {
                Some(word) if code == VIOLATION_EXIT_CODE && word != 0 => {
                    let syscall = word - 1;
                    Termination::SandboxViolation {
                        syscall,
                        name: syscall_name(syscall),
                    }
                }
                _ => Termination::Exited(code),
            }
        } else if libc::WIFSIGNALED(wait_status) {
            let signal = libc::WTERMSIG(wait_status);
            Termination::Signaled {
                signal,
                name: signal_name(signal),
            }
        } else {
            Termination::Unknown
        }
    }

    /// Re-classifies with a violation word obtained later (the exit code
    /// [`VIOLATION_EXIT_CODE`] becomes a violation when `word` is non-zero).
    pub fn with_violation_word(self, word: u32) -> Termination {
        match self {
            Termination::Exited(code) => Termination::classify((code & 0xff) << 8, Some(word)),
            other => other,
        }
    }

    /// Whether the process exited normally with code 0.
    pub fn is_success(&self) -> bool {
        *self == Termination::Exited(0)
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Termination::Exited(code) => write!(f, "exited with code {code}"),
            Termination::Signaled { signal, name } => {
                write!(f, "killed by signal {name} ({signal})")
            }
            Termination::SandboxViolation {
                syscall,
                name: "unknown",
            } => {
                write!(f, "sandbox violation: syscall {syscall}")
            }
            Termination::SandboxViolation { syscall, name } => {
                write!(f, "sandbox violation: {name} (syscall {syscall})")
            }
            Termination::Unknown => write!(f, "reaped elsewhere, status unknown"),
        }
    }
}

/// The name of signal `signal` (`"SIGKILL"`), or `"unknown"`.
pub fn signal_name(signal: i32) -> &'static str {
    const NAMES: &[(i32, &str)] = &[
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGILL, "SIGILL"),
        (libc::SIGTRAP, "SIGTRAP"),
        (libc::SIGABRT, "SIGABRT"),
        (libc::SIGBUS, "SIGBUS"),
        (libc::SIGFPE, "SIGFPE"),
        (libc::SIGKILL, "SIGKILL"),
        (libc::SIGUSR1, "SIGUSR1"),
        (libc::SIGSEGV, "SIGSEGV"),
        (libc::SIGUSR2, "SIGUSR2"),
        (libc::SIGPIPE, "SIGPIPE"),
        (libc::SIGALRM, "SIGALRM"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGSTKFLT, "SIGSTKFLT"),
        (libc::SIGCHLD, "SIGCHLD"),
        (libc::SIGCONT, "SIGCONT"),
        (libc::SIGSTOP, "SIGSTOP"),
        (libc::SIGTSTP, "SIGTSTP"),
        (libc::SIGTTIN, "SIGTTIN"),
        (libc::SIGTTOU, "SIGTTOU"),
        (libc::SIGURG, "SIGURG"),
        (libc::SIGXCPU, "SIGXCPU"),
        (libc::SIGXFSZ, "SIGXFSZ"),
        (libc::SIGVTALRM, "SIGVTALRM"),
        (libc::SIGPROF, "SIGPROF"),
        (libc::SIGWINCH, "SIGWINCH"),
        (libc::SIGIO, "SIGIO"),
        (libc::SIGPWR, "SIGPWR"),
        (libc::SIGSYS, "SIGSYS"),
    ];
    NAMES
        .iter()
        .find(|&&(n, _)| n == signal)
        .map_or("unknown", |&(_, name)| name)
}

/// Why a domain could not be started.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Duplicating the extra descriptor failed.
    #[error("duplicating the extra descriptor failed: {0}")]
    Descriptor(#[source] io::Error),
    /// Starting the executable failed (not found, not executable, the
    /// pre-exec setup failed…).
    #[error("starting the domain failed: {0}")]
    Spawn(#[source] io::Error),
    /// `pidfd_open` failed (the child was killed and reaped).
    #[error("pidfd_open failed: {0}")]
    PidFd(#[source] io::Error),
    /// The launcher thread could not be started or died.
    #[error("the launcher thread is unavailable")]
    LauncherGone,
}

/// What a domain process uses (see [`Process::usage`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// Its tasks (threads) now.
    pub tasks: u64,
    /// The CPU time all its tasks have used, user and system.
    pub cpu_time: Duration,
}

impl Usage {
    /// Parses `/proc/<pid>/stat`. The command name (field 2) is the
    /// process's to choose and may hold spaces and parentheses: the fields
    /// are counted from the last `)`.
    fn parse(stat: &str) -> Option<Usage> {
        let rest = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // After the name: state is field 3; utime 14, stime 15, threads 20.
        let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
        // SAFETY: sysconf takes an integer and touches no memory.
        let ticks = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) })
            .ok()
            .filter(|&t| t > 0)?;
        let cpu_ticks = field(14)?.checked_add(field(15)?)?;
        Some(Usage {
            tasks: field(20)?,
            cpu_time: Duration::from_millis(cpu_ticks.checked_mul(1000)? / ticks),
        })
    }
}

/// A source of the violation word (see [`Process::set_violation_probe`]).
type ViolationProbe = Box<dyn Fn() -> u32 + Send + Sync>;

/// How the child was reaped.
#[derive(Clone, Copy, Debug)]
enum Reaped {
    Status(i32),
    Lost,
}

/// A running (or dead, not yet dropped) domain process.
///
/// Dropping it kills and reaps the process.
pub struct Process {
    pid: libc::pid_t,
    pidfd: OwnedFd,
    reaped: Option<Reaped>,
    probe: Option<ViolationProbe>,
    supervision: Option<Arc<Supervision>>,
    output: Option<Forwarder>,
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .field("pidfd", &self.pidfd)
            .field("reaped", &self.reaped)
            .finish_non_exhaustive()
    }
}

impl Process {
    /// Starts `config.executable` with `extra_fd` duplicated to descriptor
    /// [`EXTRA_FD`] (3) in the child, stdin on `/dev/null`, the client's pid
    /// in [`PARENT_PID_ENV`], and `PR_SET_PDEATHSIG(SIGKILL)` armed before
    /// `exec`. The fork happens on the launcher thread (see the module
    /// documentation). Other descriptors of the client without `CLOEXEC`
    /// still reach the child; the sandbox closes them.
    pub fn spawn(config: &DomainConfig, extra_fd: BorrowedFd<'_>) -> Result<Process, DomainError> {
        // A CLOEXEC duplicate that the launcher owns until the child has it.
        let fd = dup_high(extra_fd)?;
        let (pid, pidfd, _, output) = launch(config.clone(), fd, [None, None], None)?;
        Ok(Process {
            pid,
            pidfd,
            reaped: None,
            probe: None,
            supervision: None,
            output,
        })
    }

    /// Starts `config.executable` confined by `policy` before it executes
    /// (see [`crate::confine`]): none of its code, nor of the libraries it
    /// loads, runs outside the sandbox. `extra_fd` becomes descriptor
    /// [`EXTRA_FD`]. The system calls the policy refuses are decided by the
    /// client's [supervisor](crate::supervise); a violation is reported by
    /// [`Process::try_status`] as [`Termination::SandboxViolation`].
    pub fn spawn_confined(
        config: &DomainConfig,
        extra_fd: BorrowedFd<'_>,
        policy: &SandboxPolicy,
    ) -> Result<Process, DomainError> {
        Self::spawn_confined_with(config, extra_fd, [None, None], policy)
    }

    /// [`Process::spawn_confined`], with the arenas that are given: the
    /// shared arena at [`crate::arena::ARENA_FD`] and the out arena at
    /// [`crate::out_arena::OUT_ARENA_FD`], which every incarnation of a
    /// domain gets.
    pub fn spawn_confined_with(
        config: &DomainConfig,
        extra_fd: BorrowedFd<'_>,
        arenas: Arenas<BorrowedFd<'_>>,
        policy: &SandboxPolicy,
    ) -> Result<Process, DomainError> {
        let fd = dup_high(extra_fd)?;
        let [shared, out] = arenas;
        let arenas = [
            shared.map(dup_high).transpose()?,
            out.map(dup_high).transpose()?,
        ];
        let (pid, pidfd, supervision, output) =
            launch(config.clone(), fd, arenas, Some(policy.clone()))?;
        Ok(Process {
            pid,
            pidfd,
            reaped: None,
            probe: None,
            supervision,
            output,
        })
    }

    /// The supervisor's state, for a confined process.
    pub fn supervision(&self) -> Option<&Supervision> {
        self.supervision.as_deref()
    }

    /// What the process uses now: its tasks and CPU time (from
    /// `/proc/<pid>/stat`); `None` once it is gone.
    pub fn usage(&self) -> Option<Usage> {
        if self.reaped.is_some() {
            return None;
        }
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        Usage::parse(&stat)
    }

    /// The child's pid (not reused while this value lives and the child is
    /// not reaped).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The child's pidfd.
    pub fn pidfd(&self) -> BorrowedFd<'_> {
        self.pidfd.as_fd()
    }

    /// Sets where the violation word is read from when the status is
    /// classified (typically the word in the shared page that the domain
    /// passed to [`crate::sandbox::enter`]).
    pub fn set_violation_probe(&mut self, probe: impl Fn() -> u32 + Send + Sync + 'static) {
        self.probe = Some(Box::new(probe));
    }

    fn termination(&self) -> Option<Termination> {
        let reaped = self.reaped?;
        // The supervisor's record is the client's own: it wins over the
        // status, which is the SIGKILL the supervisor sent.
        if let Some(word) = self.supervision.as_ref().map(|s| s.violation_word()) {
            if word != 0 {
                return Some(Termination::SandboxViolation {
                    syscall: word - 1,
                    name: syscall_name(word - 1),
                });
            }
        }
        match reaped {
            Reaped::Status(status) => Some(Termination::classify(
                status,
                self.probe.as_ref().map(|probe| probe()),
            )),
            Reaped::Lost => Some(Termination::Unknown),
        }
    }

    /// How the child ended, if it has; never blocks. Reaps it on the first
    /// call that sees it dead.
    pub fn try_status(&mut self) -> Option<Termination> {
        if self.reaped.is_none() {
            self.reap(false);
        }
        self.termination()
    }

    /// Waits up to `timeout` for the child to end (polling its pidfd).
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<Termination> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(done) = self.try_status() {
                return Some(done);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let millis = left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32;
            let mut pollfd = libc::pollfd {
                fd: self.pidfd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd for a descriptor we own; the result
            // only tells us to look again (EINTR included).
            unsafe { libc::poll(&mut pollfd, 1, millis) };
        }
    }

    /// Kills the child with `SIGKILL` (unless it already ended) and reaps it;
    /// returns how it ended. Idempotent.
    pub fn kill_and_reap(&mut self) -> Termination {
        if self.reaped.is_none() {
            kill_by_pidfd(self.pidfd.as_fd());
            self.reap(true);
        }
        self.termination().unwrap_or(Termination::Unknown)
    }

    /// `waitid(P_PIDFD)`; records the status when the child is gone.
    fn reap(&mut self, block: bool) {
        let options = libc::WEXITED | if block { 0 } else { libc::WNOHANG };
        loop {
            // SAFETY: an all-zero siginfo_t is valid; waitid fills it in.
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            // SAFETY: P_PIDFD with a pidfd we own and a valid siginfo_t.
            let rc = unsafe {
                libc::waitid(
                    libc::P_PIDFD,
                    self.pidfd.as_raw_fd() as libc::id_t,
                    &mut info,
                    options,
                )
            };
            if rc != 0 {
                match io::Error::last_os_error().raw_os_error() {
                    Some(libc::EINTR) => continue,
                    // ECHILD: reaped by someone else.
                    _ => {
                        self.reaped = Some(Reaped::Lost);
                        if let Some(output) = &mut self.output {
                            output.finish();
                        }
                        return;
                    }
                }
            }
            // SAFETY: after a successful waitid the siginfo_t is a SIGCHLD
            // record; si_pid is 0 when WNOHANG found nothing.
            let pid = unsafe { info.si_pid() };
            if pid == 0 {
                return;
            }
            // SAFETY: as above, si_status is valid for a SIGCHLD record.
            let status = unsafe { info.si_status() };
            let encoded = match info.si_code {
                libc::CLD_EXITED => (status & 0xff) << 8,
                libc::CLD_KILLED => status & 0x7f,
                libc::CLD_DUMPED => (status & 0x7f) | 0x80,
                _ => return, // stopped/continued: not asked for
            };
            self.reaped = Some(Reaped::Status(encoded));
            if let Some(output) = &mut self.output {
                output.finish();
            }
            return;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill_and_reap();
    }
}

// ---------------------------------------------------------------------------
// The launcher thread

/// What the launcher hands back: the pid, its pidfd, the supervisor of a
/// confined process, and the forwarder of its output.
type Launched = (
    libc::pid_t,
    OwnedFd,
    Option<Arc<Supervision>>,
    Option<Forwarder>,
);

/// The descriptors of a domain's arenas, where it has them: the shared
/// arena (read-only to the domain), then the out arena (writable).
pub type Arenas<F> = [Option<F>; 2];

struct SpawnRequest {
    config: DomainConfig,
    fd: OwnedFd,
    arenas: Arenas<OwnedFd>,
    policy: Option<SandboxPolicy>,
    reply: mpsc::SyncSender<Result<Launched, DomainError>>,
}

static LAUNCHER: Mutex<Option<mpsc::Sender<SpawnRequest>>> = Mutex::new(None);

/// Hands the spawn to the launcher thread (starting it if needed) and waits
/// for the result.
fn launch(
    config: DomainConfig,
    fd: OwnedFd,
    arenas: Arenas<OwnedFd>,
    policy: Option<SandboxPolicy>,
) -> Result<Launched, DomainError> {
    let (reply, answer) = mpsc::sync_channel(1);
    let mut request = SpawnRequest {
        config,
        fd,
        arenas,
        policy,
        reply,
    };
    // Two tries: if the launcher died (it should not), start a new one.
    for _ in 0..2 {
        let sender = {
            let mut guard = LAUNCHER.lock().unwrap_or_else(|poison| poison.into_inner());
            match &*guard {
                Some(sender) => sender.clone(),
                None => {
                    let (sender, receiver) = mpsc::channel::<SpawnRequest>();
                    std::thread::Builder::new()
                        .name("ffi-isolate-launcher".into())
                        .spawn(move || launcher_loop(receiver))
                        .map_err(|_| DomainError::LauncherGone)?;
                    *guard = Some(sender.clone());
                    sender
                }
            }
        };
        match sender.send(request) {
            Ok(()) => return answer.recv().map_err(|_| DomainError::LauncherGone)?,
            Err(mpsc::SendError(returned)) => {
                request = returned;
                *LAUNCHER.lock().unwrap_or_else(|poison| poison.into_inner()) = None;
            }
        }
    }
    Err(DomainError::LauncherGone)
}

fn launcher_loop(requests: mpsc::Receiver<SpawnRequest>) {
    // The sender lives in a static, so this loop ends only with the process.
    for request in requests {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            spawn_here(
                &request.config,
                &request.fd,
                [request.arenas[0].as_ref(), request.arenas[1].as_ref()],
                request.policy.as_ref(),
            )
        }))
        .unwrap_or(Err(DomainError::LauncherGone));
        drop(request.fd);
        drop(request.arenas);
        let _ = request.reply.send(result);
    }
}

/// The environment the domain starts with.
fn environment(config: &DomainConfig) -> Result<Vec<(CString, CString)>, DomainError> {
    let mut env: Vec<(OsString, OsString)> = if config.inherit_env {
        std::env::vars_os().collect()
    } else {
        Vec::new()
    };
    env.extend(config.env.iter().cloned());
    let parent = std::process::id().to_string();
    env.push((PARENT_PID_ENV.into(), parent.into()));
    // Later settings win, as with Command::env.
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (k, v) in env.into_iter().rev() {
        if seen.insert(k.clone()) {
            let c = |s: &OsString| {
                CString::new(s.as_bytes()).map_err(|_| {
                    DomainError::Spawn(io::Error::other("NUL in an environment variable"))
                })
            };
            out.push((c(&k)?, c(&v)?));
        }
    }
    out.reverse();
    Ok(out)
}

/// The child's end of a stream (owned when it is ours to close), and, when
/// it is forwarded, our end with the client's descriptor its bytes go to.
struct Stream {
    child: Option<OwnedFd>,
    forward: Option<(OwnedFd, RawFd)>,
}

impl Stream {
    fn new(mode: StdioMode, client_fd: RawFd) -> io::Result<Stream> {
        Ok(match mode {
            StdioMode::Inherit => Stream {
                child: None,
                forward: None,
            },
            StdioMode::Null => Stream {
                child: Some(dev_null(libc::O_WRONLY)?),
                forward: None,
            },
            StdioMode::Forward => {
                let mut fds = [0; 2];
                // SAFETY: a valid array of two ints for the kernel to fill in.
                if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
                    return Err(io::Error::last_os_error());
                }
                // SAFETY: two new descriptors nothing else owns.
                let (read, write) =
                    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
                Stream {
                    child: Some(write),
                    forward: Some((read, client_fd)),
                }
            }
        })
    }

    /// The descriptor the child gets.
    fn child_fd(&self, client_fd: RawFd) -> RawFd {
        self.child.as_ref().map_or(client_fd, |fd| fd.as_raw_fd())
    }
}

fn dev_null(flags: libc::c_int) -> io::Result<OwnedFd> {
    // SAFETY: a NUL-terminated path; the result is checked.
    let fd = unsafe { libc::open(c"/dev/null".as_ptr(), flags | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Forks and execs on the calling (launcher) thread; confined before the
/// exec when a policy is given.
fn spawn_here(
    config: &DomainConfig,
    fd: &OwnedFd,
    arena: Arenas<&OwnedFd>,
    policy: Option<&SandboxPolicy>,
) -> Result<Launched, DomainError> {
    let env = environment(config)?;
    let out = Stream::new(config.stdout, libc::STDOUT_FILENO).map_err(DomainError::Spawn)?;
    let err = Stream::new(config.stderr, libc::STDERR_FILENO).map_err(DomainError::Spawn)?;
    let (pid, supervision) = match policy {
        Some(policy) => spawn_confined_here(config, &env, (fd, arena), policy, &out, &err)?,
        None => (
            spawn_unconfined_here(config, &env, (fd, arena), &out, &err)?,
            None,
        ),
    };
    // The child holds its ends of the pipes now: close ours, so that the
    // forwarder sees the end when the domain ends.
    let outputs: Vec<_> = [out, err].into_iter().filter_map(|s| s.forward).collect();
    let pidfd = pidfd_open(pid)?;
    let supervision = match supervision {
        Some((listener, grants)) => {
            let started = pidfd
                .try_clone()
                .and_then(|watch| crate::supervise::start(listener, watch, grants));
            match started {
                Ok(s) => Some(s),
                Err(e) => {
                    kill_and_wait(pid);
                    return Err(DomainError::Spawn(io::Error::new(
                        e.kind(),
                        format!("starting the supervisor: {e}"),
                    )));
                }
            }
        }
        None => None,
    };
    let output = match Forwarder::start(outputs) {
        Ok(output) => output,
        Err(e) => {
            kill_and_wait(pid);
            return Err(DomainError::Spawn(e));
        }
    };
    Ok((pid, pidfd, supervision, output))
}

/// Confined before the exec (see [`crate::confine`]); returns the pid, the
/// supervisor's descriptor and what it may open.
fn spawn_confined_here(
    config: &DomainConfig,
    env: &[(CString, CString)],
    (fd, arena): (&OwnedFd, Arenas<&OwnedFd>),
    policy: &SandboxPolicy,
    out: &Stream,
    err: &Stream,
) -> Result<(libc::pid_t, Option<(OwnedFd, Grants)>), DomainError> {
    let stdin = dev_null(libc::O_RDONLY).map_err(DomainError::Spawn)?;
    let stdio = [
        stdin.as_raw_fd(),
        out.child_fd(libc::STDOUT_FILENO),
        err.child_fd(libc::STDERR_FILENO),
    ];
    let (plan, end) = Plan::prepare(
        config,
        env,
        policy,
        fd.as_raw_fd(),
        arena.map(|a| a.map(|a| a.as_raw_fd())),
        stdio,
    )
    .map_err(DomainError::Spawn)?;
    let grants = Grants::for_policy(policy);
    let (pid, listener) = plan.spawn(&end).map_err(DomainError::Spawn)?;
    Ok((pid, Some((listener, grants))))
}

/// Not confined: for executables that confine themselves
/// ([`crate::sandbox::enter`]) or need no confinement.
fn spawn_unconfined_here(
    config: &DomainConfig,
    env: &[(CString, CString)],
    (fd, arena): (&OwnedFd, Arenas<&OwnedFd>),
    out: &Stream,
    err: &Stream,
) -> Result<libc::pid_t, DomainError> {
    let mut command = Command::new(&config.executable);
    command.args(&config.args);
    command.env_clear();
    command.envs(env.iter().map(|(k, v)| {
        (
            std::ffi::OsStr::from_bytes(k.as_bytes()),
            std::ffi::OsStr::from_bytes(v.as_bytes()),
        )
    }));
    command.stdin(Stdio::null());
    let stdio = |s: &Stream| -> Result<Stdio, DomainError> {
        match &s.child {
            Some(fd) => Ok(Stdio::from(fd.try_clone().map_err(DomainError::Spawn)?)),
            None => Ok(Stdio::inherit()),
        }
    };
    command.stdout(stdio(out)?);
    command.stderr(stdio(err)?);
    if let Some(dir) = &config.current_dir {
        command.current_dir(dir);
    }
    let raw = fd.as_raw_fd();
    let arena = arena.map(|a| a.map(|a| a.as_raw_fd()));
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the closure runs in the forked child of a multi-threaded
    // process, where only async-signal-safe calls are allowed: it uses only
    // fcntl, dup2, prctl and getppid, allocates nothing and takes no lock.
    // `raw` stays open in the parent until the spawn returned, so the
    // child's copy is valid.
    unsafe { command.pre_exec(move || unconfined_setup(raw, arena, parent)) };
    let child = command.spawn().map_err(DomainError::Spawn)?;
    // Dropping `child` neither waits nor kills; the pidfd takes over.
    Ok(child.id() as libc::pid_t)
}

/// Puts `raw` at `to` without `CLOEXEC`, in a forked child.
fn place_at(raw: RawFd, to: RawFd) -> io::Result<()> {
    // SAFETY: see `unconfined_setup`: async-signal-safe calls on integers.
    unsafe {
        if raw == to {
            // dup2 onto itself would keep CLOEXEC: clear it instead.
            if libc::fcntl(raw, libc::F_SETFD, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
        } else if libc::dup2(raw, to) != to {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Duplicates `fd` (`CLOEXEC`) at 10 or above, so that placing it and
/// others at 3, 4 and 5 in the child never overwrites one with the other.
fn dup_high(fd: BorrowedFd<'_>) -> Result<OwnedFd, DomainError> {
    rustix::io::fcntl_dupfd_cloexec(fd, 10).map_err(|e| DomainError::Descriptor(io::Error::from(e)))
}

fn unconfined_setup(raw: RawFd, arenas: Arenas<RawFd>, parent: libc::pid_t) -> io::Result<()> {
    place_at(raw, EXTRA_FD)?;
    let [shared, out] = arenas;
    if let Some(arena) = shared {
        place_at(arena, crate::arena::ARENA_FD)?;
    }
    if let Some(arena) = out {
        place_at(arena, crate::out_arena::OUT_ARENA_FD)?;
    }
    // SAFETY: see the caller: async-signal-safe calls on integers only.
    unsafe {
        if libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        ) != 0
        {
            return Err(io::Error::last_os_error());
        }
        // The parent may have died before the signal was armed.
        if libc::getppid() != parent {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
    }
    Ok(())
}

/// Sends `SIGKILL` to the process `pidfd` refers to; ESRCH (already dead)
/// needs no handling.
pub(crate) fn kill_by_pidfd(pidfd: BorrowedFd<'_>) {
    // SAFETY: pidfd_send_signal with a valid descriptor, a valid signal, no
    // siginfo (null) and no flags.
    unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            libc::SIGKILL,
            std::ptr::null::<libc::siginfo_t>(),
            0 as libc::c_uint,
        )
    };
}

fn pidfd_open(pid: libc::pid_t) -> Result<OwnedFd, DomainError> {
    // SAFETY: pidfd_open takes a pid and flags; the pid is our unreaped
    // child, so it cannot have been recycled.
    let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0 as libc::c_uint) };
    if rc < 0 {
        let err = io::Error::last_os_error();
        kill_and_wait(pid);
        return Err(DomainError::PidFd(err));
    }
    // SAFETY: pidfd_open returned a new descriptor (CLOEXEC by default) that
    // nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as RawFd) })
}

fn kill_and_wait(pid: libc::pid_t) {
    // SAFETY: kill and waitpid on our own unreaped child, with a valid
    // (null) status pointer.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_exit_and_signal() {
        assert_eq!(Termination::classify(0, None), Termination::Exited(0));
        assert_eq!(
            Termination::classify(3 << 8, Some(7)),
            Termination::Exited(3)
        );
        assert_eq!(
            Termination::classify(libc::SIGSEGV, None),
            Termination::Signaled {
                signal: libc::SIGSEGV,
                name: "SIGSEGV"
            }
        );
        assert_eq!(
            Termination::classify(libc::SIGABRT | 0x80, None),
            Termination::Signaled {
                signal: libc::SIGABRT,
                name: "SIGABRT"
            }
        );
    }

    #[test]
    fn classify_violation() {
        let status = VIOLATION_EXIT_CODE << 8;
        assert_eq!(
            Termination::classify(status, Some(257 + 1)),
            Termination::SandboxViolation {
                syscall: 257,
                name: "openat"
            }
        );
        assert_eq!(
            Termination::classify(status, None),
            Termination::Exited(VIOLATION_EXIT_CODE)
        );
        assert_eq!(
            Termination::classify(status, Some(0)),
            Termination::Exited(VIOLATION_EXIT_CODE)
        );
        assert_eq!(
            Termination::Exited(VIOLATION_EXIT_CODE).with_violation_word(42),
            Termination::SandboxViolation {
                syscall: 41,
                name: "socket"
            }
        );
        let unknown = Termination::classify(status, Some(9999 + 1));
        assert_eq!(unknown.to_string(), "sandbox violation: syscall 9999");
    }

    #[test]
    fn restart_policy() {
        assert!(!RestartPolicy::Never.may_restart(0));
        let p = RestartPolicy::OnNextCall { max_restarts: 2 };
        assert!(p.may_restart(1));
        assert!(!p.may_restart(2));
        assert_eq!(
            RestartPolicy::Immediately { max_restarts: 5 }.max_restarts(),
            5
        );
    }

    #[test]
    fn signal_names() {
        assert_eq!(signal_name(libc::SIGKILL), "SIGKILL");
        assert_eq!(signal_name(200), "unknown");
    }

    #[test]
    fn spawn_true_and_false() {
        let devnull = std::fs::File::open("/dev/null").unwrap();
        let mut ok = Process::spawn(&DomainConfig::new("/bin/true"), devnull.as_fd()).unwrap();
        assert_eq!(
            ok.wait_timeout(Duration::from_secs(10)),
            Some(Termination::Exited(0))
        );
        // Idempotent after reaping.
        assert_eq!(ok.kill_and_reap(), Termination::Exited(0));
        let mut bad = Process::spawn(&DomainConfig::new("/bin/false"), devnull.as_fd()).unwrap();
        assert_eq!(
            bad.wait_timeout(Duration::from_secs(10)),
            Some(Termination::Exited(1))
        );
        let missing = Process::spawn(&DomainConfig::new("/nonexistent/x"), devnull.as_fd());
        assert!(matches!(missing, Err(DomainError::Spawn(_))));
    }
}

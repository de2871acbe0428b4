//! Confinement before code: the client confines a domain process in the
//! forked child, **before** `execve`, so that no instruction of the described
//! library runs outside the sandbox.
//!
//! # Why this is complete
//!
//! A domain executable links its C library, so the library's load-time code
//! (its constructors and `.init_array`, IFUNC resolvers, the constructors of
//! everything it pulls in) runs inside `execve`, before the domain's `main`.
//! A sandbox that `main` enters comes too late for that code, and a policy that
//! `main` reads (from its environment, its arguments or its memory) can be
//! rewritten by it. So the client does all of it in the child between `fork`
//! and `execve`, where only the client's own code runs:
//!
//! 1. descriptors: the shared memory at 3, the sealed shared arena
//!    ([`crate::arena`]) at 4 and the out arena ([`crate::out_arena`]) at 5 when the
//!    domain gets them, the executable and a socket to the
//!    client at two numbers at or above the descriptor limit (so the domain can
//!    never open a descriptor with either number again); everything else is
//!    closed, and stdin is `/dev/null`;
//! 2. signal dispositions reset to their defaults;
//! 3. when the client is root: the supplementary groups, group and user become
//!    [`SandboxPolicy::run_as`] (`nobody` by default), which drops every
//!    capability: the domain cannot read or write the client's memory through
//!    `/proc` or `ptrace`, whatever else its policy allows;
//! 4. a new user, network and IPC namespace: no network interface at all, no
//!    System V IPC shared with anyone, and a task count of its own, which
//!    `RLIMIT_NPROC` ([`SandboxPolicy::max_tasks`]) bounds for this domain alone;
//! 5. the parent-death signal, and a check that the parent is still the client;
//! 6. resource limits (address space, descriptors, core files, CPU, tasks);
//! 7. `no_new_privs`, then the seccomp filter: the policy's allowlist plus what
//!    the dynamic loader needs, every other call handed to the client's
//!    [supervisor](crate::supervise) instead of being run (`SECCOMP_RET_USER_NOTIF`);
//!    the supervisor names and records the call (in the client's memory, so the
//!    domain cannot forge or hide it) and kills the domain. Opening a file is
//!    one of those calls: the supervisor opens the file itself when the policy
//!    allows it, and hands the domain the descriptor;
//! 8. `execveat` of the executable's descriptor, the only `execve` the filter
//!    allows.
//!
//! The filter is inherited across `execve` and by every thread and cannot be
//! removed; it refuses `seccomp` and `prctl`, so the domain cannot even add to
//! it. Nothing the domain holds describes its policy: there is nothing to
//! rewrite.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use libc::c_long;
use seccompiler::{BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp};

use crate::arena::ARENA_FD;
use crate::domain::{Arenas, DomainConfig, EXTRA_FD};
use crate::out_arena::OUT_ARENA_FD;
use crate::sandbox::{self, SandboxPolicy};

/// A pid no process can have (Linux pids stay below 2^22): compiled into the
/// filter where the domain's own pid belongs, and patched in the child.
const PID_PLACEHOLDER: u32 = 0x7ffe_5a5a;

/// System calls that `execve`, the dynamic loader and the C and Rust run-time
/// start-up make, allowed whatever the policy says.
const LOADER_SYSCALLS: &[c_long] = &[
    libc::SYS_arch_prctl,
    libc::SYS_set_tid_address,
    libc::SYS_set_robust_list,
    libc::SYS_rseq,
    libc::SYS_pread64,
    libc::SYS_poll,
];

/// Calls a policy may not grant: they would bypass the supervisor's decision
/// on files, or the one allowed `execve`.
const NEVER_GRANTED: &[c_long] = &[
    libc::SYS_open,
    libc::SYS_openat,
    libc::SYS_openat2,
    libc::SYS_creat,
    libc::SYS_execve,
    libc::SYS_execveat,
    libc::SYS_seccomp,
    libc::SYS_prctl,
    libc::SYS_ptrace,
];

/// Everything the child does between `fork` and `execve`, prepared in the
/// parent: the child only makes system calls on memory prepared here.
pub(crate) struct Plan {
    filters: Vec<BpfProgram>,
    /// Indices, in the last filter, of the instructions comparing with
    /// [`PID_PLACEHOLDER`].
    pid_slots: Vec<usize>,
    exec: OwnedFd,
    exec_at: RawFd,
    socket: OwnedFd,
    socket_at: RawFd,
    shm: RawFd,
    /// The shared arena, placed at [`ARENA_FD`], and the out arena, at
    /// [`OUT_ARENA_FD`], when there are.
    arenas: Arenas<RawFd>,
    /// The child's stdin, stdout and stderr.
    stdio: [RawFd; 3],
    cwd: Option<CString>,
    limits: Vec<(libc::__rlimit_resource_t, u64)>,
    run_as: Option<(u32, u32)>,
    namespaces: libc::c_int,
    parent: libc::pid_t,
    // The strings `argv` and `envp` point into.
    _strings: Vec<CString>,
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
}

/// The socket end the client keeps: the child sends the supervisor's
/// descriptor over it, or why it failed.
pub(crate) struct ClientEnd(OwnedFd);

impl Plan {
    /// Prepares the confinement of `config.executable` under `policy`;
    /// `shm` is the descriptor the child holds the shared memory at, and
    /// `arenas` the shared and out arenas', if the domain gets them.
    pub(crate) fn prepare(
        config: &DomainConfig,
        env: &[(CString, CString)],
        policy: &SandboxPolicy,
        shm: RawFd,
        arenas: Arenas<RawFd>,
        stdio: [RawFd; 3],
    ) -> io::Result<(Plan, ClientEnd)> {
        if let Some(&nr) = policy
            .extra_syscalls
            .iter()
            .find(|nr| NEVER_GRANTED.contains(nr))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the policy grants `{}`, which no domain may make itself \
                     (files are granted by read_paths and write_paths)",
                    sandbox::syscall_name(nr as u32)
                ),
            ));
        }
        let exec = open_cloexec(config.executable.as_os_str()).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("the domain executable {}: {e}", config.executable.display()),
            )
        })?;
        let (client, child) = socket_pair()?;
        let limits = limits(policy)?;
        let nofile = limits
            .iter()
            .find(|&&(r, _)| r == libc::RLIMIT_NOFILE)
            .map_or(16, |&(_, v)| v);
        // At or above the limit: once closed, these numbers are never reused.
        let exec_at = RawFd::try_from(nofile.max(u64::from(OUT_ARENA_FD as u32) + 1))
            .map_err(|_| io::Error::other("descriptor limit out of range"))?;
        let socket_at = exec_at + 1;
        let (filters, pid_slots) = filters(policy, exec_at, socket_at)?;

        let mut strings = Vec::new();
        let arg0 = cstring(config.executable.as_os_str())?;
        let mut argv = vec![arg0.as_ptr()];
        strings.push(arg0);
        for arg in &config.args {
            let s = cstring(arg)?;
            argv.push(s.as_ptr());
            strings.push(s);
        }
        argv.push(std::ptr::null());
        let mut envp = Vec::new();
        for (k, v) in env {
            let mut kv = k.as_bytes().to_vec();
            kv.push(b'=');
            kv.extend_from_slice(v.as_bytes());
            let s = CString::new(kv).map_err(|_| io::Error::other("NUL in the environment"))?;
            envp.push(s.as_ptr());
            strings.push(s);
        }
        envp.push(std::ptr::null());
        // SAFETY: geteuid takes no arguments and cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let plan = Plan {
            filters,
            pid_slots,
            exec,
            exec_at,
            socket: child,
            socket_at,
            shm,
            arenas,
            stdio,
            cwd: config
                .current_dir
                .as_ref()
                .map(|d| cstring(d.as_os_str()))
                .transpose()?,
            limits,
            run_as: if root { Some(policy.run_as) } else { None },
            namespaces: if policy.namespaces {
                libc::CLONE_NEWUSER | libc::CLONE_NEWNET | libc::CLONE_NEWIPC
            } else {
                0
            },
            parent: std::process::id() as libc::pid_t,
            _strings: strings,
            argv,
            envp,
        };
        Ok((plan, ClientEnd(client)))
    }

    /// Forks; the child confines itself and executes the domain. Returns
    /// the child's pid once it executed, or why it failed (the step and the
    /// error), with the descriptor of its supervisor.
    pub(crate) fn spawn(mut self, end: &ClientEnd) -> io::Result<(libc::pid_t, OwnedFd)> {
        // SAFETY: fork in a threaded process: the child only makes raw system
        // calls on memory this plan prepared, then executes or exits.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(io::Error::last_os_error());
        }
        if pid == 0 {
            // SAFETY: in the child of fork, as `child` requires.
            unsafe { self.child() }
        }
        drop(self);
        match receive(end) {
            Ok(Message::Fd(listener)) => match receive(end) {
                // The socket closed at the exec.
                Ok(Message::End) => Ok((pid, listener)),
                Ok(Message::Failed(why)) => Err(reap(pid, why)),
                Ok(_) => Err(reap(pid, io::Error::other("unexpected message"))),
                Err(e) => Err(reap(pid, e)),
            },
            Ok(Message::Failed(why)) => Err(reap(pid, why)),
            Ok(_) => Err(reap(
                pid,
                io::Error::other("the child ended before it was confined"),
            )),
            Err(e) => Err(reap(pid, e)),
        }
    }

    /// In the child: confine, execute, or report the failure and exit.
    unsafe fn child(&mut self) -> ! {
        // SAFETY: the caller's contract; each step makes raw system calls
        // on memory the plan owns.
        let failure = match unsafe { self.confine() } {
            Err((step, e)) => step.encode(e),
            Ok(()) => {
                static EMPTY: &[u8] = b"\0";
                // SAFETY: argv and envp are NULL-terminated arrays of pointers
                // to NUL-terminated strings the plan owns; the path is "" with
                // AT_EMPTY_PATH, naming the executable's descriptor.
                unsafe {
                    libc::syscall(
                        libc::SYS_execveat,
                        self.exec_at,
                        EMPTY.as_ptr(),
                        self.argv.as_ptr(),
                        self.envp.as_ptr(),
                        libc::AT_EMPTY_PATH,
                    )
                };
                Step::Exec.encode(io::Error::last_os_error())
            }
        };
        let code = failure.raw_os_error().unwrap_or(libc::EIO);
        let bytes = code.to_le_bytes();
        // The socket is still at `socket_at` (it closes at the exec only).
        send(self.socket_at, &bytes, None);
        // SAFETY: _exit ends the process at once (exit_group), running no
        // handler of the parent's.
        unsafe { libc::_exit(127) }
    }

    unsafe fn confine(&mut self) -> Result<(), (Step, io::Error)> {
        let at = |step: Step| move |e: io::Error| (step, e);
        // 1. Descriptors, then the working directory.
        self.place_descriptors().map_err(at(Step::Descriptors))?;
        if let Some(dir) = &self.cwd {
            check(sys(libc::SYS_chdir, &[dir.as_ptr() as i64])).map_err(at(Step::Descriptors))?;
        }
        // 2. Signals.
        reset_signals();
        // 3. The user.
        if let Some((uid, gid)) = self.run_as {
            check(sys(libc::SYS_setgroups, &[0, 0]))
                .and_then(|_| check(sys(libc::SYS_setresgid, &[gid as i64; 3])))
                .and_then(|_| check(sys(libc::SYS_setresuid, &[uid as i64; 3])))
                .map_err(at(Step::User))?;
        }
        // 4. Namespaces.
        if self.namespaces != 0 {
            check(sys(libc::SYS_unshare, &[self.namespaces as i64]))
                .map_err(at(Step::Namespaces))?;
        }
        // 5. Parent death (after the credential changes, which clear it).
        check(sys(
            libc::SYS_prctl,
            &[libc::PR_SET_PDEATHSIG as i64, libc::SIGKILL as i64],
        ))
        .map_err(at(Step::ParentDeath))?;
        if sys(libc::SYS_getppid, &[]) != self.parent as i64 {
            return Err((Step::ParentDeath, io::Error::from_raw_os_error(libc::ESRCH)));
        }
        // 6. Limits.
        for &(resource, value) in &self.limits {
            let limit = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            // SAFETY: a valid rlimit the kernel reads.
            if unsafe { libc::setrlimit(resource, &limit) } != 0 {
                return Err((Step::Limits, io::Error::last_os_error()));
            }
        }
        // 7. The filter, whose last part hands refused calls to the client.
        check(sys(libc::SYS_prctl, &[libc::PR_SET_NO_NEW_PRIVS as i64, 1]))
            .map_err(at(Step::Filter))?;
        let pid = sys(libc::SYS_getpid, &[]) as u32;
        let last = self.filters.len() - 1;
        for &slot in &self.pid_slots {
            self.filters[last][slot].k = pid;
        }
        let mut listener = -1;
        for (i, filter) in self.filters.iter().enumerate() {
            let prog = libc::sock_fprog {
                len: filter.len() as u16,
                filter: filter.as_ptr() as *mut libc::sock_filter,
            };
            let flags = if i == last {
                libc::SECCOMP_FILTER_FLAG_NEW_LISTENER
            } else {
                0
            };
            let rc = sys(
                libc::SYS_seccomp,
                &[
                    libc::SECCOMP_SET_MODE_FILTER as i64,
                    flags as i64,
                    &prog as *const libc::sock_fprog as i64,
                ],
            );
            listener = check(rc).map_err(at(Step::Filter))? as RawFd;
        }
        check(send(self.socket_at, &[0], Some(listener))).map_err(at(Step::Supervisor))?;
        sys(libc::SYS_close, &[listener as i64]);
        Ok(())
    }

    /// Every descriptor the domain starts with goes to its number: first all
    /// of them above every target (so that none overwrites another), then
    /// down to their places; everything else is closed.
    fn place_descriptors(&self) -> io::Result<()> {
        let above = self.socket_at as i64 + 1;
        // An absent arena's number gets the shared memory too, and is
        // closed again below.
        let sources = [
            self.stdio[0],
            self.stdio[1],
            self.stdio[2],
            self.shm,
            self.arenas[0].unwrap_or(self.shm),
            self.arenas[1].unwrap_or(self.shm),
            self.exec.as_raw_fd(),
            self.socket.as_raw_fd(),
        ];
        let targets = [
            0,
            1,
            2,
            EXTRA_FD,
            ARENA_FD,
            OUT_ARENA_FD,
            self.exec_at,
            self.socket_at,
        ];
        let mut moved = [0i64; 8];
        for (m, &fd) in moved.iter_mut().zip(&sources) {
            *m = check(sys(
                libc::SYS_fcntl,
                &[fd as i64, libc::F_DUPFD_CLOEXEC as i64, above],
            ))?;
        }
        for (i, (&fd, &to)) in moved.iter().zip(&targets).enumerate() {
            // The domain keeps 0 to 5; the executable and the socket close
            // at the exec.
            let flags = if i < 6 { 0 } else { libc::O_CLOEXEC };
            check(sys(libc::SYS_dup3, &[fd, to as i64, flags as i64]))?;
        }
        for (arena, at) in self.arenas.iter().zip([ARENA_FD, OUT_ARENA_FD]) {
            if arena.is_none() {
                close_range(at as u32, at as u32)?;
            }
        }
        close_range(OUT_ARENA_FD as u32 + 1, self.exec_at as u32 - 1)?;
        close_range(self.socket_at as u32 + 1, u32::MAX)
    }
}

/// What the child said over the socket.
enum Message {
    /// The supervisor's descriptor.
    Fd(OwnedFd),
    /// Why it failed.
    Failed(io::Error),
    /// The socket closed: the child executed (or died).
    End,
}

/// Receives one message from the child (blocking).
fn receive(end: &ClientEnd) -> io::Result<Message> {
    let mut payload = [0u8; 4];
    let mut iov = libc::iovec {
        iov_base: payload.as_mut_ptr().cast(),
        iov_len: payload.len(),
    };
    let mut control = [0u64; 4];
    // SAFETY: an all-zero msghdr is a valid starting value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    let n = loop {
        // SAFETY: msg points to live buffers of the sizes it states.
        let n = unsafe { libc::recvmsg(end.0.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
        if n >= 0 || io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            break n;
        }
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: msg was filled in by recvmsg; CMSG_FIRSTHDR stays inside it.
    let header = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    // SAFETY: a non-null header lies within `control`.
    let rights = !header.is_null()
        && unsafe {
            (*header).cmsg_level == libc::SOL_SOCKET && (*header).cmsg_type == libc::SCM_RIGHTS
        };
    if rights {
        // SAFETY: an SCM_RIGHTS message holds an int after its header.
        let fd = unsafe { std::ptr::read_unaligned(libc::CMSG_DATA(header) as *const RawFd) };
        // SAFETY: a descriptor this process just received and nothing owns.
        return Ok(Message::Fd(unsafe { OwnedFd::from_raw_fd(fd) }));
    }
    Ok(match n {
        0 => Message::End,
        4 => {
            let code = i32::from_le_bytes(payload);
            let e = io::Error::from_raw_os_error(code);
            Message::Failed(match Step::explain(&e) {
                Some(why) => io::Error::other(why),
                None => e,
            })
        }
        _ => Message::Failed(io::Error::other("a malformed message from the child")),
    })
}

/// Reaps a child that failed before it executed, and returns `why`.
fn reap(pid: libc::pid_t, why: io::Error) -> io::Error {
    // SAFETY: kill and waitpid on our own unreaped child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
    why
}

/// The steps of [`Plan::enter_and_exec`], so that a failure says which one
/// failed. The child can pass its parent only an `errno` (through std's
/// pipe), so the step rides in the bits above the errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Descriptors = 1,
    User,
    Namespaces,
    ParentDeath,
    Limits,
    Filter,
    Supervisor,
    Exec,
}

const STEP_SHIFT: u32 = 16;

impl Step {
    const ALL: [Step; 8] = [
        Step::Descriptors,
        Step::User,
        Step::Namespaces,
        Step::ParentDeath,
        Step::Limits,
        Step::Filter,
        Step::Supervisor,
        Step::Exec,
    ];

    fn encode(self, e: io::Error) -> io::Error {
        let errno = e.raw_os_error().unwrap_or(libc::EIO) & 0xffff;
        io::Error::from_raw_os_error(((self as i32) << STEP_SHIFT) | errno)
    }

    /// What the parent says about a failed spawn: the step and the error,
    /// when the child encoded them.
    pub(crate) fn explain(e: &io::Error) -> Option<String> {
        let code = e.raw_os_error()?;
        let step = Step::ALL
            .into_iter()
            .find(|&s| s as i32 == code >> STEP_SHIFT)?;
        let errno = io::Error::from_raw_os_error(code & 0xffff);
        let what = match step {
            Step::Descriptors => "placing its descriptors",
            Step::User => "changing to the domain's user and group",
            Step::Namespaces => "entering new user, network and IPC namespaces",
            Step::ParentDeath => "arming the parent-death signal (or the client died)",
            Step::Limits => "setting its resource limits",
            Step::Filter => "installing the seccomp filter",
            Step::Supervisor => "handing the supervisor its descriptor",
            Step::Exec => "executing",
        };
        Some(format!("confining the domain failed while {what}: {errno}"))
    }
}

/// The filters, in the order they are installed: refusing `clone3` with
/// `ENOSYS` (its flags are out of a filter's reach; glibc falls back to
/// `clone`), then the allowlist, whose refusals go to the supervisor.
fn filters(
    policy: &SandboxPolicy,
    exec_at: RawFd,
    socket_at: RawFd,
) -> io::Result<(Vec<BpfProgram>, Vec<usize>)> {
    use SeccompCmpArgLen::{Dword, Qword};
    use SeccompCmpOp::Eq;
    let bad = |e: sandbox::SandboxError| io::Error::other(e.to_string());
    let mut rules = sandbox::allowlist_rules(policy, u64::from(PID_PLACEHOLDER)).map_err(bad)?;
    rules.insert(
        libc::SYS_execveat,
        vec![sandbox::rule(&[
            (0, Dword, Eq, exec_at as u64),
            (4, Dword, Eq, libc::AT_EMPTY_PATH as u64),
        ])
        .map_err(bad)?],
    );
    rules.insert(
        libc::SYS_sendmsg,
        vec![sandbox::rule(&[(0, Dword, Eq, socket_at as u64)]).map_err(bad)?],
    );
    // getrlimit, never setrlimit: the new limit must be NULL.
    rules
        .entry(libc::SYS_prlimit64)
        .or_insert(vec![sandbox::rule(&[(2, Qword, Eq, 0)]).map_err(bad)?]);
    // The server checks the shared memory's seals before it maps it.
    rules
        .entry(libc::SYS_fcntl)
        .or_insert(vec![sandbox::rule(&[(
            1,
            Dword,
            Eq,
            libc::F_GET_SEALS as u64,
        )])
        .map_err(bad)?]);
    for &nr in LOADER_SYSCALLS {
        rules.entry(nr).or_insert_with(Vec::new);
    }
    let mut programs = Vec::new();
    if rules.remove(&libc::SYS_clone3).is_some() {
        programs.push(
            sandbox::compile(
                BTreeMap::from([(libc::SYS_clone3, Vec::new())]),
                SeccompAction::Allow,
                SeccompAction::Errno(libc::ENOSYS as u32),
            )
            .map_err(bad)?,
        );
        rules.insert(libc::SYS_clone3, Vec::new());
    }
    let mut allowlist =
        sandbox::compile(rules, SeccompAction::Trap, SeccompAction::Allow).map_err(bad)?;
    let mut pid_slots = Vec::new();
    for (i, insn) in allowlist.iter_mut().enumerate() {
        // A refusal is a question to the supervisor, not a signal the
        // domain could catch.
        if insn.code == RET_K && insn.k == libc::SECCOMP_RET_TRAP {
            insn.k = libc::SECCOMP_RET_USER_NOTIF;
        }
        if insn.code == JEQ_K && insn.k == PID_PLACEHOLDER {
            pid_slots.push(i);
        }
    }
    programs.push(allowlist);
    Ok((programs, pid_slots))
}

const RET_K: u16 = (libc::BPF_RET | libc::BPF_K) as u16;
const JEQ_K: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;

/// The limits to set, clamped to the current hard limits.
fn limits(policy: &SandboxPolicy) -> io::Result<Vec<(libc::__rlimit_resource_t, u64)>> {
    let mut wanted = vec![
        (libc::RLIMIT_NOFILE, policy.max_open_files),
        (libc::RLIMIT_NPROC, policy.max_tasks),
    ];
    if let Some(bytes) = policy.address_space_limit {
        wanted.push((libc::RLIMIT_AS, bytes));
    }
    if policy.disable_core_dumps {
        wanted.push((libc::RLIMIT_CORE, 0));
    }
    if let Some(secs) = policy.cpu_time_limit {
        wanted.push((libc::RLIMIT_CPU, secs));
    }
    wanted
        .into_iter()
        .map(|(resource, value)| {
            let mut current = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: a valid rlimit for the kernel to fill in.
            if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok((resource, value.min(current.rlim_max)))
        })
        .collect()
}

fn cstring(s: &OsStr) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| io::Error::other("NUL in an argument"))
}

fn open_cloexec(path: &OsStr) -> io::Result<OwnedFd> {
    let c = cstring(path)?;
    // SAFETY: a NUL-terminated path; the result is checked.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        let e = io::Error::last_os_error();
        return Err(io::Error::new(
            e.kind(),
            format!("{}: {e}", std::path::Path::new(path).display()),
        ));
    }
    // SAFETY: a new descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn socket_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: a valid array of two ints for the kernel to fill in.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two new descriptors nothing else owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// A raw system call (no libc wrapper state, which the forked child of a
/// threaded process must not touch).
fn sys(nr: c_long, args: &[i64]) -> i64 {
    let a = |i: usize| args.get(i).copied().unwrap_or(0);
    // SAFETY: every call site passes the arguments its system call takes;
    // pointers among them point to live memory of the plan or the stack.
    unsafe { libc::syscall(nr, a(0), a(1), a(2), a(3), a(4), a(5)) as i64 }
}

fn check(rc: i64) -> io::Result<i64> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn close_range(first: u32, last: u32) -> io::Result<()> {
    if first > last {
        return Ok(());
    }
    check(sys(libc::SYS_close_range, &[first as i64, last as i64, 0])).map(|_| ())
}

fn reset_signals() {
    for signal in 1..=64 {
        if signal == libc::SIGKILL || signal == libc::SIGSTOP {
            continue;
        }
        // SAFETY: an all-zero sigaction is SIG_DFL with an empty mask.
        let action: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: a valid sigaction; the old one is not asked for. glibc
        // refuses its own two real-time signals (EINVAL): not ours to reset.
        unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) };
    }
    // SAFETY: an all-zero sigset_t is the empty set.
    let empty: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: a valid set; the old mask is not asked for.
    unsafe { libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut()) };
}

/// Sends `bytes`, and descriptor `fd` if given (SCM_RIGHTS), over the
/// socket at `socket`; returns the raw result.
fn send(socket: RawFd, bytes: &[u8], fd: Option<RawFd>) -> i64 {
    #[repr(C)]
    struct Control {
        header: libc::cmsghdr,
        fd: RawFd,
        _pad: u32,
    }
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    let mut control = Control {
        // SAFETY: an all-zero cmsghdr is a valid starting value.
        header: unsafe { std::mem::zeroed() },
        fd: fd.unwrap_or(-1),
        _pad: 0,
    };
    // SAFETY: CMSG_LEN only computes a length.
    control.header.cmsg_len = unsafe { libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) } as _;
    control.header.cmsg_level = libc::SOL_SOCKET;
    control.header.cmsg_type = libc::SCM_RIGHTS;
    // SAFETY: an all-zero msghdr is a valid starting value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if fd.is_some() {
        msg.msg_control = (&mut control as *mut Control).cast();
        // SAFETY: CMSG_SPACE only computes a length.
        msg.msg_controllen = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as _;
    }
    sys(
        libc::SYS_sendmsg,
        &[socket as i64, &msg as *const libc::msghdr as i64, 0],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_hand_refusals_to_the_supervisor_and_patch_the_pid() {
        let policy = SandboxPolicy::default();
        let (programs, slots) = filters(&policy, 16, 17).unwrap();
        assert_eq!(programs.len(), 2, "clone3 first, then the allowlist");
        let allowlist = programs.last().unwrap();
        assert!(allowlist
            .iter()
            .any(|i| i.code == RET_K && i.k == libc::SECCOMP_RET_USER_NOTIF));
        assert!(!allowlist
            .iter()
            .any(|i| i.code == RET_K && i.k == libc::SECCOMP_RET_TRAP));
        assert_eq!(slots.len(), 2, "kill and tgkill compare with the pid");
    }

    #[test]
    fn policies_cannot_grant_opening_or_executing() {
        for name in ["openat", "execve", "seccomp"] {
            let policy = SandboxPolicy {
                extra_syscalls: vec![sandbox::syscall_number(name).unwrap()],
                ..SandboxPolicy::default()
            };
            let config = DomainConfig::new("/bin/true");
            let err = Plan::prepare(&config, &[], &policy, 3, [None, None], [0, 1, 2])
                .err()
                .unwrap();
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}

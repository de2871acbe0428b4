//! Xen's public interface, as much of it as the unikernel uses: hypercall
//! and operation numbers, and the `repr(C)` layouts of the structures it
//! exchanges with Xen. Written from Xen 4.17's public headers
//! (`xen/include/public/`, Debian's `libxen-dev` installs them in
//! `/usr/include/xen`) for a 64-bit PV guest with
//! `__XEN_INTERFACE_VERSION__` at its latest (the non-compat numbers);
//! `tests/abi.rs` compiles the headers and compares every offset.

/// Hypercall numbers (`xen.h`).
pub mod hypercall {
    /// `__HYPERVISOR_update_va_mapping`.
    pub const UPDATE_VA_MAPPING: u64 = 14;
    /// `__HYPERVISOR_console_io`.
    pub const CONSOLE_IO: u64 = 18;
    /// `__HYPERVISOR_grant_table_op`.
    pub const GRANT_TABLE_OP: u64 = 20;
    /// `__HYPERVISOR_sched_op` (not `sched_op_compat`, 6).
    pub const SCHED_OP: u64 = 29;
    /// `__HYPERVISOR_event_channel_op` (not the compat 16).
    pub const EVENT_CHANNEL_OP: u64 = 32;
}

/// `SCHEDOP_*` (`sched.h`).
pub mod sched {
    /// Give up the CPU until an event arrives or `timeout` passes, for a
    /// set of ports (`struct sched_poll`).
    pub const POLL: u64 = 3;
    /// End the domain with a reason (`struct sched_shutdown`).
    pub const SHUTDOWN: u64 = 2;
}

/// Why the domain ends (`SHUTDOWN_*`, `sched.h`): the toolstack sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ShutdownReason {
    /// The domain exited normally.
    Poweroff = 0,
    /// Restart it.
    Reboot = 1,
    /// The domain crashed (a panic).
    Crash = 3,
}

/// `struct sched_shutdown`.
#[repr(C)]
pub struct SchedShutdown {
    /// A [`ShutdownReason`].
    pub reason: u32,
}

/// `struct sched_poll`.
#[repr(C)]
pub struct SchedPoll {
    /// Guest handle: the address of an array of `evtchn_port_t` (`u32`).
    pub ports: u64,
    /// How many ports the array holds (Xen allows at most 128).
    pub nr_ports: u32,
    /// Absolute Xen system time in nanoseconds; 0 waits without a timeout.
    pub timeout: u64,
}

/// `EVTCHNOP_*` (`event_channel.h`).
pub mod evtchnop {
    /// `struct evtchn_bind_interdomain`.
    pub const BIND_INTERDOMAIN: u64 = 0;
    /// `struct evtchn_close`.
    pub const CLOSE: u64 = 3;
    /// `struct evtchn_send`.
    pub const SEND: u64 = 4;
    /// `struct evtchn_alloc_unbound`.
    pub const ALLOC_UNBOUND: u64 = 6;
    /// `struct evtchn_unmask`.
    pub const UNMASK: u64 = 9;
}

/// `struct evtchn_bind_interdomain`.
#[repr(C)]
pub struct EvtchnBindInterdomain {
    /// IN: the peer domain.
    pub remote_dom: u16,
    /// IN: the peer's unbound port.
    pub remote_port: u32,
    /// OUT: our end.
    pub local_port: u32,
}

/// `struct evtchn_alloc_unbound`.
#[repr(C)]
pub struct EvtchnAllocUnbound {
    /// IN: the domain the port is allocated in (`DOMID_SELF`).
    pub dom: u16,
    /// IN: the domain allowed to bind it.
    pub remote_dom: u16,
    /// OUT: the port.
    pub port: u32,
}

/// `struct evtchn_send`, `struct evtchn_close` and `struct evtchn_unmask`:
/// a port alone.
#[repr(C)]
pub struct EvtchnPort {
    /// The local port.
    pub port: u32,
}

/// `DOMID_SELF` (`xen.h`).
pub const DOMID_SELF: u16 = 0x7FF0;

/// `GNTTABOP_*` (`grant_table.h`).
pub mod gnttabop {
    /// `struct gnttab_map_grant_ref`.
    pub const MAP_GRANT_REF: u64 = 0;
    /// `struct gnttab_unmap_grant_ref`.
    pub const UNMAP_GRANT_REF: u64 = 1;
    /// `struct gnttab_setup_table`: the frames of our own grant table.
    pub const SETUP_TABLE: u64 = 2;
}

/// `GNTMAP_host_map`: map the frame at `host_addr` (a virtual address).
pub const GNTMAP_HOST_MAP: u32 = 1 << 1;
/// `GNTMAP_readonly`.
pub const GNTMAP_READONLY: u32 = 1 << 2;
/// `GNTST_okay`.
pub const GNTST_OKAY: i16 = 0;

/// `GTF_permit_access` (`grant_entry_v1.flags`): the entry grants `frame`
/// to `domid`.
pub const GTF_PERMIT_ACCESS: u16 = 1;
/// `GTF_readonly`: the grantee may only map it read-only.
pub const GTF_READONLY: u16 = 1 << 2;
/// `GTF_reading`: Xen sets it while the grantee has the frame mapped.
pub const GTF_READING: u16 = 1 << 3;
/// `GTF_writing`: Xen sets it while the grantee has it mapped writable.
pub const GTF_WRITING: u16 = 1 << 4;

/// `struct gnttab_setup_table`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GnttabSetupTable {
    /// IN: `DOMID_SELF`.
    pub dom: u16,
    /// IN: how many frames of the table to set up.
    pub nr_frames: u32,
    /// OUT: `GNTST_*`.
    pub status: i16,
    /// IN: guest handle, the address of `nr_frames` `xen_pfn_t`s (`u64`),
    /// which Xen fills with the table's machine frames.
    pub frame_list: u64,
}

/// `grant_entry_v1_t`: one entry of a version 1 grant table.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GrantEntryV1 {
    /// `GTF_*`; written last, after a write barrier.
    pub flags: u16,
    /// The domain the frame is granted to.
    pub domid: u16,
    /// The machine frame granted.
    pub frame: u32,
}

/// `struct gnttab_map_grant_ref`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GnttabMapGrantRef {
    /// IN: the virtual address to map the frame at.
    pub host_addr: u64,
    /// IN: `GNTMAP_*`.
    pub flags: u32,
    /// IN: the grant reference.
    pub gref: u32,
    /// IN: the granting domain.
    pub dom: u16,
    /// OUT: `GNTST_*`.
    pub status: i16,
    /// OUT: the handle to unmap with.
    pub handle: u32,
    /// OUT: unused for host mappings.
    pub dev_bus_addr: u64,
}

/// `struct gnttab_unmap_grant_ref`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GnttabUnmapGrantRef {
    /// IN: the virtual address the frame is mapped at.
    pub host_addr: u64,
    /// IN: 0 for host mappings.
    pub dev_bus_addr: u64,
    /// IN: the handle the map returned.
    pub handle: u32,
    /// OUT: `GNTST_*`.
    pub status: i16,
}

/// `UVMF_INVLPG` (`xen.h`): flush the one TLB entry after the update.
pub const UVMF_INVLPG: u64 = 2;

/// Page-table entry bits of a read-write data mapping (present, writable,
/// user: a 64-bit PV kernel runs in ring 3; accessed and dirty preset).
pub const PTE_DATA: u64 = 0x1 | 0x2 | 0x4 | 0x20 | 0x40;

/// `__MACH2PHYS_VIRT_START`: Xen's read-only machine-to-physical table, one
/// `u64` pfn per machine frame (`arch-x86/xen-x86_64.h`).
pub const MACH2PHYS_VIRT_START: u64 = 0xFFFF_8000_0000_0000;
/// `__MACH2PHYS_VIRT_END`.
pub const MACH2PHYS_VIRT_END: u64 = 0xFFFF_8040_0000_0000;

/// `struct start_info` (`xen.h`), the part filled in at boot.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct StartInfo {
    /// `"xen-<version>-<platform>"`.
    pub magic: [u8; 32],
    /// Pages allocated to the domain.
    pub nr_pages: u64,
    /// Machine address of the shared info page.
    pub shared_info: u64,
    /// `SIF_*`.
    pub flags: u32,
    /// Machine frame of the XenStore ring.
    pub store_mfn: u64,
    /// Event channel of the XenStore ring.
    pub store_evtchn: u32,
    /// Machine frame of the console ring (`console.domU.mfn`).
    pub console_mfn: u64,
    /// Event channel of the console ring (`console.domU.evtchn`).
    pub console_evtchn: u32,
    /// Virtual address of the bootstrap page tables.
    pub pt_base: u64,
    /// Number of bootstrap page-table frames.
    pub nr_pt_frames: u64,
    /// Virtual address of the pfn-to-mfn list.
    pub mfn_list: u64,
    /// Virtual address of a module (none here).
    pub mod_start: u64,
    /// Its length.
    pub mod_len: u64,
    /// The command line (`cmdline=` of the xl configuration), NUL-terminated.
    pub cmd_line: [u8; 1024],
    /// First pfn of the initial p2m table.
    pub first_p2m_pfn: u64,
    /// Number of its frames.
    pub nr_p2m_frames: u64,
}

/// Offsets in the shared info page (`struct shared_info`, `xen.h`).
pub mod shared_info {
    /// `vcpu_info[0].evtchn_upcall_mask` (`u8`).
    pub const VCPU0_UPCALL_MASK: usize = 1;
    /// `vcpu_info[0].time` (`struct vcpu_time_info`).
    pub const VCPU0_TIME: usize = 32;
    /// `evtchn_pending[64]` (`u64` each).
    pub const EVTCHN_PENDING: usize = 2048;
    /// `evtchn_mask[64]`.
    pub const EVTCHN_MASK: usize = 2560;
    /// Ports of the 2-level event-channel ABI: 64 words of 64 bits.
    pub const NR_PORTS: u32 = 64 * 64;
}

/// Offsets in `struct vcpu_time_info` (`xen.h`).
pub mod vcpu_time {
    /// `version` (`u32`): odd while Xen updates the others.
    pub const VERSION: usize = 0;
    /// `tsc_timestamp` (`u64`).
    pub const TSC_TIMESTAMP: usize = 8;
    /// `system_time` (`u64`, ns since boot).
    pub const SYSTEM_TIME: usize = 16;
    /// `tsc_to_system_mul` (`u32`).
    pub const TSC_TO_SYSTEM_MUL: usize = 24;
    /// `tsc_shift` (`i8`).
    pub const TSC_SHIFT: usize = 28;
}

/// Offsets in `struct xencons_interface` (`io/console.h`).
pub mod console {
    /// `out[2048]`: the guest's output.
    pub const OUT: usize = 1024;
    /// Size of `out`.
    pub const OUT_SIZE: u32 = 2048;
    /// `out_cons` (`u32`), advanced by the console daemon.
    pub const OUT_CONS: usize = 3080;
    /// `out_prod` (`u32`), advanced by the guest.
    pub const OUT_PROD: usize = 3084;
}

/// Offsets in `struct xenstore_domain_interface` (`io/xs_wire.h`).
pub mod xenstore {
    /// `req[1024]`: requests to the daemon.
    pub const REQ: usize = 0;
    /// `rsp[1024]`: replies and watch events.
    pub const RSP: usize = 1024;
    /// `XENSTORE_RING_SIZE`.
    pub const RING_SIZE: u32 = 1024;
    /// `req_cons` (`u32`, the daemon's).
    pub const REQ_CONS: usize = 2048;
    /// `req_prod` (`u32`, ours).
    pub const REQ_PROD: usize = 2052;
    /// `rsp_cons` (`u32`, ours).
    pub const RSP_CONS: usize = 2056;
    /// `rsp_prod` (`u32`, the daemon's).
    pub const RSP_PROD: usize = 2060;
    /// `XENSTORE_PAYLOAD_MAX`.
    pub const PAYLOAD_MAX: u32 = 4096;
}

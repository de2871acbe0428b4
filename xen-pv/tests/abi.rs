//! The hand-written Xen interface (`src/abi.rs`, the vchan and XenStore
//! offsets) against Xen's own public headers: `tests/abi.c` is compiled
//! with the host's C compiler against Debian's `libxen-dev` headers and
//! prints every number and offset; each must equal ours.
//!
//! Needs `cc` and `/usr/include/xen` (`scripts/install-deps` installs
//! `libxen-dev`); without them the test fails, naming what is missing.

use std::collections::HashMap;
use std::mem::{offset_of, size_of};
use std::process::Command;

use xen_pv::abi::*;
use xen_pv::vchan::endpoint as vchan;
use xen_pv::vchan::layout::GRANTS_OFFSET;
use xen_pv::xenstore::wire::MsgType;

fn header_values() -> HashMap<String, u64> {
    // One directory per call: the tests run in parallel, and each removes its own.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("xen-pv-abi-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("abi");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/abi.c");
    let cc = Command::new("cc")
        .args(["-Wall", "-Werror", "-o"])
        .arg(&exe)
        .arg(src)
        .output()
        .expect("no C compiler (cc) to compile tests/abi.c");
    assert!(
        cc.status.success(),
        "tests/abi.c does not compile (are Xen's headers, libxen-dev, installed?):\n{}",
        String::from_utf8_lossy(&cc.stderr)
    );
    let out = Command::new(&exe).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

/// Hypercall, operation and flag numbers.
fn numbers() -> Vec<(&'static str, u64)> {
    vec![
        (
            "__HYPERVISOR_update_va_mapping",
            hypercall::UPDATE_VA_MAPPING,
        ),
        ("__HYPERVISOR_console_io", hypercall::CONSOLE_IO),
        ("__HYPERVISOR_grant_table_op", hypercall::GRANT_TABLE_OP),
        ("__HYPERVISOR_sched_op", hypercall::SCHED_OP),
        ("__HYPERVISOR_event_channel_op", hypercall::EVENT_CHANNEL_OP),
        ("SCHEDOP_poll", sched::POLL),
        ("SCHEDOP_shutdown", sched::SHUTDOWN),
        ("SHUTDOWN_poweroff", ShutdownReason::Poweroff as u64),
        ("SHUTDOWN_reboot", ShutdownReason::Reboot as u64),
        ("SHUTDOWN_crash", ShutdownReason::Crash as u64),
        ("EVTCHNOP_bind_interdomain", evtchnop::BIND_INTERDOMAIN),
        ("EVTCHNOP_close", evtchnop::CLOSE),
        ("EVTCHNOP_send", evtchnop::SEND),
        ("EVTCHNOP_alloc_unbound", evtchnop::ALLOC_UNBOUND),
        ("EVTCHNOP_unmask", evtchnop::UNMASK),
        ("DOMID_SELF", DOMID_SELF.into()),
        ("GNTTABOP_map_grant_ref", gnttabop::MAP_GRANT_REF),
        ("GNTTABOP_unmap_grant_ref", gnttabop::UNMAP_GRANT_REF),
        ("GNTMAP_host_map", GNTMAP_HOST_MAP.into()),
        ("GNTMAP_readonly", GNTMAP_READONLY.into()),
        ("GNTTABOP_setup_table", gnttabop::SETUP_TABLE),
        ("GTF_permit_access", GTF_PERMIT_ACCESS.into()),
        ("GTF_readonly", GTF_READONLY.into()),
        ("GTF_reading", GTF_READING.into()),
        ("GTF_writing", GTF_WRITING.into()),
        ("UVMF_INVLPG", UVMF_INVLPG),
        ("MACH2PHYS_VIRT_START", MACH2PHYS_VIRT_START),
        ("MACH2PHYS_VIRT_END", MACH2PHYS_VIRT_END),
    ]
}

/// The hypercall argument structures.
fn hypercall_structs() -> Vec<(&'static str, u64)> {
    vec![
        ("sizeof sched_shutdown", size_of::<SchedShutdown>() as u64),
        ("sizeof sched_poll", size_of::<SchedPoll>() as u64),
        ("sched_poll.ports", offset_of!(SchedPoll, ports) as u64),
        (
            "sched_poll.nr_ports",
            offset_of!(SchedPoll, nr_ports) as u64,
        ),
        ("sched_poll.timeout", offset_of!(SchedPoll, timeout) as u64),
        (
            "sizeof evtchn_bind_interdomain",
            size_of::<EvtchnBindInterdomain>() as u64,
        ),
        (
            "evtchn_bind_interdomain.remote_dom",
            offset_of!(EvtchnBindInterdomain, remote_dom) as u64,
        ),
        (
            "evtchn_bind_interdomain.remote_port",
            offset_of!(EvtchnBindInterdomain, remote_port) as u64,
        ),
        (
            "evtchn_bind_interdomain.local_port",
            offset_of!(EvtchnBindInterdomain, local_port) as u64,
        ),
        (
            "sizeof evtchn_alloc_unbound",
            size_of::<EvtchnAllocUnbound>() as u64,
        ),
        (
            "evtchn_alloc_unbound.dom",
            offset_of!(EvtchnAllocUnbound, dom) as u64,
        ),
        (
            "evtchn_alloc_unbound.remote_dom",
            offset_of!(EvtchnAllocUnbound, remote_dom) as u64,
        ),
        (
            "evtchn_alloc_unbound.port",
            offset_of!(EvtchnAllocUnbound, port) as u64,
        ),
        ("sizeof evtchn_send", size_of::<EvtchnPort>() as u64),
        (
            "sizeof gnttab_map_grant_ref",
            size_of::<GnttabMapGrantRef>() as u64,
        ),
        (
            "gnttab_map_grant_ref.host_addr",
            offset_of!(GnttabMapGrantRef, host_addr) as u64,
        ),
        (
            "gnttab_map_grant_ref.flags",
            offset_of!(GnttabMapGrantRef, flags) as u64,
        ),
        (
            "gnttab_map_grant_ref.ref",
            offset_of!(GnttabMapGrantRef, gref) as u64,
        ),
        (
            "gnttab_map_grant_ref.dom",
            offset_of!(GnttabMapGrantRef, dom) as u64,
        ),
        (
            "gnttab_map_grant_ref.status",
            offset_of!(GnttabMapGrantRef, status) as u64,
        ),
        (
            "gnttab_map_grant_ref.handle",
            offset_of!(GnttabMapGrantRef, handle) as u64,
        ),
        (
            "gnttab_map_grant_ref.dev_bus_addr",
            offset_of!(GnttabMapGrantRef, dev_bus_addr) as u64,
        ),
        (
            "sizeof gnttab_unmap_grant_ref",
            size_of::<GnttabUnmapGrantRef>() as u64,
        ),
        (
            "gnttab_unmap_grant_ref.host_addr",
            offset_of!(GnttabUnmapGrantRef, host_addr) as u64,
        ),
        (
            "gnttab_unmap_grant_ref.dev_bus_addr",
            offset_of!(GnttabUnmapGrantRef, dev_bus_addr) as u64,
        ),
        (
            "gnttab_unmap_grant_ref.handle",
            offset_of!(GnttabUnmapGrantRef, handle) as u64,
        ),
        (
            "gnttab_unmap_grant_ref.status",
            offset_of!(GnttabUnmapGrantRef, status) as u64,
        ),
        (
            "sizeof gnttab_setup_table",
            size_of::<GnttabSetupTable>() as u64,
        ),
        (
            "gnttab_setup_table.dom",
            offset_of!(GnttabSetupTable, dom) as u64,
        ),
        (
            "gnttab_setup_table.nr_frames",
            offset_of!(GnttabSetupTable, nr_frames) as u64,
        ),
        (
            "gnttab_setup_table.status",
            offset_of!(GnttabSetupTable, status) as u64,
        ),
        (
            "gnttab_setup_table.frame_list",
            offset_of!(GnttabSetupTable, frame_list) as u64,
        ),
        ("sizeof grant_entry_v1", size_of::<GrantEntryV1>() as u64),
        (
            "grant_entry_v1.flags",
            offset_of!(GrantEntryV1, flags) as u64,
        ),
        (
            "grant_entry_v1.domid",
            offset_of!(GrantEntryV1, domid) as u64,
        ),
        (
            "grant_entry_v1.frame",
            offset_of!(GrantEntryV1, frame) as u64,
        ),
    ]
}

/// `start_info` and the shared info page.
fn boot_structs() -> Vec<(&'static str, u64)> {
    vec![
        ("sizeof start_info", size_of::<StartInfo>() as u64),
        (
            "start_info.nr_pages",
            offset_of!(StartInfo, nr_pages) as u64,
        ),
        (
            "start_info.shared_info",
            offset_of!(StartInfo, shared_info) as u64,
        ),
        ("start_info.flags", offset_of!(StartInfo, flags) as u64),
        (
            "start_info.store_mfn",
            offset_of!(StartInfo, store_mfn) as u64,
        ),
        (
            "start_info.store_evtchn",
            offset_of!(StartInfo, store_evtchn) as u64,
        ),
        (
            "start_info.console.domU.mfn",
            offset_of!(StartInfo, console_mfn) as u64,
        ),
        (
            "start_info.console.domU.evtchn",
            offset_of!(StartInfo, console_evtchn) as u64,
        ),
        ("start_info.pt_base", offset_of!(StartInfo, pt_base) as u64),
        (
            "start_info.nr_pt_frames",
            offset_of!(StartInfo, nr_pt_frames) as u64,
        ),
        (
            "start_info.mfn_list",
            offset_of!(StartInfo, mfn_list) as u64,
        ),
        (
            "start_info.mod_start",
            offset_of!(StartInfo, mod_start) as u64,
        ),
        ("start_info.mod_len", offset_of!(StartInfo, mod_len) as u64),
        (
            "start_info.cmd_line",
            offset_of!(StartInfo, cmd_line) as u64,
        ),
        (
            "start_info.first_p2m_pfn",
            offset_of!(StartInfo, first_p2m_pfn) as u64,
        ),
        (
            "start_info.nr_p2m_frames",
            offset_of!(StartInfo, nr_p2m_frames) as u64,
        ),
        (
            "shared_info.vcpu_info[0].evtchn_upcall_mask",
            shared_info::VCPU0_UPCALL_MASK as u64,
        ),
        (
            "shared_info.vcpu_info[0].time",
            shared_info::VCPU0_TIME as u64,
        ),
        (
            "shared_info.evtchn_pending",
            shared_info::EVTCHN_PENDING as u64,
        ),
        ("shared_info.evtchn_mask", shared_info::EVTCHN_MASK as u64),
        (
            "sizeof evtchn_pending",
            u64::from(shared_info::NR_PORTS) / 8,
        ),
        ("vcpu_time_info.version", vcpu_time::VERSION as u64),
        (
            "vcpu_time_info.tsc_timestamp",
            vcpu_time::TSC_TIMESTAMP as u64,
        ),
        ("vcpu_time_info.system_time", vcpu_time::SYSTEM_TIME as u64),
        (
            "vcpu_time_info.tsc_to_system_mul",
            vcpu_time::TSC_TO_SYSTEM_MUL as u64,
        ),
        ("vcpu_time_info.tsc_shift", vcpu_time::TSC_SHIFT as u64),
    ]
}

/// The console, XenStore and vchan pages.
fn rings() -> Vec<(&'static str, u64)> {
    vec![
        ("xencons_interface.out", console::OUT as u64),
        ("sizeof xencons_interface.out", console::OUT_SIZE.into()),
        ("xencons_interface.out_cons", console::OUT_CONS as u64),
        ("xencons_interface.out_prod", console::OUT_PROD as u64),
        ("xenstore_domain_interface.req", xenstore::REQ as u64),
        ("xenstore_domain_interface.rsp", xenstore::RSP as u64),
        ("XENSTORE_RING_SIZE", xenstore::RING_SIZE.into()),
        (
            "xenstore_domain_interface.req_cons",
            xenstore::REQ_CONS as u64,
        ),
        (
            "xenstore_domain_interface.req_prod",
            xenstore::REQ_PROD as u64,
        ),
        (
            "xenstore_domain_interface.rsp_cons",
            xenstore::RSP_CONS as u64,
        ),
        (
            "xenstore_domain_interface.rsp_prod",
            xenstore::RSP_PROD as u64,
        ),
        ("XENSTORE_PAYLOAD_MAX", xenstore::PAYLOAD_MAX.into()),
        ("XS_DIRECTORY", MsgType::Directory as u64),
        ("XS_READ", MsgType::Read as u64),
        ("XS_WATCH", MsgType::Watch as u64),
        ("XS_UNWATCH", MsgType::Unwatch as u64),
        ("XS_TRANSACTION_START", MsgType::TransactionStart as u64),
        ("XS_TRANSACTION_END", MsgType::TransactionEnd as u64),
        ("XS_WRITE", MsgType::Write as u64),
        ("XS_MKDIR", MsgType::Mkdir as u64),
        ("XS_RM", MsgType::Rm as u64),
        ("XS_SET_PERMS", MsgType::SetPerms as u64),
        ("XS_WATCH_EVENT", MsgType::WatchEvent as u64),
        ("XS_ERROR", MsgType::Error as u64),
        ("vchan_interface.left", 0),
        ("vchan_interface.right", 8),
        ("vchan_interface.left_order", vchan::LEFT_ORDER as u64),
        ("vchan_interface.right_order", vchan::RIGHT_ORDER as u64),
        ("vchan_interface.cli_live", vchan::CLI_LIVE as u64),
        ("vchan_interface.srv_live", vchan::SRV_LIVE as u64),
        ("vchan_interface.cli_notify", vchan::CLI_NOTIFY as u64),
        ("vchan_interface.srv_notify", vchan::SRV_NOTIFY as u64),
        ("vchan_interface.grants", GRANTS_OFFSET as u64),
        ("VCHAN_NOTIFY_WRITE", vchan::NOTIFY_WRITE.into()),
        ("VCHAN_NOTIFY_READ", vchan::NOTIFY_READ.into()),
    ]
}

#[test]
fn every_number_and_offset_matches_xens_headers() {
    let c = header_values();
    let ours = [numbers(), hypercall_structs(), boot_structs(), rings()].concat();
    let mut wrong = Vec::new();
    for (name, value) in &ours {
        match c.get(*name) {
            Some(v) if v == value => {}
            Some(v) => wrong.push(format!("{name}: headers {v}, ours {value}")),
            None => wrong.push(format!("{name}: not printed by tests/abi.c")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `struct xs_permissions` (`xenstore_lib.h`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct XsPermissions {
    id: std::ffi::c_uint,
    perms: std::ffi::c_uint,
}

#[link(name = "xenstore")]
extern "C" {
    fn xs_strings_to_perms(
        perms: *mut XsPermissions,
        num: std::ffi::c_uint,
        strings: *const std::ffi::c_char,
    ) -> bool;
}

#[test]
fn permissions_parse_as_xenstores_own_library_reads_them() {
    use xen_pv::xenstore::wire::{encode_perms, Access, Perm};
    let c = header_values();
    let value = |name: &str| c[name] as std::ffi::c_uint;
    let (none, read, write) = (
        value("XS_PERM_NONE"),
        value("XS_PERM_READ"),
        value("XS_PERM_WRITE"),
    );
    let cases = [
        (Access::None, none),
        (Access::Read, read),
        (Access::Write, write),
        (Access::Both, read | write),
    ];
    for (i, (access, expected)) in cases.iter().enumerate() {
        // What the vchan server sets: owner `me` (nobody else), one reader.
        let ours = [
            Perm {
                domid: 7 + i as u16,
                access: *access,
            },
            Perm {
                domid: 0,
                access: Access::Read,
            },
            Perm {
                domid: u16::MAX - 1,
                access: *access,
            },
        ];
        let encoded = encode_perms(&ours);
        let mut parsed = [XsPermissions::default(); 3];
        // SAFETY: `encoded` holds three NUL-terminated strings, `parsed`
        // room for three results.
        let ok = unsafe { xs_strings_to_perms(parsed.as_mut_ptr(), 3, encoded.as_ptr().cast()) };
        assert!(
            ok,
            "libxenstore refuses {:?}",
            String::from_utf8_lossy(&encoded)
        );
        let want = [
            XsPermissions {
                id: 7 + i as u32,
                perms: *expected,
            },
            XsPermissions { id: 0, perms: read },
            XsPermissions {
                id: u32::from(u16::MAX - 1),
                perms: *expected,
            },
        ];
        assert_eq!(parsed, want, "{:?}", String::from_utf8_lossy(&encoded));
    }
}

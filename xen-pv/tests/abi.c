/* Prints what Xen's public headers (Debian's libxen-dev) say of every
 * number and layout the unikernel writes by hand in src/abi.rs, one
 * "name value" line each; tests/abi.rs compares. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include <xen/io/libxenvchan.h>
#include <xenstore_lib.h>

#define N(name, value) printf("%s %llu\n", name, (unsigned long long)(value))
#define OFF(type, field) N(#type "." #field, offsetof(struct type, field))
#define SIZE(type) N("sizeof " #type, sizeof(struct type))

int main(void)
{
    N("__HYPERVISOR_update_va_mapping", __HYPERVISOR_update_va_mapping);
    N("__HYPERVISOR_console_io", __HYPERVISOR_console_io);
    N("__HYPERVISOR_grant_table_op", __HYPERVISOR_grant_table_op);
    N("__HYPERVISOR_sched_op", __HYPERVISOR_sched_op);
    N("__HYPERVISOR_event_channel_op", __HYPERVISOR_event_channel_op);
    N("SCHEDOP_poll", SCHEDOP_poll);
    N("SCHEDOP_shutdown", SCHEDOP_shutdown);
    N("SHUTDOWN_poweroff", SHUTDOWN_poweroff);
    N("SHUTDOWN_reboot", SHUTDOWN_reboot);
    N("SHUTDOWN_crash", SHUTDOWN_crash);
    N("EVTCHNOP_bind_interdomain", EVTCHNOP_bind_interdomain);
    N("EVTCHNOP_close", EVTCHNOP_close);
    N("EVTCHNOP_send", EVTCHNOP_send);
    N("EVTCHNOP_alloc_unbound", EVTCHNOP_alloc_unbound);
    N("EVTCHNOP_unmask", EVTCHNOP_unmask);
    N("DOMID_SELF", DOMID_SELF);
    N("GNTTABOP_map_grant_ref", GNTTABOP_map_grant_ref);
    N("GNTTABOP_unmap_grant_ref", GNTTABOP_unmap_grant_ref);
    N("GNTTABOP_setup_table", GNTTABOP_setup_table);
    N("GNTMAP_host_map", GNTMAP_host_map);
    N("GNTMAP_readonly", GNTMAP_readonly);
    N("GTF_permit_access", GTF_permit_access);
    N("GTF_readonly", GTF_readonly);
    N("GTF_reading", GTF_reading);
    N("GTF_writing", GTF_writing);
    N("UVMF_INVLPG", UVMF_INVLPG);
    N("MACH2PHYS_VIRT_START", MACH2PHYS_VIRT_START);
    N("MACH2PHYS_VIRT_END", MACH2PHYS_VIRT_END);

    SIZE(sched_shutdown);
    SIZE(sched_poll);
    OFF(sched_poll, ports);
    OFF(sched_poll, nr_ports);
    OFF(sched_poll, timeout);
    SIZE(evtchn_bind_interdomain);
    OFF(evtchn_bind_interdomain, remote_dom);
    OFF(evtchn_bind_interdomain, remote_port);
    OFF(evtchn_bind_interdomain, local_port);
    SIZE(evtchn_alloc_unbound);
    OFF(evtchn_alloc_unbound, dom);
    OFF(evtchn_alloc_unbound, remote_dom);
    OFF(evtchn_alloc_unbound, port);
    SIZE(evtchn_send);
    SIZE(gnttab_map_grant_ref);
    OFF(gnttab_map_grant_ref, host_addr);
    OFF(gnttab_map_grant_ref, flags);
    OFF(gnttab_map_grant_ref, ref);
    OFF(gnttab_map_grant_ref, dom);
    OFF(gnttab_map_grant_ref, status);
    OFF(gnttab_map_grant_ref, handle);
    OFF(gnttab_map_grant_ref, dev_bus_addr);
    SIZE(gnttab_unmap_grant_ref);
    OFF(gnttab_unmap_grant_ref, host_addr);
    OFF(gnttab_unmap_grant_ref, dev_bus_addr);
    OFF(gnttab_unmap_grant_ref, handle);
    OFF(gnttab_unmap_grant_ref, status);
    SIZE(gnttab_setup_table);
    OFF(gnttab_setup_table, dom);
    OFF(gnttab_setup_table, nr_frames);
    OFF(gnttab_setup_table, status);
    OFF(gnttab_setup_table, frame_list);
    SIZE(grant_entry_v1);
    OFF(grant_entry_v1, flags);
    OFF(grant_entry_v1, domid);
    OFF(grant_entry_v1, frame);

    SIZE(start_info);
    OFF(start_info, nr_pages);
    OFF(start_info, shared_info);
    OFF(start_info, flags);
    OFF(start_info, store_mfn);
    OFF(start_info, store_evtchn);
    OFF(start_info, console.domU.mfn);
    OFF(start_info, console.domU.evtchn);
    OFF(start_info, pt_base);
    OFF(start_info, nr_pt_frames);
    OFF(start_info, mfn_list);
    OFF(start_info, mod_start);
    OFF(start_info, mod_len);
    OFF(start_info, cmd_line);
    OFF(start_info, first_p2m_pfn);
    OFF(start_info, nr_p2m_frames);

    OFF(shared_info, vcpu_info[0].evtchn_upcall_mask);
    OFF(shared_info, vcpu_info[0].time);
    OFF(shared_info, evtchn_pending);
    OFF(shared_info, evtchn_mask);
    N("sizeof evtchn_pending", sizeof(((struct shared_info *)0)->evtchn_pending));
    OFF(vcpu_time_info, version);
    OFF(vcpu_time_info, tsc_timestamp);
    OFF(vcpu_time_info, system_time);
    OFF(vcpu_time_info, tsc_to_system_mul);
    OFF(vcpu_time_info, tsc_shift);

    OFF(xencons_interface, out);
    N("sizeof xencons_interface.out", sizeof(((struct xencons_interface *)0)->out));
    OFF(xencons_interface, out_cons);
    OFF(xencons_interface, out_prod);

    OFF(xenstore_domain_interface, req);
    OFF(xenstore_domain_interface, rsp);
    N("XENSTORE_RING_SIZE", XENSTORE_RING_SIZE);
    OFF(xenstore_domain_interface, req_cons);
    OFF(xenstore_domain_interface, req_prod);
    OFF(xenstore_domain_interface, rsp_cons);
    OFF(xenstore_domain_interface, rsp_prod);
    N("XENSTORE_PAYLOAD_MAX", XENSTORE_PAYLOAD_MAX);
    N("XS_DIRECTORY", XS_DIRECTORY);
    N("XS_READ", XS_READ);
    N("XS_WATCH", XS_WATCH);
    N("XS_UNWATCH", XS_UNWATCH);
    N("XS_TRANSACTION_START", XS_TRANSACTION_START);
    N("XS_TRANSACTION_END", XS_TRANSACTION_END);
    N("XS_WRITE", XS_WRITE);
    N("XS_MKDIR", XS_MKDIR);
    N("XS_RM", XS_RM);
    N("XS_SET_PERMS", XS_SET_PERMS);
    N("XS_WATCH_EVENT", XS_WATCH_EVENT);
    N("XS_ERROR", XS_ERROR);
    N("XS_PERM_NONE", XS_PERM_NONE);
    N("XS_PERM_READ", XS_PERM_READ);
    N("XS_PERM_WRITE", XS_PERM_WRITE);

    OFF(vchan_interface, left);
    OFF(vchan_interface, right);
    OFF(vchan_interface, left_order);
    OFF(vchan_interface, right_order);
    OFF(vchan_interface, cli_live);
    OFF(vchan_interface, srv_live);
    OFF(vchan_interface, cli_notify);
    OFF(vchan_interface, srv_notify);
    OFF(vchan_interface, grants);
    N("VCHAN_NOTIFY_WRITE", VCHAN_NOTIFY_WRITE);
    N("VCHAN_NOTIFY_READ", VCHAN_NOTIFY_READ);
    return 0;
}

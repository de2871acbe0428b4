//! The toolstack's half of a unikernel's library guest (`xen-e2e/`): runs in
//! dom0, creates the guest (`xl create`) for the client domain named on the
//! command line, and keeps it (`XenGuest::keep_for`): the client reads the
//! guest's domain id and, after a crash, how it died from its own XenStore
//! directory, and the guest is restarted on the launcher's restart policy,
//! as it would be for an application in dom0. Prints one `KEEPER` line per
//! start and death; ends (destroying the guest) when the client is gone.
//!
//! Usage: `xen-keeper <guest name> <xl config> <client domid> <key>`, the
//! key relative to the client's `/local/domain/<id>/`.

use std::time::Duration;

use ffi_isolate::xen::launcher::{KeepEvent, XenGuest};
use ffi_isolate::RestartPolicy;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, name, config, client, key] = &args[..] else {
        eprintln!("usage: xen-keeper <guest> <xl config> <client domid> <key>");
        std::process::exit(2)
    };
    let Ok(client) = client.parse::<u16>() else {
        eprintln!("xen-keeper: the client's domain id is a number, not {client:?}");
        std::process::exit(2)
    };
    let policy = RestartPolicy::OnNextCall { max_restarts: 3 };
    let guest = match XenGuest::create_with_policy(name, config, policy) {
        Ok(g) => g,
        Err(e) => {
            println!("KEEPER {name}: cannot create: {e}");
            std::process::exit(1)
        }
    };
    let kept = guest.keep_for(
        client,
        key,
        Duration::from_millis(100),
        &mut |event| match event {
            KeepEvent::Started { domid } => println!("KEEPER {name}: started as domain {domid}"),
            KeepEvent::Died { domid, death } => {
                println!("KEEPER {name}: domain {domid} died: {death}")
            }
        },
    );
    guest.destroy();
    match kept {
        Ok(()) => println!(
            "KEEPER {name}: the client is gone; {} restarts",
            guest.restarts()
        ),
        Err(e) => {
            println!("KEEPER {name}: stopped keeping the guest: {e}");
            std::process::exit(1)
        }
    }
}

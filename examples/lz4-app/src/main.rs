//! Compresses and decompresses one buffer through the linkage named on the
//! command line (`linked`, `loaded` or `isolated`) and prints what happened.

use ffi_isolate::{Domain, IsolatedOptions};
use lz4_app::lz4::lz4::{Lz4, Lz4Isolated, Lz4Linked, Lz4Loaded};
use std::process::ExitCode;

/// Something compressible that is not all one byte.
fn sample(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| b"lz4 from a crate of its own; "[i % 29] ^ (i / 997) as u8)
        .collect()
}

fn round_trip(lz4: &impl Lz4) -> Result<String, ffi_desc::Error> {
    let data = sample(100_000);
    let size = i32::try_from(data.len()).expect("fits an int");
    let bound = usize::try_from(lz4.compress_bound(size)?).unwrap_or(0);
    let mut packed = vec![0u8; bound];
    let n = usize::try_from(lz4.compress_default(&data, &mut packed)?).unwrap_or(0);
    let mut back = vec![0u8; data.len()];
    let m = lz4.decompress_safe(&packed[..n], &mut back)?;
    let version = lz4.version_string()?;
    Ok(format!(
        "lz4 {} ({}): {} bytes -> {n} -> {m}, equal: {}",
        version.to_string_lossy(),
        lz4.version_number()?,
        data.len(),
        back == data
    ))
}

fn run(linkage: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(match linkage {
        "linked" => round_trip(&Lz4Linked::new())?,
        "loaded" => {
            // SAFETY: the system's liblz4 is the one whose header the
            // description was checked against.
            round_trip(&unsafe { Lz4Loaded::open_default() }?)?
        }
        "isolated" => {
            let options = IsolatedOptions::beside_current_exe("lz4-domain")?;
            round_trip(&Domain::launch::<Lz4Isolated>(options)?)?
        }
        other => {
            return Err(format!("unknown linkage `{other}`: linked, loaded or isolated").into())
        }
    })
}

fn main() -> ExitCode {
    let linkage = std::env::args().nth(1).unwrap_or_else(|| "linked".into());
    match run(&linkage) {
        Ok(line) => {
            println!("{linkage}: {line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lz4-app: {linkage}: {e}");
            ExitCode::FAILURE
        }
    }
}

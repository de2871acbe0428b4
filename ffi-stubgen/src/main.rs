//! `ffi-stubgen`: import a C header into a `#[foreign]` description, emit a
//! description's C check unit, or print its IR as JSON.

use clap::{Parser, Subcommand};
use ffi_stubgen::import::{import, ImportOptions};
use ffi_stubgen::{check_unit, description_from_file, StubgenError};
use std::path::PathBuf;
use std::process::ExitCode;

/// Describe a C library once; let the C compiler check the description.
#[derive(Parser)]
#[command(name = "ffi-stubgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Draft a #[foreign] description from a C header (through bindgen and libclang).
    Import {
        /// The header to import: a file, or a name as `#include <...>` writes it
        /// (found in the -I directories, the --pkg-config packages' and the
        /// compiler's include path).
        #[arg(long)]
        header: PathBuf,
        /// The library's link name (`z` for zlib, `sqlite3`).
        #[arg(long)]
        library: String,
        /// An include directory for the header's own includes; repeatable.
        #[arg(short = 'I', value_name = "DIR")]
        include: Vec<PathBuf>,
        /// A pkg-config package whose include directories are searched, passed
        /// to clang and imported from; repeatable.
        #[arg(long, value_name = "PACKAGE")]
        pkg_config: Vec<String>,
        /// A regular expression naming the functions, types and constants to
        /// import; repeatable. Default: everything the library's headers declare
        /// (the header's directory tree, or the header alone in a system include
        /// directory, and the --pkg-config packages' directories).
        #[arg(long, value_name = "REGEX")]
        allow: Vec<String>,
        /// An extra argument for clang (`-DNAME=1`); repeatable.
        #[arg(long, value_name = "ARG", allow_hyphen_values = true)]
        clang_arg: Vec<String>,
        /// Where to write the description.
        #[arg(short = 'o', value_name = "OUT.rs")]
        output: PathBuf,
    },
    /// Write the C check unit of a description.
    C {
        /// The Rust file holding the #[foreign] module.
        #[arg(long, value_name = "FILE.rs")]
        description: PathBuf,
        /// Where to write the C translation unit.
        #[arg(short = 'o', value_name = "OUT.c")]
        output: PathBuf,
    },
    /// Print a description's IR as JSON on standard output.
    Json {
        /// The Rust file holding the #[foreign] module.
        #[arg(long, value_name = "FILE.rs")]
        description: PathBuf,
        /// The file is a draft of `import`: keep its Unresolved markers in
        /// the IR instead of refusing them.
        #[arg(long)]
        draft: bool,
    },
}

fn run(cli: Cli) -> Result<(), StubgenError> {
    match cli.command {
        Command::Import {
            header,
            library,
            include,
            pkg_config,
            allow,
            clang_arg,
            output,
        } => {
            let opts = ImportOptions {
                header,
                library,
                includes: include,
                pkg_config,
                allow,
                clang_args: clang_arg,
                output: Some(output.display().to_string()),
            };
            let imported = import(&opts)?;
            std::fs::write(&output, &imported.text).map_err(|e| StubgenError::Io {
                path: output.clone(),
                source: e,
            })?;
            eprintln!("ffi-stubgen: {}", imported.report.summary());
            Ok(())
        }
        Command::C {
            description,
            output,
        } => {
            let desc = description_from_file(&description)?;
            std::fs::write(&output, check_unit(&desc)).map_err(|e| StubgenError::Io {
                path: output.clone(),
                source: e,
            })
        }
        Command::Json { description, draft } => {
            let desc = if draft {
                ffi_stubgen::draft_from_file(&description)?
            } else {
                description_from_file(&description)?
            };
            let json = serde_json::to_string_pretty(&desc).expect("the IR serialises");
            println!("{json}");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ StubgenError::Description { .. }) => {
            // Every error as rustc shows one, each under its source line.
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            // One line for the reason; details, if any, indented below it.
            let text = e.to_string();
            let mut lines = text.lines();
            eprintln!("ffi-stubgen: error: {}", lines.next().unwrap_or(""));
            for l in lines {
                eprintln!("  {l}");
            }
            ExitCode::FAILURE
        }
    }
}

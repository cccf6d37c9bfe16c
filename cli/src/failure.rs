//! What can make a `safeguard` command fail, and how each failure is shown.
//!
//! Two kinds of failure matter to a caller, and they get different exit codes
//! so a script can tell them apart without reading the message:
//! - the *input* was wrong (a bad request, a bad or floor-breaking policy, an
//!   unknown preset): that is any [`safeguard_engine::Error`] except `internal`,
//!   and exits 2, the same code clap uses for a bad command line;
//! - the *environment* failed (a file could not be read, stdout closed) or the
//!   engine hit a bug: exits 1.
//!
//! Every failure is shown on stderr either as one readable line,
//! `error[<code>]: <message>`, or, with `--json-errors`, as one JSON object in
//! the same `{"schema_version":1,"error":{...}}` shape the engine uses on the
//! wire, so a program driving the CLI parses errors exactly as it would parse
//! them from the library. Failures that are the CLI's own and not the
//! engine's use the extra codes `io` and `usage` (a command line clap
//! accepts but the command refuses, such as writing over its own input).

use safeguard_engine::{Error, ErrorCode, WireError};
use std::io;
use std::path::Path;
use std::process::ExitCode;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for an I/O failure or an engine bug.
pub const EXIT_INTERNAL: u8 = 1;
/// Exit code for bad input: a request or policy the engine rejects.
pub const EXIT_BAD_INPUT: u8 = 2;

/// A failure of one command.
#[derive(Debug)]
pub enum Failure {
    /// The engine rejected the input (or, for `internal`, hit a bug).
    Core {
        error: Error,
        /// Set when the request was read out of a scenario file's `"request"`
        /// object, so the error's path is relative to that object.
        in_scenario: bool,
    },
    /// Reading or writing failed.
    Io { context: String, error: io::Error },
    /// The command line asks for something the command refuses to do
    /// (exits 2, code `usage`, like clap's own usage errors).
    Usage { message: String },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core {
            error,
            in_scenario: false,
        }
    }
}

impl Failure {
    /// An I/O failure while doing `context` (e.g. "reading `x.json`").
    pub fn io(context: impl Into<String>, error: io::Error) -> Self {
        Failure::Io {
            context: context.into(),
            error,
        }
    }

    /// A command line the command refuses.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::Usage {
            message: message.into(),
        }
    }

    /// An I/O failure on the file at `path`.
    pub fn reading(path: &Path, error: io::Error) -> Self {
        Failure::io(format!("cannot read `{}`", path.display()), error)
    }

    /// An I/O failure writing to stdout.
    pub fn writing(error: io::Error) -> Self {
        Failure::io("cannot write to standard output", error)
    }

    /// True when stdout was closed by the reader (`safeguard presets | head`).
    /// That is the reader's choice, not a failure worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Io { error, .. } if error.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Core { error, .. } if error.error_code() != ErrorCode::Internal => {
                EXIT_BAD_INPUT
            }
            Failure::Usage { .. } => EXIT_BAD_INPUT,
            Failure::Core { .. } | Failure::Io { .. } => EXIT_INTERNAL,
        })
    }

    /// The failure as one human-readable paragraph (no trailing newline).
    pub fn to_text(&self) -> String {
        match self {
            Failure::Core { error, in_scenario } => {
                let mut s = format!("error[{}]: {error}", error.code());
                if *in_scenario {
                    s.push_str(
                        "\n  note: the location is inside the scenario file's \"request\" object",
                    );
                }
                if error.error_code() == ErrorCode::UnknownPolicy {
                    s.push_str("\n  hint: `safeguard presets` lists the built-in policy ids");
                }
                s
            }
            Failure::Io { context, error } => format!("error[io]: {context}: {error}"),
            Failure::Usage { message } => format!("error[usage]: {message}"),
        }
    }

    /// The failure as one line of JSON, in the engine's one error envelope
    /// (the CLI's own failures with the codes `io` and `usage`).
    pub fn to_json(&self) -> String {
        match self {
            Failure::Core { error, .. } => error.to_json(),
            Failure::Io { context, error } => {
                WireError::of_code(ErrorCode::Io, format!("{context}: {error}")).to_json()
            }
            Failure::Usage { message } => WireError::of_code(ErrorCode::Usage, message).to_json(),
        }
    }
}

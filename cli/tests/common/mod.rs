//! What the CLI's end-to-end test files share: running the real binary from
//! the workspace root, reading what it wrote, and the temp files it reads.
//! Each test file is its own binary and uses only part of this module.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `safeguard` binary Cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_safeguard");

/// The workspace root (examples and presets live there).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The public example `name` under `examples/`.
pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// Runs the binary with `args` in the workspace root, feeding `stdin` if
/// given (else the binary reads an empty, closed stdin).
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn safeguard");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // The binary may rightly exit before reading (a bad --policy), so a
        // closed pipe here is not a test failure.
        let _ = pipe.write_all(input);
    }
    child.wait_with_output().expect("wait for safeguard")
}

/// What the binary wrote on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// What the binary wrote on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// `text` parsed as JSON; panics with the text if it is not.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts that the run exited 0 (showing its stderr if not); returns what
/// it wrote on stdout.
pub fn succeeded(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    stdout(o)
}

/// `path` as the `&str` an argument list needs.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

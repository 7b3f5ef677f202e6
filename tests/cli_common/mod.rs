//! Running the `swapwire` binary from the CLI tests.
#![allow(dead_code)]

use assert_cmd::Command;

/// The binary, run from the repository root (so example paths resolve as in README).
pub fn swapwire() -> Command {
    let mut cmd = Command::cargo_bin("swapwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs the binary and returns its exit code, stdout and stderr.
pub fn run(cmd: &mut Command) -> (i32, Vec<u8>, String) {
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), out.stdout, String::from_utf8(out.stderr).unwrap())
}

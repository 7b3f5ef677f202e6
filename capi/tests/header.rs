//! `include/swapwire.h` is what cbindgen 0.29.2 generates from this crate: the test fails while
//! the committed header is stale. `SWAPWIRE_BLESS=1 cargo test -p swapwire-capi --test header`
//! rewrites it after an intended change of the C API.

use std::path::Path;

fn generate(config: cbindgen::Config) -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not read the crate")
        .write(&mut out);
    String::from_utf8(out).unwrap()
}

fn config() -> cbindgen::Config {
    cbindgen::Config::from_root_or_default(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_header_is_what_cbindgen_generates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/swapwire.h");
    let generated = generate(config());
    if std::env::var_os("SWAPWIRE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/swapwire.h is stale; regenerate it with `SWAPWIRE_BLESS=1 cargo test -p swapwire-capi --test header`"
    );
}

/// What maturin's cffi mode generates from the same crate: C without includes, guards or
/// `extern "C"`, which cffi's parser must accept. The Python side runs cffi on it; here the
/// constructs cffi rejects are ruled out.
#[test]
fn header_in_maturin_mode_has_nothing_cffi_rejects() {
    let mut config = config();
    config.language = cbindgen::Language::C;
    config.no_includes = true;
    config.sys_includes = Vec::new();
    config.include_guard = None;
    config.pragma_once = false;
    config.cpp_compat = false;
    let text = generate(config);
    for line in text.lines() {
        let line = line.trim_start();
        if let Some(define) = line.strip_prefix("#define ") {
            let mut words = define.split_whitespace();
            let (name, value) = (words.next().unwrap(), words.next().unwrap_or(""));
            assert!(value.parse::<i64>().is_ok() && words.next().is_none(), "{name}: not an integer literal: {value}");
        } else {
            assert!(!line.starts_with('#'), "cffi rejects preprocessor lines: {line}");
        }
    }
    assert!(text.contains("swapwire_record_encode"));
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("swapwire-cffi.h"), text).unwrap();
}

//! Puts `memory.x` where the linker finds it, and turns the shared golden vectors
//! (`tests/vectors/*.hex` and `bad.txt`) into Rust statics for the on-target test.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let here = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    fs::copy(here.join("memory.x"), out.join("memory.x")).unwrap();
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");

    let dir = here.join("../tests/vectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".hex"))
        .collect();
    names.sort();
    let mut code = String::from(
        "/// Every golden vector: its name and its Record bytes.\npub static VECTORS: &[(&str, &[u8])] = &[\n",
    );
    for name in &names {
        let text = fs::read_to_string(dir.join(name)).unwrap();
        writeln!(code, "    ({:?}, &{:?}),", name.trim_end_matches(".hex"), unhex(text.trim())).unwrap();
    }
    code.push_str(
        "];\n\n/// Every line of `bad.txt`: the bytes and the error they must give, as `bad.txt` spells it.\n",
    );
    code.push_str("pub static BAD: &[(&[u8], &str)] = &[\n");
    let bad = fs::read_to_string(dir.join("bad.txt")).unwrap();
    for line in bad.lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let (hex, expected) = line.split_once(' ').unwrap();
        let bytes = if hex == "-" { Vec::new() } else { unhex(hex) };
        writeln!(code, "    (&{bytes:?}, {:?}),", expected.trim()).unwrap();
    }
    code.push_str("];\n");
    fs::write(out.join("vectors.rs"), code).unwrap();
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length: {text}");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

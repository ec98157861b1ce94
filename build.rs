//! Lets the binary find libtorch without LD_LIBRARY_PATH: an rpath to the libtorch it
//! was built against, then `$ANNALIST_LIBTORCH_RPATH` (e.g. a GPU machine's torch/lib).
//!
//! Also sets `cfg(shared_corpora)` when `../shared` (the seeds and corpora) is beside the
//! checkout: tests that read it run then, and are listed as ignored, with the reason,
//! in a clone without it. Cargo looks again only when the folder changes or this file
//! does: after adding `../shared` to a built clone, `touch build.rs`.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=ANNALIST_LIBTORCH_RPATH");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(shared_corpora)");
    let shared = std::path::Path::new("../shared");
    if shared.join("seeds").is_dir() && shared.join("data").is_dir() {
        println!("cargo:rustc-cfg=shared_corpora");
        println!("cargo:rerun-if-changed=../shared/seeds");
    }
    if let Ok(extra) = std::env::var("ANNALIST_LIBTORCH_RPATH") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{extra}");
    }
    if let Ok(libtorch) = std::env::var("LIBTORCH") {
        let lib = std::fs::canonicalize(&libtorch)
            .map(|p| p.join("lib"))
            .unwrap_or_else(|_| std::path::PathBuf::from(libtorch).join("lib"));
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}

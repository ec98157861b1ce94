//! Lets the binary find libtorch without LD_LIBRARY_PATH: an rpath to the libtorch it
//! was built against, then `$ANNALIST_LIBTORCH_RPATH` (e.g. a GPU machine's torch/lib).
//!
//! Also tells the tests what this machine has: `cfg(shared_corpora)` when `../shared`
//! (the seeds and corpora) is beside the checkout, `cfg(chromium)` when a Chromium is on
//! the PATH. Tests that need one run then, and are listed as ignored, with the reason,
//! without it. Cargo looks again only when what was found changes or this file does:
//! after adding either to a built clone, `touch build.rs`.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=ANNALIST_LIBTORCH_RPATH");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(shared_corpora)");
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    let shared = std::path::Path::new("../shared");
    if shared.join("seeds").is_dir() && shared.join("data").is_dir() {
        println!("cargo:rustc-cfg=shared_corpora");
        println!("cargo:rerun-if-changed=../shared/seeds");
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let browser = std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|p| p.is_file());
    if let Some(browser) = browser {
        println!("cargo:rustc-cfg=chromium");
        println!("cargo:rerun-if-changed={}", browser.display());
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

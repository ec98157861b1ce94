//! Lets the binary find libtorch without LD_LIBRARY_PATH: an rpath to the libtorch it
//! was built against, then `$ANNALIST_LIBTORCH_RPATH` (e.g. a GPU machine's torch/lib).
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=ANNALIST_LIBTORCH_RPATH");
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

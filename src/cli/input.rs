//! Reading input files for the commands: `-` is stdin; bytes that are not UTF-8 are
//! replaced, with a warning that names the file.

use anyhow::{Context, Result};
use std::io::Read;
use std::path::Path;

/// Reads a file (or stdin for `-`) as text.
pub fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    }
    if bytes.contains(&0) {
        anyhow::bail!("{}: looks binary (it holds NUL bytes); pass text files", path.display());
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("annalist: warning: {}: not valid UTF-8; undecodable bytes replaced with U+FFFD", path.display());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    })
}

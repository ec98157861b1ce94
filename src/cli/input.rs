//! Reading input files for the commands that take plain text: `-` is stdin; decoding
//! as in [`crate::ingest::decode`].

use anyhow::{Context, Result};
use std::io::Read;
use std::path::Path;

/// The id a file's results carry: its file name without extension, `stdin` for `-`.
pub fn doc_id(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// Reads a file (or stdin for `-`) as text.
pub fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    }
    let name = path.display().to_string();
    let (text, warning) = crate::ingest::decode(&name, bytes)?;
    if let Some(warning) = warning {
        eprintln!("annalist: {warning}");
    }
    Ok(text)
}

/// Reads every file of `paths`, reporting (and skipping) those that cannot be read or
/// are empty; returns `(id, text)` of the others and whether any failed.
pub fn read_all(paths: &[std::path::PathBuf]) -> (Vec<(String, String)>, bool) {
    let mut failed = false;
    let mut docs = Vec::new();
    for path in paths {
        match read_text(path) {
            Ok(text) if text.trim().is_empty() => eprintln!("annalist: warning: {}: empty, nothing to tag", path.display()),
            Ok(text) => docs.push((doc_id(path), text)),
            Err(e) => {
                eprintln!("annalist: error: {e:#}; skipped");
                failed = true;
            }
        }
    }
    (docs, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_inputs_name_the_file_and_latin1_is_repaired() {
        let tmp = tempfile::tempdir().unwrap();
        let binary = tmp.path().join("blob.bin");
        std::fs::write(&binary, [0x7f, b'E', b'L', b'F', 0, 1]).unwrap();
        let missing = tmp.path().join("missing.txt");
        for (path, why) in [(&binary, "binary"), (&missing, "cannot read")] {
            let err = format!("{:#}", read_text(path).unwrap_err());
            assert!(err.contains(&path.display().to_string()) && err.contains(why), "{err}");
        }
        let latin1 = tmp.path().join("latin1.txt");
        std::fs::write(&latin1, b"caf\xe9 au lait").unwrap();
        assert_eq!(read_text(&latin1).unwrap(), "caf\u{FFFD} au lait");
        assert_eq!(doc_id(&latin1), "latin1");
    }
}

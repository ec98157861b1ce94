//! Reading input files for the commands that take plain text (`ner`, `times`, `tag`,
//! `parse`): regular files or `-` for stdin, at most `--max-bytes` each, decoded as in
//! [`crate::ingest::decode`], and named as `extract` and `batch` name them.

use anyhow::Result;
use std::path::Path;

/// The most bytes one document may have; shared by every command that reads articles.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadArgs {
    /// The most bytes one document (a file, a JSON line, stdin) may have; larger ones
    /// (and FIFOs, devices) are reported and skipped.
    #[arg(long, value_name = "N", default_value_t = crate::ingest::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
}

/// The id a file's results carry, the same in every command: its path as given,
/// `stdin` for `-`.
pub fn doc_id(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    path.display().to_string()
}

/// Reads a regular file (or stdin for `-`) of at most `max_bytes` as text.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String> {
    let name = doc_id(path);
    let bytes = if path == Path::new("-") {
        crate::ingest::read_stdin(max_bytes)?
    } else {
        crate::ingest::read_file(path, max_bytes)?
    };
    let (text, warning) = crate::ingest::decode(&name, bytes)?;
    if let Some(warning) = warning {
        eprintln!("annalist: warning: {name}: {warning}");
    }
    Ok(text)
}

/// Reads every file of `paths`, reporting (and skipping) those that cannot be read or
/// are empty; returns `(id, text)` of the others and whether any failed.
pub fn read_all(paths: &[std::path::PathBuf], read: &ReadArgs) -> (Vec<(String, String)>, bool) {
    let mut failed = false;
    let mut docs = Vec::new();
    for path in paths {
        match read_text(path, read.max_bytes) {
            Ok(text) if text.trim().is_empty() => {
                eprintln!("annalist: warning: {}: empty, nothing to tag", path.display())
            }
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
        let big = tmp.path().join("big.txt");
        std::fs::write(&big, "word ".repeat(100)).unwrap();
        let cases = [
            (&binary, "binary", 1000),
            (&missing, "cannot read", 1000),
            (&big, "too large", 100),
        ];
        for (path, why, max) in cases {
            let err = format!("{:#}", read_text(path, max).unwrap_err());
            assert!(err.contains(&path.display().to_string()) && err.contains(why), "{err}");
        }
        let err = format!("{:#}", read_text(Path::new("/dev/zero"), 1000).unwrap_err());
        assert!(err.starts_with("/dev/zero: not a regular file"), "{err}");
        let latin1 = tmp.path().join("latin1.txt");
        std::fs::write(&latin1, b"caf\xe9 au lait").unwrap();
        assert_eq!(read_text(&latin1, 1000).unwrap(), "caf\u{FFFD} au lait");
    }

    #[test]
    fn a_file_is_named_by_its_path_as_extract_names_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, "Kyiv, Monday.").unwrap();
        let doc = crate::ingest::read_inputs(&[path.display().to_string()], &Default::default())
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(doc_id(&path), doc.id);
        assert_eq!(doc_id(Path::new("-")), "stdin");
    }
}

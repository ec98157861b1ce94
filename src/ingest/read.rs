//! Reading bytes with limits: regular files only, at most `max_bytes` per document, so
//! that `/dev/zero`, a FIFO or a 20 GB log passed by mistake is reported by name
//! instead of filling memory.

use super::InputError;
use std::io::{BufRead, Read};
use std::path::Path;

/// What one document may be, by default: far above any article, far below memory.
pub const DEFAULT_MAX_BYTES: u64 = 16 << 20;

/// An open regular file, refused before it is opened when it is anything else
/// (opening a FIFO would wait for a writer).
pub(super) fn open_regular(path: &Path) -> Result<(std::fs::File, u64), InputError> {
    let name = || path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| super::cannot_read(name(), e))?;
    if !meta.is_file() {
        return Err(InputError::new(
            name(),
            "not a regular file (a FIFO, device or socket; it may never end); pass regular files, or pipe the data to - (stdin)",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| super::cannot_read(name(), e))?;
    Ok((file, meta.len()))
}

/// The bytes of the regular file `path`, when it holds at most `max_bytes`.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let (file, len) = open_regular(path)?;
    let name = path.display().to_string();
    if len > max_bytes {
        return Err(too_large(name, &format!("{len} bytes"), max_bytes));
    }
    read_capped(name, file, max_bytes)
}

/// The most bytes a data file (CoNLL, CoNLL-U, TimeML, an alias file) may have: far
/// above any treebank, far below memory.
pub const DATA_MAX_BYTES: u64 = 1 << 30;

/// A data file (CoNLL, CoNLL-U, TimeML, an alias file) as UTF-8 text, a byte order mark
/// dropped: a regular file of at most [`DATA_MAX_BYTES`].
pub fn read_data_file(path: &Path) -> Result<String, InputError> {
    let bytes = read_file(path, DATA_MAX_BYTES)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputError::new(
            path.display().to_string(),
            format!("not UTF-8 text (first bad byte at offset {at}); convert it to UTF-8"),
        )
    })
}

/// All of `reader`, when it ends within `max_bytes` (a file may grow while read).
pub(super) fn read_capped(name: String, reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    match reader.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes) {
        Err(e) => Err(super::cannot_read(name, e)),
        Ok(n) if n as u64 > max_bytes => Err(too_large(name, "more than that", max_bytes)),
        Ok(_) => Ok(bytes),
    }
}

pub(super) fn too_large(name: String, size: &str, max_bytes: u64) -> InputError {
    InputError::new(
        name,
        format!("too large for one document ({size}; the limit is {max_bytes} bytes); split it, or raise --max-bytes"),
    )
}

/// How one line was read by [`read_line`].
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Line {
    End,
    /// In the buffer, newline included when there was one.
    Read,
    /// Longer than the limit: skipped up to its newline, the buffer cleared.
    TooLong,
}

/// Reads one line into `buf` (cleared first), holding at most `max_bytes` + 1 of it.
pub(super) fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max_bytes: u64) -> std::io::Result<Line> {
    buf.clear();
    let n = reader
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(Line::End);
    }
    if n as u64 <= max_bytes || buf.ends_with(b"\n") {
        return Ok(Line::Read);
    }
    buf.clear();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                break;
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
    Ok(Line::TooLong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_whole_and_the_next_ones_read() {
        let mut input: &[u8] = b"short\nfar too long a line\nok\nlast-without-newline";
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            match read_line(&mut input, &mut buf, 6).unwrap() {
                Line::End => break,
                Line::Read => got.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong => got.push("<too long>".to_string()),
            }
        }
        assert_eq!(got, ["short\n", "<too long>", "ok\n", "<too long>"]);
    }

    #[test]
    fn endless_and_special_files_are_refused_by_name() {
        let err = read_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(err.input, "/dev/zero");
        assert!(err.message.starts_with("not a regular file"), "{err}");
        let endless = read_capped("stdin".into(), std::io::repeat(b'a'), 1000).unwrap_err();
        assert!(
            endless.message.contains("limit is 1000 bytes") && endless.message.contains("--max-bytes"),
            "{endless}"
        );
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; 2000]).unwrap();
        let err = read_file(&big, 1000).unwrap_err();
        assert!(
            err.message.contains("2000 bytes") && err.message.contains("limit is 1000"),
            "{err}"
        );
        assert_eq!(read_file(&big, 2000).unwrap().len(), 2000);
        let data = dir.path().join("data.conllu");
        std::fs::write(&data, b"\xEF\xBB\xBF# sent_id = 1\n").unwrap();
        assert_eq!(
            read_data_file(&data).unwrap(),
            "# sent_id = 1\n",
            "the byte order mark is dropped"
        );
        std::fs::write(&data, b"caf\xE9").unwrap();
        assert!(read_data_file(&data)
            .unwrap_err()
            .message
            .starts_with("not UTF-8 text (first bad byte at offset 3)"));
        assert!(read_data_file(Path::new("/dev/zero"))
            .unwrap_err()
            .message
            .starts_with("not a regular file"));
        let fifo = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = read_file(&fifo, 1000).unwrap_err();
        assert!(
            err.message.starts_with("not a regular file"),
            "no writer, yet no wait: {err}"
        );
    }
}

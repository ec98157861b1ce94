//! Which files an input names: a file, a directory walked recursively in name order,
//! a glob, or stdin. Lazy, so a directory of millions of files starts at once.

use super::InputError;
use std::fs;
use std::iter::once;
use std::path::{Path, PathBuf};

pub(super) enum Source {
    Stdin,
    File(PathBuf),
}

type Sources = Box<dyn Iterator<Item = Result<Source, InputError>> + Send>;

/// The sources of one command-line input.
pub(super) fn expand(input: String) -> Sources {
    if input == "-" {
        return Box::new(once(Ok(Source::Stdin)));
    }
    match fs::metadata(&input) {
        Ok(meta) if meta.is_dir() => Box::new(Walk::new(input.clone(), PathBuf::from(&input), None)),
        Ok(_) => Box::new(once(Ok(Source::File(PathBuf::from(input))))),
        Err(_) if is_glob(&input) => Box::new(glob(input)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Box::new(once(Err(InputError::new(
            input,
            "no such file or directory; pass files, directories, globs or - for stdin",
        )))),
        Err(e) => Box::new(once(Err(InputError::new(
            input,
            format!("cannot read: {e}; check its permissions"),
        )))),
    }
}

/// `*.jsonl` and `*.ndjson` files hold one JSON document per line.
pub(super) fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// The files under the longest wildcard-free directory prefix of `pattern` whose path
/// below it matches the rest, component by component.
fn glob(pattern: String) -> Walk {
    let parts: Vec<&str> = pattern.split('/').collect();
    let fixed = parts.iter().take_while(|p| !is_glob(p)).count();
    let root = PathBuf::from(parts[..fixed].join("/"));
    let rest: Vec<String> = parts[fixed..].iter().map(|p| p.to_string()).collect();
    Walk::new(pattern, root, Some(rest))
}

/// A depth-first walk in name order; yields files, reports what it cannot read.
struct Walk {
    /// The input as given, for messages.
    input: String,
    root: PathBuf,
    /// Entries still to visit, the next one last, with their depth below `root`.
    stack: Vec<(PathBuf, usize)>,
    /// Glob components the path below `root` must match.
    pattern: Option<Vec<String>>,
    max_depth: usize,
    found: bool,
    done: bool,
}

impl Walk {
    fn new(input: String, root: PathBuf, pattern: Option<Vec<String>>) -> Self {
        let max_depth = match &pattern {
            Some(p) if !p.iter().any(|c| c == "**") => p.len(),
            _ => usize::MAX,
        };
        Walk {
            input,
            stack: vec![(root.clone(), 0)],
            root,
            pattern,
            max_depth,
            found: false,
            done: false,
        }
    }

    /// Pushes the visible entries of directory `dir` in reverse name order.
    fn list(&mut self, dir: &Path, depth: usize) -> Result<(), InputError> {
        let listed = on_disk(dir);
        let cannot =
            |e: std::io::Error| InputError::new(dir.display().to_string(), format!("cannot list directory: {e}"));
        let mut entries = Vec::new();
        for entry in fs::read_dir(listed).map_err(cannot)? {
            let name = entry.map_err(cannot)?.file_name();
            if !name.to_string_lossy().starts_with('.') {
                entries.push(name);
            }
        }
        entries.sort();
        self.stack
            .extend(entries.into_iter().rev().map(|name| (dir.join(name), depth + 1)));
        Ok(())
    }

    fn matches(&self, path: &Path) -> bool {
        let Some(pattern) = &self.pattern else { return true };
        let below: Vec<String> = match path.strip_prefix(&self.root) {
            Ok(p) => p
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect(),
            Err(_) => return false,
        };
        match_components(pattern, &below)
    }
}

impl Iterator for Walk {
    type Item = Result<Source, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some((path, depth)) = self.stack.pop() {
            let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            let meta = match fs::metadata(on_disk(&path)) {
                Ok(meta) => meta,
                Err(e) if depth == 0 => {
                    // A missing glob root is the one error, and it names the pattern.
                    self.found = true;
                    let message = format!("no files match this pattern ({} cannot be read: {e})", path.display());
                    return Some(Err(InputError::new(self.input.clone(), message)));
                }
                Err(e) => {
                    return Some(Err(InputError::new(
                        path.display().to_string(),
                        format!("cannot read: {e}"),
                    )))
                }
            };
            if !meta.is_dir() {
                if self.matches(&path) {
                    self.found = true;
                    return Some(Ok(Source::File(path)));
                }
            } else if depth > 0 && is_link {
                self.found = true;
                let message =
                    "symbolic link to a directory, not followed (walks could loop); pass it as an input of its own";
                return Some(Err(InputError::new(path.display().to_string(), message)));
            } else if depth < self.max_depth {
                if let Err(e) = self.list(&path, depth) {
                    self.found |= depth == 0;
                    return Some(Err(e));
                }
            }
        }
        if self.found || self.done {
            return None;
        }
        self.done = true;
        let message = match self.pattern {
            Some(_) => "no files match this pattern; check it (quote it so the shell does not expand it)",
            None => "no files in this directory (hidden files are skipped)",
        };
        Some(Err(InputError::new(self.input.clone(), message)))
    }
}

/// The empty path is the current directory of a relative glob.
fn on_disk(path: &Path) -> &Path {
    if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    }
}

/// Whether path components match glob components: `**` matches any number of them,
/// `*` and `?` match within one.
fn match_components(pattern: &[String], path: &[String]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((p, rest)) if p == "**" => (0..=path.len()).any(|skip| match_components(rest, &path[skip..])),
        Some((p, rest)) => path
            .split_first()
            .is_some_and(|(c, more)| wildcard(p, c) && match_components(rest, more)),
    }
}

/// `*` and `?` matching of one name, by the usual backtracking to the last star.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(input: &str) -> Vec<String> {
        expand(input.to_string())
            .map(|s| match s {
                Ok(Source::File(p)) => p.display().to_string(),
                Ok(Source::Stdin) => "-".to_string(),
                Err(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("*.txt", "a.txt") && wildcard("0?_*", "01_x") && wildcard("*", ""));
        assert!(!wildcard("*.txt", "a.json") && !wildcard("a?", "a"));
        let p = |s: &str| s.split('/').map(str::to_string).collect::<Vec<_>>();
        assert!(match_components(&p("**/*.jsonl"), &p("a/b/c.jsonl")));
        assert!(match_components(&p("**/*.jsonl"), &p("c.jsonl")));
        assert!(!match_components(&p("*/*.jsonl"), &p("c.jsonl")));
    }

    #[test]
    fn directories_walk_in_name_order_and_globs_match_below_their_root() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "b.txt",
            "a.txt",
            "sub/c.jsonl",
            "sub/deeper/d.txt",
            ".hidden/x.txt",
            ".e.txt",
        ] {
            fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            fs::write(d.join(f), "x").unwrap();
        }
        fs::create_dir(d.join("empty")).unwrap();
        let at = |f: &str| d.join(f).display().to_string();
        let root = d.display().to_string();
        assert_eq!(
            files(&root),
            vec![at("a.txt"), at("b.txt"), at("sub/c.jsonl"), at("sub/deeper/d.txt")]
        );
        assert_eq!(files(&format!("{root}/*.txt")), vec![at("a.txt"), at("b.txt")]);
        assert_eq!(
            files(&format!("{root}/**/*.txt")),
            vec![at("a.txt"), at("b.txt"), at("sub/deeper/d.txt")]
        );
        assert_eq!(files("-"), vec!["-"]);
        let none = files(&format!("{root}/*.xml"));
        assert!(none.len() == 1 && none[0].contains("no files match"), "{none:?}");
        let empty = files(&at("empty"));
        assert!(
            empty.len() == 1 && empty[0].contains("no files in this directory"),
            "{empty:?}"
        );
        let missing = files(&at("missing.txt"));
        assert!(missing.len() == 1 && missing[0].contains("no such file"), "{missing:?}");
        let missing_root = files(&format!("{}/*.txt", at("nope")));
        assert_eq!(missing_root, [format!("error {}/*.txt: no files match this pattern ({} cannot be read: No such file or directory (os error 2))", at("nope"), at("nope"))]);
        let relative = files("*.no-such-extension");
        assert_eq!(relative.len(), 1, "{relative:?}");
        assert!(
            relative[0].starts_with("error *.no-such-extension: no files match this pattern"),
            "{relative:?}"
        );
    }
}

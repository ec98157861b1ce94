//! Evaluation of the pipeline's stages against public gold data, with the metrics of
//! the shared tasks that published it, so numbers compare with the literature and
//! with the independent scorers in `shared/tools`.

pub mod conll;
pub mod coref;
pub mod ecb;
pub mod entity_coref;
pub mod event_coref;
pub mod events;
pub mod semeval;
pub mod time_links;
pub mod timeline17;
pub mod timeml;
pub mod ud;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The files of `dir` (not below it) with extension `ext`, in name order.
pub fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    Ok(files)
}

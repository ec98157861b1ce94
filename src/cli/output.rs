//! Writing a timeline in the formats the user asked for; shared by `extract` and `merge`.

use crate::export;
use crate::graph::Timeline;
use crate::resolve::Aliases;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct TimelineArgs {
    /// Where to write the timeline; default: standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// json: the timeline contract; html: the analyst's page, one self-contained file
    /// that opens offline; timelinejs: TimelineJS's JSON, for publishing with it.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Also write the timeline graph as GraphViz DOT.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    /// Also render the graph to SVG (needs Graphviz's `dot` program).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// In the DOT/SVG, only the events involving this entity (name or alias; repeat for
    /// more).
    #[arg(long, value_name = "NAME")]
    focus: Vec<String>,
    /// In the DOT/SVG, at most this many events, the most salient; 0: all.
    #[arg(long, value_name = "N", default_value_t = 150)]
    max_events: usize,
    /// Alias file (TSV: canonical name, aliases separated by |, external id, type).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Also write a digest of the key dates (`annalist digest`'s defaults): JSON, or
    /// Markdown for a `.md` file. The html page then shows it first.
    #[arg(long, value_name = "FILE")]
    digest: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Timelinejs,
    Html,
}

impl TimelineArgs {
    /// The alias file, read (before any long work, so that a bad one fails early).
    pub fn aliases(&self) -> Result<Option<Aliases>> {
        self.aliases.as_deref().map(Aliases::load).transpose()
    }

    /// The files [`Self::write`] writes (without `--output`, the timeline goes to stdout).
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        [&self.output, &self.dot, &self.svg, &self.digest]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
    }

    pub fn write(&self, timeline: &Timeline) -> Result<()> {
        let digest = self
            .digest
            .as_ref()
            .map(|_| crate::digest::digest(timeline, &Default::default()))
            .transpose()?;
        let digest_json = digest.as_ref().map(|d| d.to_json(timeline));
        let out = match self.format {
            Format::Json => serde_json::to_string_pretty(&export::timeline_json(timeline))?,
            Format::Timelinejs => serde_json::to_string_pretty(&export::timelinejs_json(timeline))?,
            Format::Html => export::analyst_page(&export::timeline_json(timeline), digest_json.as_ref()),
        };
        match &self.output {
            Some(path) => write(path, &out)?,
            None => println!("{out}"),
        }
        if let (Some(path), Some(d), Some(json)) = (&self.digest, &digest, &digest_json) {
            let md = path.extension().is_some_and(|e| e == "md");
            write(
                path,
                &if md {
                    d.to_markdown(timeline)
                } else {
                    serde_json::to_string_pretty(json)?
                },
            )?;
        }
        if self.dot.is_some() || self.svg.is_some() {
            let opts = export::DotOptions {
                focus: self.focus.clone(),
                max_events: Some(self.max_events).filter(|&n| n > 0),
            };
            let dot = export::to_dot(timeline, &opts);
            if let Some(path) = &self.dot {
                write(path, &dot)?;
            }
            if let Some(path) = &self.svg {
                write(path, &export::render_svg(&dot)?)?;
            }
        }
        Ok(())
    }
}

fn write(path: &Path, content: &str) -> Result<()> {
    std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

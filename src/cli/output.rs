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
    /// json: the timeline contract; timelinejs: TimelineJS's JSON; html: a page showing it.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Also write the timeline graph as GraphViz DOT.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    /// Also render the graph to SVG (needs Graphviz's `dot` program).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Alias file (TSV: canonical name, aliases separated by |, external id, type).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
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

    pub fn write(&self, timeline: &Timeline) -> Result<()> {
        let out = match self.format {
            Format::Json => serde_json::to_string_pretty(&export::timeline_json(timeline))?,
            Format::Timelinejs => serde_json::to_string_pretty(&export::timelinejs_json(timeline))?,
            Format::Html => export::timelinejs_html(&export::timelinejs_json(timeline)),
        };
        match &self.output {
            Some(path) => write(path, &out)?,
            None => println!("{out}"),
        }
        if self.dot.is_some() || self.svg.is_some() {
            let dot = export::to_dot(timeline);
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

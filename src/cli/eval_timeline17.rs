//! `annalist eval timeline17`: digests of Timeline17 topics under the benchmark's
//! protocol ([`crate::eval::timeline17`]), with their date scores, the count
//! baseline's, and the ROUGE-1/2 of their sentences.

use crate::annotated::Annotated;
use crate::digest::rank::Example;
use crate::digest::{DateRanker, Ranking};
use crate::eval::timeline17::{self, Rouge, Score};
use crate::ingest::{read_inputs, IngestOptions};
use crate::model::coref::EventCoref;
use crate::pipeline::{annotate_all, prepare};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct EvalTimeline17Args {
    #[command(flatten)]
    topics: TopicArgs,
    /// Where to write, per gold timeline, the digest JSON and the digest in the gold's
    /// format (TOPIC/NAME.json, TOPIC/NAME.txt).
    #[arg(long, value_name = "DIR")]
    output_dir: PathBuf,
    #[command(flatten)]
    ranker: super::digest::RankerArg,
    /// Score each topic with a ranker fitted to the other topics' timelines only (as
    /// `train-date-ranker` fits, L2 penalty `--l2`), instead of `--ranker`. Every
    /// topic's timelines are then built before the first is scored.
    #[arg(long, conflicts_with = "ranker")]
    leave_one_out: bool,
    /// The L2 penalty of `--leave-one-out`'s fits.
    #[arg(long, default_value_t = crate::digest::rank::L2, requires = "leave_one_out")]
    l2: f64,
}

/// The topics to read and where their annotations come from (`eval timeline17`,
/// `train-date-ranker`).
#[derive(clap::Args, Debug)]
pub(super) struct TopicArgs {
    /// A folder of topics laid out as `../shared/data/timeline17-dev`
    /// (TOPIC/articles.jsonl, TOPIC/timelines/*.txt).
    dir: PathBuf,
    /// Only these topics (folder names); default: all.
    #[arg(long, value_name = "TOPIC", num_args = 1..)]
    topics: Vec<String>,
    /// Read each topic's annotations from DIR/TOPIC, an `annalist batch` output folder of
    /// its articles.jsonl, instead of running the model: the scores come in seconds.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["model", "device", "precision", "batch_tokens", "window", "scope", "no_case"])]
    batch_dir: Option<PathBuf>,
    #[command(flatten)]
    model: super::ModelArgs,
}

impl TopicArgs {
    /// The topics, and their annotations' source (the model is loaded here).
    pub(super) fn read(&self) -> Result<(Vec<timeline17::Topic>, Annotations<'_>)> {
        let topics = timeline17::topics(&self.dir, &self.topics)?;
        Ok((topics, Annotations::new(self.batch_dir.as_deref(), &self.model)?))
    }

    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }
}

/// A topic's gold timelines, each prepared to digest ([`timeline17::prepare`]).
pub(super) type Prepared<'t> = Vec<(timeline17::Prepared, &'t timeline17::Gold)>;

pub fn run(args: &EvalTimeline17Args) -> Result<()> {
    let (topics, annotations) = args.topics.read()?;
    if args.leave_one_out && topics.len() < 2 {
        bail!("--leave-one-out needs two topics or more: each is scored by a ranker fitted to the others");
    }
    let ranking = match args.leave_one_out {
        true => None,
        false => Some(args.ranker.ranking()?),
    };
    let mut skipped = 0;
    // Leave-one-out fits need every topic's candidate days first.
    let mut ready: Vec<Prepared> = Vec::new();
    let mut examples: Vec<Vec<Example>> = Vec::new();
    if args.leave_one_out {
        for topic in &topics {
            let (timelines, damaged) = prepare_topic(topic, &annotations)?;
            skipped += damaged;
            examples.push(topic_examples(&timelines)?.into_iter().map(|(_, _, e)| e).collect());
            ready.push(timelines);
        }
    }
    let (mut scores, mut baseline, mut rouge) = (Vec::new(), Vec::new(), Vec::new());
    println!(
        "{:<56} {:>3}  {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}",
        "timeline", "K", "P", "R", "F1", "base P", "base R", "base F1"
    );
    for (i, topic) in topics.iter().enumerate() {
        let timelines = match ready.get_mut(i) {
            Some(timelines) => std::mem::take(timelines),
            None => {
                let (timelines, damaged) = prepare_topic(topic, &annotations)?;
                skipped += damaged;
                timelines
            }
        };
        let ranking = match &ranking {
            Some(r) => r.clone(),
            None => {
                let others: Vec<Example> = examples
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .flat_map(|(_, e)| e.iter().copied())
                    .collect();
                Ranking::Learned(DateRanker::fit(&others, args.l2, format!("all but {}", topic.name)))
            }
        };
        let out = args.output_dir.join(&topic.name);
        std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
        for (p, gold) in timelines {
            let run = timeline17::score(p, gold, &ranking)?;
            let json = serde_json::to_string_pretty(&run.digest.to_json(&run.timeline))?;
            write(out.join(format!("{}.json", gold.name)), json)?;
            write(
                out.join(format!("{}.txt", gold.name)),
                timeline17::as_gold_format(&run.digest),
            )?;
            row(
                &format!("{}/{}", topic.name, gold.name),
                gold.dates.len(),
                run.score,
                run.baseline,
            );
            scores.push(run.score);
            baseline.push(run.baseline);
            rouge.push((format!("{}/{}", topic.name, gold.name), run.rouge, run.lead));
        }
    }
    println!("{}", "-".repeat(110));
    row(
        &format!("overall, {} timelines (mean P, mean R, F1 of the means)", scores.len()),
        0,
        Score::mean(&scores),
        Score::mean(&baseline),
    );
    println!("\nsummaries, ROUGE F1 (lower-cased words, no stemming; see `annalist::eval::timeline17`);");
    println!("lead: the first sentence of the day's articles, on the digest's dates");
    println!(
        "{:<56} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9} {:>9}",
        "timeline",
        "concat R1",
        "concat R2",
        "agree R1",
        "agree R2",
        "align R1",
        "align R2",
        "lead ag1",
        "lead ag2",
        "lead al1",
        "lead al2"
    );
    for (name, r, lead) in &rouge {
        rouge_row(name, r, lead);
    }
    let mean = |pick: fn(&(String, Rouge, Rouge)) -> Rouge| Rouge::mean(&rouge.iter().map(pick).collect::<Vec<_>>());
    rouge_row("overall (F1 of the mean P and mean R)", &mean(|r| r.1), &mean(|r| r.2));
    if skipped > 0 {
        bail!("{skipped} damaged lines of the --batch-dir folders skipped (see above): the scores are of the documents read");
    }
    Ok(())
}

/// The digest's ROUGE F1s (concat, agreement, align+ m:1), then the lead baseline's
/// agreement and align+ m:1.
fn rouge_row(name: &str, r: &Rouge, lead: &Rouge) {
    let f = |s: [Score; 2]| s.map(|s| format!("{:>9.4}", s.f1())).join(" ");
    println!(
        "{name:<56} {} {} {}   {} {}",
        f(r.concat),
        f(r.agreement),
        f(r.align),
        f(lead.agreement),
        f(lead.align)
    );
}

/// A topic's gold timelines, prepared, and how many damaged lines of its `--batch-dir`
/// folder were skipped. Gold entries left out are warned of.
pub(super) fn prepare_topic<'t>(
    topic: &'t timeline17::Topic,
    annotations: &Annotations,
) -> Result<(Prepared<'t>, usize)> {
    for why in topic.timelines.iter().flat_map(|g| &g.skipped) {
        eprintln!("annalist: warning: {why}");
    }
    let (annotated, coref, damaged) = annotations.of(topic)?;
    let timelines = topic
        .timelines
        .par_iter()
        .map(|gold| (timeline17::prepare(&annotated, coref.as_ref(), gold), gold))
        .collect();
    Ok((timelines, damaged))
}

/// The candidate days of a topic's prepared timelines, each with its timeline and day
/// ([`timeline17::examples`]).
pub(super) fn topic_examples<'t>(
    timelines: &[(timeline17::Prepared, &'t timeline17::Gold)],
) -> Result<Vec<(&'t timeline17::Gold, NaiveDate, Example)>> {
    let mut out = Vec::new();
    for (p, gold) in timelines {
        out.extend(timeline17::examples(p, gold)?.into_iter().map(|(d, e)| (*gold, d, e)));
    }
    Ok(out)
}

/// Where a topic's annotated articles come from.
pub(super) enum Annotations<'a> {
    /// The model, run over the topic's articles.
    Model(Box<crate::model::Model>, crate::model::Options),
    /// A batch output folder per topic, under this folder.
    Stored(&'a Path),
}

impl<'a> Annotations<'a> {
    /// The stored batch folders under `batch_dir`, else the model `model` names.
    pub(super) fn new(batch_dir: Option<&'a Path>, model: &super::ModelArgs) -> Result<Annotations<'a>> {
        Ok(match batch_dir {
            Some(dir) => Annotations::Stored(dir),
            None => {
                let (model, opts) = model.load()?;
                Annotations::Model(Box::new(model), opts)
            }
        })
    }

    /// The topic's annotated articles, the event coreference head that reads their event
    /// vectors, and how many damaged lines of its batch folder were skipped.
    fn of(&self, topic: &timeline17::Topic) -> Result<(Vec<Annotated>, Option<EventCoref>, usize)> {
        let mut docs = Vec::new();
        for d in read_inputs(&[topic.articles.display().to_string()], &IngestOptions::default()) {
            docs.push(d.with_context(|| format!("topic {}", topic.name))?);
        }
        match self {
            Annotations::Model(model, opts) => Ok((
                annotate_all(model, *opts, docs.into_par_iter().map(prepare).collect())?,
                model.event_coref.clone(),
                0,
            )),
            Annotations::Stored(dir) => {
                let folder = dir.join(&topic.name);
                let stored = super::merge::read_batches(std::slice::from_ref(&folder)).with_context(|| {
                    format!(
                        "topic {}: --batch-dir wants {}, from `annalist batch --input {}`",
                        topic.name,
                        folder.display(),
                        topic.articles.display()
                    )
                })?;
                if stored.docs.len() != docs.len() {
                    eprintln!(
                        "annalist: warning: topic {}: {} holds {} of its {} articles (see its manifest.jsonl); the scores are of those",
                        topic.name,
                        folder.display(),
                        stored.docs.len(),
                        docs.len()
                    );
                }
                Ok((stored.docs, stored.coref, stored.problems.len()))
            }
        }
    }
}

fn row(name: &str, k: usize, s: Score, b: Score) {
    let k = if k > 0 { k.to_string() } else { String::new() };
    println!(
        "{name:<56} {k:>3}  {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}",
        s.precision,
        s.recall,
        s.f1(),
        b.precision,
        b.recall,
        b.f1()
    );
}

fn write(path: PathBuf, content: String) -> Result<()> {
    std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))
}

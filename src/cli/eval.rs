//! `annalist eval`: each stage against public gold data.

use super::ModelArgs;
use crate::eval::conll::{predict, Corpus};
use crate::ner::Decoding;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum EvalCommand {
    /// Entity-level precision/recall/F1 on a CoNLL-2003 file.
    Ner(EvalNerArgs),
    /// TempEval-3 TIMEX3 scores of the temporal tagger on a folder of gold TimeML.
    Timeml(super::eval_timeml::EvalTimemlArgs),
    /// SemEval-2015 Task 4 track A: one timeline per target entity from CAT XML, scored.
    Semeval2015(super::eval_semeval::EvalSemevalArgs),
    /// UPOS accuracy, UAS and LAS of the parser on a UD treebank (gold words).
    Ud(EvalUdArgs),
    /// Event triggers on TimeML gold (EVENT tags): span F1, strict and relaxed, and
    /// class F1, TempEval-3 style.
    Events(EvalEventsArgs),
    /// Timeline17 news timeline summarisation: digests of each topic's articles, date
    /// precision, recall and F1 per gold timeline and overall, beside the count baseline,
    /// and ROUGE-1/2 F1 of their sentences.
    Timeline17(super::eval_timeline17::EvalTimeline17Args),
    /// ECB+ event coreference: event mention P/R/F1 and MUC, B³, CEAF-e and CoNLL F1 per
    /// topic and overall, beside the same mentions grouped by their word.
    Ecb(super::eval_ecb::EvalEcbArgs),
    /// Entity coreference on CoNLL-U with `Entity=` chains (GUM): the pipeline's
    /// entities (names, pronouns and descriptions tied to them) against the gold chains,
    /// MUC, B³, CEAF-e and CoNLL F1, mentions matched by head, singletons left out.
    Coref(EvalCorefArgs),
    /// Event–time links on TimeML TLINKs (held-out files): which date anchors each event,
    /// and how it stands to the publication day, by the tree rules and the learned links.
    TimeLinks(super::time_links::EvalTimeLinksArgs),
}

#[derive(clap::Args, Debug)]
pub struct EvalUdArgs {
    /// A CoNLL-U file with gold trees; the model parses its words.
    #[arg(long, value_name = "GOLD")]
    conllu: PathBuf,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct EvalCorefArgs {
    /// A CoNLL-U file with `Entity=` coreference brackets in MISC (GUM, CorefUD).
    #[arg(long, value_name = "GOLD")]
    conllu: PathBuf,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct EvalEventsArgs {
    /// A folder of gold TimeML files (`*.tml`, searched recursively one level: a
    /// TBAQ-cleaned folder with TimeBank/ and AQUAINT/ works).
    gold_dir: PathBuf,
    /// Score only every N-th file in name order (the files `annalist train --timeml
    /// DIR --holdout N` held out), or all files when 0.
    #[arg(long, default_value_t = 0, value_name = "N")]
    holdout: usize,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct EvalNerArgs {
    /// A CoNLL file. With a predicted tag column after the gold one (the output of
    /// `annalist ner --conll`), it is scored as it is; with gold tags only
    /// (4 columns, as distributed), the model tags it first.
    #[arg(long, value_name = "FILE")]
    conll: PathBuf,
    /// How labels are read off the model's scores: `argmax` is the decoding before the
    /// constrained one, to compare with it.
    #[arg(long, value_enum, default_value_t)]
    decoding: Decoding,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Ner(args) => {
            let corpus = Corpus::read(&args.conll)?;
            let score = if corpus.has_prediction_column() {
                corpus.score()?
            } else {
                let (model, opts) = args.model.load()?;
                corpus.score_predictions(&predict(&model, &corpus, opts, args.decoding)?)?
            };
            print!("{score}");
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Timeml(args) => super::eval_timeml::run(&args).map(|()| ExitCode::SUCCESS),
        EvalCommand::Semeval2015(args) => super::eval_semeval::run(&args).map(|()| ExitCode::SUCCESS),
        EvalCommand::Timeline17(args) => super::eval_timeline17::run(&args).map(|()| ExitCode::SUCCESS),
        EvalCommand::Ecb(args) => super::eval_ecb::run(&args).map(|()| ExitCode::SUCCESS),
        EvalCommand::TimeLinks(args) => super::time_links::eval(&args),
        EvalCommand::Coref(args) => {
            let gold = crate::eval::entity_coref::read_file(&args.conllu)?;
            let (model, opts) = args.model.load()?;
            print!("{}", crate::eval::entity_coref::evaluate(&model, opts, &gold)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Ud(args) => {
            let gold = crate::parse::conllu::Conllu::read(&args.conllu)?;
            let (model, opts) = args.model.load()?;
            println!("{}", crate::eval::ud::evaluate(&model, &gold, opts)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Events(args) => {
            let gold = crate::eval::events::read_gold(&args.gold_dir, args.holdout)?;
            let (model, opts) = args.model.load()?;
            if model.heads.is_none() {
                anyhow::bail!(
                    "{}: this model has no event heads; use the bundled model or another annalist checkpoint",
                    args.model.model_dir().display()
                );
            }
            println!(
                "{} documents\n{}",
                gold.len(),
                crate::eval::events::evaluate(&model, &gold, opts)?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

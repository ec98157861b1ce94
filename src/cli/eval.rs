//! `annalist eval`: each stage against public gold data.

use super::ModelArgs;
use crate::eval::conll::{predict, Corpus};
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
}

#[derive(clap::Args, Debug)]
pub struct EvalNerArgs {
    /// A CoNLL file. With a predicted tag column after the gold one (the output of
    /// `annalist ner --conll`), it is scored as it is; with gold tags only
    /// (4 columns, as distributed), the model tags it first.
    #[arg(long, value_name = "FILE")]
    conll: PathBuf,
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
                corpus.score_predictions(&predict(&model, &corpus, opts)?)?
            };
            print!("{score}");
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Timeml(args) => super::eval_timeml::run(&args).map(|()| ExitCode::SUCCESS),
        EvalCommand::Semeval2015(args) => super::eval_semeval::run(&args).map(|()| ExitCode::SUCCESS),
    }
}

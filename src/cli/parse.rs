//! `annalist parse`: Universal Dependencies parses, as CoNLL-U.

use super::ModelArgs;
use crate::doc::CharIndex;
use crate::parse::conllu::Conllu;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ParseArgs {
    /// Plain text files (`-` for stdin): CoNLL-U of their sentences on stdout.
    files: Vec<PathBuf>,
    #[command(flatten)]
    read: super::input::ReadArgs,
    /// Parse a CoNLL-U file instead, on its own words (columns 1-2): the same file
    /// comes out with UPOS, HEAD and DEPREL filled.
    #[arg(long, value_name = "IN", requires = "output", conflicts_with = "files")]
    conllu: Option<PathBuf>,
    /// Where --conllu writes the parsed file.
    #[arg(long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(args: &ParseArgs) -> Result<ExitCode> {
    if let (Some(input), Some(output)) = (&args.conllu, &args.output) {
        let mut file = Conllu::read(input)?;
        let (model, opts) = args.model.load()?;
        crate::parse::fill(&model, &mut file, opts)?;
        std::fs::write(output, file.write()).with_context(|| format!("writing {}", output.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.files.is_empty() {
        anyhow::bail!("no input: pass text files (or - for stdin), or --conllu IN --output OUT");
    }
    let (docs, failed) = super::input::read_all(&args.files, &args.read);
    if !docs.is_empty() {
        let (model, opts) = args.model.load()?;
        if model.heads.is_none() {
            anyhow::bail!(
                "{}: this model has no parse heads; use the bundled model or another annalist checkpoint",
                args.model.model_dir().display()
            );
        }
        let prepared = docs
            .into_iter()
            .map(|(name, text)| crate::pipeline::prepare(crate::ingest::Document::plain(&name, text)))
            .collect();
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for a in crate::pipeline::annotate_all(&model, opts, prepared)? {
            write!(out, "{}", to_conllu(&a))?;
        }
        out.flush()?;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A document's sentences as CoNLL-U: `# newdoc id`, `# sent_id`, `# text`; MISC holds
/// `SpaceAfter=No` and `TokenRange=start:end` (character offsets into the file).
pub fn to_conllu(l: &crate::annotated::Annotated) -> String {
    let (name, text) = (&l.doc.id, &l.doc.text);
    let chars = CharIndex::new(text);
    let mut out = format!("# newdoc id = {name}\n");
    let g = &l.grammar;
    for (k, ((sentence, words), tokens)) in l.sentences.iter().zip(&g.words).zip(&g.parse).enumerate() {
        out.push_str(&format!(
            "# sent_id = {name}-{}\n# text = {}\n",
            k + 1,
            sentence.of(text).replace(['\n', '\r'], " ")
        ));
        for (i, (w, t)) in words.iter().zip(tokens).enumerate() {
            let (s, e) = chars.chars(*w);
            let joined = words.get(i + 1).is_some_and(|next| next.start == w.end);
            let misc = format!("{}TokenRange={s}:{e}", if joined { "SpaceAfter=No|" } else { "" });
            let form = w.of(text).replace([' ', '\t', '\n'], "_");
            out.push_str(&format!(
                "{}\t{form}\t_\t{}\t_\t_\t{}\t{}\t_\t{misc}\n",
                i + 1,
                t.upos,
                t.head,
                t.deprel
            ));
        }
        out.push('\n');
    }
    out
}

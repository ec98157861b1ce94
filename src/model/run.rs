//! Running the model over windows: packed forward passes, and every head's output
//! regrouped by unit and word.

use super::encode::{self, Window};
use super::heads::{to_vec_f32, to_vec_i64, TAG_HEADS};
use super::{Model, Options};
use anyhow::Result;
use tch::{Kind, Tensor};

/// A label and its probability.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pick {
    pub label: u16,
    pub prob: f32,
}

/// The per-word heads' best labels for one word, in [`TAG_HEADS`] order (indices into
/// the [`super::heads::HeadSpec`] label lists).
pub type WordTags = [Pick; TAG_HEADS.len()];

/// The words of one sentence that one window parsed (usually the whole sentence), as
/// a tree: the best one the arc scores make with one root ([`super::mst`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The unit (among those given to [`Model::run`]) the words belong to.
    pub unit: usize,
    /// Word indices within the unit, in order.
    pub words: Vec<usize>,
    /// The head of each word: 0 the root, `j` the j-th word (1-based) of this part.
    pub heads: Vec<usize>,
    /// The relation of each word to its head (an index into the relation labels).
    pub rels: Vec<u16>,
}

/// Everything the model says about a batch of units.
#[derive(Debug, Default)]
pub struct Output {
    /// `[unit][word][label]`: entity label log-probabilities.
    pub ner: Vec<Vec<Vec<f32>>>,
    /// `[unit][word]`: the per-word heads (empty lists when they did not run).
    pub tags: Vec<Vec<WordTags>>,
    /// The sentence parts of all units (none without heads).
    pub parts: Vec<Part>,
    /// `[unit][word]`: the hidden state of the words [`Options::vectors`] asks for (empty
    /// for the others).
    pub vectors: Vec<Vec<Vec<f32>>>,
    /// `[unit][word]`: the entity coreference head's projection of each candidate word
    /// ([`super::entity_coref::EntityCoref::project`]; empty for the others, and without
    /// the head).
    pub coref: Vec<Vec<Vec<f32>>>,
}

/// Padded tensors for a batch of windows, on one device.
pub struct Batch {
    pub ids: Tensor,
    pub types: Tensor,
    pub mask: Tensor,
    /// `[batch, words]`: the piece position of each owned word (0 for padding).
    pub positions: Tensor,
    /// The most words a window of the batch owns (at least 1).
    pub words: usize,
}

impl Model {
    /// Padded ids, case types, masks and word positions of `batch`, on the model's device.
    pub fn batch(&self, batch: &[&Window]) -> Batch {
        let width = batch.iter().map(|w| w.ids.len()).max().unwrap_or(0);
        let words = batch.iter().map(|w| w.owned.len()).max().unwrap_or(0).max(1);
        let n = batch.len();
        let (mut ids, mut types, mut mask) = (
            Vec::with_capacity(n * width),
            Vec::with_capacity(n * width),
            Vec::with_capacity(n * width),
        );
        let mut positions = vec![0i64; n * words];
        for (b, w) in batch.iter().enumerate() {
            let pad = width - w.ids.len();
            ids.extend_from_slice(&w.ids);
            ids.extend(std::iter::repeat_n(self.tokenizer.pad, pad));
            types.extend_from_slice(&w.types);
            types.extend(std::iter::repeat_n(0i64, pad));
            mask.extend(std::iter::repeat_n(1i64, w.ids.len()));
            mask.extend(std::iter::repeat_n(0i64, pad));
            for (i, &(pos, _)) in w.owned.iter().enumerate() {
                positions[b * words + i] = pos as i64;
            }
        }
        let device = self.vs.device();
        let t = |v: &[i64], shape: &[i64]| Tensor::from_slice(v).view(shape).to_device(device);
        let (nb, wd, nw) = (n as i64, width as i64, words as i64);
        Batch {
            ids: t(&ids, &[nb, wd]),
            types: t(&types, &[nb, wd]),
            mask: t(&mask, &[nb, wd]),
            positions: t(&positions, &[nb, nw]),
            words,
        }
    }

    /// `[batch, words, 1 + words]`: which heads each owned word of `batch` may take (the
    /// root, or another word of its sentence in the window), for the arc scorer; `words`
    /// as in [`Batch::words`]. Only the parser needs it, so entity-only runs skip it.
    pub fn allowed_heads(&self, batch: &[&Window], words: usize) -> Tensor {
        let mut allowed = vec![false; batch.len() * words * (words + 1)];
        for (b, w) in batch.iter().enumerate() {
            for (i, s) in w.sentences.iter().enumerate() {
                let row = (b * words + i) * (words + 1);
                allowed[row] = true;
                for (j, other) in w.sentences.iter().enumerate() {
                    allowed[row + j + 1] = j != i && other == s;
                }
            }
        }
        let (n, w) = (batch.len() as i64, words as i64);
        Tensor::from_slice(&allowed)
            .view([n, w, w + 1])
            .to_device(self.vs.device())
    }

    /// The hidden state of each owned word's first piece, `[batch, words, hidden]`.
    pub fn word_vectors(hidden: &Tensor, positions: &Tensor) -> Tensor {
        let size = hidden.size();
        let index = positions
            .unsqueeze(-1)
            .expand([size[0], positions.size()[1], size[2]], false);
        hidden.gather(1, &index, false)
    }

    /// Runs every head over `windows`, which cover units of `sizes[unit]` words, in
    /// forward passes of at most `opts.batch_tokens` pieces.
    pub fn run(&self, windows: &[Window], sizes: &[usize], opts: Options) -> Result<Output> {
        let n_labels = self.labels.len();
        let mut out = Output {
            ner: sizes.iter().map(|&n| vec![Vec::new(); n]).collect(),
            tags: sizes
                .iter()
                .map(|&n| {
                    if self.heads.is_some() && opts.grammar {
                        vec![WordTags::default(); n]
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            parts: Vec::new(),
            vectors: sizes.iter().map(|&n| vec![Vec::new(); n]).collect(),
            coref: sizes.iter().map(|&n| vec![Vec::new(); n]).collect(),
        };
        let lengths: Vec<usize> = windows.iter().map(|w| w.ids.len()).collect();
        for batch in encode::pack(&lengths, opts.batch_tokens) {
            let batch: Vec<&Window> = batch.iter().map(|&i| &windows[i]).collect();
            let t = self.batch(&batch);
            tch::no_grad(|| -> Result<()> {
                let hidden = self.hidden(&t.ids, &t.types, &t.mask, false)?;
                let words = Self::word_vectors(&hidden, &t.positions);
                let ner = to_vec_f32(
                    &self
                        .entity_logits(&words, false)
                        .to_kind(Kind::Float)
                        .log_softmax(-1, Kind::Float),
                )?;
                for (b, w) in batch.iter().enumerate() {
                    for (i, &(_, word)) in w.owned.iter().enumerate() {
                        let at = (b * t.words + i) * n_labels;
                        out.ner[w.unit][word] = ner[at..at + n_labels].to_vec();
                    }
                }
                if let Some(heads) = self.heads.as_ref().filter(|_| opts.grammar) {
                    self.run_heads(heads, &batch, &t, &words, opts.vectors, &mut out)?;
                }
                Ok(())
            })?;
        }
        Ok(out)
    }

    fn run_heads(
        &self,
        heads: &super::Heads,
        batch: &[&Window],
        t: &Batch,
        words: &Tensor,
        vectors: super::Vectors,
        out: &mut Output,
    ) -> Result<()> {
        let words = words.to_kind(Kind::Float);
        let picks: Vec<(Vec<i64>, Vec<f32>)> = heads
            .tags(&words, false)
            .iter()
            .map(|logits| -> Result<_> {
                let (p, l) = logits.softmax(-1, Kind::Float).max_dim(-1, false);
                Ok((to_vec_i64(&l)?, to_vec_f32(&p)?))
            })
            .collect::<Result<_>>()?;
        if vectors != super::Vectors::None {
            let hidden = words.size().last().map_or(0, |&h| h as usize);
            let all = to_vec_f32(&words)?;
            let events = &picks[TAG_HEADS.iter().position(|h| *h == "event").expect("an event head")].0;
            for (b, w) in batch.iter().enumerate() {
                for (i, &(_, word)) in w.owned.iter().enumerate() {
                    let at = b * t.words + i;
                    if vectors == super::Vectors::All || events[at] != 0 {
                        out.vectors[w.unit][word] = all[at * hidden..(at + 1) * hidden].to_vec();
                    }
                }
            }
        }
        if let Some(head) = &self.entity_coref {
            let upos = &picks[TAG_HEADS.iter().position(|h| *h == "upos").expect("a UPOS head")].0;
            let candidate: Vec<bool> = heads
                .spec
                .upos
                .iter()
                .map(|u| super::entity_coref::CANDIDATE_UPOS.contains(&u.as_str()))
                .collect();
            let width = head.width();
            let all = to_vec_f32(&head.project(&words))?;
            for (b, w) in batch.iter().enumerate() {
                for (i, &(_, word)) in w.owned.iter().enumerate() {
                    let at = b * t.words + i;
                    if candidate.get(upos[at] as usize) == Some(&true) {
                        out.coref[w.unit][word] = all[at * width..(at + 1) * width].to_vec();
                    }
                }
            }
        }
        let allowed = self.allowed_heads(batch, t.words);
        let arcs = to_vec_f32(&heads.arcs(&words, &allowed, false).log_softmax(-1, Kind::Float))?;
        let stride = t.words + 1;
        // The best tree of each part (a run of owned words of one sentence), then the
        // relation of each word to the head it got: `chosen` in the scorer's columns.
        let mut parts = Vec::new();
        let mut chosen = vec![0i64; batch.len() * t.words];
        for (b, w) in batch.iter().enumerate() {
            for (i, &(_, word)) in w.owned.iter().enumerate() {
                let at = b * t.words + i;
                for (k, (labels, probs)) in picks.iter().enumerate() {
                    out.tags[w.unit][word][k] = Pick {
                        label: labels[at] as u16,
                        prob: probs[at],
                    };
                }
            }
            let mut i = 0;
            while i < w.owned.len() {
                let end = (i..w.owned.len())
                    .find(|&k| w.sentences[k] != w.sentences[i])
                    .unwrap_or(w.owned.len());
                // Rows of the part's words over columns: the root, then the part's words.
                let mut scores = vec![Vec::new()]; // row 0: the root's, unused
                for k in i..end {
                    let base = (b * t.words + k) * stride;
                    scores.push(
                        std::iter::once(0)
                            .chain(i + 1..end + 1)
                            .map(|c| arcs[base + c])
                            .collect(),
                    );
                }
                let tree = super::mst::tree(&scores);
                for (k, &h) in tree.iter().enumerate().skip(1) {
                    chosen[b * t.words + i + k - 1] = if h == 0 { 0 } else { (i + h) as i64 };
                }
                let words = w.owned[i..end].iter().map(|o| o.1).collect();
                parts.push((
                    b,
                    i,
                    Part {
                        unit: w.unit,
                        words,
                        heads: tree[1..].to_vec(),
                        rels: Vec::new(),
                    },
                ));
                i = end;
            }
        }
        let chosen = Tensor::from_slice(&chosen)
            .view([batch.len() as i64, t.words as i64])
            .to_device(words.device());
        let rels = to_vec_i64(&heads.rels_for(&words, &chosen))?;
        for (b, i, mut part) in parts {
            part.rels = (0..part.words.len())
                .map(|k| rels[b * t.words + i + k] as u16)
                .collect();
            out.parts.push(part);
        }
        Ok(())
    }
}

/// What the model says about one document, its words numbered in text order across
/// its units (sentences, or the whole body: the same numbering either way).
#[derive(Debug, Default)]
pub struct DocOutput {
    pub ner: Vec<Vec<f32>>,
    pub tags: Vec<WordTags>,
    /// Parts in text order, `words` numbered across the document.
    pub parts: Vec<Part>,
    /// Per word, its hidden state when [`Options::vectors`] asked for it, else empty.
    pub vectors: Vec<Vec<f32>>,
    /// Per word, its entity coreference projection ([`Output::coref`]).
    pub coref: Vec<Vec<f32>>,
}

impl Model {
    /// Runs the windows of many documents in shared forward passes. Each document is
    /// given as its windows (`Window::unit` indexing its own units) and the word counts
    /// of its units.
    pub fn run_docs(&self, docs: &[(&[Window], &[usize])], opts: Options) -> Result<Vec<DocOutput>> {
        let (mut windows, mut sizes) = (Vec::new(), Vec::new());
        for (wins, units) in docs {
            let base = sizes.len();
            windows.extend(wins.iter().map(|w| Window {
                unit: base + w.unit,
                ..w.clone()
            }));
            sizes.extend_from_slice(units);
        }
        let out = self.run(&windows, &sizes, opts)?;
        // Where each global unit's words start within its document.
        let mut doc_of = Vec::with_capacity(sizes.len());
        let mut offset = Vec::with_capacity(sizes.len());
        for (d, (_, units)) in docs.iter().enumerate() {
            let mut at = 0;
            for n in units.iter() {
                doc_of.push(d);
                offset.push(at);
                at += n;
            }
        }
        let mut result: Vec<DocOutput> = docs.iter().map(|_| DocOutput::default()).collect();
        for (u, (((ner, tags), vectors), coref)) in out
            .ner
            .into_iter()
            .zip(out.tags)
            .zip(out.vectors)
            .zip(out.coref)
            .enumerate()
        {
            let r = &mut result[doc_of[u]];
            r.ner.extend(ner);
            r.tags.extend(tags);
            r.vectors.extend(vectors);
            r.coref.extend(coref);
        }
        for mut part in out.parts {
            let u = part.unit;
            part.words.iter_mut().for_each(|w| *w += offset[u]);
            result[doc_of[u]].parts.push(part);
        }
        // In text order (packing ran them shortest window first).
        result
            .iter_mut()
            .for_each(|r| r.parts.sort_by_key(|p| p.words.first().copied()));
        Ok(result)
    }
}

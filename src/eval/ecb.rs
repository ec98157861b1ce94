//! Reader of ECB+ (Cybulska & Vossen 2014), the benchmark of cross-document event
//! coreference: topics of news documents with their event mentions and gold clusters,
//! under the evaluation convention of its README (`shared/data/ecbplus`): only mentions
//! in the selected sentences of `ECBplus_coreference_sentences.csv` count, events are the
//! `ACTION_*` and `NEG_ACTION_*` markables, and clusters are coreference chains.

use crate::doc::Span;
use anyhow::{bail, Context, Result};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The CSV of selected sentences at the root of the release.
pub const SENTENCES_CSV: &str = "ECBplus_coreference_sentences.csv";

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The topic folder's name, e.g. "2".
    pub id: String,
    /// In document order: by number, then `ecb` before `ecbplus`.
    pub docs: Vec<EcbDoc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EcbDoc {
    /// The file stem, e.g. "2_1ecbplus".
    pub name: String,
    /// The tokens joined by single spaces, one sentence a line ('\n' between sentences).
    pub text: String,
    /// (ECB sentence number, byte span in `text`), in text order.
    pub sentences: Vec<(usize, Span)>,
    /// The byte span of each token, in `t_id` order. Whitespace around a token is dropped:
    /// the few tokens that are only a tab have an empty span.
    pub tokens: Vec<Span>,
    /// The sentence numbers the CSV lists for this file, ascending.
    pub selected: Vec<usize>,
    /// Event mentions in selected sentences, in text order.
    pub mentions: Vec<GoldMention>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldMention {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// Indices into `EcbDoc::tokens`, ascending.
    pub tokens: Vec<usize>,
    /// The ECB sentence number of the first token.
    pub sentence: usize,
    /// The markable's tag, e.g. "ACTION_OCCURRENCE".
    pub tag: String,
    /// The same string is the same event, across the documents of a topic: the
    /// CROSS_DOC_COREF note where the chain has one, else a name made of the document and
    /// an m_id.
    pub cluster: String,
}

impl Topic {
    /// The gold clusters as lists of (doc index, mention index), in order of first mention.
    pub fn gold_clusters(&self) -> Vec<Vec<(usize, usize)>> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut clusters: Vec<Vec<(usize, usize)>> = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            for (m, mention) in doc.mentions.iter().enumerate() {
                let i = *index.entry(&mention.cluster).or_insert_with(|| {
                    clusters.push(Vec::new());
                    clusters.len() - 1
                });
                clusters[i].push((d, m));
            }
        }
        clusters
    }
}

/// Reads the topics under `dir`, laid out like the release: the CSV of selected
/// sentences at its root, topic folders (named by number) in it or one level down
/// (`train/`, `dev/`). `topics`: only these folder names, else all; sorted by number.
pub fn read(dir: &Path, topics: Option<&[String]>) -> Result<Vec<Topic>> {
    let csv = dir.join(SENTENCES_CSV);
    if !csv.is_file() {
        bail!(
            "{} not found: give the ECB+ folder that has {SENTENCES_CSV} at its root",
            csv.display()
        );
    }
    let selected = read_selected(&csv)?;
    let mut folders = topic_folders(dir)?;
    if let Some(wanted) = topics {
        for id in wanted {
            if !folders.contains_key(&topic_number(id)) {
                bail!("topic folder {id} not found in {} or its subfolders", dir.display());
            }
        }
        folders.retain(|_, (id, _)| wanted.contains(id));
    }
    folders
        .into_values()
        .map(|(id, path)| read_topic(id, &path, &selected))
        .collect()
}

/// Orders topic folder names by number; a name that is no number sorts last.
fn topic_number(name: &str) -> (u64, String) {
    (name.parse().unwrap_or(u64::MAX), name.to_string())
}

/// Selected sentence numbers by file stem ("2_1ecbplus"), ascending.
fn read_selected(csv: &Path) -> Result<HashMap<String, Vec<usize>>> {
    let text = std::fs::read_to_string(csv).with_context(|| format!("reading {}", csv.display()))?;
    let mut selected: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (n == 0 && line.starts_with("Topic")) {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let sentence = fields.get(2).and_then(|s| s.parse::<usize>().ok());
        let (3, Some(sentence)) = (fields.len(), sentence) else {
            bail!(
                "{}:{}: expected `topic,file,sentence number`, found `{line}`",
                csv.display(),
                n + 1
            );
        };
        selected
            .entry(format!("{}_{}", fields[0], fields[1]))
            .or_default()
            .push(sentence);
    }
    for sentences in selected.values_mut() {
        sentences.sort_unstable();
        sentences.dedup();
    }
    Ok(selected)
}

/// Folders named by number in `dir` or in its other subfolders, keyed for numeric order.
fn topic_folders(dir: &Path) -> Result<BTreeMap<(u64, String), (String, PathBuf)>> {
    let subfolders = |d: &Path| -> Result<Vec<(String, PathBuf)>> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(d).with_context(|| format!("reading folder {}", d.display()))? {
            let path = entry.with_context(|| format!("reading folder {}", d.display()))?.path();
            if let (true, Some(name)) = (path.is_dir(), path.file_name().and_then(|n| n.to_str())) {
                found.push((name.to_string(), path));
            }
        }
        Ok(found)
    };
    let is_topic = |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit());
    let mut topics = BTreeMap::new();
    for (name, path) in subfolders(dir)? {
        let inner = if is_topic(&name) {
            vec![(name, path)]
        } else {
            subfolders(&path)?
        };
        for (name, path) in inner.into_iter().filter(|(n, _)| is_topic(n)) {
            if let Some((_, first)) = topics.insert(topic_number(&name), (name.clone(), path.clone())) {
                bail!(
                    "topic {name} is both in {} and in {}: keep one",
                    first.display(),
                    path.display()
                );
            }
        }
    }
    Ok(topics)
}

fn read_topic(id: String, dir: &Path, selected: &HashMap<String, Vec<usize>>) -> Result<Topic> {
    let mut files = super::files_with_extension(dir, "xml")?;
    if files.is_empty() {
        bail!("topic folder {} has no .xml documents", dir.display());
    }
    // "2_10ecb" after "2_9ecbplus": by document number, then the suffix.
    let order = |p: &PathBuf| {
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let rest = stem.split_once('_').map_or(stem, |(_, r)| r);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (
            rest[..digits].parse::<u64>().unwrap_or(u64::MAX),
            rest[digits..].to_string(),
            stem.to_string(),
        )
    };
    files.sort_by_cached_key(order);
    let mut raws = Vec::new();
    for path in &files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let xml = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let raw = parse(&xml).with_context(|| format!("{}", path.display()))?;
        raws.push((name, path, raw));
    }
    let clusters = Clusters::of(
        &raws
            .iter()
            .map(|(name, _, raw)| (name.as_str(), raw))
            .collect::<Vec<_>>(),
    );
    let docs = raws
        .iter()
        .map(|(name, path, raw)| {
            let sentences = selected.get(name).cloned().unwrap_or_default();
            build_doc(name, raw, sentences, &clusters).with_context(|| format!("{}", path.display()))
        })
        .collect::<Result<_>>()?;
    Ok(Topic { id, docs })
}

fn is_event(tag: &str) -> bool {
    tag.starts_with("ACTION_") || tag.starts_with("NEG_ACTION_")
}

/// A document as written: tokens, anchored markables and coreference relations.
#[derive(Debug, Default)]
struct RawDoc {
    /// (t_id, sentence, text), in file order.
    tokens: Vec<(usize, usize, String)>,
    markables: Vec<Markable>,
    relations: Vec<Relation>,
}

#[derive(Debug)]
struct Markable {
    tag: String,
    m_id: String,
    anchors: Vec<usize>,
    line: usize,
}

#[derive(Debug)]
struct Relation {
    /// The CROSS_DOC_COREF note, or None for INTRA_DOC_COREF.
    note: Option<String>,
    sources: Vec<String>,
    target: Option<String>,
    tag: String,
}

fn parse(xml: &str) -> Result<RawDoc> {
    let mut reader = quick_xml::Reader::from_str(xml);
    // Line numbers for messages, counted as the reader moves forward.
    let (mut counted, mut newlines) = (0, 0);
    let mut line_at = |pos: u64| {
        let pos = (pos as usize).clamp(counted, xml.len());
        newlines += xml.as_bytes()[counted..pos].iter().filter(|&&b| b == b'\n').count();
        counted = pos;
        newlines + 1
    };
    let mut parser = Parser::default();
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(e) => bail!("malformed XML at line {}: {e}", line_at(reader.error_position())),
        };
        let line = line_at(reader.buffer_position());
        parser.event(event, line).with_context(|| format!("line {line}"))?;
    }
    if parser.depth != 0 {
        bail!("malformed XML: the file ends inside an element");
    }
    Ok(parser.doc)
}

#[derive(Debug, Default, PartialEq)]
enum Section {
    #[default]
    Other,
    Markables,
    Relations,
}

/// The state of reading one document: what the next anchor, source or text belongs to.
#[derive(Default)]
struct Parser {
    doc: RawDoc,
    section: Section,
    depth: usize,
    token: Option<(usize, usize, String)>,
    markable: Option<Markable>,
    relation: Option<Relation>,
}

impl Parser {
    fn event(&mut self, event: Event, line: usize) -> Result<()> {
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                self.depth += usize::from(!empty);
                let name = e.name().into_inner();
                self.open(name, e, empty, line)?;
            }
            Event::End(ref e) => {
                self.depth = self.depth.saturating_sub(1);
                self.close(e.name().as_ref());
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = self.token.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = self.token.as_mut() {
                    match r.resolve_char_ref()? {
                        Some(c) => text.push(c),
                        None => match resolve_predefined_entity(&r.xml10_content()) {
                            Some(s) => text.push_str(s),
                            None => bail!("unknown entity &{};", r.xml10_content()),
                        },
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, name: &str, e: &BytesStart, empty: bool, line: usize) -> Result<()> {
        match name {
            "token" => {
                let token = (number(e, "t_id")?, number(e, "sentence")?, String::new());
                if empty {
                    self.doc.tokens.push(token);
                } else {
                    self.token = Some(token);
                }
            }
            "Markables" if !empty => self.section = Section::Markables,
            "Relations" if !empty => self.section = Section::Relations,
            "token_anchor" => match self.markable.as_mut() {
                Some(m) => m.anchors.push(number(e, "t_id")?),
                None => bail!("token_anchor outside a markable"),
            },
            "source" | "target" => {
                if let Some(r) = self.relation.as_mut() {
                    let m_id = required(e, "m_id", name)?;
                    if name == "source" {
                        r.sources.push(m_id);
                    } else {
                        r.target = Some(m_id);
                    }
                }
            }
            // Self-closing markables are instances (a chain's name), not mentions.
            _ if self.section == Section::Markables && !empty && self.markable.is_none() => {
                let m_id = required(e, "m_id", name)?;
                self.markable = Some(Markable {
                    tag: name.to_string(),
                    m_id,
                    anchors: Vec::new(),
                    line,
                });
            }
            "CROSS_DOC_COREF" | "INTRA_DOC_COREF" if self.section == Section::Relations && !empty => {
                let note = if name == "CROSS_DOC_COREF" {
                    Some(required(e, "note", name)?)
                } else {
                    None
                };
                self.relation = Some(Relation {
                    note,
                    sources: Vec::new(),
                    target: None,
                    tag: name.to_string(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) {
        if name == "token" {
            // A few tokens carry tabs ("Awards\t"); keep the text one sentence a line.
            self.doc.tokens.extend(
                self.token
                    .take()
                    .map(|(t, s, w)| (t, s, w.split_whitespace().collect::<Vec<_>>().join(" "))),
            );
        } else if name == "Markables" || name == "Relations" {
            self.section = Section::Other;
        } else if self.markable.as_ref().is_some_and(|m| m.tag == name) {
            // One without anchors is an instance too.
            self.doc
                .markables
                .extend(self.markable.take().filter(|m| !m.anchors.is_empty()));
        } else if self.relation.as_ref().is_some_and(|r| r.tag == name) {
            self.doc.relations.extend(self.relation.take());
        }
    }
}

fn required(e: &BytesStart, key: &str, tag: &str) -> Result<String> {
    text_attr(e, key)?.with_context(|| format!("{tag} without {key}"))
}

/// A required attribute that must be a non-negative number.
fn number(e: &BytesStart, key: &str) -> Result<usize> {
    let value = required(e, key, e.name().into_inner())?;
    value
        .parse()
        .with_context(|| format!("{key}=\"{value}\" is not a number"))
}

fn text_attr(e: &BytesStart, key: &str) -> Result<Option<String>> {
    match e.try_get_attribute(key).context("malformed XML attribute")? {
        Some(a) => Ok(Some(a.normalized_value(XmlVersion::Implicit1_0)?.into_owned())),
        None => Ok(None),
    }
}

/// Coreference chains of one topic's event mentions: a CROSS_DOC_COREF chain by its
/// note, an INTRA_DOC_COREF chain by document and target, joined where a mention is in
/// both (union-find over chain names); any other mention is its own chain. Chains are
/// joined through every mention of the documents, selected sentences or not, as the
/// annotation links them.
struct Clusters {
    /// Chain names of each (document, m_id) event mention.
    of_mention: HashMap<(String, String), usize>,
    /// The cluster string of each chain name's set.
    names: Vec<String>,
}

impl Clusters {
    fn of(docs: &[(&str, &RawDoc)]) -> Clusters {
        let mut keys: Vec<(String, bool)> = Vec::new();
        let mut key_index: HashMap<String, usize> = HashMap::new();
        let mut intern = |key: String, is_note: bool| {
            *key_index.entry(key.clone()).or_insert_with(|| {
                keys.push((key, is_note));
                keys.len() - 1
            })
        };
        let mut mention_keys: Vec<((String, String), Vec<usize>)> = Vec::new();
        for (name, doc) in docs {
            let mut chains: HashMap<&str, Vec<usize>> = HashMap::new();
            for r in &doc.relations {
                let key = match (&r.note, &r.target) {
                    (Some(note), _) => intern(note.clone(), true),
                    (None, Some(target)) => intern(format!("{name}/{target}"), false),
                    (None, None) => continue,
                };
                for m in r.sources.iter().chain(&r.target) {
                    chains.entry(m.as_str()).or_default().push(key);
                }
            }
            for m in doc.markables.iter().filter(|m| is_event(&m.tag)) {
                let own = chains.get(m.m_id.as_str()).cloned();
                let own = own.unwrap_or_else(|| vec![intern(format!("{name}/{}", m.m_id), false)]);
                mention_keys.push(((name.to_string(), m.m_id.clone()), own));
            }
        }
        let mut parent: Vec<usize> = (0..keys.len()).collect();
        fn root(parent: &mut [usize], mut k: usize) -> usize {
            while parent[k] != k {
                parent[k] = parent[parent[k]];
                k = parent[k];
            }
            k
        }
        for (_, ks) in &mention_keys {
            for &k in &ks[1..] {
                let (a, b) = (root(&mut parent, ks[0]), root(&mut parent, k));
                parent[a.max(b)] = a.min(b);
            }
        }
        // A set is named by its smallest note, else its smallest name, so the name does
        // not depend on reading order.
        let mut best: HashMap<usize, &(String, bool)> = HashMap::new();
        for (k, key) in keys.iter().enumerate() {
            let r = root(&mut parent, k);
            let b = best.entry(r).or_insert(key);
            if (!key.1, &key.0) < (!b.1, &b.0) {
                *b = key;
            }
        }
        let names = (0..keys.len()).map(|k| best[&root(&mut parent, k)].0.clone()).collect();
        let of_mention = mention_keys.into_iter().map(|(m, ks)| (m, ks[0])).collect();
        Clusters { of_mention, names }
    }

    fn name(&self, doc: &str, m_id: &str) -> &str {
        &self.names[self.of_mention[&(doc.to_string(), m_id.to_string())]]
    }
}

fn build_doc(name: &str, raw: &RawDoc, selected: Vec<usize>, clusters: &Clusters) -> Result<EcbDoc> {
    let mut order: Vec<&(usize, usize, String)> = raw.tokens.iter().collect();
    order.sort_by_key(|t| t.0);
    if let Some(w) = order.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!("two tokens have t_id {}", w[0].0);
    }
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(order.len());
    let mut sentences: Vec<(usize, Span)> = Vec::new();
    for &&(t_id, sentence, ref word) in &order {
        match sentences.last_mut() {
            Some((s, span)) if *s == sentence => {
                text.push(' ');
                let start = text.len();
                text.push_str(word);
                span.end = text.len();
                tokens.push(Span::new(start, text.len()));
            }
            last => {
                if last.is_some() {
                    text.push('\n');
                }
                if sentences.iter().any(|(s, _)| *s == sentence) {
                    bail!("sentence {sentence} resumes at t_id {t_id} after another sentence");
                }
                let start = text.len();
                text.push_str(word);
                sentences.push((sentence, Span::new(start, text.len())));
                tokens.push(Span::new(start, text.len()));
            }
        }
    }
    let index: HashMap<usize, usize> = order.iter().enumerate().map(|(i, t)| (t.0, i)).collect();
    let mut mentions = Vec::new();
    for m in raw.markables.iter().filter(|m| is_event(&m.tag)) {
        let mut toks = Vec::with_capacity(m.anchors.len());
        for t in &m.anchors {
            match index.get(t) {
                Some(&i) => toks.push(i),
                None => bail!(
                    "line {}: markable {} m_id={} anchors t_id={t}, which is no token",
                    m.line,
                    m.tag,
                    m.m_id
                ),
            }
        }
        toks.sort_unstable();
        toks.dedup();
        let sentence = order[toks[0]].1;
        if selected.binary_search(&sentence).is_ok() {
            mentions.push(GoldMention {
                span: Span::new(tokens[toks[0]].start, tokens[toks[toks.len() - 1]].end),
                tokens: toks,
                sentence,
                tag: m.tag.clone(),
                cluster: clusters.name(name, &m.m_id).to_string(),
            });
        }
    }
    mentions.sort_by_key(|m| (m.span.start, m.span.end));
    Ok(EcbDoc {
        name: name.to_string(),
        text,
        sentences,
        tokens,
        selected,
        mentions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "tests/fixtures/ecb";

    fn fixture() -> Topic {
        let mut topics = read(Path::new(FIXTURE), None).unwrap();
        assert_eq!(topics.len(), 1);
        topics.remove(0)
    }

    /// A copy of the fixture with its topic folder at `topic_dir` (under a fresh root) and
    /// `edit` applied to 1_1ecb.xml.
    fn copy_fixture(topic_dir: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::copy(Path::new(FIXTURE).join(SENTENCES_CSV), root.path().join(SENTENCES_CSV)).unwrap();
        let dir = root.path().join(topic_dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["1_1ecb.xml", "1_1ecbplus.xml"] {
            let text = std::fs::read_to_string(Path::new(FIXTURE).join("dev/1").join(name)).unwrap();
            let text = if name == "1_1ecb.xml" { edit(text) } else { text };
            std::fs::write(dir.join(name), text).unwrap();
        }
        root
    }

    fn error_of(root: &Path) -> String {
        format!("{:#}", read(root, None).unwrap_err())
    }

    #[test]
    fn reads_text_sentences_and_tokens() {
        let topic = fixture();
        assert_eq!(topic.id, "1");
        let names: Vec<&str> = topic.docs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["1_1ecb", "1_1ecbplus"]);
        let doc = &topic.docs[0];
        assert_eq!(
            doc.text,
            "The robot painted the fence .\nNeighbours said it painted well .\nIt rested afterwards .\nPaint & brushes were sold ."
        );
        let sentences: Vec<(usize, &str)> = doc.sentences.iter().map(|(n, s)| (*n, s.of(&doc.text))).collect();
        assert_eq!(sentences[1], (1, "Neighbours said it painted well ."));
        assert_eq!(sentences.len(), 4);
        assert_eq!(doc.tokens.len(), 22);
        assert_eq!(doc.tokens[17].of(&doc.text), "&");
        assert_eq!(doc.selected, [0, 1, 3]);
        let plus = &topic.docs[1];
        assert_eq!(plus.sentences[0].1.of(&plus.text), "http : / / example . org");
        assert_eq!(plus.tokens[13].of(&plus.text), "Tuesday");
    }

    #[test]
    fn event_mentions_of_selected_sentences_in_text_order() {
        let topic = fixture();
        fn words(d: &EcbDoc) -> Vec<&str> {
            d.mentions.iter().map(|m| m.span.of(&d.text)).collect()
        }
        // Not the entity "The robot", not "rested" (sentence 2 is not selected).
        assert_eq!(words(&topic.docs[0]), ["painted", "said", "painted", "sold"]);
        assert_eq!(
            words(&topic.docs[1]),
            ["painted", "Reports", "say", "painting", "did not stop"]
        );
        let first = &topic.docs[0].mentions[0];
        assert_eq!(
            (first.span, first.tokens.as_slice(), first.sentence),
            (Span::new(10, 17), &[2][..], 0)
        );
        let negated = &topic.docs[1].mentions[4];
        assert_eq!(
            (negated.tag.as_str(), negated.tokens.as_slice(), negated.sentence),
            ("NEG_ACTION_OCCURRENCE", &[24, 25, 26][..], 2)
        );
    }

    #[test]
    fn clusters_join_cross_and_intra_document_chains() {
        let topic = fixture();
        // The first "painted" of 1_1ecb is in the cross-document chain ACT0001 and, with the
        // second, in an intra-document chain: all four paintings are one event.
        let clusters: Vec<&str> = topic.docs[0].mentions.iter().map(|m| m.cluster.as_str()).collect();
        assert_eq!(clusters, ["ACT0001", "1_1ecb/3", "ACT0001", "1_1ecb/6"]);
        assert_eq!(
            topic.gold_clusters(),
            vec![
                vec![(0, 0), (0, 2), (1, 0), (1, 3)],
                vec![(0, 1)],
                vec![(0, 3)],
                vec![(1, 1), (1, 2)],
                vec![(1, 4)]
            ]
        );
    }

    #[test]
    fn topic_folders_directly_in_the_root_and_chosen_topics() {
        let root = copy_fixture("1", |t| t);
        assert_eq!(read(root.path(), Some(&["1".to_string()])).unwrap(), vec![fixture()]);
        let err = format!("{:#}", read(Path::new(FIXTURE), Some(&["9".to_string()])).unwrap_err());
        assert!(err.contains("topic folder 9 not found"), "{err}");
        std::fs::create_dir_all(root.path().join("train/1")).unwrap();
        assert!(error_of(root.path()).contains("topic 1 is both in"));
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let err = error_of(&Path::new(FIXTURE).join("dev"));
        assert!(err.contains(SENTENCES_CSV) && err.contains("not found"), "{err}");

        let root = copy_fixture("dev/1", |t| t.replacen("</token>", "</tok>", 1));
        let err = error_of(root.path());
        assert!(
            err.contains("1_1ecb.xml") && err.contains("malformed XML at line 2"),
            "{err}"
        );

        let root = copy_fixture("dev/1", |t| t.replace("</Document>", ""));
        assert!(error_of(root.path()).contains("ends inside an element"));

        let root = copy_fixture("dev/1", |t| {
            t.replace("<token_anchor t_id=\"21\"/>", "<token_anchor t_id=\"99\"/>")
        });
        let err = error_of(root.path());
        assert!(
            err.contains("1_1ecb.xml") && err.contains("m_id=6 anchors t_id=99, which is no token"),
            "{err}"
        );

        let root = copy_fixture("dev/1", |t| {
            t.replace("t_id=\"3\" sentence=\"0\"", "t_id=\"x\" sentence=\"0\"")
        });
        let err = error_of(root.path());
        assert!(err.contains("1_1ecb.xml: line 4: t_id=\"x\" is not a number"), "{err}");

        let root = copy_fixture("dev/1", |t| t);
        std::fs::write(root.path().join(SENTENCES_CSV), "Topic,File,Sentence Number\n1,1ecb\n").unwrap();
        assert!(error_of(root.path()).contains(":2: expected `topic,file,sentence number`"));
    }

    /// The README's counts: documents with selected sentences (dev/34/34_5ecb.xml and one
    /// train file have none, and are read with no mentions), event mentions in selected
    /// sentences, clusters and singletons.
    #[test]
    #[cfg_attr(not(shared_corpora), ignore = "needs ../shared")]
    fn train_and_dev_topics_have_the_readme_counts() {
        let counts = |ids: &[&str]| {
            let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            let topics = read(Path::new("../shared/data/ecbplus"), Some(&ids)).unwrap();
            assert_eq!(topics.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), ids);
            let docs = topics.iter().flat_map(|t| &t.docs);
            let files = docs.clone().count();
            let selected = docs.clone().filter(|d| !d.selected.is_empty()).count();
            let mentions: usize = docs.map(|d| d.mentions.len()).sum();
            let clusters: Vec<Vec<(usize, usize)>> = topics.iter().flat_map(Topic::gold_clusters).collect();
            let singletons = clusters.iter().filter(|c| c.len() == 1).count();
            (files, selected, mentions, clusters.len(), singletons)
        };
        assert_eq!(
            counts(&["2", "5", "12", "18", "21", "23", "34", "35"]),
            (197, 196, 1245, 409, 280)
        );
        let train = [
            "1", "3", "4", "6", "7", "8", "9", "10", "11", "13", "14", "16", "19", "20", "22", "24", "25", "26", "27",
            "28", "29", "30", "31", "32", "33",
        ];
        assert_eq!(counts(&train), (575, 574, 3808, 1527, 1116));
    }
}

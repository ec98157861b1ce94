//! annalist turns news articles into a dated, sourced timeline of who did what, where
//! and when.
//!
//! The modules follow a document through the pipeline, in order:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | doc | [`doc`] | the shared types below every stage: [`doc::Span`], and the ids [`doc::DocId`], [`doc::EntityId`], [`doc::EventId`] |
//! | learn | [`learn`] | named features → class probabilities: the multinomial logistic regression the stages' small learned decisions use |
//! | ingest | [`ingest`] | files, JSON lines, stdin → [`ingest::Document`] (text, publication date, body spans) |
//! | segment | [`segment`] | text → sentence and word [`doc::Span`]s |
//! | model | [`model`] | words → one transformer pass per window (rust-bert, libtorch): entity, UPOS, parse and event scores |
//! | ner | [`ner`] | model output → typed entity mentions |
//! | parse | [`parse`] | model output → a Universal Dependencies tree per sentence; CoNLL-U |
//! | triggers | [`triggers`] | model output → TimeML event mentions (class, polarity, modality, tense, aspect) |
//! | chains | [`chains`] | model output → entity coreference chains: a document's names, descriptions and pronouns that stand for one thing |
//! | time | [`time`] | text + publication date → normalised TIMEX3 expressions |
//! | annotated | [`annotated`] | one document with all the above: what the cross-document stages read |
//! | resolve | [`resolve`] | mentions of all documents → entities (canonical name, aliases, roles); pronouns and descriptions tied to them |
//! | events | [`events`] | parses + triggers + entities + times → typed events with participants, dates and factuality, merged across documents; publication days inferred for undated ones |
//! | graph | [`graph`] | documents, entities, events, times → a petgraph graph and the timeline order |
//! | digest | [`digest`] | timeline → the key days, each with summary sentences from the articles, its events and sources, and the score that chose it |
//! | export | [`export`] | timeline → JSON (with a JSON Schema, and read back), the analyst's offline page, TimelineJS, GraphViz DOT, SVG |
//! | pipeline | [`pipeline`] | the glue: per-document stages, then annotated documents → [`graph::Timeline`] |
//! | batch | [`batch`] | the pipeline over a corpus as a stream: chunks, commits, resume, shards, merge |
//! | eval | [`eval`] | the stages above against public gold data |
//! | train | [`train`] | fine-tuning the model on CoNLL-2003, UD and TimeML |
//! | cli | [`cli`] | the `annalist` command, a thin layer over the above |
//!
//! Every annotation is a [`doc::Span`] into the document's unchanged text. Data flows one
//! way: a module imports only those above it in this table (two exceptions: `ingest`
//! reads publication dates with `time`'s date parser, and `triggers` speaks in the TimeML
//! attribute types of `time::timeml`), never the glue that runs it.

pub mod annotated;
pub mod batch;
pub mod chains;
pub mod cli;
pub mod digest;
pub mod doc;
pub mod eval;
pub mod events;
pub mod export;
pub mod graph;
pub mod ingest;
pub mod learn;
pub mod model;
pub mod ner;
pub mod parse;
pub mod pipeline;
pub mod resolve;
pub mod segment;
pub mod time;
pub mod train;
pub mod triggers;

//! TimeML, the TempEval-3 exchange format: write a tagged document, read a gold one.
//!
//! The reader reproduces the plain text that the independent scorer
//! (`shared/tools/timex/tml.py`) derives from a gold file — the content of `<TEXT>`
//! with every tag removed and entities unescaped — so that offsets computed here agree
//! with it. It is a small scanner rather than an XML parser on purpose: TempEval
//! files are regular, and the scorer itself treats them as tag soup.

use super::{dct, Dct, DctSource, Timex, TimexType};
use crate::doc::Span;
use anyhow::{bail, Context};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

/// A gold TimeML document.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldDoc {
    /// The file name without its TimeML suffixes: the key the scorer uses.
    pub id: String,
    /// The `CREATION_TIME` TIMEX3, as `DctSource::Metadata`.
    pub dct: Option<Dct>,
    /// The plain text of `<TEXT>`.
    pub text: String,
    /// The TIMEX3s inside `<TEXT>`, the DCT excluded, ordered by span.
    pub timexes: Vec<GoldTimex>,
    /// The EVENTs inside `<TEXT>`, ordered by span, with their first instance's
    /// attributes.
    pub events: Vec<GoldEvent>,
    /// The TLINKs between an event and a time (a TIMEX3 or the creation time), in file
    /// order, each read from the event's side.
    pub time_links: Vec<TimeLink>,
    /// The TLINKs between two events, in file order.
    pub event_links: Vec<EventLink>,
}

/// A TLINK between two events: `from` stands to `to` as `relation` says (`BEFORE`: it
/// happened first).
#[derive(Debug, Clone, PartialEq)]
pub struct EventLink {
    /// The EVENTs' `eid`s (not their instances' `eiid`s).
    pub from: String,
    pub to: String,
    pub relation: Relation,
}

/// A TLINK between an event and a time, read from the event's side: `IS_INCLUDED` when
/// the event happened within the time, whichever way the file writes the link.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeLink {
    /// The EVENT's `eid` (not its instance's `eiid`).
    pub eid: String,
    /// The TIMEX3's `tid`; None for the document creation time.
    pub tid: Option<String>,
    pub relation: Relation,
}

/// A gold EVENT: its class and the attributes of its first `MAKEINSTANCE`.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    pub eid: String,
    /// Byte offsets into [`GoldDoc::text`].
    pub span: Span,
    /// Without a `MAKEINSTANCE` (TBAQ has 40 such EVENTs), the unmarked values:
    /// POS, no modality, tense and aspect NONE.
    pub attrs: EventAttrs,
    /// Whether a `MAKEINSTANCE` gave the attributes: without one the gold says nothing of
    /// polarity, tense and aspect, and no system value agrees with it.
    pub has_instance: bool,
}

/// The TimeML attributes of an event: the EVENT's class and its instance's polarity,
/// modality, tense and aspect. They serialize as TimeML spells them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventAttrs {
    pub class: EventClass,
    pub polarity: Polarity,
    pub modality: Modality,
    pub tense: Tense,
    pub aspect: Aspect,
}

/// Declares a closed TimeML 1.2 value set: the enum, its TimeML spelling (`as_str`),
/// parsing from it in any case (as the scorer compares), and serde as that spelling, so
/// that every output keeps the strings it always had. Parsing a value outside the set
/// is an error naming the attribute, the value and the set: a gold file ([`parse`]) or a
/// batch record with one is refused. (A model's labels are read leniently, as its
/// entity labels are: [`crate::triggers::decode`].)
macro_rules! timeml_values {
    ($(#[$meta:meta])* $name:ident, $attr:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as TimeML writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = anyhow::Error;

            fn from_str(s: &str) -> anyhow::Result<$name> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| anyhow::anyhow!(
                        "{} {s:?} is not a TimeML 1.2 value; it is one of {}",
                        $attr,
                        [$($text),+].join(", ")
                    ))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                <String as serde::Deserialize>::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

timeml_values! {
    /// The EVENT's class.
    EventClass, "class" {
        Occurrence = "OCCURRENCE",
        /// Says, reports or narrates another event ("said", "told").
        Reporting = "REPORTING",
        State = "STATE",
        IAction = "I_ACTION",
        IState = "I_STATE",
        Aspectual = "ASPECTUAL",
        Perception = "PERCEPTION",
    }
}

timeml_values! {
    /// An instance's polarity; POS when unmarked.
    #[derive(Default)]
    Polarity, "polarity" {
        #[default]
        Pos = "POS",
        Neg = "NEG",
    }
}

timeml_values! {
    /// An instance's tense; NONE for a noun or an unmarked instance.
    #[derive(Default)]
    Tense, "tense" {
        Past = "PAST",
        Present = "PRESENT",
        Future = "FUTURE",
        #[default]
        None = "NONE",
        Infinitive = "INFINITIVE",
        Prespart = "PRESPART",
        Pastpart = "PASTPART",
    }
}

timeml_values! {
    /// An instance's aspect; NONE when unmarked.
    #[derive(Default)]
    Aspect, "aspect" {
        #[default]
        None = "NONE",
        Progressive = "PROGRESSIVE",
        Perfective = "PERFECTIVE",
        PerfectiveProgressive = "PERFECTIVE_PROGRESSIVE",
    }
}

impl Aspect {
    /// PERFECTIVE or PERFECTIVE_PROGRESSIVE: done before the time of speech.
    pub fn is_perfective(self) -> bool {
        matches!(self, Aspect::Perfective | Aspect::PerfectiveProgressive)
    }
}

timeml_values! {
    /// A TLINK's `relType`: how the first interval stands to the second.
    Relation, "relType" {
        Before = "BEFORE",
        After = "AFTER",
        Includes = "INCLUDES",
        IsIncluded = "IS_INCLUDED",
        During = "DURING",
        DuringInv = "DURING_INV",
        Simultaneous = "SIMULTANEOUS",
        Identity = "IDENTITY",
        Begins = "BEGINS",
        BegunBy = "BEGUN_BY",
        Ends = "ENDS",
        EndedBy = "ENDED_BY",
        IBefore = "IBEFORE",
        IAfter = "IAFTER",
    }
}

impl Relation {
    /// The same relation read from the other side: A BEFORE B is B AFTER A.
    pub fn inverse(self) -> Relation {
        use Relation::*;
        match self {
            Before => After,
            After => Before,
            Includes => IsIncluded,
            IsIncluded => Includes,
            During => DuringInv,
            DuringInv => During,
            Begins => BegunBy,
            BegunBy => Begins,
            Ends => EndedBy,
            EndedBy => Ends,
            IBefore => IAfter,
            IAfter => IBefore,
            Simultaneous | Identity => self,
        }
    }
}

/// An instance's modality: a modal word, or none (the default).
///
/// Not an enum: TimeML leaves the word open (TBAQ has "would", "could", "have to",
/// "until", …), and the model's list ends in `other` for the rest; a closed type would
/// lose the gold's words or invent a set. Stored in lower case, as the model's labels
/// are written and as the scorer compares; unmarked (absent, empty, `none`) is no word,
/// written `none` in JSON and as an empty attribute in TimeML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Modality(Option<String>);

impl Modality {
    /// The modality written `word` (trimmed, any case).
    pub fn new(word: &str) -> Modality {
        let word = word.trim().to_lowercase();
        Modality((!word.is_empty() && word != "none").then_some(word))
    }

    /// The modal word; none when unmarked.
    pub fn word(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The word, `none` when unmarked: as the model's labels and annalist's JSON write it.
    pub fn as_str(&self) -> &str {
        self.word().unwrap_or("none")
    }
}

impl serde::Serialize for Modality {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Modality {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Modality, D::Error> {
        Ok(Modality::new(&<String as serde::Deserialize>::deserialize(d)?))
    }
}

/// A gold TIMEX3. Attributes are kept as written; a missing one is empty.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex {
    pub tid: String,
    /// Byte offsets into [`GoldDoc::text`].
    pub span: Span,
    pub kind: String,
    pub value: String,
    pub modifier: Option<String>,
}

/// The TimeML name of a TIMEX3 type.
pub fn type_name(kind: TimexType) -> &'static str {
    match kind {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    }
}

/// Renders `text` with its TIMEX3s as a TempEval-3 document.
///
/// Inline markup cannot express crossing or nested spans, so a timex that starts
/// inside an earlier (or longer, same-start) one is left out; so is one whose span
/// does not fit `text`.
pub fn render(doc_id: &str, text: &str, dct: Option<&Dct>, timexes: &[Timex]) -> String {
    render_with_events(doc_id, text, dct, timexes, &[])
}

/// [`render`] with EVENT tags too (an event overlapping a timex is left out), each
/// with a `MAKEINSTANCE` after the text.
pub fn render_with_events(
    doc_id: &str,
    text: &str,
    dct: Option<&Dct>,
    timexes: &[Timex],
    events: &[(Span, &EventAttrs)],
) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 512);
    out.push_str("<?xml version=\"1.0\" ?>\n<TimeML>\n\n");
    let _ = writeln!(out, "<DOCID>{}</DOCID>\n", escape(doc_id));
    if let Some(dct) = dct {
        let value = dct.date.format("%Y-%m-%d").to_string();
        let surface = dct.span.and_then(|s| text.get(s.start..s.end)).unwrap_or(&value);
        let _ = writeln!(
            out,
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{value}\" temporalFunction=\"false\" \
             functionInDocument=\"CREATION_TIME\">{}</TIMEX3></DCT>\n",
            escape(surface)
        );
    }
    out.push_str("<TEXT>");
    // (span, index): timexes first, then events, so a timex wins a tie.
    let mut ordered: Vec<(Span, usize)> = timexes
        .iter()
        .map(|t| t.span)
        .chain(events.iter().map(|e| e.0))
        .enumerate()
        .map(|(i, s)| (s, i))
        .collect();
    ordered.sort_by_key(|(s, i)| (s.start, std::cmp::Reverse(s.end), *i));
    let mut at = 0;
    let (mut tid, mut eid) = (0, 0);
    let mut instances = String::new();
    for (span, i) in ordered {
        let Some(surface) = text.get(span.start..span.end) else {
            continue;
        };
        if span.start < at || span.is_empty() {
            continue;
        }
        out.push_str(&escape(&text[at..span.start]));
        if let Some(t) = timexes.get(i) {
            tid += 1;
            let _ = write!(
                out,
                "<TIMEX3 tid=\"t{tid}\" type=\"{}\" value=\"{}\"",
                type_name(t.kind),
                escape(&t.value)
            );
            if let Some(m) = &t.modifier {
                let _ = write!(out, " mod=\"{}\"", escape(m));
            }
            let _ = write!(out, ">{}</TIMEX3>", escape(surface));
        } else {
            let e = events[i - timexes.len()].1;
            eid += 1;
            let _ = write!(
                out,
                "<EVENT eid=\"e{eid}\" class=\"{}\">{}</EVENT>",
                e.class,
                escape(surface)
            );
            let _ = writeln!(
                instances,
                "<MAKEINSTANCE eiid=\"ei{eid}\" eventID=\"e{eid}\" tense=\"{}\" aspect=\"{}\" polarity=\"{}\" modality=\"{}\" />",
                e.tense,
                e.aspect,
                e.polarity,
                escape(e.modality.word().unwrap_or(""))
            );
        }
        at = span.end;
    }
    out.push_str(&escape(&text[at..]));
    out.push_str("</TEXT>\n\n");
    out.push_str(&instances);
    out.push_str("\n</TimeML>\n");
    out
}

/// Reads a gold TimeML file.
pub fn read(path: &Path) -> anyhow::Result<GoldDoc> {
    let raw = crate::ingest::read_data_file(path)?;
    parse(&doc_name(path), &raw).with_context(|| format!("{} is not a usable TimeML file", path.display()))
}

/// The document id the scorer derives from a file name.
pub fn doc_name(path: &Path) -> String {
    let base = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    [
        ".tml.TE3input.tml",
        ".TE3input.tml",
        ".tml.tml",
        ".tml",
        ".xml",
        ".json",
    ]
    .iter()
    .find_map(|suffix| base.strip_suffix(suffix))
    .unwrap_or(&base)
    .to_string()
}

/// Parses TimeML markup; `id` names the document.
pub fn parse(id: &str, raw: &str) -> anyhow::Result<GoldDoc> {
    // Like the scorer: from the first <TEXT> to the last </TEXT>.
    let Some(open) = raw.find("<TEXT>") else {
        bail!("no <TEXT> element")
    };
    let body_start = open + "<TEXT>".len();
    let Some(close) = raw.rfind("</TEXT>").filter(|&c| c >= body_start) else {
        bail!("<TEXT> is never closed")
    };
    let (text, tagged) = strip_tags(&raw[body_start..close]);
    let (event_tags, tagged): (Vec<_>, Vec<_>) = tagged.into_iter().partition(|(tag, _, _)| tag == "EVENT");
    let instances = instances(raw);
    let creation = creation_attrs(raw);
    let mut events: Vec<GoldEvent> = event_tags
        .into_iter()
        .map(|(_, span, a)| gold_event(span, a, &instances))
        .collect::<anyhow::Result<_>>()?;
    events.sort_by_key(|e| (e.span.start, e.span.end));
    let mut timexes: Vec<GoldTimex> = tagged
        .into_iter()
        .map(|(_, span, a)| (span, a))
        .filter(|(_, a)| a.get("functionInDocument").map(String::as_str) != Some("CREATION_TIME"))
        .map(|(span, mut a)| GoldTimex {
            span,
            tid: a.remove("tid").unwrap_or_default(),
            kind: a.remove("type").unwrap_or_default(),
            value: a.remove("value").unwrap_or_default(),
            modifier: a.remove("mod"),
        })
        .collect();
    timexes.sort_by_key(|t| (t.span.start, t.span.end));
    let (time_links, event_links) = links(raw, creation.as_ref().and_then(|a| a.get("tid")))?;
    Ok(GoldDoc {
        id: id.to_string(),
        dct: creation_time(creation.as_ref())?,
        text,
        timexes,
        events,
        time_links,
        event_links,
    })
}

/// The TLINKs of a file, instances mapped to their events: those between an event and a
/// time (`eventInstanceID` with `relatedToTime`, or `timeID` with
/// `relatedToEventInstance`, turned round), where a link to `creation` (the creation
/// time's `tid`) has no `tid`; and those between two events (`eventInstanceID` with
/// `relatedToEventInstance`). Time–time links, and links to an instance no
/// `MAKEINSTANCE` declares, are left out.
fn links(raw: &str, creation: Option<&String>) -> anyhow::Result<(Vec<TimeLink>, Vec<EventLink>)> {
    static TLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<TLINK\b([^>]*)>").expect("valid regex"));
    let event_of: HashMap<String, String> = INSTANCE
        .captures_iter(raw)
        .map(|c| attrs(&c[1]))
        .filter_map(|mut a| Some((a.remove("eiid")?, a.remove("eventID")?)))
        .collect();
    let (mut times, mut events) = (Vec::new(), Vec::new());
    for c in TLINK.captures_iter(raw) {
        let a = attrs(&c[1]);
        let get = |k: &str| a.get(k);
        let event = |instance: &String| event_of.get(instance).cloned();
        let relation = || -> anyhow::Result<Relation> {
            let lid = get("lid").map_or("", String::as_str);
            get("relType")
                .with_context(|| format!("TLINK {lid:?} has no relType"))?
                .parse()
                .with_context(|| format!("TLINK {lid:?}"))
        };
        let time = |eid: String, tid: &String, relation: Relation| TimeLink {
            eid,
            tid: (Some(tid) != creation).then(|| tid.clone()),
            relation,
        };
        match (
            get("eventInstanceID"),
            get("relatedToTime"),
            get("timeID"),
            get("relatedToEventInstance"),
        ) {
            (Some(e), Some(t), _, _) => {
                let Some(eid) = event(e) else { continue };
                times.push(time(eid, t, relation()?));
            }
            (_, _, Some(t), Some(e)) => {
                let Some(eid) = event(e) else { continue };
                times.push(time(eid, t, relation()?.inverse()));
            }
            (Some(from), _, _, Some(to)) => {
                let (Some(from), Some(to)) = (event(from), event(to)) else {
                    continue;
                };
                events.push(EventLink {
                    from,
                    to,
                    relation: relation()?,
                });
            }
            _ => continue,
        }
    }
    Ok((times, events))
}

/// The EVENT with attributes `a` at `span`, with those of its instance among `instances`.
/// TimeML 1.2 gives every EVENT a class and every instance a tense, aspect and polarity:
/// one missing, or a value outside TimeML, is an error naming the EVENT and the value.
fn gold_event(span: Span, mut a: Attrs, instances: &HashMap<String, Attrs>) -> anyhow::Result<GoldEvent> {
    let eid = a.remove("eid").unwrap_or_default();
    let named = || format!("EVENT {eid:?}");
    let class: EventClass = a
        .get("class")
        .with_context(|| format!("{} has no class", named()))?
        .parse()
        .with_context(named)?;
    let instance = instances.get(eid.as_str());
    let attrs = match instance {
        None => EventAttrs {
            class,
            polarity: Polarity::default(),
            modality: Modality::default(),
            tense: Tense::default(),
            aspect: Aspect::default(),
        },
        Some(inst) => {
            let get = |k: &str| {
                inst.get(k)
                    .map(String::as_str)
                    .with_context(|| format!("the MAKEINSTANCE of {} has no {k}", named()))
            };
            EventAttrs {
                class,
                polarity: get("polarity")?.parse().with_context(named)?,
                modality: Modality::new(inst.get("modality").map_or("", String::as_str)),
                tense: get("tense")?.parse().with_context(named)?,
                aspect: get("aspect")?.parse().with_context(named)?,
            }
        }
    };
    Ok(GoldEvent {
        eid,
        span,
        attrs,
        has_instance: instance.is_some(),
    })
}

/// The attributes of each event's first `MAKEINSTANCE`, by `eventID`.
fn instances(raw: &str) -> HashMap<String, Attrs> {
    let mut out = HashMap::new();
    for c in INSTANCE.captures_iter(raw) {
        let a = attrs(&c[1]);
        if let Some(id) = a.get("eventID").cloned() {
            out.entry(id).or_insert(a);
        }
    }
    out
}

/// The attributes of the first TIMEX3 anywhere with `functionInDocument="CREATION_TIME"`.
fn creation_attrs(raw: &str) -> Option<Attrs> {
    TIMEX
        .captures_iter(raw)
        .map(|c| attrs(&c[1]))
        .find(|a| a.get("functionInDocument").map(String::as_str) == Some("CREATION_TIME"))
}

/// The creation time its TIMEX3's attributes `creation` give.
fn creation_time(creation: Option<&Attrs>) -> anyhow::Result<Option<Dct>> {
    let Some(a) = creation else { return Ok(None) };
    let value = a.get("value").map(String::as_str).unwrap_or_default();
    dct::parse_dct(value, DctSource::Metadata)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("the CREATION_TIME TIMEX3: {e}"))
}

type Attrs = HashMap<String, String>;

static INSTANCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<MAKEINSTANCE\b([^>]*)>").expect("valid regex"));
static TIMEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<TIMEX3\b([^>]*)>").expect("valid regex"));

/// Removes every tag from a TimeML fragment, returning the plain text and the spans
/// (into it) of the TIMEX3 and EVENT elements with their names and attributes. Same rules as `tml.py`:
/// `<!-- -->`, `<?...?>` and CDATA are not tags; an empty `<TIMEX3/>` has no span;
/// a stray closing tag is ignored.
fn strip_tags(xml: &str) -> (String, Vec<(String, Span, Attrs)>) {
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>").expect("valid regex"));
    let mut text = String::with_capacity(xml.len());
    let mut open: Vec<(String, usize, Attrs)> = Vec::new();
    let mut spans = Vec::new();
    let mut pos = 0;
    for c in TAG.captures_iter(xml) {
        let m = c.get(0).expect("whole match");
        text.push_str(&unescape(&xml[pos..m.start()]));
        pos = m.end();
        let name = &c[2];
        if name != "TIMEX3" && name != "EVENT" {
            continue;
        }
        if !c[1].is_empty() {
            if let Some(k) = open.iter().rposition(|(n, _, _)| n == name) {
                let (n, start, a) = open.remove(k);
                spans.push((n, Span::new(start, text.len()), a));
            }
        } else if c[4].is_empty() {
            open.push((name.to_string(), text.len(), attrs(&c[3])));
        }
    }
    text.push_str(&unescape(&xml[pos..]));
    (text, spans)
}

fn attrs(s: &str) -> Attrs {
    static ATTR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')"#).expect("valid regex")
    });
    ATTR.captures_iter(s)
        .map(|c| {
            let value = c.get(3).or_else(|| c.get(4)).map_or("", |m| m.as_str());
            (c[1].to_string(), unescape(value).into_owned())
        })
        .collect()
}

/// Escapes text for element content and double-quoted attributes.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
    Cow::Owned(out)
}

/// Resolves the five XML entities and numeric character references. Other named
/// (HTML) entities stay as written; TempEval data uses none.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Entities are short: look for the ';' close by, not across the text.
        let entity = rest
            .bytes()
            .skip(1)
            .take(12)
            .position(|b| b == b';')
            .map(|n| &rest[1..n + 1]);
        match entity.and_then(resolve) {
            Some(ch) => {
                out.push(ch);
                rest = &rest[entity.map_or(0, str::len) + 2..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn resolve(entity: &str) -> Option<char> {
    let code = match entity {
        "amp" => return Some('&'),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        _ => entity.strip_prefix('#')?,
    };
    let n = match code.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => code.parse().ok()?,
    };
    char::from_u32(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const GOLD: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
A &amp; B <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07" mod="END">late yesterday</TIMEX3> in Zürich,
for <TIMEX3 tid='t2' type="DURATION" value="P2D">two days</TIMEX3><TIMEX3 tid="t3" type="DATE" value="PRESENT_REF"/>.
</TEXT>
</TimeML>"#;

    #[test]
    fn reads_plain_text_dct_and_spans() {
        let doc = parse("X1", GOLD).unwrap();
        assert_eq!(doc.text, "\nA & B met late yesterday in Zürich,\nfor two days.\n");
        assert_eq!(
            doc.dct.as_ref().unwrap().date,
            NaiveDate::from_ymd_opt(1998, 1, 8).unwrap()
        );
        assert_eq!(doc.dct.as_ref().unwrap().source, DctSource::Metadata);
        let got: Vec<_> = doc
            .timexes
            .iter()
            .map(|t| (t.span.of(&doc.text), t.kind.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("late yesterday", "DATE", "1998-01-07"),
                ("two days", "DURATION", "P2D")
            ]
        );
        assert_eq!(doc.timexes[0].modifier.as_deref(), Some("END"));
        assert_eq!(doc.timexes[1].tid, "t2");
    }

    #[test]
    fn unusable_files_say_why() {
        assert!(parse("x", "<TimeML></TimeML>")
            .unwrap_err()
            .to_string()
            .contains("<TEXT>"));
        assert!(parse("x", "<TEXT>never closed").is_err());
        let bad_dct = GOLD.replace("1998-01-08", "someday");
        assert!(format!("{:#}", parse("x", &bad_dct).unwrap_err()).contains("someday"));
    }

    #[test]
    fn entities() {
        assert_eq!(
            unescape("a &lt;b&gt; &#233;&#x41; &nbsp; & &amp;amp;"),
            "a <b> éA &nbsp; & &amp;"
        );
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn doc_names_follow_the_scorer() {
        assert_eq!(doc_name(Path::new("/g/APW19980219.0476.tml")), "APW19980219.0476");
        assert_eq!(doc_name(Path::new("a.tml.TE3input.tml")), "a");
        assert_eq!(doc_name(Path::new("plain")), "plain");
    }

    fn timex(text: &str, surface: &str, kind: TimexType, value: &str) -> Timex {
        let start = text.find(surface).unwrap();
        Timex {
            span: Span::new(start, start + surface.len()),
            kind,
            value: value.into(),
            modifier: None,
            interval: None,
        }
    }

    #[test]
    fn render_round_trips_through_the_reader() {
        let text = "\nOn Tuesday <Reuters> said \"two days\" & more.\n";
        let dct = dct::parse_dct("2025-07-15", DctSource::Flag).unwrap();
        let mut tue = timex(text, "Tuesday", TimexType::Date, "2025-07-15");
        tue.modifier = Some("START".into());
        let timexes = [
            timex(text, "two days", TimexType::Duration, "P2D"),
            tue,
            timex(text, "days", TimexType::Duration, "overlapping, dropped"),
        ];
        let xml = render("doc<1>", text, Some(&dct), &timexes);
        assert!(xml.contains("<DOCID>doc&lt;1&gt;</DOCID>"));
        assert!(xml.contains(r#"functionInDocument="CREATION_TIME">2025-07-15</TIMEX3></DCT>"#));
        let back = parse("doc", &xml).unwrap();
        assert_eq!(back.text, text);
        assert_eq!(back.dct.unwrap().date, dct.date);
        let got: Vec<_> = back
            .timexes
            .iter()
            .map(|t| (t.span, t.tid.as_str(), t.value.as_str(), t.modifier.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (timexes[1].span, "t1", "2025-07-15", Some("START")),
                (timexes[0].span, "t2", "P2D", None)
            ]
        );
    }

    #[test]
    fn render_skips_spans_outside_the_text() {
        let t = Timex {
            span: Span::new(3, 99),
            kind: TimexType::Date,
            value: "X".into(),
            modifier: None,
            interval: None,
        };
        let xml = render("d", "abc", None, &[t]);
        assert!(!xml.contains("<DCT>"));
        assert!(xml.contains("<TEXT>abc</TEXT>"));
    }

    #[test]
    fn events_round_trip_with_their_instances() {
        let text = "Talks began on Monday and may resume.";
        let span = |w: &str| {
            let start = text.find(w).unwrap();
            Span::new(start, start + w.len())
        };
        let ev = |class: EventClass, tense: Tense, modality: &str| EventAttrs {
            class,
            tense,
            aspect: Aspect::None,
            polarity: Polarity::Pos,
            modality: Modality::new(modality),
        };
        let attrs = [
            ev(EventClass::Aspectual, Tense::Past, "none"),
            ev(EventClass::Occurrence, Tense::Infinitive, "may"),
            ev(EventClass::Occurrence, Tense::None, "none"),
        ];
        let events = [
            (span("began"), &attrs[0]),
            (span("resume"), &attrs[1]),
            (span("Monday"), &attrs[2]),
        ];
        let timexes = [timex(text, "Monday", TimexType::Date, "2025-03-10")];
        let xml = render_with_events("d", text, None, &timexes, &events);
        let back = parse("d", &xml).unwrap();
        assert_eq!(back.text, text);
        assert_eq!(back.timexes.len(), 1, "the timex wins over an event on the same words");
        let got: Vec<_> = back
            .events
            .iter()
            .map(|e| {
                (
                    e.span,
                    e.attrs.class,
                    e.attrs.tense,
                    e.attrs.modality.word(),
                    e.has_instance,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (span("began"), EventClass::Aspectual, Tense::Past, None, true),
                (
                    span("resume"),
                    EventClass::Occurrence,
                    Tense::Infinitive,
                    Some("may"),
                    true
                )
            ]
        );
        assert!(
            xml.contains(r#"polarity="POS" modality="" />"#),
            "no modality is written empty"
        );
    }

    #[test]
    fn event_values_serialize_as_timeml_spells_them() {
        for (class, text) in [(EventClass::IAction, "I_ACTION"), (EventClass::Reporting, "REPORTING")] {
            assert_eq!((class.as_str(), class.to_string()), (text, text.to_string()));
            assert_eq!(text.to_lowercase().parse::<EventClass>().unwrap(), class, "any case");
        }
        let attrs = EventAttrs {
            class: EventClass::Occurrence,
            polarity: Polarity::Neg,
            modality: Modality::new("Would"),
            tense: Tense::Prespart,
            aspect: Aspect::PerfectiveProgressive,
        };
        let json = serde_json::to_string(&attrs).unwrap();
        assert_eq!(
            json,
            r#"{"class":"OCCURRENCE","polarity":"NEG","modality":"would","tense":"PRESPART","aspect":"PERFECTIVE_PROGRESSIVE"}"#
        );
        assert_eq!(serde_json::from_str::<EventAttrs>(&json).unwrap(), attrs);
        assert_eq!(Modality::new(" NONE ").as_str(), "none");
        assert_eq!(Modality::new("").word(), None);
        let bad = json.replace("PRESPART", "PRESENT_PERFECT");
        let err = serde_json::from_str::<EventAttrs>(&bad).unwrap_err().to_string();
        assert!(
            err.contains(r#"tense "PRESENT_PERFECT" is not a TimeML 1.2 value"#),
            "{err}"
        );
    }

    /// GOLD with its event written `event` and the instances `instances`.
    fn gold_with(event: &str, instances: &str) -> anyhow::Result<GoldDoc> {
        let xml = GOLD
            .replace(r#"<EVENT eid="e1" class="OCCURRENCE">"#, event)
            .replace("</TimeML>", &format!("{instances}</TimeML>"));
        parse("x", &xml)
    }

    #[test]
    fn time_links_are_read_from_the_event_side() {
        let doc = gold_with(
            r#"<EVENT eid="e1" class="OCCURRENCE">"#,
            r#"<MAKEINSTANCE eiid="ei7" eventID="e1" tense="PAST" aspect="NONE" polarity="POS"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei7" relatedToTime="t1" />
<TLINK lid="l2" relType="INCLUDES" timeID="t2" relatedToEventInstance="ei7" />
<TLINK lid="l3" relType="BEFORE" eventInstanceID="ei7" relatedToTime="t0" />
<TLINK lid="l4" relType="BEFORE" timeID="t1" relatedToTime="t0" />
<TLINK lid="l5" relType="AFTER" eventInstanceID="ei9" relatedToTime="t1" />
<TLINK lid="l6" relType="SIMULTANEOUS" eventInstanceID="ei7" relatedToEventInstance="ei7" />
<TLINK lid="l7" relType="BEFORE" eventInstanceID="ei7" relatedToEventInstance="ei9" />"#,
        )
        .unwrap();
        let events: Vec<_> = doc
            .event_links
            .iter()
            .map(|l| (l.from.as_str(), l.to.as_str(), l.relation))
            .collect();
        assert_eq!(
            events,
            [("e1", "e1", Relation::Simultaneous)],
            "event-event links kept, those to an unknown instance left out"
        );
        let links: Vec<(&str, Option<&str>, Relation)> = doc
            .time_links
            .iter()
            .map(|l| (l.eid.as_str(), l.tid.as_deref(), l.relation))
            .collect();
        assert_eq!(
            links,
            [
                ("e1", Some("t1"), Relation::IsIncluded),
                ("e1", Some("t2"), Relation::IsIncluded),
                ("e1", None, Relation::Before),
            ],
            "the time-first link turned round, the DCT without a tid, time-time and unknown instances left out"
        );
        let bad = gold_with(
            r#"<EVENT eid="e1" class="OCCURRENCE">"#,
            r#"<MAKEINSTANCE eiid="ei7" eventID="e1" tense="PAST" aspect="NONE" polarity="POS"/>
<TLINK lid="l1" relType="ROUGHLY" eventInstanceID="ei7" relatedToTime="t1" />"#,
        )
        .unwrap_err();
        let e = format!("{bad:#}");
        assert!(e.contains(r#"TLINK "l1""#) && e.contains("ROUGHLY"), "{e}");
    }

    #[test]
    fn gold_events_take_their_instance_or_are_unmarked_without_one() {
        let doc = gold_with(
            r#"<EVENT eid="e1" class="reporting">"#,
            r#"<MAKEINSTANCE eiid="ei1" eventID="e1" tense="PAST" aspect="PERFECTIVE" polarity="NEG" modality="WOULD"/>
<MAKEINSTANCE eiid="ei2" eventID="e1" tense="FUTURE" aspect="NONE" polarity="POS"/>"#,
        )
        .unwrap();
        let e = &doc.events[0];
        assert_eq!(
            (
                e.attrs.class,
                e.attrs.polarity,
                e.attrs.tense,
                e.attrs.aspect,
                e.attrs.modality.word()
            ),
            (
                EventClass::Reporting,
                Polarity::Neg,
                Tense::Past,
                Aspect::Perfective,
                Some("would")
            ),
            "the first instance, values in any case"
        );
        assert!(e.has_instance);
        let bare = &parse("x", GOLD).unwrap().events[0];
        assert!(!bare.has_instance);
        assert_eq!(
            (
                bare.attrs.polarity,
                bare.attrs.tense,
                bare.attrs.aspect,
                bare.attrs.modality.word()
            ),
            (Polarity::Pos, Tense::None, Aspect::None, None)
        );
    }

    #[test]
    fn gold_values_outside_timeml_name_the_event_and_the_value() {
        let err = |event: &str, instance: &str| format!("{:#}", gold_with(event, instance).unwrap_err());
        let e = err(r#"<EVENT eid="e1" class="HAPPENING">"#, "");
        assert!(
            e.contains(r#"EVENT "e1""#) && e.contains(r#"class "HAPPENING""#) && e.contains("OCCURRENCE"),
            "{e}"
        );
        let e = err(r#"<EVENT eid="e1">"#, "");
        assert!(e.contains(r#"EVENT "e1" has no class"#), "{e}");
        let e = err(
            r#"<EVENT eid="e1" class="STATE">"#,
            r#"<MAKEINSTANCE eiid="ei1" eventID="e1" tense="PAST" aspect="NONE" polarity="MAYBE"/>"#,
        );
        assert!(e.contains(r#"polarity "MAYBE""#), "{e}");
        let e = err(
            r#"<EVENT eid="e1" class="STATE">"#,
            r#"<MAKEINSTANCE eiid="ei1" eventID="e1" aspect="NONE" polarity="POS"/>"#,
        );
        assert!(e.contains(r#"the MAKEINSTANCE of EVENT "e1" has no tense"#), "{e}");
    }
}

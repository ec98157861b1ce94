//! Tag sets and decoding: from per-word label probabilities to entity mentions.

use super::EntityType;

/// One IOB2 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Outside,
    Begin(EntityType),
    Inside(EntityType),
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [EntityType::PER, EntityType::LOC, EntityType::ORG, EntityType::MISC];

    /// Reads the CoNLL-2003 names and the common OntoNotes ones of the same classes.
    pub fn parse(name: &str) -> Option<EntityType> {
        match name {
            "PER" | "PERSON" => Some(EntityType::PER),
            "LOC" | "GPE" | "LOCATION" => Some(EntityType::LOC),
            "ORG" | "ORGANIZATION" => Some(EntityType::ORG),
            "MISC" | "NORP" | "EVENT" | "WORK_OF_ART" | "LAW" | "LANGUAGE" | "PRODUCT" => Some(EntityType::MISC),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::PER => "PER",
            EntityType::LOC => "LOC",
            EntityType::ORG => "ORG",
            EntityType::MISC => "MISC",
        }
    }
}

impl Tag {
    /// Parses `O`, `B-PER`, `I-LOC`, ...; tags of other classes (dates, numbers in
    /// OntoNotes models) read as `O`, since the temporal tagger owns those.
    pub fn parse(label: &str) -> Tag {
        let (prefix, class) = match label.split_once(['-', '_']) {
            Some(pair) => pair,
            None => return Tag::Outside,
        };
        match (prefix, EntityType::parse(class)) {
            ("B" | "S", Some(t)) => Tag::Begin(t),
            ("I" | "E", Some(t)) => Tag::Inside(t),
            _ => Tag::Outside,
        }
    }

    pub fn name(self) -> String {
        match self {
            Tag::Outside => "O".to_string(),
            Tag::Begin(t) => format!("B-{}", t.as_str()),
            Tag::Inside(t) => format!("I-{}", t.as_str()),
        }
    }

    /// IOB2 forbids `I-X` unless the previous tag is `B-X` or `I-X`.
    fn may_follow(self, prev: Option<Tag>) -> bool {
        match self {
            Tag::Inside(t) => matches!(prev, Some(Tag::Begin(p) | Tag::Inside(p)) if p == t),
            _ => true,
        }
    }
}

/// The CoNLL-2003 label set in the order the shipped model uses.
pub fn conll_labels() -> Vec<String> {
    let mut labels = vec!["O".to_string()];
    for t in EntityType::ALL {
        labels.push(Tag::Begin(t).name());
        labels.push(Tag::Inside(t).name());
    }
    labels
}

/// The best IOB2-valid tag sequence under per-word log-probabilities `logp[word][label]`
/// (Viterbi with hard constraints): a lone "I-PER" after "O" cannot split an entity.
pub fn decode(logp: &[Vec<f32>], tags: &[Tag]) -> Vec<usize> {
    let n = logp.len();
    if n == 0 {
        return Vec::new();
    }
    let l = tags.len();
    let mut score = vec![vec![f32::NEG_INFINITY; l]; n];
    let mut back = vec![vec![0usize; l]; n];
    for j in 0..l {
        if tags[j].may_follow(None) {
            score[0][j] = logp[0][j];
        }
    }
    for i in 1..n {
        for j in 0..l {
            let mut best = (f32::NEG_INFINITY, 0);
            for k in 0..l {
                if score[i - 1][k] > best.0 && tags[j].may_follow(Some(tags[k])) {
                    best = (score[i - 1][k], k);
                }
            }
            score[i][j] = best.0 + logp[i][j];
            back[i][j] = best.1;
        }
    }
    let mut last = best(&score[n - 1]);
    let mut path = vec![0; n];
    for i in (0..n).rev() {
        path[i] = last;
        last = back[i][last];
    }
    path
}

/// The index of the highest score, the first on a tie (0 for an empty row).
pub fn best(scores: &[f32]) -> usize {
    (0..scores.len()).fold(0, |b, j| if scores[j] > scores[b] { j } else { b })
}

/// Groups a tag sequence into entities: `(first word, end word exclusive, type)`.
pub fn entities(tags: &[Tag]) -> Vec<(usize, usize, EntityType)> {
    let mut out: Vec<(usize, usize, EntityType)> = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (Tag::Inside(t), Some((_, o))) if *t == o);
        if continues {
            continue;
        }
        if let Some((s, t)) = open.take() {
            out.push((s, i, t));
        }
        match tag {
            Tag::Begin(t) | Tag::Inside(t) => open = Some((i, *t)),
            Tag::Outside => {}
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<Tag> {
        conll_labels().iter().map(|l| Tag::parse(l)).collect()
    }

    #[test]
    fn viterbi_repairs_orphan_inside_tags() {
        let tags = tags();
        let idx = |name: &str| tags.iter().position(|t| t.name() == name).unwrap();
        // Word 0 prefers O, word 1 prefers I-PER (illegal after O) but B-PER is close.
        let mut logp = vec![vec![-9.0; tags.len()]; 2];
        logp[0][idx("O")] = -0.1;
        logp[1][idx("I-PER")] = -0.5;
        logp[1][idx("B-PER")] = -0.9;
        let path = decode(&logp, &tags);
        assert_eq!(path, vec![idx("O"), idx("B-PER")]);
    }

    #[test]
    fn entities_split_on_type_change_and_begin() {
        let t = |s: &str| Tag::parse(s);
        let seq = [t("B-PER"), t("I-PER"), t("B-PER"), t("I-LOC"), t("O"), t("I-ORG")];
        assert_eq!(
            entities(&seq),
            vec![
                (0, 2, EntityType::PER),
                (2, 3, EntityType::PER),
                (3, 4, EntityType::LOC),
                (5, 6, EntityType::ORG)
            ]
        );
    }

    #[test]
    fn parses_foreign_schemes() {
        assert_eq!(Tag::parse("B-PERSON"), Tag::Begin(EntityType::PER));
        assert_eq!(Tag::parse("I-DATE"), Tag::Outside);
        assert_eq!(Tag::parse("garbage"), Tag::Outside);
    }
}

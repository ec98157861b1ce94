use super::*;
use crate::annotated::testing::{annotated, seed_docs};
use crate::resolve::resolve;

/// Events of `docs` before merging, with the resolution to read them.
fn extracted(docs: &[Annotated]) -> (Resolution, Vec<Event>) {
    let res = resolve(docs, None);
    let events = extract(docs, &res);
    (res, events)
}

fn name(res: &Resolution, e: usize) -> &str {
    &res.entities[e].name
}

fn names_with(res: &Resolution, e: &Event, role: Role) -> Vec<String> {
    e.with_role(role).map(|x| name(res, x).to_string()).collect()
}

fn by_trigger<'a>(events: &'a [Event], doc: usize, trigger: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.sources[0].doc == doc && e.trigger == trigger)
        .unwrap_or_else(|| panic!("no {trigger:?} in doc {doc}: {:#?}", events.iter().map(|e| &e.summary).collect::<Vec<_>>()))
}

#[test]
fn dated_seed_events_with_participants_places_and_times() {
    let (res, events) = extracted(&seed_docs());
    let conveyed = by_trigger(&events, 0, "conveyed");
    assert_eq!(conveyed.kind, EventType::Statement);
    assert_eq!(names_with(&res, conveyed, Role::Speaker), ["Volodymyr Zelensky"]);
    assert_eq!(names_with(&res, conveyed, Role::Patient), ["Ukraine"]);
    let time = conveyed.time.as_ref().unwrap();
    assert_eq!((time.value.as_str(), time.text.as_str(), time.source), ("2025-07-14", "Late Monday", TimeSource::Clause));
    assert_eq!(conveyed.quotes, ["ready for any conversation"]);
    assert!(conveyed.summary.starts_with("Volodymyr Zelensky conveyed via social media"), "{}", conveyed.summary);

    let hinted = by_trigger(&events, 0, "hinted");
    assert_eq!(names_with(&res, hinted, Role::Speaker), ["Kremlin", "Volodymyr Zelensky"], "coordinated speakers");
    assert!(hinted.time.is_none(), "no date in the sentence and nothing to continue: undated");

    let ack = by_trigger(&events, 0, "acknowledged");
    assert_eq!(names_with(&res, ack, Role::Speaker), ["Dmitri S. Peskov"]);
    assert_eq!(ack.time.as_ref().unwrap().value, "2025-07-15");
    let proposal = by_trigger(&events, 0, "proposal");
    assert_eq!((proposal.kind, names_with(&res, proposal, Role::Agent)), (EventType::Proposal, vec!["Ukraine".to_string()]));

    let hope = by_trigger(&events, 0, "expressed");
    assert_eq!(hope.time.as_ref().unwrap().value, "2025-07-13", "the nearest date, not the deal's week");

    let engagement = by_trigger(&events, 0, "engagement");
    assert_eq!(engagement.kind, EventType::Meeting);
    assert_eq!(names_with(&res, engagement, Role::Counterpart), ["U.S.", "European"]);
    assert_eq!(engagement.places.iter().map(|&p| name(&res, p)).collect::<Vec<_>>(), ["London"]);
    assert_eq!(names_with(&res, by_trigger(&events, 0, "announcing"), Role::Speaker), ["Volodymyr Zelensky"]);

    let meetings = by_trigger(&events, 0, "meetings");
    assert_eq!(names_with(&res, meetings, Role::Agent), ["Steve Witkoff"], "the relative clause's antecedent");
    assert!(names_with(&res, meetings, Role::Counterpart).contains(&"Vladimir V. Putin".to_string()));
    assert_eq!(meetings.time.as_ref().unwrap().value, "2025-02");
    let visit = by_trigger(&events, 0, "visit");
    assert_eq!(names_with(&res, visit, Role::Agent), ["Steve Witkoff"]);
    assert_eq!(visit.places.iter().map(|&p| name(&res, p)).collect::<Vec<_>>(), ["Moscow"]);
    assert_eq!(visit.time.as_ref().unwrap().value, "2025-W29", "the main clause's date, not the relative clause's");

    for noise in ["cease-fire", "discussion", "deal", "statements"] {
        assert!(!events.iter().any(|e| e.sources[0].doc == 0 && e.trigger == noise), "{noise} has no participants");
    }
}

#[test]
fn continuations_inherit_time_and_pronouns_their_agent() {
    let (res, events) = extracted(&seed_docs());
    let remarked = by_trigger(&events, 1, "remarked");
    assert_eq!(names_with(&res, remarked, Role::Speaker), ["Dmitri S. Peskov"], "not the Kremlin of the appositive");
    let t = remarked.time.as_ref().unwrap();
    assert_eq!((t.value.as_str(), t.source), ("XXXX-WXX-1", TimeSource::PreviousSentence));
    let warned = by_trigger(&events, 1, "warned");
    assert_eq!(warned.kind, EventType::Threat);
    assert_eq!(names_with(&res, warned, Role::Agent), ["Trump"]);
    assert_eq!(names_with(&res, warned, Role::Target), ["U.S."]);
    assert_eq!(warned.time.as_ref().unwrap().source, TimeSource::PreviousSentence);
    let indicating = by_trigger(&events, 1, "indicating");
    assert!(indicating.quotes[0].starts_with("I hope Russia"), "{:?}", indicating.quotes);
    assert!(!events.iter().any(|e| e.trigger == "hope" || e.trigger == "discussing"), "quoted or blocked triggers");
    // A sentence with no date that does not continue its predecessor stays undated.
    assert!(by_trigger(&events, 2, "claimed").time.is_none());
    let statements = by_trigger(&events, 2, "statements");
    assert_eq!(names_with(&res, statements, Role::Speaker), ["Volodymyr Zelensky", "Dmitri S. Peskov"]);
}

#[test]
fn reports_merge_across_documents_and_take_the_date() {
    let docs = seed_docs();
    let (res, events) = extracted(&docs);
    let merged = merge(&docs, events);
    // The merged event with a report of `trigger` in document 0.
    let find = |trigger: &str| {
        let reports = |e: &&Event| e.sources.iter().any(|s| s.doc == 0 && s.trigger.of(&docs[0].doc.text) == trigger);
        merged.iter().find(reports).unwrap_or_else(|| panic!("no {trigger}: {merged:#?}"))
    };
    let docs_of = |e: &Event| {
        let mut d: Vec<usize> = e.sources.iter().map(|s| s.doc).collect();
        d.dedup();
        d
    };
    let zelensky = find("conveyed");
    assert_eq!((docs_of(zelensky), zelensky.sources.len()), (vec![0, 1, 2], 3), "{:#?}", zelensky.sources);
    assert_eq!(zelensky.time.as_ref().unwrap().value, "2025-07-14", "undated reports take the dated one's day");
    let peskov = find("acknowledged");
    assert_eq!((docs_of(peskov), peskov.sources.len()), (vec![0, 1, 2], 3), "{:#?}", peskov.sources);
    assert_eq!(peskov.time.as_ref().unwrap().value, "2025-07-15", "an inherited Monday does not block or win");
    assert!(peskov.confidence > by_trigger(&extract(&docs, &res), 0, "acknowledged").confidence);
    let trump = find("expressed");
    assert_eq!(docs_of(trump), [0, 1]);
    assert_eq!(trump.time.as_ref().unwrap().value, "2025-07-13");
    let visit = find("visit");
    assert_eq!(docs_of(visit), [0, 2]);
    assert_eq!(docs_of(find("meetings")), [0, 2], "“meetings” and “interactions” share Witkoff and Putin");
    let delegation = find("engagement");
    assert_eq!(docs_of(delegation), [0, 1]);
    assert!(delegation.time.is_none());
    // Distinct events stay apart.
    assert_ne!(find("hinted").sources, zelensky.sources);
    assert_eq!(merged.iter().filter(|e| e.kind == EventType::Threat).count(), 1);
    let summaries: Vec<(&str, usize)> = merged.iter().map(|e| (e.summary.as_str(), e.sources.len())).collect();
    assert_eq!(merged.len(), 11, "{summaries:#?}");
}

#[test]
fn no_panic_on_empty_or_odd_input() {
    let docs = vec![
        annotated("empty", "", None, &[], &[]),
        annotated("no-entities", "They said it. He met them in the city.", None, &[], &[]),
    ];
    let (_, events) = extracted(&docs);
    assert!(events.is_empty());
    let mut odd = annotated("odd", "Zelensky met Putin in Kyiv.", None, &[], &[]);
    odd.sentences = vec![Span::new(3, 1000), Span::new(1, 2)];
    odd.doc.body = vec![Span::new(0, 2000)];
    assert!(extracted(&[odd]).1.is_empty());
}

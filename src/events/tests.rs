//! The event rules on hand-parsed sentences (`testing::parsed`): the model's output is
//! given, so each test pins one rule.

use super::*;
use crate::annotated::testing::parsed;
use crate::ner::EntityType::*;
use crate::resolve::resolve;

/// Events of `docs` before merging, dated by the tree rules (which these tests pin),
/// with the resolution to read them.
fn extracted(docs: &[Annotated]) -> (Resolution, Vec<Event>) {
    let res = resolve(docs, None);
    let events = extract(docs, &res, Dating::Tree);
    (res, events)
}

fn names_with(res: &Resolution, e: &Event, role: Role) -> Vec<String> {
    e.with_role(role).map(|x| res.entities[x].name.clone()).collect()
}

fn places(res: &Resolution, e: &Event) -> Vec<String> {
    e.places.iter().map(|&x| res.entities[x].name.clone()).collect()
}

fn by_trigger<'a>(events: &'a [Event], trigger: &str) -> &'a Event {
    events.iter().find(|e| e.trigger == trigger).unwrap_or_else(|| {
        panic!(
            "no {trigger:?}: {:#?}",
            events.iter().map(|e| &e.summary).collect::<Vec<_>>()
        )
    })
}

/// "On Monday Zelensky met Putin in Kyiv ." published the day after.
fn met_on_monday() -> Annotated {
    parsed(
        "d",
        Some("2025-07-15"),
        &[
            "On/2/case/ADP Monday/4/obl/PROPN Zelensky/4/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST \
           Putin/4/obj/PROPN in/7/case/ADP Kyiv/4/obl/PROPN ./4/punct/PUNCT",
        ],
        &[("Zelensky", PER), ("Putin", PER), ("Kyiv", LOC)],
        &[("Monday", "2025-07-14")],
    )
}

#[test]
fn subject_object_place_and_date_from_the_tree() {
    // "On Monday" modifies "met"; "talks" later in the sentence has no date of its own.
    let a = met_on_monday();
    let (res, events) = extracted(&[a]);
    let met = by_trigger(&events, "met");
    assert_eq!(met.kind, EventType::Meeting);
    assert_eq!(names_with(&res, met, Role::Agent), ["Zelensky"]);
    assert_eq!(names_with(&res, met, Role::Counterpart), ["Putin"]);
    assert_eq!(places(&res, met), ["Kyiv"]);
    let time = met.time.as_ref().unwrap();
    assert_eq!(
        (time.value.as_str(), time.text.as_str(), time.anchor),
        ("2025-07-14", "Monday", Anchor::Explicit)
    );
    assert_eq!(met.factuality, Factuality::Asserted);
    assert_eq!(met.summary, "On Monday Zelensky met Putin in Kyiv");
}

#[test]
fn relative_clauses_control_and_support_verbs() {
    // "Witkoff, who has held meetings with Putin, is set to travel to Moscow this week."
    let a = parsed(
        "d",
        Some("2025-07-15"),
        &["Witkoff/10/nsubj:pass/PROPN ,/5/punct/PUNCT who/5/nsubj/PRON has/5/aux/AUX held/1/acl:relcl/VERB/OCCURRENCE,POS,none,PRESENT \
           meetings/5/obj/NOUN/OCCURRENCE with/8/case/ADP Putin/6/nmod/PROPN is/10/aux:pass/AUX set/0/root/VERB \
           to/12/mark/PART travel/10/xcomp/VERB/OCCURRENCE,POS,none,INFINITIVE to/14/case/ADP Moscow/12/obl/PROPN \
           this/16/det/DET week/12/obl:tmod/NOUN ./10/punct/PUNCT"],
        &[("Witkoff", PER), ("Putin", PER), ("Moscow", LOC)],
        &[("this week", "2025-W29")],
    );
    let (res, events) = extracted(&[a]);
    assert!(
        events.iter().all(|e| e.trigger != "held"),
        "the light verb folds into its event"
    );
    let meetings = by_trigger(&events, "meetings");
    assert_eq!(names_with(&res, meetings, Role::Agent), ["Witkoff"], "who = Witkoff");
    assert_eq!(names_with(&res, meetings, Role::Counterpart), ["Putin"]);
    assert_eq!(
        meetings.factuality,
        Factuality::Asserted,
        "the relative clause is not under 'set'"
    );
    let travel = by_trigger(&events, "travel");
    assert_eq!(travel.kind, EventType::Visit);
    assert_eq!(
        names_with(&res, travel, Role::Agent),
        ["Witkoff"],
        "control: the subject of 'set'"
    );
    assert_eq!(places(&res, travel), ["Moscow"]);
    assert_eq!(travel.factuality, Factuality::Future);
    assert_eq!(
        travel.time.as_ref().map(|t| (t.value.as_str(), t.anchor)),
        Some(("2025-W29", Anchor::Explicit))
    );
}

#[test]
fn a_relative_clause_hung_on_the_main_verb_is_still_about_its_noun() {
    // The parse of the seed sentence: "held" is `advcl:relcl` of "set", not of Witkoff.
    let a = parsed(
        "d",
        Some("2025-07-15"),
        &["Witkoff/6/nsubj:pass/PROPN ,/4/punct/PUNCT who/4/nsubj/PRON held/6/advcl:relcl/VERB/OCCURRENCE,POS,none,PAST \
           meetings/4/obj/NOUN/OCCURRENCE set/0/root/ADJ for/9/case/ADP Moscow/9/compound/PROPN visit/6/obl/NOUN/OCCURRENCE ./6/punct/PUNCT"],
        &[("Witkoff", PER), ("Moscow", LOC)],
        &[],
    );
    let (res, events) = extracted(&[a]);
    let meetings = by_trigger(&events, "meetings");
    assert_eq!(
        (names_with(&res, meetings, Role::Agent), meetings.factuality),
        (vec!["Witkoff".to_string()], Factuality::Asserted)
    );
    let visit = by_trigger(&events, "visit");
    assert_eq!(
        (names_with(&res, visit, Role::Agent), visit.factuality),
        (vec!["Witkoff".to_string()], Factuality::Future)
    );
    assert_eq!(places(&res, visit), ["Moscow"]);
}

#[test]
fn reported_plans_take_the_complement_s_date_and_a_described_agent() {
    let mut a = parsed(
        "d",
        Some("2025-03-12"),
        &[
            "The/3/det/DET Port/3/compound/PROPN Authority/4/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST \
             unions/4/obj/NOUN ./4/punct/PUNCT",
            "Siemons/2/nsubj/PROPN told/0/root/VERB/REPORTING,POS,none,PAST reporters/2/iobj/NOUN that/8/mark/SCONJ \
             the/6/det/DET authority/8/nsubj/NOUN would/8/aux/AUX present/2/ccomp/VERB/OCCURRENCE,POS,would,NONE \
             an/10/det/DET offer/8/obj/NOUN/OCCURRENCE on/12/case/ADP Friday/2/obl/PROPN ./2/punct/PUNCT",
        ],
        &[("Port Authority", ORG), ("Siemons", PER)],
        &[("Friday", "2025-03-14")],
    );
    // The coreference head's link: "the authority" → "Port Authority".
    let (authority, name) = (
        a.doc.text.rfind("authority").unwrap(),
        a.doc.text.find("Authority").unwrap(),
    );
    a.grammar.coref = vec![crate::chains::Link {
        mention: Span::new(authority, authority + 9),
        antecedent: Span::new(name, name + 9),
        kind: Some(crate::model::entity_coref::MentionKind::Organization),
    }];
    let (res, events) = extracted(&[a]);
    let told = by_trigger(&events, "told");
    assert_eq!(
        (told.kind, told.factuality),
        (EventType::Statement, Factuality::Asserted)
    );
    let t = told.time.as_ref().unwrap();
    assert_eq!(
        (t.value.as_str(), t.anchor),
        ("2025-03-12", Anchor::Publication),
        "a statement is dated by its article"
    );
    let offer = by_trigger(&events, "offer");
    assert_eq!(
        (offer.kind, offer.factuality),
        (EventType::Proposal, Factuality::Future)
    );
    assert_eq!(
        offer.time.as_ref().map(|t| t.value.as_str()),
        Some("2025-03-14"),
        "Friday is the offer's, not the telling's"
    );
    assert_eq!(
        names_with(&res, offer, Role::Agent),
        ["Port Authority"],
        "the authority"
    );
    assert_eq!(
        offer
            .reported_by
            .iter()
            .map(|&e| res.entities[e].name.as_str())
            .collect::<Vec<_>>(),
        ["Siemons"]
    );
}

#[test]
fn a_reporting_verb_hung_on_the_clause_and_according_to_make_an_event_reported() {
    let a = parsed(
        "d",
        Some("2025-03-12"),
        &[
            // "Rebels attacked Goma, officials said." (the reporting verb hangs from the clause)
            "Rebels/2/nsubj/NOUN attacked/0/root/VERB/OCCURRENCE,POS,none,PAST Goma/2/obj/PROPN ,/6/punct/PUNCT \
             officials/6/nsubj/NOUN said/2/parataxis/VERB/REPORTING,POS,none,PAST ./2/punct/PUNCT",
            // "Kabila met Tshombe, according to reports." (a source without a name)
            "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Tshombe/2/obj/PROPN ,/7/punct/PUNCT \
             according/7/case/VERB to/5/fixed/ADP reports/2/obl/NOUN ./2/punct/PUNCT",
            // "Kabila visited Goma, according to Tshombe."
            "Kabila/2/nsubj/PROPN visited/0/root/VERB/OCCURRENCE,POS,none,PAST Goma/2/obj/PROPN ,/7/punct/PUNCT \
             according/7/case/VERB to/5/fixed/ADP Tshombe/2/obl/PROPN ./2/punct/PUNCT",
        ],
        &[
            ("Goma", LOC),
            ("Kabila", PER),
            ("Tshombe", PER),
            ("Kabila", PER),
            ("Goma", LOC),
            ("Tshombe", PER),
        ],
        &[],
    );
    let (res, events) = extracted(&[a]);
    for trigger in ["attacked", "met", "visited"] {
        assert_eq!(
            by_trigger(&events, trigger).factuality,
            Factuality::Reported,
            "{trigger}"
        );
    }
    let visited = by_trigger(&events, "visited");
    assert_eq!(
        visited
            .reported_by
            .iter()
            .map(|&e| res.entities[e].name.as_str())
            .collect::<Vec<_>>(),
        ["Tshombe"]
    );
    assert!(
        by_trigger(&events, "met").reported_by.is_empty(),
        "reports have no name"
    );
}

#[test]
fn possible_negated_and_future_events_stay_open() {
    let a = parsed(
        "d",
        Some("2025-07-15"),
        &[
            "Trump/2/nsubj/PROPN said/0/root/VERB/REPORTING,POS,none,PAST a/4/det/DET deal/6/nsubj/NOUN \
             could/6/aux/AUX come/2/ccomp/VERB/OCCURRENCE,POS,could,NONE with/8/case/ADP Russia/6/obl/PROPN ./2/punct/PUNCT",
            "No/2/det/DET agreement/4/nsubj:pass/NOUN/OCCURRENCE was/4/aux:pass/AUX reached/0/root/VERB/OCCURRENCE,NEG,none,PAST \
             with/6/case/ADP Russia/4/obl/PROPN ./4/punct/PUNCT",
            "Ukraine/3/nsubj/PROPN will/3/aux/AUX sign/0/root/VERB/OCCURRENCE,POS,will,FUTURE a/5/det/DET treaty/3/obj/NOUN ./3/punct/PUNCT",
        ],
        &[("Trump", PER), ("Russia", LOC), ("Russia", LOC), ("Ukraine", LOC)],
        &[],
    );
    let (res, events) = extracted(&[a]);
    let deal = by_trigger(&events, "deal");
    assert_eq!(
        (deal.kind, deal.factuality, deal.time.is_none()),
        (EventType::Agreement, Factuality::Possible, true)
    );
    assert_eq!(names_with(&res, deal, Role::Counterpart), ["Russia"]);
    assert!(
        events.iter().all(|e| e.trigger != "come"),
        "'come' carries the deal, which the model left untagged"
    );
    let agreement = by_trigger(&events, "agreement");
    assert_eq!(
        (agreement.factuality, agreement.time.is_none()),
        (Factuality::Negated, true)
    );
    let treaty = by_trigger(&events, "treaty");
    assert_eq!(
        (treaty.kind, treaty.factuality, treaty.time.is_none()),
        (EventType::Agreement, Factuality::Future, true),
        "future events stay open"
    );
    assert!(
        events.iter().all(|e| e.trigger != "sign"),
        "signing a treaty is the treaty"
    );
}

#[test]
fn a_labour_strike_is_no_attack_and_past_events_are_anchored_by_tense() {
    let a = parsed(
        "d",
        Some("2025-03-12"),
        &[
            "Workers/2/nsubj/NOUN began/0/root/VERB/ASPECTUAL,POS,none,PAST a/5/det/DET 48-hour/5/amod/ADJ \
             strike/2/obj/NOUN/OCCURRENCE at/7/case/ADP Rotterdam/5/nmod/PROPN ./2/punct/PUNCT",
            "Russia/2/nsubj/PROPN launched/0/root/VERB/OCCURRENCE,POS,none,PAST a/5/det/DET drone/5/compound/NOUN \
             strike/2/obj/NOUN/OCCURRENCE on/7/case/ADP Kyiv/5/nmod/PROPN ./2/punct/PUNCT",
        ],
        &[("Rotterdam", LOC), ("Russia", LOC), ("Kyiv", LOC)],
        &[],
    );
    let (res, events) = extracted(&[a]);
    let strikes: Vec<&Event> = events.iter().filter(|e| e.trigger == "strike").collect();
    assert_eq!(strikes.len(), 2, "{events:#?}");
    assert_eq!(strikes[0].kind, EventType::Strike);
    assert_eq!(places(&res, strikes[0]), ["Rotterdam"]);
    let t = strikes[0].time.as_ref().expect("anchored by the tense of 'began'");
    assert_eq!(
        (t.value.as_str(), t.anchor, t.modifier.as_deref()),
        ("2025-03-12", Anchor::Tense, Some("ON_OR_BEFORE"))
    );
    assert_eq!(strikes[1].kind, EventType::Attack);
    assert_eq!(
        (
            names_with(&res, strikes[1], Role::Agent),
            names_with(&res, strikes[1], Role::Target)
        ),
        (vec!["Russia".to_string()], vec!["Kyiv".to_string()])
    );
    assert!(
        events.iter().all(|e| e.trigger != "launched" && e.trigger != "began"),
        "support verbs fold"
    );
}

#[test]
fn what_is_said_is_told_on_the_publication_day_whatever_its_class() {
    // Past, undated: a warning the model calls I_ACTION is still said that day, and so is
    // an agreement it calls REPORTING; a past meeting is only no later than that day.
    let a = parsed(
        "d",
        Some("2025-03-12"),
        &[
            "Peskov/2/nsubj/PROPN warned/0/root/VERB/I_ACTION,POS,none,PAST Kyiv/2/obj/PROPN ./2/punct/PUNCT",
            "Kabila/2/nsubj/PROPN agreed/0/root/VERB/REPORTING,POS,none,PAST with/4/case/ADP Tshombe/2/obl/PROPN \
             ./2/punct/PUNCT",
            "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Tshombe/2/obj/PROPN ./2/punct/PUNCT",
        ],
        &[
            ("Peskov", PER),
            ("Kyiv", LOC),
            ("Kabila", PER),
            ("Tshombe", PER),
            ("Kabila", PER),
            ("Tshombe", PER),
        ],
        &[],
    );
    let (res, events) = extracted(&[a]);
    let read = |trigger: &str| {
        let e = by_trigger(&events, trigger);
        (e.kind, e.time.as_ref().map(|t| t.anchor))
    };
    assert_eq!(read("warned"), (EventType::Threat, Some(Anchor::Publication)));
    assert_eq!(read("agreed"), (EventType::Agreement, Some(Anchor::Publication)));
    assert_eq!(read("met"), (EventType::Meeting, Some(Anchor::Tense)));
    assert_eq!(
        names_with(&res, by_trigger(&events, "warned"), Role::Speaker),
        ["Peskov"]
    );
}

#[test]
fn pronouns_and_descriptions_stand_for_their_entity() {
    let mut a = parsed(
        "d",
        None,
        &[
            "Peskov/2/nsubj/PROPN spoke/0/root/VERB/OCCURRENCE,POS,none,PAST ./2/punct/PUNCT",
            "He/2/nsubj/PRON met/0/root/VERB/OCCURRENCE,POS,none,PAST the/4/det/DET company/2/obj/NOUN ./2/punct/PUNCT",
        ],
        &[("Peskov", PER)],
        &[],
    );
    // The coreference head's links: He → Peskov, and the company to nothing.
    let word = |w: &str| {
        let at = a.doc.text.find(w).unwrap();
        Span::new(at, at + w.len())
    };
    a.grammar.coref = vec![crate::chains::Link {
        mention: word("He"),
        antecedent: word("Peskov"),
        kind: Some(crate::model::entity_coref::MentionKind::Person),
    }];
    let (res, events) = extracted(&[a]);
    let met = by_trigger(&events, "met");
    assert_eq!(names_with(&res, met, Role::Agent), ["Peskov"], "he = Peskov");
    assert!(
        names_with(&res, met, Role::Counterpart).is_empty(),
        "no company was named: 'the company' stays unresolved"
    );
    assert!(
        met.time.is_none(),
        "an undated article gives no anchor, and never the run date"
    );
}

#[test]
fn merging_keeps_denials_apart_from_reports_that_it_happened() {
    let said = |id: &str, sentence: &str| {
        parsed(
            id,
            Some("2025-07-15"),
            &[sentence],
            &[("Zelensky", PER), ("Putin", PER)],
            &[],
        )
    };
    let docs = vec![
        said("a", "Zelensky/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Putin/2/obj/PROPN in/5/case/ADP private/2/obl/NOUN ./2/punct/PUNCT"),
        said("b", "Zelensky/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Putin/2/obj/PROPN in/5/case/ADP private/2/obl/NOUN ./2/punct/PUNCT"),
        said("c", "Zelensky/3/nsubj/PROPN never/3/advmod/ADV met/0/root/VERB/OCCURRENCE,NEG,none,PAST Putin/3/obj/PROPN in/6/case/ADP private/3/obl/NOUN ./3/punct/PUNCT"),
    ];
    let (_, events) = extracted(&docs);
    let merged = merge(events, None);
    assert_eq!(merged.len(), 2, "{merged:#?}");
    let sources = |f: Factuality| merged.iter().find(|e| e.factuality == f).map(|e| e.sources.len());
    assert_eq!(
        (sources(Factuality::Asserted), sources(Factuality::Negated)),
        (Some(2), Some(1))
    );
}

#[test]
fn a_nominal_event_is_summed_up_by_its_clause_and_kept_without_participants() {
    // "invasion" has no participant of its own that the tree gives it, and no date: it is
    // kept, and its summary is the clause it sits in, not "of invasion".
    let a = parsed(
        "d",
        Some("2025-07-15"),
        &["Peskov/2/nsubj/PROPN spoke/0/root/VERB/REPORTING,POS,none,PAST of/4/case/ADP invasion/2/obl/NOUN/OCCURRENCE,POS,none,NONE ./2/punct/PUNCT"],
        &[("Peskov", PER)],
        &[],
    );
    let (_, events) = extracted(&[a]);
    let invasion = by_trigger(&events, "invasion");
    assert_eq!(invasion.summary, "Peskov spoke of invasion");
    assert!(invasion.participants.is_empty() && invasion.time.as_ref().is_none_or(|t| !t.is_explicit()));
}

#[test]
fn consolidation_takes_the_stance_most_reports_give() {
    // Three reports of a planned meeting and one that misreads it as done: one planned
    // meeting, with the four sources.
    let docs: Vec<Annotated> = ["a", "b", "c"]
        .iter()
        .map(|id| {
            parsed(
                id,
                Some("2025-07-15"),
                &["Zelensky/3/nsubj/PROPN will/3/aux/AUX meet/0/root/VERB/OCCURRENCE,POS,will,FUTURE Putin/3/obj/PROPN ./3/punct/PUNCT"],
                &[("Zelensky", PER), ("Putin", PER)],
                &[],
            )
        })
        .chain(std::iter::once(parsed(
            "d",
            Some("2025-07-15"),
            &["Zelensky/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Putin/2/obj/PROPN ./2/punct/PUNCT"],
            &[("Zelensky", PER), ("Putin", PER)],
            &[],
        )))
        .collect();
    let (_, events) = extracted(&docs);
    assert_eq!(events.len(), 4);
    let one = merge::consolidate(events);
    assert_eq!(
        (one.factuality, one.kind, one.sources.len()),
        (Factuality::Future, EventType::Meeting, 4)
    );
}

#[test]
fn a_meeting_takes_the_place_of_whom_it_meets() {
    let a = parsed(
        "d",
        Some("2025-07-15"),
        &["Zelensky/3/nsubj/PROPN will/3/aux/AUX meet/0/root/VERB/OCCURRENCE,POS,will,FUTURE officials/3/obj/NOUN in/6/case/ADP London/4/nmod/PROPN ./3/punct/PUNCT"],
        &[("Zelensky", PER), ("London", LOC)],
        &[],
    );
    let (res, events) = extracted(&[a]);
    assert_eq!(places(&res, by_trigger(&events, "meet")), ["London"]);
}

/// "On March 3 Acme announced results. Shares fell." — one date, and an event in the
/// sentence after it.
fn narrated() -> Annotated {
    parsed(
        "d",
        Some("2025-03-12"),
        &[
            "On/3/case/ADP March_3/5/obl/PROPN Acme/5/nsubj/PROPN announced/0/root/VERB/OCCURRENCE,POS,none,PAST \
             results/4/obj/NOUN ./4/punct/PUNCT",
            "Shares/2/nsubj/NOUN fell/0/root/VERB/OCCURRENCE,POS,none,PAST ./2/punct/PUNCT",
        ],
        &[("Acme", ORG)],
        &[("March_3", "2025-03-03")],
    )
}

#[test]
fn the_shipped_links_date_an_event_by_its_own_date() {
    let a = met_on_monday();
    let res = resolve(std::slice::from_ref(&a), None);
    let events = extract(&[a], &res, Dating::shipped());
    let t = by_trigger(&events, "met").time.clone().unwrap();
    assert_eq!((t.value.as_str(), t.anchor), ("2025-07-14", Anchor::Explicit));
}

/// Links that read only where a date, or a dated event, is: `timex` weighs a date of
/// the event's sentence and one of the sentence before (for `overlap`), `event` a dated
/// event of the sentence before (for each class); the publication day model says
/// `before`.
fn links_by_place(timex: [f32; 2], event: [f32; 4]) -> timelinks::TimeLinks {
    let classes = |c: &[&str]| c.iter().map(|c| c.to_string()).collect();
    timelinks::TimeLinks {
        timex: crate::learn::Softmax {
            classes: classes(&timelinks::TIMEX_CLASSES),
            bias: vec![0.0; 4],
            weights: [("same", timex[0]), ("previous", timex[1])]
                .into_iter()
                .map(|(f, w)| (f.to_string(), vec![0.0, w, 0.0, 0.0]))
                .collect(),
        },
        event: crate::learn::Softmax {
            classes: classes(&timelinks::TIMEX_CLASSES),
            bias: vec![0.0; 4],
            weights: [("previous".to_string(), event.to_vec())].into_iter().collect(),
        },
        dct: crate::learn::Softmax {
            classes: classes(&timelinks::DCT_CLASSES),
            bias: vec![1.0, 0.0, 0.0],
            weights: Default::default(),
        },
        threshold: 0.5,
        event_threshold: 0.5,
    }
}

#[test]
fn an_undated_event_takes_the_date_of_the_event_the_links_tie_it_to() {
    // "announced" takes March 3 in its sentence; "fell" has no date of its own.
    let a = narrated();
    let res = resolve(std::slice::from_ref(&a), None);
    let time = |event: [f32; 4]| {
        let links = links_by_place([5.0, -5.0], event);
        let events = extract(std::slice::from_ref(&a), &res, Dating::Learned(&links));
        let t = by_trigger(&events, "fell").time.clone().unwrap();
        (t.value, t.modifier, t.anchor, t.text)
    };
    let march_3 = |modifier: Option<&str>| {
        (
            "2025-03-03".to_string(),
            modifier.map(String::from),
            Anchor::Event,
            "March_3".to_string(),
        )
    };
    assert_eq!(
        time([0.0, 5.0, 0.0, 0.0]),
        march_3(None),
        "on the day of the announcement"
    );
    assert_eq!(
        time([0.0, 0.0, 0.0, 5.0]),
        march_3(Some("AFTER")),
        "after the announcement"
    );
    assert_eq!(
        time([5.0, 0.0, 0.0, 0.0]),
        (
            "2025-03-12".to_string(),
            Some("ON_OR_BEFORE".to_string()),
            Anchor::Tense,
            String::new()
        ),
        "tied to no event: before the publication day"
    );
}

#[test]
fn relations_carry_through_an_event_where_they_can() {
    use super::when::compose;
    assert_eq!(compose("overlap", "before"), Some("before"));
    assert_eq!(compose("after", "overlap"), Some("after"));
    assert_eq!(compose("before", "before"), Some("before"));
    assert_eq!(
        compose("before", "after"),
        None,
        "before something after a day says nothing of the day"
    );
}

#[test]
fn a_date_of_the_sentence_before_dates_an_event_where_the_links_say_so() {
    // Links that read only where the date is: any date of the event's sentence, and
    // none of the sentence before, dates it; then the opposite.
    let links = |same: f32, previous: f32| links_by_place([same, previous], [0.0; 4]);
    let a = narrated();
    let res = resolve(std::slice::from_ref(&a), None);
    let time = |links: &timelinks::TimeLinks, trigger: &str| {
        let events = extract(std::slice::from_ref(&a), &res, Dating::Learned(links));
        let t = by_trigger(&events, trigger).time.clone().unwrap();
        (t.value, t.anchor, t.text)
    };
    let narrative = links(5.0, 5.0);
    assert_eq!(
        time(&narrative, "fell"),
        ("2025-03-03".to_string(), Anchor::Narrative, "March_3".to_string())
    );
    assert_eq!(time(&narrative, "announced").1, Anchor::Explicit);
    let own_only = links(5.0, -5.0);
    assert_eq!(
        time(&own_only, "fell"),
        ("2025-03-12".to_string(), Anchor::Tense, String::new()),
        "no date of its own, and the links say the one before is not its: before the publication day"
    );
    let events = extract(std::slice::from_ref(&a), &res, Dating::Tree);
    assert_eq!(
        by_trigger(&events, "fell").time.as_ref().map(|t| t.anchor),
        Some(Anchor::Tense),
        "the tree rules never look at the sentence before"
    );
}

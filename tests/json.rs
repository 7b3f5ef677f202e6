//! The JSON form: its exact spelling, and errors that name the field and the reason.

use swapwire::{json, Count, Exchange, Record, Source};

const SEED_EXCHANGE: &str = r#"{"record":"exchange","origin":1,"seq":1,"revision":0,"retracted":false,"status":"completed","date":"2025-02-05","handover":"living","side_a":"UA","side_b":"RU","total":"unknown","to_a":"150","to_b":"unknown","composition_a":{},"composition_b":{},"mediators":[],"part_of":null,"same_as":null,"source":1,"grade":"B2"}"#;

#[test]
fn seed_exchange_has_the_documented_spelling() {
    let r: Record = json::from_str(SEED_EXCHANGE).unwrap();
    assert_eq!(json::to_string(&r).unwrap(), SEED_EXCHANGE);
}

#[test]
fn optional_fields_default() {
    let short = r#"{"record":"exchange","origin":1,"seq":1,"status":"completed","date":"2025-02-05","side_a":"UA","side_b":"RU","to_a":"150","source":1,"grade":"B2"}"#;
    let a: Record = json::from_str(short).unwrap();
    let b: Record = json::from_str(SEED_EXCHANGE).unwrap();
    assert_eq!(a, b);
}

#[test]
fn kinds_read_on_their_own_without_the_tag() {
    let x: Exchange = json::from_str(&SEED_EXCHANGE.replace(r#""record":"exchange","#, "")).unwrap();
    assert_eq!(x.origin, 1);
    let c: Count =
        json::from_str(r#"{"origin":1,"seq":2,"population":"missing","people":"UA","source":1,"grade":"F6"}"#).unwrap();
    assert_eq!(c.holder, None);
    let s: Source = json::from_str(r#"{"key":3,"kind":"media","name":"Suspilne"}"#).unwrap();
    assert_eq!(s.name.as_str(), "Suspilne");
}

/// Each bad input, the path the error must name, and a fragment of its message.
#[test]
fn bad_json_names_the_field_and_the_reason() {
    let cases: &[(&str, &str, &str)] = &[
        (r#""to_a":"150""#, r#""to_a":"150 POWs""#, "to_a|invalid quantity \"150 POWs\""),
        (r#""to_a":"150""#, r#""to_a":"189-150""#, "to_a|range low end exceeds its high end"),
        (r#""to_a":"150""#, r#""to_a":150"#, "to_a|expected quantity"),
        (r#""date":"2025-02-05""#, r#""date":"2025-02-30""#, "date|no such calendar date"),
        (r#""date":"2025-02-05""#, r#""date":"1999""#, "date|value out of range"),
        (r#""side_b":"RU""#, r#""side_b":"UK""#, "side_b|not an ISO 3166-1 alpha-2 code"),
        (r#""side_b":"RU""#, r#""side_b":"UA""#, ".|side_b: the same party appears twice"),
        (r#""status":"completed""#, r#""status":"done""#, "status|unknown code"),
        (
            r#""status":"completed""#,
            r#""status":"complete""#,
            "status|expected one of: proposed, agreed, completed, cancelled, refused, demanded",
        ),
        (r#""handover":"living""#, r#""handover":"alive""#, "handover|expected one of: living, remains"),
        (r#""side_b":"RU""#, r#""side_b":"ru""#, "side_b|expected two capital letters, e.g. UA"),
        (r#""side_b":"RU""#, r#""side_b":"UK""#, "side_b|e.g. UA, GB"),
        (r#""grade":"B2""#, r#""grade":"G9""#, "grade|unknown code"),
        (r#""grade":"B2""#, r#""grade":"G9""#, "grade|expected a reliability A-F then a credibility 1-6, e.g. B2"),
        (r#""composition_a":{}"#, r#""composition_a":{"pilots":"3"}"#, "composition_a.pilots|unknown code"),
        (
            r#""composition_a":{}"#,
            r#""composition_a":{"military":"151"}"#,
            ".|composition_a: parts add up to more than the total",
        ),
        (r#""total":"unknown""#, r#""total":"100""#, ".|total: parts add up to more than the total"),
        (r#""mediators":[]"#, r#""mediators":["US","TR","AE","SA"]"#, "mediators|at most 3 mediators, got 4"),
        (r#""part_of":null"#, r#""part_of":{"origin":1,"seq":1}"#, ".|part_of: refers to the record itself"),
        (r#""part_of":null"#, r#""part_of":"1/1""#, ".|part_of: refers to the record itself"),
        (
            r#""part_of":null"#,
            r#""part_of":"1/22x""#,
            r#"part_of|expected {"origin": N, "seq": N} or "origin/seq", got "1/22x""#,
        ),
        (r#""part_of":null"#, r#""part_of":5"#, r#"part_of|expected {"origin": N, "seq": N} or "origin/seq", got 5"#),
        (r#""part_of":null"#, r#""part_of":{"origin":1}"#, "part_of|missing field `seq`"),
        (r#""part_of":null"#, r#""part_of":{"origin":1,"seq":"x"}"#, "part_of.seq|invalid type"),
        (r#""same_as":null"#, r#""same_as":{"origin":1,"seq":1}"#, ".|same_as: refers to the record itself"),
        (
            r#""part_of":null,"same_as":null"#,
            r#""part_of":{"origin":1,"seq":7},"same_as":{"origin":1,"seq":7}"#,
            ".|same_as: duplicate entry",
        ),
        (r#""same_as":null"#, r#""same_as":"1/1""#, ".|same_as: refers to the record itself"),
        (r#""same_as":null"#, r#""same_as":5"#, r#"same_as|expected {"origin": N, "seq": N} or "origin/seq", got 5"#),
        (r#""origin":1,"#, r#""origin":-1,"#, "origin|invalid value"),
        (r#""source":1"#, r#""source":1,"colour":"red""#, "colour|unknown field"),
        (r#""record":"exchange""#, r#""record":"swap""#, "record|unknown record kind \"swap\""),
        (r#""origin":1,"#, "", ".|missing field `origin`"),
    ];
    for (from, to, expect) in cases {
        let text = SEED_EXCHANGE.replacen(from, to, 1);
        assert_ne!(text, SEED_EXCHANGE, "case {to} did not change the input");
        let err = json::from_str::<Record>(&text).unwrap_err();
        let (path, fragment) = expect.split_once('|').unwrap();
        assert_eq!(err.path, path, "{to}: {err}");
        assert!(err.message.contains(fragment), "{to}: {err}");
    }
}

/// Another report of the same exchange: `same_as` as an object, like `part_of`, both ways.
#[test]
fn same_as_round_trips() {
    let text = SEED_EXCHANGE
        .replace(r#""seq":1,"#, r#""seq":8,"#)
        .replace(r#""same_as":null"#, r#""same_as":{"origin":1,"seq":7}"#);
    let r: Record = json::from_str(&text).unwrap();
    let Record::Exchange(x) = &r else { panic!() };
    assert_eq!(x.same_as, Some(swapwire::RecordId { origin: 1, seq: 7 }));
    assert_eq!(json::to_string(&r).unwrap(), text);
}

/// A source's `via`: a key, written `null` when absent and read as absent when missing; the
/// source itself is refused as its own `via`.
#[test]
fn via_round_trips_and_defaults_to_none() {
    let text = r#"{"record":"source","key":7,"revision":0,"retracted":false,"kind":"government","name":"Volodymyr Zelenskyy","via":4}"#;
    let r: Record = json::from_str(text).unwrap();
    let Record::Source(s) = &r else { panic!() };
    assert_eq!(s.via, Some(4));
    assert_eq!(json::to_string(&r).unwrap(), text);
    let s: Source = json::from_str(r#"{"key":7,"kind":"government","name":"Volodymyr Zelenskyy"}"#).unwrap();
    assert_eq!(s.via, None);
    let s: Source = json::from_str(r#"{"key":7,"kind":"government","name":"Volodymyr Zelenskyy","via":null}"#).unwrap();
    assert_eq!(s.via, None);
    let err = json::from_str::<Record>(&text.replace(r#""via":4"#, r#""via":7"#)).unwrap_err();
    assert_eq!((err.path.as_str(), err.message.as_str()), (".", "via: refers to the record itself"));
    let err = json::from_str::<Record>(&text.replace(r#""via":4"#, r#""via":"AFP""#)).unwrap_err();
    assert_eq!(err.path, "via", "{err}");
}

#[test]
fn not_json_at_all() {
    assert!(json::from_str::<Record>("").is_err());
    assert!(json::from_str::<Record>("[]").is_err());
    assert!(json::from_str::<Record>(&format!("{SEED_EXCHANGE} {{}}")).is_err());
    let source = r#"{"record":"source","key":1,"kind":"media","name":""}"#;
    assert!(json::from_str::<Record>(source).unwrap_err().message.contains("name: empty"));
    let long = format!(r#"{{"record":"source","key":1,"kind":"media","name":"{}"}}"#, "x".repeat(65));
    let err = json::from_str::<Record>(&long).unwrap_err();
    assert_eq!((err.path.as_str(), err.message.as_str()), ("name", "too long"));
    // A name is checked where it is read, so the error names the field, not the whole record.
    for name in [r"Sus\npilne", r"Sus\u0085pilne", r"\u007f"] {
        let text = format!(r#"{{"record":"source","key":1,"kind":"media","name":"{name}"}}"#);
        let err = json::from_str::<Source>(&text).unwrap_err();
        assert_eq!((err.path.as_str(), err.message.as_str()), ("name", "contains a control character"), "{name}");
    }
}

/// A typed record writes the same text as the `Record` holding it, tag first, so the text one
/// writes the other (and the command-line tool) reads.
#[test]
fn typed_records_write_their_record_tag() {
    let Record::Exchange(x) = json::from_str::<Record>(SEED_EXCHANGE).unwrap() else { panic!() };
    assert_eq!(json::to_string(&x).unwrap(), SEED_EXCHANGE);
    let count = r#"{"record":"count","origin":1,"seq":2,"revision":0,"retracted":false,"population":"civilians_held","date":"2025-03-06","holder":"RU","people":"UA","quantity":">16000","source":2,"grade":"B2"}"#;
    let source =
        r#"{"record":"source","key":3,"revision":0,"retracted":false,"kind":"media","name":"Suspilne","via":null}"#;
    let c: Count = json::from_str(count).unwrap();
    let s: Source = json::from_str(source).unwrap();
    assert_eq!(json::to_string(&c).unwrap(), count);
    assert_eq!(json::to_string(&s).unwrap(), source);
    assert_eq!(json::to_string_pretty(&c).unwrap(), json::to_string_pretty(&Record::Count(c.clone())).unwrap());
    for text in [json::to_string(&x).unwrap(), json::to_string(&c).unwrap(), json::to_string(&s).unwrap()] {
        let back: Record = json::from_str(&text).unwrap();
        assert_eq!(json::to_string(&back).unwrap(), text);
    }
    assert_eq!(json::from_str::<Exchange>(SEED_EXCHANGE).unwrap(), x);
}

#[test]
fn a_typed_record_rejects_a_tag_of_another_kind() {
    let source = r#"{"record":"source","key":3,"kind":"media","name":"Suspilne"}"#;
    let err = json::from_str::<Count>(source).unwrap_err();
    assert_eq!(err.path, "record", "{err}");
    assert_eq!(err.message, r#"expected "count" (or no "record" field) when reading a count, got "source""#);
    let err =
        json::from_str::<Exchange>(&SEED_EXCHANGE.replace(r#""record":"exchange""#, r#""record":7"#)).unwrap_err();
    assert_eq!(
        (err.path.as_str(), err.message.as_str()),
        ("record", r#"invalid type: integer `7`, expected "exchange""#)
    );
    // The tag is checked wherever it stands, and a bad field after it keeps its path.
    let late = r#"{"key":3,"kind":"media","name":"Suspilne","record":"exchange"}"#;
    assert_eq!(json::from_str::<Source>(late).unwrap_err().path, "record");
    // Plain serde reads check it too, in the text's own field order.
    let err = serde_json::from_str::<Source>(late).unwrap_err().to_string();
    assert!(err.contains(r#"expected "source" (or no "record" field)"#), "{err}");
    assert!(serde_json::from_str::<Source>(&late.replace("exchange", "source")).is_ok());
    let bad = r#"{"record":"source","key":3,"kind":"press","name":"Suspilne"}"#;
    assert_eq!(json::from_str::<Source>(bad).unwrap_err().path, "kind");
}

/// `"origin/seq"` is how CSV and the command line write an id; JSON reads it too but writes the
/// object.
#[test]
fn part_of_reads_the_text_form_and_writes_the_object() {
    let staged = SEED_EXCHANGE.replace(r#""part_of":null"#, r#""part_of":"1/22""#);
    let x: Exchange = json::from_str(&staged).unwrap();
    assert_eq!(x.part_of, Some(swapwire::RecordId { origin: 1, seq: 22 }));
    assert!(json::to_string(&x).unwrap().contains(r#""part_of":{"origin":1,"seq":22}"#));
}

#[test]
fn many_records_read_from_an_array_or_ndjson_with_the_element_named() {
    let source = r#"{"record":"source","key":3,"kind":"media","name":"Suspilne"}"#;
    let array = json::from_str_many(&format!("\u{feff} [\n{SEED_EXCHANGE},\n{source}\n]\n")).unwrap();
    assert_eq!(array.len(), 2);
    assert_eq!(json::from_str_many(&format!("{SEED_EXCHANGE}\r\n\n  \n{source}")).unwrap(), array);
    assert_eq!(json::from_str_many("").unwrap(), vec![]);
    assert_eq!(json::from_str_many("[]").unwrap(), vec![]);

    let bad = SEED_EXCHANGE.replace(r#""to_a":"150""#, r#""to_a":"150 POWs""#);
    let same = SEED_EXCHANGE.replace(r#""side_b":"RU""#, r#""side_b":"UA""#);
    let err = json::from_str_many(&format!("[{source},{source},{source},{bad}]")).unwrap_err();
    assert_eq!(err.path, "[3].to_a");
    let err = json::from_str_many(&format!("[{source},{same}]")).unwrap_err();
    assert_eq!((err.path.as_str(), err.message.as_str()), ("[1]", "side_b: the same party appears twice"));
    let err = json::from_str_many(&format!("{source}\n\n{source}\n{bad}\n")).unwrap_err();
    assert_eq!(err.path, "line 4: to_a");
    assert!(err.to_string().starts_with("line 4: to_a: invalid quantity \"150 POWs\""), "{err}");
    let err = json::from_str_many(&format!("{source}\n{same}")).unwrap_err();
    assert_eq!(err.to_string(), "line 2: side_b: the same party appears twice");
    let err = json::from_str_many(&format!("{source}\n{{\"record\":")).unwrap_err();
    assert_eq!(err.path, "line 2", "{err}");
    assert!(json::from_str_many(&format!("[{source},")).is_err());
}

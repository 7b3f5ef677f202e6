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
        (r#""grade":"B2""#, r#""grade":"G9""#, "grade|unknown code"),
        (r#""composition_a":{}"#, r#""composition_a":{"pilots":"3"}"#, "composition_a.pilots|unknown code"),
        (
            r#""composition_a":{}"#,
            r#""composition_a":{"military":"151"}"#,
            ".|composition_a: parts add up to more than the total",
        ),
        (r#""total":"unknown""#, r#""total":"100""#, ".|total: parts add up to more than the total"),
        (r#""mediators":[]"#, r#""mediators":["US","TR","AE","SA"]"#, "mediators|"),
        (r#""part_of":null"#, r#""part_of":{"origin":1,"seq":1}"#, ".|part_of: refers to the record itself"),
        (r#""same_as":null"#, r#""same_as":{"origin":1,"seq":1}"#, ".|same_as: refers to the record itself"),
        (
            r#""part_of":null,"same_as":null"#,
            r#""part_of":{"origin":1,"seq":7},"same_as":{"origin":1,"seq":7}"#,
            ".|same_as: duplicate entry",
        ),
        (r#""same_as":null"#, r#""same_as":"1/7""#, "same_as|"),
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

#[test]
fn not_json_at_all() {
    assert!(json::from_str::<Record>("").is_err());
    assert!(json::from_str::<Record>("[]").is_err());
    assert!(json::from_str::<Record>(&format!("{SEED_EXCHANGE} {{}}")).is_err());
    let source = r#"{"record":"source","key":1,"kind":"media","name":""}"#;
    assert!(json::from_str::<Record>(source).unwrap_err().message.contains("name: empty"));
    let long = format!(r#"{{"record":"source","key":1,"kind":"media","name":"{}"}}"#, "x".repeat(49));
    assert_eq!(json::from_str::<Record>(&long).unwrap_err().path, "name");
}

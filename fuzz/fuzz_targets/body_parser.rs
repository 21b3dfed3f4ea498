//! Arbitrary bytes parsed as JSON (by embedguard's own parser), then put as the `body` of one
//! request per GenerateToken endpoint (the V2 path and the five V1 paths) of a description
//! document: reading it, and running every rule over it without an inventory, never panics, and
//! every finding points at a node of the document (keys with `/`, `~` or odd Unicode included).
//!
//! Bodies are what an attacker controls at the gateway; this target spends all its mutations
//! there instead of on the description's own keys.
#![no_main]

use embedguard_cli::source::{self, Format};
use embedguard_core::finding::{Finding, Origin};
use embedguard_core::value::{Member, Number, Value};
use embedguard_core::Engine;
use embedguard_fuzz::assert_pointer_names_a_node;
use libfuzzer_sys::fuzz_target;

const GROUP: &str = "6dfe520a-fe74-4854-b72f-23ade2723cc9";
const ITEM: &str = "37f4169b-c0ed-4711-8d33-a24585e4cd9a";

fn paths() -> Vec<String> {
    let g = format!("/v1.0/myorg/groups/{GROUP}");
    vec![
        "/v1.0/myorg/GenerateToken".to_string(),
        format!("{g}/reports/{ITEM}/GenerateToken"),
        format!("{g}/reports/GenerateToken"),
        format!("{g}/datasets/{ITEM}/GenerateToken"),
        format!("{g}/dashboards/{ITEM}/GenerateToken"),
        format!("{g}/dashboards/{ITEM}/tiles/{ITEM}/GenerateToken"),
    ]
}

fn member(key: &str, value: Value) -> Member {
    Member {
        key: key.to_string(),
        value,
    }
}

thread_local! {
    static ENGINE: Engine = Engine::new().expect("compiled-in matrices load");
    static PATHS: Vec<String> = paths();
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(body) = source::parse(bytes, Format::Json) else {
        return;
    };
    let requests = PATHS.with(|paths| {
        paths
            .iter()
            .map(|path| {
                Value::Object(vec![
                    member("caller", Value::String("sp".into())),
                    member("path", Value::String(path.clone())),
                    member("body", body.value.clone()),
                ])
            })
            .collect()
    });
    let doc = Value::Object(vec![
        member("embedguard", Value::Number(Number::from_i64(1))),
        member("requests", Value::Array(requests)),
    ]);
    let check = |f: &Finding| {
        // Without an inventory, inventory-side locations have no document to point into.
        for location in std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location)) {
            if location.origin == Origin::Request {
                assert_pointer_names_a_node(&doc, &location.pointer, &f.rule.code());
            }
        }
    };
    ENGINE.with(|engine| {
        let read = engine.read_description(&doc);
        read.findings.iter().for_each(check);
        for request in &read.description.requests {
            engine.validate(None, request).iter().for_each(check);
        }
    });
});

//! Reading is linear in the size of a document: a description file may be as large as the CLI
//! accepts (8 MiB), so a step that costs `O(n²)` in the number of members turns one hostile
//! file into a hang. Each test runs under a deadline far above the linear cost (well under a
//! second in a debug build) and far below the quadratic one (minutes).

use std::sync::mpsc;
use std::time::Duration;

use embedguard_core::value::{Member, Number, Value};
use embedguard_core::{Engine, Rule};

const DEADLINE: Duration = Duration::from_secs(15);

fn member(key: &str, value: Value) -> Member {
    Member {
        key: key.to_string(),
        value,
    }
}

/// A description with one V2 request whose `headers` are `headers`.
fn description(headers: Vec<Member>) -> Value {
    let request = Value::Object(vec![
        member("caller", Value::String("sp".into())),
        member("path", Value::String("/v1.0/myorg/GenerateToken".into())),
        member("headers", Value::Object(headers)),
        member("body", Value::Object(Vec::new())),
    ]);
    Value::Object(vec![
        member("embedguard", Value::Number(Number::from_i64(1))),
        member("requests", Value::Array(vec![request])),
    ])
}

/// Runs `work` on its own thread; fails if it has not finished within [`DEADLINE`].
fn within_deadline<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("{what} took longer than {DEADLINE:?}"))
}

#[test]
fn many_headers_are_read_in_linear_time() {
    // Found by timing the `engine` fuzz target on growing inputs: each header searched the whole
    // `headers` object for its own key (20,000 headers: 4.5 s; 80,000: 84 s).
    const N: usize = 200_000;
    let headers = (0..N)
        .map(|i| member(&format!("x-h{i}"), Value::String("v".into())))
        .collect();
    let doc = description(headers);
    let read = within_deadline("reading 200,000 headers", move || {
        Engine::new().expect("matrices").read_description(&doc)
    });
    let request = &read.description.requests[0];
    assert_eq!(request.headers.len(), N);
    assert_eq!(request.headers[N - 1].name, format!("x-h{}", N - 1));
    assert_eq!(
        request.headers[N - 1].value.pointer.as_str(),
        format!("/requests/0/headers/x-h{}", N - 1)
    );
}

#[test]
fn repeated_and_mistyped_headers_read_as_before() {
    // A repeated header reads its first copy (and is EG002); a header that is not a string is
    // EG005 at the copy that is read.
    let doc = description(vec![
        member("Content-Type", Value::String("application/json".into())),
        member("X-Count", Value::Number(Number::from_i64(3))),
        member("Content-Type", Value::String("text/plain".into())),
    ]);
    let read = Engine::new().expect("matrices").read_description(&doc);
    let headers: Vec<(&str, &str, &str)> = read.description.requests[0]
        .headers
        .iter()
        .map(|h| {
            (
                h.name.as_str(),
                h.value.value.as_str(),
                h.value.pointer.as_str(),
            )
        })
        .collect();
    let ct = "/requests/0/headers/Content-Type";
    assert_eq!(
        headers,
        vec![
            ("Content-Type", "application/json", ct),
            ("Content-Type", "application/json", ct)
        ]
    );
    let rules: Vec<(Rule, &str)> = read
        .findings
        .iter()
        .map(|f| (f.rule, f.location.pointer.as_str()))
        .collect();
    assert!(rules.contains(&(Rule::DuplicateKey, ct)), "{rules:?}");
    assert!(
        rules.contains(&(Rule::WrongType, "/requests/0/headers/X-Count")),
        "{rules:?}"
    );
}

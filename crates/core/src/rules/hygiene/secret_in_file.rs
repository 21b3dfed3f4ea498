//! EG501 secret-in-file — `rules/EG501-secret-in-file.md`.

use crate::finding::{Finding, Location, Origin, Target};
use crate::registry::Rule;
use crate::rules::DocumentCheck;
use crate::secrets::{self, SecretKind};
use crate::value::{Pointer, Value};

/// No client secret, password, bearer token or JWT may be written in a checked file.
pub struct SecretInFile;

impl DocumentCheck for SecretInFile {
    fn rule(&self) -> Rule {
        Rule::SecretInFile
    }

    fn check_document(&self, doc: &Value, origin: Origin, out: &mut Vec<Finding>) {
        walk(doc, &mut Vec::new(), None, None, origin, out);
    }
}

/// One step from a parent node to a child.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The pointer of the path `steps`, built only when a finding needs it: the walk visits every
/// node of the document, and almost none holds a secret.
fn pointer(steps: &[Step<'_>]) -> Pointer {
    steps.iter().fold(Pointer::root(), |p, s| match s {
        Step::Key(k) => p.key(k),
        Step::Index(i) => p.index(*i),
    })
}

/// Visits every value; `key` is the nearest object key above it (array items inherit it).
fn walk<'v>(
    value: &'v Value,
    path: &mut Vec<Step<'v>>,
    key: Option<&'v str>,
    // Set below a repeated key: that key's pointer and its member index.
    shadow: Option<(Pointer, usize)>,
    origin: Origin,
    out: &mut Vec<Finding>,
) {
    match value {
        Value::String(s) => judge(s, path, key, shadow.as_ref(), origin, out),
        // `password: 123456` is a password too, written as a YAML number.
        Value::Number(n) if key.and_then(secrets::names_a_secret).is_some() => {
            judge(&n.text, path, key, shadow.as_ref(), origin, out);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, key, shadow.clone(), origin, out);
                path.pop();
            }
        }
        Value::Object(members) => {
            // How many earlier copies each key has: a scan for the small objects of real
            // files, one hashed pass for huge ones (an object may hold 200,000 keys).
            let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            let small = members.len() <= 16;
            for (i, m) in members.iter().enumerate() {
                path.push(Step::Key(&m.key));
                let repeat = if small {
                    members[..i].iter().filter(|o| o.key == m.key).count()
                } else {
                    let copies = seen.entry(m.key.as_str()).or_insert(0);
                    *copies += 1;
                    *copies - 1
                };
                // Under a repeated key the pointer names the first copy: say which member.
                let shadow = match (&shadow, repeat) {
                    (Some(s), _) => Some(s.clone()),
                    (None, 0) => None,
                    (None, _) => Some((pointer(path), i)),
                };
                walk(&m.value, path, Some(&m.key), shadow, origin, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// One finding per value, about its first secret: never the secret itself, only its kind, the
/// key that holds it and a [`secrets::preview`].
fn judge(
    text: &str,
    path: &[Step<'_>],
    key: Option<&str>,
    shadow: Option<&(Pointer, usize)>,
    origin: Origin,
    out: &mut Vec<Finding>,
) {
    let found = secrets::find(key, text);
    let Some(first) = found.first() else {
        return;
    };
    let secret = &text[first.range.clone()];
    let place = match key {
        Some(k) => format!("under `{k}`"),
        None => "in the file".to_string(),
    };
    let more = match found.len() {
        1 => String::new(),
        n => format!(", and {} more in the same value", n - 1),
    };
    let message = format!(
        "{} is written {place}: {}{more}",
        first.kind.describe(),
        secrets::preview(secret)
    );
    let location = match shadow {
        Some((at, n)) => Location {
            origin,
            pointer: at.clone(),
            target: Target::MemberKey(*n),
        },
        None => Location {
            origin,
            pointer: pointer(path),
            target: Target::Value,
        },
    };
    out.push(
        Finding::new(Rule::SecretInFile, location, message)
            .help(help(first.kind))
            .arg("kind", <&str>::from(first.kind))
            .arg("field", key.unwrap_or_default())
            .arg("length", secret.chars().count().to_string()),
    );
}

/// The fix: a placeholder in the file, the real value from a vault at run time, and a new
/// secret, since the written one must be presumed read.
fn help(kind: SecretKind) -> String {
    match kind {
        SecretKind::ClientSecret => "write a placeholder such as `${PBI_CLIENT_SECRET}` and let the app read the value from a key vault or an environment variable; then delete this secret in Entra ID (App registrations → Certificates & secrets) and create a new one: whoever read this file can sign in as the app".into(),
        SecretKind::BearerToken => "write `Bearer ${PBI_ACCESS_TOKEN}` and let the app fetch a token at run time; the written token works for whoever reads this file until it expires".into(),
        SecretKind::Jwt => "write a placeholder such as `${PBI_ACCESS_TOKEN}` and let the app fetch the token at run time; the written token works for whoever reads this file until it expires".into(),
        SecretKind::BasicCredentials => "write `Basic ${CREDENTIALS}` and let the app read the credentials from a key vault; then change the password: whoever read this file can use it".into(),
        SecretKind::Password => "write a placeholder such as `${PBI_PASSWORD}` and let the app read the value from a key vault or an environment variable; then change the password: whoever read this file can use it".into(),
        SecretKind::Secret => "write a placeholder such as `${PBI_SECRET}` and let the app read the value from a key vault or an environment variable; then replace the secret: whoever read this file can use it".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Member;

    fn member(key: &str, value: Value) -> Member {
        Member {
            key: key.into(),
            value,
        }
    }

    fn scan(doc: &Value) -> Vec<Finding> {
        let mut out = Vec::new();
        SecretInFile.check_document(doc, Origin::Request, &mut out);
        out
    }

    #[test]
    fn a_secret_under_a_repeated_key_is_placed_at_that_copy() {
        // Found by fuzzing: `/requests/1/...` under the second `requests` names no node, since a
        // pointer reaches only the first copy.
        let secret = "abc8Q~0123456789abcdefghijklmnopqrstuvwx";
        let doc = Value::Object(vec![
            member("requests", Value::Array(vec![])),
            member(
                "requests",
                Value::Array(vec![Value::Object(vec![member(
                    "clientSecret",
                    Value::String(secret.into()),
                )])]),
            ),
        ]);
        let found = scan(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location.pointer.as_str(), "/requests");
        assert_eq!(found[0].location.target, Target::MemberKey(1));
        assert!(found[0].location.pointer.resolve(&doc).is_some());
    }

    #[test]
    fn every_string_of_the_document_is_read() {
        let secret = "abc8Q~0123456789abcdefghijklmnopqrstuvwx";
        let doc = Value::Object(vec![
            member("unknownKey", Value::String(secret.into())),
            member(
                "requests",
                Value::Array(vec![Value::Object(vec![member(
                    "headers",
                    Value::Object(vec![member(
                        "Authorization",
                        Value::String("Bearer ${PBI_ACCESS_TOKEN}".into()),
                    )]),
                )])]),
            ),
            member(
                "tenant",
                Value::Object(vec![member(
                    "pwd",
                    Value::Number(crate::value::Number::from_i64(123456)),
                )]),
            ),
        ]);
        let found = scan(&doc);
        let places: Vec<&str> = found.iter().map(|f| f.location.pointer.as_str()).collect();
        assert_eq!(places, vec!["/unknownKey", "/tenant/pwd"]);
        for f in &found {
            assert!(f.help.is_some());
            for text in std::iter::once(&f.message)
                .chain(f.help.iter())
                .chain(f.args.iter().map(|(_, v)| v))
            {
                assert!(!text.contains(&secret[4..]), "{text}");
                assert!(!text.contains("123456"), "{text}");
            }
        }
        assert_eq!(
            found[0].message,
            "an Entra client secret is written under `unknownKey`: \"abc8…\" (40 characters)"
        );
        assert_eq!(
            found[1].message,
            "a password is written under `pwd`: (6 characters)"
        );
    }
}

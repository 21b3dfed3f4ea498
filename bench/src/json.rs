//! embedguard's document tree written as compact JSON text, members in source order.

use embedguard_core::value::Value;

/// Compact JSON for `value`. Numbers that are integers are written as integers; others with
/// Rust's shortest round-trip form (YAML spellings such as `0x2A` or `1e3` are not JSON).
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.integer {
            Some(i) => out.push_str(&i.to_string()),
            None if n.value.is_finite() => out.push_str(&n.value.to_string()),
            None => out.push_str("null"),
        },
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&m.key, out);
                out.push(':');
                write(&m.value, out);
            }
            out.push('}');
        }
    }
}

fn string(s: &str, out: &mut String) {
    // serde_json's escaping is the reference: a `String` always serializes.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

/// `value` as a `serde_json::Value` (a later duplicate key replaces an earlier one).
pub fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => match n.integer {
            Some(i) => serde_json::Value::from(i),
            None => serde_json::Number::from_f64(n.value)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
        },
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|m| (m.key.clone(), to_serde(&m.value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_serde_json() {
        let text = r#"{"a":[1,2.5,"x\"y",null,true],"b":{"c":"\u00e9"}}"#;
        let v: serde_json::Value = serde_json::from_str(text).expect("json");
        let ours = Value::from_json(&v);
        let back: serde_json::Value = serde_json::from_str(&to_json(&ours)).expect("ours");
        assert_eq!(back, v);
        assert_eq!(to_serde(&ours), v);
    }
}

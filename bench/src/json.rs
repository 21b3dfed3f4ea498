//! embedguard's document tree written as compact JSON text, members in source order.

use embedguard_core::value::Value;

/// Compact JSON for `value`, members in order ([`Value::to_json_text`]).
pub fn to_json(value: &Value) -> String {
    value.to_json_text()
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

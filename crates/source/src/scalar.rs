//! What a YAML scalar means under the YAML 1.2 core schema.
//!
//! Only plain (unquoted) scalars are typed implicitly; the front end keeps quoted and block
//! scalars as strings. YAML 1.1 spellings (`yes`, `no`, `on`, `off`, `0755`, `1_000`) are
//! strings here, as in any YAML 1.2 parser — the rules flag them where a reader could disagree.

use embedguard_core::value::{Number, Value};

/// A core-schema tag written explicitly on a scalar (`!!str`, `!!int`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
}

impl CoreTag {
    /// The tag for a core-schema type name (`str`, `int`, …), if it is one of the scalar types.
    pub(super) fn from_name(name: &str) -> Option<Self> {
        match name {
            "str" => Some(CoreTag::Str),
            "int" => Some(CoreTag::Int),
            "float" => Some(CoreTag::Float),
            "bool" => Some(CoreTag::Bool),
            "null" => Some(CoreTag::Null),
            _ => None,
        }
    }
}

/// The value of a plain scalar: null, bool, int or float when it is spelled as one, else string.
pub(super) fn resolve_plain(text: &str) -> Value {
    null(text)
        .or_else(|| bool(text))
        .or_else(|| int(text))
        .or_else(|| float(text))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// The value of a scalar with an explicit core tag, or `None` if the text is not of that type.
pub(super) fn resolve_tagged(text: &str, tag: CoreTag) -> Option<Value> {
    match tag {
        CoreTag::Str => Some(Value::String(text.to_string())),
        CoreTag::Null => null(text),
        CoreTag::Bool => bool(text),
        CoreTag::Int => int(text),
        // The float pattern includes decimal integers (`!!float 1` is 1.0).
        CoreTag::Float => float(text),
    }
}

fn null(text: &str) -> Option<Value> {
    matches!(text, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null)
}

fn bool(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
fn int(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if !is_digits(unsigned) {
            return None;
        }
        return Some(number(text, text.parse().ok()?, text.parse().ok()));
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0, |acc: f64, d| acc * f64::from(radix) + f64::from(d));
    Some(number(text, value, i64::from_str_radix(digits, radix).ok()))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)`,
/// `\.(nan|NaN|NAN)`.
fn float(text: &str) -> Option<Value> {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(number(text, f64::NAN, None));
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        let value = if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return Some(number(text, value, None));
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => !fraction.is_empty() && is_digits(fraction),
        Some((whole, fraction)) => is_digits(whole) && fraction.chars().all(|c| c.is_ascii_digit()),
        None => is_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| is_digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    // Rust's float syntax accepts every spelling the pattern above admits.
    Some(number(text, text.parse().ok()?, None))
}

/// One or more ASCII digits.
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn number(text: &str, value: f64, integer: Option<i64>) -> Value {
    Value::Number(Number {
        text: text.into(),
        value,
        integer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: &Value) -> Option<(&str, f64, Option<i64>)> {
        match v {
            Value::Number(n) => Some((n.text.as_str(), n.value, n.integer)),
            _ => None,
        }
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        for null_text in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(null_text), Value::Null, "{null_text:?}");
        }
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("FALSE"), Value::Bool(false));
        for string in [
            "no", "yes", "on", "Off", "y", "nULL", "tRUE", "1_000", "0b101", "0x", "0o8", "-0x1",
            "1e", "1.2.3", ".", "+", "e3", ".e3", "inf", "nan", "-.nan", "12:30", "0X1F",
        ] {
            assert_eq!(
                resolve_plain(string),
                Value::String(string.into()),
                "{string:?}"
            );
        }
        assert_eq!(
            num(&resolve_plain("00123")),
            Some(("00123", 123.0, Some(123)))
        );
        assert_eq!(num(&resolve_plain("+5")), Some(("+5", 5.0, Some(5))));
        assert_eq!(num(&resolve_plain("-0")), Some(("-0", -0.0, Some(0))));
        assert_eq!(
            num(&resolve_plain("0755")),
            Some(("0755", 755.0, Some(755)))
        );
        assert_eq!(num(&resolve_plain("0o17")), Some(("0o17", 15.0, Some(15))));
        assert_eq!(num(&resolve_plain("0x2A")), Some(("0x2A", 42.0, Some(42))));
        assert_eq!(num(&resolve_plain("1e3")), Some(("1e3", 1000.0, None)));
        assert_eq!(num(&resolve_plain("1.")), Some(("1.", 1.0, None)));
        assert_eq!(num(&resolve_plain("-.5E+1")), Some(("-.5E+1", -5.0, None)));
        assert_eq!(num(&resolve_plain("1.e3")), Some(("1.e3", 1000.0, None)));
        assert_eq!(
            num(&resolve_plain("-.INF")),
            Some(("-.INF", f64::NEG_INFINITY, None))
        );
        assert!(num(&resolve_plain(".NaN")).is_some_and(|(_, v, _)| v.is_nan()));
        let huge = "123456789012345678901234567890";
        assert_eq!(
            num(&resolve_plain(huge)),
            Some((huge, 1.2345678901234568e29, None))
        );
        let huge_hex = "0xFFFFFFFFFFFFFFFFFF";
        assert!(num(&resolve_plain(huge_hex)).is_some_and(|(_, v, i)| i.is_none() && v > 4.0e21));
    }

    #[test]
    fn explicit_tags_resolve_or_fail() {
        assert_eq!(
            resolve_tagged("12", CoreTag::Str),
            Some(Value::String("12".into()))
        );
        assert_eq!(
            num(&resolve_tagged("12", CoreTag::Int).unwrap_or(Value::Null)),
            Some(("12", 12.0, Some(12)))
        );
        assert_eq!(
            num(&resolve_tagged("12", CoreTag::Float).unwrap_or(Value::Null)),
            Some(("12", 12.0, None))
        );
        assert_eq!(resolve_tagged("1.5", CoreTag::Int), None);
        assert_eq!(resolve_tagged("yes", CoreTag::Bool), None);
        assert_eq!(resolve_tagged("~", CoreTag::Null), Some(Value::Null));
        assert_eq!(resolve_tagged("x", CoreTag::Null), None);
        assert_eq!(CoreTag::from_name("map"), None);
    }
}

//! A JSON-like document tree that keeps what serde's maps throw away.
//!
//! Description files are YAML or JSON; the front end parses either into this one tree.
//! Objects are member *lists*, not maps, so duplicate keys (and keys that differ only in case)
//! survive for the rules to see, and numbers keep the spelling they had in the source so a
//! message can say what the author wrote. Spans are not kept here: the core is free of source
//! positions, and the front end maps [`Pointer`]s back to line and column.

use std::fmt;

use compact_str::CompactString;

/// One node of a parsed document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~`, or an empty YAML value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number, with its source spelling.
    Number(Number),
    /// A string (quoted, or a YAML plain scalar that is not a null, bool or number).
    String(String),
    /// An ordered sequence.
    Array(Vec<Value>),
    /// An object, members in source order, duplicates kept.
    Object(Vec<Member>),
}

/// One `key: value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The value.
    pub value: Value,
}

/// A number as written in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The spelling in the source (`10`, `1e3`, `00123`, `0x2A`).
    pub text: CompactString,
    /// The value as a float (may lose precision for huge integers).
    pub value: f64,
    /// The value as an integer, when it is one and fits in `i64`.
    pub integer: Option<i64>,
}

impl Number {
    /// A number from an integer, spelled in decimal.
    pub fn from_i64(n: i64) -> Self {
        Number {
            text: n.to_string().into(),
            value: n as f64,
            integer: Some(n),
        }
    }

    /// A number from a float, spelled with Rust's shortest round-trip form.
    pub fn from_f64(f: f64) -> Self {
        let integer = if f.fract() == 0.0 && f.abs() < 9.0e15 {
            Some(f as i64)
        } else {
            None
        };
        Number {
            text: f.to_string().into(),
            value: f,
            integer,
        }
    }
}

/// The JSON type of a value, for messages ("expected a string, found a number").
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::IntoStaticStr)]
pub enum Kind {
    /// `null`
    #[strum(serialize = "null")]
    Null,
    /// `true` / `false`
    #[strum(serialize = "a boolean")]
    Bool,
    /// a number
    #[strum(serialize = "a number")]
    Number,
    /// a string
    #[strum(serialize = "a string")]
    String,
    /// an array
    #[strum(serialize = "an array")]
    Array,
    /// an object
    #[strum(serialize = "an object")]
    Object,
}

impl Value {
    /// This tree as compact JSON text: members in order, repeated keys kept, each number as
    /// written when that spelling is JSON (`1e3`, `-0`), else by its value (YAML's `0x2A` is
    /// `42`; a number with no finite value is `null`). What a request written in YAML sends
    /// on the wire.
    pub fn to_json_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) if is_json_number(&n.text) => out.push_str(&n.text),
            Value::Number(n) => match (n.integer, serde_json::Number::from_f64(n.value)) {
                (Some(i), _) => out.push_str(&i.to_string()),
                (None, Some(f)) => out.push_str(&f.to_string()),
                (None, None) => out.push_str("null"),
            },
            Value::String(s) => write_json_string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(&m.key, out);
                    out.push(':');
                    m.value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// The JSON type of this value.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The first member named exactly `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// Converts a `serde_json` value (whose maps have already dropped duplicate keys).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(Number {
                text: n.to_string().into(),
                value: n.as_f64().unwrap_or(f64::NAN),
                integer: n.as_i64(),
            }),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::Array(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| Member {
                        key: k.clone(),
                        value: Value::from_json(v),
                    })
                    .collect(),
            ),
        }
    }

    /// A short rendering of a scalar for messages; containers render as their kind.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.text.to_string(),
            Value::String(s) => format!("\"{s}\""),
            Value::Array(_) | Value::Object(_) => self.kind().to_string(),
        }
    }
}

/// An RFC 6901 JSON Pointer into a document (`/requests/0/body/identities`).
///
/// Pointers are how findings say *where*: the core builds them while it reads a document, and the
/// front end turns them into file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(CompactString);

/// The longest pointer text kept inline, without a heap allocation.
const INLINE: usize = 24;

impl Pointer {
    /// The pointer to the whole document (the empty string).
    pub fn root() -> Self {
        Pointer(CompactString::const_new(""))
    }

    /// Parses an already-escaped pointer string (`""` or `/a/0/b~1c`).
    pub fn from_escaped(s: &str) -> Self {
        Pointer(CompactString::new(s))
    }

    /// The pointer to member `key` of the object at `self`.
    pub fn key(&self, key: &str) -> Self {
        // Almost no key needs escaping: copy it whole then (every field read builds a pointer).
        if !key.bytes().any(|b| b == b'~' || b == b'/') {
            return self.joined(key.as_bytes());
        }
        let mut escaped = String::with_capacity(key.len() + 2);
        for c in key.chars() {
            match c {
                '~' => escaped.push_str("~0"),
                '/' => escaped.push_str("~1"),
                c => escaped.push(c),
            }
        }
        self.joined(escaped.as_bytes())
    }

    /// The pointer to item `index` of the array at `self`.
    pub fn index(&self, index: usize) -> Self {
        // usize::MAX has 20 digits.
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = index;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.joined(&digits[at..])
    }

    /// `self`, `/`, then `token` (escaped already): built in place when it fits inline, as
    /// most pointers of a request do, with one copy otherwise.
    fn joined(&self, token: &[u8]) -> Self {
        let len = self.0.len() + 1 + token.len();
        if len <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..self.0.len()].copy_from_slice(self.0.as_bytes());
            buf[self.0.len()] = b'/';
            buf[self.0.len() + 1..len].copy_from_slice(token);
            // Both parts are UTF-8 and `/` is ASCII, so this cannot fail.
            if let Ok(s) = CompactString::from_utf8(&buf[..len]) {
                return Pointer(s);
            }
        }
        let mut s = String::with_capacity(len);
        s.push_str(&self.0);
        s.push('/');
        s.push_str(&String::from_utf8_lossy(token));
        Pointer(CompactString::from(s))
    }

    /// The escaped pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens, outermost first.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer one level up, or `None` at the root.
    pub fn parent(&self) -> Option<Pointer> {
        let cut = self.0.rfind('/')?;
        Some(Pointer(CompactString::new(&self.0[..cut])))
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0 == other.0
            || (self.0.starts_with(other.0.as_str())
                && self.0.as_bytes().get(other.0.len()) == Some(&b'/'))
    }

    /// Resolves this pointer in `doc`.
    pub fn resolve<'v>(&self, doc: &'v Value) -> Option<&'v Value> {
        let mut cur = doc;
        for token in self.tokens() {
            cur = match cur {
                Value::Object(members) => &members.iter().find(|m| m.key == token)?.value,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The tree as serde data, members in order with repeated keys kept (a `serde_json::Value`
/// would sort and merge them) and numbers by value; [`Value::to_json_text`] keeps their
/// spelling.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match n.integer {
                Some(i) => s.serialize_i64(i),
                None => s.serialize_f64(n.value),
            },
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for m in members {
                    map.serialize_entry(&m.key, &m.value)?;
                }
                map.end()
            }
        }
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it.
fn write_json_string(s: &str, out: &mut String) {
    // Serializing a `str` cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// Whether `text` is a number in JSON's grammar:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_keeps_order_repeats_and_spellings() {
        let number = |text: &str, value: f64, integer: Option<i64>| {
            Value::Number(Number {
                text: text.into(),
                value,
                integer,
            })
        };
        let member = |key: &str, value| Member {
            key: key.into(),
            value,
        };
        let doc = Value::Object(vec![
            member("b", number("1e3", 1000.0, None)),
            member("a", number("0x2A", 42.0, Some(42))),
            member("b", number("-0", -0.0, Some(0))),
            member("c", number(".inf", f64::INFINITY, None)),
            member("d", number("1.50", 1.5, None)),
            member(
                "e\"",
                Value::Array(vec![Value::String("x\ny".into()), Value::Null]),
            ),
        ]);
        assert_eq!(
            doc.to_json_text(),
            r#"{"b":1e3,"a":42,"b":-0,"c":null,"d":1.50,"e\"":["x\ny",null]}"#
        );
        for (text, json) in [
            ("0", true),
            ("-12.5e+3", true),
            ("01", false),
            ("1.", false),
            ("+1", false),
            ("1e", false),
            ("", false),
        ] {
            assert_eq!(is_json_number(text), json, "{text:?}");
        }
    }

    #[test]
    fn pointer_escapes_and_resolves() {
        let doc = Value::Object(vec![Member {
            key: "a/b".into(),
            value: Value::Array(vec![Value::Null, Value::String("x".into())]),
        }]);
        let p = Pointer::root().key("a/b").index(1);
        assert_eq!(p.as_str(), "/a~1b/1");
        assert_eq!(p.resolve(&doc), Some(&Value::String("x".into())));
        assert_eq!(p.parent().map(|p| p.to_string()), Some("/a~1b".to_string()));
        assert!(p.starts_with(&Pointer::root().key("a/b")));
        assert!(!Pointer::from_escaped("/ab").starts_with(&Pointer::from_escaped("/a")));
    }
}

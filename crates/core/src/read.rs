//! Reading typed data out of a [`Value`] tree, turning every surprise into a finding.
//!
//! Request bodies, request descriptions and inventories are all read through [`ObjectReader`]:
//! it knows the keys an object may have, reports the others (EG003), and hands out typed fields,
//! reporting wrong JSON types (EG005) instead of failing. A field that is present but unusable is
//! [`Field::Invalid`]: other rules treat it as present, so one mistake gives one finding.

use crate::finding::{Finding, Location, Origin};
use crate::registry::Rule;
use crate::value::{Member, Number, Pointer, Value};

/// A value together with where it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is.
    pub pointer: Pointer,
}

/// The state of one optional field after reading.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The key is not there.
    #[default]
    Absent,
    /// The key is there but its value could not be used (already reported).
    Invalid(Pointer),
    /// The key is there with a usable value.
    Present(Located<T>),
}

impl<T> Field<T> {
    /// The value, when present and usable.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Present(l) => Some(&l.value),
            _ => None,
        }
    }

    /// The located value, when present and usable.
    pub fn located(&self) -> Option<&Located<T>> {
        match self {
            Field::Present(l) => Some(l),
            _ => None,
        }
    }

    /// Whether the key is there at all (usable or not).
    pub fn is_present(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    /// Where the field is, when the key is there.
    pub fn pointer(&self) -> Option<&Pointer> {
        match self {
            Field::Absent => None,
            Field::Invalid(p) => Some(p),
            Field::Present(l) => Some(&l.pointer),
        }
    }
}

/// Collects findings while a document is read.
#[derive(Debug)]
pub struct Diagnostics {
    origin: Origin,
    /// The findings so far.
    pub findings: Vec<Finding>,
}

impl Diagnostics {
    /// A collector for findings about the document `origin`.
    pub fn new(origin: Origin) -> Self {
        Diagnostics {
            origin,
            findings: Vec::new(),
        }
    }

    /// The location of the value at `pointer` in this document.
    pub fn at(&self, pointer: Pointer) -> Location {
        Location {
            origin: self.origin,
            pointer,
            target: crate::finding::Target::Value,
        }
    }

    /// Records a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Reports a value of the wrong JSON type.
    pub fn wrong_type(&mut self, pointer: &Pointer, field: &str, expected: &str, found: &Value) {
        let mut f = Finding::new(
            Rule::WrongType,
            self.at(pointer.clone()),
            format!("`{field}` must be {expected}, found {}", found.kind()),
        )
        .arg("field", field)
        .arg("expected", expected)
        .arg("found", found.kind().to_string());
        if let (Value::Number(n), true) = (found, expected.contains("string")) {
            f = f.help(format!(
                "`{}` is read as a number; quote it: \"{}\"",
                n.text, n.text
            ));
        } else if let (Value::String(s), true) = (found, expected.contains("array")) {
            f = f.help(format!("write a list: [\"{}\"]", s.replace(',', "\", \"")));
        }
        self.push(f);
    }

    /// Reports a value outside an enumeration.
    pub fn invalid_enum(&mut self, pointer: &Pointer, field: &str, found: &str, allowed: &[&str]) {
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut f = Finding::new(
            Rule::InvalidEnum,
            self.at(pointer.clone()),
            format!("`{field}` is `{found}`, which is not one of {list}"),
        )
        .arg("field", field)
        .arg("value", found);
        if let Some(best) = nearest(found, allowed.iter().copied()) {
            f = f.help(format!("did you mean `{best}`?"));
        }
        self.push(f);
    }
}

/// Reads one object whose allowed keys are known.
#[derive(Debug)]
pub struct ObjectReader<'v> {
    members: &'v [Member],
    /// Where the object is.
    pub pointer: Pointer,
}

impl<'v> ObjectReader<'v> {
    /// Starts reading `value` at `pointer` as an object named `what` with the keys `known`.
    ///
    /// Keys outside `known` are reported (EG003) unless `claim` takes them (returns `true`), which
    /// lets a caller give a misplaced key its own rule. Returns `None`, after reporting EG005,
    /// when `value` is not an object.
    pub fn open(
        value: &'v Value,
        pointer: Pointer,
        what: &str,
        known: &[&str],
        diags: &mut Diagnostics,
        mut claim: impl FnMut(&Member, &Pointer, &mut Diagnostics) -> bool,
    ) -> Option<Self> {
        let Some(members) = value.as_object() else {
            diags.wrong_type(&pointer, what, "an object", value);
            return None;
        };
        for member in members {
            if known.contains(&member.key.as_str()) {
                continue;
            }
            let at = pointer.key(&member.key);
            if claim(member, &at, diags) {
                continue;
            }
            diags.push(unknown_field(diags.at(at).key(), &member.key, what, known));
        }
        Some(ObjectReader { members, pointer })
    }

    /// The raw value of `key` and its pointer.
    pub fn raw(&self, key: &str) -> Option<(&'v Value, Pointer)> {
        self.members
            .iter()
            .find(|m| m.key == key)
            .map(|m| (&m.value, self.pointer.key(key)))
    }

    /// A string field.
    pub fn string(&self, key: &str, diags: &mut Diagnostics) -> Field<String> {
        self.typed(key, diags, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// A boolean field.
    pub fn bool(&self, key: &str, diags: &mut Diagnostics) -> Field<bool> {
        self.typed(key, diags, "a boolean", |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    /// A number field.
    pub fn number(&self, key: &str, diags: &mut Diagnostics) -> Field<Number> {
        self.typed(key, diags, "a number", |v| match v {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        })
    }

    /// An array of strings; each item keeps its own pointer.
    pub fn strings(&self, key: &str, diags: &mut Diagnostics) -> Field<Vec<Located<String>>> {
        self.array(
            key,
            diags,
            "an array of strings",
            |item, at, diags| match item {
                Value::String(s) => Some(Located {
                    value: s.clone(),
                    pointer: at,
                }),
                other => {
                    diags.wrong_type(&at, key, "a string", other);
                    None
                }
            },
        )
    }

    /// An array whose items are read by `item` (which reports its own problems).
    pub fn array<T>(
        &self,
        key: &str,
        diags: &mut Diagnostics,
        expected: &str,
        mut item: impl FnMut(&'v Value, Pointer, &mut Diagnostics) -> Option<T>,
    ) -> Field<Vec<T>> {
        let Some((value, at)) = self.raw(key) else {
            return Field::Absent;
        };
        let Some(items) = value.as_array() else {
            diags.wrong_type(&at, key, expected, value);
            return Field::Invalid(at);
        };
        let read = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| item(v, at.index(i), diags))
            .collect();
        Field::Present(Located {
            value: read,
            pointer: at,
        })
    }

    /// An enumeration field: any letter case is accepted; the spelling is kept.
    pub fn enumeration<E: Copy>(
        &self,
        key: &str,
        diags: &mut Diagnostics,
        allowed: &[(&str, E)],
    ) -> Field<Spelled<E>> {
        let Some((value, at)) = self.raw(key) else {
            return Field::Absent;
        };
        let Some(text) = value.as_str() else {
            diags.wrong_type(&at, key, "a string", value);
            return Field::Invalid(at);
        };
        match allowed
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
        {
            Some((name, e)) => Field::Present(Located {
                value: Spelled {
                    value: *e,
                    canonical: *name == text,
                },
                pointer: at,
            }),
            None => {
                let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                diags.invalid_enum(&at, key, text, &names);
                Field::Invalid(at)
            }
        }
    }

    fn typed<T>(
        &self,
        key: &str,
        diags: &mut Diagnostics,
        expected: &str,
        convert: impl FnOnce(&Value) -> Option<T>,
    ) -> Field<T> {
        let Some((value, at)) = self.raw(key) else {
            return Field::Absent;
        };
        match convert(value) {
            Some(v) => Field::Present(Located {
                value: v,
                pointer: at,
            }),
            None => {
                diags.wrong_type(&at, key, expected, value);
                Field::Invalid(at)
            }
        }
    }
}

/// An enumeration value, with whether it was spelled exactly as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelled<E> {
    /// The value.
    pub value: E,
    /// `true` when spelled exactly as in the documentation (`View`, not `view`).
    pub canonical: bool,
}

/// The EG003 finding for `key` in an object named `what` whose keys are `known`.
pub fn unknown_field(location: Location, key: &str, what: &str, known: &[&str]) -> Finding {
    let mut f = Finding::new(
        Rule::UnknownField,
        location,
        format!("unknown field `{key}` in {what}"),
    )
    .arg("field", key)
    .arg("object", what);
    match nearest(key, known.iter().copied()) {
        Some(best) => f = f.help(format!("did you mean `{best}`?")),
        None if !known.is_empty() => {
            let list = known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            f = f.help(format!("{what} takes {list}"));
        }
        None => {}
    }
    f
}

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let cl = c.to_ascii_lowercase();
        let d = if cl == lower {
            0
        } else if lower.len() >= 4 && (cl.starts_with(&lower) || lower.starts_with(&cl)) {
            1
        } else {
            levenshtein(&lower, &cl)
        };
        let limit = (c.len().max(word.len()) / 3).max(2);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_case() {
        let known = ["accessLevel", "identities", "datasetId"];
        assert_eq!(
            nearest("identity", known.iter().copied()),
            Some("identities")
        );
        assert_eq!(
            nearest("AccessLevel", known.iter().copied()),
            Some("accessLevel")
        );
        assert_eq!(
            nearest("datsetId", known.iter().copied()),
            Some("datasetId")
        );
        assert_eq!(nearest("colour", known.iter().copied()), None);
    }
}

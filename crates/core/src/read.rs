//! Reading typed data out of a [`Value`] tree, turning every surprise into a finding.
//!
//! Request bodies, request descriptions and inventories are all read through [`ObjectReader`]:
//! it knows the keys an object may have, reports the others (EG003), and hands out typed fields,
//! reporting wrong JSON types (EG005) instead of failing. A field that is present but unusable is
//! [`Field::Invalid`]: other rules treat it as present, so one mistake gives one finding.

use crate::finding::{Finding, Location, Origin, Target};
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
        // `field` is a key (`roles`), an already quoted key, or a description (`a request`).
        let named = if field.starts_with('`') || field.contains(' ') {
            field.to_string()
        } else {
            format!("`{field}`")
        };
        let mut f = Finding::new(
            Rule::WrongType,
            self.at(pointer.clone()),
            format!("{named} must be {expected}, found {}", found.kind()),
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
        } else if let (Value::String(s), "a number") = (found, expected) {
            f = f.help(format!("write the number without quotes: {s}"));
        } else if let (Value::String(s), "a boolean") = (found, expected) {
            f = f.help(format!(
                "write `true` or `false` without quotes (found \"{s}\")"
            ));
        } else if expected == "an object" {
            f = f.help(format!(
                "write {named} as a map of `key: value` lines (or `{{ key: value }}`)"
            ));
        } else if expected == "a string" && !matches!(found, Value::Array(_) | Value::Object(_)) {
            f = f.help(format!(
                "quote the value so YAML reads it as text: \"{}\"",
                found.describe()
            ));
        } else {
            f = f.help(format!("write {named} as {expected}"));
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
        f = match nearest(found, allowed.iter().copied()) {
            Some(best) => f.help(format!("did you mean `{best}`?")),
            None => f.help(format!("write one of {list}")),
        };
        self.push(f);
    }
}

/// How an object's keys are matched against the names it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    /// Keys must be written exactly (description and inventory files: embedguard's own format).
    Exact,
    /// Keys are matched ignoring ASCII case, as Power BI's .NET reader binds them (request bodies
    /// and HTTP headers): `AccessLevel` is read as `accessLevel` (EG004), and two keys equal
    /// ignoring case are duplicates (EG002).
    Wire,
}

impl KeyCase {
    fn same(self, a: &str, b: &str) -> bool {
        match self {
            KeyCase::Exact => a == b,
            KeyCase::Wire => a.eq_ignore_ascii_case(b),
        }
    }
}

/// Reads one object whose allowed keys are known.
#[derive(Debug)]
pub struct ObjectReader<'v> {
    members: &'v [Member],
    case: KeyCase,
    /// Where the object is.
    pub pointer: Pointer,
}

impl<'v> ObjectReader<'v> {
    /// Starts reading `value` at `pointer` as an object named `what` with the keys `known`,
    /// written exactly (see [`KeyCase::Exact`]).
    ///
    /// Keys outside `known` are reported (EG003) unless `claim` takes them (returns `true`), which
    /// lets a caller give a misplaced key its own rule. A key written twice is EG002. Returns
    /// `None`, after reporting EG005, when `value` is not an object.
    pub fn open(
        value: &'v Value,
        pointer: Pointer,
        what: &str,
        known: &[&str],
        diags: &mut Diagnostics,
        claim: impl FnMut(&Member, &Pointer, &mut Diagnostics) -> bool,
    ) -> Option<Self> {
        Self::open_with(KeyCase::Exact, value, pointer, what, known, diags, claim)
    }

    /// Like [`ObjectReader::open`], for an object Power BI reads (see [`KeyCase::Wire`]).
    pub fn open_wire(
        value: &'v Value,
        pointer: Pointer,
        what: &str,
        known: &[&str],
        diags: &mut Diagnostics,
        claim: impl FnMut(&Member, &Pointer, &mut Diagnostics) -> bool,
    ) -> Option<Self> {
        Self::open_with(KeyCase::Wire, value, pointer, what, known, diags, claim)
    }

    fn open_with(
        case: KeyCase,
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
        // Small objects (nearly all) find a repeat by looking back, without an index to build.
        let firsts = (members.len() > SMALL_OBJECT).then(|| first_occurrences(members, case));
        for (i, member) in members.iter().enumerate() {
            let first = match &firsts {
                Some(firsts) => firsts[i],
                None => members[..i]
                    .iter()
                    .position(|o| case.same(&o.key, &member.key))
                    .unwrap_or(i),
            };
            if first != i {
                diags.push(duplicate_key(
                    diags, &pointer, members, first, i, what, case,
                ));
                continue;
            }
            if known.contains(&member.key.as_str()) {
                continue;
            }
            // Built only for a member that is not a known field: most members are.
            let at = pointer.key(&member.key);
            if case == KeyCase::Wire {
                if let Some(name) = known.iter().find(|k| k.eq_ignore_ascii_case(&member.key)) {
                    diags.push(field_case(diags.at(at).key(), &member.key, name, what));
                    continue;
                }
            }
            if claim(member, &at, diags) {
                continue;
            }
            diags.push(unknown_field(diags.at(at).key(), &member.key, what, known));
        }
        Some(ObjectReader {
            members,
            case,
            pointer,
        })
    }

    /// The raw value of `key` and its pointer: the member written exactly so, or else (for a
    /// [`KeyCase::Wire`] object) the first written in another case. A key written twice is
    /// already EG002; the first copy is read.
    pub fn raw(&self, key: &str) -> Option<(&'v Value, Pointer)> {
        let member = self.members.iter().find(|m| m.key == key).or_else(|| {
            (self.case == KeyCase::Wire)
                .then(|| self.members.iter().find(|m| self.case.same(&m.key, key)))
                .flatten()
        })?;
        Some((&member.value, self.pointer.key(&member.key)))
    }

    /// A string field.
    pub fn string(&self, key: &str, diags: &mut Diagnostics) -> Field<String> {
        self.typed(key, diags, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// Every member as a string field, in source order: for each member, what
    /// [`ObjectReader::string`] of its key reads (the first copy of a repeated key).
    ///
    /// Calling `string` once per member would search the members once per member, `O(n²)`: an
    /// object of free-form keys (`headers:`) can be as large as the file, and 100,000 headers
    /// took minutes. One pass with an index of first occurrences is `O(n)`.
    pub fn each_string(&self, diags: &mut Diagnostics) -> Vec<(&'v str, Field<String>)> {
        // The member `string` reads for a key is its first exact copy.
        let first = first_occurrences(self.members, KeyCase::Exact);
        self.members
            .iter()
            .zip(first)
            .map(|(m, first)| {
                let read = &self.members[first];
                let at = self.pointer.key(&read.key);
                let field = match read.value.as_str() {
                    Some(v) => Field::Present(Located {
                        value: v.to_owned(),
                        pointer: at,
                    }),
                    None => {
                        diags.wrong_type(&at, &m.key, "a string", &read.value);
                        Field::Invalid(at)
                    }
                };
                (m.key.as_str(), field)
            })
            .collect()
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

    /// An enumeration field: any letter case is accepted (Power BI binds enums ignoring case),
    /// and a spelling other than the documented one is EG010.
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
            Some((name, e)) => {
                let canonical = *name == text;
                if !canonical {
                    diags.push(enum_case(diags.at(at.clone()), key, text, name));
                }
                Field::Present(Located {
                    value: Spelled {
                        value: *e,
                        canonical,
                    },
                    pointer: at,
                })
            }
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

/// Up to this many members, an object's repeated keys are found by scanning, not hashing.
const SMALL_OBJECT: usize = 16;

/// For each member, the index of the first member with the same key (itself when it is the
/// first). Linear for the small objects of real files, hashed for large ones, so a hostile
/// object with many keys costs no more than reading it.
fn first_occurrences(members: &[Member], case: KeyCase) -> Vec<usize> {
    if members.len() <= SMALL_OBJECT {
        return members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                members[..i]
                    .iter()
                    .position(|o| case.same(&o.key, &m.key))
                    .unwrap_or(i)
            })
            .collect();
    }
    let mut seen: std::collections::HashMap<std::borrow::Cow<'_, str>, usize> =
        std::collections::HashMap::with_capacity(members.len());
    members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let folded = match case {
                KeyCase::Exact => std::borrow::Cow::Borrowed(m.key.as_str()),
                KeyCase::Wire => std::borrow::Cow::Owned(m.key.to_ascii_lowercase()),
            };
            *seen.entry(folded).or_insert(i)
        })
        .collect()
}

/// The EG002 finding for the member at `index`, a repeat of the member at `first`.
fn duplicate_key(
    diags: &Diagnostics,
    object: &Pointer,
    members: &[Member],
    first: usize,
    index: usize,
    what: &str,
    case: KeyCase,
) -> Finding {
    let (key, first_key) = (&members[index].key, &members[first].key);
    let mut here = diags.at(object.key(key));
    here.target = Target::MemberKey(index);
    let mut there = diags.at(object.key(first_key));
    there.target = Target::MemberKey(first);
    let message = if key == first_key {
        format!("`{key}` is written twice in {what}")
    } else {
        format!("`{key}` repeats `{first_key}` in {what}, ignoring letter case as Power BI does")
    };
    let help = match case {
        KeyCase::Wire => format!(
            "keep one `{first_key}`: .NET readers such as Power BI's SDK take the last copy, \
             others the first, so a gateway and Power BI could judge different requests"
        ),
        KeyCase::Exact => format!("keep one `{first_key}`; only the first copy is read"),
    };
    Finding::new(Rule::DuplicateKey, here, message)
        .arg("field", key.clone())
        .arg("object", what)
        .help(help)
        .related(there, "first written here")
}

/// The EG004 finding for `key`, written in another case than the documented `name`.
fn field_case(location: Location, key: &str, name: &str, what: &str) -> Finding {
    Finding::new(
        Rule::FieldCase,
        location,
        format!("`{key}` in {what} is spelled `{name}` in Power BI's API"),
    )
    .arg("field", key)
    .arg("expected", name)
    .help(format!(
        "write `{name}`: Power BI's .NET reader ignores case, but other readers (a gateway, \
         serde, Go) see an unknown key"
    ))
}

/// The EG010 finding for the enum value `found` of `field`, documented as `name`.
fn enum_case(location: Location, field: &str, found: &str, name: &str) -> Finding {
    Finding::new(
        Rule::EnumCase,
        location,
        format!("`{field}` is `{found}`; the documented value is `{name}`"),
    )
    .arg("field", field)
    .arg("value", found)
    .arg("expected", name)
    .help(format!("write `{name}`"))
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

    fn object(keys: &[&str]) -> Value {
        Value::Object(
            keys.iter()
                .map(|k| Member {
                    key: (*k).to_string(),
                    value: Value::String("View".into()),
                })
                .collect(),
        )
    }

    fn codes(d: &Diagnostics) -> Vec<(&'static str, String, Target)> {
        d.findings
            .iter()
            .map(|f| {
                (
                    f.rule.code(),
                    f.location.pointer.to_string(),
                    f.location.target,
                )
            })
            .collect()
    }

    /// Opens `value` as an object with keys `known`, exactly or as Power BI reads it.
    fn open<'v>(
        value: &'v Value,
        known: &[&str],
        case: KeyCase,
        d: &mut Diagnostics,
    ) -> ObjectReader<'v> {
        ObjectReader::open_with(
            case,
            value,
            Pointer::root(),
            "a body",
            known,
            d,
            |_, _, _| false,
        )
        .expect("an object")
    }

    #[test]
    fn repeated_keys_are_reported_at_their_own_copy() {
        let value = object(&["accessLevel", "datasetId", "accessLevel", "accessLevel"]);
        let mut d = Diagnostics::new(Origin::Request);
        let known = ["accessLevel", "datasetId"];
        open(&value, &known, KeyCase::Exact, &mut d);
        assert_eq!(
            codes(&d),
            vec![
                ("EG002", "/accessLevel".into(), Target::MemberKey(2)),
                ("EG002", "/accessLevel".into(), Target::MemberKey(3)),
            ]
        );
        assert_eq!(
            d.findings[0].related[0].location.target,
            Target::MemberKey(0)
        );
    }

    #[test]
    fn wire_objects_fold_case_for_names_and_repeats() {
        let value = object(&["AccessLevel", "datasetid", "ACCESSLEVEL"]);
        let mut d = Diagnostics::new(Origin::Request);
        let known = ["accessLevel", "datasetId"];
        let o = open(&value, &known, KeyCase::Wire, &mut d);
        assert_eq!(
            codes(&d),
            vec![
                ("EG004", "/AccessLevel".into(), Target::Key),
                ("EG004", "/datasetid".into(), Target::Key),
                ("EG002", "/ACCESSLEVEL".into(), Target::MemberKey(2)),
            ]
        );
        // The miscased key is read as the field it names, at its own pointer.
        let (_, at) = o.raw("datasetId").expect("read ignoring case");
        assert_eq!(at.as_str(), "/datasetid");

        // The same object read exactly: unknown keys, no case folding.
        let mut d = Diagnostics::new(Origin::Inventory);
        let o = open(&value, &known, KeyCase::Exact, &mut d);
        assert!(
            codes(&d).iter().all(|(c, _, _)| *c == "EG003"),
            "{:?}",
            codes(&d)
        );
        assert!(o.raw("datasetId").is_none());
    }

    #[test]
    fn large_objects_find_repeats_like_small_ones() {
        let mut keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        keys.push("K3".into());
        keys.push("k7".into());
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let value = object(&keys);
        let members = value.as_object().expect("object");
        let exact = first_occurrences(members, KeyCase::Exact);
        let wire = first_occurrences(members, KeyCase::Wire);
        assert_eq!((exact[40], exact[41]), (40, 7));
        assert_eq!((wire[40], wire[41]), (3, 7));
        assert!(exact[..40].iter().enumerate().all(|(i, f)| *f == i));
    }

    #[test]
    fn enum_case_is_a_warning_and_reads_the_value() {
        let value = object(&["accessLevel"]);
        let value = match value {
            Value::Object(mut m) => {
                m[0].value = Value::String("view".into());
                Value::Object(m)
            }
            other => other,
        };
        let mut d = Diagnostics::new(Origin::Request);
        let o = open(&value, &["accessLevel"], KeyCase::Wire, &mut d);
        let read = o.enumeration("accessLevel", &mut d, &[("View", 1), ("Edit", 2)]);
        assert_eq!(read.get().map(|s| (s.value, s.canonical)), Some((1, false)));
        assert_eq!(codes(&d)[0].0, "EG010");
        assert_eq!(d.findings[0].severity, crate::Severity::Warning);
    }

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

//! The fast path for a `/v1/decide` body that is exactly a wire request: `caller`, `path` and
//! optionally `name`, `method`, `headers` and `body`, each once, the texts and header values
//! plain strings. Such an entry is read without building its outer [`Value`] tree: the texts
//! are borrowed from the input and only `body` becomes a `Value`, read by the same code at the
//! same depth as [`super::parse_value`] reads it.
//!
//! Anything else gives `None`: another field, a field twice, an escape in a text, a syntax
//! error anywhere. The caller then parses the whole text as usual, which gives the findings and
//! errors for it; so this path never decides what the full reader would not.

use embedguard_core::request::WireParts;
use embedguard_core::value::Value;

use super::Reader;

/// A wire request read from its JSON entry, texts borrowed from the input.
#[derive(Debug, Default)]
pub struct WireEntry<'t> {
    name: Option<&'t str>,
    caller: Option<&'t str>,
    method: Option<&'t str>,
    path: Option<&'t str>,
    headers: Option<Vec<(&'t str, &'t str)>>,
    body: Option<Value>,
}

impl WireEntry<'_> {
    /// The entry as the parts of a wire request; `None` without a `caller` or a `path`, which
    /// the entry reader reports.
    pub fn parts(&self) -> Option<WireParts<'_>> {
        Some(WireParts {
            name: self.name,
            caller: self.caller?,
            method: self.method,
            path: self.path?,
            host: None,
            headers: self.headers.as_deref(),
            body: self.body.as_ref(),
        })
    }
}

/// Reads `text` as a plain wire entry, or `None` (see the module documentation).
pub(in crate::json) fn read(text: &str) -> Option<WireEntry<'_>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        spans: false,
    };
    reader.skip_whitespace().ok()?;
    let entry = reader.wire_entry()?;
    reader.skip_whitespace().ok()?;
    (reader.at == reader.bytes.len()).then_some(entry)
}

impl<'t> Reader<'t> {
    /// The entry object at the current position (depth 1).
    fn wire_entry(&mut self) -> Option<WireEntry<'t>> {
        let mut entry = WireEntry::default();
        self.members(|reader, key| {
            let filled = match key {
                "name" => fill(&mut entry.name, reader.plain_string()?),
                "caller" => fill(&mut entry.caller, reader.plain_string()?),
                "method" => fill(&mut entry.method, reader.plain_string()?),
                "path" => fill(&mut entry.path, reader.plain_string()?),
                "headers" => fill(&mut entry.headers, reader.plain_pairs()?),
                // The root object is depth 1, so its members' values are read at depth 2.
                "body" => fill(&mut entry.body, reader.value(2).ok()?.0),
                _ => false,
            };
            filled.then_some(())
        })?;
        Some(entry)
    }

    /// The `headers` object at the current position (depth 2): names and values, all plain
    /// strings, in order, repeats kept (as the full reader keeps them).
    fn plain_pairs(&mut self) -> Option<Vec<(&'t str, &'t str)>> {
        self.check_depth(2).ok()?;
        let mut pairs = Vec::new();
        self.members(|reader, name| {
            pairs.push((name, reader.plain_string()?));
            Some(())
        })?;
        Some(pairs)
    }

    /// Reads the object at the current position, calling `member` with the reader at each
    /// member's value and its key; `None` when `member` gives `None` or the syntax is not the
    /// plain one (the full reader then says why).
    fn members(&mut self, mut member: impl FnMut(&mut Self, &'t str) -> Option<()>) -> Option<()> {
        if self.peek() != Some(b'{') {
            return None;
        }
        self.at += 1;
        self.skip_whitespace().ok()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.plain_string()?;
            self.skip_whitespace().ok()?;
            if self.peek() != Some(b':') {
                return None;
            }
            self.at += 1;
            self.skip_whitespace().ok()?;
            member(self, key)?;
            self.skip_whitespace().ok()?;
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_whitespace().ok()?;
                }
                Some(b'}') => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The string at the current position when it has no escape (and no control character):
    /// borrowed, and exactly what [`Reader::string`] would return.
    fn plain_string(&mut self) -> Option<&'t str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.at + 1;
        self.at = start;
        self.skip_plain();
        if self.peek() != Some(b'"') {
            return None;
        }
        let text = self.text.get(start..self.at)?;
        self.at += 1;
        Some(text)
    }
}

/// Puts `value` in an empty `slot`; `false` when it was filled already (a field written twice,
/// which the entry reader reports).
fn fill<T>(slot: &mut Option<T>, value: T) -> bool {
    slot.replace(value).is_none()
}

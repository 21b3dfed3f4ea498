//! Secrets and tokens in a type that never shows them.
//!
//! A client secret, a password, an Entra access token, a client assertion and an embed token are
//! all [`Secret`]s: `Debug` and `Display` print `Secret(…)`, so no log line, error chain or
//! `{:?}` of a struct holding one can leak it. The value is read only through
//! [`Secret::expose`], at the few places that must send or print it.

use std::fmt;

/// A string that must not appear in logs, diagnostics, `Debug` output or error messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself: only for sending it, or printing a token to the one who asked for it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("…")
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Replaces every occurrence of each secret in `text` with `…`: for text a server sent back,
/// which could echo what it was given. Secrets shorter than 4 bytes are left alone (they would
/// match ordinary words, and no real credential is that short).
pub fn scrub<'s>(text: &str, secrets: impl IntoIterator<Item = &'s Secret>) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if s.0.len() >= 4 && out.contains(&s.0) {
            out = out.replace(&s.0, "…");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(…)");
        assert_eq!(format!("{s}"), "…");
        assert_eq!(s.expose(), "hunter2-very-secret");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            secret: Secret,
        }
        let shown = format!("{:?}", Holder { secret: s });
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn scrub_removes_echoed_secrets() {
        let s = Secret::new("p@ssw0rd!");
        assert_eq!(
            scrub("invalid password p@ssw0rd! for alice", [&s]),
            "invalid password … for alice"
        );
        assert_eq!(scrub("abc", [&Secret::new("ab")]), "abc");
    }
}

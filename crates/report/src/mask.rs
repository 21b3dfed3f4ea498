//! Secrets stay out of the report.
//!
//! `check` already masks what EG501 found in its messages; the report also quotes values of the
//! files itself (a caller, a path, role and item names), so each of those goes through the same
//! detector EG501 uses. None of the quoted values sits under a key that names a password or a
//! secret, so the pattern search (bearer tokens, JWTs, Entra client secrets, Basic credentials)
//! is the whole of what EG501 would find in them.

use embedguard_core::secrets;

/// `text` with every secret in it cut to the prefix a message may show and `…`, as `check`
/// shows it.
pub fn scrub(text: &str) -> String {
    let found = secrets::find(None, text);
    if found.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in found {
        let secret = &text[s.range.clone()];
        out.push_str(&text[at..s.range.start]);
        out.push_str(secrets::shown_prefix(secret));
        out.push('…');
        at = s.range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_token_is_cut_and_plain_text_kept() {
        let jwt =
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmaXh0dXJlIn0.RkFLRS1zaWduYXR1cmU";
        let shown = scrub(&format!("/reports/x?token={jwt}"));
        assert!(!shown.contains(jwt), "{shown}");
        assert!(
            shown.starts_with("/reports/x?token=") && shown.ends_with('…'),
            "{shown}"
        );
        assert_eq!(scrub("Sales report"), "Sales report");
    }
}

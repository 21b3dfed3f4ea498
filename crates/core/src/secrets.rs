//! What a secret written into a file looks like: Entra client secrets, bearer tokens, JSON Web
//! Tokens, HTTP Basic credentials, and any value under a key that names a password or a secret.
//!
//! EG501 reports what [`find`] finds; the front end uses the same function to mask those bytes
//! before it shows a line of the file. Nothing here ever returns a secret inside a message: a
//! secret is described by [`preview`] (at most its first four characters and its length).

use std::ops::Range;

use crate::ids::{is_fill_in, is_placeholder};

/// What kind of secret a string holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SecretKind {
    /// An Entra ID (Azure AD) application client secret.
    ClientSecret,
    /// The token of an `Authorization: Bearer …` value.
    BearerToken,
    /// A JSON Web Token (three base64url parts whose header names an `alg`).
    Jwt,
    /// `Basic …` HTTP credentials (base64 of `user:password`).
    BasicCredentials,
    /// A value under a key that names a password (`password`, `pwd`, `passphrase`).
    Password,
    /// A value under a key that names a secret (`secret`, `clientSecret`).
    Secret,
}

impl SecretKind {
    /// The kind as a noun phrase for messages ("a bearer token").
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "an Entra client secret",
            SecretKind::BearerToken => "a bearer token",
            SecretKind::Jwt => "a JSON Web Token",
            SecretKind::BasicCredentials => "a user name and password (HTTP Basic)",
            SecretKind::Password => "a password",
            SecretKind::Secret => "a secret",
        }
    }
}

/// One secret found in a string: what it is and where (a byte range of that string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// What it is.
    pub kind: SecretKind,
    /// The secret's bytes in the string that holds it.
    pub range: Range<usize>,
}

/// The secrets in `text`, a value written under `key` (the nearest object key above it, if
/// any), in order and without overlaps. Patterns are looked for anywhere in the string (a
/// `Bearer` token inside a `curl` line is found); a key that names a password or a secret makes
/// the whole value a secret unless it is a placeholder (`${VAR}`, `{{ var }}`, `<value>`, a
/// vault reference, a mask like `****`).
pub fn find(key: Option<&str>, text: &str) -> Vec<Secret> {
    let mut found: Vec<Secret> = Vec::new();
    // One pass for what each pattern needs (a blank, two dots, a `~`): most strings — ids,
    // names, access levels — have none of them, and every string of every file comes here.
    let seen = text
        .bytes()
        .fold(0u8, |seen, b| seen | PATTERN_BYTES[usize::from(b)]);
    if seen == 0 && key.and_then(names_a_secret).is_none() {
        return found;
    }
    let authorization = if seen & BLANK != 0 {
        authorization_values(text)
    } else {
        Vec::new()
    };
    let two_dots = seen & DOT != 0 && text.bytes().filter(|&b| b == b'.').nth(1).is_some();
    let jwt = if two_dots { jwts(text) } else { Vec::new() };
    let client = client_secrets(if seen & TILDE != 0 { text } else { "" });
    let patterns = authorization
        .into_iter()
        .chain(jwt.into_iter().map(|r| (SecretKind::Jwt, r)))
        .chain(client.map(|r| (SecretKind::ClientSecret, r)));
    for (kind, range) in patterns {
        if !found
            .iter()
            .any(|s| s.range.start < range.end && range.start < s.range.end)
        {
            found.push(Secret { kind, range });
        }
    }
    if found.is_empty() {
        if let Some(kind) = key.and_then(names_a_secret) {
            let trimmed = text.trim();
            if !trimmed.is_empty() && !is_reference(trimmed) {
                let start = text.len() - text.trim_start().len();
                let kind = if kind == SecretKind::Secret && looks_like_client_secret(trimmed) {
                    SecretKind::ClientSecret
                } else {
                    kind
                };
                found.push(Secret {
                    kind,
                    range: start..start + trimmed.len(),
                });
            }
        }
    }
    found.sort_by_key(|s| s.range.start);
    found
}

const BLANK: u8 = 1;
const DOT: u8 = 2;
const TILDE: u8 = 4;

/// The bytes the patterns of [`find`] need, each as a bit: a blank (`Bearer …`), a dot (a JWT's
/// three parts), a tilde (`Q~` of a client secret).
const PATTERN_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b' ' as usize] = BLANK;
    table[b'\t' as usize] = BLANK;
    table[b'.' as usize] = DOT;
    table[b'~' as usize] = TILDE;
    table
};

/// Whether `key` names a password or a secret: after dropping `_`, `-`, `.` and spaces and
/// ignoring case, it ends in `password`, `passwd`, `pwd`, `passphrase` or `secret`
/// (`client_secret`, `clientSecret`, `DB_PASSWORD`, `X-Api-Secret`; not `secretName`).
pub fn names_a_secret(key: &str) -> Option<SecretKind> {
    if key.is_ascii() {
        ascii_names_a_secret(key.as_bytes())
    } else {
        folded_names_a_secret(key)
    }
}

/// [`names_a_secret`] by folding the key into a new string: for keys beyond ASCII, whose
/// lower case may be longer or ASCII itself (the Kelvin sign `K` is `k`).
fn folded_names_a_secret(key: &str) -> Option<SecretKind> {
    let folded: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    if ["password", "passwd", "pwd", "passphrase"]
        .iter()
        .any(|s| folded.ends_with(s))
    {
        Some(SecretKind::Password)
    } else if folded.ends_with("secret") {
        Some(SecretKind::Secret)
    } else {
        None
    }
}

/// [`names_a_secret`] of an ASCII key, without folding it into a new string: it is asked of the
/// key of every string in every checked file.
fn ascii_names_a_secret(key: &[u8]) -> Option<SecretKind> {
    let ends_with = |suffix: &[u8]| {
        let mut letters = key
            .iter()
            .rev()
            .filter(|c| !matches!(c, b'_' | b'-' | b'.' | b' '));
        suffix
            .iter()
            .rev()
            .all(|s| letters.next().is_some_and(|c| c.to_ascii_lowercase() == *s))
    };
    if [&b"password"[..], b"passwd", b"pwd", b"passphrase"]
        .iter()
        .any(|s| ends_with(s))
    {
        Some(SecretKind::Password)
    } else if ends_with(b"secret") {
        Some(SecretKind::Secret)
    } else {
        None
    }
}

/// Whether `value` stands for a secret kept elsewhere rather than being one: a template
/// placeholder (`${PBI_SECRET}`, `{{ secret }}`), a fill-in (`<client secret>`), an environment
/// variable (`$PBI_SECRET`, `%PBI_SECRET%`), an App Service Key Vault reference
/// (`@Microsoft.KeyVault(...)`), or a mask (`********`, `xxxx`, `[REDACTED]`).
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let env_name = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    let unmasked = v.trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | '*' | '_' | ' '));
    is_placeholder(v)
        || is_fill_in(v)
        || v.strip_prefix('$').is_some_and(env_name)
        || v.strip_prefix('%')
            .and_then(|s| s.strip_suffix('%'))
            .is_some_and(env_name)
        || v.starts_with("@Microsoft.KeyVault(")
        || is_mask(v)
        || unmasked.eq_ignore_ascii_case("redacted")
}

/// A mask: one character repeated (`********`, `xxxx`), at least three times.
fn is_mask(v: &str) -> bool {
    let mut chars = v.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    v.chars().count() >= 3 && chars.all(|c| c == first)
}

/// How many leading characters of `secret` a message may show: four for long secrets (tokens
/// and client secrets, whose first characters say what they are), none for short ones such as
/// passwords, where four characters would give much of it away.
pub fn shown_chars(secret: &str) -> usize {
    if secret.chars().count() >= 32 {
        4
    } else {
        0
    }
}

/// The first characters of `secret` that messages may show (see [`shown_chars`]).
pub fn shown_prefix(secret: &str) -> &str {
    let n = shown_chars(secret);
    let end = secret
        .char_indices()
        .nth(n)
        .map_or(secret.len(), |(i, _)| i);
    &secret[..end]
}

/// A description of `secret` that is safe to print: `"eyJh…" (812 characters)`, or only
/// `(12 characters)` for a short one.
pub fn preview(secret: &str) -> String {
    let count = secret.chars().count();
    let chars = if count == 1 {
        "character"
    } else {
        "characters"
    };
    match shown_prefix(secret) {
        "" => format!("({count} {chars})"),
        prefix => format!("\"{prefix}…\" ({count} {chars})"),
    }
}

/// URL-unreserved characters: what Entra client secrets are made of.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Current Entra client secrets: three characters, a version digit, `Q~`, then 31 (version 7)
/// to 34 (version 8) more, 37 to 40 in all (Microsoft's `security-utilities`, SEC101/156).
fn client_secrets(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    // Every such secret holds `Q~`: most strings have no `~` at all.
    let end = if text.contains('~') {
        b.len().saturating_sub(1)
    } else {
        0
    };
    (4..end).filter_map(move |i| {
        if b[i] != b'Q' || b[i + 1] != b'~' || !b[i - 1].is_ascii_digit() {
            return None;
        }
        let start = i - 4;
        if !b[start..i - 1].iter().all(|&c| unreserved(c))
            || (start > 0 && unreserved(b[start - 1]))
        {
            return None;
        }
        let mut end = i + 2;
        while end < b.len() && unreserved(b[end]) {
            end += 1;
        }
        // A sentence may end right after the secret.
        while end - (i + 2) > 34 && b[end - 1] == b'.' {
            end -= 1;
        }
        (31..=34).contains(&(end - (i + 2))).then_some(start..end)
    })
}

/// Older client secrets: 32 to 44 characters of base64 and the symbols Entra used to put in
/// them. Only judged under a key that names a secret: on its own the shape is too common.
fn looks_like_client_secret(value: &str) -> bool {
    (32..=44).contains(&value.len())
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'+' | b'/'
                        | b'='
                        | b'.'
                        | b'-'
                        | b'_'
                        | b':'
                        | b'@'
                        | b'['
                        | b']'
                        | b'*'
                        | b'?'
                        | b'~'
                )
        })
}

/// `Bearer <token>` and `Basic <credentials>` values (the scheme in any case, after a word
/// boundary), with the byte range of the token or credentials.
fn authorization_values(text: &str) -> Vec<(SecretKind, Range<usize>)> {
    // Ids, names and most values have no blank: skip them before allocating.
    if !text.contains([' ', '\t']) {
        return Vec::new();
    }
    let lower = text.to_ascii_lowercase();
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (scheme, kind) in [
        ("bearer", SecretKind::BearerToken),
        ("basic", SecretKind::BasicCredentials),
    ] {
        for (at, _) in lower.match_indices(scheme) {
            if at > 0 && b[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let mut start = at + scheme.len();
            if start >= b.len() || !matches!(b[start], b' ' | b'\t') {
                continue;
            }
            while start < b.len() && matches!(b[start], b' ' | b'\t') {
                start += 1;
            }
            let mut end = start;
            while end < b.len()
                && (b[end].is_ascii_alphanumeric()
                    || matches!(b[end], b'-' | b'.' | b'_' | b'~' | b'+' | b'/'))
            {
                end += 1;
            }
            while end < b.len() && b[end] == b'=' {
                end += 1;
            }
            let token = &text[start..end];
            let real = match kind {
                // Prose ("send a Bearer token") has no digits; real tokens are long.
                SecretKind::BearerToken => {
                    token.len() >= 16 && token.bytes().any(|c| c.is_ascii_digit())
                }
                _ => decode_base64(token).is_some_and(|d| d.len() >= 3 && d.contains(&b':')),
            };
            if real && !is_reference(token) {
                out.push((kind, start..end));
            }
        }
    }
    out
}

/// JSON Web Tokens: a run of base64url characters and dots in three non-empty parts whose first
/// part decodes to a JSON object with an `alg` member.
fn jwts(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    // Three parts need two dots.
    if b.iter().filter(|&&c| c == b'.').nth(1).is_none() {
        return Vec::new();
    }
    let part = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !part(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (part(b[i]) || b[i] == b'.') {
            i += 1;
        }
        let mut end = i;
        while end > start && b[end - 1] == b'.' {
            end -= 1;
        }
        let run = &text[start..end];
        let mut parts = run.split('.');
        let three = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), Some(c), None) => [a, b, c].iter().all(|p| !p.is_empty()),
            _ => false,
        };
        if three && is_jwt_header(run.split('.').next().unwrap_or_default()) {
            out.push(start..end);
        }
    }
    out
}

fn is_jwt_header(part: &str) -> bool {
    // `{` encodes to `e`: anything else cannot be a JSON object.
    if !part.starts_with('e') || part.len() < 8 {
        return false;
    }
    decode_base64(part)
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.get("alg").is_some_and(serde_json::Value::is_string))
}

/// Decodes base64 in either alphabet (`+/` or `-_`), padded or not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// base64url without padding, as JWTs write their parts.
    fn b64url(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    fn jwt(header: &str) -> String {
        format!(
            "{}.{}.{}",
            b64url(header.as_bytes()),
            b64url(br#"{"sub":"test","exp":1700000000}"#),
            "c2lnbmF0dXJlLW5vdC1yZWFs"
        )
    }

    fn kinds<'t>(key: Option<&str>, text: &'t str) -> Vec<(SecretKind, &'t str)> {
        find(key, text)
            .into_iter()
            .map(|s| (s.kind, &text[s.range]))
            .collect()
    }

    #[test]
    fn base64_round_trips_in_both_alphabets() {
        assert_eq!(decode_base64("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode_base64("+/8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode_base64("a"), None);
        assert_eq!(decode_base64("a b"), None);
        assert_eq!(b64url(b"hello"), "aGVsbG8");
    }

    #[test]
    fn jwts_need_three_parts_and_a_header_with_alg() {
        let token = jwt(r#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(kinds(None, &token), vec![(SecretKind::Jwt, token.as_str())]);
        // Inside a URL or a sentence, ending with a full stop.
        let url = format!("https://example.com/cb?id_token={token}&state=1");
        assert_eq!(kinds(None, &url), vec![(SecretKind::Jwt, token.as_str())]);
        let sentence = format!("token {token}.");
        assert_eq!(
            kinds(None, &sentence),
            vec![(SecretKind::Jwt, token.as_str())]
        );
        // A header without `alg`, two parts, Microsoft's elided example, a host name.
        assert!(find(None, &jwt(r#"{"typ":"JWT"}"#)).is_empty());
        let two = token
            .rsplit_once('.')
            .map(|(head, _)| head)
            .unwrap_or_default();
        assert!(find(None, two).is_empty());
        assert!(find(None, "eyJ0eX....AAA=").is_empty());
        assert!(find(None, "api.powerbi.com").is_empty());
    }

    #[test]
    fn client_secrets_of_the_current_format() {
        let v8 = "abc8Q~0123456789abcdefghijklmnopqrstuvwx";
        assert_eq!(v8.len(), 40);
        assert_eq!(kinds(None, v8), vec![(SecretKind::ClientSecret, v8)]);
        let v7 = "a.b7Q~0123456789abcdefghijklmnopqrstu";
        assert_eq!(v7.len(), 37);
        assert_eq!(
            kinds(None, &format!("secret={v7};")),
            vec![(SecretKind::ClientSecret, v7)]
        );
        // The digit must come before `Q~`; the tail must be 31 to 34 long.
        assert!(find(None, "abcdQ~0123456789abcdefghijklmnopqrstuvwx").is_empty());
        assert!(find(None, "abc8Q~0123456789").is_empty());
        assert!(find(None, "abc8Q~0123456789abcdefghijklmnopqrstuvwxyz01").is_empty());
        // Part of a longer word is not a secret on its own.
        assert!(find(None, "zzabc8Q~0123456789abcdefghijklmnopqrstuvwx").is_empty());
        assert_eq!(
            kinds(None, &format!("{v8}.")),
            vec![(SecretKind::ClientSecret, v8)]
        );
    }

    #[test]
    fn bearer_and_basic_values() {
        let token = jwt(r#"{"alg":"RS256"}"#);
        let header = format!("Bearer {token}");
        assert_eq!(
            kinds(None, &header),
            vec![(SecretKind::BearerToken, token.as_str())]
        );
        let curl = "curl -H 'authorization: bearer 0.AAAAv4j5cvGGr0GRqy180BHbR' https://x";
        assert_eq!(
            kinds(None, curl),
            vec![(SecretKind::BearerToken, "0.AAAAv4j5cvGGr0GRqy180BHbR")]
        );
        assert!(find(None, "Bearer ${PBI_ACCESS_TOKEN}").is_empty());
        assert!(find(None, "Bearer <access token>").is_empty());
        assert!(find(None, "Bearer {{ token }}").is_empty());
        assert!(find(None, "send a Bearer token in the Authorization header").is_empty());
        assert!(find(None, "Bearer authentication_is_required").is_empty());
        // `Basic` only when it decodes to `user:password`.
        assert_eq!(
            kinds(None, "Basic ZW1iZWQ6aHVudGVyMg=="),
            vec![(SecretKind::BasicCredentials, "ZW1iZWQ6aHVudGVyMg==")]
        );
        assert!(find(None, "Basic authentication").is_empty());
        assert!(find(None, "Basic ${CREDENTIALS}").is_empty());
    }

    #[test]
    fn keys_that_name_a_secret() {
        for key in [
            "password",
            "DB_PASSWORD",
            "pbiPassword",
            "pwd",
            "passphrase",
            "Passwd",
        ] {
            assert_eq!(names_a_secret(key), Some(SecretKind::Password), "{key}");
        }
        for key in [
            "secret",
            "client_secret",
            "clientSecret",
            "X-Api-Secret",
            "app.secret",
        ] {
            assert_eq!(names_a_secret(key), Some(SecretKind::Secret), "{key}");
        }
        for key in [
            "secretName",
            "username",
            "passwordPolicy",
            "identityBlob",
            "Authorization",
        ] {
            assert_eq!(names_a_secret(key), None, "{key}");
        }
        assert_eq!(
            kinds(Some("password"), "Summer2024!"),
            vec![(SecretKind::Password, "Summer2024!")]
        );
        assert_eq!(
            kinds(Some("pwd"), "  hunter2 "),
            vec![(SecretKind::Password, "hunter2")]
        );
        // An older client secret under a secret key: 32 to 44 base64-ish characters.
        let legacy = "Zm9vYmFyLWZha2Utc2VjcmV0LXZhbHVlLTAwMDA=";
        assert_eq!(
            kinds(Some("clientSecret"), legacy),
            vec![(SecretKind::ClientSecret, legacy)]
        );
        assert_eq!(
            kinds(Some("secret"), "short"),
            vec![(SecretKind::Secret, "short")]
        );
        // The same shapes under other keys are not judged.
        assert!(find(Some("description"), legacy).is_empty());
        assert!(find(Some("note"), "Summer2024!").is_empty());
    }

    #[test]
    fn references_are_not_secrets() {
        for value in [
            "${PBI_CLIENT_SECRET}",
            "{{ client_secret }}",
            "<client secret>",
            "$PBI_PASSWORD",
            "%PBI_PASSWORD%",
            "@Microsoft.KeyVault(SecretUri=https://vault.vault.azure.net/secrets/pbi/)",
            "********",
            "xxxx",
            "[REDACTED]",
            "",
            "   ",
        ] {
            assert!(find(Some("password"), value).is_empty(), "{value:?}");
        }
        // `$` followed by something that is not an environment variable name is literal.
        assert_eq!(
            kinds(Some("password"), "$ecret99"),
            vec![(SecretKind::Password, "$ecret99")]
        );
    }

    #[test]
    fn previews_show_at_most_four_characters() {
        let token = jwt(r#"{"alg":"HS256","typ":"JWT"}"#);
        let p = preview(&token);
        assert!(p.starts_with("\"eyJh…\" ("), "{p}");
        assert!(p.ends_with(" characters)"));
        assert_eq!(preview("hunter2"), "(7 characters)");
        assert_eq!(shown_prefix("hunter2"), "");
        assert_eq!(shown_prefix(&"é".repeat(40)), "éééé");
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_key_test_agrees_with_folding(
            key in "[a-zA-Z_. -]{0,6}(pass(word|wd|phrase)?|pwd|secret|SECRET|Pass_Word|p-w-d)?[_. -]{0,2}"
        ) {
            proptest::prop_assert_eq!(names_a_secret(&key), folded_names_a_secret(&key));
        }
    }
}

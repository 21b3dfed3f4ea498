//! GUIDs and placeholders.

/// Whether `s` is a GUID in the 8-4-4-4-12 hexadecimal form (optionally in braces).
pub fn is_guid(s: &str) -> bool {
    // Only whether every digit is one: no value to assemble.
    guid_text(s).is_some_and(|b| {
        let invalid = HIGH_DIGITS
            .iter()
            .chain(&LOW_DIGITS)
            .fold(0u8, |invalid, &p| invalid | HEX_DIGIT[usize::from(b[p])]);
        invalid & 0xF0 == 0
    })
}

/// The 36 bytes of `s` (out of its braces, if it has them) when they have a GUID's length and
/// its dashes where they belong.
fn guid_text(s: &str) -> Option<&[u8; 36]> {
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    let b: &[u8; 36] = s.as_bytes().try_into().ok()?;
    (b[8] == b'-' && b[13] == b'-' && b[18] == b'-' && b[23] == b'-').then_some(b)
}

/// The 128 bits of the GUID `s` (in braces or not, any letter case), or `None` if `s` is not a
/// GUID. One pass, no allocation: this is how ids are looked up in a tenant, so a GUID written
/// in upper case or in braces finds the same entry without being lower-cased first.
pub fn parse_guid(s: &str) -> Option<u128> {
    let b = guid_text(s)?;
    // Branch-free over the 32 digits, 16 into each half, at constant positions the compiler
    // unrolls: a table gives each byte's value, or 0xFF for a non-digit, whose high bits are
    // seen once at the end.
    let (high, invalid_high) = half_guid(b, &HIGH_DIGITS);
    let (low, invalid_low) = half_guid(b, &LOW_DIGITS);
    ((invalid_high | invalid_low) & 0xF0 == 0).then_some((u128::from(high) << 64) | u128::from(low))
}

/// The 16 digits of `b` at `positions` as 64 bits, and the OR of their table entries (a high
/// bit set: some byte was no digit). Inlined, so the constant positions unroll.
#[inline(always)]
fn half_guid(b: &[u8; 36], positions: &[usize; 16]) -> (u64, u8) {
    let (mut bits, mut invalid) = (0u64, 0u8);
    for &p in positions {
        let v = HEX_DIGIT[usize::from(b[p])];
        invalid |= v;
        bits = (bits << 4) | u64::from(v & 0x0F);
    }
    (bits, invalid)
}

/// Where the first 16 hex digits of a GUID are (`xxxxxxxx-xxxx-xxxx-`).
const HIGH_DIGITS: [usize; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17];
/// Where the last 16 are (`xxxx-xxxxxxxxxxxx`).
const LOW_DIGITS: [usize; 16] = [
    19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
];

/// The value of each byte as a hex digit, or 0xFF.
const HEX_DIGIT: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Whether `s` is the all-zero GUID (what an unset `System.Guid` serializes to).
pub fn is_nil_guid(s: &str) -> bool {
    // Asked of every id: settled at its first non-zero digit, without parsing the rest.
    guid_text(s).is_some_and(|b| b.iter().all(|&c| c == b'0' || c == b'-'))
}

/// Whether `s` is a template placeholder (`${user.email}`, `{{ id }}`): an opaque string whose
/// runtime value is unknown.
pub fn is_placeholder(s: &str) -> bool {
    (s.contains("${") && s.contains('}')) || (s.contains("{{") && s.contains("}}"))
}

/// A template placeholder in a string: its byte range (delimiters included) and the name
/// inside it, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'s> {
    /// Where it is: `${` or `{{` to `}` or `}}`.
    pub range: std::ops::Range<usize>,
    /// The name between the delimiters, trimmed (`user.email` in `{{ user.email }}`).
    pub name: &'s str,
}

/// The placeholders of `s` in order, `${name}` and `{{ name }}`. An opener with no closer is
/// literal text, and the search goes on after it.
pub fn placeholders(s: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let dollar = rest.find("${").map(|i| (i, "}"));
        let braces = rest.find("{{").map(|i| (i, "}}"));
        let next = match (dollar, braces) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((start, close)) = next else {
            return found;
        };
        let opened = at + start + 2;
        match s[opened..].find(close) {
            Some(len) => {
                let end = opened + len + close.len();
                found.push(Placeholder {
                    range: at + start..end,
                    name: s[opened..opened + len].trim(),
                });
                at = end;
            }
            None => at = opened,
        }
    }
}

/// Whether `s` is a fill-in-the-blank marker in angle brackets (`<client secret>`, `<guid>`), as
/// documentation and sample configuration files write a value the reader must supply. Kept apart
/// from [`is_placeholder`]: a `<guid>` left in a path is still a mistake for the GUID rules, but
/// it is no secret.
pub fn is_fill_in(s: &str) -> bool {
    let t = s.trim();
    t.len() > 2 && t.starts_with('<') && t.ends_with('>') && !t[1..t.len() - 1].contains(['<', '>'])
}

/// The canonical form of an id for lookups: GUIDs compare ignoring case and braces.
pub fn normalize(s: &str) -> String {
    normalized(s).into_owned()
}

/// [`normalize`] without allocating when `s` is already in normal form (a trimmed lower-case
/// GUID without braces, or a trimmed name): the common case of every id lookup.
pub fn normalized(s: &str) -> std::borrow::Cow<'_, str> {
    let t = s.trim();
    if is_guid(t) {
        let bare = t.trim_start_matches('{').trim_end_matches('}');
        if bare.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(bare.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(bare)
        }
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// The straightforward form of [`normalize`], which [`normalized`] must agree with.
#[cfg(test)]
fn normalize_by_copy(s: &str) -> String {
    let t = s.trim();
    if is_guid(t) {
        t.trim_start_matches('{')
            .trim_end_matches('}')
            .to_ascii_lowercase()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_guid_is_never_a_placeholder() {
        // The resolver and EG315 rely on it to skip the placeholder search for GUIDs.
        for g in [
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c",
            "{3F6C1E2A-0B7D-4C59-9A51-1D2E3F4A5B6C}",
        ] {
            assert!(is_guid(g) && !is_placeholder(g) && placeholders(g).is_empty());
        }
        assert!(!is_guid("${3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b}"));
        assert!(!is_guid("{{3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b}}"));
    }

    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalized_agrees_with_the_copying_form(s in "[ {]?[0-9a-fA-F-]{0,40}[} ]?|[ a-zA-Z]{0,12}") {
            prop_assert_eq!(normalized(&s).into_owned(), normalize_by_copy(&s));
        }
    }

    /// The first implementation (split on `-`, five groups of 8-4-4-4-12 hex digits): the
    /// reference the allocation-free one must agree with.
    fn is_guid_by_groups(s: &str) -> bool {
        let s = s
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(s);
        let groups: Vec<&str> = s.split('-').collect();
        groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    #[test]
    fn placeholders_in_order_and_unclosed_openers_literal() {
        let s = "a${x}b{{ y }}c${unclosed {{z}}";
        let found: Vec<(&str, &str)> = placeholders(s)
            .into_iter()
            .map(|p| (&s[p.range], p.name))
            .collect();
        assert_eq!(
            found,
            vec![
                ("${x}", "x"),
                ("{{ y }}", "y"),
                ("${unclosed {{z}", "unclosed {{z")
            ]
        );
        assert!(placeholders("no {{ close").is_empty());
    }

    proptest! {
        #[test]
        fn parse_guid_reads_exactly_the_guids(
            s in "[{]?[0-9a-fA-FgG-]{0,40}[}]?|[{]?[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9A-F]{4}-[0-9a-f]{4}-[0-9a-f]{12}[}]?|.{0,40}"
        ) {
            let parsed = parse_guid(&s);
            prop_assert_eq!(parsed.is_some(), is_guid(&s));
            if let Some(bits) = parsed {
                // Two spellings of one GUID have the same bits; its normal form says which.
                let hex = format!("{bits:032x}");
                let formed = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
                prop_assert_eq!(formed, normalize(&s));
            }
        }

        #[test]
        fn is_guid_agrees_with_the_group_reading(
            s in "[{]?[0-9a-fA-FgG-]{0,40}[}]?|[{]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[}]?|.{0,40}"
        ) {
            prop_assert_eq!(is_guid(&s), is_guid_by_groups(&s));
        }
    }

    #[test]
    fn guid_edge_cases() {
        for s in [
            "",
            "-",
            "----",
            "{}",
            "{3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c",
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c}",
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6",
            "3f6c1e2a-0b7d-4c59-9a511-d2e3f4a5b6c",
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c-",
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6é",
            "{{3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c}}",
        ] {
            assert_eq!(is_guid(s), is_guid_by_groups(s), "{s:?}");
        }
    }

    #[test]
    fn guids() {
        assert!(is_guid("3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c"));
        assert!(is_guid("{3F6C1E2A-0B7D-4C59-9A51-1D2E3F4A5B6C}"));
        assert!(!is_guid("3f6c1e2a0b7d4c599a511d2e3f4a5b6c"));
        assert!(!is_guid("Sales"));
        assert!(is_nil_guid("00000000-0000-0000-0000-000000000000"));
        assert!(is_nil_guid("{00000000-0000-0000-0000-000000000000}"));
        assert!(!is_nil_guid("00000000-0000-0000-0000-000000000001"));
        assert!(!is_nil_guid("00000000000000000000000000000000"));
        assert!(!is_nil_guid("00000000-0000-0000-0000-00000000000"));
        assert!(is_placeholder("${user.email}"));
        assert!(is_fill_in("<client secret>"));
        assert!(!is_fill_in("<>"));
        assert!(!is_fill_in("a <b> c"));
        assert!(!is_placeholder("<client secret>"));
        assert_eq!(
            normalize("{3F6C1E2A-0B7D-4C59-9A51-1D2E3F4A5B6C}"),
            "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c"
        );
    }
}

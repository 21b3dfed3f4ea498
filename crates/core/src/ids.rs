//! GUIDs and placeholders.

/// Whether `s` is a GUID in the 8-4-4-4-12 hexadecimal form (optionally in braces).
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    // Byte by byte, without allocating: every id lookup of every request comes through here.
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Whether `s` is the all-zero GUID (what an unset `System.Guid` serializes to).
pub fn is_nil_guid(s: &str) -> bool {
    is_guid(s) && s.bytes().all(|b| matches!(b, b'0' | b'-' | b'{' | b'}'))
}

/// Whether `s` is a template placeholder (`${user.email}`, `{{ id }}`): an opaque string whose
/// runtime value is unknown.
pub fn is_placeholder(s: &str) -> bool {
    (s.contains("${") && s.contains('}')) || (s.contains("{{") && s.contains("}}"))
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

    proptest! {
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

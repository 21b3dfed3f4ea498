//! Inline suppressions: `# embedguard: ignore[EG303] reason` in a YAML file.
//!
//! A comment at the end of a line silences the named rules on that line; a comment on a line of
//! its own silences them on the next line that holds something other than a comment. Rules are
//! named by code or name, several separated by commas. A suppression that silences nothing, or
//! names no rule, is itself reported (EG012), so stale ones do not pile up.
//!
//! JSON has no comments: JSON files are configured with `per-file-ignores` instead.

use embedguard_core::Rule;

use crate::source::Span;

/// The marker that starts a suppression, after `#`.
const MARKER: &str = "embedguard:";

/// One rule named by a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silenced {
    /// The rule, or `None` when the name is not a rule.
    pub rule: Option<Rule>,
    /// The name as written.
    pub written: String,
    /// Where it is written.
    pub span: Span,
    /// Whether it silenced a diagnostic.
    pub used: bool,
}

/// One `# embedguard: ignore[...]` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The 1-based line whose diagnostics it silences.
    pub line: usize,
    /// The whole comment.
    pub span: Span,
    /// The rules it names.
    pub rules: Vec<Silenced>,
    /// Why (the text after the bracket), if given.
    pub reason: Option<String>,
}

/// A comment that starts like a suppression but cannot be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// Every suppression comment in `text` (a YAML file), and the malformed ones.
pub fn scan(text: &str) -> (Vec<Suppression>, Vec<Malformed>) {
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    // Standalone comments wait for the next line with content.
    let mut pending: Vec<Suppression> = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let comment_at = comment_start(content);
        let standalone = trimmed.starts_with('#');
        if trimmed.is_empty() || (standalone && comment_at.is_none()) {
            continue;
        }
        if !standalone {
            for mut p in pending.drain(..) {
                p.line = number;
                found.push(p);
            }
        }
        let Some(at) = comment_at else {
            continue;
        };
        match parse(&content[at..], start + at) {
            Ok(mut s) => {
                if standalone {
                    pending.push(s);
                } else {
                    s.line = number;
                    found.push(s);
                }
            }
            Err(m) => malformed.push(m),
        }
    }
    // A standalone suppression with nothing after it silences nothing: it is reported unused.
    found.extend(pending.into_iter().map(|mut p| {
        p.line = 0;
        p
    }));
    (found, malformed)
}

/// The byte offset of a `# embedguard:` comment in `line`, if it has one. A YAML comment starts
/// at a `#` that begins the line or follows a space or tab.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    line.match_indices('#').map(|(i, _)| i).find(|&i| {
        (i == 0 || matches!(bytes[i - 1], b' ' | b'\t'))
            && line[i + 1..].trim_start().starts_with(MARKER)
    })
}

/// Reads one comment starting at `#`, at byte `base` of the file.
fn parse(comment: &str, base: usize) -> Result<Suppression, Malformed> {
    let span = Span::new(base, base + comment.len());
    let bad = |message: &str| Malformed {
        span,
        message: message.to_string(),
    };
    let after_hash = &comment[1..];
    let body_at = 1 + (after_hash.len() - after_hash.trim_start().len()) + MARKER.len();
    let body = &comment[body_at..];
    let directive_at = body_at + (body.len() - body.trim_start().len());
    let directive = &comment[directive_at..];
    let Some(list) = directive.strip_prefix("ignore[") else {
        return Err(bad(
            "an `embedguard:` comment must read `# embedguard: ignore[CODE, ...] reason`",
        ));
    };
    let Some(close) = list.find(']') else {
        return Err(bad("the rule list of this suppression has no closing `]`"));
    };
    let list_at = base + directive_at + "ignore[".len();
    let mut rules = Vec::new();
    let mut item_at = list_at;
    for item in list[..close].split(',') {
        let name = item.trim();
        let lead = item.len() - item.trim_start().len();
        if !name.is_empty() {
            let start = item_at + lead;
            rules.push(Silenced {
                rule: Rule::lookup(name),
                written: name.to_string(),
                span: Span::new(start, start + name.len()),
                used: false,
            });
        }
        item_at += item.len() + 1;
    }
    if rules.is_empty() {
        return Err(bad("this suppression names no rule: write `ignore[EG303]`"));
    }
    let reason = list[close + 1..].trim();
    Ok(Suppression {
        line: 0,
        span,
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_standalone_comments() {
        let text = "a: 1  # embedguard: ignore[EG303] legacy model\n\
                    # embedguard: ignore[EG301, rls-unfiltered]\n\
                    \n\
                    # a plain comment\n\
                    b: 2\n";
        let (found, malformed) = scan(text);
        assert!(malformed.is_empty());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 1);
        assert_eq!(found[0].rules[0].rule, Some(Rule::IdentityWithoutRls));
        assert_eq!(found[0].reason.as_deref(), Some("legacy model"));
        assert_eq!(found[1].line, 5);
        let names: Vec<_> = found[1].rules.iter().map(|r| r.rule).collect();
        assert_eq!(
            names,
            vec![Some(Rule::RlsIdentityRequired), Some(Rule::RlsUnfiltered)]
        );
        let s = &found[1].rules[1].span;
        assert_eq!(&text[s.start..s.end], "rls-unfiltered");
    }

    #[test]
    fn unknown_rules_and_malformed_comments() {
        let text = "a: 1 # embedguard: ignore[EG999]\n\
                    b: 2 # embedguard: ignore EG301\n\
                    c: \"x#embedguard: ignore[EG301]\"\n\
                    d: 3 # embedguard: ignore[]\n";
        let (found, malformed) = scan(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rules[0].rule, None);
        assert_eq!(malformed.len(), 2, "{malformed:?}");
    }

    #[test]
    fn a_standalone_comment_at_the_end_silences_nothing() {
        let (found, _) = scan("a: 1\n# embedguard: ignore[EG301]\n");
        assert_eq!(found[0].line, 0);
    }
}

//! The appendix's rule texts, taken from the rule pages compiled into the core
//! ([`embedguard_core::registry::RuleMeta::page`]): what the rule checks, and the quoted
//! sources behind it.

use embedguard_core::Rule;
use serde::Serialize;

/// A passage a rule page quotes, and where it is from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quoted text, its lines joined.
    pub text: String,
    /// The `Source:` line after it (a URL, sometimes with a note).
    pub source: Option<String>,
}

/// What a rule page says, for the appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    /// "What it does", as one paragraph.
    pub text: String,
    /// The quotes of "Why is this bad?", in order.
    pub quotes: Vec<Quote>,
}

/// The appendix text of `rule`.
pub fn page_text(rule: Rule) -> PageText {
    let page = rule.meta().page;
    PageText {
        text: join(section(page, "What it does").lines()),
        quotes: quotes(section(page, "Why is this bad?")),
    }
}

/// The body of the `## title` section of a page (empty when there is none).
fn section<'p>(page: &'p str, title: &str) -> &'p str {
    let heading = format!("## {title}\n");
    let Some(start) = page.find(&heading) else {
        return "";
    };
    let body = &page[start + heading.len()..];
    match body.find("\n## ") {
        Some(end) => &body[..end],
        None => body,
    }
}

/// Lines joined into one paragraph.
fn join<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each block of `> ` lines, with the `Source:` paragraph that follows it.
fn quotes(section: &str) -> Vec<Quote> {
    let lines: Vec<&str> = section.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with('>') {
            i += 1;
            continue;
        }
        let mut quoted = Vec::new();
        while i < lines.len() && lines[i].starts_with('>') {
            quoted.push(lines[i].trim_start_matches('>'));
            i += 1;
        }
        // The `Source:` paragraph follows, sometimes after a note on where in the source the
        // passage is; the next quote ends the search.
        while i < lines.len() && !lines[i].starts_with("Source:") && !lines[i].starts_with('>') {
            i += 1;
        }
        let source = if i < lines.len() && lines[i].starts_with("Source:") {
            let start = i;
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            let text = join(lines[start..i].iter().copied());
            Some(text.trim_start_matches("Source:").trim().to_string())
        } else {
            None
        };
        out.push(Quote {
            text: join(quoted.into_iter()),
            source,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_gives_a_text_and_a_sourced_quote() {
        for rule in Rule::all() {
            let page = page_text(rule);
            assert!(!page.text.is_empty(), "{}: no `What it does`", rule.code());
            assert!(!page.quotes.is_empty(), "{}: no quote", rule.code());
            assert!(
                page.quotes.iter().any(|q| q.source.is_some()),
                "{}: no quote with a source",
                rule.code()
            );
        }
    }

    #[test]
    fn eg501_quotes_both_sources_in_order() {
        let page = page_text(Rule::SecretInFile);
        assert!(
            page.text.starts_with("Reports, at the value"),
            "{}",
            page.text
        );
        let sources: Vec<_> = page
            .quotes
            .iter()
            .filter_map(|q| q.source.as_deref())
            .collect();
        assert_eq!(sources.len(), 2, "{sources:?}");
        assert!(
            sources[1].contains("embed-service-principal"),
            "{sources:?}"
        );
        assert!(page.quotes[0].text.starts_with("Never store passwords"));
    }
}

//! `embedguard explain`: a rule's page by code or name — or, for an error message pasted from
//! Power BI, the rules whose pages quote that answer.
//!
//! A page lists the service's answers to its mistake in a section titled exactly
//! `## What Power BI answers`, each message verbatim on `> ` lines. A pasted message matches a
//! quote when, once both are normalised (letter case, quotes and apostrophes, GUIDs and other ids,
//! JSON error wrappers, `InvalidRequest-` prefixes, filler words), the pasted words contain the
//! quote's words in order and close together — or the pasted words are a fragment of the quote
//! (at least two words, or one long identifier such as `PowerBINotAuthorizedException`).

use embedguard_core::Rule;

/// The title of the page section that quotes Power BI's answers.
pub const ANSWERS_HEADING: &str = "## What Power BI answers";

/// What `explain` prints: the text for standard output, or the error for standard error (exit
/// code 2).
pub fn explain(arg: &str) -> Result<String, String> {
    let arg = arg.trim();
    if let Some(rule) = Rule::lookup(arg) {
        return Ok(rule.meta().page.to_string());
    }
    if looks_like_a_rule(arg) {
        return Err(format!(
            "error: no rule `{arg}`; `embedguard rules` lists them"
        ));
    }
    let matches = matching_rules(arg);
    let Some(best) = matches.first() else {
        return Err(format!(
            "error: no rule page quotes a Power BI answer like this one\n  \
             help: paste the message as Power BI returned it — the `message` of its JSON error, or \
             the whole error body, e.g.\n        \
             embedguard explain \"Creating embed token for accessing dataset … requires effective \
             identity to be provided\"\n        \
             or give a rule code or name; `embedguard rules` lists every rule, and the pages with \
             a `{}` section list the messages embedguard knows",
            ANSWERS_HEADING.trim_start_matches("## ")
        ));
    };
    let mut out = format!(
        "Power BI's answer matches {} {}:\n",
        matches.len(),
        if matches.len() == 1 { "rule" } else { "rules" }
    );
    let width = matches
        .iter()
        .map(|m| m.rule.name().len())
        .max()
        .unwrap_or(0);
    for m in &matches {
        let meta = m.rule.meta();
        out.push_str(&format!(
            "  {}  {:<width$}  {}\n",
            meta.code, meta.name, meta.summary
        ));
    }
    out.push('\n');
    out.push_str(best.rule.meta().page);
    Ok(out)
}

/// A single word that reads like a code (`EG999`) or a rule name (`some-rule`), not a message.
fn looks_like_a_rule(arg: &str) -> bool {
    let code = arg.len() >= 3
        && arg[..2].eq_ignore_ascii_case("EG")
        && arg[2..].bytes().all(|b| b.is_ascii_digit());
    let name = arg.contains('-')
        && arg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    code || name
}

/// A rule whose page quotes an answer like the pasted message.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerMatch {
    /// The rule.
    pub rule: Rule,
    /// The quote it matched, as written on the page.
    pub quote: String,
    /// Higher is better: a whole quote found in the message beats a fragment of one, a longer
    /// quote beats a shorter one.
    pub score: f64,
}

/// Every rule whose page quotes an answer matching `pasted`, best first (ties in code order).
pub fn matching_rules(pasted: &str) -> Vec<AnswerMatch> {
    let words = distinctive(&normalise(pasted));
    let mut out: Vec<AnswerMatch> = Vec::new();
    for rule in Rule::all() {
        let best = answers(rule.meta().page)
            .into_iter()
            .filter_map(|quote| {
                let q = distinctive(&normalise(&quote));
                score(&words, &q).map(|score| (quote, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((quote, score)) = best {
            out.push(AnswerMatch { rule, quote, score });
        }
    }
    // Stable: equal scores keep code order.
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// The quotes of a page's `## What Power BI answers` section: each run of `> ` lines is one
/// message.
pub fn answers(page: &str) -> Vec<String> {
    let mut quotes = Vec::new();
    let mut current: Option<String> = None;
    let mut lines = page.lines().skip_while(|l| l.trim_end() != ANSWERS_HEADING);
    lines.next();
    for line in lines {
        if line.starts_with("## ") {
            break;
        }
        match line.strip_prefix('>') {
            Some(rest) => {
                let rest = rest.trim();
                let q = current.get_or_insert_with(String::new);
                if !rest.is_empty() {
                    if !q.is_empty() {
                        q.push(' ');
                    }
                    q.push_str(rest);
                }
            }
            None => quotes.extend(current.take().filter(|q| !q.is_empty())),
        }
    }
    quotes.extend(current.filter(|q| !q.is_empty()));
    quotes
}

/// One word of a normalised message; ids and elisions are wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Wild,
}

/// Words that say nothing about which answer it is, and the error-code prefixes Power BI puts in
/// front of a message (`InvalidRequest-…`, `BadRequest{…}`).
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "to",
    "be",
    "is",
    "are",
    "was",
    "for",
    "of",
    "in",
    "on",
    "at",
    "by",
    "with",
    "and",
    "or",
    "it",
    "this",
    "that",
    "as",
    "from",
    "error",
    "invalidrequest",
    "badrequest",
];

/// The message as words: JSON error bodies unwrapped, lower case, apostrophes dropped inside
/// words (`shouldn't`, `shouldn’t` → `shouldnt`), GUIDs, long hex or digit ids, `xxx` and
/// `<...>` placeholders and elisions (`…`, `...`) as wildcards.
fn normalise(text: &str) -> Vec<Token> {
    let text = unwrap_json(text);
    let lower = text.to_lowercase().replace(['’', '‘', '`'], "'");
    let mut tokens = Vec::new();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            if let Some(len) = chars[i..].iter().position(|&c| c == '>') {
                tokens.push(Token::Wild);
                i += len + 1;
                continue;
            }
        }
        if c == '…' || (c == '.' && chars.get(i + 1) == Some(&'.')) {
            if tokens.last() != Some(&Token::Wild) {
                tokens.push(Token::Wild);
            }
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        // A run of letters, digits, hyphens and inner apostrophes: a GUID stays whole.
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (matches!(chars[i], '-' | '\'')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())))
        {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        if embedguard_core::ids::is_guid(&run) {
            tokens.push(Token::Wild);
            continue;
        }
        for part in run.split('-') {
            let word: String = part.chars().filter(|&c| c != '\'').collect();
            if word.is_empty() {
                continue;
            }
            tokens.push(if is_id_like(&word) {
                Token::Wild
            } else {
                Token::Word(word)
            });
        }
    }
    tokens
}

/// `xxx`, a long run of hex digits with a digit in it, or a long number: an id, not a word.
fn is_id_like(word: &str) -> bool {
    (word.len() >= 3 && word.bytes().all(|b| b == b'x'))
        || (word.len() >= 8
            && word.bytes().all(|b| b.is_ascii_hexdigit())
            && word.bytes().any(|b| b.is_ascii_digit())
            && !word.bytes().all(|b| b.is_ascii_digit()))
        || (word.len() >= 12 && word.bytes().all(|b| b.is_ascii_digit()))
}

/// The words that tell answers apart: no fillers, no wildcards.
fn distinctive(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if !FILLER.contains(&w.as_str()) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The text of a pasted error with every JSON object in it replaced by its string values (keys
/// dropped), nested JSON in those strings included: `{"error":{"code":"X","message":"Y"}}` → `X Y`.
fn unwrap_json(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '[']) {
        out.push_str(&rest[..open]);
        out.push(' ');
        let mut stream =
            serde_json::Deserializer::from_str(&rest[open..]).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let used = stream.byte_offset();
                let mut strings = Vec::new();
                collect_strings(&value, &mut strings);
                for s in strings {
                    out.push_str(&unwrap_json(&s));
                    out.push(' ');
                }
                rest = &rest[open + used..];
            }
            _ => {
                out.push_str(&rest[open..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// Two words are the same when equal, or — for words of seven letters or more — spelt with the
/// same letters from the same first letter: Power BI's own "requries" is "requires".
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.len() < 7 || a.len() != b.len() || a.as_bytes()[0] != b.as_bytes()[0] {
        return false;
    }
    let sorted = |s: &str| {
        let mut v: Vec<u8> = s.bytes().collect();
        v.sort_unstable();
        v
    };
    sorted(a) == sorted(b)
}

/// How well the pasted words match a quote's words, or `None`.
fn score(pasted: &[String], quote: &[String]) -> Option<f64> {
    if quote.is_empty() || pasted.is_empty() {
        return None;
    }
    // The whole quote in the message, in order, with at most a few other words between (a
    // genuine answer has the quote's words together; the same words scattered through a log are
    // not that answer).
    if let Some(window) = tightest_window(pasted, quote) {
        if window <= quote.len() + 2 + quote.len() / 4 {
            return Some(1000.0 + quote.len() as f64);
        }
    }
    // The message is a fragment of the quote: enough of it to say which answer it is.
    let enough = pasted.len() >= 2 || pasted.iter().any(|w| w.len() >= 12);
    if enough && tightest_window(quote, pasted).is_some() {
        return Some(pasted.len() as f64 / quote.len() as f64);
    }
    None
}

/// The length of the shortest stretch of `hay` that holds `needle` in order, if any.
fn tightest_window(hay: &[String], needle: &[String]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for start in 0..hay.len() {
        if !same_word(&hay[start], &needle[0]) {
            continue;
        }
        let mut at = start;
        let mut found = 1;
        for word in &needle[1..] {
            match hay[at + 1..].iter().position(|h| same_word(h, word)) {
                Some(p) => {
                    at += 1 + p;
                    found += 1;
                }
                None => break,
            }
        }
        if found == needle.len() {
            let len = at - start + 1;
            best = Some(best.map_or(len, |b: usize| b.min(len)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes `explain` lists for a pasted message, best first.
    fn codes(pasted: &str) -> Vec<&'static str> {
        matching_rules(pasted)
            .iter()
            .map(|m| m.rule.code())
            .collect()
    }

    #[test]
    fn d1_identity_required() {
        let plain = "Creating embed token for accessing dataset 7456157a-7cbc-4377-ab13-d9f6ee7ff72c requires effective identity to be provided";
        // The same answer to an RLS dataset (EG301) and to an AS live model (EG319).
        assert_eq!(codes(plain), vec!["EG301", "EG319"]);
        let json = r#"{"error":{"code":"InvalidRequest","message":"Creating embed token for accessing dataset 7456157a-7cbc-4377-ab13-d9f6ee7ff72c requires effective identity to be provided"}}"#;
        assert_eq!(codes(json), vec!["EG301", "EG319"]);
        let prefixed = "Status: BadRequest (400) Response: InvalidRequest-Creating embed token for accessing dataset 7456157A-7CBC-4377-AB13-D9F6EE7FF72C requires effective identity to be provided. RequestId: 0b3a5f0c-7d5e-4e8b-9a41-2b6c0f3d8e11";
        assert_eq!(codes(prefixed), vec!["EG301", "EG319"]);
    }

    #[test]
    fn d2_identity_without_rls() {
        let json = r#"{"error":{"code":"InvalidRequest","message":"Creating embed token for accessing dataset 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f shouldn't have effective identity"}}"#;
        assert_eq!(codes(json), vec!["EG303"]);
        let curly = "Creating embed token for accessing dataset 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f shouldn’t have effective identity";
        assert_eq!(codes(curly), vec!["EG303"]);
    }

    #[test]
    fn d3_aas_username_not_caller() {
        let sic = "Creating embed token for accessing dataset 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c requries effective identity username to be identical to the caller's principal name";
        assert_eq!(codes(sic), vec!["EG306"]);
        // Should Power BI ever fix its spelling.
        assert_eq!(codes(&sic.replace("requries", "requires")), vec!["EG306"]);
    }

    #[test]
    fn d4_multiple_identities() {
        let json = r#"{"error":{"code":"InvalidRequest","message":"Creating embed token with multiple identities is not supported"}}"#;
        assert_eq!(codes(json), vec!["EG316"]);
    }

    #[test]
    fn d6_paginated_classic() {
        let prefixed = "InvalidRequest-Creating embed token for paginated report is only supported with workspaces v2";
        assert_eq!(codes(prefixed), vec!["EG110"]);
        let json = r#"{"error":{"code":"InvalidRequest","message":"Creating embed token for paginated report is only supported with workspaces v2"}}"#;
        assert_eq!(codes(json), vec!["EG110"]);
    }

    #[test]
    fn d8_trial_token_quota() {
        let json = r#"{"error":{"code":"Forbidden","message":"You have exceeded the amount of embed token that can be generated on a shared or ProPlus capacity. You need to purchase Azure capacities to generate embed tokens. See https://go.microsoft.com/fwlink/?linkid=868976"}}"#;
        assert_eq!(codes(json), vec!["EG111"]);
    }

    #[test]
    fn d9_not_authorized() {
        let json = r#"{"error":{"code":"PowerBINotAuthorizedException","pbi.error":{"code":"PowerBINotAuthorizedException","parameters":{},"details":[],"exceptionCulprit":1}}}"#;
        assert_eq!(codes(json), vec!["EG106"]);
    }

    #[test]
    fn d12_sdk_forbidden_names_both_causes() {
        let sdk = "Microsoft.Rest.HttpOperationException: Operation returned an invalid status code 'Forbidden' at Microsoft.PowerBI.Api.V2.Reports.<GenerateTokenWithHttpMessagesAsync>d__4.MoveNext()";
        assert_eq!(codes(sdk), vec!["EG101", "EG106"]);
    }

    #[test]
    fn d15_d16_granting_the_impersonation_right() {
        let d15 = r#"{"error":{"code":"Unauthorized","message":"Gateway.ReadWrite.All is required when adding a datasource user with OverrideEffectiveIdentity access right"}}"#;
        assert_eq!(codes(d15), vec!["EG305"]);
        let d16 = r#"{"error":{"code":"DMTS_PrincipalsAreInvalidError","pbi.error":{"code":"DMTS_PrincipalsAreInvalidError","parameters":{},"details":[]}}}"#;
        assert_eq!(codes(d16), vec!["EG305"]);
    }

    #[test]
    fn d18_roles_required() {
        let plain = "Creating embed token for accessing dataset 5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a requires roles to be included in provided effective identity";
        assert_eq!(codes(plain), vec!["EG309"]);
    }

    #[test]
    fn every_quoted_answer_finds_its_own_rule() {
        let mut quoted = 0;
        for rule in Rule::all() {
            for quote in answers(rule.meta().page) {
                quoted += 1;
                assert!(
                    codes(&quote).contains(&rule.code()),
                    "{}: `{quote}` does not find its own page",
                    rule.code()
                );
            }
        }
        assert!(quoted >= 12, "{quoted} quoted answers");
    }

    #[test]
    fn fragments_name_every_candidate_and_noise_names_none() {
        assert_eq!(
            codes("effective identity"),
            vec!["EG303", "EG309", "EG301", "EG319", "EG306"]
        );
        assert!(codes("Forbidden").is_empty());
        assert!(codes("the report did not load").is_empty());
        assert!(codes("{\"error\":{\"code\":\"TokenExpired\"}}").is_empty());
        // The words of a quote scattered through a long log are not that answer.
        let scattered = "Creating the cache. The embed page loaded a token; accessing the dataset list \
                         requires a login. Effective date: today. Identity provider: Entra. Provided by IT.";
        assert!(codes(scattered).is_empty(), "{:?}", codes(scattered));
    }

    #[test]
    fn explain_prints_the_matches_then_the_best_page() {
        let out = explain("Creating embed token with multiple identities is not supported")
            .expect("a match");
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("Power BI's answer matches 1 rule:"));
        assert!(lines
            .next()
            .is_some_and(|l| l.starts_with("  EG316  v1-multiple-identities  ")));
        assert!(out.contains("\n# EG316 v1-multiple-identities\n"));
        assert!(explain("EG316").is_ok_and(|p| p.starts_with("# EG316")));
        assert!(explain("EG999").is_err_and(|e| e.contains("no rule `EG999`")));
        assert!(explain("the report is blank").is_err_and(|e| e.contains("help: paste")));
    }

    #[test]
    fn normalising_unwraps_json_and_hides_ids() {
        let words = distinctive(&normalise(
            r#"BadRequest{"error":{"code":"InvalidRequest","message":"Identity blob value size exceeds size limit of 10240 bytes"}}"#,
        ));
        assert_eq!(
            words,
            ["identity", "blob", "value", "size", "exceeds", "size", "limit", "10240", "bytes"]
        );
        assert_eq!(
            normalise("dataset <DATASET GUID> xxx-xxx-xxx 7456157a-7cbc-4377-ab13-d9f6ee7ff72c …"),
            [vec![Token::Word("dataset".into())], vec![Token::Wild; 5]].concat()
        );
    }
}

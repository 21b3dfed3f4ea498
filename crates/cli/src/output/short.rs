//! One line per diagnostic, `file:line:col: CODE message`, for grep, editors and quickfix lists.

use crate::check::Run;
use crate::diagnostic::Diagnostic;

/// Renders every diagnostic as `{file}:{line}:{col}: {code} {message}`, then every error that
/// has no place in a file as `embedguard: error: {error}`. No summary, so each line is a finding.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for d in &run.diagnostics {
        out.push_str(&format!("{} {}\n", lead(run, d), one_line(&d.message)));
    }
    // `--explain-skips`: the same shape, marked `note:`.
    for u in &run.unjudged {
        let assumed: Vec<String> = u
            .assumed
            .iter()
            .map(|a| format!("`{}: {}` on `{}`", a.key, a.value, a.entity))
            .collect();
        out.push_str(&format!(
            "{} note: {}; with {} it would report: {}\n",
            lead(run, &u.diagnostic),
            one_line(&u.diagnostic.message),
            assumed.join(" and "),
            one_line(&u.would_report)
        ));
    }
    for n in &run.skip_notes {
        out.push_str(&format!(
            "{}: note: {}\n",
            run.files[n.file].display,
            one_line(&n.message)
        ));
    }
    for e in &run.errors {
        out.push_str(&format!("embedguard: error: {}\n", one_line(e)));
    }
    out
}

/// `{file}:{line}:{col}: {code}`.
fn lead(run: &Run, d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}",
        run.files[d.file].display,
        d.start.0,
        d.start.1,
        d.rule.code()
    )
}

/// Joins the lines of a message, so that one diagnostic stays one line.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_messages_become_one_line() {
        assert_eq!(one_line("a\n  b\r\n\nc"), "a b c");
        assert_eq!(one_line("plain"), "plain");
    }
}

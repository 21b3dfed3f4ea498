//! GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the
//! pull request, without uploading anything.
//!
//! Escaping follows GitHub's runner (and biome's `display_github.rs`): in the message, `%`, CR
//! and LF; in property values, also `:` and `,`, which separate properties.

use crate::check::Run;
use crate::diagnostic::Diagnostic;
use embedguard_core::Severity;

/// Renders one workflow command per diagnostic, then one `::error::` per error that has no
/// place in a file.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for d in &run.diagnostics {
        annotate(&mut out, run, d, "");
    }
    // `--explain-skips`: notices, titled so they are not read as findings.
    for u in &run.unjudged {
        annotate(&mut out, run, &u.diagnostic, " (not judged)");
    }
    for n in &run.skip_notes {
        out.push_str(&format!(
            "::notice file={}::{}\n",
            escape_property(&run.files[n.file].display),
            escape_data(&n.message)
        ));
    }
    for e in &run.errors {
        out.push_str(&format!("::error::{}\n", escape_data(e)));
    }
    out
}

/// One workflow command for `d`, its title the rule's code and name and `title_suffix`.
fn annotate(out: &mut String, run: &Run, d: &Diagnostic, title_suffix: &str) {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    out.push_str(&format!(
        "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
        escape_property(&run.files[d.file].display),
        d.start.0,
        d.end.0,
        d.start.1,
        d.end.1,
        escape_property(&format!(
            "{} {}{title_suffix}",
            d.rule.code(),
            d.rule.name()
        )),
        escape_data(&message),
    ));
}

/// Escapes a command's message.
fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// Escapes a property value (`file=`, `title=`): also `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% sure:\r\nno, really"),
            "100%25 sure:%0D%0Ano, really"
        );
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("C:\\a,b%c\nd\re"),
            "C%3A\\a%2Cb%25c%0Ad%0De"
        );
        assert_eq!(
            escape_property("EG301 rls-identity-required"),
            "EG301 rls-identity-required"
        );
    }
}

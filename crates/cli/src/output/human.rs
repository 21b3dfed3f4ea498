//! rustc-style diagnostics through miette.

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    NamedSource, SourceCode,
};

use crate::check::Run;
use crate::diagnostic::Diagnostic;
use embedguard_core::Severity;

/// One diagnostic, shaped for miette: code, primary label, help, url, and related diagnostics
/// for causes that live in another file (miette labels cannot span two files).
struct Report {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    url: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl MietteDiagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn MietteDiagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}

fn source(run: &Run, file: usize) -> NamedSource<String> {
    let f = &run.files[file];
    NamedSource::new(f.display.clone(), f.display_text()).with_language("yaml")
}

/// A span of `file`'s text as miette sees it (masked secrets collapsed).
fn shown(run: &Run, file: usize, span: crate::source::Span) -> (usize, usize) {
    let s = run.files[file].display_span(span);
    (s.start, s.len())
}

fn report(run: &Run, d: &Diagnostic) -> Report {
    let label = match &d.request {
        Some(r) => format!("{} (request `{r}`)", d.rule.name()),
        None => d.rule.name().to_string(),
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(label),
        shown(run, d.file, d.span),
    )];
    let mut related = Vec::new();
    for s in &d.related {
        if s.file == d.file {
            labels.push(LabeledSpan::new_with_span(
                Some(s.label.clone()),
                shown(run, s.file, s.span),
            ));
        } else {
            related.push(Report {
                code: String::new(),
                severity: Severity::Note,
                message: s.label.clone(),
                help: None,
                url: None,
                source: source(run, s.file),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    shown(run, s.file, s.span),
                )],
                related: Vec::new(),
            });
        }
    }
    Report {
        code: d.rule.code().to_string(),
        severity: d.severity,
        message: d.message.clone(),
        help: d.help.clone(),
        url: Some(format!(
            "`embedguard explain {}` · {}",
            d.rule.code(),
            d.rule.meta().source
        )),
        source: source(run, d.file),
        labels,
        related,
    }
}

/// Renders every diagnostic, then a summary line.
pub fn render(run: &Run, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        // GUIDs and paths are full of hyphens: never break a line inside one.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for d in &run.diagnostics {
        let r = report(run, d);
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}: {}\n", d.rule.code(), d.message));
        }
        out.push('\n');
    }
    for e in &run.errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let (errors, warnings) = (run.count(Severity::Error), run.count(Severity::Warning));
    out.push_str(&format!(
        "{} {}, {} {} in {} {} ({} {})\n",
        errors,
        plural(errors, "error"),
        warnings,
        plural(warnings, "warning"),
        run.descriptions,
        plural(run.descriptions, "file"),
        run.requests,
        plural(run.requests, "request"),
    ));
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

//! rustc-style diagnostics through miette.

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::check::Run;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::source::LineIndex;
use embedguard_core::Severity;

/// One diagnostic, shaped for miette: code, primary label, help, url, and related diagnostics
/// for causes that live in another file (miette labels cannot span two files).
struct Report<'r> {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    url: Option<String>,
    source: Source<'r>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'r>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl MietteDiagnostic for Report<'_> {
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

/// A file's text as miette reads it: borrowed from the run, and read through the file's
/// [`LineIndex`](crate::source::LineIndex).
///
/// miette's own `SourceCode` for a string counts lines from the first byte up to the span for
/// every diagnostic, and a `NamedSource<String>` needed a copy of the whole text per diagnostic:
/// rendering n diagnostics of one file cost O(n × file size) — 8,000 unknown keys took 34 s, an
/// 8 MiB file with one finding per line hours. Here miette reads only the lines it shows.
///
/// A file with masked secrets (EG501) is read from its display text, where each masked run is
/// collapsed to `…`; that text and its line index are built once per file per render.
#[derive(Debug, Clone, Copy)]
struct FileSource<'r> {
    name: &'r str,
    text: &'r str,
    lines: &'r LineIndex,
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_bytes();
        let lines = self.lines;
        let start = span.offset();
        if start > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let last_byte = (start + span.len()).saturating_sub(1).max(start);
        // Whole lines from one more than the context above the span to one more than the
        // context below it: miette's reader, run on that window, finds what it would have found
        // in the whole text, at positions shifted by the window's first line and byte.
        let first_line = lines
            .line_of(start)
            .saturating_sub(context_lines_before + 1);
        let from = lines.line_start(first_line).unwrap_or(0);
        let to = lines
            .line_start(lines.line_of(last_byte) + context_lines_after + 2)
            .unwrap_or(text.len());
        let window = text.get(from..to).unwrap_or(text);
        let (from, first_line) = if window.len() == text.len() {
            (0, 0)
        } else {
            (from, first_line)
        };
        let inner = window.read_span(
            &SourceSpan::new((start - from).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let contents = MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )
        .with_language("yaml");
        Ok(Box::new(contents))
    }
}

/// What a report quotes: the file around its spans, or an excerpt of one long line.
#[derive(Debug)]
enum Source<'r> {
    File(FileSource<'r>),
    Excerpt(Excerpt),
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            Source::File(file) => file.read_span(span, context_lines_before, context_lines_after),
            Source::Excerpt(excerpt) => excerpt.read_span(span, 0, 0),
        }
    }
}

/// Lines around a span longer than this in all are quoted as an [`Excerpt`]: a minified JSON
/// file is one line, and quoting it whole for every finding made 8,000 findings in a 100 KB line
/// take 10 s and 1.6 GiB, and a label past column 65,535 made miette's formatter panic.
const LONG_WINDOW: usize = 2048;
/// Bytes of a long line shown on each side of the span, at most.
const EXCERPT_CONTEXT: usize = 60;
/// Bytes of the span itself shown, at most, on a long line.
const EXCERPT_SPAN: usize = 200;

/// A cut of one long line around a span, as rustc shows long lines: `…` where the line goes on.
/// miette sees it as the whole source, at the real line and column of the span.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line and byte column of the span's start in the file.
    line: usize,
    column: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                self.text.as_bytes(),
                SourceSpan::new(0.into(), self.text.len()),
                self.line,
                self.column,
                1,
            )
            .with_language("yaml"),
        ))
    }
}

impl<'r> FileSource<'r> {
    /// The excerpt to quote for `span` (offset, length), and the span within it, when the lines
    /// around it are too long to quote whole.
    fn excerpt(&self, (start, len): (usize, usize)) -> Option<(Excerpt, (usize, usize))> {
        let text = self.text;
        let line = self.lines.line_of(start);
        let from = self.lines.line_start(line.saturating_sub(1)).unwrap_or(0);
        let to = self.lines.line_start(line + 2).unwrap_or(text.len());
        if to.saturating_sub(from) <= LONG_WINDOW {
            return None;
        }
        let line_start = self.lines.line_start(line).unwrap_or(0);
        let line_end = self
            .lines
            .line_start(line + 1)
            .unwrap_or(text.len())
            .max(line_start);
        let line_text = text.get(line_start..line_end)?;
        let line_end = line_start + line_text.trim_end_matches(['\n', '\r']).len();
        let start = start.clamp(line_start, line_end);
        let floor = |mut at: usize| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let end = floor((start + len.min(EXCERPT_SPAN)).min(line_end));
        let cut_from = floor(start.saturating_sub(EXCERPT_CONTEXT).max(line_start));
        let cut_to = floor((end + EXCERPT_CONTEXT).min(line_end));
        let mut excerpt = String::new();
        if cut_from > line_start {
            excerpt.push('…');
        }
        let label_start = excerpt.len() + (start - cut_from);
        excerpt.push_str(text.get(cut_from..cut_to)?);
        if cut_to < line_end {
            excerpt.push('…');
        }
        Some((
            Excerpt {
                name: self.name.to_string(),
                text: excerpt,
                line,
                column: start - line_start,
            },
            (label_start, end - start),
        ))
    }
}

/// The text people see of each file that has masked secrets, with its line index.
struct Shown {
    redacted: Vec<Option<(String, LineIndex)>>,
}

impl Shown {
    fn new(run: &Run) -> Self {
        Shown {
            redacted: run
                .files
                .iter()
                .map(|f| {
                    (!f.redacted.is_empty()).then(|| {
                        let text = f.display_text();
                        let lines = LineIndex::new(&text);
                        (text, lines)
                    })
                })
                .collect(),
        }
    }

    fn source<'r>(&'r self, run: &'r Run, file: usize) -> FileSource<'r> {
        let f: &SourceFile = &run.files[file];
        match &self.redacted[file] {
            Some((text, lines)) => FileSource {
                name: &f.display,
                text,
                lines,
            },
            None => FileSource {
                name: &f.display,
                text: f.text.as_str(),
                lines: &f.lines,
            },
        }
    }

    /// A span of `file` as miette sees it (masked secrets collapsed).
    fn span(&self, run: &Run, file: usize, span: crate::source::Span) -> (usize, usize) {
        let s = if self.redacted[file].is_some() {
            run.files[file].display_span(span)
        } else {
            span
        };
        (s.start, s.len())
    }
}

fn report<'r>(run: &'r Run, shown: &'r Shown, d: &Diagnostic) -> Report<'r> {
    let label = match &d.request {
        Some(r) => format!("{} (request `{r}`)", d.rule.name()),
        None => d.rule.name().to_string(),
    };
    report_labelled(run, shown, d, label)
}

/// A rule that could not judge a request: its note, labelled where the rule would report.
fn unjudged_report<'r>(run: &'r Run, shown: &'r Shown, d: &Diagnostic) -> Report<'r> {
    let label = match &d.request {
        Some(r) => format!("{} would report here (request `{r}`)", d.rule.name()),
        None => format!("{} would report here", d.rule.name()),
    };
    report_labelled(run, shown, d, label)
}

fn report_labelled<'r>(
    run: &'r Run,
    shown: &'r Shown,
    d: &Diagnostic,
    label: String,
) -> Report<'r> {
    let file = shown.source(run, d.file);
    let primary = shown.span(run, d.file, d.span);
    let (source, primary, quoted_whole) = match file.excerpt(primary) {
        Some((excerpt, span)) => (Source::Excerpt(excerpt), span, false),
        None => (Source::File(file), primary, true),
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label), primary)];
    let mut related = Vec::new();
    for s in &d.related {
        let span = shown.span(run, s.file, s.span);
        if s.file == d.file && quoted_whole && file.excerpt(span).is_none() {
            labels.push(LabeledSpan::new_with_span(Some(s.label.clone()), span));
        } else {
            // In another file, or on a long line: a note of its own, quoting its own place.
            let at = shown.source(run, s.file);
            let (source, span) = match at.excerpt(span) {
                Some((excerpt, span)) => (Source::Excerpt(excerpt), span),
                None => (Source::File(at), span),
            };
            related.push(Report {
                code: String::new(),
                severity: Severity::Note,
                message: s.label.clone(),
                help: None,
                url: None,
                source,
                labels: vec![LabeledSpan::new_primary_with_span(None, span)],
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
        source,
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
    let shown = Shown::new(run);
    for d in &run.diagnostics {
        let r = report(run, &shown, d);
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}: {}\n", d.rule.code(), d.message));
        }
        out.push('\n');
    }
    for u in &run.unjudged {
        let r = unjudged_report(run, &shown, &u.diagnostic);
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!(
                "{}: {}\n",
                u.diagnostic.rule.code(),
                u.diagnostic.message
            ));
        }
        out.push('\n');
    }
    for n in &run.skip_notes {
        out.push_str(&format!(
            "note: {}: {}\n",
            run.files[n.file].display, n.message
        ));
    }
    for e in &run.errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let (errors, warnings) = (run.count(Severity::Error), run.count(Severity::Warning));
    let not_judged = if run.explain_skips {
        let n = run.unjudged.len();
        format!(
            "; {n} {} could not judge a request for want of a tenant fact",
            if n == 1 { "rule" } else { "rules" }
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} {}, {} {} in {} {} ({} {}){not_judged}\n",
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::{mpsc, Arc};
    use std::time::Duration;

    use embedguard_core::Rule;

    use super::*;
    use crate::source::Span;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            display: "f.yaml".into(),
            path: PathBuf::from("f.yaml"),
            text: Arc::new(text.into()),
            lines: LineIndex::new(text),
            document: None,
            redacted: Vec::new(),
        }
    }

    /// What miette's reader of the whole text returns: data, span, line, column, line count.
    type Read = (Vec<u8>, (usize, usize), usize, usize, usize);

    fn read(
        source: &dyn SourceCode,
        span: (usize, usize),
        before: usize,
        after: usize,
    ) -> Option<Read> {
        let c = source.read_span(&span.into(), before, after).ok()?;
        Some((
            c.data().to_vec(),
            (c.span().offset(), c.span().len()),
            c.line(),
            c.column(),
            c.line_count(),
        ))
    }

    #[test]
    fn reads_the_same_spans_as_miettes_reader_of_the_whole_text() {
        let texts = [
            "",
            "a",
            "a: 1\nb: 2\n",
            "k: v\r\nl: w\r\n\r\nm: x",
            "one\rtwo\rthree\r",
            "x\n\n\n  y: z\n  é: ü\n\nlast",
        ];
        for text in texts {
            let f = file(text);
            let ours = FileSource {
                name: &f.display,
                text: f.text.as_str(),
                lines: &f.lines,
            };
            let theirs = text.to_string();
            for start in 0..=text.len() {
                for len in 0..=(text.len() - start).min(12) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (3, 2)] {
                        assert_eq!(
                            read(&ours, (start, len), before, after),
                            read(&theirs, (start, len), before, after),
                            "{text:?} at {start}+{len}, context {before}/{after}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn many_diagnostics_in_one_file_render_in_linear_time() {
        // Found by timing the `engine` fuzz target on growing inputs: each diagnostic copied the
        // whole file and miette counted its lines from the first byte (8,000 findings: 34 s).
        const N: usize = 20_000;
        let text: String = (0..N).map(|i| format!("  key{i:06}: value\n")).collect();
        let mut run = Run::default();
        run.files.push(file(&text));
        let line = 19;
        for i in 0..N {
            let span = Span::new(i * line + 2, i * line + 11);
            run.diagnostics.push(Diagnostic {
                rule: Rule::UnknownField,
                severity: Severity::Error,
                message: format!("unknown field `key{i:06}`"),
                help: None,
                file: 0,
                span,
                start: (i + 1, 3),
                end: (i + 1, 12),
                pointer: String::new(),
                request: None,
                related: Vec::new(),
            });
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(render(&run, false));
        });
        let out = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("rendering 20,000 diagnostics of one file took longer than 30 s");
        assert!(
            out.contains(&format!("{N} errors")),
            "{}",
            &out[out.len() - 200..]
        );
        assert!(out.contains("f.yaml:20000:3"));
        assert!(out.contains("  key019999: value"));
    }

    #[test]
    fn a_long_line_is_quoted_cut_around_each_span() {
        // A label past column 65,535 made miette's formatter panic ("Formatting argument out of
        // range"), and quoting the whole line for every finding was quadratic.
        let text = format!("{{\"a\":1,{}\"far\":2}}", "\"x\":0,".repeat(15_000));
        let far = text.find("\"far\"").expect("far");
        let mut run = Run::default();
        run.files.push(file(&text));
        run.diagnostics.push(Diagnostic {
            rule: Rule::UnknownField,
            severity: Severity::Error,
            message: "unknown field `far`".into(),
            help: None,
            file: 0,
            span: Span::new(far, far + 5),
            start: (1, far + 1),
            end: (1, far + 6),
            pointer: "/far".into(),
            request: None,
            related: vec![crate::diagnostic::Secondary {
                file: 0,
                span: Span::new(1, 4),
                label: "first key".into(),
            }],
        });
        let out = render(&run, false);
        assert!(out.contains(&format!("f.yaml:1:{}]", far + 1)), "{out}");
        assert!(
            out.lines()
                .any(|l| l.starts_with(" 1 │ …\"x\":0,") && l.ends_with(",\"far\":2}")),
            "{out}"
        );
        // The related label, on the same long line, is a note quoting its own cut.
        assert!(out.contains("first key"), "{out}");
        assert!(out.contains("f.yaml:1:2]"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
    }
}

//! After the engine: drop what the configuration deselects, what inline comments suppress, set
//! configured severities, and report suppressions that did nothing (EG012).

use std::path::Path;
use std::sync::Arc;

use embedguard_core::Rule;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::source::{Format, Span};
use crate::suppress::{self, Suppression};

use super::{place, Run};

const FORM: &str =
    "write `# embedguard: ignore[EG303] why` at the end of the line, or on the line \
                    above";
const UNUSED: &str =
    "remove it, or move it to the line the finding is on (`embedguard check --format short` \
     shows lines)";

/// Filters `run.diagnostics` in place. Diagnostics in files not `reported` (configuration files)
/// are kept as they are.
pub fn apply(run: &mut Run, reported: &[bool], config_for: impl Fn(&Path) -> Arc<Config>) {
    let is_reported = |file: usize| reported.get(file).copied().unwrap_or(false);
    let configs: Vec<Option<Arc<Config>>> = (0..run.files.len())
        .map(|f| is_reported(f).then(|| config_for(&run.files[f].path)))
        .collect();
    let mut suppressions: Vec<Vec<Suppression>> = vec![Vec::new(); run.files.len()];
    let mut extra = Vec::new();
    for (f, file) in run.files.iter().enumerate() {
        // JSON has no comments; skip the scan for files that cannot hold a suppression.
        if is_reported(f)
            && Format::from_path(&file.path) == Format::Yaml
            && file.text.contains("embedguard:")
        {
            let (found, malformed) = suppress::scan(&file.text);
            suppressions[f] = found;
            for m in malformed {
                extra.push((f, m.span, m.message, FORM.to_string()));
            }
        }
    }

    let diagnostics = std::mem::take(&mut run.diagnostics);
    for mut d in diagnostics {
        let Some(config) = &configs[d.file] else {
            run.diagnostics.push(d);
            continue;
        };
        let path = &run.files[d.file].path;
        if !config.enabled(d.rule, path) {
            continue;
        }
        if d.rule != Rule::SyntaxError && silence(&mut suppressions[d.file], &d) {
            continue;
        }
        d.severity = config.severity(d.rule, d.severity);
        run.diagnostics.push(d);
    }

    // A rule the configuration turns off is not listed as unable to judge either.
    run.unjudged.retain(|u| {
        let d = &u.diagnostic;
        configs[d.file]
            .as_ref()
            .is_none_or(|config| config.enabled(d.rule, &run.files[d.file].path))
    });

    for (f, list) in suppressions.iter().enumerate() {
        let Some(config) = &configs[f] else { continue };
        let path = &run.files[f].path;
        for s in list {
            for r in &s.rules {
                match r.rule {
                    None => extra.push((
                        f,
                        r.span,
                        format!("`{}` in this suppression names no rule", r.written),
                        match embedguard_core::read::nearest(
                            &r.written,
                            Rule::all().flat_map(|r| [r.code(), r.name()]),
                        ) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => "`embedguard rules` lists every code and name".to_string(),
                        },
                    )),
                    Some(rule) if !r.used && config.enabled(rule, path) => extra.push((
                        f,
                        r.span,
                        if s.line == 0 {
                            format!("this suppression of {} has no line after it", rule.code())
                        } else {
                            format!(
                                "{} ({}) reports nothing on line {}, so this suppression is unused",
                                rule.code(),
                                rule.name(),
                                s.line
                            )
                        },
                        UNUSED.to_string(),
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    for (f, span, message, help) in extra {
        let Some(config) = &configs[f] else { continue };
        let rule = Rule::UnusedSuppression;
        if !config.enabled(rule, &run.files[f].path) {
            continue;
        }
        let severity = config.severity(rule, rule.default_severity());
        let d = place(
            run,
            f,
            rule,
            severity,
            message,
            Some(help),
            Span::new(span.start, span.end),
        );
        run.diagnostics.push(d);
    }
}

/// Whether a suppression on `d`'s line names its rule; marks the suppression used.
fn silence(suppressions: &mut [Suppression], d: &Diagnostic) -> bool {
    let line = d.start.0;
    let mut silenced = false;
    for s in suppressions.iter_mut().filter(|s| s.line == line) {
        for r in s.rules.iter_mut().filter(|r| r.rule == Some(d.rule)) {
            r.used = true;
            silenced = true;
        }
    }
    silenced
}

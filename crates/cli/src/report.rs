//! `embedguard report`: runs `check` over the paths, gathers each request's facts and each
//! tenant's view while the files' trees are still there, and builds the compliance report from
//! that run, so the report's numbers are `check`'s.

use std::collections::BTreeMap;
use std::sync::Mutex;

use embedguard_core::finding::Target;
use embedguard_core::Engine;
use embedguard_report::facts::RequestFacts;
use embedguard_report::mask::scrub;
use embedguard_report::model::{AssumedFact, FindingEntry, NotJudgedEntry, SeenRequest};
use embedguard_report::tenant::TenantView;
use embedguard_report::{Report, ReportInput};

use crate::args::{ReportArgs, ReportFormat};
use crate::check::{self, Run, Seen};

/// Runs `check` for `args` and builds the report, stating `generated_at`; also returns the run.
pub fn build(args: &ReportArgs, engine: &Engine, generated_at: String) -> (Report, Run) {
    // Each tenant's view, made once however many descriptions share it (keyed by the file that
    // declares it).
    let views: Mutex<BTreeMap<usize, TenantView>> = Mutex::new(BTreeMap::new());
    let observe = |seen: Seen<'_>| -> Vec<SeenRequest> {
        let file = &seen.run.files[seen.file];
        let label = seen
            .tenant_file
            .map(|t| tenant_label(seen.run, seen.file, t));
        if let (Some(tenant), Some(at), Some(label)) = (seen.tenant, seen.tenant_file, &label) {
            let mut views = views
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            views
                .entry(at)
                .or_insert_with(|| TenantView::of(label, tenant));
        }
        seen.description
            .requests
            .iter()
            .map(|request| SeenRequest {
                file: file.display.clone(),
                line: file
                    .lines
                    .line_col(file.locate(&request.pointer, Target::Value).start)
                    .0,
                pointer: request.pointer.to_string(),
                tenant: label.clone(),
                facts: RequestFacts::gather(seen.engine, seen.tenant, request),
            })
            .collect()
    };
    let (run, seen) = check::run_observed(&args.to_check(), engine, &observe);
    let findings = run
        .diagnostics
        .iter()
        .map(|d| {
            FindingEntry::new(
                d.rule,
                d.severity,
                d.message.clone(),
                run.files[d.file].display.clone(),
                d.start,
                d.pointer.clone(),
                d.request.as_deref().map(scrub),
                d.help.clone(),
            )
        })
        .collect();
    let input = ReportInput {
        generated_at,
        generator: format!("embedguard {}", env!("CARGO_PKG_VERSION")),
        inputs: args
            .paths
            .iter()
            .map(|p| check::clean(p).display().to_string())
            .collect(),
        files: run.descriptions,
        requests: seen.into_iter().flatten().collect(),
        findings,
        tenants: views
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .into_values()
            .collect(),
        problems: run.errors.clone(),
        not_judged: run.explain_skips.then(|| not_judged(&run)),
    };
    (Report::build(input), run)
}

/// The rules that could not judge a request, as the report lists them.
fn not_judged(run: &Run) -> Vec<NotJudgedEntry> {
    let display = |file: usize| run.files[file].display.clone();
    run.unjudged
        .iter()
        .map(|u| {
            let d = &u.diagnostic;
            NotJudgedEntry {
                code: d.rule.code(),
                name: d.rule.name(),
                message: d.message.clone(),
                would_report: u.would_report.clone(),
                file: display(d.file),
                line: d.start.0,
                column: d.start.1,
                pointer: d.pointer.clone(),
                request_file: display(u.request_file),
                request_pointer: u.request_pointer.clone(),
                assumed: u
                    .assumed
                    .iter()
                    .map(|a| AssumedFact {
                        entity_kind: a.entity_kind,
                        entity: a.entity.clone(),
                        key: a.key,
                        value: a.value.clone(),
                        file: display(a.file),
                        line: a.start.0,
                    })
                    .collect(),
                alternatives: u.alternatives,
                doc_url: d.rule.doc_url(),
            }
        })
        .collect()
}

/// How the report names a tenant: its inventory file, or the description holding it inline.
fn tenant_label(run: &Run, description: usize, tenant_file: usize) -> String {
    let display = &run.files[tenant_file].display;
    if tenant_file == description {
        format!("{display} (inline tenant)")
    } else {
        display.clone()
    }
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: ReportFormat) -> Result<String, String> {
    match format {
        ReportFormat::Html => Ok(embedguard_report::html::render(report)),
        ReportFormat::Md => Ok(embedguard_report::markdown::render(report)),
        ReportFormat::Json => {
            embedguard_report::json::render(report).map_err(|e| format!("report as JSON: {e}"))
        }
    }
}

/// Checks a `--generated-at` value: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`.
pub fn valid_date(date: &str) -> bool {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let day = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    match b.len() {
        10 => day,
        20 => {
            day && b[10] == b'T'
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && b[16] == b':'
                && digits(17..19)
                && b[19] == b'Z'
        }
        _ => false,
    }
}

/// Now, in UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (days to civil date: Howard
/// Hinnant's algorithm).
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_civil_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_000_000), "2026-11-18T11:06:40Z");
        assert!(valid_date(&utc(1_795_000_000)));
    }

    #[test]
    fn dates_are_checked() {
        assert!(valid_date("2026-11-23"));
        assert!(valid_date("2026-11-23T14:00:00Z"));
        assert!(!valid_date("23/11/2026"));
        assert!(!valid_date("2026-11-23 14:00"));
        assert!(!valid_date("<script>"));
    }
}

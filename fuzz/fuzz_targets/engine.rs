//! The whole pipeline of `embedguard check` on one description and its inventory, without files:
//! parse both, read the inventory and the description, validate every request (with and without
//! an organisation policy), place every finding in its file the way the CLI does
//! (`SourceFile::locate`, line and column), and render the run in every output format.
//!
//! Input: a flags byte, the inventory text, a NUL byte, the description text. Without a NUL
//! there is no inventory file (the CLI's case of a description with no inventory). Flags:
//! bit 0, the inventory is JSON (else YAML); bit 1, the description is JSON (else YAML); bit 2,
//! check under a strict organisation policy (every EG9xx knob set); bit 3, also render SARIF
//! (a quarter of the time of a run when always on: it embeds every rule's page, whatever the
//! input, so the fuzzer decides when it is worth it). NUL cannot occur in valid
//! YAML or JSON text, so splitting there loses nothing; scripts/fuzz-smoke builds the seeds in
//! this shape from fixtures/.
//!
//! Asserts, beyond "no panic": every finding's pointer is well formed and its nearest existing
//! node has a span (see `embedguard_fuzz::assert_pointer_resolves`), and every placed span is a
//! range of char boundaries inside its file.
#![no_main]

use std::path::PathBuf;
use std::sync::Arc;

use embedguard_cli::check::Run;
use embedguard_cli::diagnostic::{Diagnostic, Secondary, SourceFile};
use embedguard_cli::output;
use embedguard_cli::source::{self, Format, LineIndex};
use embedguard_core::body::AccessLevel;
use embedguard_core::finding::{Finding, Origin};
use embedguard_core::inventory::PrincipalKind;
use embedguard_core::policy::Policy;
use embedguard_core::Engine;
use embedguard_fuzz::{assert_in_text, assert_pointer_resolves};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("compiled-in matrices load");
}

fn strict_policy() -> Policy {
    Policy {
        max_lifetime_minutes: Some(30),
        allowed_access_levels: Some(vec![AccessLevel::View]),
        allow_edit: Some(false),
        allow_save_as: Some(false),
        allowed_callers: Some(vec![PrincipalKind::ServicePrincipal]),
        deny_unfiltered_rls: true,
        allowed_workspaces: Some(vec![
            "Sales".to_string(),
            "6dfe520a-fe74-4854-b72f-23ade2723cc9".to_string(),
        ]),
        placeholder_usernames: true,
    }
}

fn format(json: bool) -> Format {
    if json {
        Format::Json
    } else {
        Format::Yaml
    }
}

/// A parsed file as the CLI keeps it; `None` when it does not parse (the CLI reports EG001 and
/// judges nothing in it).
fn source_file(name: &str, bytes: &[u8], format: Format) -> Option<SourceFile> {
    let document = source::parse(bytes, format).ok()?;
    let text = std::str::from_utf8(bytes).ok()?.to_string();
    Some(SourceFile {
        display: name.to_string(),
        path: PathBuf::from(name),
        lines: LineIndex::new(&text),
        text: Arc::new(text),
        document: Some(document),
        redacted: Vec::new(),
    })
}

/// Places `finding` as `check` does: request-origin pointers in `request_file`, inventory-origin
/// ones in `inventory_file`; checks the pointer and the span on the way.
fn place(run: &Run, finding: &Finding, request_file: usize, inventory_file: usize) -> Diagnostic {
    let file_of = |origin| {
        if origin == Origin::Request {
            request_file
        } else {
            inventory_file
        }
    };
    let locate = |location: &embedguard_core::Location| {
        let file = &run.files[file_of(location.origin)];
        let what = format!("{} {:?} in {}", finding.rule.code(), location, file.display);
        if let Some(doc) = &file.document {
            assert_pointer_resolves(doc, &location.pointer, &what);
        }
        let span = file.locate(&location.pointer, location.target);
        assert_in_text(&file.text, span, &what);
        span
    };
    let file = file_of(finding.location.origin);
    let span = locate(&finding.location);
    let related = finding
        .related
        .iter()
        .map(|r| Secondary {
            file: file_of(r.location.origin),
            span: locate(&r.location),
            label: r.label.clone(),
        })
        .collect();
    let lines = &run.files[file].lines;
    Diagnostic {
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message.clone(),
        help: finding.help.clone(),
        file,
        span,
        start: lines.line_col(span.start),
        end: lines.line_col(span.end),
        pointer: finding.location.pointer.to_string(),
        request: None,
        related,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (inventory_bytes, description_bytes) = match rest.iter().position(|&b| b == 0) {
        Some(nul) => (Some(&rest[..nul]), &rest[nul + 1..]),
        None => (None, rest),
    };
    let policy = if flags & 4 != 0 {
        strict_policy()
    } else {
        Policy::default()
    };
    let mut run = Run::default();
    let Some(description) = source_file("description", description_bytes, format(flags & 2 != 0))
    else {
        return;
    };
    run.files.push(description);
    let inventory_file = inventory_bytes
        .and_then(|b| source_file("inventory", b, format(flags & 1 != 0)))
        .map(|f| {
            run.files.push(f);
            run.files.len() - 1
        });

    ENGINE.with(|engine| {
        let mut diagnostics = Vec::new();
        let inventory = inventory_file.map(|file| {
            let doc = run.files[file].document.as_ref().expect("parsed");
            let (tenant, findings) = engine.read_inventory(&doc.value);
            for f in &findings {
                diagnostics.push(place(&run, f, file, file));
            }
            tenant
        });
        let doc = run.files[0].document.as_ref().expect("parsed");
        let read = engine.read_description(&doc.value);
        for f in read.findings.iter().chain(&read.tenant_findings) {
            diagnostics.push(place(&run, f, 0, 0));
        }
        // An inline `tenant:` wins over the inventory file, as in the CLI.
        let inline = read.description.tenant.clone().map(|t| {
            let (tenant, findings) = engine.resolve_inventory(t);
            for f in &findings {
                diagnostics.push(place(&run, f, 0, 0));
            }
            tenant
        });
        let (tenant, tenant_file) = match (&inline, &inventory) {
            (Some(t), _) => (Some(t), 0),
            (None, Some(t)) => (Some(t), inventory_file.unwrap_or(0)),
            (None, None) => (None, 0),
        };
        for request in &read.description.requests {
            for f in engine.validate_with(tenant, request, &policy) {
                diagnostics.push(place(&run, &f, 0, tenant_file));
            }
        }
        run.descriptions = 1;
        run.requests = read.description.requests.len();
        run.diagnostics = diagnostics;
    });

    let _ = output::human::render(&run, false);
    let _ = output::json::render(&run);
    let _ = output::short::render(&run);
    let _ = output::github::render(&run);
    if flags & 8 != 0 {
        let _ = output::sarif::render(&run);
    }
});

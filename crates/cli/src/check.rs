//! `embedguard check`: find the files, read them, run the engine, place every finding.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use embedguard_core::finding::{Finding, Origin};
use embedguard_core::inventory::Tenant;
use embedguard_core::read::Field;
use embedguard_core::request::{is_inventory_document, TokenRequest};
use embedguard_core::{Engine, Rule, Severity};

use crate::args::CheckArgs;
use crate::diagnostic::{Diagnostic, Secondary, SourceFile};
use crate::source::{self, Format, LineIndex, Span};

/// Everything one `check` run found.
#[derive(Debug, Default)]
pub struct Run {
    /// Every file read (descriptions and inventories), by index.
    pub files: Vec<SourceFile>,
    /// The diagnostics, sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Description files checked.
    pub descriptions: usize,
    /// Requests checked.
    pub requests: usize,
    /// Whether some input could not be read or parsed (exit code 2).
    pub input_failed: bool,
    /// Problems that have no place in a file (a path that does not exist).
    pub errors: Vec<String>,
}

impl Run {
    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Runs `check` as asked.
pub fn run(args: &CheckArgs, engine: &Engine) -> Run {
    let mut checker = Checker {
        engine,
        run: Run::default(),
        inventories: HashMap::new(),
        tenants: Vec::new(),
    };
    let shared = match &args.inventory {
        None => None,
        Some(p) => match checker.inventory(p) {
            Ok(inv) => Some(inv),
            Err(message) => {
                checker.run.errors.push(message);
                checker.run.input_failed = true;
                None
            }
        },
    };
    for (path, walked) in discover(&args.paths, &mut checker.run) {
        checker.description(&path, walked, shared);
    }
    let mut run = checker.run;
    let files = &run.files;
    run.diagnostics.sort_by(|a, b| {
        (&files[a.file].display, a.start, a.rule.code(), &a.message).cmp(&(
            &files[b.file].display,
            b.start,
            b.rule.code(),
            &b.message,
        ))
    });
    run
}

/// Expands directories (sorted, recursively) into their *.yaml, *.yml and *.json files.
/// The flag says whether the file was found by walking (inventory files found so are skipped).
fn discover(paths: &[PathBuf], run: &mut Run) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out);
        } else if path.exists() {
            out.push((path.clone(), false));
        } else {
            run.errors
                .push(format!("`{}`: no such file or directory", path.display()));
            run.input_failed = true;
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        {
            out.push((p, true));
        }
    }
}

/// Removes `.` and `name/..` pairs without touching the file system, so messages show
/// `fixtures/tenant.yaml` rather than `fixtures/rules/EG301/../../tenant.yaml`.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A loaded inventory: the file holding it and its tenant.
#[derive(Debug, Clone, Copy)]
struct InventoryRef {
    file: usize,
    tenant: usize,
}

struct Checker<'e> {
    engine: &'e Engine,
    run: Run,
    inventories: HashMap<PathBuf, Result<InventoryRef, String>>,
    tenants: Vec<Tenant>,
}

impl Checker<'_> {
    /// Reads and parses a file; a parse failure becomes an EG001 diagnostic.
    fn load(&mut self, path: &Path) -> Result<usize, String> {
        // Refuse a huge file before reading it into memory (the parser refuses it too).
        let size = std::fs::metadata(path)
            .map_err(|e| format!("`{}`: {e}", path.display()))?
            .len();
        let (text, parsed) = if size > source::MAX_FILE_BYTES as u64 {
            let message = format!(
                "file is larger than {} MiB",
                source::MAX_FILE_BYTES / (1024 * 1024)
            );
            (
                String::new(),
                Err(source::SyntaxError {
                    message,
                    span: Span::at(0),
                }),
            )
        } else {
            let bytes = std::fs::read(path).map_err(|e| format!("`{}`: {e}", path.display()))?;
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                source::parse(&bytes, Format::from_path(path)),
            )
        };
        let index = self.run.files.len();
        let (document, error) = match parsed {
            Ok(doc) => (Some(doc), None),
            Err(e) => (None, Some(e)),
        };
        self.run.files.push(SourceFile {
            display: path.display().to_string(),
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text: Arc::new(text),
            document,
        });
        if let Some(e) = error {
            self.run.input_failed = true;
            let diagnostic = self.place(
                index,
                Rule::SyntaxError,
                Severity::Error,
                e.message,
                None,
                e.span,
                String::new(),
                None,
                Vec::new(),
            );
            self.run.diagnostics.push(diagnostic);
        }
        Ok(index)
    }

    /// Loads (once) an inventory file and resolves it; its findings are reported once.
    fn inventory(&mut self, path: &Path) -> Result<InventoryRef, String> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(known) = self.inventories.get(&key) {
            return known.clone();
        }
        let result = self.load(path).and_then(|file| {
            let Some(doc) = self.run.files[file]
                .document
                .as_ref()
                .map(|d| d.value.clone())
            else {
                return Err(format!("`{}` is not valid YAML/JSON", path.display()));
            };
            let (tenant, findings) = self.engine.read_inventory(&doc);
            for f in &findings {
                self.report(f, file, file, &[]);
            }
            self.tenants.push(tenant);
            Ok(InventoryRef {
                file,
                tenant: self.tenants.len() - 1,
            })
        });
        self.inventories.insert(key, result.clone());
        result
    }

    fn description(&mut self, path: &Path, walked: bool, shared: Option<InventoryRef>) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.inventories.contains_key(&key) {
            return; // already read as an inventory
        }
        let file = match self.load(path) {
            Ok(f) => f,
            Err(e) => {
                self.run.errors.push(e);
                self.run.input_failed = true;
                return;
            }
        };
        let Some(doc) = self.run.files[file]
            .document
            .as_ref()
            .map(|d| d.value.clone())
        else {
            return;
        };
        if is_inventory_document(&doc) {
            if walked {
                // A tenant file next to the descriptions: it is read when a description names it.
                self.run.files.pop();
                return;
            }
            let (_, findings) = self.engine.read_inventory(&doc);
            for f in &findings {
                self.report(f, file, file, &[]);
            }
            self.inventories.insert(
                key,
                Ok(InventoryRef {
                    file,
                    tenant: usize::MAX,
                }),
            );
            return;
        }
        self.run.descriptions += 1;
        let read = self.engine.read_description(&doc);
        let requests = &read.description.requests;
        self.run.requests += requests.len();
        for f in &read.findings {
            self.report(f, file, file, requests);
        }
        let (tenant, inventory_file) = if let Some(inline) = &read.description.tenant {
            for f in &read.tenant_findings {
                self.report(f, file, file, requests);
            }
            let (tenant, findings) = self.engine.resolve_inventory(inline.clone());
            for f in &findings {
                self.report(f, file, file, requests);
            }
            self.tenants.push(tenant);
            (Some(self.tenants.len() - 1), file)
        } else if let Field::Present(rel) = &read.description.inventory_path {
            let target = normalize(&path.parent().unwrap_or(Path::new("")).join(&rel.value));
            match self.inventory(&target) {
                Ok(inv) => (Some(inv.tenant), inv.file),
                Err(message) => {
                    self.run.input_failed = true;
                    let finding = Finding::new(
                        Rule::UnresolvedReference,
                        embedguard_core::Location::request(rel.pointer.clone()),
                        format!("cannot read the inventory: {message}"),
                    )
                    .help(
                        "`inventory:` is resolved against the directory of the file that names it",
                    );
                    self.report(&finding, file, file, requests);
                    (None, file)
                }
            }
        } else if let Some(inv) = shared {
            (Some(inv.tenant), inv.file)
        } else {
            (None, file)
        };
        for request in requests {
            let tenant = tenant.and_then(|t| self.tenants.get(t));
            let findings = self.engine.validate(tenant, request);
            for f in &findings {
                self.report(f, file, inventory_file, requests);
            }
        }
    }

    /// Places a core finding in its file and records it.
    fn report(
        &mut self,
        f: &Finding,
        request_file: usize,
        inventory_file: usize,
        requests: &[TokenRequest],
    ) {
        let file_of = |origin: Origin| {
            if origin == Origin::Request {
                request_file
            } else {
                inventory_file
            }
        };
        let file = file_of(f.location.origin);
        let span = self.run.files[file].locate(&f.location.pointer, f.location.target);
        let related = f
            .related
            .iter()
            .map(|r| {
                let rf = file_of(r.location.origin);
                Secondary {
                    file: rf,
                    span: self.run.files[rf].locate(&r.location.pointer, r.location.target),
                    label: r.label.clone(),
                }
            })
            .collect();
        let request = (f.location.origin == Origin::Request)
            .then(|| {
                requests
                    .iter()
                    .find(|r| f.location.pointer.starts_with(&r.pointer))
                    .map(|r| r.name.clone())
            })
            .flatten();
        let d = self.place(
            file,
            f.rule,
            f.severity,
            f.message.clone(),
            f.help.clone(),
            span,
            f.location.pointer.to_string(),
            request,
            related,
        );
        self.run.diagnostics.push(d);
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        &self,
        file: usize,
        rule: Rule,
        severity: Severity,
        message: String,
        help: Option<String>,
        span: Span,
        pointer: String,
        request: Option<String>,
        related: Vec<Secondary>,
    ) -> Diagnostic {
        let lines = &self.run.files[file].lines;
        Diagnostic {
            rule,
            severity,
            message,
            help,
            file,
            span,
            start: lines.line_col(span.start),
            end: lines.line_col(span.end),
            pointer,
            request,
            related,
        }
    }
}

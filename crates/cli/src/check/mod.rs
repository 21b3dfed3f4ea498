//! `embedguard check`: find the files, read them, run the engine, place every finding, then apply
//! the configuration and inline suppressions.
//!
//! The work is done in phases, each over all files at once and in parallel where files are
//! independent: parse every file; read every description; load and resolve every inventory
//! (each once, however many descriptions share it); validate every request; filter. Output is
//! sorted at the end, so it does not depend on scheduling.

mod discover;
mod filter;
mod redact;
mod unjudged;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use embedguard_core::engine::ReadDescription;
use embedguard_core::finding::{Finding, Origin};
use embedguard_core::inventory::Tenant;
use embedguard_core::policy::Policy;
use embedguard_core::read::Field;
use embedguard_core::request::{
    is_description_document, is_inventory_document, Description, TokenRequest,
};
use embedguard_core::value::Pointer;
use embedguard_core::{Engine, Rule, Severity};
use rayon::prelude::*;

use crate::args::CheckArgs;
use crate::config::{self, Config, ConfigProblem, RuleSet};
use crate::diagnostic::{Diagnostic, Secondary, SourceFile};
use crate::source::{self, Format, LineIndex, Span, SyntaxError};

pub use discover::{clean, is_description_name, Target};
pub use unjudged::{PlacedAssumption, SkipNote, Unjudged};

/// Everything one `check` run found.
#[derive(Debug, Default)]
pub struct Run {
    /// Every file read (descriptions, inventories, configuration files), by index.
    pub files: Vec<SourceFile>,
    /// The diagnostics, sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Description files checked.
    pub descriptions: usize,
    /// Requests checked.
    pub requests: usize,
    /// Whether some input could not be read or parsed, or the configuration is broken (exit
    /// code 2).
    pub input_failed: bool,
    /// Problems that have no place in a file (a path that does not exist).
    pub errors: Vec<String>,
    /// Whether `--explain-skips` was asked for.
    pub explain_skips: bool,
    /// With `--explain-skips`: the rules that could not judge a request for want of a tenant
    /// fact, sorted like the diagnostics. They never change the exit code.
    pub unjudged: Vec<Unjudged>,
    /// With `--explain-skips`: what could not be judged about whole files or requests.
    pub skip_notes: Vec<SkipNote>,
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

/// One description as `check` judged it, handed to an observer while its parsed tree is still
/// there: what a front end that reports more than diagnostics (`embedguard report`) needs.
#[derive(Clone, Copy)]
pub struct Seen<'a> {
    /// The run so far (its files; the diagnostics are not final yet).
    pub run: &'a Run,
    /// The description's index in the run's files.
    pub file: usize,
    /// The description, read.
    pub description: &'a Description,
    /// The tenant its requests were judged against, when it has one.
    pub tenant: Option<&'a Tenant>,
    /// The file that declares that tenant: an inventory file, or the description itself for an
    /// inline `tenant:`.
    pub tenant_file: Option<usize>,
    /// The engine that judged it.
    pub engine: &'a Engine,
}

/// Runs `check` as asked.
pub fn run(args: &CheckArgs, engine: &Engine) -> Run {
    run_observed(args, engine, &|_: Seen<'_>| ()).0
}

/// Runs `check` as asked, and calls `observe` once for each description (in parallel, from
/// several threads); returns the run and what `observe` returned, in the order of the files.
pub fn run_observed<T, F>(args: &CheckArgs, engine: &Engine, observe: &F) -> (Run, Vec<T>)
where
    T: Send,
    F: Fn(Seen<'_>) -> T + Sync,
{
    let mut run = Run {
        explain_skips: args.explain_skips,
        ..Run::default()
    };
    let mut observed = Vec::new();
    let Some(selection) = command_line_selection(args, &mut run) else {
        return (run, observed);
    };
    let (targets, missing) = discover::targets(&args.paths);
    for m in missing {
        run.errors.push(m.0);
        run.input_failed = true;
    }
    let mut configs = Configs::new(args, selection);
    // A broken configuration stops the run before anything is judged by half of it.
    configs.prepare(targets.iter().map(|t| t.path.as_path()), &mut run);
    if configs.broken {
        return (finish(run), observed);
    }
    let mut checker = Checker {
        engine,
        run,
        configs,
        inventories: HashMap::new(),
        tenants: Vec::new(),
        reported: Vec::new(),
        canonical: Default::default(),
    };
    checker.check(
        &targets,
        args.inputs.inventory.as_deref(),
        observe,
        &mut observed,
    );
    let Checker {
        mut run,
        configs,
        reported,
        ..
    } = checker;
    filter::apply(&mut run, &reported, |path| configs.for_file(path));
    (finish(run), observed)
}

/// Sorts the diagnostics: by file, line, column, code, message.
fn finish(mut run: Run) -> Run {
    let files = &run.files;
    run.diagnostics.sort_by(|a, b| {
        (&files[a.file].display, a.start, a.rule.code(), &a.message).cmp(&(
            &files[b.file].display,
            b.start,
            b.rule.code(),
            &b.message,
        ))
    });
    run.unjudged.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&files[a.file].display, a.start, a.rule.code(), &a.request).cmp(&(
            &files[b.file].display,
            b.start,
            b.rule.code(),
            &b.request,
        ))
    });
    run.skip_notes.sort_by(|a, b| {
        (&files[a.file].display, &a.request).cmp(&(&files[b.file].display, &b.request))
    });
    run
}

/// `--select` and `--ignore` resolved; `None` (after recording why) when one names no rule.
fn command_line_selection(args: &CheckArgs, run: &mut Run) -> Option<(Option<RuleSet>, RuleSet)> {
    let mut ok = true;
    let mut resolve = |list: &[String], flag: &str| {
        list.iter()
            .fold(RuleSet::default(), |set, s| match config::select(s) {
                Some(rules) => set.union(rules),
                None => {
                    let problem = config::unknown_selector(s, 0..0);
                    run.errors.push(format!(
                        "{flag}: {}; {}",
                        problem.message,
                        problem.help.unwrap_or_default()
                    ));
                    ok = false;
                    set
                }
            })
    };
    let select = args.select.as_deref().map(|l| resolve(l, "--select"));
    let ignore = resolve(&args.ignore, "--ignore");
    if !ok {
        run.input_failed = true;
    }
    ok.then_some((select, ignore))
}

/// The configuration of each directory, found and read once.
struct Configs {
    /// `--select`/`--ignore`, applied on top of every configuration.
    selection: (Option<RuleSet>, RuleSet),
    /// `--config FILE`, or `--isolated` (no file at all).
    fixed: Option<Option<PathBuf>>,
    /// Configuration file → its loaded form (with the command line applied) and its index in
    /// the run's files.
    loaded: HashMap<PathBuf, (Arc<Config>, usize)>,
    /// Directory → its configuration file, if any.
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// The configuration for directories without a file.
    default: Arc<Config>,
    /// Whether some configuration could not be read.
    broken: bool,
}

impl Configs {
    fn new(args: &CheckArgs, selection: (Option<RuleSet>, RuleSet)) -> Self {
        let fixed = if args.inputs.isolated {
            Some(None)
        } else {
            args.inputs.config.clone().map(Some)
        };
        Configs {
            default: Arc::new(Config::default().with_command_line(selection.0, selection.1)),
            selection,
            fixed,
            loaded: HashMap::new(),
            by_dir: HashMap::new(),
            broken: false,
        }
    }

    /// Finds and reads the configuration of every file in `paths`, reporting problems.
    fn prepare<'p>(&mut self, paths: impl Iterator<Item = &'p Path>, run: &mut Run) {
        for path in paths {
            if let Some(file) = self.file_for(path) {
                self.load(&file, run);
            }
        }
    }

    /// The configuration file that applies to `path`.
    fn file_for(&mut self, path: &Path) -> Option<PathBuf> {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        self.by_dir
            .entry(dir)
            .or_insert_with_key(|dir| config::find(dir))
            .clone()
    }

    fn load(&mut self, file: &Path, run: &mut Run) {
        if self.loaded.contains_key(file) {
            return;
        }
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                run.errors.push(format!("`{}`: {e}", file.display()));
                run.input_failed = true;
                self.broken = true;
                return;
            }
        };
        let index = run.files.len();
        run.files.push(SourceFile {
            display: display_path(file),
            path: file.to_path_buf(),
            lines: LineIndex::new(&text),
            text: Arc::new(text),
            document: None,
            redacted: Vec::new(),
        });
        let config = match Config::parse(file, &run.files[index].text) {
            Ok(c) => c,
            Err(problems) => {
                self.broken = true;
                run.input_failed = true;
                for p in problems {
                    let d = config_diagnostic(run, index, Rule::SyntaxError, p);
                    run.diagnostics.push(d);
                }
                Config::default()
            }
        };
        let config = config.with_command_line(self.selection.0, self.selection.1);
        self.loaded
            .insert(file.to_path_buf(), (Arc::new(config), index));
    }

    /// The configuration for a file (`for_file` never reads a file it was not prepared for).
    fn for_file(&self, path: &Path) -> Arc<Config> {
        let file = match &self.fixed {
            Some(fixed) => fixed.clone(),
            None => self
                .by_dir
                .get(path.parent().unwrap_or(Path::new("")))
                .cloned()
                .flatten(),
        };
        file.and_then(|f| self.loaded.get(&f).map(|(c, _)| Arc::clone(c)))
            .unwrap_or_else(|| Arc::clone(&self.default))
    }

    /// The configuration for a file, reading it if needed (inventories outside the targets).
    fn for_file_loading(&mut self, path: &Path, run: &mut Run) -> (Arc<Config>, Option<usize>) {
        match self.file_for(path) {
            None => (Arc::clone(&self.default), None),
            Some(file) => {
                self.load(&file, run);
                match self.loaded.get(&file) {
                    Some((c, index)) => (Arc::clone(c), Some(*index)),
                    None => (Arc::clone(&self.default), None),
                }
            }
        }
    }
}

/// A configuration problem as a diagnostic in the configuration file.
fn config_diagnostic(run: &Run, file: usize, rule: Rule, p: ConfigProblem) -> Diagnostic {
    let span = Span::new(p.span.start, p.span.end.max(p.span.start));
    place(run, file, rule, Severity::Error, p.message, p.help, span)
}

/// A path as shown: relative paths as given, cleaned.
fn display_path(path: &Path) -> String {
    clean(path).display().to_string()
}

/// Places a diagnostic with no pointer or related locations.
fn place(
    run: &Run,
    file: usize,
    rule: Rule,
    severity: Severity,
    message: String,
    help: Option<String>,
    span: Span,
) -> Diagnostic {
    let lines = &run.files[file].lines;
    Diagnostic {
        rule,
        severity,
        message,
        help,
        file,
        span,
        start: lines.line_col(span.start),
        end: lines.line_col(span.end),
        pointer: String::new(),
        request: None,
        related: Vec::new(),
    }
}

/// A file read from disk: its text and tree, or why it has none.
struct Loaded {
    source: SourceFile,
    syntax: Option<SyntaxError>,
}

/// Reads and parses one file. `Err` when it cannot be read at all.
fn load(path: &Path, max: usize) -> Result<Loaded, String> {
    // Refuse a huge file before reading it into memory (the parser refuses it too).
    let size = std::fs::metadata(path)
        .map_err(|e| format!("`{}`: {e}", path.display()))?
        .len();
    let (text, parsed) = if size > max as u64 {
        let message = format!("file is larger than {} MiB", max / (1024 * 1024));
        (
            String::new(),
            Err(SyntaxError {
                message,
                span: Span::at(0),
            }),
        )
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("`{}`: {e}", path.display()))?;
        let parsed = source::parse_limited(&bytes, Format::from_path(path), max);
        (String::from_utf8_lossy(&bytes).into_owned(), parsed)
    };
    let (document, syntax) = match parsed {
        Ok(doc) => (Some(doc), None),
        Err(e) => (None, Some(e)),
    };
    Ok(Loaded {
        source: SourceFile {
            display: display_path(path),
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text: Arc::new(text),
            document,
            redacted: Vec::new(),
        },
        syntax,
    })
}

/// An inventory, loaded and resolved: the file holding it and its tenant.
#[derive(Debug, Clone, Copy)]
struct InventoryRef {
    file: usize,
    tenant: usize,
}

/// One description to validate: its file, what was read from it, and its inventory.
type Job<'r> = (
    usize,
    &'r ReadDescription,
    Result<Option<InventoryRef>, String>,
    Arc<Config>,
);

/// An inventory read from its file: the tenant and the findings about it.
type ResolvedInventory = (Tenant, Vec<Finding>);

/// Where a description's tenant facts come from.
enum TenantSource {
    /// `tenant:` inline, merged with the shared inventory (`--inventory`, or the
    /// configuration's `inventory`) when there is one: the inline facts win.
    Inline { shared: Option<(PathBuf, NamedBy)> },
    /// A file: named by `inventory:` (with the pointer to it), `--inventory`, or the
    /// configuration's `inventory` (with the configuration file's index and span).
    File { path: PathBuf, named_by: NamedBy },
    /// None at all.
    None,
}

/// Who named an inventory file, for the message when it cannot be read.
#[derive(Clone)]
enum NamedBy {
    Description(embedguard_core::value::Pointer),
    CommandLine,
    Config(usize, std::ops::Range<usize>),
}

struct Checker<'e> {
    engine: &'e Engine,
    run: Run,
    configs: Configs,
    /// Canonical inventory path → the loaded inventory, or why it could not be.
    inventories: HashMap<PathBuf, Result<InventoryRef, String>>,
    tenants: Vec<Tenant>,
    /// Whether each file's diagnostics are reported (false for inventories found by walking that
    /// no description names, and for configuration files).
    reported: Vec<bool>,
    /// Path as written → canonical path: thousands of descriptions name the same inventory, and
    /// each `canonicalize` is a system call per path component.
    canonical: std::cell::RefCell<HashMap<PathBuf, PathBuf>>,
}

impl Checker<'_> {
    /// The canonical form of `path`, remembered.
    fn canonical_of(&self, path: &Path) -> PathBuf {
        self.canonical
            .borrow_mut()
            .entry(path.to_path_buf())
            .or_insert_with(|| canonical(path))
            .clone()
    }

    fn check<T: Send, F: Fn(Seen<'_>) -> T + Sync>(
        &mut self,
        targets: &[Target],
        cli_inventory: Option<&Path>,
        observe: &F,
        observed: &mut Vec<T>,
    ) {
        for chunk in targets.chunks(CHUNK) {
            let descriptions = self.check_chunk(chunk, cli_inventory, observe, observed);
            // Diagnostics are placed: the trees of the descriptions are no longer needed (the
            // text stays, for rendering). Inventories keep theirs: later files point into them.
            let trees: Vec<crate::source::Document> = descriptions
                .iter()
                .filter_map(|&f| self.run.files[f].document.take())
                .collect();
            trees.into_par_iter().for_each(drop);
        }
    }

    /// Checks one chunk of targets; returns the description files in it.
    fn check_chunk<T: Send, F: Fn(Seen<'_>) -> T + Sync>(
        &mut self,
        targets: &[Target],
        cli_inventory: Option<&Path>,
        observe: &F,
        observed: &mut Vec<T>,
    ) -> Vec<usize> {
        let first_diagnostic = self.run.diagnostics.len();
        let first_unjudged = self.run.unjudged.len();
        // Phase 1: read and parse every target, in parallel.
        let loaded: Vec<Result<Loaded, String>> = targets
            .par_iter()
            .map(|t| load(&t.path, source::MAX_FILE_BYTES))
            .collect();
        let mut descriptions = Vec::new();
        for (target, loaded) in targets.iter().zip(loaded) {
            // A file found by walking that does not parse and never mentions embedguard is some
            // other tool's file (a Helm template, a broken fixture of another project).
            if target.walked {
                if let Ok(l) = &loaded {
                    if l.syntax.is_some() && !l.source.text.contains("embedguard") {
                        continue;
                    }
                }
            }
            let Some(file) = self.add_loaded(loaded) else {
                continue;
            };
            let Some(doc) = &self.run.files[file].document else {
                self.mark_reported(file, true);
                continue;
            };
            if is_inventory_document(&doc.value) {
                // Named on the command line: checked as an inventory. Found by walking: read
                // when a description names it.
                if target.walked {
                    self.mark_reported(file, false);
                    self.remember_inventory(file);
                } else {
                    // A failure is already reported as EG001 in the file itself.
                    let _ = self.inventory_from_file(file);
                }
            } else if is_description_document(&doc.value) {
                self.mark_reported(file, true);
                descriptions.push(file);
            } else {
                // Not an embedguard file (a CI workflow, `package.json`): not judged.
                self.mark_reported(file, false);
            }
        }

        // Phase 2: read every description, in parallel.
        let engine = self.engine;
        let files = &self.run.files;
        let reads: Vec<ReadDescription> = descriptions
            .par_iter()
            .map(|&f| match &files[f].document {
                Some(doc) => engine.read_description(&doc.value),
                None => engine.read_description(&embedguard_core::value::Value::Null),
            })
            .collect();

        // Phase 3: load and resolve every inventory the descriptions need, each once.
        let sources: Vec<TenantSource> = descriptions
            .iter()
            .zip(&reads)
            .map(|(&file, read)| self.tenant_source(file, read, cli_inventory))
            .collect();
        let wanted: Vec<PathBuf> = sources
            .iter()
            .filter_map(|s| match s {
                TenantSource::File { path, .. }
                | TenantSource::Inline {
                    shared: Some((path, _)),
                } => Some(path.clone()),
                _ => None,
            })
            .collect();
        self.load_inventories(&wanted);
        // Inventories outside the targets follow their own directory's configuration.
        for file in 0..self.run.files.len() {
            if self.reported.get(file).copied().unwrap_or(false) {
                let path = self.run.files[file].path.clone();
                self.configs.for_file_loading(&path, &mut self.run);
            }
        }

        // Phase 4: validate every request, in parallel.
        self.run.descriptions += descriptions.len();
        self.run.requests += reads
            .iter()
            .map(|r| r.description.requests.len())
            .sum::<usize>();
        let jobs: Vec<Job<'_>> = descriptions
            .iter()
            .zip(&reads)
            .zip(&sources)
            .map(|((&file, read), source)| {
                let config = self.configs.for_file(&self.run.files[file].path);
                (file, read, self.resolved(source), config)
            })
            .collect();
        let (run, tenants) = (&self.run, &self.tenants);
        let explain = run.explain_skips;
        let placed: Vec<(Vec<Diagnostic>, unjudged::Explained, T)> = jobs
            .par_iter()
            .map(|(file, read, inventory, config)| {
                check_description(
                    engine,
                    run,
                    tenants,
                    *file,
                    read,
                    inventory.as_ref(),
                    &config.policy,
                    explain,
                    observe,
                )
            })
            .collect();
        for (diagnostics, explained, seen) in placed {
            self.run.diagnostics.extend(diagnostics);
            self.run.unjudged.extend(explained.unjudged);
            self.run.skip_notes.extend(explained.notes);
            observed.push(seen);
        }

        // Inventory files named by something that cannot be read.
        for (file, (read, source)) in descriptions.iter().zip(reads.iter().zip(&sources)) {
            if let TenantSource::File { path, named_by }
            | TenantSource::Inline {
                shared: Some((path, named_by)),
            } = source
            {
                if let Err(message) = self.inventory_result(path) {
                    self.unreadable_inventory(*file, read, named_by, &message);
                }
            }
        }
        // While the trees are still here: no secret found in this chunk is shown by anything.
        redact::secrets(&mut self.run, first_diagnostic, first_unjudged);
        descriptions
    }

    /// Adds a loaded file to the run (with its EG001 diagnostic); `None` if it could not be read.
    fn add_loaded(&mut self, loaded: Result<Loaded, String>) -> Option<usize> {
        let loaded = match loaded {
            Ok(l) => l,
            Err(e) => {
                self.run.errors.push(e);
                self.run.input_failed = true;
                return None;
            }
        };
        let file = self.run.files.len();
        self.run.files.push(loaded.source);
        if let Some(e) = loaded.syntax {
            self.run.input_failed = true;
            let help = e.help(Format::from_path(&self.run.files[file].path));
            let d = place(
                &self.run,
                file,
                Rule::SyntaxError,
                Severity::Error,
                e.message,
                Some(help.to_string()),
                e.span,
            );
            self.run.diagnostics.push(d);
        }
        Some(file)
    }

    fn mark_reported(&mut self, file: usize, reported: bool) {
        if self.reported.len() <= file {
            self.reported.resize(file + 1, false);
        }
        self.reported[file] = reported;
    }

    /// Records a walked inventory file so a description naming it reuses the parse.
    fn remember_inventory(&mut self, file: usize) {
        let key = self.canonical_of(&self.run.files[file].path);
        self.inventories.entry(key).or_insert(Ok(InventoryRef {
            file,
            tenant: usize::MAX,
        }));
    }

    /// Resolves the inventory in `file` (once), reporting its findings.
    fn inventory_from_file(&mut self, file: usize) -> Result<InventoryRef, String> {
        let key = self.canonical_of(&self.run.files[file].path);
        if let Some(Ok(known)) = self.inventories.get(&key) {
            if known.tenant != usize::MAX {
                return Ok(*known);
            }
        }
        let Some(doc) = &self.run.files[file].document else {
            let message = format!("`{}` is not valid YAML/JSON", self.run.files[file].display);
            self.inventories.insert(key, Err(message.clone()));
            return Err(message);
        };
        let (tenant, findings) = self.engine.read_inventory(&doc.value);
        self.mark_reported(file, true);
        for f in &findings {
            let d = place_finding(&self.run, f, file, file, &[]);
            self.run.diagnostics.push(d);
        }
        self.tenants.push(tenant);
        let r = InventoryRef {
            file,
            tenant: self.tenants.len() - 1,
        };
        self.inventories.insert(key, Ok(r));
        Ok(r)
    }

    /// Loads (in parallel) and resolves the inventory files in `paths` not yet known.
    fn load_inventories(&mut self, paths: &[PathBuf]) {
        let mut todo: Vec<(PathBuf, PathBuf)> = Vec::new();
        for p in paths {
            let key = self.canonical_of(p);
            if !self.inventories.contains_key(&key) && !todo.iter().any(|(k, _)| *k == key) {
                todo.push((key, p.clone()));
            }
        }
        let loaded: Vec<Result<Loaded, String>> = todo
            .par_iter()
            .map(|(_, p)| load(p, source::MAX_INVENTORY_BYTES))
            .collect();
        for ((key, _), loaded) in todo.into_iter().zip(loaded) {
            match self.add_loaded(loaded) {
                Some(file) => {
                    self.mark_reported(file, true);
                    self.inventories.insert(
                        key,
                        Ok(InventoryRef {
                            file,
                            tenant: usize::MAX,
                        }),
                    );
                }
                None => {
                    let message = format!("`{}` cannot be read", key.display());
                    self.inventories.insert(key, Err(message));
                }
            }
        }
        // Resolve every inventory a description named (walked ones included), once each.
        let mut files: Vec<usize> = paths
            .iter()
            .filter_map(|p| match self.inventories.get(&self.canonical_of(p)) {
                Some(Ok(r)) if r.tenant == usize::MAX => Some(r.file),
                _ => None,
            })
            .collect();
        files.sort_unstable();
        files.dedup();
        let engine = self.engine;
        let run = &self.run;
        let resolved: Vec<(usize, Option<ResolvedInventory>)> = files
            .par_iter()
            .map(|&f| {
                (
                    f,
                    run.files[f]
                        .document
                        .as_ref()
                        .map(|d| engine.read_inventory(&d.value)),
                )
            })
            .collect();
        for (file, result) in resolved {
            let key = self.canonical_of(&self.run.files[file].path);
            self.mark_reported(file, true);
            match result {
                Some((tenant, findings)) => {
                    for f in &findings {
                        let d = place_finding(&self.run, f, file, file, &[]);
                        self.run.diagnostics.push(d);
                    }
                    self.tenants.push(tenant);
                    self.inventories.insert(
                        key,
                        Ok(InventoryRef {
                            file,
                            tenant: self.tenants.len() - 1,
                        }),
                    );
                }
                None => {
                    let message =
                        format!("`{}` is not valid YAML/JSON", self.run.files[file].display);
                    self.inventories.insert(key, Err(message));
                }
            }
        }
    }

    fn inventory_result(&self, path: &Path) -> Result<InventoryRef, String> {
        self.inventories
            .get(&self.canonical_of(path))
            .cloned()
            .unwrap_or_else(|| Err(format!("`{}` was not read", path.display())))
    }

    fn resolved(&self, source: &TenantSource) -> Result<Option<InventoryRef>, String> {
        match source {
            TenantSource::File { path, .. }
            | TenantSource::Inline {
                shared: Some((path, _)),
            } => self.inventory_result(path).map(Some),
            TenantSource::Inline { shared: None } | TenantSource::None => Ok(None),
        }
    }

    /// Where the tenant facts of the description in `file` come from: inline `tenant:` (merged
    /// with the shared inventory, if any), then `inventory:`, then the shared inventory:
    /// `--inventory`, then the configuration's `inventory`.
    fn tenant_source(
        &mut self,
        file: usize,
        read: &ReadDescription,
        cli_inventory: Option<&Path>,
    ) -> TenantSource {
        if read.description.tenant.is_some() {
            let shared = match self.shared_source(file, cli_inventory) {
                TenantSource::File { path, named_by } => Some((path, named_by)),
                _ => None,
            };
            return TenantSource::Inline { shared };
        }
        if let Field::Present(rel) = &read.description.inventory_path {
            let base = self.run.files[file].path.parent().unwrap_or(Path::new(""));
            return TenantSource::File {
                path: clean(&base.join(&rel.value)),
                named_by: NamedBy::Description(rel.pointer.clone()),
            };
        }
        self.shared_source(file, cli_inventory)
    }

    /// The inventory shared by every file that names none: `--inventory`, then the
    /// configuration's `inventory`.
    fn shared_source(&mut self, file: usize, cli_inventory: Option<&Path>) -> TenantSource {
        if let Some(path) = cli_inventory {
            return TenantSource::File {
                path: path.to_path_buf(),
                named_by: NamedBy::CommandLine,
            };
        }
        let path = self.run.files[file].path.clone();
        let (config, config_file) = self.configs.for_file_loading(&path, &mut self.run);
        match (&config.inventory, config_file) {
            (Some((inventory, span)), Some(config_file)) => TenantSource::File {
                path: clean(inventory),
                named_by: NamedBy::Config(config_file, span.clone()),
            },
            _ => TenantSource::None,
        }
    }

    /// Reports an inventory that cannot be read, where it is named (once per place).
    fn unreadable_inventory(
        &mut self,
        file: usize,
        read: &ReadDescription,
        named_by: &NamedBy,
        message: &str,
    ) {
        self.run.input_failed = true;
        match named_by {
            NamedBy::Description(pointer) => {
                let finding = Finding::new(
                    Rule::UnresolvedReference,
                    embedguard_core::Location::request(pointer.clone()),
                    format!("cannot read the inventory: {message}"),
                )
                .help("`inventory:` is resolved against the directory of the file that names it");
                let d = place_finding(&self.run, &finding, file, file, &read.description.requests);
                self.run.diagnostics.push(d);
            }
            NamedBy::CommandLine => {
                let e = format!("--inventory: {message}");
                if !self.run.errors.contains(&e) {
                    self.run.errors.push(e);
                }
            }
            NamedBy::Config(config_file, span) => {
                let text = format!("cannot read the inventory: {message}");
                let already = self
                    .run
                    .diagnostics
                    .iter()
                    .any(|d| d.file == *config_file && d.message == text);
                if !already {
                    let problem = ConfigProblem {
                        span: span.clone(),
                        message: text,
                        help: Some(
                            "`inventory` is resolved against the directory of `embedguard.toml`"
                                .into(),
                        ),
                    };
                    let d = config_diagnostic(
                        &self.run,
                        *config_file,
                        Rule::UnresolvedReference,
                        problem,
                    );
                    self.run.diagnostics.push(d);
                }
            }
        }
    }
}

/// Validates every request of one description; the diagnostics placed in their files, with
/// `explain` what its rules could not judge, and what `observe` made of the description.
#[allow(clippy::too_many_arguments)] // one call site, each argument a different part of the run
fn check_description<T, F: Fn(Seen<'_>) -> T>(
    engine: &Engine,
    run: &Run,
    tenants: &[Tenant],
    file: usize,
    read: &ReadDescription,
    inventory: Result<&Option<InventoryRef>, &String>,
    policy: &Policy,
    explain: bool,
    observe: &F,
) -> (Vec<Diagnostic>, unjudged::Explained, T) {
    let requests = &read.description.requests;
    let mut out: Vec<Diagnostic> = read
        .findings
        .iter()
        .map(|f| place_finding(run, f, file, file, requests))
        .collect();
    let inline;
    let (tenant, inventory_file) = if let Some(tenant) = &read.description.tenant {
        out.extend(
            read.tenant_findings
                .iter()
                .map(|f| place_finding(run, f, file, file, requests)),
        );
        // With a shared inventory, its facts complete the inline ones; each entity keeps its
        // pointer, so a finding lands in the file the entity came from.
        let shared = match inventory {
            Ok(Some(r)) => tenants.get(r.tenant).map(|t| (t, r.file)),
            Ok(None) | Err(_) => None,
        };
        let facts = match shared {
            Some((t, _)) => tenant.clone().merged_with(t.inventory()),
            None => tenant.clone(),
        };
        let (resolved, findings) = engine.resolve_inventory(facts);
        let inventory_file = InventoryFile {
            file,
            shared: shared.map(|(_, f)| f),
        };
        let inline_part = Pointer::root().key("tenant");
        out.extend(
            findings
                .iter()
                // The shared file's own findings were reported once, when it was read.
                .filter(|f| f.location.pointer.starts_with(&inline_part))
                .map(|f| place_finding_in(run, f, file, inventory_file, requests)),
        );
        inline = resolved;
        (Some(&inline), inventory_file)
    } else {
        let inventory_file = |file| InventoryFile { file, shared: None };
        match inventory {
            Ok(Some(r)) => (tenants.get(r.tenant), inventory_file(r.file)),
            // No inventory, or one that cannot be read (reported where it is named): the
            // request-only rules still run.
            Ok(None) | Err(_) => (None, inventory_file(file)),
        }
    };
    for request in requests {
        for f in &engine.validate_with(tenant, request, policy) {
            out.push(place_finding_in(run, f, file, inventory_file, requests));
        }
    }
    let explained = if explain {
        unjudged::explain(engine, run, file, inventory_file, tenant, requests, policy)
    } else {
        unjudged::Explained::default()
    };
    let seen = observe(Seen {
        run,
        file,
        description: &read.description,
        tenant,
        tenant_file: tenant.map(|_| inventory_file.file),
        engine,
    });
    (out, explained, seen)
}

/// Where the inventory findings of one description go: its inventory's file, and for an
/// inline `tenant:` merged with a shared inventory, the shared file for entities read from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InventoryFile {
    /// The file of the inventory (the description itself for an inline `tenant:`).
    file: usize,
    /// The shared inventory merged into an inline `tenant:`, if any.
    shared: Option<usize>,
}

impl InventoryFile {
    /// The file a pointer into the (merged) inventory names: inline entities are read at
    /// `/tenant/…` pointers, shared ones at their own file's pointers.
    pub(crate) fn of(self, pointer: &Pointer) -> usize {
        match self.shared {
            Some(shared) if !pointer.starts_with(&Pointer::root().key("tenant")) => shared,
            _ => self.file,
        }
    }
}

/// Places a core finding in its file.
fn place_finding(
    run: &Run,
    f: &Finding,
    request_file: usize,
    inventory_file: usize,
    requests: &[TokenRequest],
) -> Diagnostic {
    let inventory_file = InventoryFile {
        file: inventory_file,
        shared: None,
    };
    place_finding_in(run, f, request_file, inventory_file, requests)
}

/// Places a core finding in its file, inventory findings by [`InventoryFile::of`].
pub(crate) fn place_finding_in(
    run: &Run,
    f: &Finding,
    request_file: usize,
    inventory_file: InventoryFile,
    requests: &[TokenRequest],
) -> Diagnostic {
    let file_of = |location: &embedguard_core::Location| {
        if location.origin == Origin::Request {
            request_file
        } else {
            inventory_file.of(&location.pointer)
        }
    };
    let file = file_of(&f.location);
    let span = run.files[file].locate(&f.location.pointer, f.location.target);
    let related = f
        .related
        .iter()
        .map(|r| {
            let rf = file_of(&r.location);
            Secondary {
                file: rf,
                span: run.files[rf].locate(&r.location.pointer, r.location.target),
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
    let mut d = place(
        run,
        file,
        f.rule,
        f.severity,
        f.message.clone(),
        f.help.clone(),
        span,
    );
    d.pointer = f.location.pointer.to_string();
    d.request = request;
    d.related = related;
    d
}

/// The key under which a file is known once, however it is named.
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Target files are processed this many at a time: parsed trees are dropped after each chunk,
/// so memory stays bounded by the chunk, not by the size of the tree being checked.
const CHUNK: usize = 512;

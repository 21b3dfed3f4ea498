//! embedguard-cli: the front end of embedguard — spanned YAML/JSON parsing, placing findings at
//! line and column, rendering them (human, JSON, short, GitHub annotations, SARIF), and the
//! command line. No rule logic lives here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod args;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod explain;
pub mod output;
pub mod report;
pub mod schema;
#[cfg(feature = "gateway")]
pub mod serve;
pub use embedguard_source as source;
pub mod suppress;
#[cfg(feature = "executor")]
pub mod token;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use embedguard_core::{Engine, Rule, Severity};

use args::{CheckFormat, Cli, Command, Deny, ListFormat, ReportArgs, SchemaFile};

/// Runs the command line; returns the process exit code (SPEC §2: 0, 1 or 2).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let engine = match Engine::new() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("error: embedguard's built-in rule data is broken: {e}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let (text, code) = match cli.command {
        Command::Check(args) => {
            let run = check::run(&args, &engine);
            let text = match args.format {
                CheckFormat::Json => output::json::render(&run) + "\n",
                CheckFormat::Sarif => output::sarif::render(&run) + "\n",
                CheckFormat::Short => output::short::render(&run),
                CheckFormat::Github => output::github::render(&run),
                CheckFormat::Human => {
                    let color =
                        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                    output::human::render(&run, color)
                }
            };
            let failed = run.count(Severity::Error) > 0
                || (args.deny == Some(Deny::Warnings) && run.count(Severity::Warning) > 0);
            let code = if run.input_failed {
                2
            } else {
                u8::from(failed)
            };
            (text, code)
        }
        Command::Explain { rule } => match explain::explain(&rule.join(" ")) {
            Ok(text) => (text, 0),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        },
        #[cfg(feature = "executor")]
        Command::Token(args) => {
            let outcome = token::run(&args, &engine);
            let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
            (outcome.stdout, outcome.code)
        }
        Command::Report(args) => return report_command(&args, &engine),
        #[cfg(feature = "gateway")]
        Command::Serve(args) => return serve::run(&args, engine),
        Command::Rules { format } => (rules_list(format), 0),
        Command::Schema { kind } => {
            let kind = match kind {
                SchemaFile::Description => schema::SchemaKind::Description,
                SchemaFile::Inventory => schema::SchemaKind::Inventory,
            };
            (schema::schema_text(kind).to_string(), 0)
        }
    };
    // A closed pipe (`embedguard rules | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    ExitCode::from(code)
}

/// `embedguard report`: writes the report to `-o OUT`. Exit code 0 once written, even with
/// findings (they are the report's content); 2 when it cannot be written, the date is malformed,
/// or some input named on the command line could not be read (the report is still written, and
/// lists the problem).
fn report_command(args: &ReportArgs, engine: &Engine) -> ExitCode {
    let generated_at = match &args.generated_at {
        Some(date) if report::valid_date(date) => date.clone(),
        Some(date) => {
            eprintln!(
                "error: --generated-at `{date}`: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"
            );
            return ExitCode::from(2);
        }
        None => report::now_utc(),
    };
    let Some(format) = args.format() else {
        eprintln!(
            "error: say --format html|md|json (`{}` has no extension that names one)",
            args.output.display()
        );
        return ExitCode::from(2);
    };
    let (built, run) = report::build(args, engine, generated_at);
    let text = match report::render(&built, format) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(&args.output, text) {
        eprintln!("error: cannot write `{}`: {e}", args.output.display());
        return ExitCode::from(2);
    }
    for e in &run.errors {
        eprintln!("error: {e}");
    }
    let s = &built.summary;
    eprintln!(
        "wrote {}: {} files, {} requests, {} errors, {} warnings",
        args.output.display(),
        s.files,
        s.requests,
        s.errors,
        s.warnings
    );
    ExitCode::from(if run.errors.is_empty() { 0 } else { 2 })
}

fn rules_list(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = Rule::all()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code, "name": m.name, "severity": m.severity,
                        "summary": m.summary, "facts": m.facts, "source": m.source,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Human => Rule::all()
            .map(|r| {
                let m = r.meta();
                format!(
                    "{}  {:<32} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.severity.to_string(),
                    m.summary
                )
            })
            .collect(),
    }
}

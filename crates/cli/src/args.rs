//! The command line (SPEC §2).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Lint Power BI GenerateToken (embed-token) requests before Power BI sees them.
#[derive(Debug, Parser)]
#[command(name = "embedguard", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint request description files (directories are walked for *.yaml, *.yml, *.json).
    Check(CheckArgs),
    /// Print a rule's documentation, like `rustc --explain`; given an error message Power BI
    /// returned, name the rules whose pages quote that answer and print the best one.
    Explain {
        /// A rule code (`EG301`), a name (`rls-identity-required`), or a pasted Power BI error
        /// message (quoted, or as several words).
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        rule: Vec<String>,
    },
    /// Print the JSON Schema of description or inventory files (for editors:
    /// `# yaml-language-server: $schema=...`).
    Schema {
        /// Which file kind.
        #[arg(value_enum, default_value_t = SchemaFile::Description)]
        kind: SchemaFile,
    },
    /// Write the auditor's compliance report: every request, its caller, rights and RLS
    /// coverage, its findings with their sources, the tenant, and charts.
    Report(ReportArgs),
    /// Lint one request and, only if it is clean, call Power BI's GenerateToken with it.
    ///
    /// Prints the EmbedToken JSON (`token`, `tokenId`, `expiration`). Sign-in comes from
    /// EMBEDGUARD_TENANT_ID, EMBEDGUARD_CLIENT_ID and one of EMBEDGUARD_CLIENT_SECRET,
    /// EMBEDGUARD_CERTIFICATE (a PEM file: key and certificate), or EMBEDGUARD_USERNAME and
    /// EMBEDGUARD_PASSWORD (master user) — or the same NAME=VALUE lines in `--credentials FILE`.
    /// Exit codes: 0 token printed, 1 error-level finding (nothing sent), 2 unusable input,
    /// arguments or credentials (nothing sent), 3 Entra or Power BI refused or did not answer.
    #[cfg(feature = "executor")]
    Token(TokenArgs),
    /// Run the gateway: decide, proxy and Envoy ext_authz over HTTP, failing closed.
    ///
    /// `POST /v1/decide` answers `{"allow", "diagnostics"}` for one request written as in a
    /// description file; `/v1.0/myorg/…/GenerateToken` is a proxy that forwards clean requests to
    /// `--upstream` and answers 403 (application/problem+json) for the rest; the same check sits
    /// under `--ext-authz-prefix` for Envoy; `/healthz` and `/metrics` (Prometheus). The inventory
    /// is reloaded when the file changes or on SIGHUP; one that does not load is rejected and the
    /// old one keeps serving. Logs are JSON lines on stderr, without tokens or bodies.
    #[cfg(feature = "gateway")]
    Serve(ServeArgs),
    /// List every rule: code, name, severity, summary, source.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
}

/// What the commands that read description files (`check`, `report`, `token`) read beside
/// them: the shared inventory and the configuration.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputOptions {
    /// Shared tenant facts, for every file that names no `inventory:`; under an inline `tenant:`
    /// they complete its facts, overriding none.
    #[arg(long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
    /// Use this configuration file for every file instead of the nearest `embedguard.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Read no `embedguard.toml`: every rule, default severities.
    #[arg(long)]
    pub isolated: bool,
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The inventory and the configuration.
    #[command(flatten)]
    pub inputs: InputOptions,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// `--deny warnings`: warnings make the exit code 1.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Only these rules (codes, code prefixes like `EG3`, names, or `ALL`), replacing the
    /// configuration's `select`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules not to report, added to the configuration's `ignore`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Also list the rules that could not judge a request because the inventory leaves out a
    /// fact they need, with the fact and what they would report (slower: each request is
    /// judged again under assumed values). Never changes the exit code.
    #[arg(long)]
    pub explain_skips: bool,
}

impl CheckArgs {
    /// `check` of `paths` with `inputs`, everything else at its default: what `report` and
    /// `token` run first, so their findings are `check`'s.
    pub fn of(paths: Vec<PathBuf>, inputs: &InputOptions, format: CheckFormat) -> Self {
        CheckArgs {
            paths,
            inputs: inputs.clone(),
            format,
            deny: None,
            select: None,
            ignore: Vec::new(),
            explain_skips: false,
        }
    }
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files or directories to report on, as for `check` (its configuration applies too).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The inventory and the configuration.
    #[command(flatten)]
    pub inputs: InputOptions,
    /// Report format (default: from the extension of OUT: `.html`/`.htm`, `.md`, `.json`).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Where to write the report.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Also list, under each request, the rules that could not judge it because the inventory
    /// leaves out a fact they need (as `check --explain-skips`).
    #[arg(long)]
    pub explain_skips: bool,
    /// The date the report states (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`; default: now, UTC).
    /// Fixing it makes the report byte-identical for the same inputs, so two quarters diff.
    #[arg(long, value_name = "DATE")]
    pub generated_at: Option<String>,
}

impl ReportArgs {
    /// The same inputs as `check` arguments, so the report's numbers are `check`'s.
    pub fn to_check(&self) -> CheckArgs {
        CheckArgs {
            explain_skips: self.explain_skips,
            ..CheckArgs::of(self.paths.clone(), &self.inputs, CheckFormat::Json)
        }
    }

    /// `--format`, or the format OUT's extension names.
    pub fn format(&self) -> Option<ReportFormat> {
        self.format.or_else(|| {
            let ext = self.output.extension()?.to_str()?.to_ascii_lowercase();
            match ext.as_str() {
                "html" | "htm" => Some(ReportFormat::Html),
                "md" | "markdown" => Some(ReportFormat::Md),
                "json" => Some(ReportFormat::Json),
                _ => None,
            }
        })
    }
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file (inline CSS and SVG, no script).
    Html,
    /// Markdown, for pull requests and wikis.
    Md,
    /// JSON for GRC tools (`schemas/report.schema.json`).
    Json,
}

/// Arguments of `serve`.
#[cfg(feature = "gateway")]
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The tenant facts every request is judged against (reloaded when it changes).
    #[arg(long, value_name = "FILE")]
    pub inventory: PathBuf,
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Where the proxy forwards clean requests (scheme and host).
    #[arg(long, value_name = "URL", default_value = "https://api.powerbi.com")]
    pub upstream: String,
    /// Take the caller (a principal's name or object id) from this header, set by an
    /// authenticating proxy in front of the gateway, instead of the bearer token's `oid`/`upn`.
    #[arg(long, value_name = "NAME")]
    pub caller_header: Option<String>,
    /// The path prefix of the Envoy ext_authz HTTP service.
    #[arg(long, value_name = "PATH", default_value = "/ext_authz")]
    pub ext_authz_prefix: String,
    /// The organisation's policy (`[policy]` of an `embedguard.toml`); none by default.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Largest request body, in bytes (larger: 413, never parsed).
    #[arg(long, value_name = "BYTES", default_value_t = 262_144)]
    pub max_body_bytes: usize,
    /// Largest total size of a request's header names and values, in bytes (larger: 431).
    #[arg(long, value_name = "BYTES", default_value_t = 32_768)]
    pub max_header_bytes: usize,
    /// Seconds to receive a request's headers (else the connection is closed; an idle
    /// kept-alive connection too), and again its body (else it is denied).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub request_timeout: f64,
    /// Seconds to wait for the upstream's answer before answering 504.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = seconds)]
    pub upstream_timeout: f64,
    /// Most connections served at once; more wait in the kernel's backlog.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,
    /// Seconds between checks of the inventory file for changes.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = seconds)]
    pub reload_interval: f64,
    /// Turn the JSON log lines off.
    #[arg(long)]
    pub quiet: bool,
}

/// Arguments of `token`.
#[cfg(feature = "executor")]
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The description file.
    pub file: PathBuf,
    /// The request's `name` (`requests[N]` for an unnamed one).
    #[arg(long, value_name = "NAME")]
    pub request: String,
    /// Lint, then print the call that would be sent (method, URL, headers, body); send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A value for a placeholder of the body or headers: `--var user.email=alice@contoso.com`
    /// fills `${user.email}` (or `{{ user.email }}`). Repeatable; every placeholder needs one.
    #[arg(long, value_name = "NAME=VALUE")]
    pub var: Vec<String>,
    /// Read the sign-in from this file of NAME=VALUE lines instead of the environment.
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// The Power BI cloud (default: the cloud of the request's `url`, else public).
    #[arg(long, value_enum)]
    pub cloud: Option<CloudName>,
    /// The REST API root instead of the cloud's (`https://api.powerbi.com`).
    #[arg(long, value_name = "URL")]
    pub api_root: Option<String>,
    /// The Entra authority instead of the cloud's (`https://login.microsoftonline.com`).
    #[arg(long, value_name = "URL")]
    pub authority: Option<String>,
    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub connect_timeout: f64,
    /// Seconds one attempt may take in all.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = seconds)]
    pub timeout: f64,
    /// Retries on 429 and 503 (exponential backoff with jitter, honouring Retry-After).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// The longest wait before a retry, Retry-After included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = seconds)]
    pub max_retry_wait: f64,
    /// The inventory and the configuration.
    #[command(flatten)]
    pub inputs: InputOptions,
}

/// A number of seconds: positive, at most a day.
#[cfg(feature = "executor")]
fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of seconds above 0 and at most 86400"
        )),
    }
}

/// The Power BI clouds (facts F56).
#[cfg(feature = "executor")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CloudName {
    /// api.powerbi.com
    Public,
    /// US Government Community Cloud, api.powerbigov.us
    Gcc,
    /// US GCC High, api.high.powerbigov.us
    GccHigh,
    /// US DoD, api.mil.powerbigov.us
    Dod,
    /// China (21Vianet), api.powerbi.cn
    China,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style diagnostics.
    Human,
    /// The stable JSON contract of SPEC §2.1.
    Json,
    /// One line per diagnostic, `file:line:col: CODE message`, for grep and editors.
    Short,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`): annotations on the pull request.
    Github,
}

/// The file kinds `schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFile {
    /// Request description files.
    Description,
    /// Inventory (tenant facts) files.
    Inventory,
}

/// Output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// JSON.
    Json,
}

/// What `--deny` can turn into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the run.
    Warnings,
}

//! `embedguard token`: lint one request exactly as `check` does and, only when no error-level
//! finding is left, sign in to Microsoft Entra and call Power BI's GenerateToken with it.
//!
//! Exit codes: `0` the `EmbedToken` JSON is on standard output; `1` the lint found an
//! error-level problem and nothing was sent; `2` the input, the arguments or the credentials
//! could not be used (nothing sent); `3` Entra or Power BI refused, or did not answer in time.

mod caller;

use std::io::IsTerminal;
use std::time::Duration;

use embedguard_core::endpoint::{Cloud, Route};
use embedguard_core::request::TokenRequest;
use embedguard_core::value::Value;
use embedguard_core::{Engine, Severity};
use embedguard_executor::{
    CloudEndpoints, Credentials, Executor, ExecutorError, GenerateTokenCall, HttpConfig,
    RetryPolicy, Secret, Service,
};
use miette::{GraphicalReportHandler, GraphicalTheme, MietteDiagnostic};

use crate::args::{CheckArgs, CheckFormat, CloudName, TokenArgs};
use crate::check;
use crate::explain::matching_rules;
use crate::output;
use crate::source::{self, Format};

/// What `token` prints and the exit code.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Standard output: the `EmbedToken` JSON, or the planned call under `--dry-run`.
    pub stdout: String,
    /// Standard error: diagnostics and errors.
    pub stderr: String,
    /// The exit code.
    pub code: u8,
}

impl Outcome {
    fn fail(code: u8, stderr: String) -> Self {
        Outcome {
            stdout: String::new(),
            stderr,
            code,
        }
    }
}

/// Runs `token` as asked.
pub fn run(args: &TokenArgs, engine: &Engine) -> Outcome {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // 1. The lint, exactly as `check` runs it on this one file.
    let check_args = CheckArgs::of(vec![args.file.clone()], &args.inputs, CheckFormat::Human);
    let (mut lint, judged_as) = check::run_observed(&check_args, engine, &|seen| {
        caller::judged_as(seen, &args.request)
    });
    let judged_as = judged_as.into_iter().flatten().next();
    if lint.input_failed {
        return Outcome::fail(2, output::human::render(&lint, color));
    }
    // 2. The request, read again from the file (the lint drops its trees once placed).
    let request = match find_request(args, engine) {
        Ok(r) => r,
        Err(message) => return Outcome::fail(2, format!("error: {message}\n")),
    };
    // Findings about this request, or about the file and its tenant as a whole.
    lint.diagnostics
        .retain(|d| d.request.as_deref().is_none_or(|r| r == args.request));
    lint.requests = 1;
    let mut stderr = String::new();
    if lint.count(Severity::Error) > 0 {
        stderr.push_str(&output::human::render(&lint, color));
        stderr.push_str(&format!(
            "error: request `{}` has error-level findings: nothing was sent to Power BI\n",
            args.request
        ));
        return Outcome::fail(1, stderr);
    }
    if !lint.diagnostics.is_empty() {
        stderr.push_str(&output::human::render(&lint, color));
    }
    // 3. The call.
    let (Some(route), Some(path)) = (request.route, request.path) else {
        return Outcome::fail(
            2,
            stderr
                + &format!(
                    "error: request `{}` is not a GenerateToken call\n",
                    args.request
                ),
        );
    };
    let endpoints = match endpoints(args, &route) {
        Ok(e) => e,
        Err(message) => return Outcome::fail(2, stderr + &format!("error: {message}\n")),
    };
    let vars = match parse_vars(&args.var) {
        Ok(v) => v,
        Err(message) => return Outcome::fail(2, stderr + &format!("error: {message}\n")),
    };
    let mut unresolved = Vec::new();
    let body = request.body.as_ref().map_or_else(
        || Value::Object(Vec::new()),
        |b| substitute_value(b, &vars, &mut unresolved),
    );
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), substitute(value, &vars, &mut unresolved)))
        .collect();
    let call = GenerateTokenCall::new(&endpoints, &path, headers, body.to_json_text())
        .with_sensitive(vars.iter().map(|(_, value)| Secret::new(value.clone())));
    unresolved.sort();
    unresolved.dedup();
    if args.dry_run {
        if !unresolved.is_empty() {
            stderr.push_str(&format!(
                "note: placeholders with no `--var` are shown as written: {}\n",
                quoted(&unresolved)
            ));
        }
        return Outcome {
            stdout: planned(&call, &endpoints, &body, judged_as.as_ref()),
            stderr,
            code: 0,
        };
    }
    if !unresolved.is_empty() {
        stderr.push_str(&format!(
            "error: request `{}` has placeholders with no value: {}\n  help: pass each as \
             `--var NAME=VALUE`; nothing was sent to Power BI\n",
            args.request,
            quoted(&unresolved)
        ));
        return Outcome::fail(2, stderr);
    }
    let credentials = match &args.credentials {
        Some(path) => Credentials::from_file(path),
        None => Credentials::from_env(),
    };
    let credentials = match credentials {
        Ok(c) => c,
        Err(e) => {
            stderr.push_str(&format!(
                "error: credentials: {e}\n  help: `embedguard token --help` lists the variables; \
                 a description file never holds them (EG501)\n"
            ));
            return Outcome::fail(2, stderr);
        }
    };
    match &judged_as {
        Some(caller) => {
            if let Some(why) = caller::mismatch(&credentials, caller) {
                stderr.push_str(&format!(
                    "error: {why}\n  help: sign in as the request's `caller`, or name the \
                     principal that signs in as its `caller`; nothing was sent to Power BI\n"
                ));
                return Outcome::fail(2, stderr);
            }
        }
        None => stderr.push_str(
            "note: no inventory describes the request's caller, so the credentials were not \
             matched to it\n",
        ),
    }
    let config = HttpConfig {
        connect_timeout: seconds(args.connect_timeout),
        timeout: seconds(args.timeout),
        retry: RetryPolicy {
            max_retries: args.retries,
            max_delay: seconds(args.max_retry_wait),
            ..RetryPolicy::default()
        },
    };
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| {
            let executor =
                Executor::new(credentials, endpoints, config).map_err(|e| e.to_string())?;
            Ok(runtime.block_on(executor.generate_token(&call)))
        });
    match result {
        Ok(Ok(token)) => Outcome {
            stdout: serde_json::to_string_pretty(&token.to_json()).unwrap_or_default() + "\n",
            stderr,
            code: 0,
        },
        Ok(Err(e)) => {
            stderr.push_str(&render_failure(&e, color));
            Outcome::fail(3, stderr)
        }
        Err(e) => Outcome::fail(2, stderr + &format!("error: {e}\n")),
    }
}

/// The parts of the named request the call needs (no route or path: not a GenerateToken call,
/// which the lint reports).
struct Request {
    route: Option<Route>,
    path: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

/// Finds `--request` in the file (by `name`, or `requests[N]` for an unnamed one).
fn find_request(args: &TokenArgs, engine: &Engine) -> Result<Request, String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("`{}`: {e}", args.file.display()))?;
    let doc = source::parse(&bytes, Format::from_path(&args.file)).map_err(|e| e.message)?;
    let read = engine.read_description(&doc.value);
    let requests = &read.description.requests;
    let named: Vec<&TokenRequest> = requests.iter().filter(|r| r.name == args.request).collect();
    let request = match named.as_slice() {
        [one] => *one,
        [] => {
            let names: Vec<String> = requests.iter().map(|r| r.name.clone()).collect();
            return Err(format!(
                "no request `{}` in `{}`; it has {}",
                args.request,
                args.file.display(),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    quoted(&names)
                }
            ));
        }
        _ => {
            return Err(format!(
                "{} requests are named `{}` in `{}`: give them distinct names",
                named.len(),
                args.request,
                args.file.display()
            ))
        }
    };
    let route = request
        .route
        .clone()
        .filter(|r| matches!(r, Route::Endpoint { .. }));
    Ok(Request {
        route,
        path: request.target.get().map(|t| path_of(t)),
        headers: request
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.value.clone()))
            .collect(),
        body: request
            .body_pointer
            .as_ref()
            .and_then(|p| p.resolve(&doc.value))
            .cloned(),
    })
}

/// The path of a `path:` or `url:` (scheme and host dropped, query and fragment too).
fn path_of(target: &str) -> String {
    let t = target.trim();
    let lower = t.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") || lower.starts_with("http://") {
        let after = &t[t.find("//").map_or(0, |i| i + 2)..];
        &after[after.find('/').unwrap_or(after.len())..]
    } else {
        t
    };
    rest[..rest.find(['?', '#']).unwrap_or(rest.len())].to_string()
}

/// The cloud's endpoints: `--cloud`, else the cloud of a `url:`, else public; then the
/// overrides.
fn endpoints(args: &TokenArgs, route: &Route) -> Result<CloudEndpoints, String> {
    let from_url = match route {
        Route::Endpoint { cloud, .. } => *cloud,
        _ => None,
    };
    let flag = args.cloud.map(|c| match c {
        CloudName::Public => Cloud::Public,
        CloudName::Gcc => Cloud::UsGov,
        CloudName::GccHigh => Cloud::UsGovHigh,
        CloudName::Dod => Cloud::UsGovMil,
        CloudName::China => Cloud::China,
    });
    let cloud = match (flag, from_url) {
        (Some(f), Some(u)) if f != u => {
            return Err(format!(
                "`--cloud` says the {f} cloud, but the request's `url` is on the {u} cloud"
            ))
        }
        (f, u) => f.or(u).unwrap_or(Cloud::Public),
    };
    Ok(CloudEndpoints::of(cloud)
        .with_overrides(args.api_root.as_deref(), args.authority.as_deref()))
}

/// `--var NAME=VALUE` pairs.
fn parse_vars(vars: &[String]) -> Result<Vec<(String, String)>, String> {
    vars.iter()
        .map(|v| match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(format!(
                "`--var` takes `NAME=VALUE`, got `{}`",
                v.chars().take(40).collect::<String>()
            )),
        })
        .collect()
}

/// `s` with each `${name}` and `{{ name }}` replaced by its `--var`; names with no value are
/// left as written and added to `unresolved`.
fn substitute(s: &str, vars: &[(String, String)], unresolved: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for p in embedguard_core::ids::placeholders(s) {
        out.push_str(&s[at..p.range.start]);
        match vars.iter().rev().find(|(n, _)| n == p.name) {
            Some((_, value)) => out.push_str(value),
            None => {
                unresolved.push(p.name.to_string());
                out.push_str(&s[p.range.clone()]);
            }
        }
        at = p.range.end;
    }
    out.push_str(&s[at..]);
    out
}

/// A body with its placeholders substituted.
fn substitute_value(v: &Value, vars: &[(String, String)], unresolved: &mut Vec<String>) -> Value {
    match v {
        Value::String(s) => Value::String(substitute(s, vars, unresolved)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute_value(i, vars, unresolved))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|m| embedguard_core::value::Member {
                    key: m.key.clone(),
                    value: substitute_value(&m.value, vars, unresolved),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(Duration::MAX)
}

/// Headers as a JSON object, in the order they are sent.
struct Headers<'a>(Vec<(&'a str, &'a str)>);

impl serde::Serialize for Headers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// `--dry-run`: the call as it would be sent (the access token elided).
fn planned(
    call: &GenerateTokenCall,
    endpoints: &CloudEndpoints,
    body: &Value,
    caller: Option<&caller::Caller>,
) -> String {
    #[derive(serde::Serialize)]
    struct Plan<'a> {
        /// Who the request was checked as, whom the credentials must sign in as.
        #[serde(skip_serializing_if = "Option::is_none")]
        caller: Option<&'a caller::Caller>,
        method: &'a str,
        url: &'a str,
        headers: Headers<'a>,
        body: &'a Value,
        authority: &'a str,
        scope: &'a str,
    }
    let mut headers = vec![
        ("Authorization", "Bearer …"),
        ("Content-Type", "application/json"),
    ];
    headers.extend(call.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let plan = Plan {
        caller,
        method: call.method(),
        url: &call.url,
        headers: Headers(headers),
        body,
        authority: &endpoints.authority,
        scope: &endpoints.scope,
    };
    serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n"
}

/// A failed call as a diagnostic: what the service said, the request id to quote to support,
/// and — for a Power BI refusal — the embedguard rule whose page quotes that answer.
fn render_failure(e: &ExecutorError, color: bool) -> String {
    let mut notes: Vec<String> = Vec::new();
    let mut code = None;
    let mut help = None;
    let mut url = None;
    match e {
        ExecutorError::PowerBi {
            message,
            code: error_code,
            error_info,
            ..
        } => {
            let said = [message, error_info, error_code]
                .into_iter()
                .flatten()
                .find_map(|text| {
                    let m = matching_rules(text);
                    (!m.is_empty()).then_some(m)
                });
            match said {
                Some(matches) => {
                    let best = matches[0].rule.meta();
                    code = Some(best.code.to_string());
                    url = Some(best.source.to_string());
                    let names: Vec<String> = matches
                        .iter()
                        .map(|m| format!("{} {}", m.rule.code(), m.rule.name()))
                        .collect();
                    help = Some(format!(
                        "{} would have caught this before Power BI did: {}; state the facts it \
                         needs in the inventory so `embedguard check` sees it \
                         (`embedguard explain {}`)",
                        names.join(", "),
                        best.summary,
                        best.code
                    ));
                }
                None => {
                    help = Some(
                        "no embedguard rule's page quotes this answer; `embedguard explain` \
                         with the message searches them"
                            .to_string(),
                    )
                }
            }
            if let Some(info) = error_info {
                notes.push(format!("X-PowerBI-Error-Info: {info}"));
            }
        }
        ExecutorError::SignIn { correlation_id, .. } => {
            help = Some(
                "check the tenant id, the client id and the secret, certificate or password \
                 (`embedguard token --help` lists the variables)"
                    .to_string(),
            );
            if let Some(c) = correlation_id {
                notes.push(format!("Correlation ID: {c}"));
            }
        }
        ExecutorError::Transport { service, .. } => {
            help = Some(match service {
                Service::Entra => "check `--authority` and the network; `--timeout` and \
                                   `--connect-timeout` bound each attempt"
                    .to_string(),
                Service::PowerBi => "check `--api-root` and the network; `--timeout` and \
                                     `--connect-timeout` bound each attempt"
                    .to_string(),
            });
        }
        ExecutorError::InvalidResponse { .. } | ExecutorError::Credentials(_) => {}
    }
    if let Some(id) = e.request_id() {
        notes.push(format!("RequestId: {id} (quote it to Microsoft support)"));
    }
    let help = match (help, notes.is_empty()) {
        (Some(h), false) => Some(format!("{h}\n{}", notes.join("\n"))),
        (None, false) => Some(notes.join("\n")),
        (h, true) => h,
    };
    let mut d = MietteDiagnostic::new(e.to_string()).with_severity(miette::Severity::Error);
    if let Some(c) = code {
        d = d.with_code(c);
    }
    if let Some(h) = help {
        d = d.with_help(h);
    }
    if let Some(u) = url {
        d = d.with_url(u);
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    if handler.render_report(&mut out, &d).is_err() {
        out = format!("error: {e}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_substituted_or_reported() {
        let vars = vec![("user.email".to_string(), "alice@contoso.com".to_string())];
        let mut missing = Vec::new();
        assert_eq!(
            substitute("${user.email}/{{ tenant }}/${", &vars, &mut missing),
            "alice@contoso.com/{{ tenant }}/${"
        );
        assert_eq!(missing, vec!["tenant".to_string()]);
    }

    #[test]
    fn url_targets_become_paths() {
        assert_eq!(
            path_of("https://api.powerbigov.us/v1.0/myorg/GenerateToken?x=1"),
            "/v1.0/myorg/GenerateToken"
        );
        assert_eq!(
            path_of("/v1.0/myorg/GenerateToken"),
            "/v1.0/myorg/GenerateToken"
        );
    }

    #[test]
    fn vars_need_a_name() {
        assert!(parse_vars(&["=x".to_string()]).is_err());
        assert_eq!(
            parse_vars(&["a=b=c".to_string()]).expect("ok"),
            vec![("a".to_string(), "b=c".to_string())]
        );
    }
}

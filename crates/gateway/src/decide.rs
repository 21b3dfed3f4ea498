//! One wire request to allow or deny: the same reading and the same rules as `embedguard check`,
//! against the tenant currently loaded.

use std::sync::Arc;

use arc_swap::ArcSwapOption;

use embedguard_core::finding::{Finding, Origin};
use embedguard_core::inventory::Tenant;
use embedguard_core::policy::Policy;
use embedguard_core::read::Diagnostics;
use embedguard_core::request::{read_request, read_wire_request, TokenRequest, WireParts};
use embedguard_core::value::{Pointer, Value};
use embedguard_core::{Engine, Rule, Severity};
use embedguard_source::{Format, LineIndex, SyntaxError, MAX_FILE_BYTES};
use serde::Serialize;

/// Why the gateway itself denied a request, when no rule of the catalogue is the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller could not be identified (no bearer token, no usable claim, no configured
    /// header, or an identity the inventory does not know).
    UnidentifiedCaller,
    /// Envoy sent only part of the body (`x-envoy-auth-partial-body: true`).
    PartialBody,
    /// The body is larger than the configured limit.
    BodyTooLarge,
    /// The headers are larger than the configured limit.
    HeadersTooLarge,
    /// A header value that is not visible ASCII, which the rules could not read as Power BI
    /// does.
    UnreadableHeader,
    /// The request could not be read within the per-request timeout.
    Timeout,
    /// Something inside the gateway failed; denied rather than forwarded.
    InternalError,
}

impl Refusal {
    /// The kebab-case name shown as the diagnostic's `name` (its `code` is `gateway`).
    pub fn name(self) -> &'static str {
        match self {
            Refusal::UnidentifiedCaller => "unidentified-caller",
            Refusal::PartialBody => "partial-body",
            Refusal::BodyTooLarge => "body-too-large",
            Refusal::HeadersTooLarge => "headers-too-large",
            Refusal::UnreadableHeader => "unreadable-header",
            Refusal::Timeout => "timeout",
            Refusal::InternalError => "internal-error",
        }
    }
}

/// The `code` of a diagnostic that is a [`Refusal`] rather than a rule's finding.
pub const GATEWAY_CODE: &str = "gateway";

/// One diagnostic in the SPEC §2.1 shape, its pointer into the submitted request (`/body/…`,
/// `/headers/…`, `/caller`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Rule code (`EG301`), or `gateway` for a [`Refusal`].
    pub code: &'static str,
    /// Rule name (`rls-identity-required`), or the refusal's name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// RFC 6901 pointer into the submitted request.
    pub pointer: String,
    /// 1-based line in the submitted JSON, for a body that could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in the submitted JSON, for a body that could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The request's label (`name`, default `requests[0]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The concrete fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The documentation behind the verdict (empty for a refusal).
    pub source: &'static str,
}

impl Diagnostic {
    /// A rule's finding.
    fn from_finding(f: &Finding, request: Option<&str>) -> Self {
        Diagnostic {
            code: f.rule.code(),
            name: f.rule.name(),
            severity: f.severity,
            message: f.message.clone(),
            pointer: f.location.pointer.to_string(),
            line: None,
            column: None,
            request: request.map(str::to_string),
            help: f.help.clone(),
            source: f.rule.meta().source,
        }
    }

    /// The gateway's own refusal.
    pub fn refusal(refusal: Refusal, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            code: GATEWAY_CODE,
            name: refusal.name(),
            severity: Severity::Error,
            message: message.into(),
            pointer: pointer.to_string(),
            line: None,
            column: None,
            request: None,
            help: None,
            source: "",
        }
    }

    /// A body that is not JSON as Power BI would read it: EG001 at `pointer`, with the line and
    /// column in `text`.
    fn syntax(e: &SyntaxError, text: &[u8], pointer: &str) -> Self {
        let lines = LineIndex::new(&String::from_utf8_lossy(text));
        let (line, column) = lines.line_col(e.span.start);
        Diagnostic {
            code: Rule::SyntaxError.code(),
            name: Rule::SyntaxError.name(),
            severity: Severity::Error,
            message: e.message.clone(),
            pointer: pointer.to_string(),
            line: Some(line),
            column: Some(column),
            request: None,
            help: Some(e.help(Format::Json).to_string()),
            source: Rule::SyntaxError.meta().source,
        }
    }
}

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Whether the request may go to Power BI: no error-level diagnostic.
    pub allow: bool,
    /// Every diagnostic, errors first then by pointer.
    pub diagnostics: Vec<Diagnostic>,
}

impl Decision {
    /// A decision from its diagnostics: allowed when none is an error.
    pub fn from_diagnostics(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (a.severity, &a.pointer, a.code, &a.message)
                .cmp(&(b.severity, &b.pointer, b.code, &b.message))
        });
        let allow = !diagnostics.iter().any(|d| d.severity == Severity::Error);
        Decision { allow, diagnostics }
    }

    /// A denial for one of the gateway's own reasons.
    pub fn refused(refusal: Refusal, pointer: &str, message: impl Into<String>) -> Self {
        Decision::from_diagnostics(vec![Diagnostic::refusal(refusal, pointer, message)])
    }

    /// The error-level diagnostics' codes and names (for metrics and logs; never messages,
    /// which may quote the body).
    pub fn denying_rules(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                if d.code == GATEWAY_CODE {
                    d.name
                } else {
                    d.code
                }
            })
    }
}

/// A request as it arrives on the wire (SPEC §1.2.1), its caller already identified.
#[derive(Debug, Clone)]
pub struct WireRequest<'a> {
    /// The principal reference: a name or an object id from the inventory.
    pub caller: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The path (and query) as Power BI would receive it: `/v1.0/myorg/…/GenerateToken`.
    pub path: &'a str,
    /// The Power BI REST host it goes to, when known (`api.powerbigov.us`): the request is then
    /// judged as `https://{host}{path}`, its cloud included (EG408), and diagnostics about the
    /// endpoint point at `/url`. A host that is not a Power BI REST host is not passed.
    pub host: Option<&'a str>,
    /// The headers the rules should see, in the order received, repeated names kept.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body bytes.
    pub body: &'a [u8],
}

/// The engine and the tenant it judges against. Shared across threads; the tenant is swapped
/// atomically on reload, and a request in flight keeps the tenant it started with.
#[derive(Debug)]
pub struct Decider {
    engine: Engine,
    tenant: ArcSwapOption<Tenant>,
    policy: Policy,
}

impl Decider {
    /// A decider for `tenant` with the organisation's `policy` (EG9xx). Without a tenant only
    /// the rules that need no tenant facts speak, as in `check` without an inventory.
    pub fn new(engine: Engine, tenant: Option<Tenant>, policy: Policy) -> Self {
        Decider {
            engine,
            tenant: ArcSwapOption::new(tenant.map(Arc::new)),
            policy,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The tenant now in use.
    pub fn tenant(&self) -> Option<Arc<Tenant>> {
        self.tenant.load_full()
    }

    /// The tenant now in use, borrowed for one request: no reference count is touched, so
    /// threads deciding at once do not contend (see [`arc_swap`]).
    pub fn current_tenant(&self) -> impl std::ops::Deref<Target = Option<Arc<Tenant>>> {
        self.tenant.load()
    }

    /// Replaces the tenant; requests already being decided finish with the old one.
    pub fn swap_tenant(&self, tenant: Option<Tenant>) {
        self.tenant.store(tenant.map(Arc::new));
    }

    /// Decides one request written as in SPEC §1.2.1 (`caller`, `method`, `path` or `url`,
    /// `headers`, `body`), in strict JSON: the `POST /v1/decide` body.
    pub fn decide_description(&self, json: &[u8]) -> Decision {
        // What a gateway sends is exactly a wire request: read without the entry's outer tree.
        // Any other text is parsed whole; either way the findings are the same.
        let entry = embedguard_source::parse_json_wire_entry(json, MAX_FILE_BYTES);
        if let Some(parts) = entry.as_ref().and_then(|e| e.parts()) {
            let mut diags = Diagnostics::new(Origin::Request);
            let request = read_wire_request(parts, &mut diags);
            return self.judge(
                Some(request),
                diags.findings,
                self.current_tenant().as_deref(),
            );
        }
        match embedguard_source::parse_json_value(json, MAX_FILE_BYTES) {
            Ok(value) => self.decide_value(&value),
            Err(e) => Decision::from_diagnostics(vec![Diagnostic::syntax(&e, json, "")]),
        }
    }

    /// Decides a request as it arrives on the wire (the proxy, Envoy, the layer). The body is
    /// read with the same strict reader; the diagnostics point into the request as if it had been
    /// written for `/v1/decide` (`/body/identities/0`, `/headers/Content-Type`).
    pub fn decide_wire(&self, wire: &WireRequest<'_>) -> Decision {
        self.decide_wire_against(wire, self.current_tenant().as_deref())
    }

    /// [`Decider::decide_wire`] against `tenant`: the one the caller was identified in, so a
    /// reload between the two cannot mix tenants.
    pub fn decide_wire_against(&self, wire: &WireRequest<'_>, tenant: Option<&Tenant>) -> Decision {
        let body = if wire.body.is_empty() {
            None
        } else {
            match embedguard_source::parse_json_value(wire.body, MAX_FILE_BYTES) {
                Ok(value) => Some(value),
                Err(e) => {
                    return Decision::from_diagnostics(vec![Diagnostic::syntax(
                        &e, wire.body, "/body",
                    )])
                }
            }
        };
        let mut diags = Diagnostics::new(Origin::Request);
        let parts = WireParts {
            name: None,
            caller: wire.caller,
            method: Some(wire.method),
            path: wire.path,
            host: wire.host,
            headers: Some(&wire.headers),
            body: body.as_ref(),
        };
        let request = read_wire_request(parts, &mut diags);
        self.judge(Some(request), diags.findings, tenant)
    }

    /// Reads one request entry and runs every rule over it, as `check` does for one entry of a
    /// description file: reading findings, then the rules.
    ///
    /// The whole-document checks ([`embedguard_core::rules::DOCUMENT_CHECKS`]: EG501,
    /// secret-in-file) are not run, here or on the wire. They judge what is written in a
    /// committed file; a request in flight carries its credentials by design — an SSO
    /// identity's `identityBlob` *is* an access token — and denying it for that would refuse
    /// every such request.
    pub fn decide_value(&self, value: &Value) -> Decision {
        let mut diags = Diagnostics::new(Origin::Request);
        // An entry that is exactly a wire request (what a gateway sends) is read as one; any
        // other shape goes through the entry reader, which has a finding for each surprise.
        let mut headers = Vec::new();
        let request = match wire_shaped(value, &mut headers) {
            Some(parts) => Some(read_wire_request(parts, &mut diags)),
            None => read_request(value, Pointer::root(), 0, &mut diags),
        };
        self.judge(request, diags.findings, self.current_tenant().as_deref())
    }

    /// The decision on a request read with `findings`: those, then the rules' against `tenant`.
    fn judge(
        &self,
        request: Option<TokenRequest>,
        findings: Vec<Finding>,
        tenant: Option<&Tenant>,
    ) -> Decision {
        let name = request.as_ref().map(|r| r.name.as_str());
        let mut out: Vec<Diagnostic> = findings
            .iter()
            .map(|f| Diagnostic::from_finding(f, name))
            .collect();
        if let Some(request) = &request {
            for f in self.engine.validate_with(tenant, request, &self.policy) {
                out.push(Diagnostic::from_finding(&f, name));
            }
        }
        Decision::from_diagnostics(out)
    }
}

/// The parts of a request entry that only has `caller`, `path` and optionally `name`, `method`,
/// `headers` and `body`, each once and of the right type, with its headers in `headers`: such an
/// entry reads as that wire request, with the same findings at the same pointers, which the
/// gateway test checks on every fixture. `None` for any other entry.
fn wire_shaped<'v: 'h, 'h>(
    value: &'v Value,
    headers: &'h mut Vec<(&'v str, &'v str)>,
) -> Option<WireParts<'h>> {
    let members = value.as_object()?;
    let (mut name, mut caller, mut method, mut path, mut header_map, mut body) =
        (None, None, None, None, None, None);
    for m in members {
        let slot = match m.key.as_str() {
            "name" => &mut name,
            "caller" => &mut caller,
            "method" => &mut method,
            "path" => &mut path,
            "headers" => &mut header_map,
            "body" => &mut body,
            _ => return None,
        };
        if slot.replace(&m.value).is_some() {
            return None; // written twice: EG002 is the entry reader's
        }
    }
    for h in header_map.map_or(Some(&[][..]), Value::as_object)? {
        headers.push((h.key.as_str(), h.value.as_str()?));
    }
    let headers: &'h [(&'v str, &'v str)] = headers;
    let text = |field: Option<&'v Value>| match field {
        None => Some(None),
        Some(v) => v.as_str().map(Some),
    };
    Some(WireParts {
        name: text(name)?,
        caller: caller?.as_str()?,
        method: text(method)?,
        path: path?.as_str()?,
        host: None,
        headers: header_map.map(|_| headers),
        body,
    })
}

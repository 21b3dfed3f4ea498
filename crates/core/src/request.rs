//! Request descriptions (SPEC §1.1): the file users commit, and the token requests in it.

use crate::body::{read_v1, read_v2, Body};
use crate::endpoint::{route, EndpointKind, Route};
use crate::finding::Finding;
use crate::inventory::{Inventory, INVENTORY_KEYS};
use crate::read::{Diagnostics, Field, Located, ObjectReader, Spelled};
use crate::registry::Rule;
use crate::value::{Number, Pointer, Value};

/// Which embedding scenario the request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum Scenario {
    /// Embed for your customers ("app owns data") — the only one GenerateToken serves.
    #[strum(serialize = "embed_for_customers")]
    EmbedForCustomers,
    /// Embed for your organization ("user owns data").
    #[strum(serialize = "embed_for_organization")]
    EmbedForOrganization,
}

/// One HTTP header of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The name as written (compare ignoring case).
    pub name: String,
    /// The value.
    pub value: Located<String>,
    /// Its index among the members of the `headers` map (a name written twice shares one
    /// pointer; this tells the copies apart).
    pub member: usize,
}

/// One GenerateToken request as the app sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRequest {
    /// Where the request is (`/requests/0`).
    pub pointer: Pointer,
    /// Its label (`name`, or `requests[N]`).
    pub name: String,
    /// `caller`: a principal ref.
    pub caller: Field<String>,
    /// `scenario` (default: embed for customers).
    pub scenario: Field<Spelled<Scenario>>,
    /// `method` (default `POST`).
    pub method: Field<String>,
    /// `path` or `url`.
    pub target: Field<String>,
    /// What the method and path turned out to be (`None` when there was no usable path).
    pub route: Option<Route>,
    /// `headers`
    pub headers: Vec<Header>,
    /// Where the `headers` map is, when the request has one (a `headers` that is not a map is
    /// EG005, and counts as no headers).
    pub headers_pointer: Option<Pointer>,
    /// The typed body, when the endpoint is known and the body is an object.
    pub body: Option<Body>,
    /// Where the `body` member is, when present.
    pub body_pointer: Option<Pointer>,
}

impl TokenRequest {
    /// The endpoint kind, when the route is one of the six endpoints.
    pub fn endpoint_kind(&self) -> Option<EndpointKind> {
        match &self.route {
            Some(Route::Endpoint { endpoint, .. }) => Some(endpoint.kind()),
            _ => None,
        }
    }

    /// Where "something missing from the body" points: the body, or the request without one.
    pub fn body_or_request(&self) -> Pointer {
        self.body_pointer
            .clone()
            .unwrap_or_else(|| self.pointer.clone())
    }

    /// The header `name` (ignoring case), first occurrence.
    pub fn header(&self, name: &str) -> Option<&Header> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }
}

/// A description file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// `embedguard:` format version.
    pub version: Field<Number>,
    /// `inventory:` path to a shared inventory file.
    pub inventory_path: Field<String>,
    /// `tenant:` inline inventory, read.
    pub tenant: Option<Inventory>,
    /// The requests.
    pub requests: Vec<TokenRequest>,
}

/// The top-level keys of a description file.
pub const TOP_KEYS: &[&str] = &["embedguard", "inventory", "tenant", "requests"];
/// The keys of a request entry.
pub const REQUEST_KEYS: &[&str] = &[
    "name", "caller", "scenario", "method", "path", "url", "headers", "body",
];
/// The header that makes a service principal act as one of its profiles (F46).
pub const PROFILE_HEADER: &str = "X-PowerBI-Profile-Id";

/// The spellings of `scenario`.
pub const SCENARIOS: &[(&str, Scenario)] = &[
    ("embed_for_customers", Scenario::EmbedForCustomers),
    ("embed_for_organization", Scenario::EmbedForOrganization),
];

/// Whether a parsed document looks like an inventory file rather than a description file.
pub fn is_inventory_document(doc: &Value) -> bool {
    doc.as_object().is_some_and(|members| {
        !members.is_empty()
            && members
                .iter()
                .all(|m| INVENTORY_KEYS.contains(&m.key.as_str()))
    })
}

/// Whether a parsed document is a request description: an object with an `embedguard` or a
/// `requests` key. Other YAML and JSON files (CI workflows, `package.json`) are not embedguard's
/// to judge.
pub fn is_description_document(doc: &Value) -> bool {
    doc.as_object().is_some_and(|members| {
        members
            .iter()
            .any(|m| m.key == "embedguard" || m.key == "requests")
    })
}

/// Whether `at` is a profile header (any letter case) directly under `headers`.
fn is_profile_header(at: &Pointer, headers: &Pointer) -> bool {
    at.parent().as_ref() == Some(headers)
        && at
            .tokens()
            .last()
            .is_some_and(|t| t.eq_ignore_ascii_case(PROFILE_HEADER))
}

impl Description {
    /// Reads a description file. Findings about the inline tenant are reported with
    /// [`crate::finding::Origin::Inventory`] origin and `/tenant/…` pointers.
    pub fn read(
        doc: &Value,
        diags: &mut Diagnostics,
        inventory_diags: &mut Diagnostics,
    ) -> Description {
        let mut d = Description {
            version: Field::Absent,
            inventory_path: Field::Absent,
            tenant: None,
            requests: Vec::new(),
        };
        let Some(obj) = ObjectReader::open(
            doc,
            Pointer::root(),
            "a description file",
            TOP_KEYS,
            diags,
            |_, _, _| false,
        ) else {
            return d;
        };
        d.version = obj.number("embedguard", diags);
        match &d.version {
            Field::Absent => diags.push(
                Finding::new(
                    Rule::WrongType,
                    diags.at(Pointer::root()),
                    "a description file needs `embedguard: 1`",
                )
                .help("add `embedguard: 1` as the first line")
                .arg("field", "embedguard"),
            ),
            Field::Present(n) if n.value.integer != Some(1) => diags.push(
                Finding::new(
                    Rule::InvalidEnum,
                    diags.at(n.pointer.clone()),
                    format!("format version `{}` is not supported", n.value.text),
                )
                .help("this embedguard reads `embedguard: 1`")
                .arg("field", "embedguard")
                .arg("value", n.value.text.clone()),
            ),
            _ => {}
        }
        d.inventory_path = obj.string("inventory", diags);
        if let Some((tenant, at)) = obj.raw("tenant") {
            d.tenant = Some(Inventory::read(tenant, at, inventory_diags));
        }
        if let Field::Present(list) =
            obj.array("requests", diags, "an array of objects", |v, at, _| {
                Some((v, at))
            })
        {
            for (i, (v, at)) in list.value.into_iter().enumerate() {
                if let Some(r) = read_request(v, at, i, diags) {
                    d.requests.push(r);
                }
            }
        } else if obj.raw("requests").is_none() {
            diags.push(
                Finding::new(
                    Rule::WrongType,
                    diags.at(Pointer::root()),
                    "a description file needs a `requests` list",
                )
                .arg("field", "requests"),
            );
        }
        d
    }
}

/// Reads one request entry at `pointer`, the `index`-th of its file.
pub fn read_request(
    value: &Value,
    pointer: Pointer,
    index: usize,
    diags: &mut Diagnostics,
) -> Option<TokenRequest> {
    let obj = ObjectReader::open(
        value,
        pointer,
        "a request",
        REQUEST_KEYS,
        diags,
        |_, _, _| false,
    )?;
    let name = obj
        .string("name", diags)
        .get()
        .cloned()
        .unwrap_or_else(|| format!("requests[{index}]"));
    let caller = obj.string("caller", diags);
    if !caller.is_present() {
        diags.push(
            Finding::new(
                Rule::WrongType,
                diags.at(obj.pointer.clone()),
                "the request has no `caller`",
            )
            .help("name the principal that calls GenerateToken: `caller: <principal name>`")
            .arg("field", "caller"),
        );
    }
    let scenario = obj.enumeration("scenario", diags, SCENARIOS);
    let method = obj.string("method", diags);
    let target = match (obj.raw("path"), obj.raw("url")) {
        (Some(_), Some(_)) => {
            let at = obj.pointer.key("url");
            diags.push(
                Finding::new(
                    Rule::UnknownEndpoint,
                    diags.at(at).key(),
                    "the request gives both `path` and `url`",
                )
                .help("keep one of them"),
            );
            obj.string("path", diags)
        }
        (Some(_), None) => obj.string("path", diags),
        (None, _) => obj.string("url", diags),
    };
    if !target.is_present() {
        diags.push(
            Finding::new(Rule::UnknownEndpoint, diags.at(obj.pointer.clone()), "the request has no `path` or `url`")
                .help("add `path: /v1.0/myorg/GenerateToken` or one of the `groups/{id}/…/GenerateToken` paths"),
        );
    }
    let route = target
        .get()
        .map(|t| route(method.get().map_or("POST", String::as_str), t));
    let (headers, headers_pointer) = match obj.raw("headers") {
        None => (Vec::new(), None),
        Some((hv, hat)) => read_headers(hv, hat, diags),
    };
    let body_pointer = obj.raw("body").map(|(_, at)| at);
    let body = obj
        .raw("body")
        .and_then(|(bv, bat)| read_body(bv, bat, route.as_ref(), diags));
    Some(TokenRequest {
        name,
        caller,
        scenario,
        method,
        target,
        route,
        headers,
        headers_pointer,
        body,
        body_pointer,
        pointer: obj.pointer,
    })
}

/// Reads the `headers` map at `at`: every member a string header, names compared ignoring case
/// as HTTP does (a name written twice is EG002, except the profile header's, which is EG405's).
/// Returns the headers and where the map is (`None` when it is not a map: EG005).
pub fn read_headers(
    hv: &Value,
    hat: Pointer,
    diags: &mut Diagnostics,
) -> (Vec<Header>, Option<Pointer>) {
    let before = diags.findings.len();
    let reader = ObjectReader::open_wire(hv, hat.clone(), "`headers`", &[], diags, |_, _, _| true);
    // A repeated profile header is EG405's (profile-header), which says what Power BI
    // answers to it: one mistake, one finding.
    let mut read = diags.findings.split_off(before);
    read.retain(|f| {
        !(f.rule == Rule::DuplicateKey && is_profile_header(&f.location.pointer, &hat))
    });
    diags.findings.append(&mut read);
    match reader {
        None => (Vec::new(), None),
        Some(h) => (
            // One pass over the members: looking each header up by name was quadratic.
            h.each_string(diags)
                .into_iter()
                .enumerate()
                .filter_map(|(member, (name, field))| match field {
                    Field::Present(value) => Some(Header {
                        name: name.to_string(),
                        value,
                        member,
                    }),
                    _ => None,
                })
                .collect(),
            Some(h.pointer.clone()),
        ),
    }
}

/// Reads headers received on the wire as [`read_headers`] reads them written as a map at `at`.
/// Names that are all different ignoring case (nearly always) are taken as they are; repeats
/// go through the map, where EG002 reports them.
fn read_wire_headers(
    headers: &[(&str, &str)],
    at: Pointer,
    diags: &mut Diagnostics,
) -> (Vec<Header>, Option<Pointer>) {
    let repeated = headers.iter().enumerate().any(|(i, (name, _))| {
        headers[..i]
            .iter()
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
    });
    if repeated {
        let map = Value::Object(
            headers
                .iter()
                .map(|(name, value)| crate::value::Member {
                    key: (*name).to_string(),
                    value: Value::String((*value).to_string()),
                })
                .collect(),
        );
        return read_headers(&map, at, diags);
    }
    let read = headers
        .iter()
        .enumerate()
        .map(|(member, (name, value))| Header {
            name: (*name).to_string(),
            value: Located {
                value: (*value).to_string(),
                pointer: at.key(name),
            },
            member,
        })
        .collect();
    (read, Some(at))
}

/// Reads a body at `at` by the endpoint `route` names: V2 for `/GenerateToken`, V1 for the
/// others; nothing when the route is not one of the six endpoints.
fn read_body(
    value: &Value,
    at: Pointer,
    route: Option<&Route>,
    diags: &mut Diagnostics,
) -> Option<Body> {
    match route {
        Some(Route::Endpoint { endpoint, .. }) if endpoint.kind() == EndpointKind::V2 => {
            read_v2(value, at, diags).map(Body::V2)
        }
        Some(Route::Endpoint { .. }) => read_v1(value, at, diags).map(Body::V1),
        _ => None,
    }
}

/// A request as it arrives on the wire, already taken apart by the HTTP server: what a gateway
/// judges. Read as [`read_request`] reads the same request written as a SPEC §1.2.1 entry
/// (`caller`, `method`, `path`, `headers`, `body`), with the same pointers, without building that
/// entry first.
#[derive(Debug, Clone, Copy)]
pub struct WireParts<'a> {
    /// The request's label (`None`: `requests[0]`).
    pub name: Option<&'a str>,
    /// The principal reference.
    pub caller: &'a str,
    /// The HTTP method (`None`: not given, read as `POST`).
    pub method: Option<&'a str>,
    /// The path and query.
    pub path: &'a str,
    /// The Power BI REST host the request goes to, when the gateway knows it (`api.powerbi.com`):
    /// the request is then read as its `url`, so the cloud rules (EG408) judge the host too.
    pub host: Option<&'a str>,
    /// The headers the rules see, names and values in the order received, repeats kept
    /// (`None`: no `headers` at all).
    pub headers: Option<&'a [(&'a str, &'a str)]>,
    /// The body, when there is one.
    pub body: Option<&'a Value>,
}

/// Reads a wire request (see [`WireParts`]); findings point at `/caller`, `/path` (or `/url`
/// with a host), `/headers/…` and `/body/…`, as for the request written as an entry at the root.
pub fn read_wire_request(wire: WireParts<'_>, diags: &mut Diagnostics) -> TokenRequest {
    let root = Pointer::root();
    let located = |key: &str, value: &str| {
        Field::Present(Located {
            value: value.to_string(),
            pointer: root.key(key),
        })
    };
    let method = wire.method.unwrap_or("POST");
    let (target, route) = match wire.host {
        Some(host) => {
            // Not `format!`: that alone cost a tenth of reading the request.
            let mut url = String::with_capacity(8 + host.len() + wire.path.len());
            url.push_str("https://");
            url.push_str(host);
            url.push_str(wire.path);
            let route = route(method, &url);
            (located("url", &url), route)
        }
        None => (located("path", wire.path), route(method, wire.path)),
    };
    let (headers, headers_pointer) = match wire.headers {
        Some(headers) => read_wire_headers(headers, root.key("headers"), diags),
        None => (Vec::new(), None),
    };
    let body_pointer = wire.body.map(|_| root.key("body"));
    let body = wire
        .body
        .zip(body_pointer.clone())
        .and_then(|(value, at)| read_body(value, at, Some(&route), diags));
    TokenRequest {
        name: wire.name.unwrap_or("requests[0]").to_string(),
        caller: located("caller", wire.caller),
        scenario: Field::Absent,
        method: wire.method.map_or(Field::Absent, |m| located("method", m)),
        target,
        route: Some(route),
        headers,
        headers_pointer,
        body,
        body_pointer,
        pointer: root,
    }
}

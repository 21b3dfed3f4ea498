//! The six GenerateToken endpoints, recognised from a method and a path or full URL.

/// The Power BI cloud an API host belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum Cloud {
    /// `api.powerbi.com`
    #[strum(serialize = "public")]
    Public,
    /// US Government Community Cloud, `api.powerbigov.us`
    #[strum(serialize = "US GCC")]
    UsGov,
    /// US GCC High, `api.high.powerbigov.us`
    #[strum(serialize = "US GCC High")]
    UsGovHigh,
    /// US DoD, `api.mil.powerbigov.us`
    #[strum(serialize = "US DoD")]
    UsGovMil,
    /// China (21Vianet), `api.powerbi.cn`
    #[strum(serialize = "China")]
    China,
}

impl Cloud {
    /// The cloud whose REST API is served from `host` (letter case ignored).
    pub fn from_api_host(host: &str) -> Option<Cloud> {
        let host = host.strip_suffix(":443").unwrap_or(host);
        [
            ("api.powerbi.com", Cloud::Public),
            ("api.powerbigov.us", Cloud::UsGov),
            ("api.high.powerbigov.us", Cloud::UsGovHigh),
            ("api.mil.powerbigov.us", Cloud::UsGovMil),
            ("api.powerbi.cn", Cloud::China),
        ]
        .into_iter()
        .find(|(name, _)| host.eq_ignore_ascii_case(name))
        .map(|(_, cloud)| cloud)
    }
}

/// Which of the six endpoints, without its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum EndpointKind {
    /// `POST /v1.0/myorg/GenerateToken` (multi-resource, "V2").
    #[strum(serialize = "V2")]
    V2,
    /// `…/groups/{g}/reports/{r}/GenerateToken`
    #[strum(serialize = "REPORT")]
    Report,
    /// `…/groups/{g}/reports/GenerateToken`
    #[strum(serialize = "CREATE")]
    Create,
    /// `…/groups/{g}/datasets/{d}/GenerateToken` (Q&A)
    #[strum(serialize = "DATASET")]
    Dataset,
    /// `…/groups/{g}/dashboards/{d}/GenerateToken`
    #[strum(serialize = "DASHBOARD")]
    Dashboard,
    /// `…/groups/{g}/dashboards/{d}/tiles/{t}/GenerateToken`
    #[strum(serialize = "TILE")]
    Tile,
}

impl EndpointKind {
    /// Whether this is one of the five V1 (`groups/…`) endpoints.
    pub fn is_v1(self) -> bool {
        self != EndpointKind::V2
    }
}

/// One of the six GenerateToken endpoints with the ids from its path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Multi-resource token for reports, datasets and target workspaces.
    V2,
    /// A report (Power BI or paginated), to view or edit.
    Report {
        /// `groupId`
        group: String,
        /// `reportId`
        report: String,
    },
    /// Report creation in a workspace.
    Create {
        /// `groupId`
        group: String,
    },
    /// A dataset, for Q&A.
    Dataset {
        /// `groupId`
        group: String,
        /// `datasetId`
        dataset: String,
    },
    /// A dashboard.
    Dashboard {
        /// `groupId`
        group: String,
        /// `dashboardId`
        dashboard: String,
    },
    /// One tile of a dashboard.
    Tile {
        /// `groupId`
        group: String,
        /// `dashboardId`
        dashboard: String,
        /// `tileId`
        tile: String,
    },
}

impl Endpoint {
    /// Which endpoint this is.
    pub fn kind(&self) -> EndpointKind {
        match self {
            Endpoint::V2 => EndpointKind::V2,
            Endpoint::Report { .. } => EndpointKind::Report,
            Endpoint::Create { .. } => EndpointKind::Create,
            Endpoint::Dataset { .. } => EndpointKind::Dataset,
            Endpoint::Dashboard { .. } => EndpointKind::Dashboard,
            Endpoint::Tile { .. } => EndpointKind::Tile,
        }
    }

    /// The workspace (`groupId`) of a V1 endpoint.
    pub fn group(&self) -> Option<&str> {
        match self {
            Endpoint::V2 => None,
            Endpoint::Report { group, .. }
            | Endpoint::Create { group }
            | Endpoint::Dataset { group, .. }
            | Endpoint::Dashboard { group, .. }
            | Endpoint::Tile { group, .. } => Some(group),
        }
    }

    /// The ids in the path, with their parameter names, in path order.
    pub fn path_ids(&self) -> Vec<(&'static str, &str)> {
        match self {
            Endpoint::V2 => vec![],
            Endpoint::Report { group, report } => vec![("groupId", group), ("reportId", report)],
            Endpoint::Create { group } => vec![("groupId", group)],
            Endpoint::Dataset { group, dataset } => {
                vec![("groupId", group), ("datasetId", dataset)]
            }
            Endpoint::Dashboard { group, dashboard } => {
                vec![("groupId", group), ("dashboardId", dashboard)]
            }
            Endpoint::Tile {
                group,
                dashboard,
                tile,
            } => {
                vec![
                    ("groupId", group),
                    ("dashboardId", dashboard),
                    ("tileId", tile),
                ]
            }
        }
    }
}

/// What a method and path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// One of the six endpoints.
    Endpoint {
        /// The endpoint.
        endpoint: Endpoint,
        /// The cloud, when a full URL named its host.
        cloud: Option<Cloud>,
    },
    /// A GenerateToken path without `groups/{id}`, removed in 2019 (My workspace).
    MyWorkspace {
        /// The path as written.
        path: String,
    },
    /// Not a GenerateToken endpoint; the reason says why.
    Unknown {
        /// What does not match.
        reason: String,
    },
}

/// Recognises `method` + `path_or_url`.
pub fn route(method: &str, path_or_url: &str) -> Route {
    let (cloud, path) = match split_url(path_or_url) {
        Ok(parts) => parts,
        Err(reason) => return Route::Unknown { reason },
    };
    // At most nine segments make a GenerateToken route: read ten so a longer path is not one.
    let mut segments = [""; 10];
    let mut l = [Segment::Other; 10];
    let mut n = 0;
    // Cut at the `/` bytes found by memchr (a word at a time): most of a path is its ids.
    let mut start = 0;
    for end in memchr::memchr_iter(b'/', path.as_bytes()).chain([path.len()]) {
        if n == segments.len() {
            break;
        }
        // `start` and `end` sit next to `/` (ASCII) or at an end: always char boundaries.
        if let Some(s) = path.get(start..end).filter(|s| !s.is_empty()) {
            segments[n] = s;
            l[n] = Segment::of(s);
            n += 1;
        }
        start = end + 1;
    }
    let id = |i: usize| segments[i].to_string();
    use Segment::*;
    let endpoint = match &l[..n] {
        [V1, MyOrg, GenerateToken] => Some(Endpoint::V2),
        [V1, MyOrg, Groups, _, Reports, _, GenerateToken] => Some(Endpoint::Report {
            group: id(3),
            report: id(5),
        }),
        [V1, MyOrg, Groups, _, Reports, GenerateToken] => Some(Endpoint::Create { group: id(3) }),
        [V1, MyOrg, Groups, _, Datasets, _, GenerateToken] => Some(Endpoint::Dataset {
            group: id(3),
            dataset: id(5),
        }),
        [V1, MyOrg, Groups, _, Dashboards, _, GenerateToken] => Some(Endpoint::Dashboard {
            group: id(3),
            dashboard: id(5),
        }),
        [V1, MyOrg, Groups, _, Dashboards, _, Tiles, _, GenerateToken] => Some(Endpoint::Tile {
            group: id(3),
            dashboard: id(5),
            tile: id(7),
        }),
        [V1, MyOrg, Reports, GenerateToken]
        | [V1, MyOrg, Reports, _, GenerateToken]
        | [V1, MyOrg, Dashboards, _, GenerateToken]
        | [V1, MyOrg, Dashboards, _, Tiles, _, GenerateToken] => {
            return Route::MyWorkspace {
                path: path.to_string(),
            };
        }
        _ => None,
    };
    let Some(endpoint) = endpoint else {
        return Route::Unknown {
            reason: format!("`{path}` is not a GenerateToken endpoint"),
        };
    };
    if method != "POST" {
        return Route::Unknown {
            reason: format!("GenerateToken takes `POST`, not `{method}`"),
        };
    }
    Route::Endpoint { endpoint, cloud }
}

/// A path segment of a GenerateToken route, matched ignoring ASCII case as Power BI routes do:
/// read as a token instead of lower-casing each segment into a new string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    V1,
    MyOrg,
    Groups,
    Reports,
    Datasets,
    Dashboards,
    Tiles,
    GenerateToken,
    /// An id, or anything else.
    Other,
}

impl Segment {
    fn of(s: &str) -> Segment {
        [
            ("v1.0", Segment::V1),
            ("myorg", Segment::MyOrg),
            ("groups", Segment::Groups),
            ("reports", Segment::Reports),
            ("datasets", Segment::Datasets),
            ("dashboards", Segment::Dashboards),
            ("tiles", Segment::Tiles),
            ("generatetoken", Segment::GenerateToken),
        ]
        .into_iter()
        .find(|(literal, _)| s.eq_ignore_ascii_case(literal))
        .map_or(Segment::Other, |(_, segment)| segment)
    }
}

/// Splits a full URL into (cloud, path); a bare path has no cloud. Query and fragment are dropped.
fn split_url(input: &str) -> Result<(Option<Cloud>, &str), String> {
    let input = input.trim();
    let scheme = |s: &str| {
        input
            .get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    };
    let (cloud, rest) = if scheme("https://") || scheme("http://") {
        let after = &input[input.find("//").map_or(0, |i| i + 2)..];
        let (host, path) = after.split_at(after.find('/').unwrap_or(after.len()));
        if scheme("http://") {
            return Err("Power BI's REST API is served over `https`, not `http`".into());
        }
        match Cloud::from_api_host(host) {
            Some(c) => (Some(c), path),
            None => return Err(format!("`{host}` is not a Power BI REST API host")),
        }
    } else {
        (None, input)
    };
    // A byte search: a char-set `find` decodes every char of a long path.
    let end = memchr::memchr2(b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
    Ok((cloud, &rest[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    const R: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    #[test]
    fn recognises_the_six_endpoints() {
        let cases = [
            ("/v1.0/myorg/GenerateToken".to_string(), EndpointKind::V2),
            (
                format!("/v1.0/myorg/groups/{G}/reports/{R}/GenerateToken"),
                EndpointKind::Report,
            ),
            (
                format!("/v1.0/myorg/groups/{G}/reports/GenerateToken"),
                EndpointKind::Create,
            ),
            (
                format!("/v1.0/myorg/groups/{G}/datasets/{R}/GenerateToken"),
                EndpointKind::Dataset,
            ),
            (
                format!("/v1.0/myorg/groups/{G}/dashboards/{R}/GenerateToken"),
                EndpointKind::Dashboard,
            ),
            (
                format!("/v1.0/myorg/groups/{G}/dashboards/{R}/tiles/{R}/generatetoken/"),
                EndpointKind::Tile,
            ),
        ];
        for (path, kind) in cases {
            match route("POST", &path) {
                Route::Endpoint {
                    endpoint,
                    cloud: None,
                } => assert_eq!(endpoint.kind(), kind, "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn urls_name_their_cloud() {
        let url = format!(
            "https://api.powerbigov.us/v1.0/myorg/groups/{G}/reports/{R}/GenerateToken?x=1"
        );
        assert!(matches!(
            route("POST", &url),
            Route::Endpoint {
                cloud: Some(Cloud::UsGov),
                ..
            }
        ));
        assert!(matches!(
            route("POST", "https://example.com/v1.0/myorg/GenerateToken"),
            Route::Unknown { .. }
        ));
    }

    #[test]
    fn my_workspace_and_unknown_paths() {
        assert!(matches!(
            route("POST", &format!("/v1.0/myorg/reports/{R}/GenerateToken")),
            Route::MyWorkspace { .. }
        ));
        assert!(matches!(
            route("POST", "/v1.0/myorg/reports/GenerateToken"),
            Route::MyWorkspace { .. }
        ));
        assert!(matches!(
            route("GET", "/v1.0/myorg/GenerateToken"),
            Route::Unknown { .. }
        ));
        assert!(matches!(
            route("POST", "/v1.0/myorg/groups"),
            Route::Unknown { .. }
        ));
        // Longer than any GenerateToken route, and empty segments skipped as before.
        let long = format!("/v1.0/myorg/groups/{G}/dashboards/{R}/tiles/{R}/GenerateToken/x/y");
        assert!(matches!(route("POST", &long), Route::Unknown { .. }));
        assert!(matches!(
            route("POST", "//v1.0//myorg/GenerateToken/"),
            Route::Endpoint { .. }
        ));
    }
}

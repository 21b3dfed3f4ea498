//! The Power BI API root, Entra authority and token scope of each cloud (facts F56).

pub use embedguard_core::endpoint::Cloud;

/// Where one cloud's Power BI REST API and Microsoft Entra sign-in live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudEndpoints {
    /// The REST API root, without a trailing slash (`https://api.powerbi.com`).
    pub api_root: String,
    /// The Entra authority host, without a trailing slash (`https://login.microsoftonline.com`);
    /// the token endpoint is `{authority}/{tenant}/oauth2/v2.0/token`.
    pub authority: String,
    /// The scope asked for in the client-credentials and password grants.
    pub scope: String,
}

impl CloudEndpoints {
    /// The endpoints of `cloud`, as Microsoft's national-cloud embedding sample configures them.
    pub fn of(cloud: Cloud) -> Self {
        let (api_root, authority, scope) = match cloud {
            Cloud::Public => (
                "https://api.powerbi.com",
                "https://login.microsoftonline.com",
                "https://analysis.windows.net/powerbi/api/.default",
            ),
            // GCC signs in through the commercial authority; only the API and resource differ.
            Cloud::UsGov => (
                "https://api.powerbigov.us",
                "https://login.microsoftonline.com",
                "https://analysis.usgovcloudapi.net/powerbi/api/.default",
            ),
            Cloud::UsGovHigh => (
                "https://api.high.powerbigov.us",
                "https://login.microsoftonline.us",
                "https://high.analysis.usgovcloudapi.net/powerbi/api/.default",
            ),
            Cloud::UsGovMil => (
                "https://api.mil.powerbigov.us",
                "https://login.microsoftonline.us",
                "https://mil.analysis.usgovcloudapi.net/powerbi/api/.default",
            ),
            Cloud::China => (
                "https://api.powerbi.cn",
                "https://login.chinacloudapi.cn",
                "https://analysis.chinacloudapi.cn/powerbi/api/.default",
            ),
        };
        CloudEndpoints {
            api_root: api_root.into(),
            authority: authority.into(),
            scope: scope.into(),
        }
    }

    /// The same endpoints with the API root and/or authority replaced (private endpoints, tests).
    /// Trailing slashes are dropped.
    pub fn with_overrides(mut self, api_root: Option<&str>, authority: Option<&str>) -> Self {
        if let Some(root) = api_root {
            self.api_root = root.trim_end_matches('/').to_string();
        }
        if let Some(authority) = authority {
            self.authority = authority.trim_end_matches('/').to_string();
        }
        self
    }

    /// The Entra v2.0 token endpoint of `tenant`.
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, tenant)
    }

    /// The full URL of an API `path` (`/v1.0/myorg/GenerateToken`).
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/{}", self.api_root, path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cloud_pairs_its_api_with_its_authority_and_scope() {
        let all = [
            Cloud::Public,
            Cloud::UsGov,
            Cloud::UsGovHigh,
            Cloud::UsGovMil,
            Cloud::China,
        ];
        for cloud in all {
            let e = CloudEndpoints::of(cloud);
            let host = e.api_root.trim_start_matches("https://");
            assert_eq!(Cloud::from_api_host(host), Some(cloud), "{cloud}");
            assert!(e.scope.ends_with("/powerbi/api/.default"), "{cloud}");
        }
        let e = CloudEndpoints::of(Cloud::China);
        assert_eq!(
            e.token_url("t"),
            "https://login.chinacloudapi.cn/t/oauth2/v2.0/token"
        );
    }

    #[test]
    fn overrides_replace_roots() {
        let e = CloudEndpoints::of(Cloud::Public)
            .with_overrides(Some("http://127.0.0.1:1/"), Some("http://127.0.0.1:2/"));
        assert_eq!(
            e.api_url("/v1.0/myorg/GenerateToken"),
            "http://127.0.0.1:1/v1.0/myorg/GenerateToken"
        );
        assert_eq!(e.token_url("x"), "http://127.0.0.1:2/x/oauth2/v2.0/token");
        assert_eq!(e.scope, CloudEndpoints::of(Cloud::Public).scope);
    }
}

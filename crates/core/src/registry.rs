//! The single list of rules: codes, names, default severities, summaries, sources and pages.
//!
//! Codes and names are a public contract: a code never changes meaning and is never reused.

use crate::finding::Severity;

const GENERATE_EMBED_TOKEN: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/generate-embed-token";
const REST_EMBED_TOKEN: &str = "https://learn.microsoft.com/rest/api/power-bi/embed-token";
const REST_GENERATE_TOKEN: &str =
    "https://learn.microsoft.com/rest/api/power-bi/embed-token/generate-token";
const CLOUD_RLS: &str = "https://learn.microsoft.com/power-bi/developer/embedded/cloud-rls";
const EMBEDDED_RLS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embedded-row-level-security";
const AAS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-azure-analysis-services";
const PAGINATED: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-paginated-reports";
const SENSITIVE_DATA: &str = "https://learn.microsoft.com/aspnet/identity/overview/features-api/best-practices-for-deploying-passwords-and-other-sensitive-data-to-aspnet-and-azure";
const SPEC: &str = "https://github.com/embedguard/embedguard/blob/main/rules/README.md";
/// Where the rule pages are published (the repository's `rules/` directory).
pub const RULE_PAGES: &str = "https://github.com/embedguard/embedguard/blob/main/rules";
const SEED_2017: &str = "https://github.com/MicrosoftDocs/powerbi-docs";

/// Metadata of one rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `EGnnn`.
    pub code: &'static str,
    /// Stable kebab-case name saying what is wrong.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
    /// The facts behind the rule (`seed`, `F25`, …) as listed in the catalogue.
    pub facts: &'static str,
    /// The documentation URL behind the rule.
    pub source: &'static str,
    /// The rule's page (`rules/EGnnn-name.md`), compiled in.
    pub page: &'static str,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, $name:literal, $sev:ident, $facts:literal, $source:expr, $summary:literal; )*) => {
        /// Every rule embedguard knows.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            strum::EnumIter, strum::EnumCount, strum::IntoStaticStr,
        )]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// This rule's metadata.
            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $( Rule::$variant => &RuleMeta {
                        code: $code,
                        name: $name,
                        severity: Severity::$sev,
                        summary: $summary,
                        facts: $facts,
                        source: $source,
                        page: include_str!(concat!("../../../rules/", $code, "-", $name, ".md")),
                    }, )*
                }
            }
        }
    };
}

rules! {
    /// EG001: the file or body is not valid YAML/JSON.
    SyntaxError => "EG001", "syntax-error", Error, "—", SPEC,
        "file or body is not valid YAML/JSON";
    /// EG002: a key written twice in one object (in a body: also ignoring case).
    DuplicateKey => "EG002", "duplicate-key", Error, "F51, SPEC §1.3", REST_EMBED_TOKEN,
        "a key repeats in one object (in a request body: also ignoring case)";
    /// EG003: a key that is not in the schema.
    UnknownField => "EG003", "unknown-field", Error, "F51", REST_EMBED_TOKEN,
        "a key not in the schema";
    /// EG004: a body key equal to a schema name ignoring case only.
    FieldCase => "EG004", "field-case", Warning, "F51", REST_EMBED_TOKEN,
        "a body key that differs from the schema's name only in letter case (`AccessLevel`)";
    /// EG005: a value of the wrong JSON type.
    WrongType => "EG005", "wrong-type", Error, "F10, F16, F18", REST_EMBED_TOKEN,
        "a value of the wrong JSON type";
    /// EG006: an id that is not a GUID, or the all-zero GUID.
    InvalidGuid => "EG006", "invalid-guid", Error, "F53, F57", REST_EMBED_TOKEN,
        "an id that is not a GUID, or the all-zero GUID";
    /// EG007: not one of the six GenerateToken endpoints.
    UnknownEndpoint => "EG007", "unknown-endpoint", Error, "§a", REST_EMBED_TOKEN,
        "method/path is not one of the six GenerateToken endpoints";
    /// EG008: an id or name the inventory does not know.
    UnresolvedReference => "EG008", "unresolved-reference", Error, "—", SPEC,
        "an id or name the inventory does not know";
    /// EG010: an enum value accepted, but not spelled as documented.
    EnumCase => "EG010", "enum-case", Warning, "F52", REST_EMBED_TOKEN,
        "an enum value in another letter case than documented (`view` for `View`)";
    /// EG011: an enum value Power BI does not accept.
    InvalidEnum => "EG011", "invalid-enum", Error, "F9, F38", REST_EMBED_TOKEN,
        "`accessLevel` not View/Edit/Create, `xmlaPermissions` not Off/ReadOnly, or an unknown inventory value";
    /// EG012: an inline suppression that silences nothing or names no rule.
    UnusedSuppression => "EG012", "unused-suppression", Warning, "—",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG012-unused-suppression.md",
        "an `# embedguard: ignore[...]` comment that silences nothing, names no rule, or is malformed";
    /// EG101: My workspace cannot be embedded.
    MyWorkspace => "EG101", "my-workspace", Error, "seed, F1", GENERATE_EMBED_TOKEN,
        "a removed My-workspace path, or a personal workspace in the request";
    /// EG102: V2 with an item in a classic workspace.
    V2ClassicWorkspace => "EG102", "v2-classic-workspace", Error, "F5", REST_GENERATE_TOKEN,
        "V2 with a report, dataset or target workspace in a classic workspace";
    /// EG103: classic workspace, item and dataset apart.
    ClassicCrossWorkspace => "EG103", "classic-cross-workspace", Error, "seed", GENERATE_EMBED_TOKEN,
        "classic workspace: item and its dataset in different workspaces";
    /// EG104: classic workspace with a service principal.
    ClassicServicePrincipal => "EG104", "classic-service-principal", Error, "seed", GENERATE_EMBED_TOKEN,
        "classic workspace and the caller is a service principal";
    /// EG105: classic workspace, master user not Admin.
    ClassicRequiresAdmin => "EG105", "classic-requires-admin", Error, "seed", GENERATE_EMBED_TOKEN,
        "classic workspace and the master user is not Admin of it";
    /// EG106: new workspace, caller not Member or Admin.
    CallerNotMember => "EG106", "caller-not-member", Error, "seed, F42, F45", GENERATE_EMBED_TOKEN,
        "new workspace: the caller is not Admin or Member of every workspace of the request";
    /// EG110: paginated report in a classic workspace.
    PaginatedClassic => "EG110", "paginated-classic", Error, "F5, D6", GENERATE_EMBED_TOKEN,
        "paginated report in a classic workspace";
    /// EG111: workspace without A/EM/P/F capacity.
    NoCapacity => "EG111", "no-capacity", Warning, "seed, F43", GENERATE_EMBED_TOKEN,
        "a workspace of the request has no A/EM/P/F capacity";
    /// EG201: Edit outside report embedding.
    EditNotReport => "EG201", "edit-not-report", Error, "seed, F9", GENERATE_EMBED_TOKEN,
        "`accessLevel: Edit` on CREATE/DATASET/DASHBOARD/TILE";
    /// EG202: Create outside report creation, or creation without Create.
    CreateMisplaced => "EG202", "create-misplaced", Error, "seed, F9", GENERATE_EMBED_TOKEN,
        "`Create` outside CREATE, or CREATE without `Create`";
    /// EG203: report creation without a dataset.
    CreateNeedsDataset => "EG203", "create-needs-dataset", Error, "seed, F9", GENERATE_EMBED_TOKEN,
        "CREATE without `datasetId`";
    /// EG204: allowSaveAs outside report embedding.
    SaveAsNotReport => "EG204", "save-as-not-report", Warning, "seed, F10", GENERATE_EMBED_TOKEN,
        "`allowSaveAs` outside REPORT";
    /// EG205: V1 permission field in a V2 body.
    V1PermissionInV2 => "EG205", "v1-permission-in-v2", Error, "seed, F8", GENERATE_EMBED_TOKEN,
        "`accessLevel`, `allowSaveAs` or `datasetId` in a V2 body";
    /// EG210: a writing token on RLS data without identity.
    WriteOnRlsWithoutIdentity => "EG210", "write-on-rls-without-identity", Error, "F25, F30", CLOUD_RLS,
        "Edit/Create/`allowEdit`/`targetWorkspaces` on an RLS dataset with no identity";
    /// EG301: service principal without identity on RLS data.
    RlsIdentityRequired => "EG301", "rls-identity-required", Error, "seed, F25, F29", GENERATE_EMBED_TOKEN,
        "service principal and an RLS dataset that no identity covers";
    /// EG302: master user without identity on RLS data.
    RlsUnfiltered => "EG302", "rls-unfiltered", Warning, "seed, F25", CLOUD_RLS,
        "master user, RLS dataset, no identity: the token sees all rows";
    /// EG303: identity for a dataset without RLS.
    IdentityWithoutRls => "EG303", "identity-without-rls", Error, "F24, D2", EMBEDDED_RLS,
        "identity for a dataset with `rls: none`";
    /// EG304: master user and a paginated report.
    RdlMasterUser => "EG304", "rdl-master-user", Error, "seed, F39", PAGINATED,
        "master user and a paginated report";
    /// EG305: on-premises AS without gateway admin or impersonation right.
    AsOnpremPermission => "EG305", "as-onprem-permission", Error, "seed, F34", GENERATE_EMBED_TOKEN,
        "`as_on_premises` and the caller has neither gateway admin nor `ReadOverrideEffectiveIdentity`";
    /// EG306: Azure AS identity that is not the caller.
    AasUsernameNotCaller => "EG306", "aas-username-not-caller", Error, "seed, F32, D3", AAS,
        "`as_azure`: identity `username` is not the caller";
    /// EG307: SSO dataset, service principal, no full identity.
    SsoIdentityRequired => "EG307", "sso-identity-required", Error, "seed, F25, F29", GENERATE_EMBED_TOKEN,
        "`sso` with a service principal: identity with `username` and `identityBlob` required";
    /// EG308: SSO + cloud RLS identity missing a part.
    SsoCloudIncomplete => "EG308", "sso-cloud-incomplete", Error, "seed, F29", GENERATE_EMBED_TOKEN,
        "`sso_cloud`: an identity lacks `identityBlob` or `username`";
    /// EG309: cloud RLS identity without a role.
    RolesRequired => "EG309", "roles-required", Error, "F26", EMBEDDED_RLS,
        "identity for a cloud RLS dataset with no role";
    /// EG316: several identities where V1 takes one.
    V1MultipleIdentities => "EG316", "v1-multiple-identities", Error, "F28, D4", EMBEDDED_RLS,
        "more than one identity on REPORT/CREATE/DATASET/TILE";
    /// EG401: GenerateToken in the embed-for-your-organization scenario.
    UserOwnsData => "EG401", "user-owns-data", Error, "seed", GENERATE_EMBED_TOKEN,
        "request declared for the embed-for-your-organization scenario";
    /// EG402: the master user is a tenant admin.
    AdminMasterUser => "EG402", "admin-master-user", Warning, "seed 000", SEED_2017,
        "the master user is a tenant admin";
    /// EG501: a secret written into a checked file.
    SecretInFile => "EG501", "secret-in-file", Error, "—", SENSITIVE_DATA,
        "a client secret, password, bearer token or JWT written in a checked file";
}

impl Rule {
    /// The stable code, `EGnnn`.
    pub fn code(self) -> &'static str {
        self.meta().code
    }

    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// The default severity.
    pub fn default_severity(self) -> Severity {
        self.meta().severity
    }

    /// The URL of this rule's page (`rules/EGnnn-name.md`) in the repository: what SARIF's
    /// `helpUri` and the rendered diagnostics link to. `embedguard explain CODE` prints the same
    /// page offline.
    pub fn doc_url(self) -> String {
        format!("{RULE_PAGES}/{}-{}.md", self.code(), self.name())
    }

    /// Every rule, in code order.
    pub fn all() -> impl Iterator<Item = Rule> {
        <Rule as strum::IntoEnumIterator>::iter()
    }

    /// Looks a rule up by code (`EG301`, any case) or name (`rls-identity-required`).
    pub fn lookup(code_or_name: &str) -> Option<Rule> {
        let wanted = code_or_name.trim();
        Rule::all().find(|r| r.code().eq_ignore_ascii_case(wanted) || r.name() == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in Rule::all() {
            let m = rule.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(m.code.len() == 5 && m.code.starts_with("EG"), "{}", m.code);
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                m.name
            );
            assert!(m.source.starts_with("https://"), "{}", m.code);
        }
        let mut sorted: Vec<_> = Rule::all().map(|r| r.code()).collect();
        sorted.sort_unstable();
        assert_eq!(sorted, Rule::all().map(|r| r.code()).collect::<Vec<_>>());
    }

    #[test]
    fn every_page_names_its_rule_and_quotes_a_source() {
        for rule in Rule::all() {
            let page = rule.meta().page;
            let title = format!("# {} {}", rule.code(), rule.name());
            assert!(
                page.starts_with(&title),
                "{} page must start with `{title}`",
                rule.code()
            );
            assert!(page.contains("\n> "), "{} page has no quote", rule.code());
            assert!(page.contains("## Fix"), "{} page has no fix", rule.code());
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(Rule::lookup("eg301"), Some(Rule::RlsIdentityRequired));
        assert_eq!(
            Rule::lookup("rls-identity-required"),
            Some(Rule::RlsIdentityRequired)
        );
        assert_eq!(Rule::lookup("EG999"), None);
    }
}

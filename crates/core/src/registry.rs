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
const TROUBLESHOOT: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embedded-troubleshoot";
const AAS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-azure-analysis-services";
const PAGINATED: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-paginated-reports";
const PAGINATED_RLS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/paginated-reports-row-level-security";
const SSAS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/sql-server-analysis-services-embed";
const SENSITIVE_DATA: &str = "https://learn.microsoft.com/aspnet/identity/overview/features-api/best-practices-for-deploying-passwords-and-other-sensitive-data-to-aspnet-and-azure";
const SPEC: &str = "https://github.com/embedguard/embedguard/blob/main/rules/README.md";
/// Where the rule pages are published (the repository's `rules/` directory).
pub const RULE_PAGES: &str = "https://github.com/embedguard/embedguard/blob/main/rules";
const SEED_2017: &str = "https://github.com/MicrosoftDocs/powerbi-docs";
const SERVICE_PRINCIPAL: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-service-principal";
const PROFILES_SDK: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/service-principal-profile-sdk";
const MULTI_TENANCY: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-multi-tenancy";
const NATIONAL_CLOUDS: &str =
    "https://learn.microsoft.com/power-bi/developer/embedded/embed-sample-for-customers-national-clouds";

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
    /// EG009: a body sent without `Content-Type: application/json`.
    ContentType => "EG009", "content-type", Error, "F50", REST_EMBED_TOKEN,
        "`headers` given and the body is not sent as `application/json`";
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
    /// EG107: a dashboard or tile asked for through V2.
    V2Dashboard => "EG107", "v2-dashboard", Error, "F2", GENERATE_EMBED_TOKEN,
        "dashboards or tiles requested through V2";
    /// EG108: a V2 list over its limit.
    V2Limits => "EG108", "v2-limits", Error, "F4", REST_GENERATE_TOKEN,
        "more than 50 `reports`, `datasets` or `targetWorkspaces`";
    /// EG109: a V1 token spanning two workspaces, where V2 would do.
    PreferV2 => "EG109", "prefer-v2", Note, "F3", GENERATE_EMBED_TOKEN,
        "V1 REPORT/CREATE token whose item and dataset are in two new workspaces, where V2 would do";
    /// EG110: paginated report in a classic workspace.
    PaginatedClassic => "EG110", "paginated-classic", Error, "F5, D6", GENERATE_EMBED_TOKEN,
        "paginated report in a classic workspace";
    /// EG111: workspace without A/EM/P/F capacity.
    NoCapacity => "EG111", "no-capacity", Warning, "seed, F43", GENERATE_EMBED_TOKEN,
        "a workspace of the request has no A/EM/P/F capacity";
    /// EG112: paginated report on Premium Per User.
    PaginatedPpu => "EG112", "paginated-ppu", Error, "F39", PAGINATED,
        "paginated report on a Premium-Per-User workspace";
    /// EG113: a V2 target workspace the token cannot save to.
    TargetWorkspace => "EG113", "target-workspace", Error, "F5, F6", REST_GENERATE_TOKEN,
        "V2 `targetWorkspaces` entry that is classic, personal, or where the caller is not Member+";
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
    /// EG206: datasetId outside report creation.
    DatasetIdMisplaced => "EG206", "dataset-id-misplaced", Warning, "F11", REST_EMBED_TOKEN,
        "`datasetId` outside CREATE";
    /// EG207: lifetimeInMinutes not a positive integer.
    LifetimeInvalid => "EG207", "lifetime-invalid", Error, "F12", REST_EMBED_TOKEN,
        "`lifetimeInMinutes` negative or not an integer";
    /// EG208: lifetimeInMinutes that has no effect.
    LifetimeIneffective => "EG208", "lifetime-ineffective", Warning, "F12, F13", GENERATE_EMBED_TOKEN,
        "`lifetimeInMinutes` 0 (the default) or above 60 (cannot outlive the caller's Entra token)";
    /// EG209: V1 body without accessLevel.
    MissingAccessLevel => "EG209", "missing-access-level", Warning, "F9", REST_EMBED_TOKEN,
        "V1 body without `accessLevel`";
    /// EG210: a writing token on RLS data without identity.
    WriteOnRlsWithoutIdentity => "EG210", "write-on-rls-without-identity", Error, "F25, F30", CLOUD_RLS,
        "Edit/Create/`allowEdit`/`targetWorkspaces` on an RLS dataset with no identity";
    /// EG211: V2 token that may save or create reports.
    TargetWorkspaceGrant => "EG211", "target-workspace-grant", Warning, "F6", REST_GENERATE_TOKEN,
        "V2 `targetWorkspaces` present: the token's users may save and create reports there";
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
    /// EG310: role count, length or characters beyond Power BI's limits.
    RoleLimits => "EG310", "role-limits", Error, "F18", REST_EMBED_TOKEN,
        "more than 50 roles, a role over 50 characters, an empty role, or a role containing `,`";
    /// EG311: username too long, not ASCII, outside the on-premises character set, or with spaces.
    UsernameLimits => "EG311", "username-limits", Error, "F15, F16", REST_EMBED_TOKEN,
        "`username` over 256 characters, not ASCII, outside the on-premises character set; whitespace is a warning";
    /// EG312: customData too long, or on on-premises Analysis Services.
    CustomData => "EG312", "custom-data", Error, "F19", AAS,
        "`customData` over 1,024 characters, or sent for an `as_on_premises` dataset";
    /// EG313: an identity blob of the wrong shape or size.
    IdentityBlobShape => "EG313", "identity-blob-shape", Error, "F20, F21, D7", REST_EMBED_TOKEN,
        "`identities[].identityBlob` not `{value}` or over 10,240 bytes; `datasourceIdentities[].identityBlob` not a string";
    /// EG314: an identity that names no dataset or report.
    IdentityScopeMissing => "EG314", "identity-scope-missing", Error, "F23", CLOUD_RLS,
        "identity with neither `datasets` nor `reports`";
    /// EG315: an identity naming a dataset the token does not cover.
    IdentityDatasetOutsideToken => "EG315", "identity-dataset-outside-token", Warning, "F23", CLOUD_RLS,
        "identity names a dataset the request does not cover";
    /// EG316: several identities where V1 takes one.
    V1MultipleIdentities => "EG316", "v1-multiple-identities", Error, "F28, D4", EMBEDDED_RLS,
        "more than one identity on REPORT/CREATE/DATASET/TILE";
    /// EG317: a role the dataset's model does not define.
    UnknownRole => "EG317", "unknown-role", Warning, "(e)12", REST_EMBED_TOKEN,
        "role not defined on the dataset (when the inventory lists its roles)";
    /// EG318: an identity with neither username nor identity blob.
    IdentityUsernameMissing => "EG318", "identity-username-missing", Error, "F17", TROUBLESHOOT,
        "identity with neither `username` nor `identityBlob`";
    /// EG319: Analysis Services live connection, service principal, no identity.
    AsLiveIdentity => "EG319", "as-live-identity", Error, "F34", SSAS,
        "Analysis Services live connection, service principal, no identity (needed even without RLS)";
    /// EG320: composite model without every dataset listed `ReadOnly` in a V2 token.
    CompositeXmla => "EG320", "composite-xmla", Error, "F37", GENERATE_EMBED_TOKEN,
        "report over a DirectQuery-to-Power-BI dataset: every dataset listed with `xmlaPermissions: ReadOnly`, V2 only";
    /// EG321: paginated report whose Power BI dataset is not listed `ReadOnly`.
    PaginatedDatasetXmla => "EG321", "paginated-dataset-xmla", Error, "F39", PAGINATED,
        "paginated report over a Power BI dataset without that dataset in `datasets[]` with `ReadOnly`";
    /// EG322: paginated visual whose paginated report is not in the token.
    PaginatedVisual => "EG322", "paginated-visual", Error, "F40", REST_GENERATE_TOKEN,
        "report with a paginated visual, and the token lacks the paginated report's id";
    /// EG323: identity for a paginated report shaped like a dataset identity.
    RdlIdentityShape => "EG323", "rdl-identity-shape", Warning, "F39, F22", PAGINATED_RLS,
        "identity for a paginated report uses `datasets`/`roles` instead of `reports`";
    /// EG401: GenerateToken in the embed-for-your-organization scenario.
    UserOwnsData => "EG401", "user-owns-data", Error, "seed", GENERATE_EMBED_TOKEN,
        "request declared for the embed-for-your-organization scenario";
    /// EG402: the master user is a tenant admin.
    AdminMasterUser => "EG402", "admin-master-user", Warning, "seed 000", SEED_2017,
        "the master user is a tenant admin";
    /// EG403: the master user's app registration lacks a delegated scope the call needs.
    MissingScope => "EG403", "missing-scope", Error, "seed 000, §a", REST_EMBED_TOKEN,
        "master user whose app registration lacks a delegated scope the endpoint or a field needs";
    /// EG404: a service principal's app registration carries Power BI API permissions.
    SpWithPermissions => "EG404", "sp-with-permissions", Warning, "F45", SERVICE_PRINCIPAL,
        "service principal whose app registration has Power BI API permissions (never used)";
    /// EG405: the profile header with a master user, or sent twice.
    ProfileHeader => "EG405", "profile-header", Error, "F46", PROFILES_SDK,
        "`X-PowerBI-Profile-Id` with a master user, or set twice";
    /// EG406: a service principal profile over an Azure Analysis Services live connection.
    ProfileAas => "EG406", "profile-aas", Warning, "F33", MULTI_TENANCY,
        "profile header and an `as_azure` dataset";
    /// EG407: a master user without a Pro or PPU license.
    MasterUserLicense => "EG407", "master-user-license", Error, "seed 000", SEED_2017,
        "master user without a Pro/PPU license";
    /// EG408: API host, authority and token scope from different clouds.
    CloudMismatch => "EG408", "cloud-mismatch", Error, "F56", NATIONAL_CLOUDS,
        "API host and Entra authority/scope from different national clouds";
    /// EG501: a secret written into a checked file.
    SecretInFile => "EG501", "secret-in-file", Error, "—", SENSITIVE_DATA,
        "a client secret, password, bearer token or JWT written in a checked file";
    /// EG502: an empty `auditableContext`.
    AuditContextEmpty => "EG502", "audit-context-empty", Warning, "F49", REST_GENERATE_TOKEN,
        "`auditableContext: \"\"` leaves the identity out of the audit record";
    /// EG901: a token lifetime above (or missing under) the policy's maximum.
    PolicyMaxLifetime => "EG901", "policy-max-lifetime", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG901-policy-max-lifetime.md",
        "`max_lifetime_minutes`: `lifetimeInMinutes` above it, or missing";
    /// EG902: an access right the policy does not allow.
    PolicyAccessLevel => "EG902", "policy-access-level", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG902-policy-access-level.md",
        "`allowed_access_levels`, `allow_edit`, `allow_save_as`: a right the policy does not allow";
    /// EG903: a caller kind the policy does not allow.
    PolicyCallerKind => "EG903", "policy-caller-kind", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG903-policy-caller-kind.md",
        "`allowed_callers`: a caller of a kind the policy does not allow";
    /// EG904: unfiltered RLS (EG302) under `deny_unfiltered_rls`.
    PolicyUnfilteredRls => "EG904", "policy-unfiltered-rls", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG904-policy-unfiltered-rls.md",
        "`deny_unfiltered_rls`: a master user's token that sees every row of an RLS dataset";
    /// EG905: a workspace the policy does not list.
    PolicyWorkspaces => "EG905", "policy-workspaces", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG905-policy-workspaces.md",
        "`allowed_workspaces`: a workspace the policy does not list";
    /// EG906: a literal `username` under `placeholder_usernames`.
    PolicyIdentitySource => "EG906", "policy-identity-source", Error, "policy",
        "https://github.com/embedguard/embedguard/blob/main/rules/EG906-policy-identity-source.md",
        "`placeholder_usernames`: an identity `username` that is a literal user, not a placeholder";
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

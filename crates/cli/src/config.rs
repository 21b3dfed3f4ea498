//! `embedguard.toml`: which rules run on which files, at what severity, against which inventory.
//!
//! The file nearest to a checked file — in its directory or the closest parent — applies to it;
//! files are not merged, as with ruff's `ruff.toml`. Every key is optional:
//!
//! ```toml
//! select = ["EG0", "EG3"]            # rule codes, code prefixes or names; default: every rule
//! ignore = ["EG302"]                 # taken out of the selection
//! inventory = "tenant.yaml"          # for files with neither `inventory:` nor `tenant:`
//!
//! [per-file-ignores]
//! "legacy/*.yaml" = ["EG104"]        # globs relative to this file's directory
//!
//! [severity]
//! EG302 = "error"                    # error | warning | note
//!
//! [policy]                           # organisation policy (EG9xx), every knob off unless set
//! max_lifetime_minutes = 30
//! allowed_access_levels = ["View"]
//! allow_edit = false
//! allow_save_as = false
//! allowed_callers = ["service_principal"]
//! deny_unfiltered_rls = true
//! allowed_workspaces = ["Sales"]     # ids or names
//! placeholder_usernames = true
//! ```
//!
//! A problem in the file (bad TOML, an unknown key, a selector that names no rule) is a
//! [`ConfigProblem`] located in it, and stops the run (exit code 2): checking with a half-read
//! configuration would silently report something else than the team asked for.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use embedguard_core::policy::Policy;
use embedguard_core::{Rule, Severity};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

/// The name of the configuration file.
pub const FILE_NAME: &str = "embedguard.toml";

/// A set of rules, one bit per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleSet(u128);

impl RuleSet {
    /// Every rule.
    pub fn all() -> Self {
        Rule::all().fold(RuleSet(0), |s, r| s.with(r))
    }

    /// This set with `rule` added.
    pub fn with(self, rule: Rule) -> Self {
        RuleSet(self.0 | (1u128 << rule as usize))
    }

    /// Whether `rule` is in the set.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & (1u128 << rule as usize) != 0
    }

    /// The rules of `self` not in `other`.
    pub fn without(self, other: RuleSet) -> Self {
        RuleSet(self.0 & !other.0)
    }

    /// The rules in either set.
    pub fn union(self, other: RuleSet) -> Self {
        RuleSet(self.0 | other.0)
    }
}

// One bit per rule must fit.
const _: () = assert!(<Rule as strum::EnumCount>::COUNT <= 128);

/// The rules a selector names: `ALL`, a code (`EG301`), a code prefix (`EG3`, `EG30`) or a name
/// (`rls-identity-required`). `None` when it names no rule.
pub fn select(selector: &str) -> Option<RuleSet> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Some(RuleSet::all());
    }
    if let Some(rule) = Rule::lookup(s) {
        return Some(RuleSet::default().with(rule));
    }
    let upper = s.to_ascii_uppercase();
    if upper.len() < 3 || !upper.starts_with("EG") {
        return None;
    }
    let set = Rule::all()
        .filter(|r| r.code().starts_with(&upper))
        .fold(RuleSet::default(), RuleSet::with);
    (set != RuleSet::default()).then_some(set)
}

/// A problem in a configuration file (or in a `--select`/`--ignore` argument), located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// A loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    /// `select` as written (every rule when absent).
    select: RuleSet,
    /// `ignore` as written.
    ignore: RuleSet,
    /// `select` without `ignore`.
    selected: RuleSet,
    per_file: Vec<(GlobMatcher, RuleSet)>,
    severity: HashMap<Rule, Severity>,
    /// The default inventory (resolved against the file's directory) and where it is written.
    pub inventory: Option<(PathBuf, Range<usize>)>,
    /// The organisation's policy (`[policy]`), all knobs off by default.
    pub policy: Policy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            select: RuleSet::all(),
            ignore: RuleSet::default(),
            selected: RuleSet::all(),
            per_file: Vec::new(),
            severity: HashMap::new(),
            inventory: None,
            policy: Policy::default(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    inventory: Option<Spanned<String>>,
    policy: Option<RawPolicy>,
}

/// `[policy]`: the organisation's knobs (rules EG9xx), named as in the rule catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    max_lifetime_minutes: Option<u32>,
    allowed_access_levels: Option<Vec<Spanned<String>>>,
    allow_edit: Option<bool>,
    allow_save_as: Option<bool>,
    allowed_callers: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    deny_unfiltered_rls: bool,
    allowed_workspaces: Option<Vec<String>>,
    #[serde(default)]
    placeholder_usernames: bool,
}

impl RawPolicy {
    /// The core's policy; values outside the enumerations are problems located in the file.
    fn resolve(self, problems: &mut Vec<ConfigProblem>) -> Policy {
        use embedguard_core::body::AccessLevel;
        use embedguard_core::inventory::PrincipalKind;
        let levels = [
            ("View", AccessLevel::View),
            ("Edit", AccessLevel::Edit),
            ("Create", AccessLevel::Create),
        ];
        let callers = [
            ("service_principal", PrincipalKind::ServicePrincipal),
            ("master_user", PrincipalKind::MasterUser),
        ];
        Policy {
            max_lifetime_minutes: self.max_lifetime_minutes,
            allowed_access_levels: self
                .allowed_access_levels
                .map(|list| one_of(&list, &levels, problems)),
            allow_edit: self.allow_edit,
            allow_save_as: self.allow_save_as,
            allowed_callers: self
                .allowed_callers
                .map(|list| one_of(&list, &callers, problems)),
            deny_unfiltered_rls: self.deny_unfiltered_rls,
            allowed_workspaces: self.allowed_workspaces,
            placeholder_usernames: self.placeholder_usernames,
        }
    }
}

/// Each written value mapped through `allowed` (exact spelling); the others are problems.
fn one_of<T: Copy>(
    written: &[Spanned<String>],
    allowed: &[(&str, T)],
    problems: &mut Vec<ConfigProblem>,
) -> Vec<T> {
    written
        .iter()
        .filter_map(
            |w| match allowed.iter().find(|(name, _)| *name == w.get_ref()) {
                Some((_, value)) => Some(*value),
                None => {
                    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                    problems.push(ConfigProblem {
                        span: w.span(),
                        message: format!(
                            "`{}` is not one of `{}`",
                            w.get_ref(),
                            names.join("`, `")
                        ),
                        help: embedguard_core::read::nearest(w.get_ref(), names.iter().copied())
                            .map(|best| format!("did you mean `{best}`?")),
                    });
                    None
                }
            },
        )
        .collect()
}

impl Config {
    /// Reads the configuration at `path` whose text is `text`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<ConfigProblem>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            vec![ConfigProblem {
                span: e.span().unwrap_or(0..0),
                message: e.message().trim().to_string(),
                help: Some(
                    "keys are `select`, `ignore`, `inventory`, `[per-file-ignores]`, `[severity]`, \
                     `[policy]`"
                        .into(),
                ),
            }]
        })?;
        let mut problems = Vec::new();
        let select = match &raw.select {
            Some(list) => rule_set(list, &mut problems),
            None => RuleSet::all(),
        };
        let ignore = rule_set(&raw.ignore, &mut problems);
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut per_file = Vec::new();
        for (pattern, rules) in &raw.per_file_ignores {
            let rules = rule_set(rules, &mut problems);
            match Glob::new(pattern.get_ref()) {
                Ok(glob) => per_file.push((glob.compile_matcher(), rules)),
                Err(e) => problems.push(ConfigProblem {
                    span: pattern.span(),
                    message: format!("`{}` is not a valid glob: {e}", pattern.get_ref()),
                    help: Some("write a glob relative to this file, e.g. `legacy/*.yaml`".into()),
                }),
            }
        }
        let mut severity = HashMap::new();
        for (selector, level) in &raw.severity {
            let set = rule_set(std::slice::from_ref(selector), &mut problems);
            match level.get_ref().parse::<Severity>() {
                Ok(level) => {
                    for rule in Rule::all().filter(|r| set.contains(*r)) {
                        severity.insert(rule, level);
                    }
                }
                Err(_) => problems.push(ConfigProblem {
                    span: level.span(),
                    message: format!("`{}` is not a severity", level.get_ref()),
                    help: Some(
                        "write `error`, `warning` or `note`; to turn a rule off, list it under \
                         `ignore`"
                            .into(),
                    ),
                }),
            }
        }
        let inventory = raw.inventory.map(|i| (dir.join(i.get_ref()), i.span()));
        let policy = raw
            .policy
            .map(|p| p.resolve(&mut problems))
            .unwrap_or_default();
        if problems.is_empty() {
            Ok(Config {
                path: Some(path.to_path_buf()),
                select,
                ignore,
                selected: select.without(ignore),
                per_file,
                severity,
                inventory,
                policy,
            })
        } else {
            Err(problems)
        }
    }

    /// Applies `--select` (which replaces the file's `select`) and `--ignore` (which adds to
    /// its `ignore`), given as already resolved sets.
    pub fn with_command_line(mut self, select: Option<RuleSet>, ignore: RuleSet) -> Self {
        if let Some(select) = select {
            self.select = select;
        }
        self.ignore = self.ignore.union(ignore);
        self.selected = self.select.without(self.ignore);
        self
    }

    /// Whether `rule` is reported in `file`. A syntax error is always reported: without it, a
    /// file that was never checked would look clean.
    pub fn enabled(&self, rule: Rule, file: &Path) -> bool {
        if rule == Rule::SyntaxError {
            return true;
        }
        if !self.selected.contains(rule) {
            return false;
        }
        if self.per_file.is_empty() {
            return true;
        }
        let dir = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let relative = relative_to(file, dir);
        let name = file.file_name().map(Path::new);
        !self.per_file.iter().any(|(glob, rules)| {
            rules.contains(rule)
                && (glob.is_match(&relative) || name.is_some_and(|n| glob.is_match(n)))
        })
    }

    /// The severity `rule` is reported at (its own unless overridden).
    pub fn severity(&self, rule: Rule, default: Severity) -> Severity {
        self.severity.get(&rule).copied().unwrap_or(default)
    }
}

/// Resolves selectors, recording the ones that name no rule.
fn rule_set(list: &[Spanned<String>], problems: &mut Vec<ConfigProblem>) -> RuleSet {
    list.iter()
        .fold(RuleSet::default(), |set, s| match select(s.get_ref()) {
            Some(rules) => set.union(rules),
            None => {
                problems.push(unknown_selector(s.get_ref(), s.span()));
                set
            }
        })
}

/// The problem for a selector that names no rule.
pub fn unknown_selector(selector: &str, span: Range<usize>) -> ConfigProblem {
    let names = Rule::all().flat_map(|r| [r.code(), r.name()]);
    let help = match embedguard_core::read::nearest(selector, names) {
        Some(best) => format!("did you mean `{best}`? `embedguard rules` lists every rule"),
        None => "write a code (`EG301`), a prefix (`EG3`), a name or `ALL`; `embedguard rules` \
                 lists every rule"
            .to_string(),
    };
    ConfigProblem {
        span,
        message: format!("`{selector}` names no rule"),
        help: Some(help),
    }
}

/// `path` relative to `dir` when it is below it (both made absolute first), else `path`.
fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (path, dir) = (abs(path), abs(dir));
    path.strip_prefix(&dir)
        .map(Path::to_path_buf)
        .unwrap_or(path)
}

/// Finds the configuration for files in `dir`: `embedguard.toml` there or in the nearest parent.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_name_codes_prefixes_and_names() {
        let eg3 = select("EG3").expect("prefix");
        assert!(eg3.contains(Rule::RlsIdentityRequired));
        assert!(!eg3.contains(Rule::UnknownField));
        assert_eq!(
            select("rls-identity-required"),
            Some(RuleSet::default().with(Rule::RlsIdentityRequired))
        );
        assert_eq!(select("eg301"), select("EG301"));
        assert_eq!(select("all"), Some(RuleSet::all()));
        assert_eq!(select("EG8"), None, "no EG8xx rule exists");
        assert_eq!(select("E"), None);
        assert_eq!(select("rls"), None);
    }

    #[test]
    fn reads_every_key() {
        let text = r#"
select = ["EG0", "EG3"]
ignore = ["EG302"]
inventory = "tenant.yaml"
[per-file-ignores]
"legacy/*.yaml" = ["EG301"]
[severity]
EG303 = "warning"
"#;
        let c = Config::parse(Path::new("/repo/embedguard.toml"), text).expect("valid");
        let here = Path::new("/repo/apps/a.yaml");
        assert!(c.enabled(Rule::RlsIdentityRequired, here));
        assert!(!c.enabled(Rule::RlsUnfiltered, here), "ignored");
        assert!(!c.enabled(Rule::MyWorkspace, here), "not selected");
        assert!(c.enabled(Rule::SyntaxError, here));
        assert!(!c.enabled(
            Rule::RlsIdentityRequired,
            Path::new("/repo/legacy/old.yaml")
        ));
        assert_eq!(
            c.severity(Rule::IdentityWithoutRls, Severity::Error),
            Severity::Warning
        );
        assert_eq!(
            c.inventory.as_ref().map(|(p, _)| p.clone()),
            Some(PathBuf::from("/repo/tenant.yaml"))
        );
    }

    #[test]
    fn problems_are_located() {
        let text = "select = [\"EG30l\"]\n";
        let problems = Config::parse(Path::new("embedguard.toml"), text).expect_err("bad");
        assert_eq!(&text[problems[0].span.clone()], "\"EG30l\"");
        assert!(problems[0].help.as_deref().unwrap_or("").contains("EG301"));

        let text = "selct = [\"EG301\"]\n";
        let problems = Config::parse(Path::new("embedguard.toml"), text).expect_err("bad");
        assert_eq!(&text[problems[0].span.clone()], "selct");
        assert!(
            problems[0].message.contains("unknown field"),
            "{problems:?}"
        );

        let text = "[severity]\nEG301 = \"fatal\"\n";
        let problems = Config::parse(Path::new("embedguard.toml"), text).expect_err("bad");
        assert_eq!(&text[problems[0].span.clone()], "\"fatal\"");
    }

    #[test]
    fn policy_knobs_are_typed_and_located() {
        let text =
            "[policy]\nmax_lifetime_minutes = 30\nallowed_callers = [\"service_principal\"]\n\
                    deny_unfiltered_rls = true\n";
        let c = Config::parse(Path::new("embedguard.toml"), text).expect("valid");
        assert_eq!(c.policy.max_lifetime_minutes, Some(30));
        assert!(c.policy.deny_unfiltered_rls);
        assert!(c.policy.is_set());
        assert!(!Config::default().policy.is_set());

        let text = "[policy]\nallowed_access_levels = [\"view\"]\n";
        let problems = Config::parse(Path::new("embedguard.toml"), text).expect_err("bad");
        assert_eq!(&text[problems[0].span.clone()], "\"view\"");
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `View`?"));

        let text = "[policy]\nmax_lifetime = 30\n";
        let problems = Config::parse(Path::new("embedguard.toml"), text).expect_err("bad");
        assert!(
            problems[0].message.contains("max_lifetime_minutes"),
            "{problems:?}"
        );
    }

    #[test]
    fn command_line_replaces_selection_and_adds_ignores() {
        let c = Config::parse(Path::new("embedguard.toml"), "select = [\"EG3\"]\n")
            .expect("valid")
            .with_command_line(select("EG1"), select("EG101").expect("code"));
        let f = Path::new("a.yaml");
        assert!(c.enabled(Rule::V2ClassicWorkspace, f));
        assert!(!c.enabled(Rule::MyWorkspace, f));
        assert!(!c.enabled(Rule::RlsIdentityRequired, f));
    }
}

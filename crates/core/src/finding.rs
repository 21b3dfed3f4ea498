//! Findings as data: what a rule says about one place in a document.
//!
//! A finding carries no source position: it names a [`Pointer`] into either the request
//! description or the inventory it was judged against, and the front end turns that into a file,
//! line and column.

use crate::registry::Rule;
use crate::value::Pointer;

/// How serious a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    serde::Serialize,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Power BI refuses the request, or does something other than what it says.
    Error,
    /// Accepted, but risky, deprecated or against Microsoft's recommendation.
    Warning,
    /// Advice; never changes the exit code.
    Note,
}

/// Which document a finding's pointer is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The request description file.
    Request,
    /// The inventory (tenant facts), inline under `tenant:` or in its own file.
    Inventory,
}

/// Whether a finding is about a member's key or about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The value at the pointer (for a missing field: the object that should hold it).
    Value,
    /// The key of the member at the pointer (unknown or misplaced keys).
    Key,
    /// The key of the `i`-th member (0-based, counting every member) of the object that holds
    /// the pointer's member: a key written twice shares one pointer, and this says which copy is
    /// meant, in constant time for a front end that indexes members.
    MemberKey(usize),
}

/// A place in a document: which document, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Which document.
    pub origin: Origin,
    /// Where in it.
    pub pointer: Pointer,
    /// Key or value.
    pub target: Target,
}

impl Location {
    /// The value at `pointer` in the request description.
    pub fn request(pointer: Pointer) -> Self {
        Location {
            origin: Origin::Request,
            pointer,
            target: Target::Value,
        }
    }

    /// The value at `pointer` in the inventory.
    pub fn inventory(pointer: Pointer) -> Self {
        Location {
            origin: Origin::Inventory,
            pointer,
            target: Target::Value,
        }
    }

    /// The same place, but its key rather than its value.
    pub fn key(mut self) -> Self {
        self.target = Target::Key;
        self
    }
}

/// A secondary place that explains a finding ("the dataset is declared here").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it shows, as a short label.
    pub label: String,
}

/// One diagnostic produced by a rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    /// Where the problem is.
    pub location: Location,
    /// The rule that fired.
    pub rule: Rule,
    /// The severity of this finding (usually the rule's default).
    pub severity: Severity,
    /// What is wrong, lower-case, no trailing period, names in backticks.
    pub message: String,
    /// The concrete fix, if there is one to suggest.
    pub help: Option<String>,
    /// The values that went into the message, by name, for machines.
    pub args: Vec<(&'static str, String)>,
    /// Places that explain why.
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding of `rule` at `location`, with the rule's default severity.
    pub fn new(rule: Rule, location: Location, message: impl Into<String>) -> Self {
        Finding {
            location,
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            help: None,
            args: Vec::new(),
            related: Vec::new(),
        }
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Records a message argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// Adds a secondary location.
    pub fn related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            label: label.into(),
        });
        self
    }
}

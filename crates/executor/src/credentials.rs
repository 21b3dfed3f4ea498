//! Who signs in to Microsoft Entra, read from the environment or a credentials file — never from
//! a description file (a secret there is EG501).
//!
//! | variable | meaning |
//! |---|---|
//! | `EMBEDGUARD_TENANT_ID` | the Entra tenant (directory) id or domain |
//! | `EMBEDGUARD_CLIENT_ID` | the app registration's client (application) id |
//! | `EMBEDGUARD_CLIENT_SECRET` | service principal, client secret |
//! | `EMBEDGUARD_CERTIFICATE` | service principal, certificate: path of a PEM file with the private key and the certificate |
//! | `EMBEDGUARD_USERNAME`, `EMBEDGUARD_PASSWORD` | master user (the password grant the official samples use) |
//!
//! Exactly one of the secret, the certificate, or the username and password. A credentials file
//! holds the same names as `NAME=VALUE` lines (`#` starts a comment line); a relative
//! certificate path in it is resolved against the file's directory.

use std::path::{Path, PathBuf};

use crate::certificate::{Certificate, CertificateError};
use crate::secret::Secret;

/// The tenant id variable.
pub const TENANT_ID: &str = "EMBEDGUARD_TENANT_ID";
/// The client id variable.
pub const CLIENT_ID: &str = "EMBEDGUARD_CLIENT_ID";
/// The client secret variable.
pub const CLIENT_SECRET: &str = "EMBEDGUARD_CLIENT_SECRET";
/// The certificate path variable.
pub const CERTIFICATE: &str = "EMBEDGUARD_CERTIFICATE";
/// The master user's user name variable.
pub const USERNAME: &str = "EMBEDGUARD_USERNAME";
/// The master user's password variable.
pub const PASSWORD: &str = "EMBEDGUARD_PASSWORD";
/// Every variable, in the order the documentation lists them.
pub const VARIABLES: &[&str] = &[
    TENANT_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    CERTIFICATE,
    USERNAME,
    PASSWORD,
];

/// How the app signs in.
#[derive(Debug)]
pub enum SignIn {
    /// Service principal, client credentials with a client secret.
    ClientSecret(Secret),
    /// Service principal, client credentials with a certificate (signed client assertion).
    Certificate(Box<Certificate>),
    /// Master user: the resource-owner password grant, as the official samples do.
    MasterUser {
        /// The user principal name.
        username: String,
        /// The password.
        password: Secret,
    },
}

/// Everything needed to ask Entra for a Power BI access token.
#[derive(Debug)]
pub struct Credentials {
    /// The tenant id or domain.
    pub tenant_id: String,
    /// The client (application) id.
    pub client_id: String,
    /// How it signs in.
    pub sign_in: SignIn,
}

/// Why no credentials could be read. Never quotes a value.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CredentialsError {
    /// A required variable is unset or empty.
    #[error("`{0}` is not set")]
    Missing(&'static str),
    /// No way to sign in is given.
    #[error("no way to sign in: set `{CLIENT_SECRET}`, `{CERTIFICATE}`, or `{USERNAME}` and `{PASSWORD}`")]
    NoSignIn,
    /// More than one way to sign in is given.
    #[error("more than one way to sign in ({0}): set only one of `{CLIENT_SECRET}`, `{CERTIFICATE}`, or `{USERNAME}` and `{PASSWORD}`")]
    Ambiguous(String),
    /// The credentials or certificate file cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// A line of the credentials file is not `NAME=VALUE` with a known name.
    #[error("`{path}` line {line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong (never the value).
        reason: String,
    },
    /// The certificate file cannot be used.
    #[error("certificate `{path}`: {source}")]
    Certificate {
        /// The file.
        path: PathBuf,
        /// Why.
        source: CertificateError,
    },
}

impl Credentials {
    /// Reads the credentials from the process environment.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok(), Path::new(""))
    }

    /// Reads a credentials file of `NAME=VALUE` lines.
    pub fn from_file(path: &Path) -> Result<Self, CredentialsError> {
        let text = std::fs::read_to_string(path).map_err(|e| CredentialsError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let vars = parse_file(path, &text)?;
        let base = path.parent().unwrap_or(Path::new(""));
        Self::from_lookup(
            |name| {
                vars.iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            },
            base,
        )
    }

    /// Reads the credentials through `lookup` (a variable's value by name); a relative
    /// certificate path is resolved against `base`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        base: &Path,
    ) -> Result<Self, CredentialsError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let tenant_id = get(TENANT_ID).ok_or(CredentialsError::Missing(TENANT_ID))?;
        let client_id = get(CLIENT_ID).ok_or(CredentialsError::Missing(CLIENT_ID))?;
        let secret = get(CLIENT_SECRET);
        let certificate = get(CERTIFICATE);
        let (username, password) = (get(USERNAME), get(PASSWORD));
        let given: Vec<&str> = [
            secret.as_ref().map(|_| CLIENT_SECRET),
            certificate.as_ref().map(|_| CERTIFICATE),
            (username.is_some() || password.is_some()).then_some(USERNAME),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() > 1 {
            return Err(CredentialsError::Ambiguous(given.join(", ")));
        }
        let sign_in = match (secret, certificate, username, password) {
            (Some(s), _, _, _) => SignIn::ClientSecret(Secret::new(s)),
            (_, Some(c), _, _) => {
                let path = base.join(c.trim());
                let pem = std::fs::read(&path).map_err(|e| CredentialsError::Unreadable {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
                let cert = Certificate::from_pem(&pem)
                    .map_err(|source| CredentialsError::Certificate { path, source })?;
                SignIn::Certificate(Box::new(cert))
            }
            (_, _, Some(username), Some(password)) => SignIn::MasterUser {
                username,
                password: Secret::new(password),
            },
            (_, _, Some(_), None) => return Err(CredentialsError::Missing(PASSWORD)),
            (_, _, None, Some(_)) => return Err(CredentialsError::Missing(USERNAME)),
            _ => return Err(CredentialsError::NoSignIn),
        };
        Ok(Credentials {
            tenant_id: tenant_id.trim().to_string(),
            client_id: client_id.trim().to_string(),
            sign_in,
        })
    }

    /// The secrets that must never be shown (for scrubbing what a server sends back).
    pub fn secrets(&self) -> Vec<&Secret> {
        match &self.sign_in {
            SignIn::ClientSecret(s) => vec![s],
            SignIn::MasterUser { password, .. } => vec![password],
            SignIn::Certificate(_) => vec![],
        }
    }

    /// What kind of caller this is, for messages: `service principal` or `master user`.
    pub fn caller_kind(&self) -> &'static str {
        match self.sign_in {
            SignIn::MasterUser { .. } => "master user",
            _ => "service principal",
        }
    }
}

/// The `NAME=VALUE` lines of a credentials file.
fn parse_file(path: &Path, text: &str) -> Result<Vec<(String, String)>, CredentialsError> {
    let mut vars = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let malformed = |reason: String| CredentialsError::Malformed {
            path: path.to_path_buf(),
            line: i + 1,
            reason,
        };
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            return Err(malformed("expected `NAME=VALUE`".into()));
        };
        let name = name.trim();
        if !VARIABLES.contains(&name) {
            return Err(malformed(format!(
                "unknown name `{}`; the names are {}",
                name.chars().take(64).collect::<String>(),
                VARIABLES.join(", ")
            )));
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        vars.push((name.to_string(), value.to_string()));
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Credentials::from_lookup(|n| map.get(n).cloned(), Path::new(""))
    }

    #[test]
    fn one_sign_in_method_is_required() {
        let base = [(TENANT_ID, "t"), (CLIENT_ID, "c")];
        assert_eq!(from(&base).err(), Some(CredentialsError::NoSignIn));
        assert_eq!(
            from(&[(CLIENT_ID, "c"), (CLIENT_SECRET, "s")]).err(),
            Some(CredentialsError::Missing(TENANT_ID))
        );
        let both = [base[0], base[1], (CLIENT_SECRET, "s"), (USERNAME, "u")];
        assert!(matches!(
            from(&both).err(),
            Some(CredentialsError::Ambiguous(_))
        ));
        let user = [base[0], base[1], (USERNAME, "u")];
        assert_eq!(from(&user).err(), Some(CredentialsError::Missing(PASSWORD)));
        let ok = from(&[base[0], base[1], (CLIENT_SECRET, "s3cr3t-value")]).expect("ok");
        assert!(matches!(ok.sign_in, SignIn::ClientSecret(_)));
        assert!(!format!("{ok:?}").contains("s3cr3t-value"));
        let mu = from(&[base[0], base[1], (USERNAME, "u"), (PASSWORD, "pw-value")]).expect("ok");
        assert_eq!(mu.caller_kind(), "master user");
        assert!(!format!("{mu:?}").contains("pw-value"));
    }

    #[test]
    fn credentials_file_lines() {
        let p = Path::new("creds.env");
        let vars = parse_file(
            p,
            "# comment\nexport EMBEDGUARD_TENANT_ID=t\nEMBEDGUARD_CLIENT_SECRET=\"a=b\"\n",
        )
        .expect("parse");
        assert_eq!(
            vars,
            vec![
                (TENANT_ID.to_string(), "t".to_string()),
                (CLIENT_SECRET.to_string(), "a=b".to_string())
            ]
        );
        let err = parse_file(p, "EMBEDGUARD_TENANT_ID=t\nSECRET_THING\n").expect_err("bad");
        assert_eq!(err.to_string(), "`creds.env` line 2: expected `NAME=VALUE`");
        let err = parse_file(p, "CLIENT_SECRET=hush-hush-value\n").expect_err("bad");
        assert!(!err.to_string().contains("hush-hush-value"));
    }
}

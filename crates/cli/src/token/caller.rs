//! Who the request was judged as, and whether the credentials sign in as that principal.
//!
//! The lint judges a request as its `caller`: a service principal or a master user of the
//! tenant, with that principal's rights, licence and row-level-security matrix. Power BI judges
//! the call as whoever signed in. When the two differ, the lint's verdict is about someone else
//! (a master user's token where the rules were checked for a service principal, or another
//! app's), so `token` refuses before signing in.

use embedguard_core::inventory::PrincipalKind;
use embedguard_executor::{Credentials, SignIn};
use serde::Serialize;

use crate::check::Seen;

/// The principal a request was judged as, as its tenant describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caller {
    /// The principal's name in the inventory.
    pub principal: String,
    /// Service principal or master user, when the inventory says.
    #[serde(serialize_with = "kind_text", skip_serializing_if = "Option::is_none")]
    pub kind: Option<PrincipalKind>,
    /// The application (client) id, when the inventory gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The user principal name, when the inventory gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
}

fn kind_text<S: serde::Serializer>(kind: &Option<PrincipalKind>, s: S) -> Result<S::Ok, S::Error> {
    match kind {
        Some(k) => s.serialize_str(&k.to_string()),
        None => s.serialize_none(),
    }
}

/// The principal request `name` of a checked description was judged as: `None` without a
/// tenant, or when the tenant does not name its caller (which the lint reports).
pub fn judged_as(seen: Seen<'_>, name: &str) -> Option<Caller> {
    let tenant = seen.tenant?;
    let request = seen.description.requests.iter().find(|r| r.name == name)?;
    let principal = tenant.principal_data(tenant.principal(request.caller.get()?)?)?;
    Some(Caller {
        principal: principal.name.clone(),
        kind: principal.kind,
        app_id: principal.app_id.clone(),
        upn: principal.upn.clone(),
    })
}

/// Why `credentials` do not sign in as `caller`, or `None` when nothing the inventory knows
/// says otherwise. Never quotes a credential: only the inventory's values are named.
pub fn mismatch(credentials: &Credentials, caller: &Caller) -> Option<String> {
    let signs_in_as = match credentials.sign_in {
        SignIn::MasterUser { .. } => PrincipalKind::MasterUser,
        SignIn::ClientSecret(_) | SignIn::Certificate(_) => PrincipalKind::ServicePrincipal,
    };
    let name = &caller.principal;
    if let Some(kind) = caller.kind.filter(|k| *k != signs_in_as) {
        return Some(format!(
            "the request was checked as {kind} `{name}`, but the credentials sign in as a \
             {signs_in_as}"
        ));
    }
    match &credentials.sign_in {
        SignIn::MasterUser { username, .. } => caller
            .upn
            .as_ref()
            .filter(|upn| !upn.eq_ignore_ascii_case(username.trim()))
            .map(|upn| {
                format!(
                    "the request was checked as master user `{name}` ({upn}), but the \
                     credentials sign in as another user"
                )
            }),
        SignIn::ClientSecret(_) | SignIn::Certificate(_) => caller
            .app_id
            .as_ref()
            .filter(|app| !app.eq_ignore_ascii_case(credentials.client_id.trim()))
            .map(|app| {
                format!(
                    "the request was checked as service principal `{name}` (app {app}), but \
                     the credentials sign in as another app"
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedguard_executor::Secret;

    const APP: &str = "1a76273b-3726-48f2-bdf9-64bac6800e0c";

    fn credentials(client_id: &str, sign_in: SignIn) -> Credentials {
        Credentials {
            tenant_id: "contoso.example".into(),
            client_id: client_id.into(),
            sign_in,
        }
    }

    fn secret() -> SignIn {
        SignIn::ClientSecret(Secret::new("s3cret-value"))
    }

    fn user(name: &str) -> SignIn {
        SignIn::MasterUser {
            username: name.into(),
            password: Secret::new("pa55word-value"),
        }
    }

    fn sp() -> Caller {
        Caller {
            principal: "embed-sp".into(),
            kind: Some(PrincipalKind::ServicePrincipal),
            app_id: Some(APP.into()),
            upn: None,
        }
    }

    fn mu() -> Caller {
        Caller {
            principal: "pro-master".into(),
            kind: Some(PrincipalKind::MasterUser),
            app_id: None,
            upn: Some("embed.master@contoso.com".into()),
        }
    }

    #[test]
    fn the_signed_in_identity_must_be_the_checked_one() {
        assert_eq!(mismatch(&credentials(APP, secret()), &sp()), None);
        assert_eq!(
            mismatch(&credentials(&APP.to_uppercase(), secret()), &sp()),
            None
        );
        let other_app = mismatch(
            &credentials("95d33196-e104-4d66-ab41-58ea2051a367", secret()),
            &sp(),
        );
        assert!(other_app.is_some_and(|m| m.contains("another app") && m.contains(APP)));
        let as_user = mismatch(&credentials(APP, user("embed.master@contoso.com")), &sp());
        assert!(as_user.is_some_and(|m| m.contains("sign in as a master user")));

        assert_eq!(
            mismatch(&credentials(APP, user("Embed.Master@contoso.com")), &mu()),
            None
        );
        let other_user =
            mismatch(&credentials(APP, user("someone@contoso.com")), &mu()).expect("another user");
        assert!(
            !other_user.contains("someone"),
            "quotes a credential: {other_user}"
        );
        let as_app = mismatch(&credentials(APP, secret()), &mu());
        assert!(as_app.is_some_and(|m| m.contains("sign in as a service principal")));

        // What the inventory does not say is not held against the credentials.
        let unknown = Caller {
            principal: "someone".into(),
            kind: None,
            app_id: None,
            upn: None,
        };
        assert_eq!(mismatch(&credentials(APP, secret()), &unknown), None);
        assert_eq!(mismatch(&credentials(APP, user("x@y.z")), &unknown), None);
    }
}

//! Who is calling: a principal of the inventory, found from the bearer token's claims or from a
//! header set by an authenticating proxy in front of the gateway.
//!
//! The token's signature is not verified here: Power BI verifies it, and a forged token is
//! refused there. The claims only choose which principal's facts the rules judge the request
//! against, so a lie can only make the gateway judge the request as some other known principal
//! would be judged — and Power BI then refuses the forged token itself. Nothing from the token is
//! ever logged or quoted in a message.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use embedguard_core::inventory::Tenant;

/// Where the caller's identity comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerSource {
    /// The `Authorization: Bearer` token's `oid` claim (a principal's `object_id`), else its
    /// `upn` claim (a master user's `upn`).
    BearerToken,
    /// A header (lower-case name) holding a principal's name or object id, set by an
    /// authenticating proxy that has already verified the caller.
    Header(String),
}

/// Why no caller was found; says what was missing, never what the token held.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallerError {
    /// No `Authorization: Bearer` header.
    #[error("the request has no `Authorization: Bearer` token")]
    NoToken,
    /// The token is not a JWT whose payload is a JSON object.
    #[error("the bearer token is not a JSON Web Token with a readable payload")]
    NotAJwt,
    /// The token has neither `oid` nor `upn`.
    #[error("the bearer token has neither an `oid` nor a `upn` claim")]
    NoClaim,
    /// The configured header is absent or repeated.
    #[error("the request must carry exactly one `{0}` header")]
    NoHeader(String),
}

/// The claims the gateway reads from a token.
#[derive(Debug, Default, PartialEq, Eq)]
struct Claims {
    oid: Option<String>,
    upn: Option<String>,
}

/// Decodes the payload of a JWT (`header.payload.signature`) without verifying it.
fn claims(token: &str) -> Result<Claims, CallerError> {
    let mut parts = token.split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CallerError::NotAJwt);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .map_err(|_| CallerError::NotAJwt)?;
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| CallerError::NotAJwt)?;
    let object = json.as_object().ok_or(CallerError::NotAJwt)?;
    let text = |k: &str| object.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Ok(Claims {
        oid: text("oid"),
        upn: text("upn"),
    })
}

/// The bearer token of an `Authorization` value (`Bearer` in any letter case).
pub fn bearer(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The name of the principal the `Authorization` header's token belongs to. When no principal
/// has its `oid` or `upn` (or there is no inventory: a library use), the `oid`, else the `upn`,
/// is the reference, and the rules report it as unresolved (EG008).
pub fn from_token(
    authorization: Option<&str>,
    tenant: Option<&Tenant>,
) -> Result<String, CallerError> {
    let token = authorization.and_then(bearer).ok_or(CallerError::NoToken)?;
    let claims = claims(token)?;
    if claims.oid.is_none() && claims.upn.is_none() {
        return Err(CallerError::NoClaim);
    }
    let Some(tenant) = tenant else {
        return claims.oid.or(claims.upn).ok_or(CallerError::NoClaim);
    };
    if let Some(p) = claims
        .oid
        .as_deref()
        .and_then(|oid| tenant.principal(oid))
        .and_then(|id| tenant.principal_data(id))
    {
        // An `oid` that is a GUID matched an `object_id` (a name never parses as a GUID, but
        // make sure the match was not by name).
        if p.object_id.is_some() {
            return Ok(p.name.clone());
        }
    }
    if let Some(upn) = claims.upn.as_deref() {
        if let Some(p) = tenant.inventory().principals.iter().find(|p| {
            p.upn
                .as_deref()
                .is_some_and(|u| u.trim().eq_ignore_ascii_case(upn.trim()))
        }) {
            return Ok(p.name.clone());
        }
    }
    // Known to no principal: judged as that reference, which the rules report as unresolved
    // (EG008), exactly as `check` reports a `caller:` the inventory lacks.
    claims.oid.or(claims.upn).ok_or(CallerError::NoClaim)
}

/// The name of the principal a trusted header names (by name or object id); otherwise the
/// header's value, which the rules then report as unresolved.
pub fn from_header(
    header: &str,
    values: &[&str],
    tenant: Option<&Tenant>,
) -> Result<String, CallerError> {
    let [value] = values else {
        return Err(CallerError::NoHeader(header.to_string()));
    };
    let Some(tenant) = tenant else {
        return Ok((*value).to_string());
    };
    // A reference the inventory lacks is judged as written: the rules report it (EG008).
    Ok(tenant
        .principal(value)
        .and_then(|id| tenant.principal_data(id))
        .map_or_else(|| (*value).to_string(), |p| p.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "Bearer {}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_oid_and_upn_without_verifying() {
        let t = jwt(r#"{"oid":"1b2c","upn":"a@b.c"}"#);
        let c = claims(bearer(&t).unwrap()).unwrap();
        assert_eq!(c.oid.as_deref(), Some("1b2c"));
        assert_eq!(c.upn.as_deref(), Some("a@b.c"));
    }

    #[test]
    fn refuses_what_is_not_a_jwt() {
        assert_eq!(claims("abc"), Err(CallerError::NotAJwt));
        assert_eq!(claims("a.!!!.c"), Err(CallerError::NotAJwt));
        let not_object = format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1]"));
        assert_eq!(claims(&not_object), Err(CallerError::NotAJwt));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("bearer  x "), Some("x"));
    }
}

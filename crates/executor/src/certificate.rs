//! A certificate credential: the signed JWT client assertion Entra accepts in place of a secret.
//!
//! Entra's client-credentials grant with a certificate takes a JWT signed RS256 by the
//! certificate's private key, its header naming the certificate by `x5t` (the base64url SHA-1
//! thumbprint of its DER form), its claims `aud` (the token endpoint), `iss` = `sub` (the client
//! id), a unique `jti`, and a short validity window. Signing and hashing are ring's, the same
//! library rustls already uses for TLS.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::secret::Secret;

/// How long an assertion is valid: Entra only needs it for the one token request.
const ASSERTION_LIFETIME_SECS: u64 = 600;

/// Why a certificate file cannot be used. Never quotes the key.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CertificateError {
    /// No `CERTIFICATE` block.
    #[error("the PEM file holds no `CERTIFICATE` block")]
    NoCertificate,
    /// No private key block.
    #[error("the PEM file holds no private key (`PRIVATE KEY` or `RSA PRIVATE KEY` block)")]
    NoKey,
    /// A key ring cannot use for RS256.
    #[error("the private key is not an RSA key of 2048 bits or more: {0}")]
    NotRsa(String),
    /// Signing failed.
    #[error("signing the client assertion failed")]
    Signing,
}

/// An RSA private key and the thumbprint of its certificate.
pub struct Certificate {
    key: RsaKeyPair,
    /// base64url SHA-1 of the certificate's DER form (the JWT `x5t` header).
    x5t: String,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("x5t", &self.x5t)
            .field("key", &"…")
            .finish()
    }
}

impl Certificate {
    /// Reads a PEM file holding the private key (PKCS#8 or PKCS#1) and the certificate (the first
    /// `CERTIFICATE` block is the one registered with the app).
    pub fn from_pem(pem: &[u8]) -> Result<Self, CertificateError> {
        let cert = CertificateDer::pem_slice_iter(pem)
            .find_map(Result::ok)
            .ok_or(CertificateError::NoCertificate)?;
        let key = PrivateKeyDer::from_pem_slice(pem).map_err(|_| CertificateError::NoKey)?;
        let key = match &key {
            PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
            _ => {
                return Err(CertificateError::NotRsa(
                    "an elliptic-curve key (Entra's RS256 assertion needs RSA)".into(),
                ))
            }
        }
        .map_err(|e| CertificateError::NotRsa(e.to_string()))?;
        let thumbprint = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &cert);
        Ok(Certificate {
            key,
            x5t: URL_SAFE_NO_PAD.encode(thumbprint.as_ref()),
        })
    }

    /// The `x5t` thumbprint the assertion names.
    pub fn x5t(&self) -> &str {
        &self.x5t
    }

    /// A client assertion for `client_id` at the token endpoint `audience`, valid from now.
    pub fn assertion(&self, client_id: &str, audience: &str) -> Result<Secret, CertificateError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.assertion_at(client_id, audience, now)
    }

    /// [`Certificate::assertion`] at the Unix time `now`.
    pub fn assertion_at(
        &self,
        client_id: &str,
        audience: &str,
        now: u64,
    ) -> Result<Secret, CertificateError> {
        let rng = SystemRandom::new();
        let mut jti = [0u8; 16];
        rng.fill(&mut jti).map_err(|_| CertificateError::Signing)?;
        let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "x5t": self.x5t });
        let claims = serde_json::json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": jti.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| CertificateError::Signing)?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};

    const PEM: &[u8] = include_bytes!("../tests/data/test-certificate.pem");
    const PUBLIC: &[u8] = include_bytes!("../tests/data/test-public-key.der");

    #[test]
    fn assertion_is_a_verifiable_rs256_jwt_naming_the_certificate() {
        let cert = Certificate::from_pem(PEM).expect("test certificate");
        // `openssl x509 -outform DER | sha1sum` of the test certificate, base64url.
        let sha1 = "95178fccb98e1ec81021cbf830f21e02a9fd67c7";
        let bytes: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&sha1[2 * i..2 * i + 2], 16).expect("hex"))
            .collect();
        assert_eq!(cert.x5t(), URL_SAFE_NO_PAD.encode(bytes));
        let jwt = cert
            .assertion_at("client", "https://login/t/oauth2/v2.0/token", 1_000)
            .expect("sign");
        let parts: Vec<&str> = jwt.expose().split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["x5t"], cert.x5t());
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(claims["iss"], "client");
        assert_eq!(claims["sub"], "client");
        assert_eq!(claims["aud"], "https://login/t/oauth2/v2.0/token");
        assert_eq!(claims["exp"], 1_600);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
        let signed = format!("{}.{}", parts[0], parts[1]);
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, PUBLIC)
            .verify(signed.as_bytes(), &signature)
            .expect("signature verifies with the certificate's public key");
        assert!(!format!("{cert:?}").contains("PRIVATE"));
    }

    #[test]
    fn a_pem_without_key_or_certificate_is_refused() {
        let text = std::str::from_utf8(PEM).expect("utf8");
        let cert_only = &text[text.find("-----BEGIN CERTIFICATE").expect("cert")..];
        assert_eq!(
            Certificate::from_pem(cert_only.as_bytes()).err(),
            Some(CertificateError::NoKey)
        );
        let key_only = &text[..text.find("-----BEGIN CERTIFICATE").expect("cert")];
        assert_eq!(
            Certificate::from_pem(key_only.as_bytes()).err(),
            Some(CertificateError::NoCertificate)
        );
    }
}

//! The issuers accredited now, as the trust list's entries: one reading of the accreditation records
//! serves both the exported trust list (`GET /api/trust-list`) and the service's own verifications.

use chrono::{DateTime, Utc};
use microcred_vc::trust::{AccreditedIssuer, IssuerScope};

use crate::app::AppState;
use crate::problem::ApiResult;

/// One unexpired accreditation, with the authority that granted it.
pub struct Accredited {
    pub authority_id: String,
    pub issuer: AccreditedIssuer,
}

fn parse_instant(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Every accreditation (optionally by one authority) not expired at `now`, naming each provider by the
/// did:web it signs with: its stored key's, or the one its first key will get.
pub async fn accredited_issuers(
    state: &AppState,
    base_url: &str,
    authority: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Accredited>> {
    let keys = state.store.issuer_keys().await?;
    let organisations = state.store.organisations().await?;
    let mut found = Vec::new();
    for accreditation in state.store.accreditations(authority).await? {
        let valid_from = parse_instant(&accreditation.valid_from);
        let valid_until = parse_instant(&accreditation.valid_until);
        if valid_until.is_some_and(|until| until <= now) {
            continue;
        }
        let Some(provider) = organisations.iter().find(|o| o.id == accreditation.provider_id) else {
            continue;
        };
        let id = keys
            .iter()
            .find(|k| k.provider_id == provider.id)
            .map(|k| k.did.clone())
            .unwrap_or_else(|| crate::issuer::issuer_did(base_url, &provider.id));
        found.push(Accredited {
            authority_id: accreditation.authority_id,
            issuer: AccreditedIssuer {
                id,
                name: provider.name.clone(),
                scope: IssuerScope {
                    eqf_levels: accreditation.eqf_levels,
                    isced_fields: accreditation.isced_fields,
                    countries: accreditation.countries,
                },
                valid_from,
                valid_until,
            },
        });
    }
    Ok(found)
}

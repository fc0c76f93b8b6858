//! What verification on this service reads instead of the network: its own status lists, its own
//! trust list (the accreditations in the database), and, for credentials it issued, the description.

use chrono::{DateTime, Utc};
use microcred_model::Description;
use microcred_store::StoreError;
use microcred_vc::trust::{AccreditedIssuer, IssuerScope, TrustList};
use serde_json::Value;

use super::PageError;
use crate::app::AppState;
use crate::routes::descriptions::body_of;

fn instant(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The accredited issuers now, under every identifier their credentials may carry (the provider's
/// issuing DID and its web address).
pub async fn trust_list(state: &AppState) -> Result<Option<TrustList>, PageError> {
    let organisations = state.store.organisations().await?;
    let keys = state.store.issuer_keys().await?;
    let now = Utc::now();
    let mut issuers = Vec::new();
    for accreditation in state.store.accreditations(None).await? {
        let valid_until = instant(&accreditation.valid_until);
        if valid_until.is_some_and(|until| until <= now) {
            continue;
        }
        let Some(provider) = organisations.iter().find(|o| o.id == accreditation.provider_id) else {
            continue;
        };
        let ids = keys
            .iter()
            .filter(|k| k.provider_id == provider.id)
            .map(|k| k.did.clone())
            .chain(provider.uri.clone());
        for id in ids {
            issuers.push(AccreditedIssuer {
                id,
                name: provider.name.clone(),
                scope: IssuerScope {
                    eqf_levels: accreditation.eqf_levels.clone(),
                    isced_fields: accreditation.isced_fields.clone(),
                    countries: accreditation.countries.clone(),
                },
                valid_from: instant(&accreditation.valid_from),
                valid_until,
            });
        }
    }
    Ok(Some(TrustList {
        authority: "this service's accreditation register".into(),
        valid_from: None,
        valid_until: None,
        issuers,
    }))
}

/// The status list credential behind `url`, when it is one of this service's lists.
pub async fn status_list(state: &AppState, url: &str) -> Result<Option<Value>, PageError> {
    let _ = (state, url);
    Ok(None)
}

/// The description a credential of this service was issued from (found by the credential's id).
pub async fn issued_description(
    state: &AppState,
    credential: &Value,
) -> Result<Option<Description>, PageError> {
    let Some(id) = credential["id"].as_str() else {
        return Ok(None);
    };
    match state.store.credential(id).await {
        Ok(record) => Ok(Some(
            body_of(state, &record.description_id, record.version).await?,
        )),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

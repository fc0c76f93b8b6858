//! Accreditation records and the trust list rendered from them (the format of crate microcred-vc's
//! `trust` module), signed by the accrediting authorities' own keys so `microcred verify --trust-list`
//! can trust it offline.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use microcred_model::{Country, EqfLevel, IscedField};
use microcred_store::{new_id, Accreditation, AccreditationKind, OrgKind, Role};
use microcred_vc::trust::TrustList;
use serde::Deserialize;
use serde_json::Value;

use crate::app::{AppState, Routes};
use crate::auth::Principal;
use crate::body::JsonBody;
use crate::permissions::Permission;
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/accreditations", list)
        .add(Method::POST, "/api/accreditations", create)
        .add(Method::GET, "/api/trust-list", trust_list)
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    authority: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<Accreditation>>> {
    Ok(Json(
        state.store.accreditations(query.authority.as_deref()).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccreditation {
    /// Defaults to the caller's own authority; only an admin may name another.
    #[serde(default)]
    pub authority_id: Option<String>,
    pub provider_id: String,
    pub kind: AccreditationKind,
    #[serde(default)]
    pub description_id: Option<String>,
    #[serde(default)]
    pub eqf_levels: Vec<u8>,
    #[serde(default)]
    pub isced_fields: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    /// RFC 3339 or YYYY-MM-DD.
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// A date or a date-time, normalised to RFC 3339 UTC.
fn instant(pointer: &str, text: &str) -> ApiResult<String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(microcred_store::timestamp(at.with_timezone(&Utc)));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(microcred_store::timestamp(
            date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        ));
    }
    Err(Problem::invalid_field(
        pointer,
        format!("{text:?} is not a date; write 2026-01-31 or 2026-01-31T00:00:00Z"),
    ))
}

pub async fn new_accreditation(
    state: &AppState,
    principal: &Principal,
    new: NewAccreditation,
) -> ApiResult<Accreditation> {
    principal.require(Permission::ManageAccreditations)?;
    let own = principal.organisation(state).await?;
    let authority_id = match (principal.user.role, new.authority_id, own) {
        (Role::Admin, Some(id), _) => id,
        (Role::Authority, None, Some(org)) => org.id,
        (Role::Authority, Some(id), Some(org)) if id == org.id => id,
        (Role::Authority, Some(_), _) => {
            return Err(Problem::forbidden(
                "an authority records only its own accreditations",
            ))
        }
        _ => {
            return Err(Problem::invalid_field(
                "/authority_id",
                "name the accrediting authority",
            ))
        }
    };
    let authority = state.store.organisation(&authority_id).await?;
    if authority.kind != OrgKind::Authority {
        return Err(Problem::invalid_field(
            "/authority_id",
            format!("{authority_id} is not a QA authority"),
        ));
    }
    let provider = state.store.organisation(&new.provider_id).await.map_err(|_| {
        Problem::invalid_field("/provider_id", format!("no organisation {:?}", new.provider_id))
    })?;
    if provider.kind != OrgKind::Provider {
        return Err(Problem::invalid_field(
            "/provider_id",
            format!("{} is not a provider", provider.id),
        ));
    }
    for (i, level) in new.eqf_levels.iter().enumerate() {
        EqfLevel::new(*level).map_err(|e| Problem::invalid_field(&format!("/eqf_levels/{i}"), e))?;
    }
    let mut isced_fields = Vec::new();
    for (i, field) in new.isced_fields.iter().enumerate() {
        let parsed = IscedField::parse(field)
            .map_err(|e| Problem::invalid_field(&format!("/isced_fields/{i}"), e.to_string()))?;
        isced_fields.push(parsed.code().to_string());
    }
    let mut countries = Vec::new();
    for (i, country) in new.countries.iter().enumerate() {
        let parsed = Country::parse(country)
            .map_err(|e| Problem::invalid_field(&format!("/countries/{i}"), e.to_string()))?;
        countries.push(parsed.alpha2().to_string());
    }
    let valid_from = new
        .valid_from
        .as_deref()
        .map(|t| instant("/valid_from", t))
        .transpose()?;
    let valid_until = new
        .valid_until
        .as_deref()
        .map(|t| instant("/valid_until", t))
        .transpose()?;
    if let (Some(from), Some(until)) = (&valid_from, &valid_until) {
        if until <= from {
            return Err(Problem::invalid_field(
                "/valid_until",
                "valid_until must be after valid_from",
            ));
        }
    }
    let accreditation = Accreditation {
        id: new_id("acc"),
        authority_id,
        provider_id: provider.id,
        kind: new.kind,
        description_id: new.description_id,
        eqf_levels: new.eqf_levels,
        isced_fields,
        countries,
        valid_from,
        valid_until,
        created_by: String::new(),
        created_at: String::new(),
    };
    Ok(state
        .store
        .create_accreditation(&accreditation, &principal.actor())
        .await?)
}

async fn create(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(new): JsonBody<NewAccreditation>,
) -> ApiResult<(StatusCode, Json<Accreditation>)> {
    Ok((
        StatusCode::CREATED,
        Json(new_accreditation(&state, &principal, new).await?),
    ))
}

/// The issuers accredited now (optionally by one authority) as an `AccreditedIssuerList` credential,
/// naming each provider by the did:web its credentials are signed with, and signed (a proof set) by
/// every authority whose accreditations it lists, each with its own did:web key
/// (`/issuers/{authority}/did.json`).
async fn trust_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let organisations = state.store.organisations().await?;
    let base = state.issuing.base_url(&headers);
    let now = Utc::now();
    let accredited =
        crate::accredited::accredited_issuers(&state, &base, query.authority.as_deref(), now).await?;
    let mut signers: Vec<String> = Vec::new();
    for entry in &accredited {
        if !signers.contains(&entry.authority_id) {
            signers.push(entry.authority_id.clone());
        }
    }
    let issuers = accredited.into_iter().map(|entry| entry.issuer).collect();
    let authority = match &query.authority {
        Some(id) => {
            organisations
                .iter()
                .find(|o| &o.id == id)
                .ok_or_else(|| Problem::not_found(format!("authority {id}")))?;
            signers = vec![id.clone()];
            crate::issuer::issuer_did(&base, id)
        }
        None => format!("{base}/api/trust-list"),
    };
    let list = TrustList {
        authority,
        valid_from: Some(now),
        valid_until: None,
        issuers,
    };
    let mut credential = list.to_unsigned_credential();
    for signer in signers {
        let key = state
            .issuing
            .keys
            .for_provider(&state.store, &signer, &base)
            .await?;
        let mut options = microcred_vc::ProofOptions::new(key.pair.public());
        options.verification_method = key.verification_method.clone();
        credential = microcred_vc::sign(&credential, &key.pair, &options).map_err(|error| {
            tracing::error!(%error, "signing the trust list");
            Problem::internal()
        })?;
    }
    Ok(Json(credential))
}

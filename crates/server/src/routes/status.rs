//! `GET /status/{list-id}`: the Bitstring Status List credentials of this service, signed by the
//! issuer's key, rebuilt only when a credential of the list changed state (cached by revision), with
//! an ETag, a short max-age and 304 on If-None-Match.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use microcred_vc::status::{status_list_credential, Bitstring};
use microcred_vc::{sign, Cryptosuite, ProofOptions};
use serde_json::Value;

use crate::app::{AppState, Routes};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes.add(Method::GET, "/status/{list}", get)
}

/// Verifiers may cache a list this long; a revocation shows within it.
const MAX_AGE_SECONDS: u32 = 60;

/// `<group>-revocation` or `<group>-suspension` into its parts.
pub fn parse_list_ref(list: &str) -> Option<(&str, &str)> {
    let (id, purpose) = list.rsplit_once('-')?;
    matches!(purpose, "revocation" | "suspension").then_some((id, purpose))
}

/// The signed list credential whose id is `url`, from the cache when still current.
pub async fn list_document(state: &AppState, list: &str, url: &str) -> ApiResult<String> {
    let (id, purpose) =
        parse_list_ref(list).ok_or_else(|| Problem::not_found(format!("status list {list}")))?;
    let record = state.store.status_list(id).await?;
    if let Some((revision, body)) = state.store.status_document(id, purpose).await? {
        if revision == record.revision && body.contains(&format!("\"id\":\"{url}\"")) {
            return Ok(body);
        }
    }
    let set = state.store.set_status_indexes(id, purpose).await?;
    let key = state
        .issuing
        .keys
        .for_provider(&state.store, &record.provider_id, url)
        .await?;
    let (url_owned, purpose_owned, size) = (url.to_string(), purpose.to_string(), record.size as usize);
    let body = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let mut bits = Bitstring::new(size);
        for index in set {
            bits.set(index as usize, true).map_err(|e| e.to_string())?;
        }
        let valid_from = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let unsigned = status_list_credential(&url_owned, &key.did, &purpose_owned, &bits, &valid_from);
        let mut options = ProofOptions::new(key.pair.public());
        options.cryptosuite = Cryptosuite::EddsaRdfc2022;
        options.verification_method = key.verification_method.clone();
        let signed = sign(&unsigned, &key.pair, &options).map_err(|e| e.to_string())?;
        Ok(signed.to_string())
    })
    .await
    .map_err(|_| Problem::internal())?
    .map_err(|e| {
        tracing::error!(error = %e, "status list not signed");
        Problem::internal()
    })?;
    state
        .store
        .put_status_document(id, purpose, record.revision, &body)
        .await?;
    Ok(body)
}

fn etag(body: &str) -> String {
    format!("\"{}\"", &crate::auth::secret_hash(body)[..32])
}

async fn get(
    State(state): State<AppState>,
    Path(list): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let url = format!("{}/status/{list}", state.issuing.base_url(&headers));
    let body = list_document(&state, &list, &url).await?;
    let tag = etag(&body);
    let cache = HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECONDS}")).expect("ascii");
    let tag_value = HeaderValue::from_str(&tag).expect("ascii");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag_value), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    let _: Value = serde_json::from_str(&body).map_err(|_| Problem::internal())?;
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/vc+ld+json"),
            ),
            (header::ETAG, tag_value),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response())
}

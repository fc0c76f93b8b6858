//! Claim links (`/claim/{token}`): what a learner's e-mail points to. The token is random, stored only
//! as a hash, and serves this one credential: its summary, its JSON download, and OpenID4VCI offers.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microcred_store::CredentialRecord;
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::secret_hash;
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/claim/{token}", summary)
        .add(Method::GET, "/claim/{token}/credential.json", credential_json)
        .add(Method::GET, "/claim/{token}/offer", offer_json)
        .add(Method::GET, "/claim/{token}/offer.svg", offer_qr)
}

async fn claimed(state: &AppState, token: &str) -> ApiResult<CredentialRecord> {
    let id = state
        .store
        .grant_credential(&secret_hash(token), "claim")
        .await?
        .ok_or_else(|| Problem::not_found("this claim link is unknown or no longer valid"))?;
    Ok(state.store.credential(&id).await?)
}

async fn summary(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Json<Value>> {
    let credential = claimed(&state, &token).await?;
    let body: Value = serde_json::from_str(&credential.body).unwrap_or_default();
    Ok(Json(json!({
        "id": credential.id,
        "name": body.get("name").cloned().unwrap_or(Value::Null),
        "issuer": body.get("issuer").cloned().unwrap_or(Value::Null),
        "learner": credential.learner_name,
        "state": credential.state,
        "issued_at": credential.issued_at,
        "download": format!("/claim/{token}/credential.json"),
        "wallet_offer": format!("/claim/{token}/offer"),
        "wallet_offer_qr": format!("/claim/{token}/offer.svg"),
    })))
}

async fn credential_json(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    Ok(crate::routes::issuing::download(&claimed(&state, &token).await?))
}

/// A fresh pre-authorized offer for the claim's credential.
async fn offer(state: &AppState, token: &str, headers: &HeaderMap) -> ApiResult<(Value, String)> {
    let credential = claimed(state, token).await?;
    let base_url = state.issuing.base_url(headers);
    crate::routes::oid4vci::new_offer(state, &credential, &base_url).await
}

async fn offer_json(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (offer, uri) = offer(&state, &token, &headers).await?;
    let body = Json(json!({ "credential_offer": offer, "credential_offer_uri": uri }));
    Ok(([(header::CACHE_CONTROL, "no-store")], body).into_response())
}

async fn offer_qr(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (_, uri) = offer(&state, &token, &headers).await?;
    let svg = qr_svg(&uri).ok_or_else(Problem::internal)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}

/// The QR code of `text` as SVG: one path of unit squares, a 4-module quiet zone.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    let size = width + 8;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{}\" height=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        size * 6,
        size * 6
    ))
}

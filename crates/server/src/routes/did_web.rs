//! `GET /issuers/{slug}/did.json`: the did:web document of a provider's signing key
//! (`did:web:<host>:issuers:<slug>`), public key only.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use serde_json::Value;

use crate::app::{AppState, Routes};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes.add(Method::GET, "/issuers/{slug}/did.json", get)
}

async fn get(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<Value>> {
    let record = state
        .store
        .issuer_key(&slug)
        .await?
        .ok_or_else(|| Problem::not_found(format!("issuer {slug} has not issued anything yet")))?;
    Ok(Json(crate::issuer::did_document(&record)))
}

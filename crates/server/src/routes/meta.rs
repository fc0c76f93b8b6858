//! Health and the OpenAPI document.

use axum::extract::{Query, State};
use serde::Deserialize;

use crate::auth::Principal;
use crate::permissions::Permission;
use crate::problem::ApiResult;
use axum::http::{header, Method};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use crate::app::{AppState, Routes};

pub const OPENAPI: &str = include_str!("../../openapi.json");

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/health", health)
        .add(Method::GET, "/api/openapi.json", openapi)
        .add(Method::GET, "/api/audit", audit)
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default)]
    entity: Option<String>,
    #[serde(default)]
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    principal.require(Permission::ReadAudit)?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let entries = state.store.audit_log(query.entity.as_deref(), limit).await?;
    let total = state.store.audit_count().await?;
    Ok(Json(json!({ "total": total, "items": entries })))
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let database = match state.store.backend() {
        microcred_store::Backend::Sqlite => "sqlite",
        microcred_store::Backend::Postgres => "postgres",
    };
    Json(json!({ "status": "ok", "database": database, "version": env!("CARGO_PKG_VERSION") }))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

//! Progress and row errors of roster jobs, for the provider that uploaded them.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use microcred_store::{JobRecord, Role};
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::Principal;
use crate::permissions::may_issue_for;
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/jobs/{id}", get)
        .add(Method::GET, "/api/jobs/{id}/errors", errors)
}

async fn visible_job(state: &AppState, principal: &Principal, id: &str) -> ApiResult<JobRecord> {
    let job = state.store.job(id).await?;
    if principal.user.role == Role::Admin || may_issue_for(&principal.user, &job.provider_id) {
        Ok(job)
    } else {
        Err(Problem::not_found(format!("job {id}")))
    }
}

async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
) -> ApiResult<Json<JobRecord>> {
    Ok(Json(visible_job(&state, &principal, &id).await?))
}

/// Every row that was not issued: row number (header = 1), column, what is wrong, how to fix it.
async fn errors(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
) -> ApiResult<Json<Value>> {
    let job = visible_job(&state, &principal, &id).await?;
    let errors = state.store.job_errors(&job.id).await?;
    Ok(Json(json!({ "job": job.id, "errors": errors })))
}

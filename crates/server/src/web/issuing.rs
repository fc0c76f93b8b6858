//! Provider issuing pages: upload a roster (CSV) for a published description, watch the job's progress
//! (the page refreshes itself; with JavaScript it polls `GET /api/jobs/{id}`), and revoke a learner's
//! credential. The roster goes to the issuing API in-process, so its checks stay in one place.

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{header, HeaderMap, Method, Request};
use axum::response::{IntoResponse, Redirect, Response};
use microcred_store::{OrgKind, Role};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{finish, form, Ctx, PageError};
use crate::problem::Problem;

pub async fn upload_roster(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let roster = fields
            .get("roster")
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| {
                PageError::Problem(Problem::bad_request(
                    "choose a roster file (CSV, one learner per row)",
                ))
            })?;
        // The same request a script would send, with this person's session cookie.
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/descriptions/{id}/rosters"))
            .header(header::CONTENT_TYPE, "text/csv");
        for name in [header::COOKIE, header::HOST] {
            if let Some(value) = headers.get(&name) {
                request = request.header(name, value);
            }
        }
        let request = request
            .body(Body::from(roster.clone()))
            .map_err(|_| Problem::internal())?;
        let response = crate::app::router(ctx.state.clone())
            .oneshot(request)
            .await
            .map_err(|_| Problem::internal())?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .map_err(|_| Problem::internal())?;
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if !status.is_success() {
            let mut problem =
                Problem::bad_request(answer["detail"].as_str().unwrap_or("the roster was refused"));
            problem.status = status.as_u16();
            return Err(PageError::Problem(problem));
        }
        let job = answer["id"].as_str().ok_or_else(Problem::internal)?;
        Ok(Redirect::to(&format!("/provider/jobs/{job}")).into_response())
    }
    .await;
    finish(&ctx, result)
}

pub async fn job(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let organisation = ctx.organisation(OrgKind::Provider).await?;
        let job = ctx.state.store.job(&id).await?;
        if job.provider_id != organisation.id {
            return Err(PageError::Problem(Problem::not_found(format!("job {id}"))));
        }
        let errors = ctx.state.store.job_errors(&id).await?;
        let running = matches!(job.state.as_str(), "queued" | "running");
        Ok(ctx.render(
            "job.html",
            json!({
                "job": job, "running": running, "processed": job.done + job.failed,
                "errors": errors.iter().map(|e| json!({ "row": e.row, "column": e.column, "message": e.message, "fix": e.fix })).collect::<Vec<_>>(),
            }),
        ))
    }
    .await;
    finish(&ctx, result)
}

/// Revoke the credential a learner (by e-mail) holds of this description.
pub async fn revoke(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let organisation = ctx.organisation(OrgKind::Provider).await?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let email = fields
            .get("email")
            .map(|e| e.trim().to_lowercase())
            .unwrap_or_default();
        let reason = fields
            .get("reason")
            .map(|r| r.trim().to_string())
            .unwrap_or_default();
        if reason.is_empty() {
            return Err(PageError::Problem(Problem::bad_request(
                "say why the credential is revoked",
            )));
        }
        let credential = ctx
            .state
            .store
            .credentials_of_learner(&email)
            .await?
            .into_iter()
            .find(|c| c.description_id == id && c.provider_id == organisation.id)
            .ok_or_else(|| Problem::not_found(format!("{email} holds no credential of this description")))?;
        let actor = ctx.principal()?.actor();
        ctx.state
            .store
            .set_credential_state(&credential.id, "revoked", &reason, &actor)
            .await?;
        Ok(Redirect::to(&format!("/provider/{id}?revoked=1")).into_response())
    }
    .await;
    finish(&ctx, result)
}

//! Provider pages: the provider's descriptions, writing and editing one as TOML with compliance
//! findings on every preview and save, and submitting it for review.

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use microcred_model::Description;
use microcred_store::{OrgKind, Role, Scope, State as Stage};
use serde_json::{json, Value};

use super::{finish, form, Ctx, PageError};
use crate::compliance;
use crate::routes::descriptions::{body_of, load, service, NewDescription};
use crate::workflow::Action;

/// A starting point with every Annex I element to fill in.
const STARTER: &str = include_str!("../../templates/starter.toml");

pub async fn list(ctx: Ctx) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let organisation = ctx.organisation(OrgKind::Provider).await?;
        let records = ctx
            .state
            .store
            .descriptions(&Scope::Provider(organisation.id.clone()), None)
            .await?;
        let mut items = Vec::new();
        for record in records {
            let body = body_of(&ctx.state, &record.id, record.current_version).await?;
            items.push(json!({
                "id": record.id, "title": super::explain::description(&body, ctx.lang)["title"],
                "state": record.state.to_string(), "version": record.current_version,
            }));
        }
        Ok(ctx.render(
            "provider_list.html",
            json!({ "organisation": organisation.name, "items": items }),
        ))
    }
    .await;
    finish(&ctx, result)
}

pub async fn new_form(ctx: Ctx) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        Ok(ctx.render("provider_edit.html", json!({ "toml": STARTER, "is_new": true })))
    }
    .await;
    finish(&ctx, result)
}

/// The TOML text as a description, or the parse error to show beside the text area.
fn read(text: &str) -> Result<Description, String> {
    toml::from_str::<Description>(text).map_err(|e| e.to_string())
}

fn findings(description: &Description, profile: &str) -> Result<Value, PageError> {
    let report = compliance::check(description, profile)?;
    Ok(json!({
        "compliant": report.compliant(),
        "profile": report.profile,
        "findings": report.findings.iter().map(|f| json!({
            "severity": format!("{:?}", f.severity).to_lowercase(),
            "element": f.element, "path": f.path, "message": f.message, "fix": f.fix,
        })).collect::<Vec<_>>(),
    }))
}

pub async fn create(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let organisation = ctx.organisation(OrgKind::Provider).await?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let text = fields.get("toml").cloned().unwrap_or_default();
        let description = match read(&text) {
            Ok(d) => d,
            Err(error) => return Ok(invalid(&ctx, &text, &error, None)),
        };
        if fields.get("action").map(String::as_str) != Some("save") {
            let profile = service::default_profile(&organisation.country);
            let report = findings(&description, &profile)?;
            return Ok(ctx.render(
                "provider_edit.html",
                json!({ "toml": text, "is_new": true, "report": report }),
            ));
        }
        let new = NewDescription {
            description,
            authority_id: None,
            profile: None,
            id: None,
        };
        let record = service::create(&ctx.state, &ctx.principal()?, new).await?;
        Ok(Redirect::to(&format!("/provider/{}", record.id)).into_response())
    }
    .await;
    finish(&ctx, result)
}

fn invalid(ctx: &Ctx, text: &str, error: &str, id: Option<&str>) -> Response {
    ctx.render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "provider_edit.html",
        json!({ "toml": text, "is_new": id.is_none(), "id": id, "parse_error": error, "editable": true }),
    )
}

pub async fn edit_form(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(params): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let principal = ctx.principal()?;
        let (record, _) = load(&ctx.state, &principal, &id).await?;
        let description = body_of(&ctx.state, &id, record.current_version).await?;
        let text = toml::to_string(&description).unwrap_or_default();
        let report = findings(&description, &record.profile)?;
        let mut view = edit_view(&ctx, &record, text, report).await?;
        view["revoked_notice"] = params.contains_key("revoked").into();
        Ok(ctx.render("provider_edit.html", view))
    }
    .await;
    finish(&ctx, result)
}

async fn edit_view(
    ctx: &Ctx,
    record: &microcred_store::DescriptionRecord,
    text: String,
    report: Value,
) -> Result<Value, PageError> {
    let decisions = ctx.state.store.decisions(&record.id).await?;
    let comments = ctx.state.store.comments(&record.id).await?;
    Ok(json!({
        "id": record.id, "toml": text, "report": report, "state": record.state.to_string(),
        "version": record.current_version,
        "editable": !matches!(record.state, Stage::Submitted | Stage::InReview | Stage::Rejected),
        "can_submit": Action::Submit.from_states().contains(&record.state),
        "published": record.published_version.is_some(),
        "decisions": decisions.iter().map(|d| json!({ "decision": d.decision, "note": d.note, "at": d.created_at })).collect::<Vec<_>>(),
        "comments": comments.iter().map(|c| json!({ "body": c.body, "at": c.created_at })).collect::<Vec<_>>(),
    }))
}

pub async fn save(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let principal = ctx.principal()?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let text = fields.get("toml").cloned().unwrap_or_default();
        let description = match read(&text) {
            Ok(d) => d,
            Err(error) => return Ok(invalid(&ctx, &text, &error, Some(&id))),
        };
        let (record, _) = load(&ctx.state, &principal, &id).await?;
        if fields.get("action").map(String::as_str) != Some("save") {
            let report = findings(&description, &record.profile)?;
            return Ok(ctx.render(
                "provider_edit.html",
                edit_view(&ctx, &record, text, report).await?,
            ));
        }
        service::edit(&ctx.state, &principal, &id, description, None).await?;
        Ok(Redirect::to(&format!("/provider/{id}")).into_response())
    }
    .await;
    finish(&ctx, result)
}

pub async fn submit(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        service::act(&ctx.state, &ctx.principal()?, &id, Action::Submit, None, None).await?;
        Ok(Redirect::to(&format!("/provider/{id}")).into_response())
    }
    .await;
    finish(&ctx, result)
}

/// The compliance findings for the text being edited, as an HTML fragment: what the editor's optional
/// script shows while the provider types (the same check as Preview).
pub async fn live_findings(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Provider)?;
        let organisation = ctx.organisation(OrgKind::Provider).await?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let profile = match fields.get("id").filter(|id| !id.is_empty()) {
            Some(id) => load(&ctx.state, &ctx.principal()?, id).await?.0.profile,
            None => service::default_profile(&organisation.country),
        };
        let page = match read(fields.get("toml").map(String::as_str).unwrap_or("")) {
            Ok(description) => json!({ "report": findings(&description, &profile)? }),
            Err(error) => json!({ "parse_error": error }),
        };
        Ok(ctx.render("findings.html", page))
    }
    .await;
    finish(&ctx, result)
}

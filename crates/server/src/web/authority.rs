//! Authority pages: the review queue, one description with its compliance report, and decisions with
//! comments (start review, approve, request changes, reject, publish) through the same service
//! functions as the API.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use microcred_store::{OrgKind, Role, Scope, State as Stage};
use serde_json::json;

use super::{explain, finish, form, Ctx, PageError};
use crate::compliance;
use crate::problem::Problem;
use crate::routes::accreditations::{new_accreditation, NewAccreditation};
use crate::routes::descriptions::{body_of, load, service};
use crate::workflow::Action;

pub async fn queue(ctx: Ctx) -> Response {
    let result = async {
        ctx.require_role(Role::Authority)?;
        let organisation = ctx.organisation(OrgKind::Authority).await?;
        let scope = Scope::Authority {
            id: organisation.id.clone(),
            country: organisation.country.clone(),
        };
        let organisations = ctx.state.store.organisations().await?;
        let mut items = Vec::new();
        for record in ctx.state.store.descriptions(&scope, None).await? {
            if !matches!(record.state, Stage::Submitted | Stage::InReview | Stage::Approved) {
                continue;
            }
            let body = body_of(&ctx.state, &record.id, record.current_version).await?;
            let provider = organisations.iter().find(|o| o.id == record.provider_id);
            items.push(json!({
                "id": record.id, "title": explain::description(&body, ctx.lang)["title"],
                "provider": provider.map(|p| p.name.clone()), "state": record.state.to_string(),
            }));
        }
        Ok(ctx.render(
            "authority_queue.html",
            json!({ "organisation": organisation.name, "items": items }),
        ))
    }
    .await;
    finish(&ctx, result)
}

pub async fn review(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        ctx.require_role(Role::Authority)?;
        let (record, provider) = load(&ctx.state, &ctx.principal()?, &id).await?;
        let description = body_of(&ctx.state, &id, record.current_version).await?;
        let report = compliance::check(&description, &record.profile)?;
        let actions: Vec<&str> = [
            Action::StartReview,
            Action::Approve,
            Action::RequestChanges,
            Action::Reject,
            Action::Publish,
        ]
        .into_iter()
        .filter(|a| a.from_states().contains(&record.state))
        .map(Action::name)
        .collect();
        let decisions = ctx.state.store.decisions(&id).await?;
        Ok(ctx.render(
            "authority_review.html",
            json!({
                "id": id, "state": record.state.to_string(), "version": record.current_version,
                "provider": provider.name, "d": explain::description(&description, ctx.lang),
                "report": {
                    "compliant": report.compliant(), "profile": report.profile,
                    "findings": report.findings.iter().map(|f| json!({
                        "severity": format!("{:?}", f.severity).to_lowercase(),
                        "element": f.element, "message": f.message, "fix": f.fix,
                    })).collect::<Vec<_>>(),
                },
                "actions": actions,
                "decisions": decisions.iter().map(|d| json!({ "decision": d.decision, "note": d.note, "at": d.created_at })).collect::<Vec<_>>(),
            }),
        ))
    }
    .await;
    finish(&ctx, result)
}

pub async fn act(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Authority)?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let action = match fields.get("action").map(String::as_str) {
            Some("start-review") => Action::StartReview,
            Some("approve") => Action::Approve,
            Some("request-changes") => Action::RequestChanges,
            Some("reject") => Action::Reject,
            Some("publish") => Action::Publish,
            _ => {
                return Err(PageError::Problem(Problem::bad_request(
                    "choose one of the decision buttons",
                )))
            }
        };
        let note = fields
            .get("note")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        service::act(&ctx.state, &ctx.principal()?, &id, action, note, None).await?;
        Ok(Redirect::to(&format!("/authority/{id}")).into_response())
    }
    .await;
    finish(&ctx, result)
}

/// The authority's accreditations, and a form to grant one (same checks as `POST /api/accreditations`).
pub async fn accreditations(ctx: Ctx) -> Response {
    let result = async {
        ctx.require_role(Role::Authority)?;
        let organisation = ctx.organisation(OrgKind::Authority).await?;
        Ok(ctx.render(
            "accreditations.html",
            accreditations_view(&ctx, &organisation.id).await?,
        ))
    }
    .await;
    finish(&ctx, result)
}

async fn accreditations_view(ctx: &Ctx, authority: &str) -> Result<serde_json::Value, PageError> {
    let organisations = ctx.state.store.organisations().await?;
    let name = |id: &str| {
        organisations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let items: Vec<_> = ctx
        .state
        .store
        .accreditations(Some(authority))
        .await?
        .iter()
        .map(|a| {
            json!({
                "provider": name(&a.provider_id), "kind": a.kind.to_string(), "description": a.description_id,
                "eqf": a.eqf_levels, "isced": a.isced_fields, "countries": a.countries,
                "from": a.valid_from.as_deref().map(|d| &d[..10.min(d.len())]),
                "until": a.valid_until.as_deref().map(|d| &d[..10.min(d.len())]),
            })
        })
        .collect();
    let providers: Vec<_> = organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Provider)
        .map(|o| json!({ "id": o.id, "name": o.name }))
        .collect();
    Ok(json!({ "items": items, "providers": providers }))
}

fn list(text: Option<&String>) -> Vec<String> {
    text.map(|t| {
        t.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

pub async fn grant(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        ctx.require_role(Role::Authority)?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let eqf_levels = list(fields.get("eqf"))
            .iter()
            .map(|l| {
                l.parse::<u8>()
                    .map_err(|_| Problem::bad_request(format!("{l:?} is not an EQF level")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let kind = fields.get("kind").map(String::as_str).unwrap_or("institutional");
        let new = serde_json::from_value::<NewAccreditation>(json!({
            "provider_id": fields.get("provider").cloned().unwrap_or_default(),
            "kind": kind,
            "eqf_levels": eqf_levels,
            "isced_fields": list(fields.get("isced")),
            "countries": list(fields.get("countries")),
            "valid_from": fields.get("valid_from").filter(|v| !v.is_empty()),
            "valid_until": fields.get("valid_until").filter(|v| !v.is_empty()),
        }))
        .map_err(|e| Problem::bad_request(format!("the form is incomplete: {e}")))?;
        new_accreditation(&ctx.state, &ctx.principal()?, new).await?;
        Ok(Redirect::to("/authority/accreditations").into_response())
    }
    .await;
    finish(&ctx, result)
}

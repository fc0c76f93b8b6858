//! Descriptions and their quality-assurance workflow: create, edit (always a new version), the
//! workflow actions, comments and decisions. The `service` functions hold the logic so the demo seed
//! goes through exactly the same checks as the HTTP API.

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microcred_model::Description;
use microcred_store::{
    new_id, now, Comment, DescriptionRecord, OrgKind, Organisation, Role, Scope, State as Stage, Transition,
};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::Principal;
use crate::body::{is_json, parse_json, read_bytes, JsonBody};
use crate::compliance;
use crate::permissions::{may_access, Permission};
use crate::problem::{ApiResult, Problem};
use crate::register_entry;
use crate::routes::{check_if_match, etag, if_match};
use crate::workflow::{check_transition, state_after_edit, Action};

pub fn add(routes: Routes) -> Routes {
    let routes = routes
        .add(Method::GET, "/api/descriptions", list)
        .add(Method::POST, "/api/descriptions", create)
        .add(Method::GET, "/api/descriptions/{id}", get)
        .add(Method::PUT, "/api/descriptions/{id}", edit)
        .add(Method::GET, "/api/descriptions/{id}/versions", versions)
        .add(Method::GET, "/api/descriptions/{id}/versions/{version}", version)
        .add(Method::GET, "/api/descriptions/{id}/comments", comments)
        .add(Method::POST, "/api/descriptions/{id}/comments", add_comment)
        .add(Method::GET, "/api/descriptions/{id}/decisions", decisions);
    routes
        .add(Method::POST, "/api/descriptions/{id}/submit", submit)
        .add(Method::POST, "/api/descriptions/{id}/start-review", start_review)
        .add(
            Method::POST,
            "/api/descriptions/{id}/request-changes",
            request_changes,
        )
        .add(Method::POST, "/api/descriptions/{id}/approve", approve)
        .add(Method::POST, "/api/descriptions/{id}/reject", reject)
        .add(Method::POST, "/api/descriptions/{id}/publish", publish)
        .add(Method::POST, "/api/descriptions/{id}/withdraw", withdraw)
}

/// One handler per workflow action, all going through [`act`].
macro_rules! action_handlers {
    ($($name:ident => $action:expr),+ $(,)?) => {$(
        async fn $name(
            state: State<AppState>,
            principal: Principal,
            headers: HeaderMap,
            id: Path<String>,
            request: Request,
        ) -> ApiResult<Response> {
            act(state, principal, headers, id, request, $action).await
        }
    )+};
}

action_handlers!(
    submit => Action::Submit,
    start_review => Action::StartReview,
    request_changes => Action::RequestChanges,
    approve => Action::Approve,
    reject => Action::Reject,
    publish => Action::Publish,
    withdraw => Action::Withdraw,
);

/// The description, its provider, and a check that the caller may see it (404 otherwise, so the
/// existence of others' drafts is not revealed).
pub async fn load(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<(DescriptionRecord, Organisation)> {
    principal.require(Permission::ReadDescriptions)?;
    let record = state.store.description(id).await?;
    let provider = state.store.organisation(&record.provider_id).await?;
    let own = principal.organisation(state).await?;
    let authority = own.as_ref().filter(|o| o.kind == OrgKind::Authority);
    if !may_access(&principal.user, authority, &record, &provider) {
        return Err(Problem::not_found(format!("description {id} not found")));
    }
    Ok((record, provider))
}

pub async fn body_of(state: &AppState, id: &str, version: i64) -> ApiResult<Description> {
    let stored = state.store.version(id, version).await?;
    serde_json::from_str(&stored.body).map_err(|e| {
        tracing::error!(id, version, error = %e, "stored description is unreadable");
        Problem::internal()
    })
}

fn to_json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    state: Option<Stage>,
}

async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    principal.require(Permission::ReadDescriptions)?;
    let own = principal.organisation(&state).await?;
    let scope = match (principal.user.role, own) {
        (Role::Admin, _) => Scope::All,
        (Role::Provider, Some(org)) => Scope::Provider(org.id),
        (Role::Authority, Some(org)) => Scope::Authority {
            id: org.id,
            country: org.country,
        },
        _ => {
            return Err(Problem::forbidden(
                "your account has no organisation whose descriptions you could list",
            ))
        }
    };
    let records = state.store.descriptions(&scope, query.state).await?;
    Ok(Json(json!({ "total": records.len(), "items": records })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDescription {
    pub description: Description,
    /// The QA authority to submit to; by default the first authority in the provider's country.
    #[serde(default)]
    pub authority_id: Option<String>,
    /// The rules profile to check against; by default the authority's country's, else "eu".
    #[serde(default)]
    pub profile: Option<String>,
    /// For imports and the demo; new identifiers are generated otherwise.
    #[serde(default)]
    pub id: Option<String>,
}

pub mod service {
    use super::*;

    pub async fn create(
        state: &AppState,
        principal: &Principal,
        new: NewDescription,
    ) -> ApiResult<DescriptionRecord> {
        principal.require(Permission::EditDescription)?;
        let provider = principal
            .organisation(state)
            .await?
            .filter(|o| o.kind == OrgKind::Provider)
            .ok_or_else(|| Problem::forbidden("only a provider's staff create descriptions"))?;
        let organisations = state.store.organisations().await?;
        let authority = match &new.authority_id {
            Some(id) => organisations
                .iter()
                .find(|o| &o.id == id && o.kind == OrgKind::Authority)
                .ok_or_else(|| {
                    Problem::invalid_field("/authority_id", format!("{id:?} is not a QA authority"))
                })?,
            None => organisations
                .iter()
                .find(|o| o.kind == OrgKind::Authority && o.country == provider.country)
                .ok_or_else(|| {
                    Problem::invalid_field(
                        "/authority_id",
                        format!(
                            "no QA authority in {} is registered; name one with authority_id",
                            provider.country
                        ),
                    )
                })?,
        };
        let profile = match new.profile {
            Some(profile) => profile,
            None => default_profile(&authority.country),
        };
        compliance::profile(&profile)?;
        let record = microcred_store::NewDescription {
            id: new.id.unwrap_or_else(|| new_id("desc")),
            provider_id: provider.id.clone(),
            authority_id: authority.id.clone(),
            profile,
            body: to_json_text(&new.description),
        };
        Ok(state
            .store
            .create_description(&record, &principal.actor())
            .await?)
    }

    /// The built-in profile of a country when there is one (Ireland: "ie"), else the EU baseline.
    pub fn default_profile(country: &str) -> String {
        let name = country.to_lowercase();
        let names = microcred_rules::Profile::names();
        if names.contains(&name.as_str()) {
            return name;
        }
        names
            .iter()
            .find(|n| n.starts_with(&format!("{name}-")))
            .map(|n| n.to_string())
            .unwrap_or("eu".into())
    }

    /// Save a new version. Editing a published description keeps the published version issuable: if
    /// the change impact needs re-validation, the new version goes back to draft; otherwise it is
    /// published at once.
    pub async fn edit(
        state: &AppState,
        principal: &Principal,
        id: &str,
        description: Description,
        expected: Option<i64>,
    ) -> ApiResult<(DescriptionRecord, Option<microcred_rules::ChangeReport>)> {
        principal.require(Permission::EditDescription)?;
        let (record, provider) = load(state, principal, id).await?;
        check_if_match(expected, record.row_version)?;
        let body = to_json_text(&description);
        if let (Some(published), Stage::Published | Stage::Approved) =
            (record.published_version, record.state)
        {
            let old = body_of(state, id, published).await?;
            let impact = compliance::change_impact(&old, &description, &record.profile)?;
            let mut step = Transition::to("edit", Stage::Draft);
            step.new_body = Some(body);
            step.requires_revalidation = Some(impact.requires_revalidation);
            if !impact.requires_revalidation && record.state == Stage::Published {
                step.to = Stage::Published;
                let entry = register_entry::entry(
                    id,
                    record.current_version + 1,
                    &description,
                    &provider,
                    &record.profile,
                    &now(),
                );
                step.publish = Some(entry);
                step.detail = Some("minor change, published without re-validation".into());
            } else {
                step.detail = Some("change needs re-validation; the published version stays issuable".into());
            }
            let updated = state.store.apply(&record, step, &principal.actor()).await?;
            return Ok((updated, Some(impact)));
        }
        let next = state_after_edit(record.state).map_err(Problem::conflict)?;
        let mut step = Transition::to("edit", next);
        step.new_body = Some(body);
        Ok((state.store.apply(&record, step, &principal.actor()).await?, None))
    }

    pub async fn act(
        state: &AppState,
        principal: &Principal,
        id: &str,
        action: Action,
        note: Option<String>,
        expected: Option<i64>,
    ) -> ApiResult<DescriptionRecord> {
        principal.require(action.permission())?;
        let (record, provider) = load(state, principal, id).await?;
        check_if_match(expected, record.row_version)?;
        if principal.user.role == Role::Provider
            && action == Action::Withdraw
            && record.state != Stage::Published
            && record.published_version.is_none()
        {
            return Err(Problem::conflict("only a published description can be withdrawn"));
        }
        let target = check_transition(&record, action).map_err(Problem::conflict)?;
        if matches!(action, Action::RequestChanges | Action::Reject)
            && note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            return Err(Problem::invalid_field(
                "/note",
                "say what must change (or why it is rejected) in \"note\"",
            ));
        }
        let mut step = Transition::to(action.name(), target);
        step.detail = note.clone();
        let description = body_of(state, id, record.current_version).await?;
        match action {
            Action::Submit => {
                let report = compliance::check(&description, &record.profile)?;
                step.report = Some(to_json_text(&report));
            }
            Action::RequestChanges | Action::Approve | Action::Reject => {
                let report = compliance::check(&description, &record.profile)?;
                step.decision = Some(microcred_store::NewDecision {
                    decision: target.to_string(),
                    profile: report.profile.clone(),
                    rules_version: report.rules_version.clone(),
                    report: to_json_text(&report),
                    note,
                });
                if action == Action::Approve {
                    step.requires_revalidation = Some(false);
                }
            }
            Action::Publish => {
                let entry = register_entry::entry(
                    id,
                    record.current_version,
                    &description,
                    &provider,
                    &record.profile,
                    &now(),
                );
                step.publish = Some(entry);
            }
            Action::Withdraw => step.unpublish = true,
            Action::StartReview => {}
        }
        Ok(state.store.apply(&record, step, &principal.actor()).await?)
    }
}

async fn create(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(new): JsonBody<NewDescription>,
) -> ApiResult<Response> {
    let record = service::create(&state, &principal, new).await?;
    let location = format!("/api/descriptions/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [
            (header::LOCATION, location),
            (header::ETAG, etag(record.row_version)),
        ],
        Json(record),
    )
        .into_response())
}

async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (record, provider) = load(&state, &principal, &id).await?;
    let current = state.store.version(&id, record.current_version).await?;
    let description: Value = serde_json::from_str(&current.body).unwrap_or(Value::Null);
    let report: Value = current
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    let body =
        json!({ "record": record, "provider": provider, "description": description, "report": report });
    Ok(([(header::ETAG, etag(record.row_version))], Json(body)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    description: Description,
}

async fn edit(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(edit): JsonBody<Edit>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let (record, impact) = service::edit(&state, &principal, &id, edit.description, expected).await?;
    let body = json!({ "record": record, "change_impact": impact });
    Ok(([(header::ETAG, etag(record.row_version))], Json(body)).into_response())
}

async fn versions(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(&state, &principal, &id).await?;
    let versions = state.store.versions(&id).await?;
    let items: Vec<Value> = versions
        .iter()
        .map(|v| json!({ "version": v.version, "created_by": v.created_by, "created_at": v.created_at,
                         "published_at": v.published_at, "url": format!("/api/descriptions/{id}/versions/{}", v.version) }))
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn version(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, number)): Path<(String, i64)>,
) -> ApiResult<Json<Value>> {
    load(&state, &principal, &id).await?;
    let stored = state.store.version(&id, number).await?;
    let description: Value = serde_json::from_str(&stored.body).unwrap_or(Value::Null);
    let report: Value = stored
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    Ok(Json(
        json!({ "version": stored.version, "created_by": stored.created_by, "created_at": stored.created_at,
                    "published_at": stored.published_at, "description": description, "report": report }),
    ))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Note {
    #[serde(default)]
    note: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: Request,
    action: Action,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let bytes = read_bytes(request, &state).await?;
    let note = if bytes.iter().all(u8::is_ascii_whitespace) {
        Note::default()
    } else if is_json(&headers) {
        parse_json::<Note>(&bytes)?
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "The body must be JSON",
            "send {\"note\": \"...\"} with Content-Type: application/json, or no body",
        ));
    };
    let record = service::act(&state, &principal, &id, action, note.note, expected).await?;
    Ok(([(header::ETAG, etag(record.row_version))], Json(record)).into_response())
}

async fn comments(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(&state, &principal, &id).await?;
    Ok(Json(json!({ "items": state.store.comments(&id).await? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    /// JSON pointer into the description the comment is about.
    #[serde(default)]
    pub pointer: Option<String>,
}

pub async fn comment(
    state: &AppState,
    principal: &Principal,
    id: &str,
    new: NewComment,
) -> ApiResult<Comment> {
    principal.require(Permission::Comment)?;
    let (record, _) = load(state, principal, id).await?;
    if new.body.trim().is_empty() {
        return Err(Problem::invalid_field("/body", "the comment is empty"));
    }
    if let Some(pointer) = &new.pointer {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(Problem::invalid_field(
                "/pointer",
                "a JSON pointer starts with '/', e.g. /learning_outcomes/0",
            ));
        }
    }
    let comment = Comment {
        id: new_id("com"),
        description_id: id.to_string(),
        version: record.current_version,
        author_id: principal.user.id.clone(),
        body: new.body,
        pointer: new.pointer,
        created_at: now(),
    };
    state.store.add_comment(&comment, &principal.actor()).await?;
    Ok(comment)
}

async fn add_comment(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    JsonBody(new): JsonBody<NewComment>,
) -> ApiResult<(StatusCode, Json<Comment>)> {
    Ok((
        StatusCode::CREATED,
        Json(comment(&state, &principal, &id, new).await?),
    ))
}

async fn decisions(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(&state, &principal, &id).await?;
    let decisions = state.store.decisions(&id).await?;
    let items: Vec<Value> = decisions
        .iter()
        .map(|d| {
            let report: Value = serde_json::from_str(&d.report).unwrap_or(Value::Null);
            json!({ "id": d.id, "version": d.version, "decided_by": d.decided_by, "decision": d.decision,
                    "profile": d.profile, "rules_version": d.rules_version, "note": d.note,
                    "created_at": d.created_at, "report": report })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

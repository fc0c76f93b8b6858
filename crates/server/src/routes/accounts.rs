//! Organisations and people. Organisations are public (the register names them); people are not.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::Json;
use microcred_model::Country;
use microcred_store::{new_id, OrgKind, Organisation, Role, User};
use serde::Deserialize;

use crate::app::{AppState, Routes};
use crate::auth::{hash_password, Principal};
use crate::body::JsonBody;
use crate::permissions::{may_read_records_of, Permission};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/organisations", list_organisations)
        .add(Method::POST, "/api/organisations", create_organisation)
        .add(Method::GET, "/api/organisations/{id}", get_organisation)
        .add(Method::GET, "/api/users", list_users)
        .add(Method::POST, "/api/users", create_user)
        .add(Method::GET, "/api/users/{id}", get_user)
}

async fn list_organisations(State(state): State<AppState>) -> ApiResult<Json<Vec<Organisation>>> {
    Ok(Json(state.store.organisations().await?))
}

async fn get_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(state.store.organisation(&id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[serde(default)]
    pub id: Option<String>,
    pub kind: OrgKind,
    pub name: String,
    pub country: String,
    #[serde(default)]
    pub uri: Option<String>,
}

/// Validate and store an organisation (the route and the demo seed both use this).
pub async fn new_organisation(
    state: &AppState,
    principal: &Principal,
    new: NewOrganisation,
) -> ApiResult<Organisation> {
    principal.require(Permission::ManageOrganisations)?;
    let country =
        Country::parse(&new.country).map_err(|e| Problem::invalid_field("/country", e.to_string()))?;
    if new.name.trim().is_empty() {
        return Err(Problem::invalid_field("/name", "the organisation needs a name"));
    }
    let id = new.id.unwrap_or_else(|| new_id("org"));
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Problem::invalid_field(
            "/id",
            "use letters, digits, '-' and '_' only",
        ));
    }
    let org = Organisation {
        id,
        kind: new.kind,
        name: new.name.trim().to_string(),
        country: country.alpha2().to_string(),
        uri: new.uri,
        created_at: String::new(),
    };
    Ok(state.store.create_organisation(&org, &principal.actor()).await?)
}

async fn create_organisation(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(new): JsonBody<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<Organisation>)> {
    Ok((
        StatusCode::CREATED,
        Json(new_organisation(&state, &principal, new).await?),
    ))
}

async fn list_users(State(state): State<AppState>, principal: Principal) -> ApiResult<Json<Vec<User>>> {
    principal.require(Permission::ManageUsers)?;
    Ok(Json(state.store.users().await?))
}

async fn get_user(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<User>> {
    if !may_read_records_of(&principal.user, &id) {
        return Err(Problem::forbidden("you may only read your own account"));
    }
    Ok(Json(state.store.user(&id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[serde(default)]
    pub id: Option<String>,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub organisation_id: Option<String>,
    pub password: String,
}

/// The organisation kind each role must belong to (`None`: no organisation).
fn required_kind(role: Role) -> Option<OrgKind> {
    match role {
        Role::Authority => Some(OrgKind::Authority),
        Role::Provider => Some(OrgKind::Provider),
        Role::Receiver => Some(OrgKind::Receiver),
        Role::Admin | Role::Learner => None,
    }
}

pub async fn new_user(state: &AppState, principal: &Principal, new: NewUser) -> ApiResult<User> {
    principal.require(Permission::ManageUsers)?;
    if !new.email.contains('@') {
        return Err(Problem::invalid_field("/email", "an email address needs an '@'"));
    }
    if new.password.chars().count() < 10 {
        return Err(Problem::invalid_field("/password", "use at least 10 characters"));
    }
    match (required_kind(new.role), &new.organisation_id) {
        (Some(kind), Some(org_id)) => {
            let org = state.store.organisation(org_id).await.map_err(|_| {
                Problem::invalid_field("/organisation_id", format!("no organisation {org_id:?}"))
            })?;
            if org.kind != kind {
                return Err(Problem::invalid_field(
                    "/organisation_id",
                    format!(
                        "a {} must belong to a {kind} organisation, and {org_id} is a {}",
                        new.role, org.kind
                    ),
                ));
            }
        }
        (Some(kind), None) => {
            return Err(Problem::invalid_field(
                "/organisation_id",
                format!("a {} belongs to a {kind}", new.role),
            ))
        }
        (None, Some(_)) => {
            return Err(Problem::invalid_field(
                "/organisation_id",
                format!("a {} has no organisation", new.role),
            ))
        }
        (None, None) => {}
    }
    let user = User {
        id: new.id.unwrap_or_else(|| new_id("usr")),
        email: new.email.trim().to_string(),
        name: new.name,
        role: new.role,
        organisation_id: new.organisation_id,
        password_hash: hash_password(&new.password),
        created_at: String::new(),
    };
    Ok(state.store.create_user(&user, &principal.actor()).await?)
}

async fn create_user(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(new): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((
        StatusCode::CREATED,
        Json(new_user(&state, &principal, new).await?),
    ))
}

//! The public register: a search form (GET, so results can be bookmarked and shared) with filters and
//! pagination, and one page per micro-credential.

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::response::Response;
use microcred_model::{Concept, LangMap, Mode};
use microcred_store::OrgKind;
use serde_json::json;

use super::{explain, finish, Ctx, PageError};
use crate::routes::descriptions::body_of;
use crate::routes::register::parse_query;

const PER_PAGE: i64 = 20;

pub async fn search(ctx: Ctx, Query(mut params): Query<HashMap<String, String>>) -> Response {
    params.remove("lang");
    let result = search_inner(&ctx, params).await;
    finish(&ctx, result)
}

async fn search_inner(ctx: &Ctx, params: HashMap<String, String>) -> Result<Response, PageError> {
    let mut params = params;
    params.retain(|k, v| k != "per_page" && !(k == "page" && v.is_empty()));
    let query = parse_query(&params).map_err(|problem| {
        let mut problem = problem;
        problem.status = 400;
        problem
    })?;
    let mut query = query;
    query.per_page = PER_PAGE;
    let page = query.page.max(1);
    query.page = page;
    let found = ctx.state.store.search_register(&query).await?;
    // The entry's summary carries the title in every language and the provider's name.
    let entries: Vec<_> = found
        .entries
        .iter()
        .map(|e| {
            let summary: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
            let title = serde_json::from_value::<LangMap>(summary["title"].clone())
                .ok()
                .and_then(|t| t.best(ctx.lang).map(str::to_string))
                .unwrap_or_else(|| e.title.clone());
            json!({
                "id": e.id, "title": title, "eqf": e.eqf, "isced": e.isced,
                "country": e.country, "credits": e.credits.map(explain::trim_number), "modes": e.modes,
                "provider": summary["provider"]["name"], "stackable": e.stackable,
            })
        })
        .collect();
    // Links to the neighbouring pages keep every filter.
    let link = |to: i64| {
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .filter(|(k, v)| *k != "page" && !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        pairs.sort();
        pairs.push(("page".into(), to.to_string()));
        format!(
            "/register?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let shown_to = (page - 1) * PER_PAGE + found.entries.len() as i64;
    let has_next = if found.total_is_exact {
        shown_to < found.total
    } else {
        found.entries.len() as i64 == PER_PAGE
    };
    let organisations = ctx.state.store.organisations().await?;
    let providers: Vec<_> = organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Provider)
        .map(|o| json!({ "id": o.id, "name": o.name }))
        .collect();
    let modes: Vec<_> = Mode::all()
        .iter()
        .map(|m| json!({ "key": m.key(), "label": m.label() }))
        .collect();
    Ok(ctx.render(
        "register.html",
        json!({
            "params": params,
            "entries": entries,
            "total": found.total,
            "total_is_exact": found.total_is_exact,
            "page": page,
            "from": if entries.is_empty() { 0 } else { (page - 1) * PER_PAGE + 1 },
            "to": shown_to,
            "previous": (page > 1).then(|| link(page - 1)),
            "next": has_next.then(|| link(page + 1)),
            "providers": providers,
            "modes": modes,
            "countries": ["AT","BE","BG","CY","CZ","DE","DK","EE","ES","FI","FR","GR","HR","HU","IE","IT","LT","LU","LV","MT","NL","PL","PT","RO","SE","SI","SK"],
        }),
    ))
}

pub async fn entry(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let entry = ctx.state.store.register_entry(&id).await?;
        let description = body_of(&ctx.state, &id, entry.version).await?;
        let provider = ctx.state.store.organisation(&entry.provider_id).await?;
        Ok(ctx.render(
            "entry.html",
            json!({
                "entry": { "id": entry.id, "version": entry.version, "published_at": entry.published_at,
                           "profile": entry.profile },
                "provider": { "name": provider.name, "country": provider.country },
                "d": explain::description(&description, ctx.lang),
            }),
        ))
    }
    .await;
    finish(&ctx, result)
}

//! Verification inside the service: the vc crate's [`Resolver`] answered from this service's own
//! database (its status lists, its issuers' DID documents, its trust list) gathered before the CPU
//! work starts, so a verification never makes a network round trip, not even to itself. Status lists
//! and DIDs of other hosts are not fetched: their checks end `could-not-check`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use microcred_vc::did::did_of;
use microcred_vc::trust::TrustList;
use microcred_vc::{verify, Resolution, Resolver, VerificationReport, VerifyContext};
use serde_json::Value;

use crate::app::AppState;
use crate::problem::{ApiResult, Problem};

#[derive(Default)]
pub struct Prefetched {
    lists: HashMap<String, Value>,
    dids: HashMap<String, Value>,
}

impl Resolver for Prefetched {
    fn status_list(&self, url: &str) -> Resolution {
        match self.lists.get(url) {
            Some(list) => Resolution::Found(list.clone()),
            None => Resolution::Unavailable(format!(
                "the status list {url} is not one this service hosts, and it does not fetch lists from elsewhere"
            )),
        }
    }

    fn did_document(&self, did: &str) -> Resolution {
        match self.dids.get(did) {
            Some(document) => Resolution::Found(document.clone()),
            None => Resolution::Unavailable(format!(
                "{did} is not an issuer of this service; its DID document was not fetched"
            )),
        }
    }
}

/// Strings under `key` anywhere in `value` (status list URLs, verification methods, issuers).
fn collect<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    match v {
                        Value::String(s) => out.push(s),
                        Value::Object(o) => {
                            if let Some(Value::String(s)) = o.get("id") {
                                out.push(s)
                            }
                        }
                        _ => {}
                    }
                }
                collect(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, key, out)),
        _ => {}
    }
}

/// This service's accredited issuers, by the DIDs their credentials carry; accreditations that have
/// not started yet are left out (an issuer is trusted from the accreditation's first day).
async fn trust_list(state: &AppState, base_url: &str) -> ApiResult<TrustList> {
    let now = Utc::now();
    let issuers = crate::accredited::accredited_issuers(state, base_url, None, now)
        .await?
        .into_iter()
        .map(|entry| entry.issuer)
        .filter(|issuer| issuer.valid_from.is_none_or(|from| from <= now))
        .collect();
    Ok(TrustList {
        authority: format!("{base_url}/api/trust-list"),
        valid_from: None,
        valid_until: None,
        issuers,
    })
}

/// Parsed status lists and the trust list, kept between verifications. A list is reused only while
/// its group's revision in the database is unchanged (one primary-key read per verification), so a
/// revocation shows on the next request; the trust list is rebuilt after [`TRUST_TTL`].
#[derive(Default)]
pub struct Cache {
    lists: Mutex<HashMap<String, (i64, Value)>>,
    trust: Mutex<Option<(Instant, String, TrustList)>>,
}

/// An accreditation granted or ended shows in verifications within this time.
const TRUST_TTL: Duration = Duration::from_secs(2);

async fn current_list(state: &AppState, list: &str, url: &str) -> ApiResult<Value> {
    let (id, _) = crate::routes::status::parse_list_ref(list)
        .ok_or_else(|| Problem::not_found(format!("status list {list}")))?;
    let revision = state.store.status_list(id).await?.revision;
    let cache = &state.issuing.verify_cache.lists;
    if let Some((cached, value)) = cache.lock().expect("list cache").get(url) {
        if *cached == revision {
            return Ok(value.clone());
        }
    }
    let body = crate::routes::status::list_document(state, list, url).await?;
    let value: Value = serde_json::from_str(&body).map_err(|_| Problem::internal())?;
    let mut cache = cache.lock().expect("list cache");
    if cache.len() > 10_000 {
        cache.clear();
    }
    cache.insert(url.to_string(), (revision, value.clone()));
    Ok(value)
}

async fn cached_trust_list(state: &AppState, base_url: &str) -> ApiResult<TrustList> {
    let cache = &state.issuing.verify_cache.trust;
    if let Some((at, base, list)) = cache.lock().expect("trust cache").as_ref() {
        if at.elapsed() < TRUST_TTL && base == base_url {
            return Ok(list.clone());
        }
    }
    let list = trust_list(state, base_url).await?;
    *cache.lock().expect("trust cache") = Some((Instant::now(), base_url.to_string(), list.clone()));
    Ok(list)
}

/// Reads from the database what verifying `document` needs.
async fn prefetch(
    state: &AppState,
    document: &Value,
    base_url: &str,
) -> ApiResult<(Prefetched, Option<TrustList>)> {
    let mut found = Prefetched::default();
    let mut urls = Vec::new();
    collect(document, "statusListCredential", &mut urls);
    let prefix = format!("{base_url}/status/");
    for url in urls {
        if found.lists.contains_key(url) {
            continue;
        }
        let Some(list) = url.strip_prefix(&prefix) else {
            continue;
        };
        match current_list(state, list, url).await {
            Ok(value) => {
                found.lists.insert(url.to_string(), value);
            }
            Err(problem) if problem.status == 404 => {}
            Err(problem) => return Err(problem),
        }
    }
    let mut ids = Vec::new();
    collect(document, "verificationMethod", &mut ids);
    collect(document, "issuer", &mut ids);
    for list in found.lists.values() {
        collect(list, "verificationMethod", &mut ids);
    }
    let mut ours = false;
    for id in ids {
        let did = did_of(id);
        if !did.starts_with("did:web:") || found.dids.contains_key(did) {
            continue;
        }
        if let Some(record) = state.store.issuer_key_by_did(did).await? {
            found
                .dids
                .insert(did.to_string(), crate::issuer::did_document(&record));
            ours = true;
        }
    }
    // Accreditation is this service's to judge only for its own issuers; for others, issuer-trust
    // stays could-not-check rather than failing everyone else's credentials.
    let trust = if ours {
        Some(cached_trust_list(state, base_url).await?)
    } else {
        None
    };
    Ok((found, trust))
}

/// Verifies a credential or presentation with what this service knows.
pub async fn verify_document(
    state: &AppState,
    document: Value,
    base_url: &str,
    challenge: Option<String>,
    domain: Option<String>,
) -> ApiResult<VerificationReport> {
    let (resolver, trust_list) = prefetch(state, &document, base_url).await?;
    tokio::task::spawn_blocking(move || {
        let ctx = VerifyContext {
            trust_list,
            challenge,
            domain,
            resolver: Some(&resolver),
            ..VerifyContext::default()
        };
        verify(&document, &ctx)
    })
    .await
    .map_err(|_| Problem::internal())
}

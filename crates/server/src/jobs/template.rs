//! What every credential of one issuing run shares (the description version, the issuer, its key,
//! the format), the checks that allow the run, and the rendering + signing of one credential (pure
//! CPU work, run on the blocking pool).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use microcred_model::Description;
use microcred_store::{Accreditation, DescriptionRecord, Organisation, State, Store};
use microcred_vc::render::{self, IssuerProfile, Learner, RenderOptions};
use microcred_vc::{sign, Cryptosuite, ProofOptions};
use serde_json::Value;

use crate::issuer::IssuerKey;
use crate::problem::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ob3,
    Elm,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format, Problem> {
        match text {
            "ob3" | "openbadges" | "OpenBadgeCredential" => Ok(Format::Ob3),
            "elm" | "edc" => Ok(Format::Elm),
            other => Err(Problem::invalid_field(
                "/format",
                format!(
                    "unknown format {other:?}; use ob3 (Open Badges 3.0) or elm (European Learning Model)"
                ),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ob3 => "ob3",
            Format::Elm => "elm",
        }
    }

    /// OB 3.0 is signed with eddsa-rdfc-2022 (what its conformance names). ELM is VC 1.1-shaped with
    /// contexts this service does not ship, so it is signed with eddsa-jcs-2022, which needs none.
    fn cryptosuite(self) -> Cryptosuite {
        match self {
            Format::Ob3 => Cryptosuite::EddsaRdfc2022,
            Format::Elm => Cryptosuite::EddsaJcs2022,
        }
    }
}

pub struct Template {
    pub description_id: String,
    pub version: i64,
    pub description: Description,
    pub issuer: IssuerProfile,
    pub key: Arc<IssuerKey>,
    pub format: Format,
    pub base_url: String,
}

/// One learner's status slot: the list group and the index in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub list_id: String,
    pub index: i64,
}

/// The status list URL for a group and purpose.
pub fn list_url(base_url: &str, list_id: &str, purpose: &str) -> String {
    format!("{base_url}/status/{list_id}-{purpose}")
}

impl Template {
    /// Renders and signs the credential of one learner. Returns its id and the signed document.
    pub fn credential(
        &self,
        learner: &Learner,
        grade: Option<String>,
        slot: &Slot,
        issued: DateTime<Utc>,
    ) -> Result<(String, Value), String> {
        let id = render::new_credential_id().map_err(|e| e.to_string())?;
        let mut options =
            RenderOptions::new(id.clone(), issued, render::new_salt().map_err(|e| e.to_string())?);
        options.grade = grade;
        let mut document = match self.format {
            Format::Ob3 => render::open_badge(&self.description, learner, &self.issuer, &options),
            Format::Elm => render::elm(&self.description, learner, &self.issuer, &options),
        };
        let entries: Vec<Value> = ["revocation", "suspension"]
            .iter()
            .map(|purpose| {
                microcred_vc::status::status_entry(
                    &list_url(&self.base_url, &slot.list_id, purpose),
                    purpose,
                    slot.index as usize,
                )
            })
            .collect();
        if let Some(map) = document.as_object_mut() {
            map.insert("credentialStatus".into(), Value::Array(entries));
            // ELM is VC 1.1-shaped, and VC 1.1 requires issuanceDate (EDC samples carry only
            // validFrom and `issued`); without it, VC 1.1 verifiers reject the credential.
            if self.format == Format::Elm && !map.contains_key("issuanceDate") {
                let at = issued.format("%Y-%m-%dT%H:%M:%SZ").to_string();
                map.insert("issuanceDate".into(), Value::String(at));
            }
        }
        let mut proof = ProofOptions::new(self.key.pair.public());
        proof.cryptosuite = self.format.cryptosuite();
        proof.verification_method = self.key.verification_method.clone();
        proof.created = Some(issued.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let signed = sign(&document, &self.key.pair, &proof).map_err(|e| e.to_string())?;
        Ok((id, signed))
    }
}

/// The version that may be issued: the last published (validated) one, unless withdrawn. An edit awaiting
/// re-validation is never issued, but it does not stop issuing the validated version: learners who
/// completed that version are owed their credential while the authority reviews the change.
pub fn issuable_version(record: &DescriptionRecord) -> Result<i64, Problem> {
    let refuse = |why: &str| {
        Problem::conflict(format!("description {} cannot be issued: {why}", record.id))
            .with_error("/description_id", why.to_string())
    };
    if record.state == State::Withdrawn {
        return Err(refuse("it is withdrawn"));
    }
    record
        .published_version
        .ok_or_else(|| refuse("no version of it is published"))
}

fn covers<T: PartialEq>(scope: &[T], value: Option<T>) -> bool {
    scope.is_empty() || value.is_some_and(|v| scope.contains(&v))
}

/// Whether an accreditation, valid at `now`, covers this description (EQF level, ISCED field,
/// countries; an empty scope list means any). A programme accreditation covers only its description.
pub fn accreditation_covers(a: &Accreditation, description_id: &str, d: &Description, now: &str) -> bool {
    let valid = a.valid_from.as_deref().is_none_or(|from| from <= now)
        && a.valid_until.as_deref().is_none_or(|until| now < until);
    let programme_ok = a.description_id.as_deref().is_none_or(|id| id == description_id);
    let eqf = d.level.eqf.map(|l| l.get());
    let isced = d.field.as_ref().map(|f| f.code().to_string());
    let countries_ok = a.countries.is_empty()
        || d.countries
            .iter()
            .any(|c| a.countries.iter().any(|x| x == c.alpha2()));
    valid && programme_ok && covers(&a.eqf_levels, eqf) && covers(&a.isced_fields, isced) && countries_ok
}

/// Loads and checks everything an issuing run needs for `description_id` by `provider`.
pub async fn prepare(
    store: &Store,
    keys: &crate::issuer::Keys,
    provider: &Organisation,
    description_id: &str,
    format: Option<Format>,
    base_url: &str,
) -> Result<Template, Problem> {
    let record = store.description(description_id).await?;
    if record.provider_id != provider.id {
        return Err(Problem::forbidden(format!(
            "description {description_id} belongs to {}, not {}",
            record.provider_id, provider.id
        )));
    }
    let version = issuable_version(&record)?;
    let body = store.version(description_id, version).await?.body;
    let description: Description = serde_json::from_str(&body).map_err(|e| {
        Problem::conflict(format!(
            "the published version does not read as a description: {e}"
        ))
    })?;
    let now = microcred_store::now();
    let accredited =
        store.accreditations(None).await?.iter().any(|a| {
            a.provider_id == provider.id && accreditation_covers(a, description_id, &description, &now)
        });
    if !accredited {
        return Err(Problem::forbidden(format!(
            "{} holds no accreditation valid now that covers this description (EQF level, ISCED field, country)",
            provider.id
        )));
    }
    let key = keys.for_provider(store, &provider.id, base_url).await?;
    let issuer = IssuerProfile {
        id: key.did.clone(),
        name: provider.name.clone(),
        country: microcred_model::Country::parse(&provider.country).ok(),
        url: provider.uri.clone(),
        email: None,
    };
    Ok(Template {
        description_id: description_id.to_string(),
        version,
        description,
        issuer,
        key,
        format: format.unwrap_or(Format::Ob3),
        base_url: base_url.to_string(),
    })
}

/// A learner from roster columns.
pub fn learner(email: &str, name: &str, extra: &serde_json::Map<String, Value>) -> Learner {
    let text = |key: &str| extra.get(key).and_then(Value::as_str).map(str::to_string);
    Learner {
        name: name.to_string(),
        given_name: text("given_name"),
        family_name: text("family_name"),
        email: Some(email.to_string()),
        id: text("learner_id"),
        national_id: None,
        date_of_birth: None,
    }
}

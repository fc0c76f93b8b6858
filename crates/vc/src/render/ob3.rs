//! Open Badges 3.0 rendering: an unsigned VC 2.0 `OpenBadgeCredential` carrying every Annex I element.
//!
//! OB 3.0 slots are used where they exist (achievement name, criteria, alignments to ESCO / EQF / NQF /
//! ISCED-F, creditsAvailable, fieldOfStudy, resultDescription, hashed identifiers); the rest goes into
//! terms of the microcred extension context, so that the whole document canonicalises in JSON-LD safe
//! mode (every term defined) and can be signed with eddsa-rdfc-2022.

use microcred_model::{Concept, Country, Description, LangMap};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{
    date_time, hours_duration, is_absolute_iri, number, IssuerProfile, Learner, RenderOptions,
    CREDENTIALS_V2_CONTEXT, EXTENSION_CONTEXT_URL, OB_CONTEXT,
};

const UNTITLED: &str = "Untitled micro-credential";

/// Renders `description` as an unsigned OB 3.0 credential for `learner`, issued by `issuer`.
pub fn open_badge(
    description: &Description,
    learner: &Learner,
    issuer: &IssuerProfile,
    options: &RenderOptions,
) -> Value {
    let lang = options.language.as_str();
    let title = text(&description.title, lang).unwrap_or(UNTITLED);
    let mut credential = json!({
        "@context": [CREDENTIALS_V2_CONTEXT, OB_CONTEXT, extension_context(options)],
        "id": options.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
    });
    let map = credential.as_object_mut().expect("built as an object");
    if let Some(summary) = text(&description.description, lang) {
        map.insert("description".into(), summary.into());
    }
    map.insert("issuer".into(), issuer_profile(issuer, description, lang));
    map.insert("validFrom".into(), date_time(&options.issued).into());
    if let Some(until) = &options.valid_until {
        map.insert("validUntil".into(), date_time(until).into());
    }
    map.insert("credentialSubject".into(), subject(description, learner, options));
    credential
}

fn extension_context(options: &RenderOptions) -> Value {
    if options.inline_extension_context {
        super::extension_context_object()
    } else {
        EXTENSION_CONTEXT_URL.into()
    }
}

fn subject(description: &Description, learner: &Learner, options: &RenderOptions) -> Value {
    let mut subject = Map::new();
    if let Some(id) = learner.id.as_deref().filter(|id| is_absolute_iri(id)) {
        subject.insert("id".into(), id.into());
    }
    subject.insert("type".into(), json!(["AchievementSubject"]));
    if !learner.name.trim().is_empty() {
        subject.insert("name".into(), learner.name.trim().into());
    }
    let identifiers = identities(learner, &options.identity_salt);
    if !identifiers.is_empty() {
        subject.insert("identifier".into(), Value::Array(identifiers));
    }
    if let Some(born) = &learner.date_of_birth {
        subject.insert("learnerBirthDate".into(), born.to_string().into());
    }
    let achievement = achievement(description, options);
    let result_id = format!("{}#result", achievement_id(description, options));
    subject.insert("achievement".into(), achievement);
    if let Some(grade) = options.grade.as_deref().filter(|g| !g.trim().is_empty()) {
        subject.insert(
            "result".into(),
            json!([{ "type": ["Result"], "resultDescription": result_id, "value": grade.trim() }]),
        );
    }
    if let Some(credits) = main_credits(description) {
        subject.insert("creditsEarned".into(), number(credits));
    }
    Value::Object(subject)
}

/// OB 3.0 IdentityObjects: `sha256$` + hex(SHA-256(identifier + salt)). Emails are trimmed and
/// lower-cased first so that a verifier who types the address in another case still matches.
fn identities(learner: &Learner, salt: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(email) = learner.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        out.push(hashed_identity("emailAddress", &email.to_lowercase(), salt));
    }
    if let Some(national) = &learner.national_id {
        out.push(hashed_identity(
            "nationalIdentityNumber",
            national.value.trim(),
            salt,
        ));
    }
    out
}

pub(crate) fn hashed_identity(kind: &str, value: &str, salt: &str) -> Value {
    let digest = Sha256::digest(format!("{value}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    json!({
        "type": "IdentityObject",
        "identityHash": format!("sha256${hex}"),
        "identityType": kind,
        "hashed": true,
        "salt": salt,
    })
}

fn achievement_id(description: &Description, options: &RenderOptions) -> String {
    description
        .id
        .clone()
        .filter(|id| is_absolute_iri(id))
        .unwrap_or_else(|| format!("{}#achievement", options.credential_id))
}

fn achievement(description: &Description, options: &RenderOptions) -> Value {
    let lang = options.language.as_str();
    let id = achievement_id(description, options);
    let mut a = Map::new();
    a.insert("id".into(), id.clone().into());
    a.insert("type".into(), json!(["Achievement"]));
    a.insert("achievementType".into(), "MicroCredential".into());
    a.insert(
        "name".into(),
        text(&description.title, lang).unwrap_or(UNTITLED).into(),
    );
    insert_lang_map(&mut a, "titleByLanguage", &description.title);
    // OB 3.0 requires an achievement description; without one the title stands in.
    let summary = text(&description.description, lang)
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "Micro-credential: {}",
                text(&description.title, lang).unwrap_or(UNTITLED)
            )
        });
    a.insert("description".into(), summary.into());
    insert_lang_map(&mut a, "descriptionByLanguage", &description.description);
    a.insert(
        "criteria".into(),
        json!({ "narrative": criteria_narrative(description, lang) }),
    );
    a.insert("inLanguage".into(), lang.into());
    if !description.languages.is_empty() {
        a.insert("instructionLanguage".into(), json!(description.languages));
    }
    if let Some(version) = &description.version {
        a.insert("version".into(), version.as_str().into());
    }
    let alignments = alignments(description);
    if !alignments.is_empty() {
        a.insert("alignment".into(), Value::Array(alignments));
    }
    if let Some(credits) = main_credits(description) {
        a.insert("creditsAvailable".into(), number(credits));
    }
    if let Some(field) = &description.field {
        a.insert("fieldOfStudy".into(), field.name().into());
    }
    a.insert("resultDescription".into(), result_descriptions(description, &id));
    insert_extensions(&mut a, description, lang);
    Value::Object(a)
}

/// The Annex I elements OB 3.0 has no slot for, in extension-context terms.
fn insert_extensions(a: &mut Map<String, Value>, d: &Description, lang: &str) {
    let countries: Vec<String> = d.countries.iter().map(|c| c.uri()).collect();
    if !countries.is_empty() {
        a.insert("issuerCountry".into(), json!(countries));
    }
    if !d.regions.is_empty() {
        a.insert("issuerRegion".into(), json!(d.regions));
    }
    let bodies: Vec<Value> = d
        .awarding_bodies
        .iter()
        .map(|b| profile(&b.name, b.id.as_deref(), b.country, lang))
        .collect();
    if !bodies.is_empty() {
        a.insert("awardingBody".into(), Value::Array(bodies));
    }
    let outcomes: Vec<Value> = d.learning_outcomes.iter().map(learning_outcome).collect();
    if !outcomes.is_empty() {
        a.insert("learningOutcome".into(), Value::Array(outcomes));
    }
    if !d.workload.is_empty() {
        a.insert("workload".into(), workload(d));
    }
    if let Some(cycle) = d.level.cycle {
        a.insert(
            "qfEheaCycle".into(),
            serde_json::to_value(cycle).unwrap_or(Value::Null),
        );
    }
    if let Some(nqf) = d.level.nqf.as_ref().filter(|n| n.uri.is_none()) {
        // Without an EU URI there is no targetUrl, which OB requires of an alignment.
        a.insert(
            "nqfLevel".into(),
            format!("{} {}", nqf.framework, nqf.level).into(),
        );
    }
    if !d.assessment.is_empty() {
        a.insert("assessment".into(), assessment(d));
    }
    if !d.participation.is_empty() {
        a.insert("participation".into(), participation(d));
    }
    let qa: Vec<Value> = d
        .quality_assurance
        .iter()
        .map(|q| quality_assurance(q, lang))
        .collect();
    if !qa.is_empty() {
        a.insert("qualityAssurance".into(), Value::Array(qa));
    }
    insert_lang_map(a, "prerequisites", &d.prerequisites);
    if let Some(stack) = &d.stackability {
        let mut s = json!({ "type": "Stackability", "standAlone": stack.stand_alone });
        if !stack.towards.is_empty() {
            s["stacksTowards"] = json!(stack.towards);
        }
        a.insert("stackability".into(), s);
    }
    insert_lang_map(a, "labourMarketNeed", &d.relevance.labour_market_need);
    insert_lang_map(a, "targetLearners", &d.relevance.target_learners);
    insert_lang_map(a, "employerInvolvement", &d.relevance.employer_involvement);
    if let Some(info) = &d.further_information {
        a.insert("furtherInformation".into(), info.as_str().into());
    }
    if let Some(review) = &d.review_date {
        a.insert("reviewDate".into(), review.to_string().into());
    }
}

fn criteria_narrative(d: &Description, lang: &str) -> String {
    let outcomes: Vec<String> = d
        .learning_outcomes
        .iter()
        .filter_map(|o| text(&o.text, lang))
        .map(|t| format!("- {t}"))
        .collect();
    let assessed_by: Vec<&str> = d.assessment.types.iter().map(|t| t.label()).collect();
    let mut narrative = String::from("The learner achieved these learning outcomes");
    if !assessed_by.is_empty() {
        narrative.push_str(&format!(", assessed by {}", assessed_by.join(", ")));
    }
    narrative.push(':');
    if outcomes.is_empty() {
        narrative.push_str("\n\n(no learning outcomes stated)");
    } else {
        narrative.push_str("\n\n");
        narrative.push_str(&outcomes.join("\n"));
    }
    narrative
}

fn alignment(name: String, url: String, framework: &str, code: Option<&str>) -> Value {
    let mut value = json!({
        "type": ["Alignment"],
        "targetName": name,
        "targetUrl": url,
        "targetFramework": framework,
    });
    if let Some(code) = code {
        value["targetCode"] = code.into();
    }
    value
}

fn alignments(d: &Description) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for skill in d.learning_outcomes.iter().flat_map(|o| &o.esco_skills) {
        if seen.insert(skill.as_str()) {
            let code = skill.rsplit('/').next();
            out.push(alignment(
                format!("ESCO skill {}", code.unwrap_or(skill)),
                skill.clone(),
                "ESCO",
                code,
            ));
        }
    }
    if let Some(eqf) = d.level.eqf {
        let mut value = alignment(
            format!("EQF level {}", eqf.get()),
            eqf.uri(),
            "European Qualifications Framework",
            Some(&eqf.get().to_string()),
        );
        value["targetDescription"] = eqf.plain_meaning().into();
        out.push(value);
    }
    if let Some(nqf) = &d.level.nqf {
        if let Some(uri) = &nqf.uri {
            out.push(alignment(
                format!("{} level {}", nqf.framework, nqf.level),
                uri.clone(),
                &nqf.framework,
                Some(&nqf.level),
            ));
        }
    }
    if let Some(field) = &d.field {
        out.push(alignment(
            format!("ISCED-F {} {}", field.code(), field.name()),
            field.uri(),
            "ISCED-F 2013",
            Some(field.code()),
        ));
    }
    for occupation in &d.relevance.occupations {
        let code = occupation.rsplit('/').next();
        out.push(alignment(
            format!("ESCO occupation {}", code.unwrap_or(occupation)),
            occupation.clone(),
            "ESCO",
            code,
        ));
    }
    out
}

/// The overall result (with the grading scheme), then one entry per assessment type.
fn result_descriptions(d: &Description, achievement_id: &str) -> Value {
    let mut overall = json!({
        "id": format!("{achievement_id}#result"),
        "type": ["ResultDescription"],
        "name": "Final result",
        "resultType": "Result",
    });
    if let Some(scheme) = &d.assessment.grading_scheme {
        overall["description"] = format!("Grading scheme: {scheme}").into();
    }
    let mut out = vec![overall];
    for (index, kind) in d.assessment.types.iter().enumerate() {
        out.push(json!({
            "id": format!("{achievement_id}#assessment-{}", index + 1),
            "type": ["ResultDescription"],
            "name": kind.label(),
            "resultType": "Result",
        }));
    }
    Value::Array(out)
}

fn learning_outcome(o: &microcred_model::LearningOutcome) -> Value {
    let mut value = json!({ "type": "LearningOutcome" });
    let map = value.as_object_mut().expect("built as an object");
    insert_lang_map(map, "outcomeText", &o.text);
    if let Some(kind) = o.kind {
        map.insert("outcomeKind".into(), kind.uri().into());
    }
    let skills: Vec<&String> = o.esco_skills.iter().filter(|s| is_absolute_iri(s)).collect();
    if !skills.is_empty() {
        map.insert("escoSkill".into(), json!(skills));
    }
    value
}

fn workload(d: &Description) -> Value {
    let mut value = json!({ "type": "Workload" });
    if let Some(hours) = d.workload.hours {
        value["notionalHours"] = number(hours);
        value["volumeOfLearning"] = hours_duration(hours).into();
    }
    let credits: Vec<Value> = d
        .workload
        .credits
        .iter()
        .map(|c| {
            let mut credit = json!({
                "type": "Credit",
                "creditSystemName": c.system.name(),
                "creditPoints": number(c.points),
            });
            if let Some(uri) = c.system.uri() {
                credit["creditSystem"] = uri.into();
            }
            if let Some(hours) = c.hours_per_credit {
                credit["hoursPerCredit"] = number(hours);
            }
            credit
        })
        .collect();
    if !credits.is_empty() {
        value["credit"] = Value::Array(credits);
    }
    value
}

fn assessment(d: &Description) -> Value {
    let a = &d.assessment;
    let mut value = json!({ "type": "AssessmentDetails" });
    let map = value.as_object_mut().expect("built as an object");
    if !a.types.is_empty() {
        map.insert(
            "assessmentType".into(),
            json!(a.types.iter().map(|t| t.uri()).collect::<Vec<_>>()),
        );
    }
    if let Some(scheme) = &a.grading_scheme {
        map.insert("gradingScheme".into(), scheme.as_str().into());
    }
    if let Some(supervision) = a.supervision {
        map.insert("supervision".into(), supervision.uri().into());
    }
    insert_lang_map(map, "assessmentDescription", &a.description);
    value
}

fn participation(d: &Description) -> Value {
    let p = &d.participation;
    let mut value = json!({ "type": "ParticipationDetails" });
    if !p.modes.is_empty() {
        value["learningMode"] = json!(p.modes.iter().map(|m| m.uri()).collect::<Vec<_>>());
    }
    if let Some(setting) = p.setting {
        value["learningSetting"] = setting.uri().into();
    }
    if let Some(kind) = p.opportunity_type {
        value["learningOpportunityType"] = kind.uri().into();
    }
    if let Some(duration) = &p.duration {
        value["activityDuration"] = duration.to_string().into();
    }
    value
}

fn quality_assurance(q: &microcred_model::QualityAssurance, lang: &str) -> Value {
    let mut value = json!({ "type": "QualityAssurance" });
    if let Some(kind) = q.qa_type {
        value["qualityAssuranceType"] = kind.uri().into();
    }
    if let Some(body) = &q.body {
        value["qualityAssuranceBody"] = profile(&LangMap::english(body), q.body_id.as_deref(), None, lang);
    }
    if let Some(reference) = &q.reference {
        value["qualityAssuranceReference"] = reference.as_str().into();
    }
    if let Some(from) = &q.valid_from {
        value["qualityAssuranceValidFrom"] = from.to_string().into();
    }
    if let Some(until) = &q.valid_until {
        value["qualityAssuranceValidUntil"] = until.to_string().into();
    }
    if let Some(external) = q.external {
        value["externalQualityAssurance"] = external.into();
    }
    value
}

/// An OB `Profile` for an organisation; an identifier that is not an IRI goes to `otherIdentifier`.
fn profile(name: &LangMap, id: Option<&str>, country: Option<Country>, lang: &str) -> Value {
    let mut value = json!({ "type": ["Profile"] });
    let map = value.as_object_mut().expect("built as an object");
    match id.map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) if is_absolute_iri(id) => {
            map.insert("id".into(), id.into());
        }
        Some(other) => {
            map.insert(
                "otherIdentifier".into(),
                json!([{ "type": ["IdentifierEntry"], "identifier": other, "identifierType": "identifier" }]),
            );
        }
        None => {}
    }
    if let Some(name) = text(name, lang) {
        map.insert("name".into(), name.into());
    }
    if let Some(country) = country {
        map.insert("address".into(), address(country, None));
    }
    value
}

fn address(country: Country, region: Option<&str>) -> Value {
    let mut value = json!({
        "type": ["Address"],
        "addressCountry": country.name(),
        "addressCountryCode": country.alpha2(),
    });
    if let Some(region) = region {
        value["addressRegion"] = region.into();
    }
    value
}

fn issuer_profile(issuer: &IssuerProfile, d: &Description, lang: &str) -> Value {
    let _ = lang;
    let mut value = json!({ "id": issuer.id, "type": ["Profile"], "name": issuer.name });
    if let Some(url) = &issuer.url {
        value["url"] = url.as_str().into();
    }
    if let Some(email) = &issuer.email {
        value["email"] = email.as_str().into();
    }
    if let Some(country) = issuer.country.or_else(|| d.countries.first().copied()) {
        value["address"] = address(country, d.regions.first().map(String::as_str));
    }
    value
}

/// ECTS when given (what OB readers expect in creditsAvailable), else the first credit system.
fn main_credits(d: &Description) -> Option<f64> {
    d.workload
        .ects()
        .or_else(|| d.workload.credits.first().map(|c| c.points))
}

fn text<'a>(map: &'a LangMap, lang: &str) -> Option<&'a str> {
    map.best(lang).map(str::trim).filter(|t| !t.is_empty())
}

fn insert_lang_map(target: &mut Map<String, Value>, key: &str, map: &LangMap) {
    let entries: Map<String, Value> = map
        .0
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(tag, text)| (tag.clone(), Value::from(text.trim())))
        .collect();
    if !entries.is_empty() {
        target.insert(key.into(), Value::Object(entries));
    }
}

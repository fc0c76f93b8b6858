//! European Learning Model v3 rendering: a `EuropeanDigitalCredential` shaped like the Commission's
//! micro-credential sample (`Sample-MC-Annex1-unsigned.jsonld`), with the full Annex I set including the
//! quality assurance element as an `Accreditation` (which the sample lacks).
//!
//! Path of each element: learner = `credentialSubject` (Person); title = `hasClaim.title` and
//! `specifiedBy.title`; country = `issuer.location.address.countryCode`; awarding bodies =
//! `hasClaim.awardedBy.awardingBody`; date = `validFrom` / `issued` / `awardingDate`; outcomes =
//! `specifiedBy.learningOutcome`; workload = `specifiedBy.volumeOfLearning` + `creditPoint`; level =
//! `eqfLevel` / `nqfLevel`; field = `thematicArea`; assessment = `provenBy.specifiedBy.dcType`;
//! participation = `specifiedBy.mode` / `learningSetting` / `dcType`; QA = `specifiedBy.accreditation`.

use microcred_model::{Concept, Country, CreditSystem, Description, LangMap};
use serde_json::{json, Map, Value};

use super::concepts::{concept, country_concept, language_concept, snb_concept, ESCO_SKILLS_SCHEME};
use super::{date_time, hours_duration, is_absolute_iri, IssuerProfile, Learner, RenderOptions};
use super::{CREDENTIALS_V1_CONTEXT, ELM_CONTEXT};

/// Renders `description` as an unsigned ELM v3 credential for `learner`, issued by `issuer`.
pub fn elm(
    description: &Description,
    learner: &Learner,
    issuer: &IssuerProfile,
    options: &RenderOptions,
) -> Value {
    let r = Renderer {
        d: description,
        options,
        lang: options.language.as_str(),
    };
    let issued = date_time(&options.issued);
    let mut credential = json!({
        "@context": [CREDENTIALS_V1_CONTEXT, ELM_CONTEXT],
        "id": options.credential_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": concept(
            "http://data.europa.eu/snb/credential/e34929035b",
            "http://data.europa.eu/snb/credential/25831c2",
            "Generic",
            "en",
        ),
        "credentialSchema": {
            "id": "http://data.europa.eu/snb/model/ap/edc-generic-full",
            "type": "ShaclValidator2017",
        },
        "credentialSubject": r.person(learner),
        "issuer": r.issuer(issuer),
        "issued": issued,
        "validFrom": issued,
        "displayParameter": r.display_parameter(),
    });
    if let Some(until) = &options.valid_until {
        credential["expirationDate"] = date_time(until).into();
    }
    credential
}

struct Renderer<'a> {
    d: &'a Description,
    options: &'a RenderOptions,
    lang: &'a str,
}

impl Renderer<'_> {
    /// Node identifiers are fragments of the credential's own URI, so they are unique per credential.
    fn id(&self, local: &str) -> String {
        format!("{}#{local}", self.options.credential_id)
    }

    fn title(&self) -> Value {
        lang_map(&self.d.title).unwrap_or_else(|| json!({ "en": "Untitled micro-credential" }))
    }

    fn person(&self, learner: &Learner) -> Value {
        let id = learner
            .id
            .clone()
            .filter(|id| is_absolute_iri(id))
            .unwrap_or_else(|| self.id("learner"));
        let mut person = json!({ "id": id, "type": "Person" });
        let p = person.as_object_mut().expect("built as an object");
        let name = learner.name.trim();
        p.insert(
            "fullName".into(),
            json!({ self.lang: if name.is_empty() { "(name not given)" } else { name } }),
        );
        if let Some(given) = learner.given_name.as_deref().filter(|g| !g.trim().is_empty()) {
            p.insert("givenName".into(), json!({ self.lang: given.trim() }));
        }
        if let Some(family) = learner.family_name.as_deref().filter(|f| !f.trim().is_empty()) {
            p.insert("familyName".into(), json!({ self.lang: family.trim() }));
        }
        if let Some(born) = &learner.date_of_birth {
            p.insert("dateOfBirth".into(), format!("{born}T00:00:00Z").into());
        }
        if let Some(national) = &learner.national_id {
            let mut legal = json!({
                "id": self.id("national-id"),
                "type": "LegalIdentifier",
                "notation": national.value.trim(),
            });
            if let Some(country) = national.country {
                legal["spatial"] = country_concept(country, "en");
            }
            p.insert("nationalID".into(), legal);
        }
        if let Some(email) = learner.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            p.insert(
                "contactPoint".into(),
                json!({
                    "id": self.id("learner-contact"),
                    "type": "ContactPoint",
                    "emailAddress": { "id": format!("mailto:{email}"), "type": "Mailbox" },
                }),
            );
        }
        p.insert("hasClaim".into(), self.achievement());
        person
    }

    fn achievement(&self) -> Value {
        let mut claim = json!({
            "id": self.id("achievement"),
            "type": "LearningAchievement",
            "title": self.title(),
            "awardedBy": self.awarding_process(),
            "specifiedBy": self.qualification(),
        });
        if !self.d.assessment.is_empty() || self.options.grade.is_some() {
            claim["provenBy"] = self.assessment();
        }
        claim
    }

    fn awarding_process(&self) -> Value {
        let bodies: Vec<Value> = self
            .d
            .awarding_bodies
            .iter()
            .enumerate()
            .map(|(i, b)| {
                self.organisation(
                    &format!("awarding-body-{}", i + 1),
                    &b.name,
                    b.id.as_deref(),
                    b.country,
                )
            })
            .collect();
        json!({
            "id": self.id("awarding"),
            "type": "AwardingProcess",
            "awardingBody": bodies,
            "awardingDate": date_time(&self.options.issued),
        })
    }

    fn assessment(&self) -> Value {
        let a = &self.d.assessment;
        let mut spec = json!({
            "id": self.id("assessment-specification"),
            "type": "LearningAssessmentSpecification",
            "title": { "en": "Assessment" },
        });
        let types: Vec<Value> = a
            .types
            .iter()
            .map(|t| snb_concept(&t.uri(), t.label(), "en"))
            .collect();
        if !types.is_empty() {
            spec["dcType"] = Value::Array(types);
        }
        if let Some(described) = lang_map(&a.description) {
            spec["description"] = described;
        }
        if let Some(scheme) = &a.grading_scheme {
            spec["gradingScheme"] = json!({
                "id": self.id("grading-scheme"),
                "type": "GradingScheme",
                "title": { self.lang: scheme },
            });
        }
        let mut assessment = json!({
            "id": self.id("assessment"),
            "type": "LearningAssessment",
            "title": { "en": "Assessment" },
            "specifiedBy": spec,
        });
        if let Some(supervision) = a.supervision {
            assessment["idVerification"] = snb_concept(&supervision.uri(), supervision.label(), "en");
        }
        if let Some(grade) = self.options.grade.as_deref().filter(|g| !g.trim().is_empty()) {
            assessment["grade"] = json!({
                "id": self.id("grade"),
                "type": "Note",
                "noteLiteral": { self.lang: grade.trim() },
            });
        }
        assessment
    }

    fn qualification(&self) -> Value {
        let d = self.d;
        let id =
            d.id.clone()
                .filter(|id| is_absolute_iri(id))
                .unwrap_or_else(|| self.id("qualification"));
        let mut q = Map::new();
        q.insert("id".into(), id.clone().into());
        q.insert("type".into(), "Qualification".into());
        q.insert("title".into(), self.title());
        insert(&mut q, "description", lang_map(&d.description));
        let outcomes: Vec<Value> = d
            .learning_outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| self.learning_outcome(i, o))
            .collect();
        if !outcomes.is_empty() {
            q.insert("learningOutcome".into(), Value::Array(outcomes));
        }
        if let Some(hours) = d.workload.hours {
            q.insert("volumeOfLearning".into(), hours_duration(hours).into());
        }
        let credits: Vec<Value> = d
            .workload
            .credits
            .iter()
            .enumerate()
            .map(|(i, c)| self.credit(i, c))
            .collect();
        if !credits.is_empty() {
            q.insert("creditPoint".into(), Value::Array(credits));
        }
        if let Some(eqf) = d.level.eqf {
            q.insert(
                "eqfLevel".into(),
                snb_concept(&eqf.uri(), &format!("Level {}", eqf.get()), "en"),
            );
        }
        if let Some(nqf) = &d.level.nqf {
            let label = format!("{} Level {}", nqf.framework, nqf.level);
            let uri = nqf.uri.clone().unwrap_or_else(|| self.id("nqf-level"));
            q.insert("nqfLevel".into(), snb_concept(&uri, &label, "en"));
        }
        if let Some(field) = &d.field {
            q.insert(
                "thematicArea".into(),
                json!([snb_concept(&field.uri(), field.name(), "en")]),
            );
        }
        self.insert_participation(&mut q);
        let languages: Vec<Value> = d
            .languages
            .iter()
            .filter_map(|l| language_concept(l, "en"))
            .collect();
        if !languages.is_empty() {
            q.insert("language".into(), Value::Array(languages));
        }
        insert(
            &mut q,
            "entryRequirement",
            self.note("prerequisites", &d.prerequisites),
        );
        if let Some(stack) = &d.stackability {
            // ELM: a partial qualification is one that is not awarded on its own.
            q.insert("isPartialQualification".into(), (!stack.stand_alone).into());
        }
        let accreditations: Vec<Value> = d
            .quality_assurance
            .iter()
            .enumerate()
            .map(|(i, qa)| self.accreditation(i, qa, &id))
            .collect();
        if !accreditations.is_empty() {
            q.insert("accreditation".into(), Value::Array(accreditations));
        }
        let notes = self.additional_notes();
        if !notes.is_empty() {
            q.insert("additionalNote".into(), Value::Array(notes));
        }
        if let Some(info) = d.further_information.as_deref().filter(|i| is_absolute_iri(i)) {
            q.insert(
                "homepage".into(),
                json!([{ "id": self.id("homepage"), "type": "WebResource", "contentURL": info }]),
            );
        }
        if let Some(review) = &d.review_date {
            q.insert("reviewDate".into(), format!("{review}T00:00:00Z").into());
        }
        Value::Object(q)
    }

    fn insert_participation(&self, q: &mut Map<String, Value>) {
        let p = &self.d.participation;
        let modes: Vec<Value> = p
            .modes
            .iter()
            .map(|m| snb_concept(&m.uri(), m.label(), "en"))
            .collect();
        if !modes.is_empty() {
            q.insert("mode".into(), Value::Array(modes));
        }
        if let Some(setting) = p.setting {
            q.insert(
                "learningSetting".into(),
                snb_concept(&setting.uri(), setting.label(), "en"),
            );
        }
        if let Some(kind) = p.opportunity_type {
            q.insert("dcType".into(), snb_concept(&kind.uri(), kind.label(), "en"));
        }
        if let Some(duration) = &p.duration {
            q.insert("maximumDuration".into(), duration.to_string().into());
        }
    }

    fn learning_outcome(&self, index: usize, o: &microcred_model::LearningOutcome) -> Value {
        let mut value = json!({
            "id": self.id(&format!("learning-outcome-{}", index + 1)),
            "type": "LearningOutcome",
            "title": lang_map(&o.text).unwrap_or_else(|| json!({ "en": "(not stated)" })),
        });
        let skills: Vec<Value> = o
            .esco_skills
            .iter()
            .filter(|s| is_absolute_iri(s))
            .map(|s| {
                let label = format!("ESCO skill {}", s.rsplit('/').next().unwrap_or(s));
                concept(s, ESCO_SKILLS_SCHEME, &label, "en")
            })
            .collect();
        if !skills.is_empty() {
            value["relatedESCOSkill"] = Value::Array(skills);
        }
        value
    }

    fn credit(&self, index: usize, c: &microcred_model::Credit) -> Value {
        let framework = match &c.system {
            CreditSystem::Ects => snb_concept(
                &c.system.uri().unwrap_or_default(),
                "European Credit Transfer System",
                "en",
            ),
            CreditSystem::Ecvet => snb_concept(
                &c.system.uri().unwrap_or_default(),
                "European Credit system for Vocational Education and Training",
                "en",
            ),
            CreditSystem::National(name) => concept(
                &self.id(&format!("credit-system-{}", index + 1)),
                &self.id("credit-systems"),
                name,
                "en",
            ),
        };
        json!({
            "id": self.id(&format!("credit-{}", index + 1)),
            "type": "CreditPoint",
            "framework": framework,
            "point": format_points(c.points),
        })
    }

    /// Annex I element 11: one `Accreditation` per quality-assurance record, limited to this
    /// qualification, its EQF level, field and the issuer's countries.
    fn accreditation(
        &self,
        index: usize,
        qa: &microcred_model::QualityAssurance,
        qualification: &str,
    ) -> Value {
        let n = index + 1;
        let kind = qa.qa_type.map(|t| (t.uri(), t.label())).unwrap_or_else(|| {
            (
                self.id(&format!("qa-type-{n}")),
                "quality assurance (type not stated)",
            )
        });
        let body_name = LangMap::english(qa.body.clone().unwrap_or_else(|| "(not stated)".into()));
        let mut value = json!({
            "id": self.id(&format!("accreditation-{n}")),
            "type": "Accreditation",
            "dcType": snb_concept(&kind.0, kind.1, "en"),
            "title": { "en": capitalise(kind.1) },
            "accreditingAgent": self.organisation(&format!("qa-body-{n}"), &body_name, qa.body_id.as_deref(), None),
            "limitQualification": { "id": qualification, "type": "Qualification" },
        });
        if let Some(first) = self.d.awarding_bodies.first() {
            value["organisation"] =
                self.organisation("awarding-body-1", &first.name, first.id.as_deref(), first.country);
        }
        if let Some(reference) = &qa.reference {
            value["identifier"] = json!({
                "id": self.id(&format!("accreditation-{n}-reference")),
                "type": "Identifier",
                "notation": reference,
                "schemeName": "Quality assurance decision",
            });
        }
        if let Some(from) = &qa.valid_from {
            value["dateIssued"] = format!("{from}T00:00:00Z").into();
        }
        if let Some(until) = &qa.valid_until {
            value["expiryDate"] = format!("{until}T00:00:00Z").into();
        }
        if let Some(eqf) = self.d.level.eqf {
            value["limitEQFLevel"] = json!([snb_concept(&eqf.uri(), &format!("Level {}", eqf.get()), "en")]);
        }
        if let Some(field) = &self.d.field {
            value["limitField"] = json!([snb_concept(&field.uri(), field.name(), "en")]);
        }
        let jurisdictions: Vec<Value> = self
            .d
            .countries
            .iter()
            .map(|c| country_concept(*c, "en"))
            .collect();
        if !jurisdictions.is_empty() {
            value["limitJurisdiction"] = Value::Array(jurisdictions);
        }
        if let Some(external) = qa.external {
            let which = if external {
                "External quality assurance"
            } else {
                "Internal quality assurance"
            };
            value["description"] = json!({ "en": which });
        }
        value
    }

    /// Optional Annex I elements ELM has no dedicated property for: stackability, relevance, further
    /// information given as text.
    fn additional_notes(&self) -> Vec<Value> {
        let d = self.d;
        let mut notes = Vec::new();
        if let Some(stack) = &d.stackability {
            let mut text = if stack.stand_alone {
                "Stand-alone micro-credential.".to_string()
            } else {
                "Awarded only as part of a larger credential.".to_string()
            };
            if !stack.towards.is_empty() {
                text.push_str(&format!(" Can count towards: {}.", stack.towards.join("; ")));
            }
            notes.push(
                json!({ "id": self.id("note-stackability"), "type": "Note", "noteLiteral": { "en": text } }),
            );
        }
        if let Some(info) = d.further_information.as_deref().filter(|i| !is_absolute_iri(i)) {
            // A URL goes to `homepage`; a text has no other place than a note.
            notes.push(json!({ "id": self.id("note-further-information"), "type": "Note", "noteLiteral": { "en": info } }));
        }
        for (key, map) in [
            ("labour-market-need", &d.relevance.labour_market_need),
            ("target-learners", &d.relevance.target_learners),
            ("employer-involvement", &d.relevance.employer_involvement),
        ] {
            if let Some(note) = self.note(&format!("note-{key}"), map) {
                notes.push(note);
            }
        }
        notes
    }

    fn note(&self, local: &str, map: &LangMap) -> Option<Value> {
        lang_map(map).map(|text| json!({ "id": self.id(local), "type": "Note", "noteLiteral": text }))
    }

    fn organisation(&self, local: &str, name: &LangMap, id: Option<&str>, country: Option<Country>) -> Value {
        let id = id.map(str::trim).filter(|i| !i.is_empty());
        let node_id = id
            .filter(|i| is_absolute_iri(i))
            .map(str::to_string)
            .unwrap_or_else(|| self.id(local));
        let mut org = json!({
            "id": node_id,
            "type": "Organisation",
            "legalName": lang_map(name).unwrap_or_else(|| json!({ "en": "(name not given)" })),
        });
        if let Some(other) = id.filter(|i| !is_absolute_iri(i)) {
            org["identifier"] = json!({ "id": self.id(&format!("{local}-identifier")), "type": "Identifier", "notation": other });
        }
        if let Some(country) = country {
            org["location"] = self.location(local, country, &[]);
        }
        org
    }

    fn location(&self, local: &str, country: Country, regions: &[String]) -> Value {
        let mut location = json!({
            "id": self.id(&format!("{local}-location")),
            "type": "Location",
            "address": {
                "id": self.id(&format!("{local}-address")),
                "type": "Address",
                "countryCode": country_concept(country, "en"),
            },
        });
        let (nuts, named): (Vec<&String>, Vec<&String>) = regions.iter().partition(|r| is_nuts_code(r));
        if !nuts.is_empty() {
            let codes: Vec<Value> = nuts
                .iter()
                .map(|code| concept(&format!("{NUTS_SCHEME}/code/{code}"), NUTS_SCHEME, code, "en"))
                .collect();
            location["spatialCode"] = Value::Array(codes);
        }
        if let Some(name) = named.first() {
            location["geographicName"] = json!({ "en": name });
        }
        location
    }

    fn issuer(&self, issuer: &IssuerProfile) -> Value {
        let id = if is_absolute_iri(&issuer.id) {
            issuer.id.clone()
        } else {
            self.id("issuer")
        };
        let mut org = json!({
            "id": id,
            "type": "Organisation",
            "legalName": { self.lang: issuer.name },
        });
        // Annex I element 3 allows several countries and regions: one location per country, the
        // regions on the first.
        let mut countries: Vec<Country> = issuer.country.into_iter().collect();
        countries.extend(
            self.d
                .countries
                .iter()
                .copied()
                .filter(|c| Some(*c) != issuer.country),
        );
        let locations: Vec<Value> = countries
            .iter()
            .enumerate()
            .map(|(i, country)| {
                let regions: &[String] = if i == 0 { &self.d.regions } else { &[] };
                self.location(&format!("issuer-{}", i + 1), *country, regions)
            })
            .collect();
        if !locations.is_empty() {
            org["location"] = Value::Array(locations);
        }
        if let Some(url) = issuer.url.as_deref().filter(|u| is_absolute_iri(u)) {
            org["homepage"] =
                json!({ "id": self.id("issuer-homepage"), "type": "WebResource", "contentURL": url });
        }
        if let Some(email) = &issuer.email {
            org["contactPoint"] = json!({
                "id": self.id("issuer-contact"),
                "type": "ContactPoint",
                "emailAddress": { "id": format!("mailto:{email}"), "type": "Mailbox" },
            });
        }
        org
    }

    fn display_parameter(&self) -> Value {
        let mut display = json!({
            "id": self.id("display"),
            "type": "DisplayParameter",
            "title": self.title(),
        });
        let languages: Vec<Value> = self
            .d
            .title
            .languages()
            .filter_map(|l| language_concept(l, "en"))
            .collect();
        if let Some(primary) = language_concept(self.lang, "en") {
            display["primaryLanguage"] = primary;
        }
        if !languages.is_empty() {
            display["language"] = Value::Array(languages);
        }
        display
    }
}

const NUTS_SCHEME: &str = "http://data.europa.eu/nuts";

/// NUTS region codes: the two-letter country code and one to three more characters, e.g. `IE061`.
fn is_nuts_code(text: &str) -> bool {
    text.is_ascii()
        && (3..=5).contains(&text.len())
        && text[..2].chars().all(|c| c.is_ascii_uppercase())
        && text[2..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn insert(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

fn lang_map(map: &LangMap) -> Option<Value> {
    let entries: Map<String, Value> = map
        .0
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(tag, text)| (tag.clone(), Value::from(text.trim())))
        .collect();
    (!entries.is_empty()).then_some(Value::Object(entries))
}

/// ELM writes credit points as a string (`"10"`, `"7.5"`).
fn format_points(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{}", points as i64)
    } else {
        format!("{points}")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

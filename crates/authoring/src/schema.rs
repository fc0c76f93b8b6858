//! The JSON Schema (draft 2020-12) of the description format, built by hand from the model's fields
//! and vocabularies (the model crate has no schema derive). A test keeps it in step with the model by
//! checking that every key of a fully filled description is declared here.

use microcred_model::{
    AssessmentType, Concept, LearningSetting, Mode, OpportunityType, OutcomeKind, QaType, Supervision,
};
use serde_json::{json, Map, Value};

/// The schema of a description as authors write it in JSON (TOML has the same structure).
pub fn json_schema() -> Value {
    let credit = object(
        &[
            (
                "system",
                string("ECTS, ECVET, or the name of a national credit system (e.g. QQI-FET, CSVET)"),
            ),
            ("points", number("credits in that system")),
            (
                "hours_per_credit",
                number("hours of notional learning per credit, when the system defines it"),
            ),
        ],
        &["system", "points"],
    );
    let nqf = object(
        &[
            (
                "framework",
                string("the framework, e.g. IE-NFQ, ES-MECU, HR-CROQF, EE-EstQF, NL-NLQF, MT-MQF"),
            ),
            (
                "level",
                string("the level as the framework writes it, e.g. \"7\""),
            ),
            (
                "uri",
                string("the EU URI of the level in the snb/qdr scheme, where known"),
            ),
        ],
        &["framework", "level"],
    );
    let properties = [
        (
            "id",
            string("a stable identifier, ideally a URI the provider controls"),
        ),
        ("version", string("the provider's version label")),
        (
            "review_date",
            date("when the offer is next reviewed for relevance"),
        ),
        ("title", lang_map("Annex I element 2: title")),
        ("description", lang_map("a short description")),
        (
            "languages",
            array(
                string("BCP 47 language tag"),
                "languages of instruction and assessment",
            ),
        ),
        (
            "countries",
            array(country(), "Annex I element 3: countries of the issuer"),
        ),
        (
            "regions",
            array(
                string("NUTS code or region name"),
                "Annex I element 3: regions of the issuer",
            ),
        ),
        (
            "awarding_bodies",
            array(
                object(
                    &[
                        ("name", lang_map("name of the awarding body")),
                        (
                            "id",
                            string("legal or registry identifier (URI, VAT, Erasmus code, DID)"),
                        ),
                        ("country", country()),
                    ],
                    &[],
                ),
                "Annex I element 4: awarding bodies (co-awarding allowed)",
            ),
        ),
        (
            "learning_outcomes",
            array(
                object(
                    &[
                        ("text", lang_map("what the learner knows or can do")),
                        ("kind", vocabulary::<OutcomeKind>()),
                        (
                            "esco_skills",
                            array(string("ESCO skill URI"), "related ESCO skills"),
                        ),
                    ],
                    &[],
                ),
                "Annex I element 6: learning outcomes",
            ),
        ),
        (
            "workload",
            describe(
                object(
                    &[
                        ("hours", number("notional learning hours")),
                        ("credits", array(credit, "credits in one or more systems")),
                    ],
                    &[],
                ),
                "Annex I element 7: notional workload (in ECTS wherever possible)",
            ),
        ),
        (
            "level",
            describe(
                object(
                    &[
                        ("eqf", eqf()),
                        ("nqf", nqf),
                        (
                            "cycle",
                            json!({ "enum": ["short-cycle", "first", "second", "third"] }),
                        ),
                    ],
                    &[],
                ),
                "Annex I element 8: level (EQF, national framework, QF-EHEA cycle)",
            ),
        ),
        (
            "field",
            string("ISCED-F 2013 field: a 2-, 3- or 4-digit code such as 0613, its name, or its EU URI"),
        ),
        (
            "assessment",
            describe(
                object(
                    &[
                        (
                            "types",
                            array(vocabulary::<AssessmentType>(), "types of assessment"),
                        ),
                        ("grading_scheme", string("how results are graded, e.g. pass/fail")),
                        ("supervision", vocabulary::<Supervision>()),
                        ("description", lang_map("the assessment in words")),
                    ],
                    &[],
                ),
                "Annex I element 9: type of assessment",
            ),
        ),
        (
            "participation",
            describe(
                object(
                    &[
                        ("modes", array(vocabulary::<Mode>(), "modes of learning")),
                        ("setting", vocabulary::<LearningSetting>()),
                        ("opportunity_type", vocabulary::<OpportunityType>()),
                        (
                            "duration",
                            duration("calendar duration of the learning activity, e.g. P10W"),
                        ),
                    ],
                    &[],
                ),
                "Annex I element 10: form of participation",
            ),
        ),
        (
            "quality_assurance",
            array(
                object(
                    &[
                        ("type", vocabulary::<QaType>()),
                        ("body", string("the quality assurance body")),
                        ("body_id", string("identifier of the quality assurance body")),
                        ("reference", string("the decision or accreditation reference")),
                        ("valid_from", date("start of validity")),
                        ("valid_until", date("end of validity")),
                        (
                            "external",
                            json!({ "type": "boolean", "description": "assured by an external agency" }),
                        ),
                    ],
                    &[],
                ),
                "Annex I element 11: type of quality assurance",
            ),
        ),
        (
            "relevance",
            object(
                &[
                    (
                        "labour_market_need",
                        lang_map("the labour-market need answered, and who expressed it"),
                    ),
                    ("target_learners", lang_map("the learners it is for")),
                    (
                        "occupations",
                        array(string("ESCO occupation URI"), "occupations served"),
                    ),
                    ("employer_involvement", lang_map("how employers were involved")),
                ],
                &[],
            ),
        ),
        ("prerequisites", lang_map("prerequisites needed to enrol")),
        (
            "stackability",
            object(
                &[
                    ("stand_alone", json!({ "type": "boolean", "default": true })),
                    (
                        "towards",
                        array(string("a larger credential"), "credentials it can count towards"),
                    ),
                ],
                &[],
            ),
        ),
        (
            "further_information",
            string("where to read more: a URL or a text"),
        ),
    ];
    let mut schema = object(&properties, &[]);
    let extra = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://microcred.eu/schema/description.json",
        "title": "Micro-credential description",
        "description": "The Annex I standard elements of a European micro-credential (Council Recommendation 2022/C 243/02) and what quality assurance, relevance and stacking need. Every element is optional here; `microcred check` reports the missing ones.",
    });
    if let (Value::Object(schema), Value::Object(extra)) = (&mut schema, extra) {
        for (key, value) in extra {
            schema.insert(key, value);
        }
    }
    schema
}

fn object(properties: &[(&str, Value)], required: &[&str]) -> Value {
    let properties: Map<String, Value> = properties
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let mut schema = json!({ "type": "object", "properties": properties, "additionalProperties": false });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn describe(mut schema: Value, description: &str) -> Value {
    schema["description"] = json!(description);
    schema
}

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn number(description: &str) -> Value {
    json!({ "type": "number", "minimum": 0, "description": description })
}

fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "description": description })
}

fn duration(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^P(?=\\d|T\\d)(\\d+(\\.\\d+)?Y)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?W)?(\\d+(\\.\\d+)?D)?(T(?=\\d)(\\d+(\\.\\d+)?H)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?S)?)?$",
        "description": format!("{description} (xsd:duration)"),
    })
}

fn array(items: Value, description: &str) -> Value {
    json!({ "type": "array", "items": items, "description": description })
}

fn lang_map(description: &str) -> Value {
    json!({
        "description": format!("{description}: a text (English) or texts by BCP 47 language tag"),
        "oneOf": [
            { "type": "string" },
            {
                "type": "object",
                "propertyNames": { "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$" },
                "additionalProperties": { "type": "string" }
            }
        ]
    })
}

fn country() -> Value {
    json!({
        "type": "string",
        "description": "ISO 3166-1 alpha-3 (IRL) or alpha-2 (IE) code, the English name, or the EU authority URI",
    })
}

fn eqf() -> Value {
    json!({
        "description": "EQF level 1-8: a number, \"EQF 6\", or the URI http://data.europa.eu/snb/eqf/6",
        "oneOf": [
            { "type": "integer", "minimum": 1, "maximum": 8 },
            { "type": "string", "pattern": "^(EQF ?|eqf ?|http://data.europa.eu/snb/eqf/)?[1-8]$" }
        ]
    })
}

/// A vocabulary: its keys, English labels, short codes and URIs are all accepted.
fn vocabulary<C: Concept>() -> Value {
    let all = C::all();
    let mut accepted: Vec<String> = all.iter().map(|c| c.key().to_string()).collect();
    accepted.extend(all.iter().map(|c| c.label().to_string()));
    accepted.extend(all.iter().map(|c| c.code().to_string()));
    accepted.extend(all.iter().map(|c| c.uri()));
    accepted.dedup();
    json!({
        "type": "string",
        "description": format!("{} ({}): write the key; its English label, short code or URI are accepted too", C::VOCABULARY, C::SCHEME),
        "enum": accepted,
        "examples": all.iter().map(|c| c.key()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of a fully filled description (the template's) is declared in the schema.
    #[test]
    fn declares_every_key_of_a_full_description() {
        let description = crate::parse_toml(&crate::template(None), "template.toml")
            .unwrap()
            .value;
        let value = serde_json::to_value(&description).unwrap();
        let schema = json_schema();
        let mut undeclared = Vec::new();
        check(&value, &schema, "", &mut undeclared);
        assert!(
            undeclared.is_empty(),
            "keys missing from the schema: {undeclared:?}"
        );
    }

    fn check(value: &Value, schema: &Value, path: &str, undeclared: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let Some(properties) = schema.get("properties") else {
                    return;
                };
                for (key, child) in map {
                    match properties.get(key) {
                        Some(child_schema) => {
                            check(child, child_schema, &format!("{path}/{key}"), undeclared)
                        }
                        None => undeclared.push(format!("{path}/{key}")),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    check(item, &schema["items"], &format!("{path}/{index}"), undeclared);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn vocabularies_list_their_keys() {
        let schema = json_schema();
        let types = &schema["properties"]["assessment"]["properties"]["types"]["items"]["enum"];
        assert!(types.as_array().unwrap().contains(&json!("written-exam")));
    }
}

//! Property: a description written as TOML, read, written as JSON and read again is the same
//! description. Descriptions are generated from a seeded pseudo-random sequence (no extra crate), so a
//! failure names the seed that reproduces it.

use microcred_authoring::{parse_json, parse_toml};
use microcred_model::{
    AssessmentType, AwardingBody, Concept, Country, Credit, CreditSystem, Date, Description, EqfLevel,
    IscedField, LangMap, LearningOutcome, LearningSetting, Mode, NqfLevel, OpportunityType, OutcomeKind,
    QaType, QualityAssurance, Stackability, Supervision, XsdDuration,
};

/// xorshift64*: small, deterministic, good enough to vary test data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self) -> bool {
        self.below(2) == 0
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    fn concept<C: Concept>(&mut self) -> C {
        self.pick(C::all())
    }
    fn concepts<C: Concept + PartialEq>(&mut self) -> Vec<C> {
        let mut out = Vec::new();
        for _ in 0..self.below(3) {
            let concept = self.concept::<C>();
            if !out.contains(&concept) {
                out.push(concept);
            }
        }
        out
    }
    /// Texts with characters TOML and JSON must escape.
    fn text(&mut self) -> String {
        let words = [
            "data",
            "Ωmega",
            "\"quoted\"",
            "line\nbreak",
            "tab\there",
            "back\\slash",
            "café",
            "#hash",
        ];
        (0..1 + self.below(4))
            .map(|_| self.pick(&words))
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn lang_map(&mut self) -> LangMap {
        let mut map = LangMap::default();
        for language in ["en", "fr", "pt-BR"] {
            if self.chance() {
                map.0.insert(language.to_string(), self.text());
            }
        }
        map
    }
    fn maybe<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.chance() {
            Some(make(self))
        } else {
            None
        }
    }
    fn date(&mut self) -> Date {
        Date::parse(&format!(
            "20{:02}-{:02}-{:02}",
            20 + self.below(20),
            1 + self.below(12),
            1 + self.below(28)
        ))
        .unwrap()
    }
}

fn description(random: &mut Random) -> Description {
    let mut d = Description {
        id: random.maybe(|r| format!("https://example.org/mc/{}", r.next())),
        version: random.maybe(|r| r.text()),
        review_date: random.maybe(Random::date),
        title: random.lang_map(),
        description: random.lang_map(),
        countries: (0..random.below(3))
            .map(|_| Country::parse(random.pick(&["IRL", "FR", "Spain"])).unwrap())
            .collect(),
        further_information: random.maybe(|r| r.text()),
        ..Description::default()
    };
    d.countries.dedup();
    for _ in 0..random.below(3) {
        let body = AwardingBody {
            name: random.lang_map(),
            id: random.maybe(|r| r.text()),
            country: random.maybe(|r| Country::parse(r.pick(&["EST", "NLD"])).unwrap()),
        };
        d.awarding_bodies.push(body);
    }
    for _ in 0..random.below(4) {
        d.learning_outcomes.push(LearningOutcome {
            text: random.lang_map(),
            kind: random.maybe(Random::concept::<OutcomeKind>),
            esco_skills: (0..random.below(3))
                .map(|i| format!("http://data.europa.eu/esco/skill/{i}"))
                .collect(),
        });
    }
    d.workload.hours = random.maybe(|r| r.below(500) as f64 + r.pick(&[0.0, 0.5, 0.25]));
    for system in [CreditSystem::Ects, CreditSystem::National("QQI-FET".into())] {
        if random.chance() {
            let hours_per_credit = random.maybe(|r| 25.0 + r.below(6) as f64);
            d.workload.credits.push(Credit {
                system,
                points: random.below(60) as f64 / 2.0,
                hours_per_credit,
            });
        }
    }
    d.level.eqf = random.maybe(|r| EqfLevel::new(1 + r.below(8) as u8).unwrap());
    d.level.nqf = random.maybe(|r| NqfLevel {
        framework: "IE-NFQ".into(),
        level: (1 + r.below(10)).to_string(),
        uri: r.maybe(|r| r.text()),
    });
    d.field = random.maybe(|r| IscedField::parse(r.pick(&["06", "0613", "042", "10"])).unwrap());
    d.assessment.types = random.concepts::<AssessmentType>();
    d.assessment.grading_scheme = random.maybe(|r| r.text());
    d.assessment.supervision = random.maybe(Random::concept::<Supervision>);
    d.participation.modes = random.concepts::<Mode>();
    d.participation.setting = random.maybe(Random::concept::<LearningSetting>);
    d.participation.opportunity_type = random.maybe(Random::concept::<OpportunityType>);
    d.participation.duration =
        random.maybe(|r| XsdDuration::parse(r.pick(&["PT60H", "P10W", "P1Y2MT3H", "P60M", "P3D"])).unwrap());
    for _ in 0..random.below(3) {
        d.quality_assurance.push(QualityAssurance {
            qa_type: random.maybe(Random::concept::<QaType>),
            body: random.maybe(|r| r.text()),
            body_id: random.maybe(|r| r.text()),
            reference: random.maybe(|r| r.text()),
            valid_from: random.maybe(Random::date),
            valid_until: random.maybe(Random::date),
            external: random.maybe(Random::chance),
        });
    }
    d.relevance.labour_market_need = random.lang_map();
    d.relevance.target_learners = random.lang_map();
    d.prerequisites = random.lang_map();
    d.stackability = random.maybe(|r| Stackability {
        stand_alone: r.chance(),
        towards: (0..r.below(3)).map(|_| r.text()).collect(),
    });
    d
}

#[test]
fn toml_to_model_to_json_to_model_is_the_identity() {
    for seed in 1..=300u64 {
        let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let original = description(&mut random);
        let toml_text = toml::to_string(&original).unwrap_or_else(|e| panic!("seed {seed}: to TOML: {e}"));
        let from_toml = parse_toml(&toml_text, "generated.toml")
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{toml_text}"))
            .value;
        assert_eq!(from_toml, original, "seed {seed}: TOML round trip\n{toml_text}");
        let json_text = serde_json::to_string_pretty(&from_toml).unwrap();
        let from_json = parse_json(&json_text, "generated.json")
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{json_text}"))
            .value;
        assert_eq!(from_json, original, "seed {seed}: JSON round trip\n{json_text}");
    }
}

#[test]
fn every_written_value_has_a_location() {
    let mut random = Random(42);
    for _ in 0..50 {
        let original = description(&mut random);
        let toml_text = toml::to_string(&original).unwrap();
        let located = parse_toml(&toml_text, "generated.toml").unwrap();
        let json = serde_json::to_value(&located.value).unwrap();
        for (pointer, needle) in leaves(&json, String::new()) {
            let location = located.locations.locate(&pointer);
            let microcred_authoring::Location::Text { line, .. } = location else {
                panic!("text location")
            };
            // The value starts on that line (a multi-line string continues on the next ones).
            let from_line = toml_text
                .lines()
                .skip(line - 1)
                .take(3)
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                from_line.contains(&needle),
                "{pointer} located at line {line} ({from_line:?}), which does not contain {needle:?}\n{toml_text}"
            );
        }
    }
}

#[test]
fn every_value_of_a_json_file_has_its_line() {
    let mut random = Random(7);
    for _ in 0..50 {
        let original = description(&mut random);
        let json_text = serde_json::to_string_pretty(&original).unwrap();
        let located = parse_json(&json_text, "generated.json").unwrap();
        let json = serde_json::to_value(&located.value).unwrap();
        for (pointer, needle) in leaves(&json, String::new()) {
            let microcred_authoring::Location::Text { line, .. } = located.locations.locate(&pointer) else {
                panic!("text location expected for {pointer}")
            };
            let line_text = json_text.lines().nth(line - 1).unwrap();
            assert!(
                line_text.contains(&needle),
                "{pointer} at line {line} ({line_text:?}) lacks {needle:?}"
            );
        }
    }
}

/// (pointer, a fragment of the value as TOML writes it) of every scalar.
fn leaves(value: &serde_json::Value, pointer: String) -> Vec<(String, String)> {
    use serde_json::Value;
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| leaves(v, format!("{pointer}/{k}")))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| leaves(v, format!("{pointer}/{i}")))
            .collect(),
        Value::String(text) => {
            let word = text
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .unwrap_or("");
            vec![(pointer, word.to_string())]
        }
        Value::Bool(b) => vec![(pointer, b.to_string())],
        Value::Number(_) | Value::Null => vec![(pointer, String::new())],
    }
}

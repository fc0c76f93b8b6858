//! The demonstration dataset: QA authorities and providers from six countries, about fifty
//! micro-credential descriptions in every workflow state, accreditations, and accounts to log in with.
//! Seeding goes through the same service functions as the HTTP API (same checks, same audit log) and
//! is idempotent: everything has a fixed identifier and is skipped when it already exists.

use microcred_model::Description;
use microcred_store::{AccreditationKind, OrgKind, Role, StoreError, User};
use serde_json::json;

use crate::app::AppState;
use crate::auth::Principal;
use crate::problem::{ApiResult, Problem};
use crate::routes::accounts::{new_organisation, new_user, NewOrganisation, NewUser};
use crate::routes::accreditations::{new_accreditation, NewAccreditation};
use crate::routes::descriptions::{comment, service, NewComment, NewDescription};
use crate::workflow::Action;

/// Every demo account has this password; `microcred demo` prints it.
pub const DEMO_PASSWORD: &str = "microcred-demo";

/// (id, kind, name, country, uri)
const ORGANISATIONS: &[(&str, OrgKind, &str, &str, &str)] = &[
    (
        "qqi",
        OrgKind::Authority,
        "Quality and Qualifications Ireland",
        "IE",
        "https://www.qqi.ie",
    ),
    (
        "aneca",
        OrgKind::Authority,
        "ANECA - Agencia Nacional de Evaluación de la Calidad y Acreditación",
        "ES",
        "https://www.aneca.es",
    ),
    (
        "azvo",
        OrgKind::Authority,
        "Agency for Science and Higher Education (AZVO)",
        "HR",
        "https://www.azvo.hr",
    ),
    (
        "haka",
        OrgKind::Authority,
        "Estonian Quality Agency for Education (HAKA)",
        "EE",
        "https://haka.ee",
    ),
    (
        "nvao",
        OrgKind::Authority,
        "Accreditation Organisation of the Netherlands and Flanders (NVAO)",
        "NL",
        "https://www.nvao.net",
    ),
    (
        "mfhea",
        OrgKind::Authority,
        "Malta Further and Higher Education Authority",
        "MT",
        "https://mfhea.mt",
    ),
    (
        "atu",
        OrgKind::Provider,
        "Atlantic Technological University",
        "IE",
        "https://www.atu.ie",
    ),
    (
        "ucd",
        OrgKind::Provider,
        "University College Dublin",
        "IE",
        "https://www.ucd.ie",
    ),
    (
        "setu",
        OrgKind::Provider,
        "South East Technological University",
        "IE",
        "https://www.setu.ie",
    ),
    (
        "upv",
        OrgKind::Provider,
        "Universitat Politècnica de València",
        "ES",
        "https://www.upv.es",
    ),
    (
        "uoc",
        OrgKind::Provider,
        "Universitat Oberta de Catalunya",
        "ES",
        "https://www.uoc.edu",
    ),
    (
        "unizg",
        OrgKind::Provider,
        "University of Zagreb",
        "HR",
        "https://www.unizg.hr",
    ),
    (
        "algebra",
        OrgKind::Provider,
        "Algebra University",
        "HR",
        "https://www.algebra.hr",
    ),
    (
        "taltech",
        OrgKind::Provider,
        "Tallinn University of Technology",
        "EE",
        "https://taltech.ee",
    ),
    (
        "tlu",
        OrgKind::Provider,
        "Tallinn University",
        "EE",
        "https://www.tlu.ee",
    ),
    (
        "tudelft",
        OrgKind::Provider,
        "Delft University of Technology",
        "NL",
        "https://www.tudelft.nl",
    ),
    (
        "hva",
        OrgKind::Provider,
        "Amsterdam University of Applied Sciences",
        "NL",
        "https://www.hva.nl",
    ),
    (
        "um",
        OrgKind::Provider,
        "University of Malta",
        "MT",
        "https://www.um.edu.mt",
    ),
    (
        "mcast",
        OrgKind::Provider,
        "Malta College of Arts, Science and Technology",
        "MT",
        "https://www.mcast.edu.mt",
    ),
    (
        "northwind",
        OrgKind::Receiver,
        "Northwind Logistics B.V. (employer)",
        "NL",
        "https://northwind.example",
    ),
];

/// One description: (number, provider, title, EQF, ISCED-F, ECTS, hours, mode, outcomes, skills, state).
type Item = (
    u32,
    &'static str,
    &'static str,
    u8,
    &'static str,
    f64,
    u32,
    &'static str,
    [&'static str; 2],
    [&'static str; 2],
    &'static str,
);

const DESCRIPTIONS: &[Item] = &[
    (
        1,
        "atu",
        "Cloud Computing Fundamentals",
        6,
        "0612",
        5.0,
        125,
        "online",
        [
            "deploy and monitor applications on a public cloud platform",
            "compare IaaS, PaaS and SaaS service models for a business case",
        ],
        ["cloud computing", "monitor system performance"],
        "published",
    ),
    (
        2,
        "atu",
        "Data Analytics with Python",
        6,
        "0613",
        10.0,
        250,
        "blended",
        [
            "clean, explore and visualise tabular data with pandas",
            "build and evaluate a regression model for a business question",
        ],
        ["Python (computer programming)", "data analytics"],
        "published",
    ),
    (
        3,
        "atu",
        "Lean Six Sigma Green Belt",
        6,
        "0413",
        10.0,
        250,
        "blended",
        [
            "apply the DMAIC cycle to reduce process variation",
            "select statistical tools to measure process capability",
        ],
        ["lean manufacturing", "quality management"],
        "published",
    ),
    (
        4,
        "ucd",
        "Sustainable Finance and ESG Reporting",
        7,
        "0412",
        5.0,
        125,
        "online",
        [
            "interpret the EU taxonomy and CSRD disclosure requirements",
            "assess an investment portfolio against ESG criteria",
        ],
        ["sustainable finance", "financial reporting"],
        "published",
    ),
    (
        5,
        "ucd",
        "Clinical Research Coordination",
        7,
        "0912",
        7.5,
        190,
        "blended",
        [
            "plan a clinical trial in line with Good Clinical Practice",
            "manage informed consent and trial documentation",
        ],
        ["clinical research", "good clinical practice"],
        "in-review",
    ),
    (
        6,
        "ucd",
        "Digital Health Innovation",
        8,
        "0914",
        5.0,
        125,
        "online",
        [
            "evaluate digital health technologies for clinical adoption",
            "design a pilot study for a telehealth service",
        ],
        ["health informatics", "telemedicine"],
        "submitted",
    ),
    (
        7,
        "setu",
        "Cybersecurity Essentials for SMEs",
        6,
        "0612",
        5.0,
        125,
        "online",
        [
            "identify common threats to a small business network",
            "implement basic access control and backup policies",
        ],
        ["cyber security", "information security"],
        "published",
    ),
    (
        8,
        "setu",
        "Industrial Automation with PLCs",
        6,
        "0714",
        10.0,
        250,
        "presential",
        [
            "program a programmable logic controller for a production line",
            "diagnose faults in sensors and actuators",
        ],
        ["programmable logic controllers", "industrial automation"],
        "published",
    ),
    (
        9,
        "setu",
        "Agri-Food Supply Chain Management",
        6,
        "0811",
        5.0,
        125,
        "blended",
        [
            "map the supply chain of an agri-food product",
            "apply traceability requirements of EU food law",
        ],
        ["supply chain management", "food safety"],
        "changes-requested",
    ),
    (
        10,
        "upv",
        "Inteligencia Artificial Aplicada a la Industria",
        7,
        "0613",
        6.0,
        150,
        "blended",
        [
            "apply machine learning models to predictive maintenance",
            "evaluate the ethical risks of AI systems in industry",
        ],
        ["machine learning", "predictive maintenance"],
        "published",
    ),
    (
        11,
        "upv",
        "Renewable Energy Systems Design",
        7,
        "0713",
        6.0,
        150,
        "presential",
        [
            "size a photovoltaic installation for a building",
            "assess the grid integration of wind and solar",
        ],
        ["solar energy", "renewable energy technologies"],
        "published",
    ),
    (
        12,
        "upv",
        "Water Resources Management",
        7,
        "0532",
        4.5,
        112,
        "online",
        [
            "model river basin water balances",
            "design a monitoring programme for water quality",
        ],
        ["water management", "environmental monitoring"],
        "approved",
    ),
    (
        13,
        "uoc",
        "Digital Marketing Analytics",
        6,
        "0414",
        6.0,
        150,
        "online",
        [
            "measure campaign performance with web analytics",
            "design A/B tests for conversion optimisation",
        ],
        ["digital marketing", "web analytics"],
        "published",
    ),
    (
        14,
        "uoc",
        "UX Design for Accessible Services",
        6,
        "0211",
        6.0,
        150,
        "online",
        [
            "design interfaces that meet WCAG 2.2 level AA",
            "run usability tests with diverse users",
        ],
        ["user experience design", "accessibility"],
        "published",
    ),
    (
        15,
        "uoc",
        "Online Teaching and Learning Design",
        7,
        "0111",
        5.0,
        125,
        "online",
        [
            "design an online course with constructive alignment",
            "select digital tools for formative assessment",
        ],
        ["instructional design", "e-learning"],
        "rejected",
    ),
    (
        16,
        "uoc",
        "Blockchain for Business",
        6,
        "0413",
        4.0,
        100,
        "online",
        [
            "explain consensus mechanisms and smart contracts",
            "assess blockchain use cases for a supply chain",
        ],
        ["blockchain", "smart contracts"],
        "draft",
    ),
    (
        17,
        "unizg",
        "Tourism Destination Management",
        6,
        "1015",
        5.0,
        125,
        "blended",
        [
            "develop a sustainable tourism strategy for a destination",
            "analyse visitor data to manage seasonality",
        ],
        ["tourism management", "sustainable tourism"],
        "published",
    ),
    (
        18,
        "unizg",
        "Geographic Information Systems",
        6,
        "0532",
        5.0,
        125,
        "blended",
        [
            "create and analyse spatial datasets in a GIS",
            "produce thematic maps for planning decisions",
        ],
        ["geographic information systems", "spatial analysis"],
        "published",
    ),
    (
        19,
        "unizg",
        "Food Technology and Safety",
        6,
        "0721",
        6.0,
        150,
        "presential",
        [
            "apply HACCP principles in food production",
            "test food samples for microbiological safety",
        ],
        ["HACCP", "food technology"],
        "withdrawn",
    ),
    (
        20,
        "algebra",
        "Full-Stack Web Development",
        5,
        "0613",
        10.0,
        250,
        "online",
        [
            "build a web application with a REST API and a database",
            "deploy an application with continuous integration",
        ],
        ["web programming", "JavaScript"],
        "published",
    ),
    (
        21,
        "algebra",
        "Network Administration",
        5,
        "0612",
        6.0,
        150,
        "blended",
        [
            "configure routing and switching in a small network",
            "secure network services with firewalls and VPNs",
        ],
        ["network administration", "ICT network security"],
        "published",
    ),
    (
        22,
        "algebra",
        "Game Design Basics",
        5,
        "0211",
        4.0,
        100,
        "online",
        [
            "design game mechanics and levels",
            "prototype a game in a game engine",
        ],
        ["game design", "prototyping"],
        "submitted",
    ),
    (
        23,
        "taltech",
        "E-Governance Technologies",
        7,
        "0413",
        6.0,
        150,
        "online",
        [
            "design digital public services with the once-only principle",
            "evaluate interoperability of government information systems",
        ],
        ["e-government", "interoperability"],
        "published",
    ),
    (
        24,
        "taltech",
        "Cyber Defence Operations",
        7,
        "0612",
        6.0,
        150,
        "blended",
        [
            "operate a security operations centre workflow",
            "respond to incidents using threat intelligence",
        ],
        ["incident response", "threat intelligence"],
        "published",
    ),
    (
        25,
        "taltech",
        "Smart City Data Platforms",
        7,
        "0613",
        6.0,
        150,
        "online",
        [
            "integrate IoT data streams into a city data platform",
            "apply open data standards to urban datasets",
        ],
        ["internet of things", "open data"],
        "revalidating",
    ),
    (
        26,
        "tlu",
        "Educational Innovation and Technology",
        7,
        "0111",
        6.0,
        150,
        "online",
        [
            "integrate educational technology into lesson design",
            "evaluate learning analytics for teaching decisions",
        ],
        ["educational technology", "learning analytics"],
        "published",
    ),
    (
        27,
        "tlu",
        "Estonian as a Second Language B1",
        4,
        "0231",
        6.0,
        150,
        "presential",
        [
            "communicate in everyday situations in Estonian at B1",
            "write short texts on familiar topics",
        ],
        ["Estonian", "language learning"],
        "in-review",
    ),
    (
        28,
        "tlu",
        "Media Literacy and Fact-Checking",
        6,
        "0321",
        3.0,
        75,
        "online",
        [
            "verify sources and images with open-source tools",
            "explain how disinformation spreads on social media",
        ],
        ["fact-checking", "media literacy"],
        "published",
    ),
    (
        29,
        "tudelft",
        "Circular Economy for Engineers",
        7,
        "0788",
        5.0,
        140,
        "online",
        [
            "apply circular design strategies to a product",
            "assess material flows with life cycle assessment",
        ],
        ["circular economy", "life cycle assessment"],
        "published",
    ),
    (
        30,
        "tudelft",
        "Hydrogen Technology",
        7,
        "0713",
        4.0,
        112,
        "online",
        [
            "explain hydrogen production, storage and transport",
            "assess the safety of hydrogen installations",
        ],
        ["hydrogen technology", "energy storage"],
        "published",
    ),
    (
        31,
        "tudelft",
        "Robotics Programming with ROS",
        7,
        "0714",
        5.0,
        140,
        "blended",
        [
            "program robot behaviour with ROS 2",
            "integrate sensors for localisation and mapping",
        ],
        ["robotics", "robot operating system"],
        "changes-requested",
    ),
    (
        32,
        "hva",
        "Logistics Digitalisation",
        6,
        "1041",
        5.0,
        140,
        "blended",
        [
            "map logistics processes for digitalisation",
            "select a warehouse management system",
        ],
        ["logistics", "warehouse management"],
        "published",
    ),
    (
        33,
        "hva",
        "Applied Data Science for Creative Industries",
        6,
        "0613",
        5.0,
        140,
        "online",
        [
            "analyse audience data for a creative organisation",
            "visualise findings for non-technical stakeholders",
        ],
        ["data science", "data visualisation"],
        "published",
    ),
    (
        34,
        "hva",
        "Sustainable Urban Mobility",
        6,
        "1041",
        3.0,
        84,
        "presential",
        [
            "evaluate mobility policies for a city district",
            "design a bicycle and public transport integration plan",
        ],
        ["urban mobility", "transport planning"],
        "draft",
    ),
    (
        35,
        "um",
        "Maritime Law and Shipping",
        7,
        "0421",
        6.0,
        150,
        "blended",
        [
            "interpret international conventions on shipping",
            "draft a charter party clause",
        ],
        ["maritime law", "shipping"],
        "published",
    ),
    (
        36,
        "um",
        "iGaming Compliance",
        6,
        "0421",
        4.0,
        100,
        "online",
        [
            "apply anti-money-laundering rules to online gaming",
            "design a responsible gambling programme",
        ],
        ["regulatory compliance", "anti-money laundering"],
        "published",
    ),
    (
        37,
        "um",
        "Mediterranean Archaeology Fieldwork",
        6,
        "0222",
        6.0,
        150,
        "presential",
        [
            "record an excavation with professional standards",
            "interpret stratigraphy in the field",
        ],
        ["archaeology", "field research"],
        "approved",
    ),
    (
        38,
        "mcast",
        "Aircraft Maintenance Fundamentals",
        4,
        "0716",
        10.0,
        250,
        "presential",
        [
            "inspect aircraft structures following maintenance manuals",
            "apply human factors principles in maintenance",
        ],
        ["aircraft maintenance", "human factors"],
        "published",
    ),
    (
        39,
        "mcast",
        "Electric Vehicle Servicing",
        4,
        "0716",
        6.0,
        150,
        "presential",
        [
            "work safely on high-voltage vehicle systems",
            "diagnose battery management faults",
        ],
        ["electric vehicles", "vehicle diagnostics"],
        "published",
    ),
    (
        40,
        "mcast",
        "Hospitality Operations",
        4,
        "1013",
        5.0,
        125,
        "work-based",
        [
            "run front-office operations in a hotel",
            "handle guest complaints professionally",
        ],
        ["hotel operations", "customer service"],
        "submitted",
    ),
    (
        41,
        "atu",
        "Medical Device Regulatory Affairs",
        7,
        "0413",
        10.0,
        250,
        "online",
        [
            "prepare technical documentation under the EU MDR",
            "plan post-market surveillance activities",
        ],
        ["regulatory affairs", "medical devices"],
        "published",
    ),
    (
        42,
        "ucd",
        "Leadership in Healthcare",
        8,
        "0413",
        5.0,
        125,
        "blended",
        [
            "lead change in a clinical team",
            "use quality improvement methods in a hospital",
        ],
        ["leadership", "quality improvement"],
        "published",
    ),
    (
        43,
        "setu",
        "Construction Project Management with BIM",
        7,
        "0732",
        10.0,
        250,
        "blended",
        [
            "coordinate a construction project with BIM models",
            "plan costs and schedules with 4D and 5D BIM",
        ],
        ["building information modelling", "project management"],
        "published",
    ),
    (
        44,
        "upv",
        "Agricultural Drones and Precision Farming",
        6,
        "0811",
        4.5,
        112,
        "blended",
        [
            "plan drone flights for crop monitoring",
            "interpret multispectral images to manage fertiliser",
        ],
        ["precision agriculture", "drones"],
        "published",
    ),
    (
        45,
        "unizg",
        "Wine Production and Sensory Analysis",
        6,
        "0721",
        5.0,
        125,
        "presential",
        [
            "control fermentation in small wineries",
            "carry out sensory analysis of wines",
        ],
        ["oenology", "sensory analysis"],
        "published",
    ),
    (
        46,
        "taltech",
        "Digital Product Management",
        7,
        "0413",
        6.0,
        150,
        "online",
        [
            "define a product vision and roadmap",
            "prioritise a backlog with evidence from users",
        ],
        ["product management", "agile"],
        "published",
    ),
    (
        47,
        "tudelft",
        "Climate Adaptation in Delta Cities",
        7,
        "0732",
        5.0,
        140,
        "online",
        [
            "assess flood risk in urban deltas",
            "design nature-based adaptation measures",
        ],
        ["climate adaptation", "flood risk management"],
        "published",
    ),
    (
        48,
        "hva",
        "AI Literacy for Professionals",
        5,
        "0611",
        3.0,
        84,
        "online",
        [
            "explain what generative AI can and cannot do",
            "use AI tools responsibly at work",
        ],
        ["artificial intelligence", "digital literacy"],
        "published",
    ),
    (
        49,
        "um",
        "Marine Biology Field Methods",
        6,
        "0511",
        5.0,
        125,
        "presential",
        [
            "survey marine habitats by snorkelling transects",
            "identify Mediterranean species",
        ],
        ["marine biology", "species identification"],
        "rejected",
    ),
    (
        50,
        "algebra",
        "Cloud DevOps Engineering",
        6,
        "0612",
        8.0,
        200,
        "online",
        [
            "automate infrastructure with infrastructure as code",
            "build CI/CD pipelines with containers",
        ],
        ["DevOps", "containerisation"],
        "revalidating",
    ),
];

fn language_of(country: &str) -> &'static str {
    match country {
        "ES" => "es",
        "HR" => "hr",
        "EE" => "et",
        "NL" => "nl",
        "MT" => "mt",
        _ => "en",
    }
}

/// An ESCO-like skill URI: a stable UUID-shaped identifier derived from the skill's name.
fn skill_uri(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let h: String = Sha256::digest(name.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "http://data.europa.eu/esco/skill/{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn description(item: &Item, provider: (&str, &str, &str), authority: &str) -> ApiResult<Description> {
    let (n, _, title, eqf, isced, ects, hours, mode, outcomes, skills, _) = *item;
    let (provider_id, provider_name, country) = provider;
    let language = language_of(country);
    let value = json!({
        "id": format!("https://microcred.example/descriptions/demo-{n:02}"),
        "version": "1",
        "title": { "en": title },
        "description": { "en": format!("A micro-credential of {ects} ECTS by {provider_name}: {} and {}.", outcomes[0], outcomes[1]) },
        "languages": if language == "en" { vec!["en"] } else { vec!["en", language] },
        "countries": [country],
        "awarding_bodies": [{ "name": { "en": provider_name }, "id": format!("https://microcred.example/organisations/{provider_id}"), "country": country }],
        "learning_outcomes": [
            { "text": { "en": format!("Learners can {}.", outcomes[0]) }, "kind": "skill", "esco_skills": [skill_uri(skills[0])] },
            { "text": { "en": format!("Learners can {}.", outcomes[1]) }, "kind": "competence", "esco_skills": [skill_uri(skills[1])] },
        ],
        "workload": { "hours": hours, "credits": [{ "system": "ECTS", "points": ects }] },
        "level": { "eqf": eqf },
        "field": isced,
        "assessment": { "types": ["project-work", "written-exam"], "grading_scheme": "pass/fail", "supervision": "supervised-with-id" },
        "participation": { "modes": [mode], "setting": "non-formal", "opportunity_type": "course", "duration": "P10W" },
        "quality_assurance": [{ "type": "institutional", "body": authority, "external": true }],
        "relevance": { "labour_market_need": { "en": format!("Employers report a shortage of {} skills.", skills[0]) } },
        "stackability": { "stand_alone": true, "towards": if n % 3 == 0 { vec![format!("Certificate in {}", skills[0])] } else { vec![] } },
        "further_information": format!("https://microcred.example/courses/demo-{n:02}"),
    });
    serde_json::from_value(value).map_err(|e| {
        tracing::error!(item = n, error = %e, "demo description does not fit the model");
        Problem::internal()
    })
}

/// An account the demo prints at start-up.
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub organisation: Option<String>,
}

fn as_principal(user: User) -> Principal {
    Principal { user, scopes: None }
}

async fn ensure_user(
    state: &AppState,
    admin: &Principal,
    id: &str,
    email: &str,
    name: &str,
    role: Role,
    org: Option<&str>,
) -> ApiResult<User> {
    if let Some(user) = state.store.user_by_email(email).await? {
        return Ok(user);
    }
    let new = NewUser {
        id: Some(id.into()),
        email: email.into(),
        name: name.into(),
        role,
        organisation_id: org.map(str::to_string),
        password: DEMO_PASSWORD.into(),
    };
    new_user(state, admin, new).await
}

/// Seed the demo dataset; returns the accounts to show. Safe to run again: existing records are kept.
pub async fn seed(state: &AppState) -> ApiResult<Vec<DemoLogin>> {
    let admin = match state.store.user_by_email("admin@microcred.example").await? {
        Some(user) => user,
        None => {
            // The first admin cannot be created through the API (nobody could authorise it), so the
            // seed writes it directly, as `microcred serve` would for a configured administrator.
            let user = User {
                id: "demo-admin".into(),
                email: "admin@microcred.example".into(),
                name: "Demo Administrator".into(),
                role: Role::Admin,
                organisation_id: None,
                password_hash: crate::auth::hash_password(DEMO_PASSWORD),
                created_at: String::new(),
            };
            state
                .store
                .create_user(&user, &microcred_store::Actor::system())
                .await?
        }
    };
    let admin = as_principal(admin);
    let mut logins = vec![DemoLogin {
        role: Role::Admin,
        email: admin.user.email.clone(),
        organisation: None,
    }];

    for (id, kind, name, country, uri) in ORGANISATIONS {
        match state.store.organisation(id).await {
            Ok(_) => {}
            Err(StoreError::NotFound(_)) => {
                let new = NewOrganisation {
                    id: Some(id.to_string()),
                    kind: *kind,
                    name: name.to_string(),
                    country: country.to_string(),
                    uri: Some(uri.to_string()),
                };
                new_organisation(state, &admin, new).await?;
            }
            Err(other) => return Err(other.into()),
        }
        let role = match kind {
            OrgKind::Authority => Role::Authority,
            OrgKind::Provider => Role::Provider,
            OrgKind::Receiver => Role::Receiver,
        };
        let email = match kind {
            OrgKind::Authority => format!("reviewer@{id}.example"),
            OrgKind::Provider => format!("staff@{id}.example"),
            OrgKind::Receiver => format!("hr@{id}.example"),
        };
        let person = match kind {
            OrgKind::Authority => format!("Reviewer, {name}"),
            _ => format!("Staff, {name}"),
        };
        ensure_user(
            state,
            &admin,
            &format!("demo-{id}"),
            &email,
            &person,
            role,
            Some(id),
        )
        .await?;
        logins.push(DemoLogin {
            role,
            email,
            organisation: Some(id.to_string()),
        });
    }
    ensure_user(
        state,
        &admin,
        "demo-learner",
        "learner@microcred.example",
        "Aoife Learner",
        Role::Learner,
        None,
    )
    .await?;
    logins.push(DemoLogin {
        role: Role::Learner,
        email: "learner@microcred.example".into(),
        organisation: None,
    });

    for item in DESCRIPTIONS {
        seed_description(state, item).await?;
    }
    seed_accreditations(state, &admin).await?;
    Ok(logins)
}

async fn principal_of(state: &AppState, organisation: &str) -> ApiResult<Principal> {
    Ok(as_principal(
        state.store.user(&format!("demo-{organisation}")).await?,
    ))
}

async fn seed_description(state: &AppState, item: &Item) -> ApiResult<()> {
    let (n, provider_id, .., target) = *item;
    let id = format!("demo-{n:02}");
    match state.store.description(&id).await {
        Ok(_) => return Ok(()),
        Err(StoreError::NotFound(_)) => {}
        Err(other) => return Err(other.into()),
    }
    let provider_org = state.store.organisation(provider_id).await?;
    let authority_org = state
        .store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.kind == OrgKind::Authority && o.country == provider_org.country)
        .ok_or_else(Problem::internal)?;
    let provider = principal_of(state, provider_id).await?;
    let authority = principal_of(state, &authority_org.id).await?;
    let body = description(
        item,
        (provider_id, &provider_org.name, &provider_org.country),
        &authority_org.name,
    )?;
    let new = NewDescription {
        description: body.clone(),
        authority_id: None,
        profile: None,
        id: Some(id.clone()),
    };
    service::create(state, &provider, new).await?;
    let step = |who: &Principal, action: Action, note: Option<&str>| {
        let (who, id) = (who.clone(), id.clone());
        let note = note.map(str::to_string);
        async move { service::act(state, &who, &id, action, note, None).await }
    };
    if target == "draft" {
        return Ok(());
    }
    step(&provider, Action::Submit, None).await?;
    if target == "submitted" {
        return Ok(());
    }
    step(&authority, Action::StartReview, None).await?;
    let review_note = "Please state how the identity of learners is verified in the online assessment.";
    comment(
        state,
        &authority,
        &id,
        NewComment {
            body: review_note.into(),
            pointer: Some("/assessment/supervision".into()),
        },
    )
    .await?;
    match target {
        "in-review" => return Ok(()),
        "changes-requested" => {
            step(&authority, Action::RequestChanges, Some(review_note)).await?;
            return Ok(());
        }
        "rejected" => {
            step(
                &authority,
                Action::Reject,
                Some("The workload does not match the stated learning outcomes."),
            )
            .await?;
            return Ok(());
        }
        _ => {}
    }
    // The usual path: changes requested once, fixed, resubmitted, approved.
    step(&authority, Action::RequestChanges, Some(review_note)).await?;
    let mut fixed = body.clone();
    fixed.assessment.description =
        microcred_model::LangMap::english("Online exams are proctored with identity verification.");
    service::edit(state, &provider, &id, fixed.clone(), None).await?;
    step(&provider, Action::Submit, None).await?;
    step(&authority, Action::StartReview, None).await?;
    step(
        &authority,
        Action::Approve,
        Some("Meets the EU standard elements."),
    )
    .await?;
    if target == "approved" {
        return Ok(());
    }
    step(&provider, Action::Publish, None).await?;
    match target {
        "withdrawn" => {
            step(
                &provider,
                Action::Withdraw,
                Some("The course is no longer offered."),
            )
            .await?;
        }
        "revalidating" => {
            // More credits is a substantive change: the published version stays issuable meanwhile.
            let mut bigger = fixed;
            if let Some(credit) = bigger.workload.credits.first_mut() {
                credit.points += 2.0;
            }
            bigger.workload.hours = bigger.workload.hours.map(|h| h + 50.0);
            service::edit(state, &provider, &id, bigger, None).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn seed_accreditations(state: &AppState, admin: &Principal) -> ApiResult<()> {
    if !state.store.accreditations(None).await?.is_empty() {
        return Ok(());
    }
    let organisations = state.store.organisations().await?;
    for provider in organisations.iter().filter(|o| o.kind == OrgKind::Provider) {
        let Some(authority) = organisations
            .iter()
            .find(|o| o.kind == OrgKind::Authority && o.country == provider.country)
        else {
            continue;
        };
        let new = NewAccreditation {
            authority_id: Some(authority.id.clone()),
            provider_id: provider.id.clone(),
            kind: AccreditationKind::Institutional,
            description_id: None,
            eqf_levels: vec![4, 5, 6, 7, 8],
            isced_fields: vec![],
            countries: vec![provider.country.clone()],
            valid_from: Some("2024-01-01".into()),
            valid_until: Some("2030-12-31".into()),
        };
        new_accreditation(state, admin, new).await?;
    }
    Ok(())
}

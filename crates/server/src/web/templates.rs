//! The templates, compiled into the binary and parsed once. Names ending in `.html` are HTML-escaped
//! automatically (minijinja's default), so every value from a user or a description is escaped unless a
//! template says otherwise (none does).

use std::sync::OnceLock;

use minijinja::Environment;
use serde_json::Value;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "base.html",
    "macros.html",
    "home.html",
    "error.html",
    "login.html",
    "register.html",
    "entry.html",
    "verify.html",
    "provider_list.html",
    "provider_edit.html",
    "authority_queue.html",
    "authority_review.html",
    "wallet.html",
    "share_created.html",
    "share.html",
    "claim.html",
    "job.html",
    "accreditations.html",
    "findings.html",
    "stack.html",
);

fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e}"));
        }
        env
    })
}

pub fn render(name: &str, data: &Value) -> Result<String, minijinja::Error> {
    environment().get_template(name)?.render(data)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn user_text_is_escaped() {
        let data = json!({
            "lang": "en", "t": super::super::i18n::catalogue_json("en"), "languages": [], "csrf": "x",
            "status": 400, "title": "<script>alert(1)</script>", "detail": "a & b"
        });
        let html = super::render("error.html", &data).unwrap();
        assert!(html.contains("<h1>&lt;script&gt;alert(1)&lt;"), "{html}");
        assert!(!html.contains("<script>alert"));
    }
}

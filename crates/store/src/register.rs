//! The public register: one row per published description, searched by free text (SQLite FTS5 or
//! PostgreSQL tsvector) and by filters that each have an index.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{get_i64, get_opt_i64, get_opt_str, get_str, Backend, RegisterEntry, Result, Store, StoreError};

/// A register search. Text is split into words; every word must match (the last one as a prefix).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterQuery {
    pub text: Option<String>,
    pub eqf: Option<i64>,
    /// An ISCED-F code or the start of one ("06" finds every ICT field).
    pub isced: Option<String>,
    pub country: Option<String>,
    pub credits_min: Option<f64>,
    pub credits_max: Option<f64>,
    pub mode: Option<String>,
    pub provider: Option<String>,
    pub profile: Option<String>,
    pub stackable: Option<bool>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchPage {
    pub total: i64,
    pub entries: Vec<RegisterEntry>,
}

use serde::Serialize;

/// The words of a free-text query: letters and digits only, so nothing the user types can reach the
/// FTS5 or tsquery syntax.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.to_lowercase())
        .collect()
}

fn match_expression(backend: Backend, words: &[String]) -> String {
    let last = words.len() - 1;
    match backend {
        Backend::Sqlite => words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Backend::Postgres => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}:*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// A bound value of a search; the WHERE clause is assembled with matching `$n` placeholders.
enum Value {
    Text(String),
    Int(i64),
    Float(f64),
}

fn entry(row: &AnyRow) -> Result<RegisterEntry> {
    let modes = get_str(row, "modes")?;
    Ok(RegisterEntry {
        id: get_str(row, "id")?,
        version: get_i64(row, "version")?,
        title: get_str(row, "title")?,
        search_text: String::new(),
        summary: get_str(row, "summary")?,
        eqf: get_opt_i64(row, "eqf")?,
        isced: get_opt_str(row, "isced")?,
        country: get_opt_str(row, "country")?,
        credits: row
            .try_get::<Option<f64>, _>("credits")
            .map_err(StoreError::from)?,
        modes: modes.split_whitespace().map(str::to_string).collect(),
        provider_id: get_str(row, "provider_id")?,
        profile: get_str(row, "profile")?,
        stackable: get_i64(row, "stackable")? != 0,
        published_at: get_str(row, "published_at")?,
    })
}

const COLUMNS: &str = "r.id, r.version, r.title, r.summary, r.eqf, r.isced, r.country, r.credits, r.modes, \
     r.provider_id, r.profile, r.stackable, r.published_at";

pub(crate) async fn insert_entry(tx: &mut Transaction<'_, Any>, entry: &RegisterEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO register_entries (id, version, title, search_text, summary, eqf, isced, country, credits,
             modes, provider_id, profile, stackable, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(entry.id.clone())
    .bind(entry.version)
    .bind(entry.title.clone())
    .bind(entry.search_text.clone())
    .bind(entry.summary.clone())
    .bind(entry.eqf)
    .bind(entry.isced.clone())
    .bind(entry.country.clone())
    .bind(entry.credits)
    // Padded with spaces so a mode filter is one LIKE '% online %'.
    .bind(format!(" {} ", entry.modes.join(" ")))
    .bind(entry.provider_id.clone())
    .bind(entry.profile.clone())
    .bind(i64::from(entry.stackable))
    .bind(entry.published_at.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    pub async fn search_register(&self, query: &RegisterQuery) -> Result<SearchPage> {
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |condition: &dyn Fn(usize) -> String, value: Value| {
            values.push(value);
            conditions.push(condition(values.len()));
        };
        if let Some(text) = &query.text {
            let words = words(text);
            if !words.is_empty() {
                let expression = match_expression(self.backend, &words);
                match self.backend {
                    Backend::Sqlite => push(
                        &|n| {
                            format!("r.seq IN (SELECT rowid FROM register_fts WHERE register_fts MATCH ${n})")
                        },
                        Value::Text(expression),
                    ),
                    Backend::Postgres => push(
                        &|n| format!("r.tsv @@ to_tsquery('simple', ${n})"),
                        Value::Text(expression),
                    ),
                }
            }
        }
        if let Some(eqf) = query.eqf {
            push(&|n| format!("r.eqf = ${n}"), Value::Int(eqf));
        }
        if let Some(isced) = &query.isced {
            // A prefix range rather than LIKE, so both backends use the index.
            push(&|n| format!("r.isced >= ${n}"), Value::Text(isced.clone()));
            push(&|n| format!("r.isced < ${n}"), Value::Text(format!("{isced}~")));
        }
        if let Some(country) = &query.country {
            push(
                &|n| format!("r.country = ${n}"),
                Value::Text(country.to_uppercase()),
            );
        }
        if let Some(min) = query.credits_min {
            push(&|n| format!("r.credits >= ${n}"), Value::Float(min));
        }
        if let Some(max) = query.credits_max {
            push(&|n| format!("r.credits <= ${n}"), Value::Float(max));
        }
        if let Some(mode) = &query.mode {
            push(
                &|n| format!("r.modes LIKE ${n}"),
                Value::Text(format!("% {} %", words(mode).join("-"))),
            );
        }
        if let Some(provider) = &query.provider {
            push(
                &|n| format!("r.provider_id = ${n}"),
                Value::Text(provider.clone()),
            );
        }
        if let Some(profile) = &query.profile {
            push(&|n| format!("r.profile = ${n}"), Value::Text(profile.clone()));
        }
        if let Some(stackable) = query.stackable {
            push(
                &|n| format!("r.stackable = ${n}"),
                Value::Int(i64::from(stackable)),
            );
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let per_page = query.per_page.clamp(1, 100);
        let offset = (query.page.max(1) - 1).saturating_mul(per_page);
        let count_sql = format!("SELECT COUNT(*) AS n FROM register_entries r {filter}");
        let page_sql = format!(
            "SELECT {COLUMNS} FROM register_entries r {filter} ORDER BY r.published_at DESC, r.seq DESC \
             LIMIT {per_page} OFFSET {offset}"
        );
        let mut count = sqlx::query(&count_sql);
        let mut page = sqlx::query(&page_sql);
        for value in &values {
            (count, page) = match value {
                Value::Text(v) => (count.bind(v.clone()), page.bind(v.clone())),
                Value::Int(v) => (count.bind(*v), page.bind(*v)),
                Value::Float(v) => (count.bind(*v), page.bind(*v)),
            };
        }
        let total = get_i64(&count.fetch_one(&self.pool).await?, "n")?;
        let rows = page.fetch_all(&self.pool).await?;
        Ok(SearchPage {
            total,
            entries: rows.iter().map(entry).collect::<Result<_>>()?,
        })
    }

    pub async fn register_entry(&self, id: &str) -> Result<RegisterEntry> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM register_entries r WHERE r.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("register entry {id}")))?;
        entry(&row)
    }

    /// Insert many register entries in one transaction (benchmarks and imports).
    pub async fn insert_register_entries(&self, entries: &[RegisterEntry]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            insert_entry(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn register_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM register_entries")
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_cannot_inject_search_syntax() {
        let w = words("data \"OR* NEAR(x) -- Análisis");
        assert_eq!(w, ["data", "or", "near", "x", "análisis"]);
        assert_eq!(match_expression(Backend::Sqlite, &w[..2]), "\"data\" \"or\"*");
        assert_eq!(match_expression(Backend::Postgres, &w[..2]), "data & or:*");
    }
}

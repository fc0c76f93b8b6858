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
    /// The number of matching entries, at most [`COUNT_LIMIT`].
    pub total: i64,
    /// False when there are more than [`COUNT_LIMIT`] matches.
    pub total_is_exact: bool,
    pub entries: Vec<RegisterEntry>,
}

use serde::Serialize;

/// Totals are counted exactly up to this many matches.
pub const COUNT_LIMIT: i64 = 1_000;

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

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    values: &[Value],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Text(v) => query.bind(v.clone()),
            Value::Int(v) => query.bind(*v),
            Value::Float(v) => query.bind(*v),
        };
    }
    query
}

/// The WHERE clause of a search and its values (`$1`...). With `unindexed`, SQLite columns are
/// written `+r.column`, which keeps the planner from choosing their indexes.
fn filters(query: &RegisterQuery, fts: Option<&str>, backend: Backend, unindexed: bool) -> (String, Vec<Value>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let column = |name: &str| if unindexed && backend == Backend::Sqlite { format!("+r.{name}") } else { format!("r.{name}") };
    let mut push = |condition: String, value: Value| {
        values.push(value);
        conditions.push(condition.replace("$?", &format!("${}", values.len())));
    };
    if let Some(expression) = fts {
        let condition = match backend {
            Backend::Sqlite => "register_fts MATCH $?".to_string(),
            Backend::Postgres => "r.tsv @@ to_tsquery('simple', $?)".to_string(),
        };
        push(condition, Value::Text(expression.to_string()));
    }
    if let Some(eqf) = query.eqf {
        push(format!("{} = $?", column("eqf")), Value::Int(eqf));
    }
    if let Some(isced) = &query.isced {
        // A prefix range rather than LIKE, so both backends can use the index.
        push(format!("{} >= $?", column("isced")), Value::Text(isced.clone()));
        push(format!("{} < $?", column("isced")), Value::Text(format!("{isced}~")));
    }
    if let Some(country) = &query.country {
        push(format!("{} = $?", column("country")), Value::Text(country.to_uppercase()));
    }
    if let Some(min) = query.credits_min {
        push(format!("{} >= $?", column("credits")), Value::Float(min));
    }
    if let Some(max) = query.credits_max {
        push(format!("{} <= $?", column("credits")), Value::Float(max));
    }
    if let Some(mode) = &query.mode {
        push("r.modes LIKE $?".to_string(), Value::Text(format!("% {} %", words(mode).join("-"))));
    }
    if let Some(provider) = &query.provider {
        push(format!("{} = $?", column("provider_id")), Value::Text(provider.clone()));
    }
    if let Some(profile) = &query.profile {
        push("r.profile = $?".to_string(), Value::Text(profile.clone()));
    }
    if let Some(stackable) = query.stackable {
        push("r.stackable = $?".to_string(), Value::Int(i64::from(stackable)));
    }
    let clause = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    (clause, values)
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
    /// Search the register: newest publication first, with a total counted up to [`COUNT_LIMIT`].
    ///
    /// The query shapes are chosen for the planners rather than left to them: free text drives the
    /// search from the full-text index in publication order; without text, a filter matching many
    /// entries is answered by walking the table newest first (a page fills quickly), and one matching
    /// few by collecting them from the filter index and sorting only those.
    pub async fn search_register(&self, query: &RegisterQuery) -> Result<SearchPage> {
        let text = query.text.as_deref().map(words).filter(|w| !w.is_empty());
        let fts = text.map(|w| match_expression(self.backend, &w));
        let per_page = query.per_page.clamp(1, 100);
        let offset = (query.page.max(1) - 1).saturating_mul(per_page);
        let limit = format!("LIMIT {per_page} OFFSET {offset}");
        let sqlite = self.backend == Backend::Sqlite;

        let (filter, values) = filters(query, fts.as_deref(), self.backend, false);
        let from = if fts.is_some() && sqlite {
            // CROSS JOIN keeps the full-text index as the outer loop (SQLite would otherwise probe it
            // once per filtered row).
            "register_fts f CROSS JOIN register_entries r ON r.seq = f.rowid"
        } else {
            "register_entries r"
        };
        let count_sql =
            format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from} {filter} LIMIT {}) AS counted", COUNT_LIMIT + 1);
        let counted = get_i64(&bind_all(sqlx::query(&count_sql), &values).fetch_one(&self.pool).await?, "n")?;

        let page_sql = if fts.is_some() {
            let order = if sqlite { "f.rowid" } else { "r.seq" };
            format!("SELECT {COLUMNS} FROM {from} {filter} ORDER BY {order} DESC {limit}")
        } else if counted > COUNT_LIMIT && sqlite {
            // Dense: walk newest first; `+column` stops SQLite from using a filter index instead.
            let (dense, _) = filters(query, None, self.backend, true);
            format!("SELECT {COLUMNS} FROM register_entries r {dense} ORDER BY r.seq DESC {limit}")
        } else if sqlite {
            format!(
                "SELECT {COLUMNS} FROM register_entries r WHERE r.seq IN \
                 (SELECT r.seq FROM register_entries r {filter} ORDER BY r.seq DESC {limit}) ORDER BY r.seq DESC"
            )
        } else {
            format!("SELECT {COLUMNS} FROM register_entries r {filter} ORDER BY r.seq DESC {limit}")
        };
        let rows = bind_all(sqlx::query(&page_sql), &values).fetch_all(&self.pool).await?;
        Ok(SearchPage {
            total: counted.min(COUNT_LIMIT),
            total_is_exact: counted <= COUNT_LIMIT,
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
        // Fresh statistics, so the planners know how selective each filter is.
        sqlx::query("ANALYZE register_entries").execute(&self.pool).await?;
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

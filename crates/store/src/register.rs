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

/// Letters and digits only, lowercased: identifiers as single index tokens.
fn alnum(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The facet tokens of an entry: one per equality filter it satisfies (all ISCED prefixes included).
pub(crate) fn facet_tokens(entry: &RegisterEntry) -> String {
    let mut tokens = Vec::new();
    if let Some(eqf) = entry.eqf {
        tokens.push(format!("xeqf{eqf}"));
    }
    if let Some(country) = &entry.country {
        tokens.push(format!("xct{}", alnum(country)));
    }
    if let Some(isced) = &entry.isced {
        let code = alnum(isced);
        for end in 2..=code.len() {
            tokens.push(format!("xis{}", &code[..end]));
        }
    }
    tokens.extend(entry.modes.iter().map(|m| format!("xmd{}", alnum(m))));
    tokens.push(format!("xpv{}", alnum(&entry.provider_id)));
    tokens.push(format!("xpf{}", alnum(&entry.profile)));
    tokens.push(format!("xst{}", u8::from(entry.stackable)));
    tokens.join(" ")
}

/// The facet tokens a query requires.
fn facet_terms(query: &RegisterQuery) -> Vec<String> {
    let mut terms = Vec::new();
    if let Some(eqf) = query.eqf {
        terms.push(format!("xeqf{eqf}"));
    }
    if let Some(country) = &query.country {
        terms.push(format!("xct{}", alnum(country)));
    }
    if let Some(isced) = &query.isced {
        terms.push(format!("xis{}", alnum(isced)));
    }
    if let Some(mode) = &query.mode {
        terms.push(format!("xmd{}", alnum(mode)));
    }
    if let Some(provider) = &query.provider {
        terms.push(format!("xpv{}", alnum(provider)));
    }
    if let Some(profile) = &query.profile {
        terms.push(format!("xpf{}", alnum(profile)));
    }
    if let Some(stackable) = query.stackable {
        terms.push(format!("xst{}", u8::from(stackable)));
    }
    terms
}

/// The full-text expression: every word in the title or text (the last as a prefix) and every facet.
/// `None` when the query has neither.
fn match_expression(backend: Backend, words: &[String], facets: &[String]) -> Option<String> {
    let last = words.len().wrapping_sub(1);
    let parts: Vec<String> = match backend {
        Backend::Sqlite => words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                format!(
                    "{{title search_text}} : \"{w}\"{}",
                    if i == last { "*" } else { "" }
                )
            })
            .chain(facets.iter().map(|f| format!("facets : \"{f}\"")))
            .collect(),
        Backend::Postgres => words
            .iter()
            .enumerate()
            // No weight restriction (`:AB`): it makes PostgreSQL recheck every candidate's tsvector.
            // Facet tokens start with "x" and a code, so no real word collides with them.
            .map(|(i, w)| if i == last { format!("{w}:*") } else { w.clone() })
            .chain(facets.iter().cloned())
            .collect(),
    };
    if parts.is_empty() {
        return None;
    }
    Some(parts.join(match backend {
        Backend::Sqlite => " AND ",
        Backend::Postgres => " & ",
    }))
}

/// A bound value of a search; the WHERE clause is assembled with matching `$n` placeholders.
enum Value {
    Text(String),
    Float(f64),
}

/// Await two futures concurrently (a two-armed join, to avoid a dependency for one use).
async fn join_both<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(move |cx| {
        if out_a.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(cx) {
                out_a = Some(value);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(cx) {
                out_b = Some(value);
            }
        }
        if out_a.is_some() && out_b.is_some() {
            Poll::Ready((out_a.take().unwrap(), out_b.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
    .await
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    values: &[Value],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Text(v) => query.bind(v.clone()),
            Value::Float(v) => query.bind(*v),
        };
    }
    query
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
             modes, provider_id, profile, stackable, published_at, facets)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
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
    .bind(facet_tokens(entry))
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
        let text = query.text.as_deref().map(words).unwrap_or_default();
        let expression = match_expression(self.backend, &text, &facet_terms(query));
        let per_page = query.per_page.clamp(1, 100);
        let offset = (query.page.max(1) - 1).saturating_mul(per_page);
        let limit = format!("LIMIT {per_page} OFFSET {offset}");
        let cap = COUNT_LIMIT + 1;
        let sqlite = self.backend == Backend::Sqlite;

        let mut values = Vec::new();
        let mut conditions = Vec::new();
        if let Some(expression) = &expression {
            values.push(Value::Text(expression.clone()));
            conditions.push(
                if sqlite {
                    "register_fts MATCH $1"
                } else {
                    "r.tsv @@ to_tsquery('simple', $1)"
                }
                .to_string(),
            );
        }
        for (column, op, value) in [(">=", query.credits_min), ("<=", query.credits_max)]
            .into_iter()
            .filter_map(|(op, v)| v.map(|v| ("credits", op, v)))
        {
            values.push(Value::Float(value));
            conditions.push(format!("r.{column} {op} ${}", values.len()));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let credits_only = query.credits_min.is_none() && query.credits_max.is_none();

        let (count_sql, page_sql) = match (sqlite, expression.is_some()) {
            // The full-text index drives, in publication order (its rowid order); CROSS JOIN keeps it
            // the outer loop.
            (true, true) => {
                let joined = "register_fts f CROSS JOIN register_entries r ON r.seq = f.rowid";
                let count_from = if credits_only { "register_fts" } else { joined };
                (
                    format!(
                        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {count_from} {filter} LIMIT {cap}) AS c"
                    ),
                    format!("SELECT {COLUMNS} FROM {joined} {filter} ORDER BY f.rowid DESC {limit}"),
                )
            }
            // Credits alone (or nothing): newest first; `+r.credits` keeps SQLite walking in that
            // order instead of sorting a whole credits range.
            (true, false) => (
                format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM register_entries r {filter} LIMIT {cap}) AS c"
                ),
                format!(
                    "SELECT {COLUMNS} FROM register_entries r {} ORDER BY r.seq DESC {limit}",
                    filter.replace("r.credits", "+r.credits")
                ),
            ),
            (false, _) => (
                format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM register_entries r {filter} LIMIT {cap}) AS c"
                ),
                format!("SELECT {COLUMNS} FROM register_entries r {filter} ORDER BY r.seq DESC {limit}"),
            ),
        };
        // The count and the page are independent: run them at once on two connections.
        let (counted, rows) = join_both(
            bind_all(sqlx::query(&count_sql), &values).fetch_one(&self.pool),
            bind_all(sqlx::query(&page_sql), &values).fetch_all(&self.pool),
        )
        .await;
        let counted = get_i64(&counted?, "n")?;
        let rows = rows?;
        Ok(SearchPage {
            total: counted.min(COUNT_LIMIT),
            total_is_exact: counted <= COUNT_LIMIT,
            entries: rows.iter().map(entry).collect::<Result<_>>()?,
        })
    }

    /// Compute the facets of entries stored before facets existed (migration 0003).
    pub(crate) async fn backfill_facets(&self) -> Result<()> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM register_entries r WHERE r.facets = ''"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let entry = entry(row)?;
            sqlx::query("UPDATE register_entries SET facets = $1 WHERE id = $2")
                .bind(facet_tokens(&entry))
                .bind(entry.id.clone())
                .execute(&self.pool)
                .await?;
        }
        Ok(())
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
        sqlx::query("ANALYZE register_entries")
            .execute(&self.pool)
            .await?;
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
        let facets = ["xeqf6".to_string()];
        assert_eq!(
            match_expression(Backend::Sqlite, &w[..2], &facets).unwrap(),
            "{title search_text} : \"data\" AND {title search_text} : \"or\"* AND facets : \"xeqf6\""
        );
        assert_eq!(
            match_expression(Backend::Postgres, &w[..2], &facets).unwrap(),
            "data & or:* & xeqf6"
        );
        assert_eq!(match_expression(Backend::Postgres, &[], &[]), None);
    }

    #[test]
    fn isced_facets_cover_every_prefix_so_broad_fields_find_detailed_ones() {
        let entry = RegisterEntry {
            id: "d".into(),
            version: 1,
            title: String::new(),
            search_text: String::new(),
            summary: String::new(),
            eqf: Some(6),
            isced: Some("0613".into()),
            country: Some("IE".into()),
            credits: None,
            modes: vec!["work-based".into()],
            provider_id: "atu-1".into(),
            profile: "nl-he".into(),
            stackable: true,
            published_at: String::new(),
        };
        assert_eq!(
            facet_tokens(&entry),
            "xeqf6 xctie xis06 xis061 xis0613 xmdworkbased xpvatu1 xpfnlhe xst1"
        );
        let query = RegisterQuery {
            isced: Some("061".into()),
            mode: Some("work-based".into()),
            ..Default::default()
        };
        assert_eq!(facet_terms(&query), ["xis061", "xmdworkbased"]);
    }
}

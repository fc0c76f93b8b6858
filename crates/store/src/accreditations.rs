//! Accreditation records: an authority's institutional or programme quality assurance of a provider,
//! with its scope and validity. The trust list is rendered from these.

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::{get_opt_str, get_str, map_unique, now, parse, Accreditation, Actor, Result, Store, StoreError};

fn list<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T> {
    serde_json::from_str(&get_str(row, column)?).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn accreditation(row: &AnyRow) -> Result<Accreditation> {
    Ok(Accreditation {
        id: get_str(row, "id")?,
        authority_id: get_str(row, "authority_id")?,
        provider_id: get_str(row, "provider_id")?,
        kind: parse(&get_str(row, "kind")?, "accreditation kind")?,
        description_id: get_opt_str(row, "description_id")?,
        eqf_levels: list(row, "eqf_levels")?,
        isced_fields: list(row, "isced_fields")?,
        countries: list(row, "countries")?,
        valid_from: get_opt_str(row, "valid_from")?,
        valid_until: get_opt_str(row, "valid_until")?,
        created_by: get_str(row, "created_by")?,
        created_at: get_str(row, "created_at")?,
    })
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

impl Store {
    pub async fn create_accreditation(&self, new: &Accreditation, actor: &Actor) -> Result<Accreditation> {
        let created_at = now();
        let created_by = actor.0.clone().unwrap_or_else(|| "system".into());
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO accreditations (id, authority_id, provider_id, kind, description_id, eqf_levels,
                 isced_fields, countries, valid_from, valid_until, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(new.id.clone())
        .bind(new.authority_id.clone())
        .bind(new.provider_id.clone())
        .bind(new.kind.as_str())
        .bind(new.description_id.clone())
        .bind(json(&new.eqf_levels))
        .bind(json(&new.isced_fields))
        .bind(json(&new.countries))
        .bind(new.valid_from.clone())
        .bind(new.valid_until.clone())
        .bind(created_by.clone())
        .bind(created_at.clone())
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, format!("accreditation {}", new.id)))?;
        let change = Change {
            entity: "accreditation",
            entity_id: &new.id,
            action: "create",
            before: None,
            after: Some(new.kind.as_str()),
            detail: Some(format!("{} accredits {}", new.authority_id, new.provider_id)),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(Accreditation {
            created_by,
            created_at,
            ..new.clone()
        })
    }

    /// All accreditations, or those granted by one authority.
    pub async fn accreditations(&self, authority_id: Option<&str>) -> Result<Vec<Accreditation>> {
        let rows = sqlx::query(
            "SELECT * FROM accreditations WHERE ($1 IS NULL OR authority_id = $1) ORDER BY authority_id, provider_id, id",
        )
        .bind(authority_id.map(str::to_string))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(accreditation).collect()
    }
}

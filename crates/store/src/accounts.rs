//! Organisations, people, web sessions and API tokens. Secrets arrive here already hashed: the store
//! never sees a password or a token in the clear.

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::{
    get_opt_str, get_str, map_unique, now, parse, Actor, ApiToken, Organisation, Result, Store, StoreError,
    User,
};

fn organisation(row: &AnyRow) -> Result<Organisation> {
    Ok(Organisation {
        id: get_str(row, "id")?,
        kind: parse(&get_str(row, "kind")?, "organisation kind")?,
        name: get_str(row, "name")?,
        country: get_str(row, "country")?,
        uri: get_opt_str(row, "uri")?,
        created_at: get_str(row, "created_at")?,
    })
}

fn user(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: get_str(row, "id")?,
        email: get_str(row, "email")?,
        name: get_str(row, "name")?,
        role: parse(&get_str(row, "role")?, "role")?,
        organisation_id: get_opt_str(row, "organisation_id")?,
        password_hash: get_str(row, "password_hash")?,
        created_at: get_str(row, "created_at")?,
    })
}

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.organisation_id, u.password_hash, u.created_at";

impl Store {
    pub async fn create_organisation(&self, org: &Organisation, actor: &Actor) -> Result<Organisation> {
        let mut tx = self.pool.begin().await?;
        let created_at = now();
        sqlx::query(
            "INSERT INTO organisations (id, kind, name, country, uri, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org.id.clone())
        .bind(org.kind.as_str())
        .bind(org.name.clone())
        .bind(org.country.clone())
        .bind(org.uri.clone())
        .bind(created_at.clone())
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, format!("organisation {}", org.id)))?;
        let change = Change {
            entity: "organisation",
            entity_id: &org.id,
            action: "create",
            before: None,
            after: Some(org.kind.as_str()),
            detail: Some(org.name.clone()),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(Organisation {
            created_at,
            ..org.clone()
        })
    }

    pub async fn organisation(&self, id: &str) -> Result<Organisation> {
        let row = sqlx::query("SELECT * FROM organisations WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation {id}")))?;
        organisation(&row)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let rows = sqlx::query("SELECT * FROM organisations ORDER BY country, name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(organisation).collect()
    }

    pub async fn create_user(&self, new: &User, actor: &Actor) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        let created_at = now();
        sqlx::query(
            "INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.id.clone())
        .bind(new.email.to_lowercase())
        .bind(new.name.clone())
        .bind(new.role.as_str())
        .bind(new.organisation_id.clone())
        .bind(new.password_hash.clone())
        .bind(created_at.clone())
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, format!("user {}", new.email)))?;
        let change = Change {
            entity: "user",
            entity_id: &new.id,
            action: "create",
            before: None,
            after: Some(new.role.as_str()),
            detail: None,
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(User {
            created_at,
            email: new.email.to_lowercase(),
            ..new.clone()
        })
    }

    pub async fn user(&self, id: &str) -> Result<User> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user(&row)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user).collect()
    }

    /// Sessions are not audited: logging in changes no record anyone decides on.
    pub async fn create_session(&self, token_hash: &str, user_id: &str, expires_at: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_string())
        .bind(user_id.to_string())
        .bind(now())
        .bind(expires_at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user of an unexpired session.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(token_hash.to_string())
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_token(&self, token_hash: &str, token: &ApiToken, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, id, user_id, name, scopes, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash.to_string())
        .bind(token.id.clone())
        .bind(token.user_id.clone())
        .bind(token.name.clone())
        .bind(token.scopes.join(" "))
        .bind(token.created_at.clone())
        .bind(token.expires_at.clone())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "api_token",
            entity_id: &token.id,
            action: "create",
            before: None,
            after: None,
            detail: Some(token.scopes.join(" ")),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user and scopes of an unexpired API token.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<(User, Vec<String>)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, t.scopes FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)"
        ))
        .bind(token_hash.to_string())
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => {
                let scopes = get_str(&row, "scopes")?
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                Ok(Some((user(&row)?, scopes)))
            }
        }
    }
}

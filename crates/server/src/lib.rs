//! microcred-server: the HTTP service. Accounts and roles, the quality-assurance workflow on versioned
//! descriptions, accreditations and the trust list, the public register, and an audit log.
//!
//! Handlers are thin: they authenticate (the [`auth::Principal`] extractor), check the permission
//! matrix ([`permissions`]) and the workflow table ([`workflow`]), and call the store. The store
//! (crate microcred-store) is the only place with SQL.

pub mod accredited;
pub mod app;
pub mod auth;
pub mod body;
pub mod compliance;
pub mod delivery;
pub mod demo;
pub mod issuer;
pub mod jobs;
pub mod permissions;
pub mod problem;
pub mod register_entry;
pub mod routes;
pub mod vc_shape;
pub mod verifier;
pub mod web;
pub mod workflow;

use std::net::SocketAddr;

pub use app::{router, AppState};
pub use microcred_store::{self as store, Store};

/// Serve on `listener` until Ctrl-C (or SIGTERM), finishing requests in flight.
pub async fn serve(store: Store, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let state = AppState::new(store.clone());
    // The roster job worker of this process (jobs are shared through the database).
    let worker = jobs::spawn_worker(state.clone());
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    worker.abort();
    store.close().await;
    Ok(())
}

pub async fn bind(address: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(address).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Create the first administrator if no account has this email yet (people cannot be created through
/// the API before an administrator exists). Returns whether one was created.
pub async fn ensure_admin(store: &Store, email: &str, password: &str) -> Result<bool, problem::Problem> {
    if store.user_by_email(email).await?.is_some() {
        return Ok(false);
    }
    if password.chars().count() < 10 {
        return Err(problem::Problem::invalid_field(
            "/password",
            "the administrator password needs 10 characters or more",
        ));
    }
    let user = microcred_store::User {
        id: microcred_store::new_id("usr"),
        email: email.to_string(),
        name: "Administrator".into(),
        role: microcred_store::Role::Admin,
        organisation_id: None,
        password_hash: auth::hash_password(password),
        created_at: String::new(),
    };
    store
        .create_user(&user, &microcred_store::Actor::system())
        .await?;
    Ok(true)
}

//! `microcred serve` and `microcred demo`: the HTTP service on SQLite (default) or PostgreSQL.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use microcred_server::{demo, AppState, Store};

#[derive(clap::Args)]
pub struct Args {
    /// Database: sqlite://FILE (created if missing) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "MICROCRED_DATABASE", default_value = "sqlite://microcred.db")]
    database: String,
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, env = "MICROCRED_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Create this administrator account if it does not exist; the password is read from the
    /// environment variable MICROCRED_ADMIN_PASSWORD (never from the command line).
    #[arg(long, value_name = "EMAIL")]
    bootstrap_admin: Option<String>,
    /// Send learners' claim e-mails through this SMTP server (smtp://HOST:PORT, or
    /// smtps://USER:PASSWORD@HOST:465); without it they are written to an outbox folder.
    #[arg(long, env = "MICROCRED_SMTP", value_name = "URL", hide_env_values = true)]
    smtp: Option<String>,
}

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, env = "MICROCRED_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database for the demo data (seeded once; running the demo again reuses it).
    #[arg(
        long,
        env = "MICROCRED_DATABASE",
        default_value = "sqlite://microcred-demo.db"
    )]
    database: String,
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MICROCRED_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn problem(p: microcred_server::problem::Problem) -> anyhow::Error {
    anyhow!("{}: {}", p.title, p.detail)
}

async fn open(database: &str) -> anyhow::Result<Store> {
    Store::open(database)
        .await
        .with_context(|| format!("cannot open the database {database}"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_tracing();
    check_master_key()?;
    if let Some(url) = &args.smtp {
        // The issuing state reads its mail settings from the environment (set before any thread starts).
        std::env::set_var("MICROCRED_SMTP", url);
    }
    runtime()?.block_on(async {
        let store = open(&args.database).await?;
        if let Some(email) = &args.bootstrap_admin {
            let password = std::env::var("MICROCRED_ADMIN_PASSWORD")
                .context("--bootstrap-admin needs the password in MICROCRED_ADMIN_PASSWORD")?;
            if microcred_server::ensure_admin(&store, email, &password)
                .await
                .map_err(problem)?
            {
                println!("created administrator {email}");
            }
        }
        let listener = microcred_server::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        println!("microcred listening on http://{}", listener.local_addr()?);
        microcred_server::serve(store, listener).await?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    init_tracing();
    check_master_key()?;
    runtime()?.block_on(async {
        let store = open(&args.database).await?;
        println!("seeding the demo data into {} (kept between runs)...", args.database);
        let state = AppState::new(store.clone());
        let logins = demo::seed(&state).await.map_err(problem)?;
        let listener = microcred_server::bind(args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr()?;
        println!();
        println!("Demo accounts (password for all: {}):", demo::DEMO_PASSWORD);
        for login in logins.iter().filter(|l| {
            matches!(l.organisation.as_deref(), None | Some("qqi" | "nvao" | "atu" | "tudelft" | "northwind"))
        }) {
            let org = login.organisation.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
            println!("  {:<10} {}{}", login.role.to_string(), login.email, org);
        }
        println!("  ...and reviewer@<authority>.example, staff@<provider>.example for every organisation in /api/organisations");
        println!();
        println!("Try:");
        println!("  curl 'http://{address}/api/register?q=data&per_page=5'");
        println!("  curl -c cookies -H 'Content-Type: application/json' -d '{{\"email\":\"reviewer@qqi.example\",\"password\":\"{}\"}}' http://{address}/api/login", demo::DEMO_PASSWORD);
        println!("  curl -b cookies 'http://{address}/api/descriptions?state=submitted'");
        println!("  API description: http://{address}/api/openapi.json");
        println!();
        println!("microcred listening on http://{address}");
        microcred_server::serve(store, listener).await?;
        Ok(ExitCode::SUCCESS)
    })
}

fn check_master_key() -> anyhow::Result<()> {
    match microcred_server::issuer::master_key_env_problem() {
        Some(problem) => Err(anyhow!(problem)),
        None => Ok(()),
    }
}

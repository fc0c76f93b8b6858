//! Background issuing of roster jobs. Every server process runs one worker task that claims
//! unfinished jobs from the database with a lease (so any process can pick up work, and a job whose
//! process died is taken over when its lease runs out), and works through a job in batches: allocate
//! status slots, render and sign on the blocking pool (all cores), then commit the batch's
//! credentials, row errors and progress in one transaction, then deliver the claim links.

pub mod roster;
pub mod slots;
pub mod template;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use microcred_store::{BatchOutcome, CredentialRecord, JobRecord, JobRow, NewCredential, RowError};
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::auth::{new_secret, secret_hash};
use crate::delivery::Letter;
use crate::problem::Problem;
use slots::Slots;
use template::{Format, Template};

/// Spawns the worker loop of this process.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let owner = microcred_store::new_id("worker");
        loop {
            match state
                .store
                .claim_job(&owner, state.issuing.config.lease_seconds)
                .await
            {
                Ok(Some(job)) => {
                    let id = job.id.clone();
                    if let Err(problem) = run_job(&state, job, &owner).await {
                        tracing::warn!(job = %id, detail = %problem.detail, "job stopped");
                        let _ = state
                            .store
                            .finish_job(&id, &owner, "failed", Some(&problem.detail))
                            .await;
                    }
                }
                Ok(None) => {
                    // Woken at once by an upload in this process; polls for other processes' work.
                    let _ = tokio::time::timeout(Duration::from_millis(500), state.issuing.notify.notified())
                        .await;
                }
                Err(error) => {
                    tracing::error!(%error, "job worker cannot reach the database");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    })
}

struct Signed {
    row: JobRow,
    slot: template::Slot,
    result: Result<(String, Value), String>,
}

/// Renders and signs `work` on the blocking pool, split over the available cores.
async fn sign_all(
    template: &Arc<Template>,
    work: Vec<(JobRow, template::Slot)>,
) -> Result<Vec<Signed>, Problem> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let chunk = work.len().div_ceil(cores).max(1);
    let mut tasks = Vec::new();
    let mut work = work.into_iter().peekable();
    while work.peek().is_some() {
        let part: Vec<(JobRow, template::Slot)> = work.by_ref().take(chunk).collect();
        let template = template.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let issued = Utc::now();
            part.into_iter()
                .map(|(row, slot)| {
                    let extra: Map<String, Value> = serde_json::from_str(&row.extra).unwrap_or_default();
                    let learner = template::learner(&row.email, &row.name, &extra);
                    let grade = extra.get("grade").and_then(Value::as_str).map(str::to_string);
                    let result = template.credential(&learner, grade, &slot, issued);
                    Signed { row, slot, result }
                })
                .collect::<Vec<_>>()
        }));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.extend(task.await.map_err(|_| Problem::internal())?);
    }
    Ok(out)
}

fn record(template: &Template, job_id: &str, signed: &Signed, id: &str, body: &Value) -> CredentialRecord {
    CredentialRecord {
        id: id.to_string(),
        provider_id: template.key.provider_id.clone(),
        description_id: template.description_id.clone(),
        version: template.version,
        learner_email: signed.row.email.clone(),
        learner_name: signed.row.name.clone(),
        job_id: Some(job_id.to_string()),
        job_row: Some(signed.row.row_number),
        format: template.format.as_str().to_string(),
        body: body.to_string(),
        status_list_id: signed.slot.list_id.clone(),
        status_index: signed.slot.index,
        state: "active".into(),
        reason: None,
        issued_at: microcred_store::now(),
    }
}

async fn run_job(state: &AppState, job: JobRecord, owner: &str) -> Result<(), Problem> {
    let store = &state.store;
    let config = &state.issuing.config;
    let provider = store.organisation(&job.provider_id).await?;
    let format = Format::parse(&job.format)?;
    let template = Arc::new(
        template::prepare(
            store,
            &state.issuing.keys,
            &provider,
            &job.description_id,
            Some(format),
            &job.base_url,
        )
        .await?,
    );
    let mut slots = Slots::load(store, &provider.id).await?;
    let mut next_row = job.next_row;
    loop {
        let rows = store.job_rows(&job.id, next_row, config.batch_size).await?;
        let Some(last) = rows.last() else {
            store.finish_job(&job.id, owner, "done", None).await?;
            return Ok(());
        };
        let after = last.row_number + 1;
        let mut work = Vec::with_capacity(rows.len());
        for row in rows {
            let slot = slots.next(store).await?;
            work.push((row, slot));
        }
        let mut signed = sign_all(&template, work).await?;
        let mut letters;
        loop {
            let mut credentials = Vec::with_capacity(signed.len());
            let mut errors = Vec::new();
            letters = Vec::with_capacity(signed.len());
            for s in &signed {
                match &s.result {
                    Ok((id, body)) => {
                        let token = new_secret("mcc_");
                        credentials.push(NewCredential {
                            record: record(&template, &job.id, s, id, body),
                            claim_hash: Some(secret_hash(&token)),
                        });
                        letters.push(Letter::claim(&s.row, &template, &token));
                    }
                    Err(message) => errors.push(RowError {
                        row: s.row.row_number,
                        column: String::new(),
                        message: format!("the credential could not be made: {message}"),
                        fix: "correct the row's values and upload the row again".into(),
                    }),
                }
            }
            match store
                .commit_batch(&job.id, owner, config.lease_seconds, after, &credentials, &errors)
                .await?
            {
                BatchOutcome::Committed => break,
                BatchOutcome::LeaseLost => return Ok(()),
                BatchOutcome::IndexesTaken(positions) => {
                    // Another process took these slots since we loaded the list: mark them, take
                    // fresh ones and sign those credentials again (the index is inside the proof).
                    let mut redo = Vec::new();
                    let ok_positions: Vec<usize> = signed
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.result.is_ok())
                        .map(|(i, _)| i)
                        .collect();
                    for position in positions {
                        let at = ok_positions[position];
                        slots.mark_taken(&signed[at].slot);
                        let slot = slots.next(store).await?;
                        redo.push((at, (signed[at].row.clone(), slot)));
                    }
                    let (places, work): (Vec<usize>, Vec<_>) = redo.into_iter().unzip();
                    for (place, again) in places.into_iter().zip(sign_all(&template, work).await?) {
                        signed[place] = again;
                    }
                }
            }
        }
        // Delivery happens after the commit: a crash here loses e-mails, never credentials (the
        // learner's credentials stay reachable for the provider to resend).
        state.issuing.mailer(store).await.send(letters).await;
        next_row = after;
    }
}

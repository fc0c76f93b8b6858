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
    /// The credential id and its signed JSON text, or why it could not be made.
    result: Result<(String, String), String>,
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
                    let result = template
                        .credential(&learner, grade, &slot, issued)
                        .map(|(id, body)| (id, body.to_string()));
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

/// [`sign_all`] as a task of its own, so the next batch signs while this one is committed.
fn spawn_signing(
    template: &Arc<Template>,
    work: Vec<(JobRow, template::Slot)>,
) -> tokio::task::JoinHandle<Result<Vec<Signed>, Problem>> {
    let template = template.clone();
    tokio::spawn(async move { sign_all(&template, work).await })
}

fn record(template: &Template, job_id: &str, signed: &Signed, id: &str, body: &str) -> CredentialRecord {
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

/// A batch on its way: the row after its last, and its signing task.
struct InFlight {
    after: i64,
    signing: tokio::task::JoinHandle<Result<Vec<Signed>, Problem>>,
}

/// Reads the next batch, gives it status slots and starts signing it; `None` when no rows are left.
async fn start_batch(
    state: &AppState,
    job_id: &str,
    from: i64,
    template: &Arc<Template>,
    slots: &mut Slots,
) -> Result<Option<InFlight>, Problem> {
    let rows = state
        .store
        .job_rows(job_id, from, state.issuing.config.batch_size)
        .await?;
    let Some(last) = rows.last() else { return Ok(None) };
    let after = last.row_number + 1;
    let mut work = Vec::with_capacity(rows.len());
    for row in rows {
        work.push((row, slots.next(&state.store).await?));
    }
    Ok(Some(InFlight {
        after,
        signing: spawn_signing(template, work),
    }))
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
    let mut current = start_batch(state, &job.id, job.next_row, &template, &mut slots).await?;
    while let Some(batch) = current {
        // Pipeline: the next batch signs on the blocking pool while this one is written.
        let next = start_batch(state, &job.id, batch.after, &template, &mut slots).await?;
        let mut signed = batch.signing.await.map_err(|_| Problem::internal())??;
        let letters = loop {
            let mut credentials = Vec::with_capacity(signed.len());
            let mut errors = Vec::new();
            let mut letters = Vec::with_capacity(signed.len());
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
                .commit_batch(
                    &job.id,
                    owner,
                    config.lease_seconds,
                    batch.after,
                    &credentials,
                    &errors,
                )
                .await?
            {
                BatchOutcome::Committed => break letters,
                BatchOutcome::LeaseLost => {
                    if let Some(next) = next {
                        next.signing.abort();
                    }
                    return Ok(());
                }
                BatchOutcome::IndexesTaken(positions) => {
                    // Another process took these slots since we loaded the list: mark them, take
                    // fresh ones and sign those credentials again (the index is inside the proof).
                    let ok_positions: Vec<usize> = signed
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.result.is_ok())
                        .map(|(i, _)| i)
                        .collect();
                    let mut redo = Vec::new();
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
        };
        // Delivery runs after the commit and beside the next batch: a crash loses e-mails, never
        // credentials (the provider can resend a claim link).
        let (issuing, store_for_mail) = (state.issuing.clone(), store.clone());
        tokio::spawn(async move { issuing.mailer(&store_for_mail).await.send(letters).await });
        current = next;
    }
    store.finish_job(&job.id, owner, "done", None).await?;
    Ok(())
}

//! Receiving OpenLineage events. Each is checked on arrival (bad input is a 4xx at once), then
//! handed to one writer task that stores whatever has queued up in a single transaction (group
//! commit) and updates the graph before any of them is answered: an acknowledged event is on
//! disk and visible.

use std::sync::OnceLock;

use store::lineage::{Ingested, LineageEventWrite, changes_of};
use tokio::sync::{mpsc, oneshot};

use super::openlineage::parse_event;
use crate::Workbench;
use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};

/// The most events one transaction takes.
const BATCH: usize = 512;

/// The writer task's inbox, started on first use.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    inbox: OnceLock<mpsc::Sender<Job>>,
}

struct Job {
    event: LineageEventWrite,
    done: oneshot::Sender<Result<Ingested>>,
}

/// What became of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// `run`, `dataset` or `job`.
    pub kind: String,
    /// The same event was received before; nothing changed.
    pub duplicate: bool,
}

impl Workbench {
    /// Checks and stores one OpenLineage event (a JSON body). Anyone signed in or holding a
    /// token may report lineage.
    pub async fn receive_lineage(&self, actor: &Actor, body: &[u8]) -> Result<Received> {
        actor.require_signed_in()?;
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            WorkbenchError::bad_request(format!(
                "the body is not JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ))
        })?;
        let event = parse_event(&value).map_err(|findings| WorkbenchError::Invalid {
            message: format!(
                "the OpenLineage event has {} problem{} to fix; see findings",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            ),
            findings,
            policy_findings: Vec::new(),
        })?;
        let kind = event.kind.clone();
        let outcome = self.enqueue(event).await?;
        Ok(Received {
            kind,
            duplicate: outcome == Ingested::Duplicate,
        })
    }

    async fn enqueue(&self, event: LineageEventWrite) -> Result<Ingested> {
        let inbox = self.lineage.queue.inbox.get_or_init(|| {
            let (tx, rx) = mpsc::channel(4 * BATCH);
            tokio::spawn(write_batches(self.clone(), rx));
            tx
        });
        let (done, answer) = oneshot::channel();
        inbox
            .send(Job { event, done })
            .await
            .map_err(|_| WorkbenchError::Unavailable(String::from("the lineage writer stopped")))?;
        answer
            .await
            .map_err(|_| WorkbenchError::Unavailable(String::from("the lineage writer stopped")))?
    }
}

async fn write_batches(wb: Workbench, mut inbox: mpsc::Receiver<Job>) {
    while let Some(first) = inbox.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match inbox.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (events, answers): (Vec<LineageEventWrite>, Vec<_>) =
            jobs.into_iter().map(|j| (j.event, j.done)).unzip();
        match wb.store.ingest_lineage(&events).await {
            Ok(results) => {
                let changes = changes_of(&results);
                if let Err(e) = wb.apply_changes(&changes).await {
                    // The events are stored; the graph catches up on the next reload.
                    tracing::warn!(error = %e, "stored lineage events but could not update the graph");
                }
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(Ok(result));
                }
            }
            Err(e) => {
                let message = e.to_string();
                tracing::error!(error = %message, events = events.len(), "could not store lineage events");
                for answer in answers {
                    let _ = answer.send(Err(WorkbenchError::Unavailable(message.clone())));
                }
            }
        }
    }
}

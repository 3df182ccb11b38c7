//! Keeping a long-running handler's job: its timeout is extended
//! (`updateJob`) whenever the handler is still running after a share of it.

use std::time::Duration;

use tokio::time::Instant;

use super::job::Lease;

/// Runs beside the handler and never returns: extends the job's timeout to
/// `timeout` from now each time only `(100 - percent) %` of it is left;
/// `None` does nothing.
pub(crate) async fn keep_alive(lease: &Lease, timeout: Duration, percent: Option<u32>) {
    let Some(percent) = percent else {
        return std::future::pending().await;
    };
    let margin = timeout * (100 - percent.min(99)) / 100;
    loop {
        let deadline = lease.deadline();
        let at = deadline.checked_sub(margin).unwrap_or(deadline);
        tokio::time::sleep_until(at).await;
        if lease.deadline() != deadline {
            // The handler extended it meanwhile.
            continue;
        }
        match lease.extend(timeout).await {
            Ok(()) => tracing::debug!(
                timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
                "job timeout extended"
            ),
            Err(error) if error.is_job_gone() => {
                tracing::warn!(%error, "the job is gone while its handler still runs");
                return std::future::pending().await;
            }
            Err(error) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    tracing::warn!(%error, "could not extend the job's timeout before it expired");
                    return std::future::pending().await;
                }
                tracing::debug!(%error, "extending the job's timeout failed; retrying");
                tokio::time::sleep((left / 4).max(Duration::from_millis(10))).await;
            }
        }
    }
}

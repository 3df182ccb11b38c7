//! [`IntoOutcome`]: what a handler's future may end with.

use super::job::Outcome;

/// What a job handler's future may return: an [`Outcome`] (a handler that
/// cannot fail) or a `Result<Outcome, E>` (an `Err` fails the job with
/// retries minus one and the error's message).
///
/// Why both: a handler that cannot fail had to name an error type it never
/// returns (`Ok::<_, Infallible>(…)`) only because the worker wanted a
/// `Result`.
pub trait IntoOutcome: Send + 'static {
    /// The outcome, or the message the job is failed with.
    fn into_outcome(self) -> Result<Outcome, String>;
}

impl IntoOutcome for Outcome {
    fn into_outcome(self) -> Result<Outcome, String> {
        Ok(self)
    }
}

impl<E: std::fmt::Display + Send + 'static> IntoOutcome for Result<Outcome, E> {
    fn into_outcome(self) -> Result<Outcome, String> {
        self.map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_is_itself_and_an_error_is_its_message() {
        assert!(matches!(
            Outcome::complete().into_outcome(),
            Ok(Outcome::Complete { variables: None })
        ));
        assert!(matches!(
            Ok::<_, std::convert::Infallible>(Outcome::leave_alone()).into_outcome(),
            Ok(Outcome::LeaveAlone)
        ));
        assert_eq!(
            Err::<Outcome, _>("no stock")
                .into_outcome()
                .err()
                .as_deref(),
            Some("no stock")
        );
    }
}

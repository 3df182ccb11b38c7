//! The typed keys a job carries: strings on the wire (Camunda keys are
//! 64-bit numbers sent as decimal strings), kept apart by type so that a
//! process instance key cannot be passed where a job key is expected.

use std::fmt;

macro_rules! key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The key as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_owned()))
            }
        }
    };
}

key!(
    /// A job's key.
    JobKey
);
key!(
    /// A process instance's key.
    ProcessInstanceKey
);
key!(
    /// A process definition's key.
    ProcessDefinitionKey
);
key!(
    /// An element instance's key.
    ElementInstanceKey
);
key!(
    /// A BPMN element's id (e.g. `Task_1`).
    ElementId
);
key!(
    /// A tenant's id (`<default>` without multi-tenancy).
    TenantId
);
key!(
    /// A process definition's BPMN process id.
    ProcessDefinitionId
);

//! The limits of a lint or diff, and the budget that enforces them.
//!
//! The linter and the diff enumerate the devices request space cut into
//! equivalence classes (see [`super::lint`]). For the presets that is a few
//! thousand distinct sets of matching rules, but the number grows with the
//! product of how finely the rules cut each dimension: a policy of eighty
//! rules that each name one value of a different dimension cuts every
//! dimension into single values, and the walk would need tens of gigabytes
//! and minutes. An analysis must never abort its host (a C program, a
//! Python interpreter, a browser tab) by running out of memory, and must
//! not rely on an allocation failing to find out (SPEC §1.5, §9).
//!
//! So every structure of the analysis that grows with the space is charged
//! to a `Budget` *before* it grows, with an upper bound of what the growth
//! costs (the element, its own heap block, and the slack of a vector or
//! hash table that doubles), and every step of the walk is counted. When
//! either would pass its [`AnalysisLimits`], the analysis stops and returns
//! [`Error::TooComplex`]: a coded answer, never a partial report. Memory
//! freed when a transient table is dropped is given back, so the charge is a
//! bound on the analysis's peak use, not on what it ever allocated.
//!
//! What is not charged is bounded by the vocabulary or the policy's size,
//! not by the space: the classes of each dimension, the lines of findings
//! (at most one per combination of the key dimensions), per-rule tallies.

use crate::error::Error;
use std::mem::size_of;

/// How much a lint or diff may use before it gives up with `too_complex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisLimits {
    /// Bytes of memory the analysis may hold at once (an upper estimate of
    /// its own allocations; the report it returns is included).
    pub memory: u64,
    /// Steps of work: classes visited, class summaries replayed, rules
    /// weighed for a verdict. A release build does 5-10 million a second;
    /// the default keeps a refused analysis to a few seconds.
    pub steps: u64,
}

impl AnalysisLimits {
    /// The default memory limit: 1 GiB (SPEC §9).
    pub const DEFAULT_MEMORY: u64 = 1 << 30;
    /// The default work limit. The presets need at most 0.6 million steps
    /// (about 60 ms).
    pub const DEFAULT_STEPS: u64 = 10_000_000;

    /// The default limits with the memory limit set to `bytes`.
    pub fn with_memory(bytes: u64) -> AnalysisLimits {
        AnalysisLimits {
            memory: bytes,
            ..AnalysisLimits::default()
        }
    }
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        AnalysisLimits {
            memory: Self::DEFAULT_MEMORY,
            steps: Self::DEFAULT_STEPS,
        }
    }
}

/// What an analysis has used so far, against its limits.
#[derive(Debug)]
pub(crate) struct Budget {
    limits: AnalysisLimits,
    memory: u64,
    steps: u64,
}

/// The growth factor charged per element of a `Vec`: a vector that doubles
/// holds up to twice its length, and while it moves both blocks exist.
const VEC_SLACK: u64 = 3;
/// The same for a hash table (load factor 7/8, doubling, both tables while
/// it rehashes), per entry and its control byte.
const MAP_SLACK: u64 = 4;
/// An allocator's rounding and bookkeeping per heap block.
const BLOCK_OVERHEAD: u64 = 32;

impl Budget {
    pub(crate) fn new(limits: &AnalysisLimits) -> Budget {
        Budget {
            limits: *limits,
            memory: 0,
            steps: 0,
        }
    }

    /// Charges `bytes` that the analysis is about to allocate.
    pub(crate) fn allocate(&mut self, bytes: u64) -> Result<(), Error> {
        self.memory = self.memory.saturating_add(bytes);
        if self.memory > self.limits.memory {
            let limit = format!("the memory limit ({})", mebibytes(self.limits.memory));
            return Err(too_complex_within(&limit));
        }
        Ok(())
    }

    /// Gives back `bytes` charged for a structure that has been dropped.
    pub(crate) fn free(&mut self, bytes: u64) {
        self.memory = self.memory.saturating_sub(bytes);
    }

    /// Counts `steps` of work about to be done.
    pub(crate) fn work(&mut self, steps: u64) -> Result<(), Error> {
        self.steps = self.steps.saturating_add(steps);
        if self.steps > self.limits.steps {
            let limit = format!("the work limit ({} steps)", self.limits.steps);
            return Err(too_complex_within(&limit));
        }
        Ok(())
    }
}

/// The error of an analysis that would go past `limit` (its words).
fn too_complex_within(limit: &str) -> Error {
    Error::TooComplex {
        message: format!(
            "the policy's devices rules cut the request space too finely to analyse within {limit}"
        ),
    }
}

/// "1024 MiB", or bytes below one mebibyte.
fn mebibytes(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// A heap block of `bytes`, with the allocator's overhead.
pub(crate) fn block(bytes: usize) -> u64 {
    bytes as u64 + BLOCK_OVERHEAD
}

/// One more element of a `Vec<T>`, with the vector's slack.
pub(crate) fn vec_element<T>() -> u64 {
    VEC_SLACK * size_of::<T>() as u64
}

/// One more entry of a hash table (or B-tree) of `K` to `V`, with its slack.
pub(crate) fn map_entry<K, V>() -> u64 {
    MAP_SLACK * (size_of::<(K, V)>() as u64 + 1)
}

/// A rule bit set of `words` words on the heap.
pub(crate) fn rule_set(words: usize) -> u64 {
    block(words * size_of::<u64>())
}

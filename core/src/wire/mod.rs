//! Reading and writing the wire: JSON requests and policies in, JSON
//! decisions out, TOML policies by way of JSON.
//!
//! # Why one folder
//!
//! The engine's JSON is the one place it spends effort on speed (SPEC §9's
//! guard is met by reading each field straight from the bytes and writing
//! each answer without a general serialiser), and that work is the kind a
//! newcomer should find in one place, behind plain names, and never in a
//! domain's decision code. So everything that knows bytes lives here:
//!
//! - [`json_in`]: the fast reader. `wire_struct!` declares a wire shape
//!   once (the struct, its serde attributes, its reader) where its type
//!   lives; every `tokens!` set is read by one generic reader.
//! - [`base_types`]: the readers of the shapes below this layer (`civil`'s
//!   timetable, `vocab`'s citation, the map of named roles), which may not
//!   import the reader themselves.
//! - [`json_out`]: the writer of a [`Decision`](crate::Decision), byte for
//!   byte as serde_json writes it.
//! - [`toml_json`]: a TOML policy written out as JSON, so one reader reads
//!   both (`build.rs` includes it for the presets).
//! - [`input`]: the checks made before any reading (size, nesting, UTF-8)
//!   and the cheap scan for a request's `domain`.
//! - [`envelope`]: what every request carries besides its body
//!   (`schema_version`).
//!
//! # Where it sits
//!
//! Above `civil` and `vocab` (whose types it reads and writes) and below
//! the four domains, whose shapes expand `wire_struct!` into readers here.
//! It imports no domain, no policy and no engine (`tests/tests/layers.rs`).
//! The serde reference the reader is tested against is not here: it is an
//! oracle, in `tests/src/oracle/`.

pub(crate) mod base_types;
pub(crate) mod envelope;
pub(crate) mod input;
pub(crate) mod json_in;
pub(crate) mod json_out;
pub(crate) mod toml_json;

//! The [`Engine`]: one loaded policy, ready to decide.
//!
//! An engine is immutable after loading, `Send + Sync`, and cheap to clone
//! (one reference count), so a server shares one engine across threads.

use crate::decision::Decision;
use crate::devices::budget::AnalysisLimits;
use crate::error::{Error, Location, Result};
use crate::policy::load::{self, Format};
use crate::policy::{presets, resolve, Policy};
use crate::request::Request;
use crate::vocab::{PolicyRef, Text};
use crate::{devices, escalation, images, sexting};
use std::sync::{Arc, OnceLock};

/// The engines of the built-in presets (by their place in
/// [`presets::IDS`]), each built on first use and then shared. The engine
/// keeps them, not [`presets`], which holds only the texts: so the policy
/// layer never imports the engine.
static PRESETS: [OnceLock<Result<Engine>>; presets::IDS.len()] =
    [const { OnceLock::new() }; presets::IDS.len()];

/// A loaded, resolved and floor-checked policy.
///
/// Load one engine per policy, once ([`Engine::from_preset`],
/// [`Engine::from_toml`], ...), and keep it: loading costs far more than
/// deciding. It is `Send + Sync` and a clone is one reference count, so
/// every thread of a server shares it.
///
/// ```
/// use safeguard_engine::Engine;
///
/// let engine = Engine::from_preset("hilldene-primary")?;
/// let shared = engine.clone(); // the same policy, no copy
/// let response = std::thread::spawn(move || {
///     shared.evaluate_json(r#"{"domain": "sexting", "incident_date": "2025-01-20",
///         "young_people": [{"id": "a", "age": 15, "role": "subject"}],
///         "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#)
/// })
/// .join()
/// .expect("the thread ran")?;
/// assert!(response.contains(r#""outcome":"refer_immediately""#));
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    policy: Policy,
    reference: PolicyRef,
    engine_version: Text,
    sexting: sexting::Compiled,
    devices: devices::Compiled,
    images: images::decide::Compiled,
    escalation: escalation::Compiled,
}

impl Engine {
    /// The engine of a built-in preset (parsed once, then shared): the
    /// national baseline, `"baseline"`, or a school's ([`Engine::presets`]
    /// lists them). An id that is no preset is `unknown_policy`.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("hilldene-primary")?;
    /// assert_eq!(&*engine.policy_ref().id, "hilldene-primary");
    ///
    /// let error = Engine::from_preset("no-such-school").unwrap_err();
    /// assert_eq!(error.code(), "unknown_policy");
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn from_preset(id: &str) -> Result<Engine> {
        let i = presets::index(id).ok_or_else(unknown_policy)?;
        PRESETS[i].get_or_init(|| Self::build_preset(i)).clone()
    }

    /// A preset's engine built afresh, not shared: the work
    /// [`Engine::from_preset`] does on first use (benchmarks measure it;
    /// callers want [`Engine::from_preset`]). A school preset's parent, the
    /// baseline, is the shared one.
    pub fn from_preset_afresh(id: &str) -> Result<Engine> {
        Self::build_preset(presets::index(id).ok_or_else(unknown_policy)?)
    }

    /// Builds preset `i` (its place in [`presets::IDS`]) from the JSON the
    /// build made of it: the baseline as the floor's source, a school as a
    /// policy that extends it.
    fn build_preset(i: usize) -> Result<Engine> {
        let text = presets::json(i).map_err(|what| Error::Internal {
            message: format!("the built-in preset {} {what}", presets::IDS[i]),
        })?;
        if i == 0 {
            Self::build_baseline(&text)
        } else {
            Self::load_school(&text, Format::Json)
        }
    }

    /// The ids of the built-in presets, `baseline` first.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// assert_eq!(Engine::presets()[0], "baseline");
    /// assert!(Engine::presets().contains(&"hilldene-primary"));
    /// ```
    pub fn presets() -> &'static [&'static str] {
        &presets::IDS
    }

    /// Loads a policy written in TOML (a school's policy file; see
    /// [`Engine::from_text`] for what is checked).
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// // Usually read from a file: std::fs::read_to_string("my-school.toml")
    /// let engine = Engine::from_toml(r#"
    ///     [policy]
    ///     id = "my-school"
    ///     name = "My School"
    ///     version = "2026-09"
    ///     source = "My School, Online Safety Policy, September 2026"
    ///     extends = "baseline"
    /// "#)?;
    /// assert_eq!(&*engine.policy_ref().id, "my-school");
    /// assert_eq!(&*engine.policy_ref().version, "2026-09");
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<Engine> {
        Self::from_text(text, Format::Toml)
    }

    /// Loads a policy written in JSON: the same model as TOML, for
    /// programs that write policies.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_json(r#"{"policy": {
    ///     "id": "my-school", "name": "My School", "version": "2026-09",
    ///     "source": "My School, Online Safety Policy, September 2026",
    ///     "extends": "baseline"}}"#)?;
    /// assert_eq!(&*engine.policy_ref().id, "my-school");
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Engine> {
        Self::from_text(text, Format::Json)
    }

    /// Loads a policy in either format. A document with `extends` builds on
    /// that preset; every policy is checked against the baseline's floor.
    /// A document may carry the id of a built-in policy only when it is
    /// that policy (a preset written out and read back in): a school's own
    /// policy cannot be reported as the baseline or another school's.
    ///
    /// A policy that weakens the floor is refused with `floor_violation`,
    /// naming the rule and where the document says it:
    ///
    /// ```
    /// use safeguard_engine::{Engine, Format};
    ///
    /// let weaker = r#"
    /// [policy]
    /// id = "my-school"
    /// name = "My School"
    /// version = "2026-09"
    /// source = "My School, Online Safety Policy, September 2026"
    /// extends = "baseline"
    ///
    /// [[sexting.actions]]
    /// id = "sexting.floor.action.report_to_dsl"
    /// floor = true
    /// action = "report_to_dsl"
    /// who = "dsl"
    /// deadline = "within_one_working_day"
    /// when = ["always"]
    /// detail = "Staff tell the DSL within a working day."
    /// cite = { source = "My School, Online Safety Policy, September 2026", section = "Sexting" }
    /// "#;
    /// let error = Engine::from_text(weaker, Format::Toml).unwrap_err();
    /// assert_eq!(error.code(), "floor_violation");
    /// assert_eq!(error.rule(), Some("sexting.floor.action.report_to_dsl"));
    /// // Line 10 of the text (it starts with a newline): the rule's id.
    /// let at = error.location().expect("a policy error has a place");
    /// assert_eq!((at.line, at.column), (Some(10), Some(6)));
    /// ```
    pub fn from_text(text: &str, format: Format) -> Result<Engine> {
        let engine = Self::load_school(text, format)?;
        let id = &*engine.policy_ref().id;
        if presets::IDS.contains(&id) {
            let built_in = Engine::from_preset(id)?;
            if built_in.policy_ref().digest != engine.policy_ref().digest {
                return Err(Error::InvalidValue {
                    at: load::locate(text, id, "policy.id"),
                    message: "a school's policy cannot take the id of a built-in policy; give it its own id".into(),
                });
            }
        }
        Ok(engine)
    }

    /// A school preset (from the JSON the build made of it), or a school's
    /// policy before its id is checked: resolved against the preset it
    /// extends and checked against the baseline's floor.
    fn load_school(text: &str, format: Format) -> Result<Engine> {
        let doc = load::parse(text, format)?;
        let baseline = Engine::from_preset("baseline")?;
        let parent = match doc.policy.extends.as_deref() {
            None => None,
            Some(id) => Some(Engine::from_preset(id).map_err(|_| Error::UnknownPolicy {
                at: load::locate(text, id, "policy.extends"),
            })?),
        };
        let resolved = resolve::resolve(
            doc,
            parent.as_ref().map(|e| e.policy()),
            Some(baseline.policy()),
            text,
        )?;
        Self::from_resolved(resolved, Some(baseline.policy()))
    }

    /// As [`Engine::from_text`], for a policy document given as bytes (as
    /// read from a file): bytes that are not UTF-8 are
    /// [`Error::InvalidUtf8`], whatever the format.
    ///
    /// ```no_run
    /// use safeguard_engine::{Engine, Format};
    ///
    /// let bytes = std::fs::read("my-school.toml").expect("the policy file");
    /// let engine = Engine::from_bytes(&bytes, Format::Toml)?;
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8], format: Format) -> Result<Engine> {
        Self::from_text(crate::wire::input::utf8(bytes, "policy")?, format)
    }

    /// The baseline itself (as JSON): complete, and the floor's source.
    fn build_baseline(text: &str) -> Result<Engine> {
        let doc = load::parse(text, Format::Json)?;
        let resolved = resolve::resolve(doc, None, None, text)?;
        Self::from_resolved(resolved, None)
    }

    /// The engine of a resolved policy whose floor is `floor` (the resolved
    /// baseline; `None` for the baseline itself).
    fn from_resolved(policy: Policy, floor: Option<&Policy>) -> Result<Engine> {
        let reference = PolicyRef {
            id: policy.policy.id.as_str().into(),
            version: policy.policy.version.as_str().into(),
            digest: load::digest(&policy).into(),
        };
        let source = &policy.policy.source;
        let sexting =
            sexting::Compiled::new(policy.sexting_table(), floor.map(Policy::sexting_table));
        let devices = devices::Compiled::new(&policy.devices, policy.timetable.as_ref(), source);
        let images = images::decide::Compiled::new(&policy.images, source);
        let escalation = escalation::Compiled::new(
            policy.escalation_table(),
            floor.map(Policy::escalation_table),
        );
        Ok(Engine {
            inner: Arc::new(Inner {
                policy,
                reference,
                engine_version: crate::ENGINE_VERSION.into(),
                sexting,
                devices,
                images,
                escalation,
            }),
        })
    }

    /// The resolved policy.
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// Id, version and digest of the policy, as every decision reports them.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("baseline")?;
    /// let policy = engine.policy_ref();
    /// assert_eq!(&*policy.id, "baseline");
    /// assert_eq!(policy.digest.len(), 64); // SHA-256, in hex
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn policy_ref(&self) -> &PolicyRef {
        &self.inner.reference
    }

    /// The resolved policy as a complete TOML document.
    pub fn policy_toml(&self) -> Result<String> {
        load::to_toml(&self.inner.policy)
    }

    /// Lints the policy's devices rules over the whole request space:
    /// contradictions, shadowed rules, requests no rule covers and allows
    /// that reach into the floor (see [`devices::lint`]), within the
    /// default [`AnalysisLimits`] (1 GiB). A policy whose rules cut the
    /// space too finely to analyse within them is [`Error::TooComplex`].
    pub fn lint(&self) -> Result<devices::lint::LintReport> {
        self.lint_within(&AnalysisLimits::default())
    }

    /// [`Engine::lint`] within the caller's `limits`.
    pub fn lint_within(&self, limits: &AnalysisLimits) -> Result<devices::lint::LintReport> {
        devices::lint::lint(
            &self.inner.devices.rules,
            self.inner.devices.staff_disciplinary,
            &self.inner.policy.devices.rules,
            &self.inner.reference,
            limits,
        )
    }

    /// What this policy allows that `other` denies, and the reverse, over
    /// the whole devices request space (see [`devices::diff`]), within the
    /// default [`AnalysisLimits`]; [`Error::TooComplex`] beyond them.
    pub fn diff(&self, other: &Engine) -> Result<devices::diff::DiffReport> {
        self.diff_within(other, &AnalysisLimits::default())
    }

    /// [`Engine::diff`] within the caller's `limits`.
    pub fn diff_within(
        &self,
        other: &Engine,
        limits: &AnalysisLimits,
    ) -> Result<devices::diff::DiffReport> {
        devices::diff::diff(
            (
                &self.inner.devices.rules,
                self.inner.devices.staff_disciplinary,
            ),
            &self.inner.reference,
            (
                &other.inner.devices.rules,
                other.inner.devices.staff_disciplinary,
            ),
            &other.inner.reference,
            limits,
        )
    }

    /// Decides a typed request (read with [`Request::from_json`]). A
    /// request that names another policy in its `policy` field is
    /// `policy_mismatch`; one the domain cannot decide (an impossible
    /// combination of facts) is an error too, never a guess.
    ///
    /// Read the [`Decision`] by its tokens (`outcome`, and each action's
    /// `action`, `who` and `deadline`), never by its words, and treat an
    /// outcome or action a program does not know as needing a person to
    /// look, never as permission:
    ///
    /// ```
    /// use safeguard_engine::{Criterion, Engine, Outcome, Request};
    ///
    /// let engine = Engine::from_preset("hilldene-primary")?;
    /// let request = Request::from_json(r#"{"domain": "sexting", "incident_date": "2025-01-20",
    ///     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
    ///     "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#, None)?;
    /// let decision = engine.evaluate(&request)?;
    ///
    /// assert_eq!(decision.outcome, Outcome::ReferImmediately);
    /// assert_eq!(decision.criteria.as_deref(), Some(&[Criterion::CoercionBlackmailOrGrooming][..]));
    /// assert_eq!(decision.actions[0].action.as_str(), "report_to_dsl");
    /// for step in decision.actions.iter() {
    ///     println!("{} {} {}", step.action.as_str(), step.who.as_str(), step.deadline.as_str());
    /// }
    /// // Why: each reason is a rule of the policy, with its citation.
    /// assert!(decision.reasons.iter().all(|reason| !reason.rule.is_empty()));
    /// // Which rules were in force: the policy's id, version and digest.
    /// assert_eq!(decision.policy, *engine.policy_ref());
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn evaluate(&self, request: &Request) -> Result<Decision> {
        if let Some(asked) = request.policy() {
            if asked != &*self.inner.reference.id {
                return Err(Error::PolicyMismatch {
                    at: Location::path("$.policy"),
                    message: format!(
                        "the request names a policy other than the one the engine holds (`{}`)",
                        self.inner.reference.id
                    ),
                });
            }
        }
        match request {
            Request::Sexting(r) => {
                r.validate()?;
                Ok(sexting::decide(
                    &self.inner.sexting,
                    &self.inner.escalation,
                    &self.inner.reference,
                    &self.inner.engine_version,
                    r,
                ))
            }
            Request::Devices(r) => {
                r.validate()?;
                devices::decide(
                    &self.inner.devices,
                    &self.inner.reference,
                    &self.inner.engine_version,
                    r,
                )
            }
            Request::Images(r) => {
                r.validate()?;
                Ok(images::decide::decide(
                    &self.inner.images,
                    &self.inner.reference,
                    &self.inner.engine_version,
                    r,
                ))
            }
            Request::Gallery(r) => images::decide::decide_gallery(
                &self.inner.images,
                &self.inner.reference,
                &self.inner.engine_version,
                r,
            ),
            Request::Escalation(r) => {
                r.validate()?;
                Ok(escalation::decide(
                    &self.inner.escalation,
                    &self.inner.reference,
                    &self.inner.engine_version,
                    r,
                ))
            }
        }
    }

    /// Decides a JSON request and returns the response JSON, byte for byte
    /// what the CLI, C, Python and JavaScript give for it. A request that
    /// cannot be decided is an [`Error`] with a code and a JSON path.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("hilldene-primary")?;
    /// let error = engine
    ///     .evaluate_json(r#"{"domain": "sexting", "incident_date": "2025-02-30",
    ///         "young_people": [{"id": "a", "age": 15, "role": "subject"}],
    ///         "facts": {"adult_involved": "no"}}"#)
    ///     .unwrap_err();
    /// assert_eq!(error.code(), "invalid_date");
    /// assert_eq!(error.path(), Some("$.incident_date"));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn evaluate_json(&self, text: &str) -> Result<String> {
        let request = Request::from_json(text, None)?;
        Ok(self.evaluate(&request)?.to_json())
    }

    /// As [`Engine::evaluate_json`], for a request given as bytes (as read
    /// from a file or a socket): bytes that are not UTF-8 are
    /// [`Error::InvalidUtf8`].
    pub fn evaluate_json_bytes(&self, bytes: &[u8]) -> Result<String> {
        self.evaluate_json(crate::wire::input::utf8(bytes, "request")?)
    }

    /// Decides many JSON requests, one result per request, in order: a
    /// request that cannot be decided fails alone.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("baseline")?;
    /// let results = engine.evaluate_many([
    ///     r#"{"domain": "escalation", "category": "cyberbullying",
    ///         "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#,
    ///     r#"{"domain": "escalation", "colour": "red"}"#,
    /// ]);
    /// match &results[0] {
    ///     Ok(response) => assert!(response.contains(r#""outcome":"notify""#)),
    ///     Err(error) => panic!("refused: {}", error.code()),
    /// }
    /// assert_eq!(results[1].as_ref().map_err(|e| e.code()), Err("unknown_field"));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn evaluate_many<'a, I>(&self, requests: I) -> Vec<Result<String>>
    where
        I: IntoIterator<Item = &'a str>,
    {
        requests
            .into_iter()
            .map(|text| self.evaluate_json(text))
            .collect()
    }
}

/// The `unknown_policy` error (the id asked for is not quoted).
fn unknown_policy() -> Error {
    Error::UnknownPolicy {
        at: Location::path("$.policy"),
    }
}

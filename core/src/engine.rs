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
    /// The engine of a built-in preset (parsed once, then shared).
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
    pub fn presets() -> &'static [&'static str] {
        &presets::IDS
    }

    /// Loads a policy written in TOML.
    pub fn from_toml(text: &str) -> Result<Engine> {
        Self::from_text(text, Format::Toml)
    }

    /// Loads a policy written in JSON.
    pub fn from_json(text: &str) -> Result<Engine> {
        Self::from_text(text, Format::Json)
    }

    /// Loads a policy in either format. A document with `extends` builds on
    /// that preset; every policy is checked against the baseline's floor.
    /// A document may carry the id of a built-in policy only when it is
    /// that policy (a preset written out and read back in): a school's own
    /// policy cannot be reported as the baseline or another school's.
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

    /// Decides a typed request.
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

    /// Decides a JSON request and returns the response JSON.
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

    /// Decides many JSON requests, one result per request, in order.
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

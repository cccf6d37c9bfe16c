//! The same rules in Cedar (issue 8): the devices table and the images rules
//! of [`PRESET`], written as Cedar schemas, policies and entities in
//! `benches/cedar/`, and the mapping between the two engines' answers.
//!
//! The files are generated from the resolved preset by the functions here
//! (one Cedar policy per safeguard rule, the rule id in `@id`), and a test
//! fails when they drift: `UPDATE_CEDAR=1 cargo test -p safeguard-benches
//! --features cedar` rewrites them. The bench loads the files as data.
//! `requests.json` holds the bench's requests as both engines take them
//! ([`requests_fixture`]), for the same comparison from Python against
//! cedarpy (`bindings/python/bench.py`) and from JavaScript against
//! cedar-wasm (`bindings/js/bench/cedar.mjs`).
//!
//! # Devices
//!
//! principal `Person` (role, year group, works directly with children), one
//! Cedar action per device action, resource `Device` (kind, owner), context
//! the place, the period (as resolved) and the flags. A rule that *allows*
//! becomes a `permit`, a *forbid* a `forbid`, with the same matchers; Cedar
//! denies by default and a forbid overrides every permit, as in safeguard.
//! A fact the request leaves out is an absent optional attribute: a permit
//! needs it (`context has period && ...`), a forbid applies unless it is
//! known not to match (`if context has period then ... else true`), which is
//! safeguard's "a forbid that may match denies; an unknown never allows".
//!
//! A floor exception (`effect = "except"`) wins over every forbid: it is a
//! `permit` (annotated `@exception`), and every `forbid` carries `unless`
//! with the exceptions' matchers, which need their facts known (an
//! exception that may match lifts nothing). Where an exception decides,
//! the answer is its own: its rules and conditions only.
//!
//! Outcomes: `allow` and `allow_with_conditions` are Cedar `Allow`; `deny`
//! (a forbid, or no rule: `devices.not_covered`) is `Deny`. Each permit
//! carries its rule's conditions in `@conditions`, so the conditions of
//! `allow_with_conditions` are those of the determining policies
//! (`Response::diagnostics().reason()`), as safeguard accumulates those of
//! every matching allow, less what the request's recorded permission
//! already meets ([`CedarDevices::answer_for`]). One difference: where a
//! permit only *may* apply (a fact it needs is left out) while another
//! applies, safeguard adds the first one's conditions too and names the
//! fact among `unknowns` (SPEC §1.1: a fact left out never drops a
//! condition); Cedar cannot make one permit's conditions depend on
//! another's applying, so there its conditions are a subset of safeguard's
//! (the agreement test checks that much).
//!
//! # Images
//!
//! One image needs several Cedar authorizations: `publish` (principal
//! `Image`: is the channel covered, does anything block the whole image),
//! `appear` once per pupil (principal `Pupil`: consent, restriction, leaver,
//! individual permission), `exclude_from_group` when a pupil is ruled out
//! (may the group photo go out without them) and `publish_unchanged` (a
//! `forbid` per change: geodata, dress not confirmed, names). A consent
//! answer or a restriction the request leaves out is an absent attribute:
//! only a recorded `yes` is consent, and an unrecorded restriction rules
//! the pupil out (`restriction_unknown`), as in safeguard. A denied
//! `publish` with no determining forbid is a channel no consent rule
//! covers (`images.not_covered`): the image-wide forbids apply only on
//! covered channels, so that Cedar names the same reason.
//!
//! [`CedarImages::decide`] combines the answers into safeguard's: the
//! outcome, the changes (`exclude_pupil:<id>` for each pupil ruled out of a
//! group photo, then the `@change` of each determining forbid of
//! `publish_unchanged`) and what is blocked (the `@block` and `@rule` of
//! each determining forbid, per pupil or for the whole image). The
//! agreement test checks all three on the bench's stream of varied images
//! (`requests::images_cases`) and 1,000 more.
//!
//! Name matching has no Cedar equivalent: whether the caption, credits,
//! file name or tags name a depicted pupil in full, and whether they name
//! one without `name_with_image` consent, is precomputed as booleans on the
//! `Image` entity, which favours Cedar.

use crate::requests::{DevicesCase, ImagesCase, PRESET};
use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, EntityUid, PolicyId, PolicySet,
    Request as CedarRequest, Response, Schema, ValidationMode, Validator,
};
use safeguard_engine::devices::{
    ActorRole, DeviceAction, DeviceKind, DeviceRule, Effect, Exception, Location, Owner,
    PermissionFrom,
};
use safeguard_engine::images::{
    Channel, Check, ImageRule, LeaverAction, NameLimit, Purpose, Restriction,
};
use safeguard_engine::Condition;
use safeguard_engine::Period;
use safeguard_engine::{Decision, Engine, Outcome};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::str::FromStr;

/// Where the Cedar files live.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/cedar");

/// The files of the encoding, and the requests the Python and JavaScript
/// comparisons time (`requests.json`), each generated by [`generated`].
pub const FILES: [&str; 7] = [
    "devices.cedarschema",
    "devices.cedar",
    "devices.entities.json",
    "images.cedarschema",
    "images.cedar",
    "images_30.entities.json",
    "requests.json",
];

/// Reads one of [`FILES`].
pub fn read(name: &str) -> String {
    let path = format!("{DIR}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of each of [`FILES`], generated from the preset.
pub fn generated() -> Vec<(&'static str, String)> {
    let engine = Engine::from_preset(PRESET).expect("the preset loads");
    let policy = engine.policy();
    let pretty = |v: Value| serde_json::to_string_pretty(&v).expect("json") + "\n";
    vec![
        (FILES[0], devices_schema()),
        (FILES[1], devices_policies(&policy.devices.rules)),
        (FILES[2], pretty(devices_entities())),
        (FILES[3], images_schema()),
        (FILES[4], images_policies(&policy.images.rules)),
        (
            FILES[5],
            pretty(images_entities(&crate::requests::images_30())),
        ),
        (FILES[6], requests_fixture(&policy.devices.rules)),
    ]
}

/// The requests the `cedar` bench times, as both engines take them, for
/// the same comparison from Python (`bindings/python/bench.py`, against
/// cedarpy) and JavaScript (`bindings/js/bench/cedar.mjs`, against
/// cedar-wasm), so that neither needs Rust or a second copy of the
/// generator: the devices set ([`crate::DEVICES_SET`] requests, seed
/// [`crate::DEVICES_SEED`]), one to a line, each as safeguard's request
/// (`safeguard`), as the Cedar request [`CedarDevices::request`] builds
/// (`cedar`: principal, action and resource as Cedar's JSON entity
/// references, and the context) and with the conditions its recorded
/// permission already meets (`met`, which [`CedarDevices::answer_for`]
/// drops from Cedar's static `@conditions`); and the 30-pupil image as
/// safeguard's request (`images_30`; its Cedar entities are
/// `images_30.entities.json`).
pub fn requests_fixture(rules: &[DeviceRule]) -> String {
    let cases = crate::requests::devices_cases(rules, crate::DEVICES_SET, crate::DEVICES_SEED);
    let reference =
        |uid: EntityUid| json!({ "type": uid.type_name().to_string(), "id": uid.id().unescaped() });
    let lines: Vec<String> = cases
        .iter()
        .map(|c| {
            json!({
                "safeguard": c.to_json(),
                "cedar": {
                    "principal": reference(principal(c)),
                    "action": reference(action(c.action.as_str())),
                    "resource": reference(resource(c)),
                    "context": c.context_json(),
                },
                "met": conditions_met(c),
            })
            .to_string()
        })
        .collect();
    let image = crate::requests::images_30().to_json();
    format!(
        "{{\n\"devices\": [\n{}\n],\n\"images_30\": {}\n}}\n",
        lines.join(",\n"),
        image
    )
}

const HEADER: &str =
    "// Generated from safeguard's `hilldene-primary` preset by benches/src/cedar.rs;\n\
// regenerate with `UPDATE_CEDAR=1 cargo test -p safeguard-benches --features cedar`.\n";

fn quoted<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items
        .into_iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    items.join(", ")
}

/// `expr` is one of `values` (a single value is an equality).
fn one_of(expr: &str, values: &[&str]) -> String {
    match values {
        [one] => format!("{expr} == \"{one}\""),
        _ => format!("[{}].contains({expr})", quoted(values)),
    }
}

/// The distinct tokens of `items`, or `None` when they cover all of `all`
/// (or are empty): the rule does not care.
fn restricted<T: Copy + PartialEq>(
    items: &[T],
    all: &[T],
    token: fn(T) -> &'static str,
) -> Option<Vec<&'static str>> {
    let mut distinct: Vec<T> = Vec::new();
    for &t in items {
        if !distinct.contains(&t) {
            distinct.push(t);
        }
    }
    if distinct.is_empty() || all.iter().all(|a| distinct.contains(a)) {
        None
    } else {
        Some(distinct.into_iter().map(token).collect())
    }
}

/// A test on an optional attribute `on.name`: a permit needs the attribute
/// present and matching; a forbid holds unless it is present and does not.
fn optional(effect: Effect, on: &str, name: &str, test: &str) -> String {
    match effect {
        Effect::Allow | Effect::Except => format!("{on} has {name} && {test}"),
        Effect::Forbid => format!("(if {on} has {name} then {test} else true)"),
    }
}

// ---------------------------------------------------------------------------
// Devices: text
// ---------------------------------------------------------------------------

/// The Cedar schema of the devices encoding.
pub fn devices_schema() -> String {
    let actions = quoted(DeviceAction::ALL.iter().map(|a| a.as_str()));
    format!(
        "{HEADER}
// The person who wants to use the device. Optional attributes are facts a
// request may leave out (unknown).
entity Person = {{
  \"role\": String,
  \"year_group\"?: Long,
  \"works_directly_with_children\"?: Bool
}};

entity Device = {{
  \"kind\": String,
  \"owner\": String
}};

// Where, when (the period as resolved) and under what circumstances.
type DevicesContext = {{
  \"location\": String,
  \"period\"?: String,
  \"children_present\"?: Bool,
  \"emergency\"?: Bool,
  \"permission_from\"?: String,
  \"parental_request\"?: Bool,
  \"subjects_consent\"?: Bool,
  \"school_device_available\"?: Bool,
  \"exception\"?: String
}};

action {actions} appliesTo {{
  principal: [Person],
  resource: [Device],
  context: DevicesContext
}};
"
    )
}

/// One Cedar policy per device rule, in policy order.
pub fn devices_policies(rules: &[DeviceRule]) -> String {
    let mut out = String::from(HEADER);
    out.push_str(
        "//
// Each safeguard rule is one policy with the same matchers: `allow` is a
// permit, `forbid` a forbid. Cedar denies what no permit allows and a forbid
// overrides every permit, as safeguard does. A fact the request leaves out
// is an absent attribute: a permit needs it, a forbid applies unless it is
// known not to match. `@conditions` lists what must hold when the permit
// decides (safeguard's `allow_with_conditions`).
",
    );
    let exceptions: Vec<String> = rules
        .iter()
        .filter(|r| r.effect == Effect::Except)
        .map(|r| {
            let (action, when) = matchers(r, Effect::Allow);
            let all: Vec<String> = action.into_iter().chain(when).collect();
            match all.is_empty() {
                true => "true".to_string(),
                false => format!("({})", all.join(" && ")),
            }
        })
        .collect();
    for rule in rules {
        out.push('\n');
        out.push_str(&device_policy(rule, &exceptions));
    }
    out
}

/// A rule's Cedar policy; a forbid is lifted where an exception matches.
fn device_policy(r: &DeviceRule, exceptions: &[String]) -> String {
    let (action, when) = matchers(r, r.effect);
    let mut p = String::new();
    let _ = writeln!(p, "// {}", r.summary);
    let _ = writeln!(p, "@id(\"{}\")", r.id);
    if r.effect == Effect::Except {
        let _ = writeln!(p, "@exception(\"floor\")");
    }
    if !r.conditions.is_empty() {
        let c: Vec<&str> = r.conditions.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(p, "@conditions(\"{}\")", c.join(","));
    }
    let verb = match r.effect {
        Effect::Allow | Effect::Except => "permit",
        Effect::Forbid => "forbid",
    };
    let scope_action = action.as_deref().unwrap_or("action");
    let _ = write!(
        p,
        "{verb} (\n  principal is Person,\n  {scope_action},\n  resource is Device\n)"
    );
    if !when.is_empty() {
        let _ = write!(p, "\nwhen {{\n  {}\n}}", when.join(" &&\n  "));
    }
    if r.effect == Effect::Forbid && !exceptions.is_empty() {
        let _ = write!(p, "\nunless {{\n  {}\n}}", exceptions.join(" ||\n  "));
    }
    p.push_str(";\n");
    p
}

/// A rule's action test (`None` for any action) and its other matchers,
/// with optional facts read the way `e` needs them.
fn matchers(r: &DeviceRule, e: Effect) -> (Option<String>, Vec<String>) {
    let mut when: Vec<String> = Vec::new();
    let roles = crate::requests::roles_of(r);
    if roles.len() < ActorRole::ALL.len() {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        when.push(one_of("principal.role", &names));
    }
    if let Some([lo, hi]) = r.year_groups {
        if roles != [ActorRole::Pupil] {
            when.push("principal.role == \"pupil\"".into());
        }
        let test = format!("principal.year_group >= {lo} && principal.year_group <= {hi}");
        when.push(optional(e, "principal", "year_group", &test));
    }
    if let Some(w) = r.works_directly_with_children {
        let test = format!("principal.works_directly_with_children == {w}");
        when.push(optional(
            e,
            "principal",
            "works_directly_with_children",
            &test,
        ));
    }
    if let Some(kinds) = restricted(&r.devices, DeviceKind::ALL, DeviceKind::as_str) {
        when.push(one_of("resource.kind", &kinds));
    }
    if let Some(owner) = r.owner {
        when.push(format!("resource.owner == \"{owner}\""));
    }
    if let Some(places) = restricted(&r.locations, Location::ALL, Location::as_str) {
        when.push(one_of("context.location", &places));
    }
    let optional_values = [
        (
            "period",
            restricted(&r.periods, Period::ALL, Period::as_str),
        ),
        (
            "permission_from",
            restricted(
                &r.permission_from,
                PermissionFrom::ALL,
                PermissionFrom::as_str,
            ),
        ),
        (
            "exception",
            restricted(&r.exception, Exception::ALL, Exception::as_str),
        ),
    ];
    for (name, values) in optional_values {
        if let Some(values) = values {
            let test = one_of(&format!("context.{name}"), &values);
            when.push(optional(e, "context", name, &test));
        }
    }
    let flags = [
        ("children_present", r.children_present),
        ("emergency", r.emergency),
        ("parental_request", r.parental_request),
        ("subjects_consent", r.subjects_consent),
        ("school_device_available", r.school_device_available),
    ];
    for (name, wanted) in flags {
        if let Some(w) = wanted {
            let test = format!("context.{name} == {w}");
            when.push(optional(e, "context", name, &test));
        }
    }
    let action = match restricted(&r.actions, DeviceAction::ALL, DeviceAction::as_str) {
        None => None,
        Some(a) if a.len() == 1 => Some(format!("action == Action::\"{}\"", a[0])),
        Some(a) => {
            let list: Vec<String> = a.iter().map(|x| format!("Action::\"{x}\"")).collect();
            Some(format!("action in [{}]", list.join(", ")))
        }
    };
    (action, when)
}

/// The Cedar id of the person a case describes: role, year group (or `?`)
/// and works-directly-with-children (or `?`).
pub fn person_id(role: ActorRole, year_group: Option<u8>, wdc: Option<bool>) -> String {
    let y = year_group.map_or("?".to_string(), |y| y.to_string());
    let w = wdc.map_or("?".to_string(), |w| w.to_string());
    format!("{role}/y{y}/wdc{w}")
}

/// Every person and device a devices request can name.
pub fn devices_entities() -> Value {
    let mut out = Vec::new();
    for &role in ActorRole::ALL {
        let years: Vec<Option<u8>> = if role == ActorRole::Pupil {
            std::iter::once(None)
                .chain((0..=safeguard_engine::devices::MAX_YEAR_GROUP).map(Some))
                .collect()
        } else {
            vec![None]
        };
        for y in years {
            for w in [None, Some(true), Some(false)] {
                let mut attrs = json!({ "role": role.as_str() });
                if let Some(y) = y {
                    attrs["year_group"] = json!(y);
                }
                if let Some(w) = w {
                    attrs["works_directly_with_children"] = json!(w);
                }
                out.push(
                    json!({ "uid": { "type": "Person", "id": person_id(role, y, w) },
                                 "attrs": attrs, "parents": [] }),
                );
            }
        }
    }
    for &kind in DeviceKind::ALL {
        for &owner in Owner::ALL {
            out.push(
                json!({ "uid": { "type": "Device", "id": format!("{kind}/{owner}") },
                             "attrs": { "kind": kind.as_str(), "owner": owner.as_str() },
                             "parents": [] }),
            );
        }
    }
    Value::Array(out)
}

/// The conditions the permission a case records already meets
/// ([`Condition::met_by`]): safeguard does not list them as still to hold.
fn conditions_met(c: &DevicesCase) -> BTreeSet<&'static str> {
    Condition::ALL
        .iter()
        .filter(|x| x.met_by(c.permission_from))
        .map(|x| x.as_str())
        .collect()
}

/// The Cedar principal of a devices case: one of [`devices_entities`].
fn principal(c: &DevicesCase) -> EntityUid {
    uid(
        "Person",
        &person_id(c.role, c.year_group, c.works_directly_with_children),
    )
}

/// The Cedar resource of a devices case: one of [`devices_entities`].
fn resource(c: &DevicesCase) -> EntityUid {
    uid("Device", &format!("{}/{}", c.kind, c.owner))
}

// ---------------------------------------------------------------------------
// Devices: evaluation and mapping
// ---------------------------------------------------------------------------

/// An answer reduced to what both engines can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicesAnswer {
    pub allow: bool,
    /// The rules that decided (empty: nothing covers the request).
    pub rules: BTreeSet<String>,
    /// What must hold (`allow_with_conditions`).
    pub conditions: BTreeSet<String>,
}

impl DevicesAnswer {
    /// safeguard's decision, mapped: `allow` and `allow_with_conditions`
    /// allow; `devices.not_covered` is no rule.
    pub fn from_safeguard(d: &Decision) -> DevicesAnswer {
        DevicesAnswer {
            allow: matches!(d.outcome, Outcome::Allow | Outcome::AllowWithConditions),
            rules: d
                .reasons
                .iter()
                .map(|r| r.rule.to_string())
                .filter(|r| r != safeguard_engine::devices::NOT_COVERED)
                .collect(),
            conditions: d
                .conditions
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
        }
    }
}

/// Parses a policy file, renames each policy to its `@id` and validates the
/// set against the schema (strict mode).
fn load_policies(text: &str, schema: &Schema) -> PolicySet {
    let parsed = PolicySet::from_str(text).unwrap_or_else(|e| panic!("Cedar policies: {e:?}"));
    let mut set = PolicySet::new();
    for p in parsed.policies() {
        let id = p.annotation("id").expect("every policy has an @id");
        set.add(p.new_id(PolicyId::new(id)))
            .unwrap_or_else(|e| panic!("policy {id}: {e}"));
    }
    let result = Validator::new(schema.clone()).validate(&set, ValidationMode::Strict);
    assert!(
        result.validation_passed(),
        "the Cedar policies do not validate: {result}"
    );
    set
}

fn schema(text: &str) -> Schema {
    Schema::from_cedarschema_str(text)
        .unwrap_or_else(|e| panic!("Cedar schema: {e:?}"))
        .0
}

fn action(name: &str) -> EntityUid {
    EntityUid::from_str(&format!("Action::\"{name}\"")).expect("an action uid")
}

fn uid(kind: &str, id: &str) -> EntityUid {
    EntityUid::from_str(&format!("{kind}::{}", json!(id))).expect("an entity uid")
}

/// The devices encoding, loaded: schema, policies and entities, ready for
/// [`Authorizer::is_authorized`].
pub struct CedarDevices {
    pub authorizer: Authorizer,
    pub schema: Schema,
    pub policies: PolicySet,
    pub entities: Entities,
    conditions: HashMap<String, Vec<String>>,
    /// The floor exceptions' policy ids.
    exceptions: BTreeSet<String>,
}

impl CedarDevices {
    /// Loads `benches/cedar/devices.*`.
    pub fn load() -> CedarDevices {
        let schema = schema(&read("devices.cedarschema"));
        let policies = load_policies(&read("devices.cedar"), &schema);
        let entities = Entities::from_json_str(&read("devices.entities.json"), Some(&schema))
            .unwrap_or_else(|e| panic!("devices entities: {e:?}"));
        let conditions = policies
            .policies()
            .filter_map(|p| {
                p.annotation("conditions")
                    .map(|c| (p.id().to_string(), c.split(',').map(String::from).collect()))
            })
            .collect();
        let exceptions = policies
            .policies()
            .filter(|p| p.annotation("exception").is_some())
            .map(|p| p.id().to_string())
            .collect();
        CedarDevices {
            authorizer: Authorizer::new(),
            schema,
            policies,
            entities,
            conditions,
            exceptions,
        }
    }

    /// The Cedar request for a case (validated against the schema).
    pub fn request(&self, c: &DevicesCase) -> CedarRequest {
        let act = action(c.action.as_str());
        let context =
            Context::from_json_value(Value::Object(c.context_json()), Some((&self.schema, &act)))
                .unwrap_or_else(|e| panic!("context: {e:?}"));
        CedarRequest::new(principal(c), act, resource(c), context, Some(&self.schema))
            .unwrap_or_else(|e| panic!("request: {e:?}"))
    }

    pub fn is_authorized(&self, request: &CedarRequest) -> Response {
        self.authorizer
            .is_authorized(request, &self.policies, &self.entities)
    }

    /// Cedar's response, mapped: the determining policies are the rules;
    /// the conditions are those of the determining permits.
    pub fn answer(&self, response: &Response) -> DevicesAnswer {
        assert!(
            response.diagnostics().errors().next().is_none(),
            "a policy errored: {:?}",
            response.diagnostics().errors().collect::<Vec<_>>()
        );
        let allow = response.decision() == CedarDecision::Allow;
        let mut rules: BTreeSet<String> = response
            .diagnostics()
            .reason()
            .map(|id| id.to_string())
            .collect();
        // Where a floor exception decides, the answer is its own.
        if rules.iter().any(|r| self.exceptions.contains(r)) {
            rules.retain(|r| self.exceptions.contains(r));
        }
        let conditions = if allow {
            rules
                .iter()
                .flat_map(|r| self.conditions.get(r).into_iter().flatten().cloned())
                .collect()
        } else {
            BTreeSet::new()
        };
        DevicesAnswer {
            allow,
            rules,
            conditions,
        }
    }
}

impl CedarDevices {
    /// [`CedarDevices::answer`], less the conditions the case's recorded
    /// permission already meets (Cedar's annotations are static).
    pub fn answer_for(&self, case: &DevicesCase, response: &Response) -> DevicesAnswer {
        let mut a = self.answer(response);
        let met = conditions_met(case);
        a.conditions.retain(|c| !met.contains(c.as_str()));
        a
    }
}

// ---------------------------------------------------------------------------
// Images: text
// ---------------------------------------------------------------------------

/// The Cedar schema of the images encoding.
pub fn images_schema() -> String {
    let consent: Vec<String> = Purpose::ALL
        .iter()
        .map(|p| format!("    \"{p}\"?: String"))
        .collect();
    format!(
        "{HEADER}
entity Channel;

// A pupil depicted, with the consent on record per purpose (`yes`, `no`,
// `not_asked`, `withdrawn`; absent: not recorded, which is not consent) and
// any restriction (`none` if there is none; absent: not recorded, which
// rules the pupil out until someone records it).
entity Pupil = {{
  \"on_roll\": Bool,
  \"restriction\"?: String,
  \"consent\": {{
{}
  }}
}};

// The image. The `*_in_full` booleans say whether that text names a depicted
// pupil in full, the `*_without_consent` ones whether it names one who has
// not agreed to being named with their picture: safeguard finds names
// itself; Cedar cannot, so they are precomputed by the caller.
entity Image = {{
  \"composition\": String,
  \"captured_on\": String,
  \"suitably_dressed\"?: Bool,
  \"has_geodata\"?: Bool,
  \"caption_names_in_full\": Bool,
  \"credits_name_in_full\": Bool,
  \"file_name_names_in_full\": Bool,
  \"tags_name_in_full\": Bool,
  \"caption_names_without_consent\": Bool,
  \"credits_name_without_consent\": Bool,
  \"file_name_names_without_consent\": Bool,
  \"tags_name_without_consent\": Bool
}};

// May this pupil appear in the image on this channel?
action \"appear\" appliesTo {{
  principal: [Pupil],
  resource: [Channel],
  context: {{ \"individual\": Bool }}
}};

// May the image go out on this channel at all; may it go out without the
// pupils ruled out; may it go out unchanged?
action \"publish\", \"exclude_from_group\", \"publish_unchanged\" appliesTo {{
  principal: [Image],
  resource: [Channel]
}};
",
        consent.join(",\n")
    )
}

/// The channel test of a rule, if it does not apply everywhere.
fn channels_test(r: &ImageRule) -> Option<String> {
    channel_among(&r.channels)
}

/// `resource` is one of `channels`, if they are not every channel.
fn channel_among(channels: &[Channel]) -> Option<String> {
    let values = restricted(channels, Channel::ALL, Channel::as_str)?;
    Some(match values.as_slice() {
        [one] => format!("resource == Channel::\"{one}\""),
        _ => {
            let list: Vec<String> = values.iter().map(|c| format!("Channel::\"{c}\"")).collect();
            format!("[{}].contains(resource)", list.join(", "))
        }
    })
}

/// One Cedar policy: `notes` are annotations after `@id` and `@rule`.
#[allow(clippy::too_many_arguments)]
fn image_policy(
    out: &mut String,
    r: &ImageRule,
    part: &str,
    notes: &[(&str, String)],
    verb: &str,
    principal: &str,
    act: &str,
    mut when: Vec<String>,
) {
    if let Some(c) = channels_test(r) {
        when.insert(0, c);
    }
    let _ = writeln!(out, "\n// {}", r.summary);
    let _ = writeln!(out, "@id(\"{}#{part}\")", r.id);
    let _ = writeln!(out, "@rule(\"{}\")", r.id);
    for (k, v) in notes {
        let _ = writeln!(out, "@{k}(\"{v}\")");
    }
    let _ = write!(
        out,
        "{verb} (\n  principal is {principal},\n  action == Action::\"{act}\",\n  resource is Channel\n)"
    );
    if !when.is_empty() {
        let _ = write!(out, "\nwhen {{\n  {}\n}}", when.join(" &&\n  "));
    }
    out.push_str(";\n");
}

/// Whether the pupil's consent for `purpose` is on record as `yes` (an
/// answer left out is not consent).
fn consent_is_yes(purpose: impl std::fmt::Display) -> String {
    format!("(principal.consent has {purpose} && principal.consent.{purpose} == \"yes\")")
}

/// The images rules as Cedar policies, in policy order.
pub fn images_policies(rules: &[ImageRule]) -> String {
    // The channels some consent rule covers: an image-wide block applies
    // only there (elsewhere the channel itself blocks the image, and the
    // answer says so: `publish` denied with no determining policy).
    let covered: Vec<Channel> = Channel::ALL
        .iter()
        .copied()
        .filter(|&c| {
            rules
                .iter()
                .any(|r| r.check == Check::Consent && r.applies_to(c))
        })
        .collect();
    let on_covered_channel = || channel_among(&covered).into_iter();
    let mut out = String::from(HEADER);
    out.push_str(
        "//
// Policy ids are `<safeguard rule id>#<part>`; `@rule` names the rule. A
// denied `publish` blocks the image (`@block`, or, with no determining
// policy, no consent rule covers the channel); a denied `appear` rules the
// pupil out (`@block`); a denied `publish_unchanged` lists the changes
// (`@change`) of its determining forbids.

// Nothing blocks an image from going out unchanged unless a forbid says so.
@id(\"publish_unchanged#base\")
permit (
  principal is Image,
  action == Action::\"publish_unchanged\",
  resource is Channel
);
",
    );
    for r in rules {
        let change = |t: &str| [("change", t.to_string())];
        let first_names_only = |r: &ImageRule| {
            assert_eq!(
                r.limit,
                Some(NameLimit::FirstNamesOnly),
                "{}: the Cedar encoding handles `first_names_only` name limits",
                r.id
            );
        };
        match r.check {
            Check::Consent => {
                image_policy(
                    &mut out,
                    r,
                    "covers",
                    &[],
                    "permit",
                    "Image",
                    "publish",
                    vec![],
                );
                image_policy(
                    &mut out,
                    r,
                    "appear",
                    &[],
                    "permit",
                    "Pupil",
                    "appear",
                    vec![],
                );
                if let Some(p) = r.purpose {
                    image_policy(
                        &mut out,
                        r,
                        "no_consent",
                        &[("block", format!("no_consent:{p}"))],
                        "forbid",
                        "Pupil",
                        "appear",
                        vec![format!("!{}", consent_is_yes(p))],
                    );
                }
            }
            Check::Restriction => {
                image_policy(
                    &mut out,
                    r,
                    "restricted",
                    &[("block", "restricted".into())],
                    "forbid",
                    "Pupil",
                    "appear",
                    vec![
                        "principal has restriction".into(),
                        format!("principal.restriction != \"{}\"", Restriction::None),
                    ],
                );
                image_policy(
                    &mut out,
                    r,
                    "restriction_unknown",
                    &[("block", "restriction_unknown".into())],
                    "forbid",
                    "Pupil",
                    "appear",
                    vec!["!(principal has restriction)".into()],
                );
            }
            Check::Leaver => {
                assert_eq!(
                    r.leaver,
                    Some(LeaverAction::Block),
                    "{}: the Cedar encoding handles leavers blocked, not deleted",
                    r.id
                );
                image_policy(
                    &mut out,
                    r,
                    "left_school",
                    &[("block", "left_school".into())],
                    "forbid",
                    "Pupil",
                    "appear",
                    vec!["!principal.on_roll".into()],
                );
            }
            Check::IndividualPermission => image_policy(
                &mut out,
                r,
                "individual_permission_needed",
                &[("block", "individual_permission_needed".into())],
                "forbid",
                "Pupil",
                "appear",
                vec![
                    "context.individual".into(),
                    format!("!{}", consent_is_yes(Purpose::IndividualUse)),
                ],
            ),
            Check::ExcludeFromGroup => image_policy(
                &mut out,
                r,
                "exclude",
                &[],
                "permit",
                "Image",
                "exclude_from_group",
                vec!["principal.composition == \"group\"".into()],
            ),
            Check::PersonalDevice => image_policy(
                &mut out,
                r,
                "personal_device",
                &[("block", "personal_device".into())],
                "forbid",
                "Image",
                "publish",
                on_covered_channel()
                    .chain(["principal.captured_on == \"personal_device\"".into()])
                    .collect(),
            ),
            Check::SuitablyDressed => {
                image_policy(
                    &mut out,
                    r,
                    "not_suitably_dressed",
                    &[("block", "not_suitably_dressed".into())],
                    "forbid",
                    "Image",
                    "publish",
                    on_covered_channel()
                        .chain([
                            "principal has suitably_dressed".into(),
                            "!principal.suitably_dressed".into(),
                        ])
                        .collect(),
                );
                image_policy(
                    &mut out,
                    r,
                    "confirm_suitably_dressed",
                    &change("confirm_suitably_dressed"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["!(principal has suitably_dressed)".into()],
                );
            }
            Check::Geodata => image_policy(
                &mut out,
                r,
                "strip_geodata",
                &change("strip_geodata"),
                "forbid",
                "Image",
                "publish_unchanged",
                vec![optional(
                    Effect::Forbid,
                    "principal",
                    "has_geodata",
                    "principal.has_geodata",
                )],
            ),
            Check::CaptionNames => {
                first_names_only(r);
                image_policy(
                    &mut out,
                    r,
                    "caption",
                    &change("caption_first_names_only"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["principal.caption_names_in_full".into()],
                );
            }
            Check::CreditNames => {
                first_names_only(r);
                image_policy(
                    &mut out,
                    r,
                    "credits",
                    &change("remove_full_names_from_credits"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["principal.credits_name_in_full".into()],
                );
            }
            Check::FileNames => {
                first_names_only(r);
                image_policy(
                    &mut out,
                    r,
                    "file_name",
                    &change("rename_file"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["principal.file_name_names_in_full".into()],
                );
            }
            Check::TagNames => {
                first_names_only(r);
                image_policy(
                    &mut out,
                    r,
                    "tags",
                    &change("rename_file"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["principal.tags_name_in_full".into()],
                );
            }
            Check::NameWithImage => {
                image_policy(
                    &mut out,
                    r,
                    "text",
                    &change("remove_names"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["(principal.caption_names_without_consent || principal.credits_name_without_consent)".into()],
                );
                image_policy(
                    &mut out,
                    r,
                    "file",
                    &change("rename_file"),
                    "forbid",
                    "Image",
                    "publish_unchanged",
                    vec!["(principal.file_name_names_without_consent || principal.tags_name_without_consent)".into()],
                );
            }
        }
    }
    out
}

/// The entities of one image: its pupils, the image and every channel.
pub fn images_entities(c: &ImagesCase) -> Value {
    let mut out: Vec<Value> = c
        .pupils
        .iter()
        .map(|p| {
            // An answer or a restriction the request leaves out is an
            // absent attribute.
            let consent: serde_json::Map<String, Value> = Purpose::ALL
                .iter()
                .filter_map(|&purpose| {
                    let recorded = p.recorded(purpose)?;
                    Some((purpose.as_str().to_string(), json!(recorded.as_str())))
                })
                .collect();
            let mut attrs = serde_json::Map::new();
            attrs.insert("on_roll".into(), json!(p.on_roll));
            if let Some(r) = p.restriction {
                attrs.insert("restriction".into(), json!(r.as_str()));
            }
            attrs.insert("consent".into(), Value::Object(consent));
            json!({ "uid": { "type": "Pupil", "id": p.id }, "attrs": attrs, "parents": [] })
        })
        .collect();
    let mut image = json!({
        "composition": c.composition.as_str(),
        "captured_on": c.captured_on.as_str(),
        "caption_names_in_full": c.named_in_full.caption,
        "credits_name_in_full": c.named_in_full.credits,
        "file_name_names_in_full": c.named_in_full.file_name,
        "tags_name_in_full": c.named_in_full.tags,
        "caption_names_without_consent": c.named_without_consent.caption,
        "credits_name_without_consent": c.named_without_consent.credits,
        "file_name_names_without_consent": c.named_without_consent.file_name,
        "tags_name_without_consent": c.named_without_consent.tags,
    });
    if let Some(d) = c.suitably_dressed {
        image["suitably_dressed"] = json!(d);
    }
    if let Some(g) = c.has_geodata {
        image["has_geodata"] = json!(g);
    }
    out.push(json!({ "uid": { "type": "Image", "id": "image" }, "attrs": image, "parents": [] }));
    for ch in Channel::ALL {
        out.push(
            json!({ "uid": { "type": "Channel", "id": ch.as_str() }, "attrs": {}, "parents": [] }),
        );
    }
    Value::Array(out)
}

// ---------------------------------------------------------------------------
// Images: evaluation and mapping
// ---------------------------------------------------------------------------

/// One entry of an images answer's `blocked`: the pupil ruled out (`None`:
/// the whole image), the reason token (`no_consent:website`, `restricted`,
/// `personal_device`, `not_covered`, ...) and the rule.
pub type BlockedEntry = (Option<String>, String, String);

/// An images answer reduced to what both engines can say: the outcome, the
/// changes (as a set; `exclude_pupil:<id>` included) and what is blocked
/// (as a set: safeguard's `blocked`, less the consent each `no_consent`
/// records, which Cedar's answer does not carry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagesAnswer {
    pub outcome: Outcome,
    pub changes: BTreeSet<String>,
    pub blocked: BTreeSet<BlockedEntry>,
}

impl ImagesAnswer {
    /// safeguard's decision, reduced.
    pub fn from_safeguard(d: &Decision) -> ImagesAnswer {
        ImagesAnswer {
            outcome: d.outcome,
            changes: d.changes.iter().map(|c| c.to_string()).collect(),
            blocked: d
                .blocked
                .iter()
                .flatten()
                .map(|b| {
                    (
                        b.pupil.as_ref().map(|p| p.to_string()),
                        b.reason.to_string(),
                        b.rule.to_string(),
                    )
                })
                .collect(),
        }
    }
}

/// One image's Cedar requests and entities, built before any timing.
pub struct CedarImage {
    pub entities: Entities,
    pub publish: CedarRequest,
    /// One per pupil: the pupil's id and the `appear` request.
    pub appear: Vec<(String, CedarRequest)>,
    pub exclude: CedarRequest,
    pub unchanged: CedarRequest,
}

/// The images encoding, loaded.
pub struct CedarImages {
    pub authorizer: Authorizer,
    pub schema: Schema,
    pub policies: PolicySet,
    /// Policy id → the change it asks for (`@change`).
    changes: HashMap<String, String>,
    /// Policy id → what it blocks for (`@block`) and its rule (`@rule`).
    blocks: HashMap<String, (String, String)>,
}

impl CedarImages {
    /// Loads `benches/cedar/images.*`.
    pub fn load() -> CedarImages {
        let schema = schema(&read("images.cedarschema"));
        let policies = load_policies(&read("images.cedar"), &schema);
        let changes = policies
            .policies()
            .filter_map(|p| {
                p.annotation("change")
                    .map(|c| (p.id().to_string(), c.to_string()))
            })
            .collect();
        let blocks = policies
            .policies()
            .filter_map(|p| {
                let block = p.annotation("block")?;
                let rule = p.annotation("rule").expect("every policy has a @rule");
                Some((p.id().to_string(), (block.to_string(), rule.to_string())))
            })
            .collect();
        CedarImages {
            authorizer: Authorizer::new(),
            schema,
            policies,
            changes,
            blocks,
        }
    }

    /// The requests and entities for one image, from `entities` (the JSON
    /// of [`images_entities`]).
    pub fn prepare(&self, c: &ImagesCase, entities: &Value) -> CedarImage {
        let entities = Entities::from_json_value(entities.clone(), Some(&self.schema))
            .unwrap_or_else(|e| panic!("images entities: {e:?}"));
        let channel = uid("Channel", c.channel.as_str());
        let image = uid("Image", "image");
        let request = |principal: EntityUid, act: &str, context: Value| {
            let act = action(act);
            let context = Context::from_json_value(context, Some((&self.schema, &act)))
                .unwrap_or_else(|e| panic!("context: {e:?}"));
            CedarRequest::new(principal, act, channel.clone(), context, Some(&self.schema))
                .unwrap_or_else(|e| panic!("request: {e:?}"))
        };
        let individual = json!({
            "individual": c.composition == safeguard_engine::images::Composition::Individual
        });
        CedarImage {
            entities,
            publish: request(image.clone(), "publish", json!({})),
            appear: c
                .pupils
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        request(uid("Pupil", &p.id), "appear", individual.clone()),
                    )
                })
                .collect(),
            exclude: request(image.clone(), "exclude_from_group", json!({})),
            unchanged: request(image, "publish_unchanged", json!({})),
        }
    }

    fn allowed(&self, request: &CedarRequest, entities: &Entities) -> Response {
        let response = self
            .authorizer
            .is_authorized(request, &self.policies, entities);
        debug_assert!(
            response.diagnostics().errors().next().is_none(),
            "a policy errored: {:?}",
            response.diagnostics().errors().collect::<Vec<_>>()
        );
        response
    }

    /// Adds what the determining policies of a denied `response` block,
    /// for `pupil` (`None`: the whole image); false if none blocks.
    fn add_blocks(
        &self,
        response: &Response,
        pupil: Option<&str>,
        blocked: &mut BTreeSet<BlockedEntry>,
    ) -> bool {
        let mut any = false;
        for id in response.diagnostics().reason() {
            if let Some((block, rule)) = self.blocks.get(AsRef::<str>::as_ref(id)) {
                blocked.insert((pupil.map(String::from), block.clone(), rule.clone()));
                any = true;
            }
        }
        any
    }

    /// The image's answer from Cedar: every authorization it needs, then the
    /// combination safeguard makes in one pass. Like safeguard, it asks
    /// about every pupil even when the image is blocked as a whole (the
    /// answer lists each pupil ruled out), but stops at a channel no rule
    /// covers; unlike safeguard, it skips the names and geodata of an image
    /// already blocked (their changes would not be shown).
    pub fn decide(&self, img: &CedarImage) -> ImagesAnswer {
        let e = &img.entities;
        let mut blocked = BTreeSet::new();
        let publish = self.allowed(&img.publish, e);
        let image_blocked = publish.decision() == CedarDecision::Deny;
        if image_blocked && !self.add_blocks(&publish, None, &mut blocked) {
            // Denied with no forbid: no consent rule covers the channel.
            blocked.insert((
                None,
                "not_covered".into(),
                safeguard_engine::images::decide::NOT_COVERED.into(),
            ));
            return ImagesAnswer {
                outcome: Outcome::Block,
                changes: BTreeSet::new(),
                blocked,
            };
        }
        let mut changes = BTreeSet::new();
        let mut ruled_out = 0;
        for (id, request) in &img.appear {
            let appear = self.allowed(request, e);
            if appear.decision() == CedarDecision::Deny {
                ruled_out += 1;
                self.add_blocks(&appear, Some(id), &mut blocked);
                changes.insert(format!("exclude_pupil:{id}"));
            }
        }
        if image_blocked
            || ruled_out > 0
                && (ruled_out == img.appear.len()
                    || self.allowed(&img.exclude, e).decision() == CedarDecision::Deny)
        {
            return ImagesAnswer {
                outcome: Outcome::Block,
                changes: BTreeSet::new(),
                blocked,
            };
        }
        let unchanged = self.allowed(&img.unchanged, e);
        if unchanged.decision() == CedarDecision::Deny {
            for id in unchanged.diagnostics().reason() {
                if let Some(c) = self.changes.get(AsRef::<str>::as_ref(id)) {
                    changes.insert(c.clone());
                }
            }
        }
        ImagesAnswer {
            outcome: if changes.is_empty() {
                Outcome::Publish
            } else {
                Outcome::PublishWithChanges
            },
            changes,
            blocked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::{devices_cases, images_30, images_cases};

    /// The files in benches/cedar/ are what the generator makes of the
    /// preset today (`UPDATE_CEDAR=1` rewrites them).
    #[test]
    fn cedar_files_match_the_preset() {
        let update = std::env::var_os("UPDATE_CEDAR").is_some();
        for (name, text) in generated() {
            let path = format!("{DIR}/{name}");
            if update {
                std::fs::create_dir_all(DIR).unwrap();
                std::fs::write(&path, &text).unwrap();
            } else {
                let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(
                    on_disk == text,
                    "{path} is out of date: run UPDATE_CEDAR=1 cargo test -p safeguard-benches --features cedar"
                );
            }
        }
    }

    /// Every devices request of the bench set and 4,000 more: Cedar allows
    /// exactly what safeguard allows (with or without conditions), names the
    /// same deciding rules and the same conditions.
    #[test]
    fn devices_verdicts_agree() {
        let engine = Engine::from_preset(PRESET).unwrap();
        let cedar = CedarDevices::load();
        let rules = &engine.policy().devices.rules;
        let cases = devices_cases(rules, crate::DEVICES_SET, crate::DEVICES_SEED)
            .into_iter()
            .chain(devices_cases(rules, 4000, 1));
        let (mut allow, mut conditional, mut forbidden, mut uncovered) = (0, 0, 0, 0);
        let mut may_add = 0;
        for case in cases {
            let d = engine.evaluate(&case.request()).unwrap();
            let ours = DevicesAnswer::from_safeguard(&d);
            let theirs = cedar.answer_for(&case, &cedar.is_authorized(&cedar.request(&case)));
            assert_eq!(ours.allow, theirs.allow, "verdict differs for {case:?}");
            if ours.allow && !d.unknowns.is_empty() {
                // A permit that only may apply adds its conditions (and
                // its rule) to safeguard's allow; Cedar cannot make one
                // permit's conditions depend on another's applying, so its
                // answer has the applying permits' part of them.
                assert!(
                    theirs.conditions.is_subset(&ours.conditions),
                    "{case:?}: {ours:?} {theirs:?}"
                );
                assert!(
                    theirs.rules.is_subset(&ours.rules),
                    "{case:?}: {ours:?} {theirs:?}"
                );
                may_add += 1;
                continue;
            }
            assert_eq!(ours.conditions, theirs.conditions, "{case:?}");
            // Cedar reports every forbid that may apply; safeguard reports
            // only the definite ones when there is one (and then names, as
            // unknowns, only what could lift it: an exception's facts).
            let definite = d.outcome == Outcome::Deny
                && ours.rules.iter().any(|r| {
                    let rule = rules.iter().find(|x| &x.id == r);
                    rule.is_some_and(|x| !x.floor || x.effect == Effect::Forbid)
                })
                && d.unknowns.iter().all(|u| {
                    u.as_ref() == "context.exception" || u.as_ref() == "context.emergency"
                });
            if d.unknowns.is_empty() || definite {
                assert!(
                    ours.rules.is_subset(&theirs.rules),
                    "{case:?}: {ours:?} {theirs:?}"
                );
            } else {
                assert_eq!(ours.rules, theirs.rules, "{case:?}");
            }
            match d.outcome {
                Outcome::Allow => allow += 1,
                Outcome::AllowWithConditions => conditional += 1,
                _ if ours.rules.is_empty() => uncovered += 1,
                _ => forbidden += 1,
            }
        }
        println!("devices: allow {allow}, allow_with_conditions {conditional}, denied by a forbid {forbidden}, not covered {uncovered}, allows with conditions of a permit that may apply {may_add}");
        // The generated set exercises every kind of answer.
        assert!(allow > 100 && conditional > 100 && forbidden > 500 && uncovered > 500,
            "allow {allow}, conditional {conditional}, forbidden {forbidden}, uncovered {uncovered}");
    }

    /// The 30-pupil image of the bench, the bench's stream and 1,000 more
    /// generated images: the same outcome, the same changes and the same
    /// pupils (or whole image) blocked, for the same reasons and rules.
    #[test]
    fn images_verdicts_agree() {
        let engine = Engine::from_preset(PRESET).unwrap();
        let cedar = CedarImages::load();
        let bench = images_30();
        let img = cedar.prepare(&bench, &serde_json::from_str(&read(FILES[5])).unwrap());
        let ours = ImagesAnswer::from_safeguard(&engine.evaluate(&bench.request()).unwrap());
        assert_eq!(ours, cedar.decide(&img));
        assert_eq!(ours.outcome, Outcome::PublishWithChanges);
        assert_eq!(ours.blocked.len(), 3, "{ours:?}");
        let mut outcomes = std::collections::BTreeMap::new();
        let mut changes = std::collections::BTreeMap::new();
        let mut blocks = std::collections::BTreeMap::new();
        let mut sizes = BTreeSet::new();
        let cases = images_cases(crate::IMAGES_STREAM, crate::IMAGES_SEED)
            .into_iter()
            .chain(images_cases(1000, 2));
        for case in cases {
            let d = engine.evaluate(&case.request()).unwrap();
            let ours = ImagesAnswer::from_safeguard(&d);
            let theirs = cedar.decide(&cedar.prepare(&case, &images_entities(&case)));
            assert_eq!(ours, theirs, "{}", case.to_json());
            *outcomes.entry(d.outcome.as_str()).or_insert(0) += 1;
            for c in &ours.changes {
                let kind = c.split(':').next().unwrap_or_default().to_string();
                *changes.entry(kind).or_insert(0) += 1;
            }
            for (_, reason, _) in &ours.blocked {
                *blocks.entry(reason.clone()).or_insert(0) += 1;
            }
            sizes.insert(case.pupils.len());
        }
        println!("images outcomes: {outcomes:?}\nchanges: {changes:?}\nblocked: {blocks:?}");
        // Every outcome, change and reason to block comes up, on rosters
        // of every size.
        assert!(
            outcomes.len() == 3 && outcomes.values().all(|&n| n > 50),
            "{outcomes:?}"
        );
        let often = |seen: &std::collections::BTreeMap<String, usize>, wanted: &[&str]| {
            for w in wanted {
                assert!(seen.get(*w).is_some_and(|&n| n > 5), "{w}: {seen:?}");
            }
        };
        let kinds = [
            "exclude_pupil",
            "confirm_suitably_dressed",
            "strip_geodata",
            "caption_first_names_only",
            "remove_full_names_from_credits",
            "remove_names",
            "rename_file",
        ];
        often(&changes, &kinds);
        let reasons = [
            "not_covered",
            "personal_device",
            "not_suitably_dressed",
            "restricted",
            "restriction_unknown",
            "left_school",
            "individual_permission_needed",
        ];
        often(&blocks, &reasons);
        assert!(
            blocks
                .keys()
                .filter(|b| b.starts_with("no_consent:"))
                .count()
                >= 3,
            "{blocks:?}"
        );
        assert_eq!(
            sizes,
            (1..=crate::requests::MAX_PUPILS).collect(),
            "roster sizes"
        );
    }

    /// The stream leaves answers out (consents, restrictions) and Cedar
    /// sees them as absent attributes, not as values filled in for it; no
    /// two images in a row show the same pupils (so safeguard's name index
    /// kept for the last roster never serves the next, as BENCHMARKS.md
    /// says).
    #[test]
    fn images_stream_leaves_facts_out() {
        let cases = images_cases(crate::IMAGES_STREAM, crate::IMAGES_SEED);
        let names = |c: &crate::requests::ImagesCase| -> Vec<(String, String)> {
            let pupils = c.pupils.iter();
            pupils
                .map(|p| (p.first_name.clone(), p.last_name.clone()))
                .collect()
        };
        for pair in cases.windows(2) {
            assert_ne!(names(&pair[0]), names(&pair[1]));
        }
        let pupils = || cases.iter().flat_map(|c| &c.pupils);
        assert!(pupils().any(|p| p.restriction.is_none()));
        assert!(pupils().any(|p| p.consent.iter().any(Option::is_none)));
        let case = cases
            .iter()
            .find(|c| c.pupils.iter().any(|p| p.restriction.is_none()))
            .unwrap();
        let entities = images_entities(case);
        let pupil = case
            .pupils
            .iter()
            .find(|p| p.restriction.is_none())
            .unwrap();
        let entity = entities
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"]["id"] == json!(pupil.id))
            .unwrap();
        assert!(entity["attrs"].get("restriction").is_none(), "{entity}");
    }
}

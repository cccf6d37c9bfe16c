//! The devices section of a policy: its rules, each allowing, forbidding or
//! (floor rules only) excepting what it matches, and whether a staff breach
//! carries disciplinary action.

use super::vocab::*;
use crate::civil::Period;
use crate::vocab::{Cite, Condition, OnBreach};
use serde::{Deserialize, Serialize};

/// One device rule of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRule {
    /// The rule's id, as reasons name it (e.g.
    /// `devices.floor.no_devices_in_toilets`).
    pub id: String,
    /// A floor rule of the national baseline: no school policy may drop or
    /// weaken it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    /// Whether the rule allows, forbids or (floor rules only) excepts what it
    /// matches.
    pub effect: Effect,
    /// Roles or groups (`staff`, `adults`, `anyone`); empty means anyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleMatch>,
    /// Inclusive range of pupils' year groups, e.g. `[5, 6]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_groups: Option<[u8; 2]>,
    /// Matches only actors who do (`true`) or do not (`false`) work directly
    /// with children; omitted means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works_directly_with_children: Option<bool>,
    /// Device kinds; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceKind>,
    /// Matches only devices of this owner (`personal` or `school`); omitted
    /// means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Actions; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<DeviceAction>,
    /// Locations; empty means anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Periods; empty means at any time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<Period>,
    /// Matches only when children are (`true`) or are not (`false`) present;
    /// omitted means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children_present: Option<bool>,
    /// Matches only in (`true`) or outside (`false`) an emergency; omitted
    /// means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<bool>,
    /// Accepted sources of permission; empty means permission does not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permission_from: Vec<PermissionFrom>,
    /// Matches only when a parent has (`true`) or has not (`false`) asked for
    /// it; omitted means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parental_request: Option<bool>,
    /// Matches only when the people photographed have (`true`) or have not
    /// (`false`) consented; omitted means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects_consent: Option<bool>,
    /// Matches only when a school device is (`true`) or is not (`false`)
    /// available instead; omitted means either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_device_available: Option<bool>,
    /// Exceptions by need; empty means the exception does not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exception: Vec<Exception>,
    /// What must hold (allow rules).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// What happens on a breach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_breach: Vec<OnBreach>,
    /// What the rule says in plain words, as its reason gives it.
    pub summary: String,
    /// Where the policy says so (source and section).
    pub cite: Cite,
}

/// The devices rule table of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesSection {
    /// Ids of inherited rules to drop (never a floor rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// The policy attaches disciplinary action to any breach of it by
    /// staff: every denial of a member of staff (teacher, teaching
    /// assistant, support staff, senior leader, headteacher) by a rule
    /// carries `staff_disciplinary`. A request no rule covers does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_breach_disciplinary: Option<bool>,
    /// Where the policy says so (required with `staff_breach_disciplinary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_breach_cite: Option<Cite>,
    /// The rules, in policy order.
    #[serde(default)]
    pub rules: Vec<DeviceRule>,
}

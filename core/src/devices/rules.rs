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
    pub id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    pub effect: Effect,
    /// Roles or groups (`staff`, `adults`, `anyone`); empty means anyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleMatch>,
    /// Inclusive range of pupils' year groups, e.g. `[5, 6]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_groups: Option<[u8; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works_directly_with_children: Option<bool>,
    /// Device kinds; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceKind>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children_present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<bool>,
    /// Accepted sources of permission; empty means permission does not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permission_from: Vec<PermissionFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parental_request: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects_consent: Option<bool>,
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
    pub summary: String,
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
    #[serde(default)]
    pub rules: Vec<DeviceRule>,
}

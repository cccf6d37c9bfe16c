//! The devices section of a policy: its rules, each allowing, forbidding or
//! (floor rules only) excepting what it matches, and whether a staff breach
//! carries disciplinary action.

use super::vocab::*;
use crate::civil::Period;
use crate::vocab::{Cite, Condition, OnBreach};

crate::wire::json_in::wire_struct! {
    /// One device rule of a policy.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct DeviceRule {
        /// The rule's id, as reasons name it (e.g.
        /// `devices.floor.no_devices_in_toilets`).
        required id: String,
        /// A floor rule of the national baseline: no school policy may drop or
        /// weaken it.
        flag floor: bool,
        /// Whether the rule allows, forbids or (floor rules only) excepts what it
        /// matches.
        required effect: Effect,
        /// Roles or groups (`staff`, `adults`, `anyone`); empty means anyone.
        list roles: Vec<RoleMatch>,
        /// Inclusive range of pupils' year groups, e.g. `[5, 6]`.
        optional year_groups: Option<[u8; 2]>,
        /// Matches only actors who do (`true`) or do not (`false`) work directly
        /// with children; omitted means either.
        optional works_directly_with_children: Option<bool>,
        /// Device kinds; empty means any.
        list devices: Vec<DeviceKind>,
        /// Matches only devices of this owner (`personal` or `school`); omitted
        /// means either.
        optional owner: Option<Owner>,
        /// Actions; empty means any.
        list actions: Vec<DeviceAction>,
        /// Locations; empty means anywhere.
        list locations: Vec<Location>,
        /// Periods; empty means at any time.
        list periods: Vec<Period>,
        /// Matches only when children are (`true`) or are not (`false`) present;
        /// omitted means either.
        optional children_present: Option<bool>,
        /// Matches only in (`true`) or outside (`false`) an emergency; omitted
        /// means either.
        optional emergency: Option<bool>,
        /// Accepted sources of permission; empty means permission does not matter.
        list permission_from: Vec<PermissionFrom>,
        /// Matches only when a parent has (`true`) or has not (`false`) asked for
        /// it; omitted means either.
        optional parental_request: Option<bool>,
        /// Matches only when the people photographed have (`true`) or have not
        /// (`false`) consented; omitted means either.
        optional subjects_consent: Option<bool>,
        /// Matches only when a school device is (`true`) or is not (`false`)
        /// available instead; omitted means either.
        optional school_device_available: Option<bool>,
        /// Exceptions by need; empty means the exception does not matter.
        list exception: Vec<Exception>,
        /// What must hold (allow rules).
        list conditions: Vec<Condition>,
        /// What happens on a breach.
        list on_breach: Vec<OnBreach>,
        /// What the rule says in plain words, as its reason gives it.
        required summary: String,
        /// Where the policy says so (source and section).
        required cite: Cite,
    }
}

crate::wire::json_in::wire_struct! {
    /// The devices rule table of a policy.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct DevicesSection {
        /// Ids of inherited rules to drop (never a floor rule).
        list remove: Vec<String>,
        /// The policy attaches disciplinary action to any breach of it by
        /// staff: every denial of a member of staff (teacher, teaching
        /// assistant, support staff, senior leader, headteacher) by a rule
        /// carries `staff_disciplinary`. A request no rule covers does not.
        optional staff_breach_disciplinary: Option<bool>,
        /// Where the policy says so (required with `staff_breach_disciplinary`).
        optional staff_breach_cite: Option<Cite>,
        /// The rules, in policy order.
        default rules: Vec<DeviceRule>,
    }
}

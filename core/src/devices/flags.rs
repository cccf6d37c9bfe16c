//! The yes/no facts of a devices request, declared once.
//!
//! A device rule may require a yes/no fact of the request: that children
//! are present, that it is an emergency, that a school device is available
//! instead, ... Each such *flag* is used in many places: the request field
//! it is read from, the rule field that requires it, the rule matcher, the
//! floor check, the linter (which walks every combination of flags), the
//! `unknowns` of a decision and the question `safeguard eval --explain`
//! asks when it is left out. Each of those is derived from the one table
//! here, [`FLAGS`], so a new flag is a new entry (with its [`Fact`] bit and
//! the two wire fields that carry it: the request's and the rule's).
//!
//! A set of flags, given or wanted, is [`FlagValues`]: two bit sets in the
//! bits of [`Fact`], so a rule's flags are matched against a request's in
//! two `AND`s, and a flag left out lands in `unknowns` as its own fact.

use super::{DeviceRule, DevicesRequest};

/// A yes/no fact of a devices request that a device rule may require.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The request field, as `unknowns` names it (`context.emergency`); the
    /// part after the dot is the field's name in a request and in a rule.
    pub field: &'static str,
    /// The fact a request that leaves the flag out leaves unknown.
    pub fact: Fact,
    /// The flag as a question, for `safeguard eval --explain` when it is
    /// unknown.
    pub question: &'static str,
    /// The flag as a statement, false then true ("no children are
    /// present", "children are present"): the circumstances of a line of
    /// the lint, the diff and the review in words.
    pub says: [&'static str; 2],
    /// Reads the flag from a request.
    in_request: fn(&DevicesRequest) -> Option<bool>,
    /// Writes the flag into a request.
    set_in_request: fn(&mut DevicesRequest, Option<bool>),
    /// Reads the flag from a rule.
    in_rule: fn(&DeviceRule) -> Option<bool>,
}

/// A [`Flag`] from where a request keeps it (`context.emergency`; a rule
/// keeps it under the same name), its [`Fact`], its question and its two
/// statements (false, true).
macro_rules! flag {
    ($object:ident . $name:ident, $fact:expr, $question:expr, $no:expr, $yes:expr) => {
        Flag {
            field: concat!(stringify!($object), ".", stringify!($name)),
            fact: $fact,
            question: $question,
            says: [$no, $yes],
            in_request: |r| r.$object.$name,
            set_in_request: |r, v| r.$object.$name = v,
            in_rule: |r| r.$name,
        }
    };
}

/// Every flag, in the order the linter walks, describes and reports them.
/// (`unknowns` and the floor check list facts in request order instead,
/// [`Fact::ALL`].)
pub const FLAGS: [Flag; 6] = [
    flag!(
        context.children_present,
        Fact::ChildrenPresent,
        "Are children present?",
        "no children are present",
        "children are present"
    ),
    flag!(
        context.emergency,
        Fact::Emergency,
        "Is this an emergency?",
        "it is not an emergency",
        "it is an emergency"
    ),
    flag!(
        actor.works_directly_with_children,
        Fact::WorksDirectlyWithChildren,
        "Does this person work directly with children?",
        "the person does not work directly with children",
        "the person works directly with children"
    ),
    flag!(
        context.parental_request,
        Fact::ParentalRequest,
        "Have the parents asked for this?",
        "the parents have not asked for it",
        "the parents have asked for it"
    ),
    flag!(
        context.subjects_consent,
        Fact::SubjectsConsent,
        "Have the people photographed consented?",
        "the people photographed have not consented",
        "the people photographed have consented"
    ),
    flag!(
        context.school_device_available,
        Fact::SchoolDeviceAvailable,
        "Is a school device available instead?",
        "no school device is available instead",
        "a school device is available instead"
    ),
];

impl Flag {
    /// The flag of `fact`, if `fact` is a flag.
    pub fn of(fact: Fact) -> Option<&'static Flag> {
        FLAGS.iter().find(|f| f.fact == fact)
    }

    /// The field's name in a request and in a rule (`emergency`).
    pub fn name(&self) -> &'static str {
        match self.field.split_once('.') {
            Some((_, name)) => name,
            None => self.field,
        }
    }

    /// The flag as a statement: [`Flag::says`]'s words for `value`.
    pub fn said(&self, value: bool) -> &'static str {
        self.says[usize::from(value)]
    }

    /// The flag as `r` gives it.
    pub fn given(&self, r: &DevicesRequest) -> Option<bool> {
        (self.in_request)(r)
    }

    /// Gives the flag in `r` (or, with `None`, leaves it out).
    pub fn give(&self, r: &mut DevicesRequest, value: Option<bool>) {
        (self.set_in_request)(r, value)
    }

    /// The flag as `rule` requires it.
    pub fn wanted(&self, rule: &DeviceRule) -> Option<bool> {
        (self.in_rule)(rule)
    }

    /// The flag's bit in [`FlagValues`].
    fn bit(&self) -> u16 {
        self.fact as u16
    }
}

/// Some flags and their values: a request's (the flags it gives) or a
/// rule's (the flags it requires), as bit sets in the bits of [`Fact`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagValues {
    /// The flags given (or required).
    pub given: u16,
    /// Of those, the ones that are yes.
    pub yes: u16,
}

impl FlagValues {
    /// The flags a request gives.
    pub fn of_request(r: &DevicesRequest) -> FlagValues {
        Self::collect(|f| f.given(r))
    }

    /// The flags a rule requires.
    pub fn of_rule(r: &DeviceRule) -> FlagValues {
        Self::collect(|f| f.wanted(r))
    }

    fn collect(value: impl Fn(&Flag) -> Option<bool>) -> FlagValues {
        let mut out = FlagValues::default();
        for flag in &FLAGS {
            out.set(flag, value(flag));
        }
        out
    }

    /// The value of `flag`, `None` when it is not given.
    pub fn get(self, flag: &Flag) -> Option<bool> {
        (self.given & flag.bit() != 0).then_some(self.yes & flag.bit() != 0)
    }

    /// Sets (or, with `None`, clears) the value of `flag`.
    pub fn set(&mut self, flag: &Flag, value: Option<bool>) {
        self.given &= !flag.bit();
        self.yes &= !flag.bit();
        if let Some(v) = value {
            self.given |= flag.bit();
            if v {
                self.yes |= flag.bit();
            }
        }
    }

    /// Writes every flag into `r`.
    pub(crate) fn give_to(self, r: &mut DevicesRequest) {
        for flag in &FLAGS {
            flag.give(r, self.get(flag));
        }
    }

    /// Does a request with these flags contradict one that a rule
    /// `wanted` requires? Only flags both give count.
    pub fn contradicts(self, wanted: FlagValues) -> bool {
        self.given & wanted.given & (self.yes ^ wanted.yes) != 0
    }

    /// The [`Fact`] bits of the flags `wanted` requires that these leave out.
    pub fn left_out(self, wanted: FlagValues) -> u16 {
        wanted.given & !self.given
    }
}

/// The request facts a rule may depend on that a request may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Fact {
    /// The pupil's year group (`actor.year_group`).
    YearGroup = 1 << 0,
    /// Whether the actor works directly with children
    /// (`actor.works_directly_with_children`).
    WorksDirectlyWithChildren = 1 << 1,
    /// The part of the school day (`context.period`, or resolved from
    /// `context.at`).
    Period = 1 << 2,
    /// Whether children are present (`context.children_present`).
    ChildrenPresent = 1 << 3,
    /// Whether it is an emergency (`context.emergency`).
    Emergency = 1 << 4,
    /// Who, if anyone, has given permission (`context.permission_from`).
    PermissionFrom = 1 << 5,
    /// Whether a parent has asked for it (`context.parental_request`).
    ParentalRequest = 1 << 6,
    /// Whether the people photographed have consented
    /// (`context.subjects_consent`).
    SubjectsConsent = 1 << 7,
    /// Whether a school device is available instead
    /// (`context.school_device_available`).
    SchoolDeviceAvailable = 1 << 8,
    /// The pupil's agreed exception by need, if any (`context.exception`).
    Exception = 1 << 9,
}

impl Fact {
    /// Every fact, in bit order.
    pub const ALL: [Fact; 10] = [
        Fact::YearGroup,
        Fact::WorksDirectlyWithChildren,
        Fact::Period,
        Fact::ChildrenPresent,
        Fact::Emergency,
        Fact::PermissionFrom,
        Fact::ParentalRequest,
        Fact::SubjectsConsent,
        Fact::SchoolDeviceAvailable,
        Fact::Exception,
    ];

    /// The request field, as `unknowns` names it.
    pub fn field(self) -> &'static str {
        match self {
            Fact::YearGroup => "actor.year_group",
            Fact::Period => "context.period",
            Fact::PermissionFrom => "context.permission_from",
            Fact::Exception => "context.exception",
            flag => Flag::of(flag).map_or("", |f| f.field),
        }
    }

    /// The fact as a question, for `safeguard eval --explain` when it is
    /// unknown.
    pub fn question(self) -> &'static str {
        match self {
            Fact::YearGroup => "Which year group is the pupil in?",
            Fact::Period => "Which part of the school day is it (or give the date and time)?",
            Fact::PermissionFrom => "Who, if anyone, has given permission?",
            Fact::Exception => {
                "Does the pupil have an agreed exception (medical, SEND adjustment, young carer)?"
            }
            flag => Flag::of(flag).map_or("", |f| f.question),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_is_a_distinct_fact_with_its_own_field() {
        for (i, flag) in FLAGS.iter().enumerate() {
            assert_eq!(flag.fact.field(), flag.field);
            assert_eq!(Flag::of(flag.fact).map(|f| f.field), Some(flag.field));
            assert!(
                flag.field.starts_with("context.") || flag.field.starts_with("actor."),
                "{}",
                flag.field
            );
            assert!(flag.question.ends_with('?'), "{}", flag.question);
            for other in &FLAGS[i + 1..] {
                assert_ne!(flag.fact, other.fact);
                assert_ne!(flag.name(), other.name());
            }
        }
    }

    /// `unknowns` and the floor check walk `Fact::ALL`, not `FLAGS`: a
    /// flag whose fact is missing there would drop out of both silently.
    /// So every flag's fact is in it, and it is the bits in order, each
    /// once.
    #[test]
    fn every_fact_is_listed_once_in_bit_order() {
        for flag in &FLAGS {
            assert!(Fact::ALL.contains(&flag.fact), "{}", flag.field);
        }
        for (i, fact) in Fact::ALL.iter().enumerate() {
            assert_eq!(*fact as u16, 1 << i, "{fact:?}");
        }
    }

    #[test]
    fn values_are_set_read_and_cleared_one_flag_at_a_time() {
        let mut v = FlagValues::default();
        v.set(&FLAGS[0], Some(true));
        v.set(&FLAGS[1], Some(false));
        assert_eq!(v.get(&FLAGS[0]), Some(true));
        assert_eq!(v.get(&FLAGS[1]), Some(false));
        assert_eq!(v.get(&FLAGS[2]), None);
        v.set(&FLAGS[0], None);
        assert_eq!(v.get(&FLAGS[0]), None);
        assert_eq!(v.get(&FLAGS[1]), Some(false));
    }

    #[test]
    fn a_rule_is_contradicted_only_by_a_given_flag_of_the_other_value() {
        let mut wanted = FlagValues::default();
        wanted.set(&FLAGS[0], Some(true));
        wanted.set(&FLAGS[1], Some(false));
        let mut given = FlagValues::default();
        assert!(!given.contradicts(wanted));
        assert_eq!(
            given.left_out(wanted),
            FLAGS[0].fact as u16 | FLAGS[1].fact as u16
        );
        given.set(&FLAGS[0], Some(true));
        given.set(&FLAGS[2], Some(false));
        assert!(!given.contradicts(wanted));
        assert_eq!(given.left_out(wanted), FLAGS[1].fact as u16);
        given.set(&FLAGS[1], Some(true));
        assert!(given.contradicts(wanted));
    }
}

//! The devices vocabulary (spec/vocabulary.md, `devices`).

use crate::vocab::{either_token, tokens, Condition};

tokens! {
    /// Who wants to use the device.
    pub enum ActorRole {
        Pupil = "pupil",
        Teacher = "teacher",
        TeachingAssistant = "teaching_assistant",
        SupportStaff = "support_staff",
        SeniorLeader = "senior_leader",
        Headteacher = "headteacher",
        Volunteer = "volunteer",
        Contractor = "contractor",
        Governor = "governor",
        Visitor = "visitor",
        Parent = "parent",
    }
}

either_token! {
    /// A role a rule may name: one a request gives, or a group of them.
    pub enum RoleMatch {
        /// That role alone.
        Role(ActorRole),
        /// Every role of the group.
        Group(RoleGroup),
    }
}

tokens! {
    /// Groups of roles a rule may name.
    pub enum RoleGroup {
        /// Every employed member of staff: teacher, teaching assistant,
        /// support staff, senior leader, headteacher.
        Staff = "staff",
        /// Every adult: staff, volunteers, contractors, governors, visitors, parents.
        Adults = "adults",
        /// Everyone.
        Anyone = "anyone",
    }
}

impl RoleMatch {
    /// The roles this token stands for, as a bit mask over [`ActorRole::ALL`].
    pub fn mask(self) -> u16 {
        let bit = |r: ActorRole| 1u16 << (r as u16);
        let staff = bit(ActorRole::Teacher)
            | bit(ActorRole::TeachingAssistant)
            | bit(ActorRole::SupportStaff)
            | bit(ActorRole::SeniorLeader)
            | bit(ActorRole::Headteacher);
        let all = (1u16 << ActorRole::ALL.len()) - 1;
        match self {
            RoleMatch::Role(role) => bit(role),
            RoleMatch::Group(RoleGroup::Staff) => staff,
            RoleMatch::Group(RoleGroup::Adults) => all & !bit(ActorRole::Pupil),
            RoleMatch::Group(RoleGroup::Anyone) => all,
        }
    }
}

tokens! {
    /// The kind of device (`device.kind`).
    pub enum DeviceKind {
        MobilePhone = "mobile_phone",
        Camera = "camera",
        Tablet = "tablet",
        Smartwatch = "smartwatch",
    }
}

tokens! {
    /// Whose device it is: the person's own or the school's (`device.owner`).
    pub enum Owner {
        Personal = "personal",
        School = "school",
    }
}

tokens! {
    /// What the person wants to do with the device (`action`).
    pub enum DeviceAction {
        BringOnSite = "bring_on_site",
        KeepOnPerson = "keep_on_person",
        UseCallsMessages = "use_calls_messages",
        CallEmergencyServices = "call_emergency_services",
        TakePhotoVideo = "take_photo_video",
        PhotographPupils = "photograph_pupils",
        ContactPupilsOrParents = "contact_pupils_or_parents",
        BluetoothTransfer = "bluetooth_transfer",
        JoinSchoolWifi = "join_school_wifi",
        AccessNetworkFiles = "access_network_files",
        StorePupilData = "store_pupil_data",
        UseForLearning = "use_for_learning",
    }
}

tokens! {
    /// Where on site, or on which trip, the use would be (`context.location`).
    pub enum Location {
        Classroom = "classroom",
        Toilets = "toilets",
        ChangingRoom = "changing_room",
        SleepArea = "sleep_area",
        StaffRoom = "staff_room",
        Office = "office",
        Reception = "reception",
        Playground = "playground",
        Corridor = "corridor",
        Hall = "hall",
        OffsiteTrip = "offsite_trip",
        ResidentialTrip = "residential_trip",
        ExamRoom = "exam_room",
    }
}

tokens! {
    /// Who, if anyone, has given permission for the use (`context.permission_from`).
    pub enum PermissionFrom {
        None = "none",
        Teacher = "teacher",
        SeniorLeadership = "senior_leadership",
        Headteacher = "headteacher",
    }
}

tokens! {
    /// An agreed exception to the pupils' device rules (`context.exception`).
    pub enum Exception {
        None = "none",
        Medical = "medical",
        SendAdjustment = "send_adjustment",
        YoungCarer = "young_carer",
    }
}

impl Condition {
    /// Whether the permission a request records already meets this
    /// condition: then it is part of the reason, not something that must
    /// still hold.
    pub fn met_by(self, permission: Option<PermissionFrom>) -> bool {
        match self {
            Condition::HeadteacherPermission => permission == Some(PermissionFrom::Headteacher),
            Condition::SltApproval => matches!(
                permission,
                Some(PermissionFrom::SeniorLeadership | PermissionFrom::Headteacher)
            ),
            _ => false,
        }
    }
}

tokens! {
    /// Whether a rule permits or prohibits what it matches, or (floor rules
    /// only) lifts every forbid where it matches.
    pub enum Effect {
        Allow = "allow",
        Forbid = "forbid",
        /// A floor exception: where it matches it wins over every forbid,
        /// the floor's own included. Only a baseline floor rule may be one.
        Except = "except",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule names each role by the token a request gives it, and a
    /// group stands for its roles: staff are within the adults, who are
    /// everyone but pupils.
    #[test]
    fn a_role_match_is_a_role_or_a_group() {
        for (i, &role) in ActorRole::ALL.iter().enumerate() {
            let named = RoleMatch::Role(role);
            assert_eq!(named.as_str(), role.as_str());
            assert_eq!(RoleMatch::ALL[i], named);
            assert_eq!(named.mask(), 1 << i);
        }
        let mask = |g| RoleMatch::Group(g).mask();
        assert_eq!(mask(RoleGroup::Anyone).count_ones(), 11);
        let pupil = RoleMatch::Role(ActorRole::Pupil).mask();
        assert_eq!(mask(RoleGroup::Adults), mask(RoleGroup::Anyone) & !pupil);
        assert_eq!(mask(RoleGroup::Staff) & !mask(RoleGroup::Adults), 0);
        assert_eq!(mask(RoleGroup::Staff).count_ones(), 5);
        assert_eq!(
            RoleMatch::ALL.last(),
            Some(&RoleMatch::Group(RoleGroup::Anyone))
        );
    }
}

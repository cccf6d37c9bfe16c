//! The question model: the decision points where school policies differ,
//! as data.
//!
//! Each [`Question`] is one choice a school's policy makes, with a prompt
//! and help text for the person answering (a DSL or an office worker, not
//! a rule writer), its [`Choice`]s, and which of them is the national
//! default, the one the baseline already makes. Each choice says what it
//! [`Produces`]: baseline rules it drops, rules it adds (written below as
//! the TOML a policy holds, with a placeholder citation that the school's
//! own citation replaces) and the section settings it turns on. The
//! national default produces nothing: the policy extends the baseline and
//! so already says it.
//!
//! The floor is never a question: no choice drops, restates or weakens a
//! floor rule (a test holds every choice to it), and the policy written
//! from any answers is still checked against the floor when it loads.
//!
//! Every question also takes the answer [`CUSTOM`]: the school's rule on
//! that point is not one the model offers, and the answers file carries it
//! in its custom rules instead. The model grows by turning the custom
//! rules schools keep writing into choices.
//!
//! This slice covers the devices domain and part of images (social media,
//! names, records of learning, group photos, photos of one pupil); the
//! rest of images (each channel's consent; leavers, whose rule is on the
//! floor), escalation and sexting come next (issue 24).

use crate::vocab::Domain;

/// The answer every question takes for a rule the model cannot express:
/// the answers file's custom rules say it instead.
pub const CUSTOM: &str = "custom";

/// One decision point of a school's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// Stable id, `<domain>.<name>`, as an answers file names it.
    pub id: &'static str,
    /// The domain whose rules it sets.
    pub domain: Domain,
    /// The question, in plain words.
    pub prompt: &'static str,
    /// Help for the person answering: what national guidance says and
    /// when to choose otherwise.
    pub help: &'static str,
    /// The answers it allows (besides [`CUSTOM`]).
    pub choices: &'static [Choice],
    /// The choice the national baseline makes.
    pub default: &'static str,
    /// For a question whose non-default choices take a range of year
    /// groups (`years = [5, 6]` in the answers file): the question whose
    /// rules those years narrow, which must then be answered with a
    /// choice that produces rules.
    pub narrows: Option<&'static str>,
}

/// One allowed answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Stable id, as an answers file names it.
    pub id: &'static str,
    /// The answer, in plain words.
    pub label: &'static str,
    /// What choosing it produces in the policy.
    pub produces: Produces,
}

/// What a choice adds to, or takes from, the baseline, in its question's
/// domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Produces {
    /// Ids of baseline rules it drops (never a floor rule).
    pub remove: &'static [&'static str],
    /// The rules it adds, as the TOML of its domain's section (`[[rules]]`
    /// entries), each citing
    /// [`PLACEHOLDER_SOURCE`] until the answer's citation replaces it.
    pub rules: &'static str,
    /// Whether it makes every breach by staff carry disciplinary action
    /// (devices only).
    pub staff_breach_disciplinary: bool,
}

/// The source every rule template cites until the school's citation
/// replaces it.
pub const PLACEHOLDER_SOURCE: &str = "the school's policy";

const NOTHING: Produces = produces(&[], "");

/// A choice that drops the baseline rules `remove` and adds `rules`.
const fn produces(remove: &'static [&'static str], rules: &'static str) -> Produces {
    Produces {
        remove,
        rules,
        staff_breach_disciplinary: false,
    }
}

/// The baseline rule a school drops when it lets pupils bring a phone.
const PHONE_FREE_DAY: &str = "devices.pupils.phone_free_school_day";

/// Every question of the model, in the order a person is asked them.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "devices.pupil_phones",
        domain: Domain::Devices,
        prompt: "Where do pupils' own phones go during the school day?",
        help: "National guidance (DfE, January 2026) makes the whole school day phone-free: \
               pupils do not bring, carry or use their own phones or smartwatches, breaks and \
               lunch included. Choose another answer only if your policy lets pupils bring a \
               phone to school, and say what happens to it when they arrive. A pupil's medical \
               or SEND need is always allowed for, whatever you choose.",
        choices: &[
            Choice {
                id: "not_allowed",
                label: "Pupils do not bring phones at all: a phone-free school day",
                produces: NOTHING,
            },
            Choice {
                id: "hand_in_at_gate",
                label: "Pupils may bring a phone, switched off, and hand it in at the gate",
                produces: produces(&[PHONE_FREE_DAY], r#"
[[rules]]
id = "devices.answer.pupil_phones.hand_in_at_gate"
effect = "allow"
roles = ["pupil"]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall", "exam_room", "offsite_trip", "residential_trip"]
conditions = ["switched_off", "hand_in_at_gate"]
summary = "A pupil may bring a phone to school if it is switched off and handed in at the gate on arrival."
cite = { source = "the school's policy", section = "-" }
"#),
            },
            Choice {
                id: "hand_in_to_office",
                label: "Pupils may bring a phone and hand it in to the office on arrival",
                produces: produces(&[PHONE_FREE_DAY], r#"
[[rules]]
id = "devices.answer.pupil_phones.hand_in_to_office"
effect = "allow"
roles = ["pupil"]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall"]
conditions = ["hand_in_to_office"]
summary = "A pupil may bring a phone to school if it is handed in to the office on arrival."
cite = { source = "the school's policy", section = "-" }
"#),
            },
            Choice {
                id: "switched_off_out_of_sight",
                label: "Pupils may keep a phone with them, switched off and out of sight",
                produces: produces(&[PHONE_FREE_DAY], r#"
[[rules]]
id = "devices.answer.pupil_phones.switched_off_out_of_sight"
effect = "allow"
roles = ["pupil"]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site", "keep_on_person"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall", "exam_room"]
conditions = ["switched_off_out_of_sight"]
summary = "A pupil may bring a phone to school and keep it with them, switched off and out of sight."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_allowed",
        narrows: None,
    },
    Question {
        id: "devices.pupil_phone_years",
        domain: Domain::Devices,
        prompt: "Which year groups may bring a phone?",
        help: "Only asked when pupils may bring a phone. Choose some year groups if, for \
               example, only older pupils who walk home alone may bring one; pupils in the \
               other year groups may not, unless an agreed need applies (a medical or SEND \
               need, or a young carer's).",
        choices: &[
            Choice {
                id: "all_years",
                label: "Every year group",
                produces: NOTHING,
            },
            Choice {
                id: "some_years",
                label: "Only the year groups given (the others may not bring a phone)",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.pupil_phone_years.other_years"
effect = "forbid"
roles = ["pupil"]
devices = ["mobile_phone"]
owner = "personal"
exception = ["none"]
summary = "Pupils in the other year groups do not bring, keep or use a phone at school, unless an agreed need (such as a young carer's) applies."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "all_years",
        narrows: Some("devices.pupil_phones"),
    },
    Question {
        id: "devices.staff_breach_disciplinary",
        domain: Domain::Devices,
        prompt: "Does your policy say a breach of its device rules by staff may lead to disciplinary action?",
        help: "National guidance leaves this to the school. If your policy says so, every \
               refusal to a member of staff under your device rules will say that a breach \
               may lead to disciplinary action.",
        choices: &[
            Choice {
                id: "no",
                label: "No, or the policy does not say",
                produces: NOTHING,
            },
            Choice {
                id: "yes",
                label: "Yes",
                produces: Produces {
                    remove: &[],
                    rules: "",
                    staff_breach_disciplinary: true,
                },
            },
        ],
        default: "no",
        narrows: None,
    },
    Question {
        id: "devices.emergency_contact",
        domain: Domain::Devices,
        prompt: "In an emergency, may staff contact a pupil's family from their own phone?",
        help: "Staff never contact pupils or families from their own phones in the normal \
               course of things. Some policies give one exception for an emergency, with the \
               number withheld, when no school phone is to hand. Anyone may always call 999.",
        choices: &[
            Choice {
                id: "no_route",
                label: "No: the school gives no own-phone route",
                produces: NOTHING,
            },
            Choice {
                id: "never",
                label: "No, not even in an emergency",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.emergency_contact.never"
effect = "forbid"
roles = ["staff"]
owner = "personal"
actions = ["contact_pupils_or_parents"]
on_breach = ["staff_disciplinary"]
summary = "Staff never contact pupils or their families from their own phones or devices, in an emergency included; they use a school phone."
cite = { source = "the school's policy", section = "-" }
"#),
            },
            Choice {
                id: "number_withheld",
                label: "Yes, in an emergency with no school phone available, number withheld",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.emergency_contact.number_withheld"
effect = "allow"
roles = ["staff"]
devices = ["mobile_phone"]
owner = "personal"
actions = ["contact_pupils_or_parents", "use_calls_messages"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall", "exam_room", "offsite_trip", "residential_trip"]
emergency = true
school_device_available = false
conditions = ["withhold_caller_id"]
summary = "In an emergency, when no school phone is available, a member of staff may contact a family from their own phone with the number withheld."
cite = { source = "the school's policy", section = "-" }
"#),
            },
            Choice {
                id: "on_trips_number_withheld",
                label: "Yes, on trips only, number withheld and the headteacher told",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.emergency_contact.on_trips_number_withheld"
effect = "allow"
roles = ["staff"]
devices = ["mobile_phone"]
owner = "personal"
actions = ["contact_pupils_or_parents"]
locations = ["offsite_trip", "residential_trip"]
emergency = true
conditions = ["withhold_caller_id", "notify_headteacher"]
summary = "In an emergency on a trip a member of staff may contact a family from their own phone, with the number withheld, and tells the headteacher."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "no_route",
        narrows: None,
    },
    Question {
        id: "devices.parents_filming",
        domain: Domain::Devices,
        prompt: "May parents take photos or film at school events?",
        help: "National guidance asks adults not to use their own phones in front of pupils. \
               Many schools let parents film their own child at a performance or sports day, \
               for their own use only and not shared online. Choose that only if your policy \
               says so.",
        choices: &[
            Choice {
                id: "not_allowed",
                label: "No: parents do not use their phones in front of pupils",
                produces: NOTHING,
            },
            Choice {
                id: "personal_use_only",
                label: "Yes, at school events, for their own use only",
                produces: produces(&[], r#"
[[rules]]
id = "devices.staff.no_personal_phone_use_in_front_of_pupils"
effect = "forbid"
roles = ["staff", "volunteer", "contractor", "governor", "visitor"]
devices = ["mobile_phone", "smartwatch", "tablet", "camera"]
owner = "personal"
actions = ["use_calls_messages", "take_photo_video", "photograph_pupils", "bluetooth_transfer"]
children_present = true
emergency = false
on_breach = ["staff_disciplinary"]
summary = "Adults in school other than parents do not use personal phones or devices in front of pupils, except in an emergency."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "devices.answer.parents_filming.not_outside_events"
effect = "forbid"
roles = ["parent"]
devices = ["mobile_phone", "smartwatch", "tablet", "camera"]
owner = "personal"
actions = ["use_calls_messages", "take_photo_video", "photograph_pupils", "bluetooth_transfer"]
periods = ["lesson", "break", "lunch", "before_school", "after_school", "exam", "non_school_day"]
children_present = true
emergency = false
summary = "Outside school events parents do not use personal phones or devices in front of pupils, except in an emergency."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "devices.answer.parents_filming.personal_use_only"
effect = "allow"
roles = ["parent"]
owner = "personal"
actions = ["take_photo_video", "photograph_pupils"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall", "exam_room", "offsite_trip", "residential_trip"]
periods = ["school_event"]
conditions = ["personal_use_only"]
summary = "Parents may take photos or film at school events for their own use only, not shared online."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_allowed",
        narrows: None,
    },
    Question {
        id: "devices.staff_photos",
        domain: Domain::Devices,
        prompt: "May staff take photos or video on their own phones or devices?",
        help: "Staff never photograph pupils on their own devices: that is national guidance and cannot \
               be changed. National guidance also asks adults not to use their own phones in front of \
               pupils. Some policies go further: staff take no photos or video at all on their own \
               equipment, only on the school's.",
        choices: &[
            Choice {
                id: "not_in_front_of_pupils",
                label: "Not in front of pupils, and never of pupils",
                produces: NOTHING,
            },
            Choice {
                id: "never",
                label: "Never: staff use school equipment for every photo and video",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.staff_photos.never"
effect = "forbid"
roles = ["staff"]
owner = "personal"
actions = ["take_photo_video", "photograph_pupils"]
on_breach = ["staff_disciplinary"]
summary = "Staff take no photos or video on their own phones, cameras or devices; they use the school's equipment."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_in_front_of_pupils",
        narrows: None,
    },
    Question {
        id: "devices.photo_consent",
        domain: Domain::Devices,
        prompt: "Must people agree before they are photographed or filmed on someone's own device?",
        help: "Some policies say nobody takes a photo or video of other people on a personal phone or \
               device without their agreement first, and, where children are present, without the \
               agreement of everyone who may appear in it.",
        choices: &[
            Choice {
                id: "not_stated",
                label: "The policy does not say",
                produces: NOTHING,
            },
            Choice {
                id: "required",
                label: "Yes: the agreement of those in it comes first",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.photo_consent.photographing_pupils"
effect = "forbid"
owner = "personal"
actions = ["photograph_pupils"]
subjects_consent = false
summary = "Nobody photographs or films pupils on a personal device without the prior agreement of those in the picture."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "devices.answer.photo_consent.filming_near_children"
effect = "forbid"
owner = "personal"
actions = ["take_photo_video"]
children_present = true
subjects_consent = false
summary = "Where children are present, nobody takes photos or video on a personal device without the prior agreement of those who may appear in them."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_stated",
        narrows: None,
    },
    Question {
        id: "devices.lessons",
        domain: Domain::Devices,
        prompt: "May anyone use a personal phone or device in lessons or exams?",
        help: "Some policies ban every use of personal phones and devices in lessons and exams, by \
               pupils and adults alike, except in an emergency: young carers and staff away from \
               pupils included, so this overrides those national allowances. Pupils' phones are already covered by \
               your answer on where they go.",
        choices: &[
            Choice {
                id: "not_stated",
                label: "The policy's other rules decide",
                produces: NOTHING,
            },
            Choice {
                id: "never",
                label: "No: no use of personal devices in lessons or exams, except in an emergency",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.lessons.never"
effect = "forbid"
owner = "personal"
actions = ["use_calls_messages", "take_photo_video", "photograph_pupils", "contact_pupils_or_parents", "bluetooth_transfer", "join_school_wifi", "access_network_files", "store_pupil_data", "use_for_learning"]
periods = ["lesson", "exam"]
emergency = false
summary = "Nobody uses a personal phone or device in lessons or exams, except in an emergency."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_stated",
        narrows: None,
    },
    Question {
        id: "devices.bluetooth",
        domain: Domain::Devices,
        prompt: "May Bluetooth or similar be used to send files between personal devices?",
        help: "Some policies say Bluetooth and similar functions stay off, so pictures and files are \
               never sent from one personal device to another in school.",
        choices: &[
            Choice {
                id: "not_stated",
                label: "The policy does not say",
                produces: NOTHING,
            },
            Choice {
                id: "never",
                label: "No: never on personal devices in school",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.bluetooth.never"
effect = "forbid"
owner = "personal"
actions = ["bluetooth_transfer"]
summary = "Bluetooth and similar functions are never used to send pictures or files between personal devices."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_stated",
        narrows: None,
    },
    Question {
        id: "devices.exams",
        domain: Domain::Devices,
        prompt: "Is a pupil's device in an exam reported to the exam board?",
        help: "Exam boards' rules treat a phone or other device in an exam room as possible malpractice. \
               Some policies say any pupil's device found in an exam, or in the exam room, is taken \
               and reported to the exam board, a young carer's included (a medical or SEND need \
               still allows one).",
        choices: &[
            Choice {
                id: "not_stated",
                label: "The policy does not say",
                produces: NOTHING,
            },
            Choice {
                id: "reported",
                label: "Yes: taken, and reported to the exam board",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.exams.during_exams"
effect = "forbid"
roles = ["pupil"]
owner = "personal"
periods = ["exam"]
on_breach = ["report_to_exam_body", "confiscate_to_office", "release_to_parent"]
summary = "A pupil has no personal device during an exam; one found is taken and reported to the exam board."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "devices.answer.exams.in_the_exam_room"
effect = "forbid"
roles = ["pupil"]
owner = "personal"
locations = ["exam_room"]
on_breach = ["report_to_exam_body", "confiscate_to_office", "release_to_parent"]
summary = "A pupil has no personal device in the exam room; one found is taken and reported to the exam board."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_stated",
        narrows: None,
    },
    Question {
        id: "devices.visitor_wifi",
        domain: Domain::Devices,
        prompt: "May visitors be given guest access to the school's wifi?",
        help: "Some policies let short-term visitors have a guest account for the school's wifi.",
        choices: &[
            Choice {
                id: "not_stated",
                label: "The policy does not say",
                produces: NOTHING,
            },
            Choice {
                id: "guest_access",
                label: "Yes: a guest account",
                produces: produces(&[], r#"
[[rules]]
id = "devices.answer.visitor_wifi.guest_access"
effect = "allow"
roles = ["visitor"]
actions = ["join_school_wifi"]
locations = ["classroom", "staff_room", "office", "reception", "playground", "corridor", "hall", "exam_room", "offsite_trip", "residential_trip"]
summary = "A visitor may be given a guest account for the school's wifi."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_stated",
        narrows: None,
    },
    Question {
        id: "images.social_media",
        domain: Domain::Images,
        prompt: "Does the school put photos of pupils on social media?",
        help: "National guidance lets a school post photos of pupils on its social media accounts \
               with parents' consent for that use. If your policy describes no school social media, \
               or says pupils' photos never go there, choose no: nothing is posted until the \
               headteacher decides.",
        choices: &[
            Choice {
                id: "with_consent",
                label: "Yes, with parents' consent for social media",
                produces: NOTHING,
            },
            Choice {
                id: "never",
                label: "No: pupils' photos do not go on social media",
                produces: produces(&["images.consent.social_media"], r#""#),
            },
        ],
        default: "with_consent",
        narrows: None,
    },
    Question {
        id: "images.assessment_consent",
        domain: Domain::Images,
        prompt: "Do photos kept as a record of pupils' learning need parents' consent?",
        help: "National guidance does not ask for express consent for photos kept only as a record \
               of learning. Some policies ask parents' consent for every use of a child's image, \
               this one included, with the consent given for displays in school.",
        choices: &[
            Choice {
                id: "not_needed",
                label: "No express consent is needed",
                produces: NOTHING,
            },
            Choice {
                id: "display_consent",
                label: "Yes: the consent for displays in school",
                produces: produces(&[], r#"
[[rules]]
id = "images.consent.internal_assessment"
check = "consent"
channels = ["internal_assessment"]
purpose = "display"
summary = "Photos kept as a record of learning need the parents' consent for displays in school."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "not_needed",
        narrows: None,
    },
    Question {
        id: "images.names_online",
        domain: Domain::Images,
        prompt: "May a caption or credit published online carry a pupil's first name?",
        help: "National guidance allows a first name, never a full name, and only with consent to \
               being named. Many policies go further: nothing published online names a pupil.",
        choices: &[
            Choice {
                id: "first_names_only",
                label: "A first name at most, with consent to being named",
                produces: NOTHING,
            },
            Choice {
                id: "no_names",
                label: "No: no pupil's name in captions or credits online",
                produces: produces(&[], r#"
[[rules]]
id = "images.answer.names_online.captions"
check = "caption_names"
channels = ["website", "online_prospectus", "social_media"]
limit = "no_names"
summary = "No caption published online names a pupil."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "images.answer.names_online.credits"
check = "credit_names"
channels = ["website", "online_prospectus", "social_media"]
limit = "no_names"
summary = "No credit published online names a pupil."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "first_names_only",
        narrows: None,
    },
    Question {
        id: "images.file_and_tag_names",
        domain: Domain::Images,
        prompt: "May the file name or tags of a published photo carry a pupil's first name?",
        help: "National guidance allows a first name, never a full name, and only with consent to \
               being named. Some policies say no published file name or tag names a pupil at all.",
        choices: &[
            Choice {
                id: "first_names_only",
                label: "A first name at most, with consent to being named",
                produces: NOTHING,
            },
            Choice {
                id: "no_names",
                label: "No: no pupil's name in file names or tags",
                produces: produces(&[], r#"
[[rules]]
id = "images.file_names"
check = "file_names"
channels = ["website", "online_prospectus", "printed_prospectus", "social_media", "newsletter", "press", "external_presentation"]
limit = "no_names"
summary = "No published file name carries a pupil's name."
cite = { source = "the school's policy", section = "-" }

[[rules]]
id = "images.tag_names"
check = "tag_names"
channels = ["website", "online_prospectus", "printed_prospectus", "social_media", "newsletter", "press", "external_presentation"]
limit = "no_names"
summary = "No published image's tags carry a pupil's name."
cite = { source = "the school's policy", section = "-" }
"#),
            },
        ],
        default: "first_names_only",
        narrows: None,
    },
    Question {
        id: "images.group_exclusion",
        domain: Domain::Images,
        prompt: "May a pupil without consent be left out of a group photo, so that the photo can be used?",
        help: "National guidance lets a school use a group photo by leaving out (or blurring) a \
               pupil whose parents have not consented. Choose no if your policy says the photo is \
               not used at all then.",
        choices: &[
            Choice {
                id: "allowed",
                label: "Yes: the pupil is left out and the photo used",
                produces: NOTHING,
            },
            Choice {
                id: "not_allowed",
                label: "No: the photo is not used",
                produces: produces(&["images.exclude_from_group"], r#""#),
            },
        ],
        default: "allowed",
        narrows: None,
    },
    Question {
        id: "images.individual_photos",
        domain: Domain::Images,
        prompt: "Where does a photo of one pupil on their own need separate permission?",
        help: "National guidance asks for separate permission before a photo of one pupil \
               alone is published on the website, in the prospectus, in the press or in a \
               presentation outside school. Some policies ask it for the school's social media too.",
        choices: &[
            Choice {
                id: "publishing_channels",
                label: "The website, prospectus, press and outside presentations",
                produces: NOTHING,
            },
            Choice {
                id: "with_social_media",
                label: "Those, and the school's social media",
                produces: produces(
                    &[],
                    r#"
[[rules]]
id = "images.individual_permission"
check = "individual_permission"
channels = ["website", "online_prospectus", "printed_prospectus", "social_media", "press", "external_presentation"]
summary = "A photo of one pupil on their own is published online, in print, in the press or on social media only with separate permission."
cite = { source = "the school's policy", section = "-" }
"#,
                ),
            },
        ],
        default: "publishing_channels",
        narrows: None,
    },
];

/// The question with this id.
pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

impl Question {
    /// The choice with this id.
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

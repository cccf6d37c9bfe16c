//! Deterministic request generators shared by the `cedar` bench and the
//! agreement tests (`cargo test -p safeguard-benches --features cedar`).
//!
//! Each generated case is plain data; [`crate::cedar`] turns it into Cedar
//! requests and entities, and the methods here turn it into safeguard's JSON
//! and typed requests. Both sides therefore answer exactly the same question.

use safeguard_engine::devices::{
    ActorRole, DeviceAction, DeviceKind, DeviceRule, Exception, Location, Owner, PermissionFrom,
    RoleGroup, RoleMatch,
};
use safeguard_engine::images::{
    CapturedOn, Channel, Composition, ConsentValue, MediaKind, Purpose, Restriction,
};
use safeguard_engine::Period;
use safeguard_engine::Request;
use serde_json::{json, Map, Value};

/// The preset both engines encode: a rich devices table (31 rules once the
/// baseline's floor and kept defaults are inherited) and the images rules the
/// existing `images/*` benches use.
pub const PRESET: &str = "hilldene-primary";

/// A small deterministic generator (SplitMix64): the same seed gives the same
/// requests on every machine, so the bench and the tests share their inputs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One of `items`, or now and then a stray one of `all` (so that rules
    /// also miss).
    fn mostly<T: Copy>(&mut self, items: &[T], all: &[T]) -> T {
        if self.chance(90) {
            self.pick(items)
        } else {
            self.pick(all)
        }
    }

    /// One of `wanted` (most of the time) or of `all`, or nothing.
    fn optional<T: Copy>(&mut self, wanted: &[T], all: &[T]) -> Option<T> {
        if self.chance(15) {
            None
        } else if !wanted.is_empty() && self.chance(70) {
            Some(self.pick(wanted))
        } else {
            Some(self.pick(all))
        }
    }

    /// A flag a rule may test: its wanted value most of the time.
    fn flag(&mut self, wanted: Option<bool>) -> Option<bool> {
        if self.chance(15) {
            None
        } else {
            match wanted {
                Some(w) if self.chance(70) => Some(w),
                _ => Some(self.chance(50)),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Devices
// ---------------------------------------------------------------------------

/// One devices question: "may this person use this device, here and now?".
/// `None` is a fact the request leaves out (unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicesCase {
    pub role: ActorRole,
    pub year_group: Option<u8>,
    pub works_directly_with_children: Option<bool>,
    pub kind: DeviceKind,
    pub owner: Owner,
    pub action: DeviceAction,
    pub location: Location,
    /// The period, as resolved: the generator names it rather than giving
    /// `context.at`, so neither side resolves a clock time.
    pub period: Option<Period>,
    pub children_present: Option<bool>,
    pub emergency: Option<bool>,
    pub permission_from: Option<PermissionFrom>,
    pub parental_request: Option<bool>,
    pub subjects_consent: Option<bool>,
    pub school_device_available: Option<bool>,
    pub exception: Option<Exception>,
}

/// The roles a rule's role list stands for (empty: anyone).
pub fn roles_of(rule: &DeviceRule) -> Vec<ActorRole> {
    let mask = if rule.roles.is_empty() {
        RoleMatch::Group(RoleGroup::Anyone).mask()
    } else {
        rule.roles.iter().fold(0, |m, r| m | r.mask())
    };
    ActorRole::ALL
        .iter()
        .copied()
        .filter(|r| mask & (1 << (*r as u16)) != 0)
        .collect()
}

/// `wanted`, or every value when it names none.
fn or_all<T: Copy>(wanted: Vec<T>, all: &[T]) -> Vec<T> {
    if wanted.is_empty() {
        all.to_vec()
    } else {
        wanted
    }
}

/// `n` devices cases over the vocabulary. Three in four are aimed at one of
/// `rules` (its roles, devices, actions, places and flags, each sometimes
/// broken or left out), so every rule is exercised, matched, missed and made
/// unknown; the rest are drawn from the whole vocabulary (mostly requests no
/// rule covers).
pub fn devices_cases(rules: &[DeviceRule], n: usize, seed: u64) -> Vec<DevicesCase> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let rule = if rng.chance(75) && !rules.is_empty() {
                Some(&rules[rng.below(rules.len())])
            } else {
                None
            };
            let roles = or_all(rule.map(roles_of).unwrap_or_default(), ActorRole::ALL);
            let kinds = or_all(
                rule.map(|r| r.devices.clone()).unwrap_or_default(),
                DeviceKind::ALL,
            );
            let owners = or_all(rule.and_then(|r| r.owner).into_iter().collect(), Owner::ALL);
            let actions = or_all(
                rule.map(|r| r.actions.clone()).unwrap_or_default(),
                DeviceAction::ALL,
            );
            let locations = or_all(
                rule.map(|r| r.locations.clone()).unwrap_or_default(),
                Location::ALL,
            );
            let periods = rule.map(|r| r.periods.clone()).unwrap_or_default();
            let permission = rule.map(|r| r.permission_from.clone()).unwrap_or_default();
            let exception = rule.map(|r| r.exception.clone()).unwrap_or_default();
            let wanted = |f: fn(&DeviceRule) -> Option<bool>| rule.and_then(f);

            let role = rng.mostly(&roles, ActorRole::ALL);
            let kind = rng.mostly(&kinds, DeviceKind::ALL);
            let owner = rng.mostly(&owners, Owner::ALL);
            let action = rng.mostly(&actions, DeviceAction::ALL);
            let location = rng.mostly(&locations, Location::ALL);
            let year_group = if role == ActorRole::Pupil && !rng.chance(10) {
                Some(match rule.and_then(|r| r.year_groups) {
                    Some([lo, hi]) if rng.chance(80) => {
                        lo + rng.below(usize::from(hi - lo) + 1) as u8
                    }
                    _ => rng.below(14) as u8,
                })
            } else {
                None
            };
            let works_directly_with_children = if role == ActorRole::Pupil {
                None
            } else {
                rng.flag(wanted(|r| r.works_directly_with_children))
            };
            DevicesCase {
                role,
                year_group,
                works_directly_with_children,
                kind,
                owner,
                action,
                location,
                period: rng.optional(&periods, Period::ALL),
                children_present: rng.flag(wanted(|r| r.children_present)),
                emergency: rng.flag(wanted(|r| r.emergency)),
                permission_from: rng.optional(&permission, PermissionFrom::ALL),
                parental_request: rng.flag(wanted(|r| r.parental_request)),
                subjects_consent: rng.flag(wanted(|r| r.subjects_consent)),
                school_device_available: rng.flag(wanted(|r| r.school_device_available)),
                exception: rng.optional(&exception, Exception::ALL),
            }
        })
        .collect()
}

impl DevicesCase {
    /// The safeguard wire request (vocabulary: `devices`).
    pub fn to_json(&self) -> Value {
        let mut actor = Map::new();
        actor.insert("role".into(), json!(self.role.as_str()));
        if let Some(y) = self.year_group {
            actor.insert("year_group".into(), json!(y));
        }
        if let Some(w) = self.works_directly_with_children {
            actor.insert("works_directly_with_children".into(), json!(w));
        }
        json!({
            "schema_version": 1, "domain": "devices", "policy": PRESET,
            "actor": actor,
            "device": { "kind": self.kind.as_str(), "owner": self.owner.as_str() },
            "action": self.action.as_str(),
            "context": self.context_json(),
        })
    }

    /// `context` as both engines see it: the location, then every fact the
    /// request gives (left-out facts are absent).
    pub fn context_json(&self) -> Map<String, Value> {
        let mut c = Map::new();
        c.insert("location".into(), json!(self.location.as_str()));
        let strings = [
            ("period", self.period.map(Period::as_str)),
            (
                "permission_from",
                self.permission_from.map(PermissionFrom::as_str),
            ),
            ("exception", self.exception.map(Exception::as_str)),
        ];
        for (name, value) in strings {
            if let Some(v) = value {
                c.insert(name.into(), json!(v));
            }
        }
        let flags = [
            ("children_present", self.children_present),
            ("emergency", self.emergency),
            ("parental_request", self.parental_request),
            ("subjects_consent", self.subjects_consent),
            ("school_device_available", self.school_device_available),
        ];
        for (name, value) in flags {
            if let Some(v) = value {
                c.insert(name.into(), json!(v));
            }
        }
        c
    }

    /// The safeguard typed request.
    pub fn request(&self) -> Request {
        Request::from_json(&self.to_json().to_string(), None).expect("a valid devices request")
    }
}

// ---------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------

/// The names of `images/typed_30_pupils` (benches/benches/images.rs).
pub const FIRST: [&str; 12] = [
    "Amy", "Raj", "Zoë", "Tom", "Leo", "Mia", "Noah", "Isla", "Omar", "Ava", "Ben", "Ella",
];
pub const LAST: [&str; 10] = [
    "Smith",
    "Patel",
    "O'Neil",
    "Brown",
    "Khan",
    "Jones",
    "Smith-Jones",
    "Taylor",
    "Ali",
    "Evans",
];

/// A pupil in an image, with the consent on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilCase {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub on_roll: bool,
    /// Consent per purpose, in the order of [`Purpose::ALL`]; `None` is an
    /// answer the request leaves out (safeguard reads it as `not_asked`).
    pub consent: [Option<ConsentValue>; 7],
    /// `None`: the request leaves the restriction out, which is unknown,
    /// not `none` (the pupil is ruled out as `restriction_unknown`).
    pub restriction: Option<Restriction>,
}

impl PupilCase {
    /// The answer the request gives for `purpose`, if any.
    pub fn recorded(&self, purpose: Purpose) -> Option<ConsentValue> {
        self.consent[Purpose::ALL
            .iter()
            .position(|p| *p == purpose)
            .expect("a purpose")]
    }

    /// The consent for `purpose` as it counts: an answer left out is
    /// `not_asked`.
    pub fn consent(&self, purpose: Purpose) -> ConsentValue {
        self.recorded(purpose).unwrap_or(ConsentValue::NotAsked)
    }

    fn to_json(&self) -> Value {
        let consent: Map<String, Value> = Purpose::ALL
            .iter()
            .zip(self.consent)
            .filter_map(|(p, v)| Some((p.as_str().to_string(), json!(v?.as_str()))))
            .collect();
        let mut p = json!({ "id": self.id, "first_name": self.first_name,
                            "last_name": self.last_name, "on_roll": self.on_roll,
                            "consent": consent });
        if !self.on_roll {
            p["left_on"] = json!("2026-07-20");
        }
        if let Some(r) = self.restriction {
            p["restriction"] = json!(r.as_str());
        }
        p
    }
}

/// Which text fields name a depicted pupil in full (first and last name).
/// safeguard finds this itself (`images::names`); Cedar has no string
/// matching that could, so the Cedar side receives these booleans
/// precomputed, as entity attributes. The generator knows whom it named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NamedInFull {
    pub caption: bool,
    pub credits: bool,
    pub file_name: bool,
    pub tags: bool,
}

/// Which text fields name a depicted pupil who has not agreed to being
/// named with their picture (`name_with_image` other than `yes`):
/// precomputed for Cedar like [`NamedInFull`]. A pupil counts as named when
/// the field carries their first name, or (named in full) their surname.
pub type NamedWithoutConsent = NamedInFull;

/// One images question: "may this photo go out on this channel, and what
/// must change first?".
#[derive(Debug, Clone, PartialEq)]
pub struct ImagesCase {
    pub channel: Channel,
    pub kind: MediaKind,
    pub composition: Composition,
    pub caption: Option<String>,
    pub credits: Option<String>,
    pub file_name: Option<String>,
    pub tags: Vec<String>,
    pub has_geodata: Option<bool>,
    pub captured_on: CapturedOn,
    pub suitably_dressed: Option<bool>,
    pub pupils: Vec<PupilCase>,
    pub named_in_full: NamedInFull,
    pub named_without_consent: NamedWithoutConsent,
}

impl ImagesCase {
    /// The safeguard wire request (vocabulary: `images`).
    pub fn to_json(&self) -> Value {
        let mut media = json!({ "kind": self.kind.as_str(),
                                "composition": self.composition.as_str(),
                                "captured_on": self.captured_on.as_str() });
        if let Some(c) = &self.caption {
            media["caption"] = json!(c);
        }
        if let Some(c) = &self.credits {
            media["credits"] = json!(c);
        }
        if let Some(f) = &self.file_name {
            media["filename"] = json!(f);
        }
        if !self.tags.is_empty() {
            media["tags"] = json!(self.tags);
        }
        if let Some(g) = self.has_geodata {
            media["has_geodata"] = json!(g);
        }
        if let Some(d) = self.suitably_dressed {
            media["suitably_dressed"] = json!(d);
        }
        json!({ "schema_version": 1, "domain": "images", "policy": PRESET,
                "channel": self.channel.as_str(), "media": media,
                "pupils": self.pupils.iter().map(PupilCase::to_json).collect::<Vec<_>>() })
    }

    /// The safeguard typed request.
    pub fn request(&self) -> Request {
        Request::from_json(&self.to_json().to_string(), None).expect("a valid images request")
    }
}

/// Pupil `i` of `images/typed_30_pupils`: display and prospectus consent,
/// website consent except every ninth pupil from the fifth, no social media
/// or press consent, nothing else asked.
fn bench_pupil(i: usize) -> PupilCase {
    use ConsentValue::{NotAsked, Yes};
    let website = if i % 9 == 4 { ConsentValue::No } else { Yes };
    PupilCase {
        id: format!("p{i}"),
        first_name: FIRST[i % FIRST.len()].into(),
        last_name: format!(
            "{}{}",
            LAST[(i / 7) % LAST.len()],
            if i >= 70 { "x" } else { "" }
        ),
        on_roll: true,
        // display, website, prospectus, social_media, press, name_with_image, individual_use
        consent: [
            Some(Yes),
            Some(website),
            Some(Yes),
            Some(ConsentValue::No),
            Some(ConsentValue::No),
            Some(NotAsked),
            Some(NotAsked),
        ],
        restriction: Some(Restriction::None),
    }
}

/// The request of `images/typed_30_pupils` (benches/benches/images.rs): a
/// group photo for the website, 30 pupils of whom three have no website
/// consent, a caption naming pupil p0 ("Amy Smith") in full, geodata.
pub fn images_30() -> ImagesCase {
    ImagesCase {
        channel: Channel::Website,
        kind: MediaKind::Photo,
        composition: Composition::Group,
        caption: Some(format!("Sports day: {} {} and friends", FIRST[0], LAST[0])),
        credits: None,
        file_name: Some("IMG_0000.jpg".into()),
        tags: vec!["sports day".into(), "year 5".into()],
        has_geodata: Some(true),
        captured_on: CapturedOn::SchoolDevice,
        suitably_dressed: Some(true),
        pupils: (0..30).map(bench_pupil).collect(),
        named_in_full: NamedInFull {
            caption: true,
            ..NamedInFull::default()
        },
        // p0 has not been asked about naming.
        named_without_consent: NamedWithoutConsent {
            caption: true,
            ..NamedWithoutConsent::default()
        },
    }
}

/// The most pupils a generated image shows (a class photo).
pub const MAX_PUPILS: usize = 30;

/// First names for generated images: one per pupil of an image, so that a
/// first name alone never doubles as another depicted pupil's. None is an
/// English word or a surname of [`LAST`] (the engine treats names that are
/// also words, like "May", with care of its own).
pub const GIVEN: [&str; MAX_PUPILS] = [
    "Amy", "Raj", "Zoë", "Tom", "Leo", "Mia", "Noah", "Isla", "Omar", "Ava", "Ben", "Ella", "Finn",
    "Yusuf", "Kai", "Freya", "Arjun", "Evie", "Hana", "Luca", "Nia", "Oscar", "Ravi", "Sofia",
    "Theo", "Layla", "Ibrahim", "Maya", "Eli", "Priya",
];

/// The channels most images go to, day to day.
const EVERYDAY: [Channel; 5] = [
    Channel::Website,
    Channel::SocialMedia,
    Channel::LearningPlatform,
    Channel::InternalDisplay,
    Channel::OnlineProspectus,
];

/// `n` images cases over the vocabulary, the stream the `cedar/images/*`
/// benches decide and the agreement test checks:
///
/// - the channel: mostly an everyday one (website, social media, learning
///   platform, displays, online prospectus), else any (some are not covered
///   by the preset);
/// - individual photos (one pupil) and group photos of 2 to [`MAX_PUPILS`];
///   photos and videos;
/// - each pupil's consent per purpose (the channel's, `name_with_image`,
///   `individual_use`, ...): `yes`, `no`, `withdrawn`, `not_asked` or left
///   out, how often not `yes` varying from image to image (a class whose
///   forms came back, or not); restrictions known, unknown (left out) or
///   none; leavers;
/// - a caption naming nobody, one or two depicted pupils, each in full or
///   by first name; credits, file names and tags likewise;
/// - geodata known present, known absent or unknown; dress confirmed, not
///   suitable or unknown; captured on a school or a personal device.
pub fn images_cases(n: usize, seed: u64) -> Vec<ImagesCase> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| images_case(&mut rng)).collect()
}

fn images_case(rng: &mut Rng) -> ImagesCase {
    let composition = if rng.chance(25) {
        Composition::Individual
    } else {
        Composition::Group
    };
    let count = match composition {
        Composition::Individual => 1,
        Composition::Group => 2 + rng.below(MAX_PUPILS - 1),
    };
    // How many answers in a thousand are not a plain `yes` (or `none`)
    // for this image's pupils: from forms all returned to a class where
    // many are missing.
    let stray = rng.pick(&[2, 15, 60, 150]);
    let offset = rng.below(GIVEN.len());
    // Last names without the hyphenated one (whose first part is another
    // surname).
    let surnames: Vec<&str> = LAST.iter().copied().filter(|l| !l.contains('-')).collect();
    let pupils: Vec<PupilCase> = (0..count)
        .map(|k| {
            let mut consent = [Some(ConsentValue::Yes); 7];
            for (c, purpose) in consent.iter_mut().zip(Purpose::ALL) {
                // Naming a child and individual photos are the questions
                // families most often leave unanswered or refuse.
                let stray = match purpose {
                    Purpose::NameWithImage | Purpose::IndividualUse => stray.max(250),
                    _ => stray,
                };
                if rng.below(1000) < stray {
                    *c = rng.pick(&[
                        Some(ConsentValue::No),
                        Some(ConsentValue::NotAsked),
                        Some(ConsentValue::Withdrawn),
                        None,
                    ]);
                }
            }
            let restriction = if rng.below(1000) < stray / 3 {
                rng.pick(&[
                    Some(Restriction::LookedAfter),
                    Some(Restriction::CourtOrder),
                    Some(Restriction::DoNotPhotograph),
                    None,
                ])
            } else {
                Some(Restriction::None)
            };
            PupilCase {
                id: format!("p{k}"),
                first_name: GIVEN[(offset + k) % GIVEN.len()].into(),
                last_name: rng.pick(&surnames).into(),
                on_roll: rng.below(1000) >= stray / 3,
                consent,
                restriction,
            }
        })
        .collect();
    let mut named = NamedInFull::default();
    let mut unconsented = NamedWithoutConsent::default();
    // A field that names `up_to` depicted pupils at most (each in full or
    // by first name), or nobody.
    let text = |rng: &mut Rng,
                (full, without_consent): (&mut bool, &mut bool),
                up_to: usize,
                form: fn(&[String]) -> String,
                plain: &str| {
        let how_many = rng.below(up_to.min(pupils.len()) + 1);
        if how_many == 0 {
            return plain.to_string();
        }
        let first = rng.below(pupils.len());
        let names: Vec<String> = (0..how_many)
            .map(|i| {
                let p = &pupils[(first + i) % pupils.len()];
                let in_full = rng.chance(50);
                *full |= in_full;
                *without_consent |= names_without_consent(&pupils, p, in_full);
                if in_full {
                    format!("{} {}", p.first_name, p.last_name)
                } else {
                    p.first_name.clone()
                }
            })
            .collect();
        form(&names)
    };
    let caption = rng.chance(80).then(|| {
        text(
            rng,
            (&mut named.caption, &mut unconsented.caption),
            2,
            |n| format!("Well done {} at sports day!", n.join(" and ")),
            "Sports day at the school field",
        )
    });
    let kind = if rng.chance(20) {
        MediaKind::Video
    } else {
        MediaKind::Photo
    };
    let credits = (kind == MediaKind::Video && rng.chance(70)).then(|| {
        text(
            rng,
            (&mut named.credits, &mut unconsented.credits),
            1,
            |n| format!("Filmed by Year 6; presented by {}", n[0]),
            "Filmed by Year 6",
        )
    });
    let file_name = rng.chance(80).then(|| {
        text(
            rng,
            (&mut named.file_name, &mut unconsented.file_name),
            1,
            |n| match n[0].split_once(' ') {
                Some((f, l)) => format!("{f}_{}-2.jpg", l.to_uppercase()),
                None => format!("{}-2.jpg", n[0]),
            },
            "IMG_0042.jpg",
        )
    });
    let tags = if rng.chance(50) {
        let t = text(
            rng,
            (&mut named.tags, &mut unconsented.tags),
            1,
            |n| n[0].replace(' ', "|"),
            "sports day|year 5",
        );
        t.split('|').map(String::from).collect()
    } else {
        Vec::new()
    };
    ImagesCase {
        channel: if rng.chance(75) {
            rng.pick(&EVERYDAY)
        } else {
            rng.pick(Channel::ALL)
        },
        kind,
        composition,
        caption,
        credits,
        file_name,
        tags,
        has_geodata: [Some(true), Some(false), None][rng.below(3)],
        captured_on: if rng.chance(10) {
            CapturedOn::PersonalDevice
        } else {
            CapturedOn::SchoolDevice
        },
        suitably_dressed: [Some(true), Some(true), Some(true), Some(false), None][rng.below(5)],
        pupils,
        named_in_full: named,
        named_without_consent: unconsented,
    }
}

/// Whether naming `p` (in full, or by first name) names a depicted pupil
/// without `name_with_image` consent: `p`, or another pupil who shares the
/// surname given (first names differ within an image).
fn names_without_consent(pupils: &[PupilCase], p: &PupilCase, full: bool) -> bool {
    pupils
        .iter()
        .filter(|q| q.first_name == p.first_name || (full && q.last_name == p.last_name))
        .any(|q| q.consent(Purpose::NameWithImage) != ConsentValue::Yes)
}

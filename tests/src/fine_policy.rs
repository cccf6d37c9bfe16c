//! A policy whose devices rules cut the request space as finely as the
//! vocabulary allows: each rule names one value of one dimension, and
//! together they name every value of every dimension, then single year
//! groups. Eighty such rules (11 KB) once made `safeguard lint` grow past
//! 18 GB; lint and diff must now refuse it with `too_complex`.
//!
//! Shared by the Rust, C ABI and CLI tests (included by path, like the
//! malformed corpus's reader).

use safeguard_engine::devices::FLAGS;

/// The values of each list dimension a rule may name.
const FIELDS: &[(&str, &[&str])] = &[
    (
        "roles",
        &[
            "pupil",
            "teacher",
            "teaching_assistant",
            "support_staff",
            "senior_leader",
            "headteacher",
            "volunteer",
            "contractor",
            "governor",
            "visitor",
            "parent",
        ],
    ),
    (
        "devices",
        &["mobile_phone", "camera", "tablet", "smartwatch"],
    ),
    ("owner", &["personal", "school"]),
    (
        "actions",
        &[
            "bring_on_site",
            "keep_on_person",
            "use_calls_messages",
            "call_emergency_services",
            "take_photo_video",
            "photograph_pupils",
            "contact_pupils_or_parents",
            "bluetooth_transfer",
            "join_school_wifi",
            "access_network_files",
            "store_pupil_data",
            "use_for_learning",
        ],
    ),
    (
        "locations",
        &[
            "classroom",
            "toilets",
            "changing_room",
            "sleep_area",
            "staff_room",
            "office",
            "reception",
            "playground",
            "corridor",
            "hall",
            "offsite_trip",
            "residential_trip",
            "exam_room",
        ],
    ),
    (
        "periods",
        &[
            "lesson",
            "break",
            "lunch",
            "before_school",
            "after_school",
            "exam",
            "school_event",
            "non_school_day",
        ],
    ),
    (
        "exception",
        &["none", "medical", "send_adjustment", "young_carer"],
    ),
    (
        "permission_from",
        &["none", "teacher", "senior_leadership", "headteacher"],
    ),
];

/// The body of each single-value rule, in an order that cuts every
/// dimension a little before any dimension a lot.
fn bodies() -> Vec<String> {
    // The yes/no facts a rule may test, from the engine's own table.
    let mut out: Vec<String> = FLAGS
        .iter()
        .map(|f| format!("{} = true", f.name()))
        .collect();
    for k in 0..14 {
        for (field, values) in FIELDS {
            match (values.get(k), *field) {
                (Some(v), "owner") => out.push(format!("owner = \"{v}\"")),
                (Some(v), _) => out.push(format!("{field} = [\"{v}\"]")),
                (None, _) => {}
            }
        }
        out.push(format!("roles = [\"pupil\"]\nyear_groups = [{k}, {k}]"));
    }
    out
}

/// A policy over the baseline with `n` (at most 100) single-value device
/// rules, allows and forbids in turn.
pub fn single_value_rules(n: usize) -> String {
    let mut text = String::from(
        "[policy]\nid = \"fine\"\nname = \"Fine\"\nversion = \"1\"\nsource = \"test\"\nextends = \"baseline\"\n",
    );
    for (i, body) in bodies().iter().take(n).enumerate() {
        let effect = if i % 2 == 0 { "allow" } else { "forbid" };
        text.push_str(&format!(
            "\n[[devices.rules]]\nid = \"devices.fine.r{i}\"\neffect = \"{effect}\"\n{body}\nsummary = \"s\"\ncite = {{ source = \"t\", section = \"t\" }}\n"
        ));
    }
    text
}

//! Where in a school's answers a load error of the policy built from them
//! comes from.
//!
//! [`crate::json::build_policy`] loads the TOML the builder wrote, so that
//! answers whose policy would not load (a custom rule that weakens the
//! floor, a malformed one) are an error, never a file. But that load's
//! error is placed in the generated TOML ("line 79, `devices.rules[1]`"),
//! a text the school never saw, and its message quotes the school's own
//! rule ids and values. SPEC §1.5 and §1.6 ask for an error at the JSON
//! path of what the caller wrote, quoting nothing of it: [`placed`] gives
//! the same code at the answers file's path (`$.custom.devices[1].effect`,
//! `$.custom.escalation.rules[0]`, `$.restate[2]`, `$.answers[3]`), with a
//! message of the engine's own words.
//!
//! The load places most errors by a rule's id: [`crate::policy::load`]'s
//! `locate` puts the line and column on the first `"<id>"` of the text.
//! So the id is read back at that place (or taken from a floor violation's
//! rule), and looked up among what the answers wrote: a custom rule or
//! removal, a restated rule, or the template of an answer's choice. A
//! field named after the rule's index in the load's path (`.year_groups`)
//! is kept. The school's named people, bodies and timetable stand at the
//! same path in both texts. Anything else is placed at the whole answers
//! file, `$`.

use super::questions::question;
use super::Answers;
use crate::error::{Error, Location};
use crate::policy::Policy;
use crate::vocab::Who;

/// The string at 1-based `line` and `column` (in characters) of `text`,
/// when a quoted one starts there.
fn quoted_at(text: &str, line: usize, column: usize) -> Option<&str> {
    let line = text.lines().nth(line.checked_sub(1)?)?;
    let start = line
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(at, _)| at)?;
    let rest = line[start..].strip_prefix('"')?;
    rest.split_once('"').map(|(inside, _)| inside)
}

/// The path in `answers` of what wrote the rule or removal `id`.
fn origin_of(answers: &Answers, id: &str) -> Option<String> {
    fn find<'a>(ids: impl Iterator<Item = &'a String>, id: &str, path: &str) -> Option<String> {
        ids.enumerate()
            .find(|(_, each)| *each == id)
            .map(|(i, _)| format!("$.custom.{path}[{i}]"))
    }
    let c = &answers.custom;
    let own = find(c.devices.iter().map(|r| &r.id), id, "devices")
        .or_else(|| find(c.images.iter().map(|r| &r.id), id, "images"))
        .or_else(|| find(c.sexting.rules.iter().map(|r| &r.id), id, "sexting.rules"))
        .or_else(|| {
            find(
                c.sexting.actions.iter().map(|r| &r.id),
                id,
                "sexting.actions",
            )
        })
        .or_else(|| {
            find(
                c.escalation.rules.iter().map(|r| &r.id),
                id,
                "escalation.rules",
            )
        })
        .or_else(|| find(c.devices_remove.iter(), id, "devices_remove"))
        .or_else(|| find(c.images_remove.iter(), id, "images_remove"))
        .or_else(|| find(c.sexting.remove.iter(), id, "sexting.remove"))
        .or_else(|| find(c.escalation.remove.iter(), id, "escalation.remove"))
        .or_else(|| {
            find(
                c.sexting.checklist.iter().map(|e| &e.item),
                id,
                "sexting.checklist",
            )
        });
    if own.is_some() {
        return own;
    }
    if let Some(i) = answers.restate.iter().position(|r| r.rule == id) {
        return Some(format!("$.restate[{i}]"));
    }
    // An answer's rule: its id is in the template of the answer's choice,
    // or, for a year-groups answer, that id with `.below` or `.above`.
    let base = id
        .strip_suffix(".below")
        .or_else(|| id.strip_suffix(".above"))
        .unwrap_or(id);
    let in_template =
        |text: &str| text.contains(&format!("\"{id}\"")) || text.contains(&format!("\"{base}\""));
    answers
        .answers
        .iter()
        .position(|a| {
            question(&a.question)
                .and_then(|q| q.choice(&a.choice))
                .is_some_and(|c| in_template(c.produces.rules) || c.produces.remove.contains(&id))
        })
        .map(|i| format!("$.answers[{i}]"))
}

/// The field after a rule's index in a load error's path:
/// `.year_groups` of `devices.rules[1].year_groups`, `""` of
/// `devices.rules[1]` or `devices.rules`.
fn field_after_index(path: &str) -> &str {
    path.split_once("]").map_or("", |(_, field)| field)
}

/// A floor rule of `national`, or one of the engine's own names a floor
/// violation gives (`sexting.checklist`, a named role or body): what the
/// error may name, as every floor violation does (SPEC §1.3).
fn is_national_name(national: Option<&Policy>, rule: &str) -> bool {
    let floor_rule = national.is_some_and(|p| {
        p.sexting.rules.iter().any(|r| r.floor && r.id == rule)
            || p.sexting.actions.iter().any(|a| a.floor && a.id == rule)
            || p.devices.rules.iter().any(|r| r.floor && r.id == rule)
            || p.images.rules.iter().any(|r| r.floor && r.id == rule)
            || p.escalation.rules.iter().any(|r| r.floor && r.id == rule)
    });
    let contact = Who::ALL.iter().any(|w| {
        rule.strip_prefix("roles.")
            .or_else(|| rule.strip_prefix("bodies."))
            == Some(w.as_str())
    });
    floor_rule || contact || rule == "sexting.checklist"
}

/// `error`, an error loading `text` (the policy built from `answers`),
/// placed in the answers file and worded without quoting it (see the
/// module documentation). `national` is the baseline, whose floor rules
/// a floor violation may name. An error without a place (`internal`) is
/// returned as it is.
pub(crate) fn placed(
    error: Error,
    answers: &Answers,
    text: &str,
    national: Option<&Policy>,
) -> Error {
    let Some(at) = error.location().cloned() else {
        return error;
    };
    let load_path = at.path.clone().unwrap_or_default();
    let at_id = match (at.line, at.column) {
        (Some(line), Some(column)) => quoted_at(text, line, column),
        _ => None,
    };
    let from_rule = [at_id, error.rule()]
        .into_iter()
        .flatten()
        .find_map(|id| origin_of(answers, id));
    let path = match &from_rule {
        Some(origin) if !origin.contains("remove") => {
            format!("{origin}{}", field_after_index(&load_path))
        }
        Some(origin) => origin.clone(),
        None if load_path == "policy.id" => "$.school.id".to_string(),
        None if ["roles.", "bodies.", "timetable"]
            .iter()
            .any(|p| load_path.starts_with(p)) =>
        {
            format!("$.{load_path}")
        }
        None => "$".to_string(),
    };
    const SAYS: &str = "the policy these answers build would not load because of what is here";
    let value = || format!("{SAYS}: a value a policy does not allow (see the policy format)");
    let at = Location::path(path.clone());
    match error {
        Error::FloorViolation { rule, .. } => Error::FloorViolation {
            // Else the answer that wrote the rule, by its path.
            rule: if is_national_name(national, &rule) {
                rule
            } else {
                from_rule.unwrap_or(path)
            },
            at,
            message: format!(
                "{SAYS}: it would remove or weaken a rule national guidance asks of every \
                 school (the floor); a school's own rules may add to the floor or be \
                 stricter, never drop, loosen or replace a floor rule, nor make an \
                 exception to it"
            ),
        },
        Error::InvalidValue { .. } => Error::InvalidValue {
            at,
            message: value(),
        },
        Error::InvalidDate { .. } => Error::InvalidDate {
            at,
            message: value(),
        },
        Error::InvalidToml { .. } => Error::InvalidToml {
            at,
            message: SAYS.into(),
        },
        Error::TooLarge { .. } => Error::TooLarge {
            at,
            message: format!("{SAYS}: the policy would be larger than a policy may be"),
        },
        Error::UnknownField { .. } => Error::UnknownField { at },
        Error::MissingField { field, .. } => Error::MissingField { at, field },
        Error::DuplicateField { field, .. } => Error::DuplicateField { at, field },
        // The load gives none of the others for a policy the builder wrote.
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::load::Format;

    const ANSWERS: &str = r#"
[school]
id = "a-school"
name = "A School"
version = "2026-09"
source = "A School, Online Safety Policy, September 2026"

[[answers]]
question = "devices.pupil_phones"
choice = "hand_in_to_office"
cite = { source = "A School, Online Safety Policy, September 2026", section = "Phones" }

[[answers]]
question = "devices.pupil_phone_years"
choice = "some_years"
years = [5, 6]
cite = { source = "A School, Online Safety Policy, September 2026", section = "Phones" }

[[restate]]
rule = "devices.floor.no_personal_devices_in_private_areas"
cite = { source = "A School, Online Safety Policy, September 2026", section = "Phones" }

[custom]
devices_remove = ["devices.staff.emergency_use"]
"#;

    /// Every rule the builder writes from an answer is traced to that
    /// answer, a year-groups rule (`.below`) included; a restated rule
    /// and a removal to theirs.
    #[test]
    fn each_rule_is_traced_to_what_wrote_it() {
        let answers = Answers::from_text(ANSWERS, Format::Toml).unwrap();
        let text = super::super::build(&answers).unwrap();
        let mut ids: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("id = \"")?.strip_suffix('"'))
            .filter(|id| id.contains(".answer."))
            .collect();
        ids.sort_unstable();
        assert!(ids.iter().any(|id| id.ends_with(".below")), "{ids:?}");
        for id in ids {
            let origin = origin_of(&answers, id);
            assert!(
                matches!(origin.as_deref(), Some("$.answers[0]" | "$.answers[1]")),
                "{id}: {origin:?}"
            );
        }
        assert_eq!(
            origin_of(
                &answers,
                "devices.floor.no_personal_devices_in_private_areas"
            )
            .as_deref(),
            Some("$.restate[0]")
        );
        assert_eq!(
            origin_of(&answers, "devices.staff.emergency_use").as_deref(),
            Some("$.custom.devices_remove[0]")
        );
        assert_eq!(origin_of(&answers, "devices.floor.anything"), None);
    }

    #[test]
    fn the_id_at_a_place_is_read_back() {
        let text = "a\nid = \"devices.x.é\"\n";
        assert_eq!(quoted_at(text, 2, 6), Some("devices.x.é"));
        assert_eq!(quoted_at(text, 2, 5), None);
        assert_eq!(quoted_at(text, 9, 1), None);
        assert_eq!(quoted_at(text, 0, 0), None);
    }
}

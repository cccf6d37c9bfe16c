//! How an images floor rule may be restated, and how one consent answers
//! for another (see `policy::floor`, which walks the floor and checks
//! per-channel consent and leavers' images with these).

use super::rules::ImageRule;
use super::vocab::{Channel, LeaverAction, NameLimit, Purpose};

/// Whether `wide` applies on every channel `narrow` does (no channels:
/// every channel).
pub(crate) fn covers_channels(wide: &ImageRule, narrow: &ImageRule) -> bool {
    wide.channels.is_empty()
        || (!narrow.channels.is_empty()
            && narrow.channels.iter().all(|c| wide.channels.contains(c)))
}

/// Why a school's images `rule` is weaker than the floor rule `base`.
pub(crate) fn weakened_image_rule(base: &ImageRule, rule: &ImageRule) -> Option<String> {
    if rule.check != base.check {
        return Some(format!(
            "its check changed from `{}` to `{}`",
            base.check, rule.check
        ));
    }
    if !covers_channels(rule, base) {
        return Some("it no longer applies on every channel the floor rule does".into());
    }
    if base.purpose.is_some() && rule.purpose != base.purpose {
        return Some("it asks for a different consent".into());
    }
    let strictness = |l: Option<NameLimit>| match l {
        None => 0,
        Some(NameLimit::FirstNamesOnly) => 1,
        Some(NameLimit::NoNames) => 2,
    };
    if strictness(rule.limit) < strictness(base.limit) {
        return Some("it allows more of a pupil's name".into());
    }
    // A leaver rule blocks leavers' images; `delete` also deletes them.
    let deletes = |l: Option<LeaverAction>| l == Some(LeaverAction::Delete);
    if deletes(base.leaver) && !deletes(rule.leaver) {
        return Some("it no longer deletes images of leavers".into());
    }
    None
}

/// How much a consent rule asks of a pupil's consent on its channels: a
/// consent for publication (website, prospectus, social media, press), for
/// display in school, or nothing (no purpose, or a consent that is no
/// channel's purpose, such as `name_with_image`).
pub(crate) fn consent_standing(purpose: Option<Purpose>) -> u8 {
    match purpose {
        Some(Purpose::Website | Purpose::Prospectus | Purpose::SocialMedia | Purpose::Press) => 2,
        Some(Purpose::Display) => 1,
        None | Some(Purpose::NameWithImage | Purpose::IndividualUse) => 0,
    }
}

/// The publication consents that answer for a channel: the baseline's
/// purpose for it, and the other question a school's consent form may ask
/// for it. An online prospectus sits on the school's website, so the
/// website question may cover it (Hilldene's form does); an external
/// presentation shows the school's prospectus material, so the prospectus
/// question may cover it (Squirrels Heath's form does). A consent for
/// another channel's audience never does: press consent says nothing
/// about the website.
pub(crate) fn publication_consents(channel: Channel) -> &'static [Purpose] {
    match channel {
        Channel::Website => &[Purpose::Website],
        Channel::OnlineProspectus => &[Purpose::Prospectus, Purpose::Website],
        Channel::PrintedProspectus => &[Purpose::Prospectus],
        Channel::SocialMedia => &[Purpose::SocialMedia],
        Channel::Press => &[Purpose::Press],
        Channel::ExternalPresentation => &[Purpose::Press, Purpose::Prospectus],
        Channel::InternalDisplay
        | Channel::LearningPlatform
        | Channel::Newsletter
        | Channel::InternalAssessment => &[],
    }
}

/// Whether a consent for `asked` answers, on `channel`, for the consent
/// `needed` there (by the baseline or the policy a school extends): the
/// same consent; for a display channel, any consent of higher standing
/// (publication consent is asked of a wider audience); for a publication
/// channel, one of its own publication consents ([`publication_consents`]).
pub(crate) fn answers_for(asked: Purpose, needed: Purpose, channel: Channel) -> bool {
    asked == needed
        || match consent_standing(Some(needed)) {
            1 => consent_standing(Some(asked)) > 1,
            2 => publication_consents(channel).contains(&asked),
            _ => true,
        }
}

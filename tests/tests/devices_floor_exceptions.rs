//! The floor's exceptions hold under every preset, for every request they
//! cover (SPEC §4), checked by enumeration rather than by examples:
//!
//! - anyone may call the emergency services from anywhere, at any time, on
//!   any device: the answer is `allow`, with no breach consequence;
//! - a pupil whose medical needs or SEND reasonable adjustments require a
//!   phone, watch or tablet may bring it, keep it and use it: never denied,
//!   anywhere.
//!
//! Every other fact is left out (unknown): an exception that matches lifts
//! every forbid, including the ones that might match.

use safeguard_engine::devices::{
    Actor, ActorRole, Context, Device, DeviceAction, DeviceKind, DevicesRequest, Exception,
    Location, Owner, PermissionFrom,
};
use safeguard_engine::Decision;
use safeguard_engine::Period;
use safeguard_engine::{Engine, Outcome, Request};

fn engines() -> Vec<(&'static str, Engine)> {
    Engine::presets()
        .iter()
        .map(|&id| {
            let e = Engine::from_preset(id).unwrap_or_else(|e| panic!("{id} does not load: {e}"));
            (id, e)
        })
        .collect()
}

fn request(actor: Actor, kind: DeviceKind, owner: Owner, action: DeviceAction) -> DevicesRequest {
    DevicesRequest {
        schema_version: Default::default(),
        domain: None,
        policy: None,
        actor,
        device: Device { kind, owner },
        action,
        context: Context::unknown_but_location(Location::Classroom),
    }
}

fn decide(id: &str, e: &Engine, req: &DevicesRequest) -> Decision {
    e.evaluate(&Request::Devices(req.clone()))
        .unwrap_or_else(|err| panic!("{id}: refused {req:?}: {err}"))
}

fn periods() -> impl Iterator<Item = Option<Period>> {
    std::iter::once(None).chain(Period::ALL.iter().copied().map(Some))
}

fn permissions() -> impl Iterator<Item = Option<PermissionFrom>> {
    std::iter::once(None).chain(PermissionFrom::ALL.iter().copied().map(Some))
}

fn actors(role: ActorRole) -> Vec<Actor> {
    let years: Vec<Option<u8>> = if role == ActorRole::Pupil {
        vec![None, Some(0), Some(2), Some(5), Some(6), Some(11)]
    } else {
        vec![None]
    };
    years
        .into_iter()
        .map(|year_group| Actor {
            role,
            year_group,
            works_directly_with_children: None,
        })
        .collect()
}

#[test]
fn an_emergency_call_is_allowed_by_everyone_from_everywhere() {
    let mut checked = 0usize;
    for (id, e) in engines() {
        for &role in ActorRole::ALL {
            for actor in actors(role) {
                for &kind in DeviceKind::ALL {
                    for &owner in Owner::ALL {
                        let mut req = request(
                            actor.clone(),
                            kind,
                            owner,
                            DeviceAction::CallEmergencyServices,
                        );
                        for &location in Location::ALL {
                            req.context.location = location;
                            for period in periods() {
                                req.context.period = period;
                                for (permission, emergency) in permissions()
                                    .zip([None, Some(true), Some(false)].into_iter().cycle())
                                {
                                    req.context.permission_from = permission;
                                    req.context.emergency = emergency;
                                    let d = decide(id, &e, &req);
                                    assert_eq!(
                                        d.outcome,
                                        Outcome::Allow,
                                        "{id}: an emergency call is not a plain allow: {}",
                                        serde_json::to_string(&req).unwrap_or_default()
                                    );
                                    assert!(
                                        d.on_breach.as_ref().is_none_or(|b| b.is_empty()),
                                        "{id}: an emergency call carries a breach consequence: {}",
                                        serde_json::to_string(&req).unwrap_or_default()
                                    );
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn a_pupil_with_a_medical_or_send_need_is_never_denied_the_device() {
    let actions = [
        DeviceAction::BringOnSite,
        DeviceAction::KeepOnPerson,
        DeviceAction::UseCallsMessages,
    ];
    let mut checked = 0usize;
    for (id, e) in engines() {
        for actor in actors(ActorRole::Pupil) {
            for exception in [Exception::Medical, Exception::SendAdjustment] {
                // A camera is no device a medical or SEND need requires.
                for &kind in DeviceKind::ALL.iter().filter(|&&k| k != DeviceKind::Camera) {
                    for &owner in Owner::ALL {
                        for action in actions {
                            let mut req = request(actor.clone(), kind, owner, action);
                            req.context.exception = Some(exception);
                            for &location in Location::ALL {
                                req.context.location = location;
                                for period in periods() {
                                    req.context.period = period;
                                    for permission in permissions() {
                                        req.context.permission_from = permission;
                                        let d = decide(id, &e, &req);
                                        assert_ne!(
                                            d.outcome,
                                            Outcome::Deny,
                                            "{id}: a pupil's need is denied: {}",
                                            serde_json::to_string(&req).unwrap_or_default()
                                        );
                                        checked += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn an_unknown_need_or_emergency_does_not_lift_the_private_areas_floor() {
    for (id, e) in engines() {
        let pupil = Actor {
            role: ActorRole::Pupil,
            year_group: Some(6),
            works_directly_with_children: None,
        };
        let mut req = request(
            pupil,
            DeviceKind::MobilePhone,
            Owner::Personal,
            DeviceAction::UseCallsMessages,
        );
        req.context.location = Location::Toilets;
        req.context.period = Some(Period::Lesson);
        let d = decide(id, &e, &req);
        assert_eq!(d.outcome, Outcome::Deny, "{id}");
        let unknowns: Vec<&str> = d.unknowns.iter().map(|u| &**u).collect();
        assert!(
            unknowns.contains(&"context.exception"),
            "{id}: {unknowns:?}"
        );
        // An emergency does not lift it for an ordinary call either: only
        // the call to the emergency services is the floor's exception.
        req.context.emergency = Some(true);
        req.context.exception = Some(Exception::None);
        let d = decide(id, &e, &req);
        assert_eq!(d.outcome, Outcome::Deny, "{id}");
        req.action = DeviceAction::CallEmergencyServices;
        let d = decide(id, &e, &req);
        assert_eq!(d.outcome, Outcome::Allow, "{id}");
    }
}

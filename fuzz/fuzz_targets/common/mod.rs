//! What the request targets (`request_json`, `c_abi`) share: turning the
//! fuzz input into request bytes, steered to every domain.
//!
//! Input byte 0 picks a *mode*: mode 0 takes the rest of the input as the
//! whole request; mode `k > 0` splices it, as one JSON value, into template
//! `k - 1` of `fuzz/templates.json` (a valid request of one domain with one
//! value cut out), so that a mutation never loses the domain. The higher
//! part of byte 0 picks the school preset the request is also decided
//! against (besides the baseline). `fuzz/seeds.py` writes seeds in this
//! format.

use serde_json::Value;
use std::borrow::Cow;
use std::sync::LazyLock;

/// The templates file, shared with `fuzz/seeds.py`.
const TEMPLATES: &str = include_str!("../../templates.json");

/// The text of a template before and after its hole.
pub struct Template {
    pub before: String,
    pub after: String,
}

/// The templates, in the file's order.
pub static TEMPLATE_LIST: LazyLock<Vec<Template>> = LazyLock::new(|| {
    let file: Value = serde_json::from_str(TEMPLATES).expect("templates.json is JSON");
    let marker = Value::String("\u{0}HOLE".into());
    let marker_text = marker.to_string();
    file["templates"]
        .as_array()
        .expect("templates.json: `templates` is an array")
        .iter()
        .map(|t| {
            let hole = t["hole"].as_str().expect("a template's `hole` is a string");
            let base = t["base"].as_str().expect("a template's `base` is a string");
            let mut request = file["bases"][base].clone();
            assert!(request.is_object(), "templates.json: no base `{base}`");
            if let Some(slot) = request.pointer_mut(hole) {
                *slot = marker.clone();
            } else {
                // A key the base leaves out (`/context/at`): added.
                let (parent, key) = hole.rsplit_once('/').expect("a hole is a JSON pointer");
                request
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .unwrap_or_else(|| panic!("templates.json: no object at `{parent}`"))
                    .insert(key.to_owned(), marker.clone());
            }
            let text = request.to_string();
            let (before, after) = text.split_once(&marker_text).expect("the marker is there");
            Template {
                before: before.to_owned(),
                after: after.to_owned(),
            }
        })
        .collect()
});

/// The templates' own requests (each hole refilled with the base's value):
/// checked to be decided, so that a broken template shows at once.
/// (`request_json` checks them; `c_abi` has no use for them.)
#[allow(dead_code)]
pub fn base_requests() -> Vec<String> {
    let file: Value = serde_json::from_str(TEMPLATES).expect("templates.json is JSON");
    file["bases"]
        .as_object()
        .expect("templates.json: `bases` is an object")
        .values()
        .map(Value::to_string)
        .collect()
}

/// The school presets (every preset but the baseline).
pub fn school_presets() -> &'static [&'static str] {
    let all = safeguard_engine::Engine::presets();
    assert_eq!(all[0], "baseline", "the baseline comes first");
    &all[1..]
}

/// The request bytes of a fuzz input, and the school preset it picks;
/// `None` for the empty input.
pub fn request(data: &[u8]) -> Option<(&'static str, Cow<'_, [u8]>)> {
    let (&first, rest) = data.split_first()?;
    let modes = TEMPLATE_LIST.len() + 1;
    let mode = usize::from(first) % modes;
    let schools = school_presets();
    let school = schools[usize::from(first) / modes % schools.len()];
    let bytes = match mode {
        0 => Cow::Borrowed(rest),
        k => {
            let t = &TEMPLATE_LIST[k - 1];
            let mut b = Vec::with_capacity(t.before.len() + rest.len() + t.after.len());
            b.extend_from_slice(t.before.as_bytes());
            b.extend_from_slice(rest);
            b.extend_from_slice(t.after.as_bytes());
            Cow::Owned(b)
        }
    };
    Some((school, bytes))
}

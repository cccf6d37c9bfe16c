//! Fuzz target `image`: arbitrary bytes as an image file, through
//! `images::metadata::inspect` and `strip_location`.
//!
//! Checks: nothing panics; an error is never `internal`; a stripped copy is
//! stripped for good (stripping it again gives the same bytes); the
//! stripped copy of a file that could be inspected can be inspected too,
//! in the same format, and reports no location.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safeguard_engine::images::metadata::{inspect, strip_location};

fuzz_target!(|data: &[u8]| {
    let info = inspect(data);
    if let Err(e) = &info {
        assert_ne!(e.code(), "internal", "inspect: an internal error: {e}");
    }
    let stripped = match strip_location(data) {
        Ok(stripped) => stripped,
        Err(e) => {
            assert_ne!(e.code(), "internal", "strip: an internal error: {e}");
            return;
        }
    };
    match strip_location(&stripped) {
        Ok(again) => assert!(again == stripped, "stripping twice changed the copy"),
        Err(e) => panic!("the stripped copy cannot be stripped again: {e}"),
    }
    match (&info, inspect(&stripped)) {
        (_, Ok(after)) => {
            assert!(
                !after.has_location && after.location.is_none() && after.location_fields.is_empty(),
                "the stripped copy still has location: {after:?}"
            );
            if let Ok(before) = &info {
                assert_eq!(before.format, after.format, "stripping changed the format");
            }
        }
        (Ok(before), Err(e)) => {
            panic!("the original inspects ({before:?}), the stripped copy not: {e}")
        }
        (Err(_), Err(_)) => {}
    }
});

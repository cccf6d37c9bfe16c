//! Tri-state facts.
//!
//! A DSL often does not know a fact yet, so facts are tri-state: `yes`, `no`
//! or `unknown`, and an omitted fact is `unknown`. The combinators follow
//! Kleene's three-valued logic, so "unknown" is carried through a rule rather
//! than silently becoming "no".

super::tokens::tokens! {
    /// A fact that may not be established yet.
    #[derive(Default)]
    pub enum Tri {
        Yes = "yes",
        No = "no",
        #[default]
        Unknown = "unknown",
    }
}

impl Tri {
    /// `yes` if either is `yes`; `no` if both are `no`; otherwise `unknown`.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// `no` if either is `no`; `yes` if both are `yes`; otherwise `unknown`.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    /// `true` only for `yes`.
    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }

    /// `yes` for `true`, `no` for `false`.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_logic() {
        assert_eq!(Tri::Unknown.or(Tri::Yes), Tri::Yes);
        assert_eq!(Tri::Unknown.or(Tri::No), Tri::Unknown);
        assert_eq!(Tri::Unknown.and(Tri::No), Tri::No);
        assert_eq!(Tri::Yes.and(Tri::Unknown), Tri::Unknown);
    }
}

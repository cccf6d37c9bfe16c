//! Closed sets of wire tokens, declared once with their spelling.
//!
//! `tokens!` declares an enum whose variants serialise as the given
//! lower_snake_case tokens, with `ALL` (every value a request or a policy
//! may name, in declaration order, so the lint can enumerate the request
//! space), `as_str`, `Display`, and the [`Token`] trait, which is all the
//! wire layer needs to read one: `crate::wire::json_in` reads every `Token` the
//! same way, so the vocabulary imports nothing above it.
//!
//! A variant without a doc comment of its own is documented by its wire
//! token. A variant marked `#[never_read]` is one the engine writes in an
//! answer but a request or a policy cannot name (`Deadline`'s
//! `when_service_opens`): it is left out of `ALL` and so of the reader, and
//! a policy that names it is told the tokens it may use; its doc comment
//! (which it must have) says why.
//!
//! The macro reads a variant's attributes one at a time, each a step of
//! the compiler's macro recursion (limit 128): a set of about 120 tokens
//! without docs fits, fewer with long docs.

/// A closed set of wire tokens, declared with `tokens!`.
pub(crate) trait Token: Copy + 'static {
    /// Every value a request or a policy may name, in declaration order.
    const ALL: &'static [Self];

    /// The spellings of [`Token::ALL`], in the same order: always an array,
    /// `[&'static str; N]` with `N` the length of `ALL`, so that the reader
    /// can build a table of fixed size from it when the program is compiled.
    type Spellings;

    /// The spellings themselves (natively; the WebAssembly build reads
    /// every token as a string and does not use them).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    const SPELLINGS: Self::Spellings;

    /// The wire token.
    fn as_str(self) -> &'static str;
}

macro_rules! tokens {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$($vattr:tt)*])* $variant:ident = $token:literal ),+ $(,)? }
    ) => {
        $crate::vocab::tokens! {
            @variant [$(#[$meta])*] $name [] []
            $( [] [$(#[$($vattr)*])*] undocumented read $variant = $token, )+
        }

        impl $name {
            /// The wire token.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };

    // Every variant is written out: declare the enum, `ALL` and the trait.
    (@variant [$($meta:tt)*] $name:ident [$($out:tt)*] [$($read:ident = $spelling:literal,)*]) => {
        $($meta)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            $($out)*
        }

        impl $name {
            /// Every value a request or a policy may name, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$read),*];
        }

        impl $crate::vocab::Token for $name {
            const ALL: &'static [$name] = $name::ALL;
            type Spellings = [&'static str; $name::ALL.len()];
            const SPELLINGS: Self::Spellings = [$($spelling),*];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };

    // `#[never_read]`: leave the variant out of `ALL`.
    (@variant $meta:tt $name:ident $out:tt $read:tt
        $seen:tt [#[never_read] $($more:tt)*] $doc:ident $flag:ident $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name $out $read
            $seen [$($more)*] $doc never_read $variant = $token,
            $($rest)*
        }
    };

    // A doc comment: keep it, and the variant is documented.
    (@variant $meta:tt $name:ident $out:tt $read:tt
        [$($seen:tt)*] [#[doc $($text:tt)*] $($more:tt)*] $doc:ident $flag:ident $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name $out $read
            [$($seen)* #[doc $($text)*]] [$($more)*] documented $flag $variant = $token,
            $($rest)*
        }
    };

    // Some other attribute: keep it as written.
    (@variant $meta:tt $name:ident $out:tt $read:tt
        [$($seen:tt)*] [#[$($attr:tt)*] $($more:tt)*] $doc:ident $flag:ident $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name $out $read
            [$($seen)* #[$($attr)*]] [$($more)*] $doc $flag $variant = $token,
            $($rest)*
        }
    };

    // Every attribute seen, with a doc comment among them: write the
    // variant with its attributes as they were written, and add it to
    // `ALL`, or not if it is never read; then go on to the next.
    (@variant $meta:tt $name:ident [$($out:tt)*] [$($read:tt)*]
        [$($seen:tt)*] [] documented read $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name [
                $($out)*
                $($seen)* #[serde(rename = $token)] $variant,
            ] [$($read)* $variant = $token,]
            $($rest)*
        }
    };
    (@variant $meta:tt $name:ident [$($out:tt)*] $read:tt
        [$($seen:tt)*] [] documented never_read $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name [
                $($out)*
                $($seen)* #[serde(rename = $token)] $variant,
            ] $read
            $($rest)*
        }
    };

    // No doc comment: the variant is documented by its wire token (and
    // is read: a variant that is never read says why in its doc). The
    // JSON Schema derive is not shown this doc: a documented variant would
    // leave the schema's `enum` list for a `const` of its own, and the
    // schemas already list the token. So with the `schema` feature the doc
    // is for rustdoc only, and the lint is told the variant is documented.
    (@variant $meta:tt $name:ident [$($out:tt)*] [$($read:tt)*]
        [$($seen:tt)*] [] undocumented read $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @variant $meta $name [
                $($out)*
                #[cfg_attr(any(doc, not(feature = "schema")), doc = concat!("The wire token `", $token, "`."))]
                #[cfg_attr(all(not(doc), feature = "schema"), allow(missing_docs))]
                $($seen)* #[serde(rename = $token)] $variant,
            ] [$($read)* $variant = $token,]
            $($rest)*
        }
    };
}

pub(crate) use tokens;

/// Declares an enum whose value is a token of one of two sets declared
/// with `tokens!` (a sexting condition is a `Criterion` or another
/// `Trigger`; a rule's role is an `ActorRole` or a group of roles), so
/// that a set used on its own elsewhere is spelled once:
///
/// ```text
/// either_token! {
///     /// What a sexting rule or action is triggered by.
///     pub enum When {
///         /// An immediate-referral criterion holds.
///         Criterion(Criterion),
///         /// Another condition.
///         Trigger(Trigger),
///     }
/// }
/// ```
///
/// It is read, written and printed as the token itself: `ALL` is the
/// first set's tokens then the second's (declaration order, as one
/// `tokens!` enum would have them, and so is the derived order), `as_str`,
/// `index` (the place in `ALL`), `Display`, `Debug` (the token's variant
/// name, `AdultInvolved`), serde as serde derives it for a `tokens!` enum
/// (the tests' reference reader compares the engine's reader with it),
/// and the [`Token`] trait, by which `crate::json_in` reads it.
macro_rules! either_token {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(#[$first_doc:meta])* $first:ident($first_set:ident),
            $(#[$second_doc:meta])* $second:ident($second_set:ident) $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(#[$first_doc])* $first($first_set),
            $(#[$second_doc])* $second($second_set),
        }

        impl $name {
            /// Every value a request or a policy may name: the first set's,
            /// then the second's.
            pub const ALL: &'static [$name] = &{
                let mut all = [$name::$first($first_set::ALL[0]); $name::COUNT];
                let mut i = 0;
                while i < $name::COUNT {
                    all[i] = match i.checked_sub($first_set::ALL.len()) {
                        None => $name::$first($first_set::ALL[i]),
                        Some(j) => $name::$second($second_set::ALL[j]),
                    };
                    i += 1;
                }
                all
            };

            const COUNT: usize = $first_set::ALL.len() + $second_set::ALL.len();

            /// The wire token.
            pub fn as_str(self) -> &'static str {
                match self {
                    $name::$first(t) => t.as_str(),
                    $name::$second(t) => t.as_str(),
                }
            }

            /// The value's place in [`ALL`](Self::ALL).
            pub fn index(self) -> usize {
                match self {
                    $name::$first(t) => t as usize,
                    $name::$second(t) => $first_set::ALL.len() + t as usize,
                }
            }
        }

        /// A value of either set, as the JSON Schema of a policy rule
        /// (the builder's answers file) gives it.
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "anyOf": [
                        generator.subschema_for::<$first_set>(),
                        generator.subschema_for::<$second_set>()
                    ]
                })
            }
        }

        impl $crate::vocab::Token for $name {
            const ALL: &'static [$name] = $name::ALL;
            type Spellings = [&'static str; $name::COUNT];
            const SPELLINGS: Self::Spellings = {
                let mut spellings = [""; $name::COUNT];
                let mut i = 0;
                while i < $name::COUNT {
                    spellings[i] = match i.checked_sub($first_set::ALL.len()) {
                        None => <$first_set as $crate::vocab::Token>::SPELLINGS[i],
                        Some(j) => <$second_set as $crate::vocab::Token>::SPELLINGS[j],
                    };
                    i += 1;
                }
                spellings
            };
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $name::$first(t) => t.fmt(f),
                    $name::$second(t) => t.fmt(f),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $name::$first(t) => t.serialize(serializer),
                    $name::$second(t) => t.serialize(serializer),
                }
            }
        }

        // Read as serde reads a `tokens!` enum: as an enum whose variant
        // name is the token, an unknown one refused where it is read.
        const _: () = {
            use $crate::vocab::Token;

            struct Visitor;

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<$name, D::Error> {
                    deserializer.deserialize_enum(stringify!($name), &$name::SPELLINGS, Visitor)
                }
            }

            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = $name;

                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a token")
                }

                fn visit_enum<A: serde::de::EnumAccess<'de>>(
                    self,
                    data: A,
                ) -> Result<$name, A::Error> {
                    use serde::de::VariantAccess;
                    let (value, variant) = data.variant_seed(Visitor)?;
                    variant.unit_variant()?;
                    Ok(value)
                }

                fn visit_str<E: serde::de::Error>(self, token: &str) -> Result<$name, E> {
                    $name::ALL
                        .iter()
                        .copied()
                        .find(|t| t.as_str() == token)
                        .ok_or_else(|| E::unknown_variant(token, &$name::SPELLINGS))
                }
            }

            impl<'de> serde::de::DeserializeSeed<'de> for Visitor {
                type Value = $name;

                fn deserialize<D: serde::Deserializer<'de>>(
                    self,
                    deserializer: D,
                ) -> Result<$name, D::Error> {
                    deserializer.deserialize_identifier(self)
                }
            }
        };
    };
}

pub(crate) use either_token;

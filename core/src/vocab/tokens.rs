//! Closed sets of wire tokens, declared once with their spelling.
//!
//! `tokens!` declares an enum whose variants serialise as the given
//! lower_snake_case tokens, with `ALL` (every value, in declaration order, so
//! the lint can enumerate the request space), `as_str`, and a reader for
//! requests ([`crate::json_in`]): a token written plainly is recognised by
//! comparing words ([`crate::json_in::Pattern`]), anything else is read as a
//! string and matched. A variant without a doc comment of its own is
//! documented by its wire token.

macro_rules! tokens {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$($vattr:tt)*])* $variant:ident = $token:literal ),+ $(,)? }
    ) => {
        $crate::vocab::tokens! {
            @enum [$(#[$meta])*] $name []
            $( [] [$(#[$($vattr)*])*] $variant = $token, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire token.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
        }

        impl $crate::json_in::ReadJson for $name {
            // The usual case, a token written plainly, is matched as words
            // and inlined into the struct's reader natively. The
            // WebAssembly build, whose size is budgeted, reads every token
            // as a string (the patterns and a second reader per token type
            // cost it 19 KB).
            #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
            fn read(
                r: &mut $crate::json_in::Reader<'_>,
            ) -> std::result::Result<Self, $crate::json_in::Fault> {
                #[cfg(not(target_arch = "wasm32"))]
                {
                    const PATTERNS: &[$crate::json_in::Pattern] =
                        &[$( $crate::json_in::Pattern::token($token), )+];
                    if let Some(index) = r.token_at(PATTERNS) {
                        return Ok(Self::ALL[index]);
                    }
                }
                Self::read_as_string(r)
            }
        }

        impl $name {
            /// A token written with escapes or whitespace, or something
            /// that is no token (in the WebAssembly build, any token).
            #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
            fn read_as_string(
                r: &mut $crate::json_in::Reader<'_>,
            ) -> std::result::Result<Self, $crate::json_in::Fault> {
                match &*r.token_string()? {
                    $( $token => Ok($name::$variant), )+
                    _ => Err(r.unknown_token(Self::ALL, Self::as_str)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };

    // Every variant is written out: declare the enum.
    (@enum [$($meta:tt)*] $name:ident [$($out:tt)*]) => {
        $($meta)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            $($out)*
        }
    };

    // The variant carries its own doc comment: keep its attributes as written.
    (@enum $meta:tt $name:ident [$($out:tt)*]
        [$($seen:tt)*] [#[doc $($doc:tt)*] $($more:tt)*] $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @enum $meta $name [
                $($out)*
                $($seen)* #[doc $($doc)*] $($more)* #[serde(rename = $token)] $variant,
            ]
            $($rest)*
        }
    };

    // Some other attribute: set it aside and look at the next.
    (@enum $meta:tt $name:ident $out:tt
        [$($seen:tt)*] [#[$($attr:tt)*] $($more:tt)*] $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @enum $meta $name $out
            [$($seen)* #[$($attr)*]] [$($more)*] $variant = $token,
            $($rest)*
        }
    };

    // No doc comment: the variant is documented by its wire token. The
    // JSON Schema derive is not shown this doc: a documented variant would
    // leave the schema's `enum` list for a `const` of its own, and the
    // schemas already list the token. So with the `schema` feature the doc
    // is for rustdoc only, and the lint is told the variant is documented.
    (@enum $meta:tt $name:ident [$($out:tt)*]
        [$($seen:tt)*] [] $variant:ident = $token:literal, $($rest:tt)*
    ) => {
        $crate::vocab::tokens! {
            @enum $meta $name [
                $($out)*
                #[cfg_attr(any(doc, not(feature = "schema")), doc = concat!("The wire token `", $token, "`."))]
                #[cfg_attr(all(not(doc), feature = "schema"), allow(missing_docs))]
                $($seen)* #[serde(rename = $token)] $variant,
            ]
            $($rest)*
        }
    };
}

pub(crate) use tokens;

//! The one envelope of every JSON document the tool writes: `schema`, `schema_version`
//! and `generator`, then the fields of the command's typed body, in declaration order.

use serde::Serialize;

/// Which tool and version wrote a document.
#[derive(Serialize)]
pub struct Generator {
    pub tool: &'static str,
    pub version: &'static str,
}

impl Generator {
    /// This build of the tool.
    pub fn this() -> Self {
        Generator {
            tool: "attrition",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A document body: its fields follow the envelope's, and it names its schema.
pub trait Body: Serialize {
    /// The `schema` field, e.g. `attrition.comparison`.
    const SCHEMA: &'static str;
    /// The `schema_version` field; bumped on any change a reader could notice.
    const SCHEMA_VERSION: u32;
}

/// A body by reference is the same document.
impl<T: Body> Body for &T {
    const SCHEMA: &'static str = T::SCHEMA;
    const SCHEMA_VERSION: u32 = T::SCHEMA_VERSION;
}

/// A versioned JSON document: the envelope's three fields, then `body`'s.
#[derive(Serialize)]
pub struct Envelope<T> {
    pub schema: &'static str,
    pub schema_version: u32,
    pub generator: Generator,
    #[serde(flatten)]
    pub body: T,
}

impl<T: Body> Envelope<T> {
    pub fn new(body: T) -> Self {
        Envelope {
            schema: T::SCHEMA,
            schema_version: T::SCHEMA_VERSION,
            generator: Generator::this(),
            body,
        }
    }

    /// Pretty-printed (serde_json's layout), with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("plain data");
        v.push(b'\n');
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Example {
        zeta: u32,
        alpha: Option<f64>,
    }

    impl Body for Example {
        const SCHEMA: &'static str = "attrition.example";
        const SCHEMA_VERSION: u32 = 7;
    }

    #[test]
    fn the_envelope_comes_first_then_the_body_in_declaration_order() {
        let bytes = Envelope::new(Example {
            zeta: 1,
            alpha: None,
        })
        .to_bytes();
        let expected = format!(
            "{{\n  \"schema\": \"attrition.example\",\n  \"schema_version\": 7,\n  \"generator\": {{\n    \"tool\": \"attrition\",\n    \"version\": \"{}\"\n  }},\n  \"zeta\": 1,\n  \"alpha\": null\n}}\n",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }
}

//! Qualifications shipped with the program, each citing its source in the file. They are also ordinary
//! files in `crates/stacking/qualifications/` to copy and adapt.

use crate::load::{parse_qualification, LoadError};
use crate::qualification::Qualification;

pub struct Builtin {
    /// What users type, e.g. `es-grado-b-UC0223_3`.
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! builtin {
    ($name:literal) => {
        Builtin {
            name: $name,
            text: include_str!(concat!("../qualifications/", $name, ".toml")),
        }
    };
}

pub const ALL: &[Builtin] = &[
    builtin!("es-grado-b-UC0223_3"),
    builtin!("es-grado-c-IFC078_3"),
    builtin!("ie-qqi-level5-certificate"),
    builtin!("ee-microcredential-accumulation"),
];

impl Builtin {
    pub fn parse(&self) -> Result<Qualification, LoadError> {
        parse_qualification(&format!("{}.toml (built in)", self.name), self.text)
    }
}

/// The built-in qualification of that name, if there is one.
pub fn find(name: &str) -> Option<&'static Builtin> {
    ALL.iter().find(|b| b.name == name)
}

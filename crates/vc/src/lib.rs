//! microcred-vc: the credential crypto of microcred, a pure core (no I/O, no async, no network).
//!
//! - [`keys`]: Ed25519 keys and Multikey encodings; [`keyfile`]: encrypted key files at rest.
//! - [`did`]: did:key (offline) and did:web documents.
//! - [`proof`]: Data Integrity proofs, `eddsa-rdfc-2022` and `eddsa-jcs-2022` (sign and verify),
//!   `Ed25519Signature2020` (verify).
//! - [`status`]: Bitstring Status List v1.0.
//! - [`trust`]: trust lists of accredited issuers.
//! - [`verify()`]: verification as named checks.

pub mod canon;
pub mod depth;
pub mod did;
pub mod keyfile;
pub mod keys;
pub mod proof;
pub mod sample;
pub mod status;
pub mod trust;
pub mod verify;

pub use keys::{PublicKey, SigningKeyPair};
pub use proof::{sign, Cryptosuite, ProofOptions};
pub use verify::{verify, Check, CheckStatus, Resolution, Resolver, VerificationReport, VerifyContext};

pub mod jades;
pub mod render;

//! Ask First core: everything that decides, with no browser dependency.
//!
//! The glue crate (`crate/web`) extracts facts from the browser and hands them here; this crate
//! decides and returns plain data. Everything in it runs under plain `cargo test`.

pub mod ask;
pub mod ledger;
pub mod model;
pub mod protocol;
pub mod router;
pub mod rules;
pub mod settings;
pub mod site;
pub mod storage;
pub mod transfer;

//! Shared by the integration tests that need it.
pub mod html;

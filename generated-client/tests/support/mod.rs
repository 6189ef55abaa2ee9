//! Hand-written support code shared by the integration tests of the generated client.
//! Each test binary uses only part of it.
#![allow(dead_code)]

pub mod prism;
pub mod recorder;

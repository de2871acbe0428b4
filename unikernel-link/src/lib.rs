//! The application side of the project: a `no_std` client for the Isolated
//! linkage, the choice of linkage per build target, and the check that an
//! isolated image links none of the described library's C code.
//!
//! This crate is filled by the unikernel work; today it only names its role.
#![no_std]

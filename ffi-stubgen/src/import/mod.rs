//! Drafting a description from a C header.

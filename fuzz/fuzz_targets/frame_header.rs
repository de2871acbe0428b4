//! The frame header decoder, fed a byte stream as the client would read it
//! from a hostile domain: headers and payloads back to back, under a bound
//! taken from the input. A header is accepted only as the layout in
//! `ffi_isolate::wire` says, re-encodes to its own bytes, and its length
//! never exceeds the bound.
#![no_main]

use ffi_isolate::wire::{FrameError, Header, HEADER_LEN, MAGIC};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((bound, mut stream)) = data.split_first_chunk::<4>() else {
        return;
    };
    let max = u32::from_le_bytes(*bound) as usize;
    while let Some((raw, rest)) = stream.split_first_chunk::<HEADER_LEN>() {
        match Header::decode(raw, max) {
            Ok(h) => {
                assert_eq!(&h.encode(), raw);
                assert!(h.len as usize <= max);
                // The payload the header announces, if the stream holds it.
                let Some(payload) = rest.get(..h.len as usize) else {
                    return;
                };
                stream = &rest[payload.len()..];
            }
            Err(e) => {
                match e {
                    FrameError::Magic(m) => assert_ne!(m, MAGIC),
                    FrameError::Kind(k) => assert!(!(1..=8).contains(&k)),
                    FrameError::Reserved => assert_ne!(raw[20..24], [0; 4]),
                    FrameError::TooLong { len, max: m } => assert!(len as usize > m && m == max),
                }
                // A refused header ends the connection.
                return;
            }
        }
    }
});

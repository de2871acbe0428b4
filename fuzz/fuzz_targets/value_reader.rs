//! The value codec's `Reader`, driven by the input: the first byte says how
//! many of the next bytes are operations, the rest is the payload they
//! decode. Nothing may panic, the reader never moves past the payload, and
//! nothing decoded is larger than the bytes that carried it.
#![no_main]

use ffi_desc::wire::{self, Reader, Wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (ops, payload) = rest.split_at((n as usize % 32).min(rest.len()));
    let mut r = Reader::new(payload);
    for &op in ops {
        let before = r.remaining();
        match op % 18 {
            0 => {
                let _ = u8::get(&mut r);
            }
            1 => {
                let _ = i16::get(&mut r);
            }
            2 => {
                let _ = i32::get(&mut r);
            }
            3 => {
                let _ = u64::get(&mut r);
            }
            4 => {
                let _ = f64::get(&mut r);
            }
            5 => {
                let _ = bool::get(&mut r);
            }
            6 => {
                let _ = usize::get(&mut r);
            }
            7 => {
                let _ = isize::get(&mut r);
            }
            8 => {
                let _ = <[i16; 3]>::get(&mut r);
            }
            9 => {
                // An element size from the operation byte, up to the largest
                // a description can make.
                let size = 1usize << (op >> 5);
                if let Ok(count) = r.count(size) {
                    assert!(count * size <= before - 8);
                }
            }
            10 => {
                if let Ok(cap) = r.capacity(1 << 30) {
                    assert!(cap <= 1 << 30);
                }
            }
            11 => {
                if let Ok(v) = wire::get_vec::<i32>(&mut r) {
                    assert!(v.len() * 4 <= before);
                }
            }
            12 => {
                if let Ok(v) = wire::get_vec::<u8>(&mut r) {
                    assert!(v.len() <= before);
                }
            }
            13 => {
                if let Ok(v) = wire::get_vec::<u64>(&mut r) {
                    assert!(v.len() * 8 <= before);
                }
            }
            14 => {
                if let Ok(s) = wire::get_cstring(&mut r) {
                    assert!(s.as_bytes().len() <= before);
                }
            }
            15 => {
                let _ = wire::get_opt_cstring(&mut r);
            }
            16 => {
                let mut dst = [0i32; 4];
                if let Ok(count) = wire::get_into(&mut r, &mut dst) {
                    assert!(count <= dst.len());
                }
            }
            _ => {
                let _ = r.bytes(op as usize);
            }
        }
        assert!(r.remaining() <= before, "the reader moved backwards");
    }
    let _ = r.finish();
});

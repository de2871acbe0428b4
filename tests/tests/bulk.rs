//! Buffers above the bulk threshold (1 MiB), through every linkage: the
//! Isolated linkage passes them through the lane's shared region, and must
//! give the results the others give. The same behaviours run again through
//! Isolated domains whose region is too small for them (they travel in the
//! frame) and that have no region at all.

use ffi_desc::Error;
use ffi_tests::behaviours;
use ffi_tests::vocab::vocab::*;

const MIB: usize = 1 << 20;

behaviours!(vocab:
    large_in_buffer,
    large_out_buffer,
    large_in_out_buffer,
    large_buffers_sharing_a_length,
    large_buffer_with_a_written_back_length,
    large_buffer_with_a_lying_length,
    large_buffers_in_a_nested_call,
    buffers_either_side_of_the_threshold,
);

/// A 1 MiB pattern that no two neighbouring calls share.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 9) as u8)
        .collect()
}

fn large_in_buffer<L: Vocab>(lib: &L) {
    let xs: Vec<i32> = (0..(MIB / 4) as i32).map(|i| i % 1000 - 300).collect();
    let want: i64 = xs.iter().map(|&x| i64::from(x)).sum();
    assert_eq!(lib.sum(&xs).unwrap(), want);
    // Again: the region is reused, and holds this call's bytes.
    let ys: Vec<i32> = xs.iter().map(|x| x * 2).collect();
    assert_eq!(lib.sum(&ys).unwrap(), want * 2);
}

fn large_out_buffer<L: Vocab>(lib: &L) {
    let mut buf = vec![0u8; MIB];
    assert_eq!(lib.fill(&mut buf, 0x5a).unwrap(), MIB);
    assert!(buf.iter().all(|&b| b == 0x5a));
    assert_eq!(lib.fill(&mut buf, 0xa5).unwrap(), MIB);
    assert!(buf.iter().all(|&b| b == 0xa5));
}

fn large_in_out_buffer<L: Vocab>(lib: &L) {
    let original = pattern(MIB, 7);
    let mut buf = original.clone();
    lib.reverse(&mut buf).unwrap();
    assert!(buf.iter().eq(original.iter().rev()));
    lib.reverse(&mut buf).unwrap();
    assert_eq!(buf, original);
}

fn large_buffers_sharing_a_length<L: Vocab>(lib: &L) {
    let n = MIB / 4;
    let a: Vec<i32> = (0..n as i32).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| 7 - i * 3).collect();
    let mut out = vec![0i32; n];
    lib.add_vec(&a, &b, &mut out).unwrap();
    assert!(out.iter().enumerate().all(|(i, &v)| v == 7 - 2 * i as i32));
}

fn large_buffer_with_a_written_back_length<L: Vocab>(lib: &L) {
    let src = pattern(600 << 10, 3);
    let mut dest = vec![0xeeu8; MIB];
    let (status, n) = lib.copy(&mut dest, &src).unwrap();
    assert_eq!((status, n), (0, src.len()));
    assert_eq!(&dest[..n], &src[..]);
    // C wrote nothing beyond what it reported: neither did the linkage.
    assert!(dest[n..].iter().all(|&b| b == 0xee));
    // A destination shorter than the source: C copies what fits.
    let mut short = vec![0u8; 300 << 10];
    let (status, n) = lib.copy(&mut short, &src).unwrap();
    assert_eq!((status, n), (1, short.len()));
    assert_eq!(&short[..], &src[..n]);
}

fn large_buffer_with_a_lying_length<L: Vocab>(lib: &L) {
    let mut dest = vec![0u8; MIB];
    let err = lib.copy_liar(&mut dest).unwrap_err();
    assert_eq!(
        err,
        Error::LengthOutOfRange {
            function: "copy_liar",
            param: "len",
            returned: MIB as u64 + 1,
            capacity: MIB
        }
    );
}

/// A callback that makes calls with large buffers while C still reads the
/// outer call's: neither disturbs the other.
fn large_buffers_in_a_nested_call<L: Vocab>(lib: &L) {
    let xs: Vec<i32> = (0..8192).collect();
    let ys: Vec<i32> = (0..(MIB / 4) as i32).map(|i| i % 17).collect();
    let ys_sum: i64 = ys.iter().map(|&y| i64::from(y)).sum();
    let mut nested = Vec::new();
    let total = lib
        .each(&xs, &mut |v| {
            if v % 2048 == 0 {
                nested.push(lib.sum(&ys).unwrap());
                let mut buf = vec![0u8; MIB];
                assert_eq!(lib.fill(&mut buf, v as u8).unwrap(), MIB);
                assert!(buf.iter().all(|&b| b == v as u8));
            }
            v
        })
        .unwrap();
    assert_eq!(total, (0..8192).sum::<i32>());
    assert_eq!(nested, vec![ys_sum; 4]);
}

/// Sizes around the default threshold (16 KiB) and odd sizes: each goes
/// one way or the other, with the same result.
fn buffers_either_side_of_the_threshold<L: Vocab>(lib: &L) {
    for len in [
        0,
        1,
        4095,
        (16 << 10) - 1,
        16 << 10,
        (16 << 10) + 1,
        100_003,
    ] {
        let original = pattern(len, len as u8);
        let mut buf = original.clone();
        lib.reverse(&mut buf).unwrap();
        assert!(buf.iter().eq(original.iter().rev()), "reverse of {len}");
        let mut out = vec![1u8; len];
        assert_eq!(lib.fill(&mut out, 9).unwrap(), len);
        assert!(out.iter().all(|&b| b == 9), "fill of {len}");
        let xs: Vec<i32> = (0..len as i32 / 4).collect();
        let want: i64 = xs.iter().map(|&x| i64::from(x)).sum();
        assert_eq!(lib.sum(&xs).unwrap(), want, "sum of {len}");
    }
}

/// The behaviours again, through Isolated domains that pass the buffers
/// another way.
mod isolated_variants {
    use super::*;

    fn with(f: impl FnOnce(&mut ffi_isolate::IsolatedOptions)) -> VocabIsolated {
        let mut opts = ffi_tests::harness::isolated_options("vocab-domain");
        f(&mut opts);
        ffi_isolate::Domain::launch(opts).expect("start the vocab domain")
    }

    fn all(lib: &VocabIsolated) {
        large_in_buffer(lib);
        large_out_buffer(lib);
        large_in_out_buffer(lib);
        large_buffers_sharing_a_length(lib);
        large_buffer_with_a_written_back_length(lib);
        large_buffer_with_a_lying_length(lib);
        large_buffers_in_a_nested_call(lib);
        buffers_either_side_of_the_threshold(lib);
    }

    /// A region smaller than the buffers: they travel in the frame as
    /// segments, and the smaller ones still use the region.
    #[test]
    fn region_too_small() {
        all(&with(|o| o.bulk_region = 256 << 10));
    }

    /// A region that holds one buffer: a nested call's, or the second and
    /// third of `add_vec`, travel in the frame.
    #[test]
    fn region_for_one_buffer() {
        all(&with(|o| o.bulk_region = MIB + 4096));
    }

    /// No region: every buffer travels inline, as before segments.
    #[test]
    fn no_region() {
        all(&with(|o| o.bulk_region = 0));
    }

    /// Every buffer, however small, as a segment.
    #[test]
    fn threshold_of_one_byte() {
        all(&with(|o| o.bulk_threshold = 1));
    }
}

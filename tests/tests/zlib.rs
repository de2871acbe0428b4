//! zlib, described by hand, through every linkage.

use ffi_desc::Error;
use ffi_tests::behaviours;
use ffi_tests::zlib::zlib::*;

const Z_OK: i32 = 0;
const Z_BUF_ERROR: i32 = -5;

behaviours!(zlib: version, compress_round_trip, compress_into_too_small_buffer, checksums_incremental, gzip_file_round_trip, gzopen_failure);

fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 13) % 251) as u8).collect()
}

fn version<L: Zlib>(lib: &L) {
    let v = lib.zlib_version().unwrap();
    assert!(v.to_str().unwrap().starts_with("1."), "{v:?}");
}

fn compress_round_trip<L: Zlib>(lib: &L) {
    for len in [0usize, 1, 1000, 1 << 20] {
        let data = sample(len);
        let bound = lib.compress_bound(len as _).unwrap() as usize;
        assert!(bound >= len);
        let mut packed = vec![0u8; bound];
        let (status, n) = lib.compress2(&mut packed, &data, 6).unwrap();
        assert_eq!(status, Z_OK);
        assert!(n <= bound);
        let mut unpacked = vec![0u8; len];
        let (status, m) = lib.uncompress(&mut unpacked, &packed[..n]).unwrap();
        assert_eq!(status, Z_OK);
        assert_eq!(m, len);
        assert_eq!(unpacked, data);
    }
}

fn compress_into_too_small_buffer<L: Zlib>(lib: &L) {
    let data = sample(10_000);
    let mut packed = vec![0u8; 4];
    let (status, _) = lib.compress2(&mut packed, &data, 9).unwrap();
    assert_eq!(status, Z_BUF_ERROR);
}

fn checksums_incremental<L: Zlib>(lib: &L) {
    let data = b"The quick brown fox jumps over the lazy dog";
    let whole = lib.crc32(0, data).unwrap();
    assert_eq!(whole, 0x414f_a339);
    let part = lib.crc32(0, &data[..10]).unwrap();
    assert_eq!(lib.crc32(part, &data[10..]).unwrap(), whole);
    let a_whole = lib.adler32(1, data).unwrap();
    assert_eq!(a_whole, 0x5bdc_0fda);
    let a_part = lib.adler32(1, &data[..20]).unwrap();
    assert_eq!(lib.adler32(a_part, &data[20..]).unwrap(), a_whole);
}

fn gzip_file_round_trip<L: Zlib>(lib: &L) {
    let dir = std::env::temp_dir().join(format!(
        "ffi-zlib-{}-{}",
        std::process::id(),
        lib as *const L as usize
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.gz");
    let path_str = path.to_str().unwrap();
    let data = sample(200_000);
    let f = lib.gzopen(path_str, "wb").unwrap();
    assert_eq!(lib.gzwrite(&f, &data).unwrap(), data.len() as i32);
    assert_eq!(lib.gzclose(f).unwrap(), Z_OK);
    // The file is a real gzip stream.
    let raw = std::fs::read(&path).unwrap();
    assert_eq!(&raw[..2], &[0x1f, 0x8b]);
    let f = lib.gzopen(path_str, "rb").unwrap();
    let mut back = vec![0u8; data.len() + 10];
    let n = lib.gzread(&f, &mut back).unwrap();
    assert_eq!(n as usize, data.len());
    assert_eq!(&back[..data.len()], &data[..]);
    drop(f); // Drop closes through gzclose.
    std::fs::remove_dir_all(&dir).unwrap();
}

fn gzopen_failure<L: Zlib>(lib: &L) {
    let err = lib.gzopen("/nonexistent-dir/x.gz", "rb").unwrap_err();
    assert_eq!(err, Error::NullReturn { function: "gzopen" });
}

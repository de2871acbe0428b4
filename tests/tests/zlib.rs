//! zlib, drafted from its header and resolved by hand, through every linkage.

use ffi_desc::Error;
use ffi_tests::behaviours;
use ffi_tests::zlib::zlib::*;

const Z_OK: i32 = 0;
const Z_BUF_ERROR: i32 = -5;

behaviours!(
    zlib: version,
    compress_round_trip,
    compress_into_too_small_buffer,
    checksums_incremental,
    gzip_file_round_trip,
    gzopen_failure,
    status_messages_and_flags,
    checksums_by_size_t_and_combined,
    gzip_text_api,
);

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
    let dir = ffi_tests::harness::zlib::scratch_dir()
        .join(format!("round-trip-{}", lib as *const L as usize));
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

fn status_messages_and_flags<L: Zlib>(lib: &L) {
    assert_eq!(
        lib.z_error(Z_BUF_ERROR).unwrap().to_str().unwrap(),
        "buffer error"
    );
    assert_eq!(lib.z_error(Z_OK).unwrap().to_str().unwrap(), "");
    // Bits 1..0: the size of uInt, 1 for 32 bits.
    assert_eq!(lib.zlib_compile_flags().unwrap() & 3, 1);
    let data = sample(5000);
    let mut packed = vec![0u8; lib.compress_bound(data.len() as _).unwrap() as usize];
    let (status, n) = lib.compress(&mut packed, &data).unwrap();
    assert_eq!(status, Z_OK);
    let mut back = vec![0u8; data.len()];
    assert_eq!(
        lib.uncompress(&mut back, &packed[..n]).unwrap(),
        (Z_OK, data.len())
    );
    assert_eq!(back, data);
}

fn checksums_by_size_t_and_combined<L: Zlib>(lib: &L) {
    let data = sample(3000);
    let (a, b) = data.split_at(1234);
    let crc = lib.crc32(0, &data).unwrap();
    assert_eq!(lib.crc32_z(0, &data).unwrap(), crc);
    let (ca, cb) = (lib.crc32_z(0, a).unwrap(), lib.crc32_z(0, b).unwrap());
    assert_eq!(lib.crc32_combine(ca, cb, b.len() as _).unwrap(), crc);
    let op = lib.crc32_combine_gen(b.len() as _).unwrap();
    assert_eq!(lib.crc32_combine_op(ca, cb, op).unwrap(), crc);
    let adler = lib.adler32(1, &data).unwrap();
    assert_eq!(lib.adler32_z(1, &data).unwrap(), adler);
    let (aa, ab) = (lib.adler32_z(1, a).unwrap(), lib.adler32_z(1, b).unwrap());
    assert_eq!(lib.adler32_combine(aa, ab, b.len() as _).unwrap(), adler);
}

fn gzip_text_api<L: Zlib>(lib: &L) {
    let dir =
        ffi_tests::harness::zlib::scratch_dir().join(format!("text-{}", lib as *const L as usize));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("text.gz");
    let path_str = path.to_str().unwrap();

    let f = lib.gzopen(path_str, "wb9").unwrap();
    assert_eq!(lib.gzbuffer(&f, 1 << 16).unwrap(), 0);
    assert_eq!(lib.gzsetparams(&f, 1, 0).unwrap(), Z_OK);
    assert_eq!(lib.gzputs(&f, "hello, ").unwrap(), 7);
    assert_eq!(lib.gzputc(&f, b'w' as i32).unwrap(), b'w' as i32);
    assert_eq!(lib.gzwrite(&f, b"orld\n").unwrap(), 5);
    assert_eq!(lib.gzflush(&f, 2).unwrap(), Z_OK);
    assert_eq!(lib.gztell(&f).unwrap(), 13);
    assert!(lib.gzoffset(&f).unwrap() > 0);
    let (msg, code) = lib.gzerror(&f).unwrap();
    assert_eq!((msg.to_str().unwrap(), code), ("", Z_OK));
    assert_eq!(lib.gzclose_w(f).unwrap(), Z_OK);

    let f = lib.gzopen(path_str, "rb").unwrap();
    assert_eq!(lib.gzdirect(&f).unwrap(), 0);
    assert_eq!(lib.gzgetc(&f).unwrap(), b'h' as i32);
    assert_eq!(lib.gzgetc_(&f).unwrap(), b'e' as i32);
    assert_eq!(lib.gzungetc(b'E' as i32, &f).unwrap(), b'E' as i32);
    let mut buf = [0u8; 64];
    assert_eq!(lib.gzread(&f, &mut buf).unwrap(), 12);
    assert_eq!(&buf[..12], b"Ello, world\n");
    assert_eq!(lib.gzeof(&f).unwrap(), 1);
    lib.gzclearerr(&f).unwrap();
    assert_eq!(lib.gzeof(&f).unwrap(), 0);
    assert_eq!(lib.gzseek(&f, 7, 0).unwrap(), 7);
    assert_eq!(lib.gzgetc(&f).unwrap(), b'w' as i32);
    assert_eq!(lib.gzrewind(&f).unwrap(), 0);
    assert_eq!(lib.gztell(&f).unwrap(), 0);
    assert_eq!(lib.gzclose_r(f).unwrap(), Z_OK);
    std::fs::remove_dir_all(&dir).unwrap();
}

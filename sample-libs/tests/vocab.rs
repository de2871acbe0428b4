//! Calls the vocab C library through raw `extern "C"` declarations, to check
//! that the static archive is linked into dependents and that each function
//! does what `vocab.h` says.

#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, c_double, c_int, c_long, c_void, CStr};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

// Make rustc load sample-libs, which carries the whole static archive.
use sample_libs as _;

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SvPoint {
    x: i32,
    y: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SvRect {
    min: SvPoint,
    max: SvPoint,
}

/// `sv_color` is a C enum; carried as its underlying `unsigned int`/`int`.
type SvColor = c_int;
const SV_RED: SvColor = 0;
const SV_GREEN: SvColor = 1;
const SV_BLUE: SvColor = 2;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct SvRecord {
    tag: u8,
    weight: f64,
    name: [c_char; 16],
    values: [i16; 3],
    color: SvColor,
}

#[repr(C)]
#[derive(Clone, Copy)]
union SvValue {
    i: i64,
    d: f64,
    bytes: [u8; 8],
}

#[repr(C)]
struct SvCounter {
    _opaque: [u8; 0],
}

type SvVisitFn = unsafe extern "C" fn(value: c_int, user: *mut c_void) -> c_int;
type SvLogFn = unsafe extern "C" fn(level: c_int, msg: *const c_char, user: *mut c_void);

unsafe extern "C" {
    fn sv_add_i8(a: i8, b: i8) -> i8;
    fn sv_add_u16(a: u16, b: u16) -> u16;
    fn sv_add_i64(a: i64, b: i64) -> i64;
    fn sv_add_u64(a: u64, b: u64) -> u64;
    fn sv_add_size(a: usize, b: usize) -> usize;
    fn sv_add_ssize(a: isize, b: isize) -> isize;
    fn sv_add_float(a: f32, b: f32) -> f32;
    fn sv_add_double(a: f64, b: f64) -> f64;
    fn sv_xor_bool(a: bool, b: bool) -> bool;
    fn sv_noop();
    fn sv_noop_count() -> c_int;

    fn sv_int0() -> c_int;
    #[allow(clippy::too_many_arguments)]
    fn sv_int15(
        a1: c_int,
        a2: c_int,
        a3: c_int,
        a4: c_int,
        a5: c_int,
        a6: c_int,
        a7: c_int,
        a8: c_int,
        a9: c_int,
        a10: c_int,
        a11: c_int,
        a12: c_int,
        a13: c_int,
        a14: c_int,
        a15: c_int,
    ) -> c_int;

    fn sv_double_in(p: *const c_int) -> c_int;
    fn sv_mul_out(a: c_int, b: c_int, out: *mut c_int) -> c_int;
    fn sv_bump(p: *mut c_long, by: c_long) -> c_long;
    fn sv_sum4(v: *const c_int) -> c_int;
    fn sv_iota4(start: c_int, out: *mut c_int);
    fn sv_sum(xs: *const c_int, n: usize) -> c_long;
    fn sv_add_vec(a: *const c_int, b: *const c_int, out: *mut c_int, n: usize);
    fn sv_fill(buf: *mut u8, cap: usize, fill: u8) -> usize;
    fn sv_reverse(buf: *mut u8, len: usize);
    fn sv_copy(dest: *mut u8, len: *mut usize, src: *const u8, src_len: usize) -> c_int;
    fn sv_copy_liar(dest: *mut u8, len: *mut usize) -> c_int;

    fn sv_strlen(s: *const c_char) -> usize;
    fn sv_version() -> *const c_char;
    fn sv_greet(name: *const c_char) -> *mut c_char;
    fn sv_string_free(s: *mut c_char);
    fn sv_live_strings() -> c_int;
    fn sv_maybe_null(fail: c_int) -> *const c_char;

    fn sv_point_add(a: SvPoint, b: SvPoint) -> SvPoint;
    fn sv_rect_area(r: *const SvRect) -> i64;
    fn sv_point_make(x: i32, y: i32, out: *mut SvPoint);
    fn sv_rect_scale(r: *mut SvRect, k: i32);
    fn sv_record_make(
        tag: u8,
        weight: f64,
        name: *const c_char,
        color: SvColor,
        out: *mut SvRecord,
    );
    fn sv_record_sum(r: SvRecord) -> c_int;
    fn sv_value_get(v: SvValue, as_int: c_int) -> i64;
    fn sv_value_of_double(d: f64) -> SvValue;
    fn sv_color_next(c: SvColor) -> SvColor;
    fn sv_color_from_raw(raw: c_int) -> SvColor;

    fn sv_counter_new(start: c_int) -> *mut SvCounter;
    fn sv_counter_add(c: *mut SvCounter, by: c_int) -> c_int;
    fn sv_counter_get(c: *const SvCounter) -> c_int;
    fn sv_counter_free(c: *mut SvCounter);
    fn sv_counters_live() -> c_int;

    fn sv_each(xs: *const c_int, n: usize, f: SvVisitFn, user: *mut c_void) -> c_int;
    fn sv_set_logger(f: Option<SvLogFn>, user: *mut c_void);
    fn sv_log(level: c_int, msg: *const c_char) -> c_int;
    fn sv_clear_logger();

    fn sv_checked_div(a: c_int, b: c_int) -> c_int;

    fn sv_sum_ints(count: c_int, ...) -> c_int;
    fn sv_sum_doubles(count: c_int, ...) -> c_double;
}

/// Tests that read a process-wide live count run one at a time.
static LIVE_COUNTS: Mutex<()> = Mutex::new(());

#[test]
fn scalars() {
    unsafe {
        assert_eq!(sv_add_i8(100, 27), 127);
        assert_eq!(sv_add_i8(127, 1), -128);
        assert_eq!(sv_add_u16(65535, 2), 1);
        assert_eq!(sv_add_i64(i64::MAX, -1), i64::MAX - 1);
        assert_eq!(sv_add_u64(u64::MAX, 1), 0);
        assert_eq!(sv_add_size(40, 2), 42);
        assert_eq!(sv_add_ssize(-40, -2), -42);
        assert_eq!(sv_add_float(1.5, 2.25), 3.75);
        assert_eq!(sv_add_double(1e300, 1e300), 2e300);
        assert!(sv_xor_bool(true, false));
        assert!(!sv_xor_bool(true, true));
        let before = sv_noop_count();
        sv_noop();
        sv_noop();
        assert!(sv_noop_count() >= before + 2);
    }
}

#[test]
fn many_int_arguments() {
    unsafe {
        assert_eq!(sv_int0(), 0);
        assert_eq!(
            sv_int15(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
            120
        );
    }
}

#[test]
fn pointers() {
    unsafe {
        let x = 21;
        assert_eq!(sv_double_in(&x), 42);

        let mut out = 0;
        assert_eq!(sv_mul_out(6, 7, &mut out), 0);
        assert_eq!(out, 42);

        let mut v: c_long = 40;
        assert_eq!(sv_bump(&mut v, 2), 42);
        assert_eq!(v, 42);

        assert_eq!(sv_sum4([1, 2, 3, 4].as_ptr()), 10);
        let mut four = [0; 4];
        sv_iota4(7, four.as_mut_ptr());
        assert_eq!(four, [7, 8, 9, 10]);

        let xs = [1, -2, 3, 40];
        assert_eq!(sv_sum(xs.as_ptr(), xs.len()), 42);
        assert_eq!(sv_sum(std::ptr::null(), 0), 0);

        let a = [1, 2, 3];
        let b = [10, 20, 30];
        let mut sum = [0; 3];
        sv_add_vec(a.as_ptr(), b.as_ptr(), sum.as_mut_ptr(), 3);
        assert_eq!(sum, [11, 22, 33]);

        let mut buf = [0u8; 6];
        assert_eq!(sv_fill(buf.as_mut_ptr(), 5, 0xAB), 5);
        assert_eq!(buf, [0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0]);

        let mut bytes = *b"hello";
        sv_reverse(bytes.as_mut_ptr(), bytes.len());
        assert_eq!(&bytes, b"olleh");
    }
}

#[test]
fn in_out_length() {
    unsafe {
        let src = b"abcdef";
        let mut dest = [0u8; 8];
        let mut len = dest.len();
        assert_eq!(
            sv_copy(dest.as_mut_ptr(), &mut len, src.as_ptr(), src.len()),
            0
        );
        assert_eq!(len, 6);
        assert_eq!(&dest[..len], b"abcdef");

        let mut small = [0u8; 4];
        let mut len = small.len();
        assert_eq!(
            sv_copy(small.as_mut_ptr(), &mut len, src.as_ptr(), src.len()),
            1
        );
        assert_eq!(len, 4);
        assert_eq!(&small, b"abcd");

        // The liar claims one byte more than the capacity and writes nothing.
        let mut guarded = [0x55u8; 5];
        let mut len = 4;
        assert_eq!(sv_copy_liar(guarded.as_mut_ptr(), &mut len), 0);
        assert_eq!(len, 5);
        assert_eq!(guarded, [0x55; 5]);
    }
}

#[test]
fn strings() {
    let _serial = LIVE_COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    unsafe {
        assert_eq!(sv_strlen(c"twelve chars".as_ptr()), 12);
        let version = CStr::from_ptr(sv_version());
        assert!(!version.to_bytes().is_empty());

        let live = sv_live_strings();
        let s = sv_greet(c"world".as_ptr());
        assert!(!s.is_null());
        assert_eq!(CStr::from_ptr(s), c"hello, world!");
        assert_eq!(sv_live_strings(), live + 1);
        sv_string_free(s);
        assert_eq!(sv_live_strings(), live);

        assert!(sv_maybe_null(1).is_null());
        assert_eq!(CStr::from_ptr(sv_maybe_null(0)), c"ok");
    }
}

#[test]
fn structs_by_value_and_pointer() {
    unsafe {
        let p = sv_point_add(SvPoint { x: 1, y: 2 }, SvPoint { x: 10, y: 20 });
        assert_eq!(p, SvPoint { x: 11, y: 22 });

        let mut made = SvPoint { x: 0, y: 0 };
        sv_point_make(-3, 4, &mut made);
        assert_eq!(made, SvPoint { x: -3, y: 4 });

        let mut r = SvRect {
            min: SvPoint { x: 1, y: 1 },
            max: SvPoint { x: 4, y: 6 },
        };
        assert_eq!(sv_rect_area(&r), 15);
        sv_rect_scale(&mut r, 2);
        assert_eq!(
            r,
            SvRect {
                min: SvPoint { x: 2, y: 2 },
                max: SvPoint { x: 8, y: 12 },
            }
        );
        assert_eq!(sv_rect_area(&r), 60);
    }
}

#[test]
fn record_layout_round_trips() {
    // The layout the C compiler gives sv_record on the x86_64/aarch64 SysV ABIs.
    assert_eq!(std::mem::size_of::<SvRecord>(), 48);
    assert_eq!(std::mem::align_of::<SvRecord>(), 8);
    unsafe {
        let mut rec = std::mem::MaybeUninit::<SvRecord>::uninit();
        sv_record_make(
            7,
            2.5,
            c"a name longer than fifteen".as_ptr(),
            SV_BLUE,
            rec.as_mut_ptr(),
        );
        let rec = rec.assume_init();
        assert_eq!(rec.tag, 7);
        assert_eq!(rec.weight, 2.5);
        let name: Vec<u8> = rec.name.iter().map(|&c| c as u8).collect();
        assert_eq!(&name[..], b"a name longer t\0");
        assert_eq!(rec.values, [1, 2, 3]);
        assert_eq!(rec.color, SV_BLUE);
        assert_eq!(sv_record_sum(rec), 1 + 2 + 3 + 7);

        let mut short = std::mem::MaybeUninit::<SvRecord>::uninit();
        sv_record_make(1, -1.0, c"ab".as_ptr(), SV_GREEN, short.as_mut_ptr());
        let short = short.assume_init();
        assert!(short.name[2..].iter().all(|&c| c == 0), "NUL-padded");
        let mut modified = short;
        modified.values = [100, -50, 8];
        assert_eq!(sv_record_sum(modified), 100 - 50 + 8 + 1);
    }
}

#[test]
fn unions_and_enums() {
    unsafe {
        assert_eq!(sv_value_get(SvValue { i: -42 }, 1), -42);
        assert_eq!(sv_value_get(SvValue { d: 41.9 }, 0), 41);
        let v = sv_value_of_double(3.0);
        assert_eq!(v.d, 3.0);
        assert_eq!(v.bytes, 3.0f64.to_ne_bytes());

        assert_eq!(sv_color_next(SV_RED), SV_GREEN);
        assert_eq!(sv_color_next(SV_GREEN), SV_BLUE);
        assert_eq!(sv_color_next(SV_BLUE), SV_RED);
        assert_eq!(sv_color_from_raw(1), SV_GREEN);
        assert_eq!(sv_color_from_raw(77), 77);
    }
}

#[test]
fn counter_handle() {
    let _serial = LIVE_COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    unsafe {
        assert!(sv_counter_new(-1).is_null());
        let live = sv_counters_live();
        let c = sv_counter_new(10);
        assert!(!c.is_null());
        assert_eq!(sv_counters_live(), live + 1);
        assert_eq!(sv_counter_add(c, 5), 15);
        assert_eq!(sv_counter_add(c, -20), -5);
        assert_eq!(sv_counter_get(c), -5);
        sv_counter_free(c);
        assert_eq!(sv_counters_live(), live);
    }
}

#[test]
fn counters_from_several_threads() {
    let _serial = LIVE_COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    let live = unsafe { sv_counters_live() };
    std::thread::scope(|s| {
        for t in 0..8 {
            s.spawn(move || {
                for i in 0..1000 {
                    unsafe {
                        let c = sv_counter_new(t);
                        assert_eq!(sv_counter_add(c, i), t + i);
                        sv_counter_free(c);
                        let g = sv_greet(c"thread".as_ptr());
                        sv_string_free(g);
                    }
                }
            });
        }
    });
    assert_eq!(unsafe { sv_counters_live() }, live);
}

unsafe extern "C" fn triple_and_count(value: c_int, user: *mut c_void) -> c_int {
    let calls = unsafe { &*(user as *const AtomicI32) };
    calls.fetch_add(1, Ordering::Relaxed);
    value * 3
}

#[test]
fn callback_during_call() {
    let calls = AtomicI32::new(0);
    let xs = [1, 2, 3, 4];
    let total = unsafe {
        sv_each(
            xs.as_ptr(),
            xs.len(),
            triple_and_count,
            &calls as *const AtomicI32 as *mut c_void,
        )
    };
    assert_eq!(total, 30);
    assert_eq!(calls.load(Ordering::Relaxed), 4);
}

unsafe extern "C" fn record_log(level: c_int, msg: *const c_char, user: *mut c_void) {
    let seen = unsafe { &*(user as *const Mutex<Vec<(c_int, String)>>) };
    let msg = unsafe { CStr::from_ptr(msg) }
        .to_string_lossy()
        .into_owned();
    seen.lock().unwrap().push((level, msg));
}

#[test]
fn stored_logger() {
    // The logger is process-wide; this is the only test that sets it.
    let seen: Mutex<Vec<(c_int, String)>> = Mutex::new(Vec::new());
    unsafe {
        sv_clear_logger();
        assert_eq!(sv_log(1, c"dropped".as_ptr()), 0);
        sv_set_logger(Some(record_log), &seen as *const _ as *mut c_void);
        assert_eq!(sv_log(2, c"first".as_ptr()), 1);
        assert_eq!(sv_log(3, c"second".as_ptr()), 1);
        sv_clear_logger();
        assert_eq!(sv_log(4, c"after clear".as_ptr()), 0);
    }
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(2, "first".to_owned()), (3, "second".to_owned())]
    );
}

#[test]
fn errno_on_division_by_zero() {
    unsafe {
        assert_eq!(sv_checked_div(42, 6), 7);
        assert_eq!(sv_checked_div(1, 0), 0);
        // Read right after the call, on the same thread.
        let err = std::io::Error::last_os_error();
        assert_eq!(err.raw_os_error(), Some(33), "EDOM is 33 on Linux: {err}");
    }
}

#[test]
fn variadics() {
    unsafe {
        assert_eq!(sv_sum_ints(0), 0);
        assert_eq!(sv_sum_ints(3, 1 as c_int, 2 as c_int, 39 as c_int), 42);
        assert_eq!(sv_sum_doubles(2, 0.5 as c_double, 1.25 as c_double), 1.75);
    }
}

//! Every vocabulary element of the description, through every linkage.

use ffi_desc::{Errno, Error};
use ffi_tests::behaviours;
use ffi_tests::vocab::vocab::*;
use std::ffi::{CStr, CString};
use std::sync::{Arc, Mutex};

/// Held by every behaviour that makes or counts the library's counters,
/// strings or emitters. The library counts each kind in one static per
/// loaded copy, which the in-process linkages' tests share while they run
/// in parallel, so a count is exact only while no other test makes one.
fn counted() -> std::sync::MutexGuard<'static, ()> {
    static COUNTED: Mutex<()> = Mutex::new(());
    COUNTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

behaviours!(vocab + framed:
    scalars,
    int_arguments,
    pointers_one_object,
    pointers_fixed_count,
    pointers_with_length,
    in_out_length,
    strings_in,
    strings_out,
    structs_by_value_and_pointer,
    struct_with_array_and_enum,
    unions,
    enums,
    handles,
    handles_of_a_string_typedef,
    callbacks_during_call,
    callback_panic_is_contained,
    callbacks_stored,
    errno_captured,
    variadic_instantiations,
    bad_buffer_too_small,
    bad_length_from_c,
    bad_enum_from_c,
    bad_interior_nul,
    bad_null_string,
);

fn scalars<L: Vocab>(lib: &L) {
    assert_eq!(lib.add_i8(100, 27).unwrap(), 127);
    assert_eq!(lib.add_i8(127, 1).unwrap(), -128);
    assert_eq!(lib.add_i16(-300, 1).unwrap(), -299);
    assert_eq!(lib.add_i32(i32::MAX, 1).unwrap(), i32::MIN);
    assert_eq!(lib.add_i64(1 << 40, 1).unwrap(), (1 << 40) + 1);
    assert_eq!(lib.add_u8(250, 10).unwrap(), 4);
    assert_eq!(lib.add_u16(65535, 2).unwrap(), 1);
    assert_eq!(lib.add_u32(u32::MAX, 1).unwrap(), 0);
    assert_eq!(lib.add_u64(u64::MAX - 1, 1).unwrap(), u64::MAX);
    assert_eq!(
        lib.add_char(b'a' as std::ffi::c_char, 1).unwrap(),
        b'b' as std::ffi::c_char
    );
    assert_eq!(lib.add_schar(-5, 3).unwrap(), -2);
    assert_eq!(lib.add_uchar(200, 55).unwrap(), 255);
    assert_eq!(lib.add_short(-1, -1).unwrap(), -2);
    assert_eq!(lib.add_ushort(1, 1).unwrap(), 2);
    assert_eq!(lib.add_int(-7, 3).unwrap(), -4);
    assert_eq!(lib.add_uint(7, 3).unwrap(), 10);
    assert_eq!(lib.add_long(-(1 << 50), 1).unwrap(), -(1 << 50) + 1);
    assert_eq!(lib.add_ulong(1 << 50, 1).unwrap(), (1 << 50) + 1);
    assert_eq!(lib.add_longlong(-1, -1).unwrap(), -2);
    assert_eq!(lib.add_ulonglong(u64::MAX, 1).unwrap(), 0);
    assert_eq!(lib.add_size(usize::MAX - 1, 1).unwrap(), usize::MAX);
    assert_eq!(lib.add_ssize(-10, 4).unwrap(), -6);
    assert_eq!(lib.add_float(1.5, 2.25).unwrap(), 3.75);
    assert_eq!(lib.add_double(0.1, 0.2).unwrap(), 0.1 + 0.2);
    assert!(lib.xor_bool(true, false).unwrap());
    assert!(!lib.xor_bool(true, true).unwrap());
    let before = lib.noop_count().unwrap();
    lib.noop().unwrap();
    lib.noop().unwrap();
    assert!(lib.noop_count().unwrap() >= before + 2);
}

fn int_arguments<L: Vocab>(lib: &L) {
    assert_eq!(lib.int0().unwrap(), 0);
    assert_eq!(lib.int1(1).unwrap(), 1);
    assert_eq!(lib.int2(1, 2).unwrap(), 3);
    assert_eq!(lib.int3(1, 2, 3).unwrap(), 6);
    assert_eq!(lib.int4(1, 2, 3, 4).unwrap(), 10);
    assert_eq!(lib.int5(1, 2, 3, 4, 5).unwrap(), 15);
    assert_eq!(lib.int6(1, 2, 3, 4, 5, 6).unwrap(), 21);
    assert_eq!(lib.int7(1, 2, 3, 4, 5, 6, 7).unwrap(), 28);
    assert_eq!(lib.int8(1, 2, 3, 4, 5, 6, 7, 8).unwrap(), 36);
    assert_eq!(lib.int9(1, 2, 3, 4, 5, 6, 7, 8, 9).unwrap(), 45);
    assert_eq!(lib.int10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10).unwrap(), 55);
    assert_eq!(lib.int11(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).unwrap(), 66);
    assert_eq!(
        lib.int12(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).unwrap(),
        78
    );
    assert_eq!(
        lib.int13(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
            .unwrap(),
        91
    );
    assert_eq!(
        lib.int14(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)
            .unwrap(),
        105
    );
    assert_eq!(
        lib.int15(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            .unwrap(),
        120
    );
    // Distinct values catch swapped registers and stack slots.
    assert_eq!(
        lib.int15(1, 10, 100, 1000, 10000, 100000, 1000000, 2, 20, 200, 2000, 20000, 200000, 3, 30)
            .unwrap(),
        1333366
    );
}

fn pointers_one_object<L: Vocab>(lib: &L) {
    assert_eq!(lib.double_in(&21).unwrap(), 42);
    assert_eq!(lib.mul_out(6, 7).unwrap(), (0, 42));
    let mut v = 40;
    assert_eq!(lib.bump(&mut v, 2).unwrap(), 42);
    assert_eq!(v, 42);
}

fn pointers_fixed_count<L: Vocab>(lib: &L) {
    assert_eq!(lib.sum4(&[1, 2, 3, 4]).unwrap(), 10);
    let mut out = [0; 4];
    lib.iota4(7, &mut out).unwrap();
    assert_eq!(out, [7, 8, 9, 10]);
}

fn pointers_with_length<L: Vocab>(lib: &L) {
    assert_eq!(lib.sum(&[]).unwrap(), 0);
    let xs: Vec<i32> = (1..=1000).collect();
    assert_eq!(lib.sum(&xs).unwrap(), 500500);
    let mut out = [0; 3];
    lib.add_vec(&[1, 2, 3], &[10, 20, 30], &mut out).unwrap();
    assert_eq!(out, [11, 22, 33]);
    let mut buf = [0u8; 5];
    assert_eq!(lib.fill(&mut buf, 0xab).unwrap(), 5);
    assert_eq!(buf, [0xab; 5]);
    let mut bytes = *b"hello";
    lib.reverse(&mut bytes).unwrap();
    assert_eq!(&bytes, b"olleh");
}

fn in_out_length<L: Vocab>(lib: &L) {
    let mut dest = [0u8; 8];
    let (status, n) = lib.copy(&mut dest, b"abc").unwrap();
    assert_eq!((status, n), (0, 3));
    assert_eq!(&dest[..n], b"abc");
    let mut small = [0u8; 2];
    let (status, n) = lib.copy(&mut small, b"abcdef").unwrap();
    assert_eq!((status, n), (1, 2));
    assert_eq!(&small[..n], b"ab");
}

fn strings_in<L: Vocab>(lib: &L) {
    assert_eq!(lib.strlen(c"four").unwrap(), 4);
    assert_eq!(lib.strlen("seven!!").unwrap(), 7);
    assert_eq!(lib.strlen(&String::from("")).unwrap(), 0);
    assert_eq!(lib.strlen(&CString::new("abc").unwrap()).unwrap(), 3);
}

fn strings_out<L: Vocab>(lib: &L) {
    let _counting = counted();
    assert_eq!(lib.version().unwrap().to_str().unwrap(), "vocab 1.0.0");
    let before = lib.live_strings().unwrap();
    let s = lib.greet("world").unwrap();
    assert_eq!(s.as_c_str(), c"hello, world!");
    // The owned string was copied and freed by the named free function.
    assert_eq!(lib.live_strings().unwrap(), before);
}

fn structs_by_value_and_pointer<L: Vocab>(lib: &L) {
    let p = lib
        .point_add(Point { x: 1, y: 2 }, Point { x: 10, y: 20 })
        .unwrap();
    assert_eq!(p, Point { x: 11, y: 22 });
    let r = Rect {
        min: Point { x: 1, y: 1 },
        max: Point { x: 4, y: 6 },
    };
    assert_eq!(lib.rect_area(&r).unwrap(), 15);
    assert_eq!(lib.point_make(-3, 9).unwrap(), Point { x: -3, y: 9 });
    let mut r2 = r;
    lib.rect_scale(&mut r2, 2).unwrap();
    assert_eq!(
        r2,
        Rect {
            min: Point { x: 2, y: 2 },
            max: Point { x: 8, y: 12 }
        }
    );
}

fn struct_with_array_and_enum<L: Vocab>(lib: &L) {
    let rec = lib
        .record_make(7, 2.5, "a rather long record name", Color::Blue)
        .unwrap();
    assert_eq!(rec.tag, 7);
    assert_eq!(rec.weight, 2.5);
    let name = CStr::from_bytes_until_nul(bytemuck_bytes(&rec.name)).unwrap();
    assert_eq!(name.to_str().unwrap(), "a rather long r");
    assert_eq!(rec.values, [1, 2, 3]);
    assert_eq!(rec.color.get().unwrap(), Color::Blue);
    assert_eq!(lib.record_sum(rec).unwrap(), 1 + 2 + 3 + 7);
}

fn bytemuck_bytes(chars: &[std::ffi::c_char]) -> &[u8] {
    // SAFETY: c_char and u8 have the same size and alignment.
    unsafe { std::slice::from_raw_parts(chars.as_ptr().cast(), chars.len()) }
}

fn unions<L: Vocab>(lib: &L) {
    assert_eq!(lib.value_get(Value { i: -5 }, 1).unwrap(), -5);
    assert_eq!(lib.value_get(Value { d: 9.75 }, 0).unwrap(), 9);
    let v = lib.value_of_double(1.0).unwrap();
    // SAFETY: every bit pattern of the union is a valid [u8; 8].
    assert_eq!(unsafe { v.bytes }, 1.0f64.to_ne_bytes());
}

fn enums<L: Vocab>(lib: &L) {
    assert_eq!(lib.color_next(Color::Red).unwrap(), Color::Green);
    assert_eq!(lib.color_next(Color::Blue).unwrap(), Color::Red);
    assert_eq!(lib.color_from_raw(1).unwrap(), Color::Green);
}

fn handles<L: Vocab>(lib: &L) {
    let _counting = counted();
    let live = lib.counters_live().unwrap();
    let c = lib.counter_new(5).unwrap();
    assert_eq!(lib.counters_live().unwrap(), live + 1);
    assert_eq!(lib.counter_add(&c, 3).unwrap(), 8);
    assert_eq!(lib.counter_get(&c).unwrap(), 8);
    drop(c);
    assert_eq!(lib.counters_live().unwrap(), live, "Drop frees the handle");
    let c = lib.counter_new(1).unwrap();
    lib.counter_free(c).unwrap();
    assert_eq!(
        lib.counters_live().unwrap(),
        live,
        "an explicit free is not repeated on drop"
    );
    assert_eq!(
        lib.counter_new(-1).unwrap_err(),
        Error::NullReturn {
            function: "counter_new"
        }
    );
}

/// A handle whose C type is a typedef of `const char *`: C's pointer, never
/// a string of the caller's, freed once.
fn handles_of_a_string_typedef<L: Vocab>(lib: &L) {
    let _counting = counted();
    let live = lib.labels_live().unwrap();
    let l = lib.label_new(c"north").unwrap();
    assert_eq!(lib.labels_live().unwrap(), live + 1);
    assert_eq!(lib.label_len(&l).unwrap(), 5);
    assert_eq!(lib.label_text(&l).unwrap().to_str().unwrap(), "north");
    drop(l);
    assert_eq!(lib.labels_live().unwrap(), live, "Drop frees the label");
    let l = lib.label_new(c"").unwrap();
    assert_eq!(lib.label_len(&l).unwrap(), 0);
    lib.label_free(l).unwrap();
    assert_eq!(
        lib.labels_live().unwrap(),
        live,
        "an explicit free is not repeated on drop"
    );
}

fn callbacks_during_call<L: Vocab>(lib: &L) {
    let mut seen = Vec::new();
    let total = lib
        .each(&[1, 2, 3], &mut |v| {
            seen.push(v);
            v * 10
        })
        .unwrap();
    assert_eq!(total, 60);
    assert_eq!(seen, [1, 2, 3]);
}

fn callback_panic_is_contained<L: Vocab>(lib: &L) {
    let err = lib
        .each(&[1, 2], &mut |v| {
            if v == 2 {
                panic!("deliberate")
            } else {
                v
            }
        })
        .unwrap_err();
    assert_eq!(err, Error::CallbackPanicked { function: "each" });
    // The linkage still works afterwards.
    assert_eq!(lib.each(&[4], &mut |v| v).unwrap(), 4);
}

fn callbacks_stored<L: Vocab>(lib: &L) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    lib.set_logger(move |level, msg| {
        sink.lock()
            .unwrap()
            .push((level, msg.to_str().unwrap().to_owned()));
    })
    .unwrap();
    assert_eq!(lib.log(2, "first").unwrap(), 1);
    assert_eq!(lib.log(3, "second").unwrap(), 1);
    assert_eq!(
        *lines.lock().unwrap(),
        [(2, "first".to_owned()), (3, "second".to_owned())]
    );
    lib.clear_logger().unwrap();
    assert_eq!(lib.log(1, "dropped").unwrap(), 0);
    assert_eq!(lines.lock().unwrap().len(), 2);

    // A stored callback that panics when C calls it later: C sees it return,
    // and the panic is reported by this thread's next call that passes a callback.
    lib.set_logger(|_, _| panic!("deliberate")).unwrap();
    assert_eq!(lib.log(1, "boom").unwrap(), 1);
    lib.clear_logger().unwrap();
    assert_eq!(
        lib.each(&[1], &mut |v| v).unwrap_err(),
        Error::CallbackPanicked { function: "each" }
    );
    assert_eq!(lib.each(&[1], &mut |v| v).unwrap(), 1);
}

fn errno_captured<L: Vocab>(lib: &L) {
    assert_eq!(lib.checked_div(7, 2).unwrap(), (3, Errno(0)));
    assert_eq!(lib.checked_div(7, 0).unwrap(), (0, Errno(libc_edom())));
}

fn libc_edom() -> i32 {
    33
}

fn variadic_instantiations<L: Vocab>(lib: &L) {
    assert_eq!(lib.sum_ints3(3, 1, 20, 300).unwrap(), 321);
    assert_eq!(lib.sum_doubles2(2, 1.5, 2.25).unwrap(), 3.75);
}

fn bad_buffer_too_small<L: Vocab>(lib: &L) {
    let mut out = [0; 2];
    let err = lib.add_vec(&[1, 2, 3], &[1, 2, 3], &mut out).unwrap_err();
    assert_eq!(
        err,
        Error::BufferTooSmall {
            function: "add_vec",
            param: "out",
            needed: 3,
            got: 2
        }
    );
    let mut out = [0; 3];
    let err = lib.add_vec(&[1, 2, 3], &[1], &mut out).unwrap_err();
    assert_eq!(
        err,
        Error::BufferTooSmall {
            function: "add_vec",
            param: "b",
            needed: 3,
            got: 1
        }
    );
    assert_eq!(out, [0; 3], "nothing was written");
}

fn bad_length_from_c<L: Vocab>(lib: &L) {
    let mut dest = [0u8; 4];
    let err = lib.copy_liar(&mut dest).unwrap_err();
    assert_eq!(
        err,
        Error::LengthOutOfRange {
            function: "copy_liar",
            param: "len",
            returned: 5,
            capacity: 4
        }
    );
}

fn bad_enum_from_c<L: Vocab>(lib: &L) {
    assert_eq!(
        lib.color_from_raw(7).unwrap_err(),
        Error::InvalidEnum {
            type_name: "Color",
            value: 7
        }
    );
    assert_eq!(
        lib.color_from_raw(-1).unwrap_err(),
        Error::InvalidEnum {
            type_name: "Color",
            value: -1
        }
    );
}

fn bad_interior_nul<L: Vocab>(lib: &L) {
    assert_eq!(
        lib.strlen("ab\0c").unwrap_err(),
        Error::InteriorNul {
            function: "strlen",
            param: "s",
            position: 2
        }
    );
}

fn bad_null_string<L: Vocab>(lib: &L) {
    assert_eq!(lib.maybe_null(0).unwrap().as_c_str(), c"ok");
    assert_eq!(
        lib.maybe_null(1).unwrap_err(),
        Error::NullReturn {
            function: "maybe_null"
        }
    );
}

/// Arrays of strings, buffers in callbacks and callbacks kept on handles.
mod strings_buffers_kept {
    use super::*;

    behaviours!(vocab + framed:
        string_arrays_counted_and_nul_terminated,
        callback_string_arrays_with_null_elements,
        callback_nul_terminated_strings,
        callback_buffers,
        callback_refused_on_null_string,
        callback_refused_on_negative_count,
        optional_callbacks,
        callbacks_kept_on_a_handle,
        kept_callbacks_are_replaced_unset_and_dropped_with_the_handle,
        kept_callbacks_without_their_table_do_not_run,
    );

    fn string_arrays_counted_and_nul_terminated<L: Vocab>(lib: &L) {
        assert_eq!(lib.strings_len(&[]).unwrap(), 0);
        assert_eq!(
            lib.strings_len(&[Some(c"ab"), None, Some(c""), Some(c"cde")])
                .unwrap(),
            1005
        );
        assert_eq!(lib.strings_nt(&[]).unwrap(), 0);
        assert_eq!(lib.strings_nt(&[c"one", c"three"]).unwrap(), 2008);
    }

    fn callback_string_arrays_with_null_elements<L: Vocab>(lib: &L) {
        let mut rows = Vec::new();
        let n = lib
            .rows(4, &mut |argv, names| {
                assert_eq!(names, [c"id", c"parity", c"const"]);
                let row: Vec<Option<String>> = argv
                    .iter()
                    .map(|v| v.map(|s| s.to_str().unwrap().to_owned()))
                    .collect();
                rows.push(row);
                (rows.len() == 3) as i32
            })
            .unwrap();
        assert_eq!(n, 3, "C stops when the callback returns nonzero");
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            rows,
            [
                vec![s("0"), s("even"), s("x")],
                vec![s("1"), None, s("x")],
                vec![s("2"), s("even"), s("x")],
            ],
            "a NULL value is None, never an empty string"
        );
    }

    fn callback_nul_terminated_strings<L: Vocab>(lib: &L) {
        let mut seen = Vec::new();
        let n = lib
            .start(c"item", &[c"id", c"7", c"class", c""], &mut |name, atts| {
                seen.push(name.to_owned());
                seen.extend(atts.iter().map(|a| (*a).to_owned()));
            })
            .unwrap();
        assert_eq!(n, 4);
        assert_eq!(seen, [c"item", c"id", c"7", c"class", c""]);
        let mut count = None;
        assert_eq!(
            lib.start(c"empty", &[], &mut |_, atts| count = Some(atts.len()))
                .unwrap(),
            0
        );
        assert_eq!(count, Some(0));
    }

    fn callback_buffers<L: Vocab>(lib: &L) {
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let n = lib
            .chunks(c"hello, world", 5, &mut |s| chunks.push(s.to_vec()))
            .unwrap();
        assert_eq!(n, 3);
        assert_eq!(chunks, [&b"hello"[..], b", wor", b"ld"]);
        // NULL with no elements is the empty slice.
        chunks.clear();
        assert_eq!(
            lib.chunks(c"", 0, &mut |s| chunks.push(s.to_vec()))
                .unwrap(),
            1
        );
        assert_eq!(chunks, [Vec::<u8>::new()]);
    }

    fn callback_refused_on_null_string<L: Vocab>(lib: &L) {
        let mut ran = false;
        let err = lib
            .call_with_null(&mut |_| {
                ran = true;
                7
            })
            .unwrap_err();
        assert_eq!(
            err,
            Error::CallbackNotRun {
                function: "call_with_null",
                reason: "NULL where the description promises a string",
            }
        );
        assert!(
            !ran,
            "the closure never sees a NULL it was promised a string for"
        );
        // The next call is unaffected.
        assert_eq!(lib.strings_nt(&[c"a"]).unwrap(), 1001);
    }

    fn callback_refused_on_negative_count<L: Vocab>(lib: &L) {
        let mut ran = false;
        let err = lib
            .rows_negative(&mut |_, _| {
                ran = true;
                1
            })
            .unwrap_err();
        assert_eq!(
            err,
            Error::CallbackNotRun {
                function: "rows_negative",
                reason: "a negative count for an array or a buffer",
            }
        );
        assert!(!ran);
    }

    fn optional_callbacks<L: Vocab>(lib: &L) {
        assert_eq!(lib.each_maybe(&[1, 2], Some(&mut |v| v * 3)).unwrap(), 9);
        assert_eq!(lib.each_maybe(&[1, 2], None).unwrap(), -1, "C got NULL");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        lib.set_hook(Some(Box::new(move |level, msg| {
            sink.lock().unwrap().push((level, msg.to_owned()));
        })))
        .unwrap();
        assert_eq!(lib.hook(4, c"on").unwrap(), 1);
        lib.set_hook(None).unwrap();
        assert_eq!(lib.hook(5, c"off").unwrap(), 0, "None forgot the hook");
        assert_eq!(*lines.lock().unwrap(), [(4, c"on".to_owned())]);
    }

    /// What an emitter's handlers saw.
    type Seen = Arc<Mutex<Vec<String>>>;

    fn begin_recorder(seen: &Seen) -> impl Fn(&Emitter, &CStr, &[&CStr]) + Send + Sync + 'static {
        let seen = seen.clone();
        move |_, name, atts| {
            let atts: Vec<&str> = atts.iter().map(|a| a.to_str().unwrap()).collect();
            seen.lock()
                .unwrap()
                .push(format!("<{} {}>", name.to_str().unwrap(), atts.join(" ")));
        }
    }

    fn end_recorder(seen: &Seen) -> impl Fn(&Emitter, &CStr) + Send + Sync + 'static {
        let seen = seen.clone();
        move |_, name| {
            seen.lock()
                .unwrap()
                .push(format!("</{}>", name.to_str().unwrap()))
        }
    }

    fn callbacks_kept_on_a_handle<L: Vocab + Clone + Send + Sync + 'static>(lib: &L) {
        let _counting = counted();
        let e = lib.emitter_new().unwrap();
        let seen: Seen = Default::default();
        lib.emitter_set_handlers(
            &e,
            Some(Box::new(begin_recorder(&seen))),
            Some(Box::new(end_recorder(&seen))),
        )
        .unwrap();
        assert_eq!(lib.emitter_run(&e, &[c"a", c"b"]).unwrap(), 2);
        assert_eq!(
            *seen.lock().unwrap(),
            ["<a index 0>", "</a>", "<b index 1>", "</b>"],
            "start and end share the user data the emitter registered apart"
        );
        // A handler gets the handle it is kept on, and may call the library
        // with it: stop after the second element.
        let stopper = lib.clone();
        let begun = Arc::new(Mutex::new(0));
        let count = begun.clone();
        lib.emitter_set_handlers(
            &e,
            Some(Box::new(move |e: &Emitter, _: &CStr, _: &[&CStr]| {
                let mut n = count.lock().unwrap();
                *n += 1;
                if *n == 2 {
                    stopper.emitter_stop(e).unwrap();
                }
            })),
            None,
        )
        .unwrap();
        assert_eq!(lib.emitter_run(&e, &[c"a", c"b", c"c", c"d"]).unwrap(), 2);
        assert_eq!(*begun.lock().unwrap(), 2);
        // A panic in a kept handler is reported by the call that ran it.
        lib.emitter_set_handlers(
            &e,
            None,
            Some(Box::new(|_: &Emitter, _: &CStr| panic!("deliberate"))),
        )
        .unwrap();
        assert_eq!(
            lib.emitter_run(&e, &[c"a"]).unwrap_err(),
            Error::CallbackPanicked {
                function: "emitter_run"
            }
        );
    }

    fn kept_callbacks_are_replaced_unset_and_dropped_with_the_handle<L: Vocab>(lib: &L) {
        let _counting = counted();
        let live = lib.emitters_live().unwrap();
        let e = lib.emitter_new().unwrap();
        let first: Seen = Default::default();
        lib.emitter_set_handlers(
            &e,
            Some(Box::new(begin_recorder(&first))),
            Some(Box::new(end_recorder(&first))),
        )
        .unwrap();
        assert_eq!(Arc::strong_count(&first), 3);
        // Replacing one handler drops the closure kept before.
        let second: Seen = Default::default();
        lib.emitter_set_handlers(&e, Some(Box::new(begin_recorder(&second))), None)
            .unwrap();
        assert_eq!(
            Arc::strong_count(&first),
            1,
            "replaced and unset closures are dropped"
        );
        lib.emitter_run(&e, &[c"x"]).unwrap();
        assert_eq!(*second.lock().unwrap(), ["<x index 0>"]);
        assert!(
            first.lock().unwrap().is_empty(),
            "the end handler was unset"
        );
        assert_eq!(Arc::strong_count(&second), 2);
        drop(e);
        assert_eq!(lib.emitters_live().unwrap(), live);
        assert_eq!(Arc::strong_count(&second), 1, "dropped with the handle");
        // Given away to its free function, likewise.
        let e = lib.emitter_new().unwrap();
        lib.emitter_set_handlers(&e, Some(Box::new(begin_recorder(&second))), None)
            .unwrap();
        lib.emitter_free(e).unwrap();
        assert_eq!(lib.emitters_live().unwrap(), live);
        assert_eq!(Arc::strong_count(&second), 1);
    }

    fn kept_callbacks_without_their_table_do_not_run<L: Vocab>(lib: &L) {
        let _counting = counted();
        let e = lib.emitter_new().unwrap();
        let seen: Seen = Default::default();
        lib.emitter_set_handlers(&e, Some(Box::new(begin_recorder(&seen))), None)
            .unwrap();
        // C forgets the user data it hands the handlers (XML_ParserReset).
        lib.emitter_forget_user(&e).unwrap();
        assert_eq!(
            lib.emitter_run(&e, &[c"a"]).unwrap_err(),
            Error::CallbackNotRun {
                function: "emitter_run",
                reason: "no callback table as its user data",
            }
        );
        assert!(seen.lock().unwrap().is_empty());
        // Keeping a handler registers the table again.
        lib.emitter_set_handlers(&e, Some(Box::new(begin_recorder(&seen))), None)
            .unwrap();
        assert_eq!(lib.emitter_run(&e, &[c"b"]).unwrap(), 1);
        assert_eq!(*seen.lock().unwrap(), ["<b index 0>"]);
    }
}

// ---- NULL, out-handles, out-strings, tails, bytes, sentinels ----

/// `Option<..>` parameters and results, `Out<R>` over `T **`, tails,
/// bytes whose length another function gives, and sentinel arguments.
mod pointers_that_c_writes_or_may_be_null {
    use super::*;

    behaviours!(vocab + framed:
        null_arguments,
        null_results,
        out_handles,
        out_strings,
        tails,
        bytes_with_their_length,
        sentinel_argument,
    );

    fn null_arguments<L: Vocab>(lib: &L) {
        let _counting = counted();
        assert_eq!(lib.opt_strlen(Some(c"four")).unwrap(), 4);
        assert_eq!(lib.opt_strlen(None).unwrap(), usize::MAX);
        assert_eq!(lib.opt_sum(Some(&[1, 2, 3])).unwrap(), 6);
        assert_eq!(lib.opt_sum(Some(&[])).unwrap(), 0);
        assert_eq!(lib.opt_sum(None).unwrap(), -1, "NULL, with a length of 0");
        let mut buf = [0u8; 4];
        assert_eq!(lib.opt_fill(Some(&mut buf), 7).unwrap(), 4);
        assert_eq!(buf, [7; 4]);
        assert_eq!(lib.opt_fill(None, 7).unwrap(), 999);
        let c = lib.counter_new(41).unwrap();
        assert_eq!(lib.counter_peek(Some(&c)).unwrap(), 41);
        assert_eq!(lib.counter_peek(None).unwrap(), -1);
    }

    fn null_results<L: Vocab>(lib: &L) {
        let _counting = counted();
        assert_eq!(lib.opt_name(1).unwrap().as_deref(), Some(c"one"));
        assert_eq!(lib.opt_name(3).unwrap(), None);
        let strings = lib.live_strings().unwrap();
        assert_eq!(
            lib.opt_greet(Some(c"ann")).unwrap().as_deref(),
            Some(c"hello, ann!")
        );
        assert_eq!(lib.opt_greet(None).unwrap(), None);
        assert_eq!(lib.live_strings().unwrap(), strings, "copied and freed");
        let live = lib.counters_live().unwrap();
        let c = lib.counter_maybe(3).unwrap().expect("a counter");
        assert_eq!(lib.counter_get(&c).unwrap(), 3);
        assert!(lib.counter_maybe(-1).unwrap().is_none());
        drop(c);
        assert_eq!(lib.counters_live().unwrap(), live);
    }

    fn out_handles<L: Vocab>(lib: &L) {
        let _counting = counted();
        let live = lib.counters_live().unwrap();
        let (status, c) = lib.counter_open(5).unwrap();
        assert_eq!(status, 0);
        assert_eq!(lib.counter_add(&c, 1).unwrap(), 6);
        assert_eq!(
            lib.counter_open(-1).unwrap_err(),
            Error::NullOut {
                function: "counter_open",
                param: "out"
            }
        );
        let (status, none) = lib.counter_try_open(-1).unwrap();
        assert_eq!((status, none.is_none()), (-1, true));
        let (status, some) = lib.counter_try_open(2).unwrap();
        assert_eq!(status, 0);
        assert_eq!(lib.counter_get(&some.unwrap()).unwrap(), 2);
        assert_eq!(lib.counters_live().unwrap(), live + 1);
        drop(c);
        assert_eq!(lib.counters_live().unwrap(), live, "Drop frees them");
    }

    fn out_strings<L: Vocab>(lib: &L) {
        let _counting = counted();
        let strings = lib.live_strings().unwrap();
        let (status, msg) = lib.describe(42).unwrap();
        assert_eq!((status, msg.as_deref()), (0, Some(c"value 42")));
        assert_eq!(lib.describe(-1).unwrap(), (-1, None));
        assert_eq!(lib.live_strings().unwrap(), strings, "copied and freed");
        assert_eq!(lib.lookup(2).unwrap(), (0, Some(c"two".to_owned())));
        assert_eq!(lib.lookup(9).unwrap(), (-1, None));
    }

    fn tails<L: Vocab>(lib: &L) {
        assert_eq!(lib.first_word("hello  world").unwrap(), (5, 7));
        assert_eq!(lib.first_word("single").unwrap(), (6, 6), "its end");
        assert_eq!(lib.first_word("").unwrap(), (0, 0));
        assert_eq!(lib.first_word_n(b"ab cd").unwrap(), (2, 3));
        assert_eq!(lib.first_word_n(b"abc").unwrap(), (3, 3));
        assert_eq!(lib.first_word_n(b"").unwrap(), (0, 0));
        // A C function pointing elsewhere: an error, never an offset.
        match lib.tail_liar("x").unwrap_err() {
            Error::LengthOutOfRange {
                function: "tail_liar",
                param: "rest",
                capacity: 1,
                ..
            } => {}
            other => panic!("{other:?}"),
        }
    }

    fn bytes_with_their_length<L: Vocab>(lib: &L) {
        assert_eq!(lib.blob(1).unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(lib.blob(0).unwrap(), None);
        assert_eq!(
            lib.blob(2).unwrap_err(),
            Error::LengthOutOfRange {
                function: "blob",
                param: "blob_len",
                returned: u64::MAX,
                capacity: isize::MAX as usize
            }
        );
    }

    fn sentinel_argument<L: Vocab>(lib: &L) {
        // The linkage passes SV_TRANSIENT itself: not a parameter.
        assert_eq!(lib.destructor_kind("x").unwrap(), 1);
    }
}

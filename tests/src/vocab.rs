//! The description of the `vocab` sample library (`sample-libs/c/vocab.h`),
//! which exercises every element of the vocabulary.

use ffi_desc::foreign;

#[foreign(
    library = "sample_vocab",
    header = "vocab.h",
    prefix = "sv_",
    link = false
)]
pub mod vocab {
    /// A point.
    #[c_name = "sv_point"]
    #[derive(Debug, PartialEq, Default)]
    pub struct Point {
        pub x: i32,
        pub y: i32,
    }

    /// A rectangle of two points.
    #[c_name = "sv_rect"]
    #[derive(Debug, PartialEq, Default)]
    pub struct Rect {
        pub min: Point,
        pub max: Point,
    }

    /// A primary colour.
    #[c_name = "sv_color"]
    pub enum Color {
        #[c_name = "SV_RED"]
        Red = 0,
        #[c_name = "SV_GREEN"]
        Green = 1,
        #[c_name = "SV_BLUE"]
        Blue = 2,
    }

    /// Mixed alignment, a fixed array and an enum field.
    #[c_name = "sv_record"]
    #[derive(Debug)]
    pub struct Record {
        pub tag: u8,
        pub weight: f64,
        pub name: [c_char; 16],
        pub values: [i16; 3],
        pub color: Color,
    }

    /// Eight bytes seen three ways.
    #[c_name = "sv_value"]
    pub union Value {
        pub i: i64,
        pub d: f64,
        pub bytes: [u8; 8],
    }

    /// A counter owned by C.
    #[opaque(c_type = "sv_counter", free = counter_free)]
    pub struct Counter;

    /// A label owned by C, spelled by a typedef of `const char *`.
    #[opaque(c_pointer = "sv_label", free = label_free)]
    pub struct Label;

    /// Visits one value.
    #[callback(c_name = "sv_visit_fn")]
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    /// Receives a log line.
    #[callback(c_name = "sv_log_fn")]
    pub type Log = fn(level: c_int, msg: CStr, user: UserData);

    /// The vocab library.
    pub trait Vocab {
        fn add_i8(a: i8, b: i8) -> i8;
        fn add_i16(a: i16, b: i16) -> i16;
        fn add_i32(a: i32, b: i32) -> i32;
        fn add_i64(a: i64, b: i64) -> i64;
        fn add_u8(a: u8, b: u8) -> u8;
        fn add_u16(a: u16, b: u16) -> u16;
        fn add_u32(a: u32, b: u32) -> u32;
        fn add_u64(a: u64, b: u64) -> u64;
        fn add_char(a: c_char, b: c_char) -> c_char;
        fn add_schar(a: c_schar, b: c_schar) -> c_schar;
        fn add_uchar(a: c_uchar, b: c_uchar) -> c_uchar;
        fn add_short(a: c_short, b: c_short) -> c_short;
        fn add_ushort(a: c_ushort, b: c_ushort) -> c_ushort;
        fn add_int(a: c_int, b: c_int) -> c_int;
        fn add_uint(a: c_uint, b: c_uint) -> c_uint;
        fn add_long(a: c_long, b: c_long) -> c_long;
        fn add_ulong(a: c_ulong, b: c_ulong) -> c_ulong;
        fn add_longlong(a: c_longlong, b: c_longlong) -> c_longlong;
        fn add_ulonglong(a: c_ulonglong, b: c_ulonglong) -> c_ulonglong;
        fn add_size(a: size_t, b: size_t) -> size_t;
        fn add_ssize(a: ssize_t, b: ssize_t) -> ssize_t;
        fn add_float(a: f32, b: f32) -> f32;
        fn add_double(a: f64, b: f64) -> f64;
        fn xor_bool(a: bool, b: bool) -> bool;
        fn noop();
        fn noop_count() -> c_int;

        fn int0() -> c_int;
        fn int1(a1: c_int) -> c_int;
        fn int2(a1: c_int, a2: c_int) -> c_int;
        fn int3(a1: c_int, a2: c_int, a3: c_int) -> c_int;
        fn int4(a1: c_int, a2: c_int, a3: c_int, a4: c_int) -> c_int;
        fn int5(a1: c_int, a2: c_int, a3: c_int, a4: c_int, a5: c_int) -> c_int;
        fn int6(a1: c_int, a2: c_int, a3: c_int, a4: c_int, a5: c_int, a6: c_int) -> c_int;
        fn int7(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
        ) -> c_int;
        fn int8(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
            a8: c_int,
        ) -> c_int;
        fn int9(
            a1: c_int,
            a2: c_int,
            a3: c_int,
            a4: c_int,
            a5: c_int,
            a6: c_int,
            a7: c_int,
            a8: c_int,
            a9: c_int,
        ) -> c_int;
        fn int10(
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
        ) -> c_int;
        fn int11(
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
        ) -> c_int;
        fn int12(
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
        ) -> c_int;
        fn int13(
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
        ) -> c_int;
        fn int14(
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
        ) -> c_int;
        fn int15(
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

        fn double_in(p: In<c_int>) -> c_int;
        fn mul_out(a: c_int, b: c_int, out: Out<c_int>) -> c_int;
        fn bump(p: InOut<c_long>, by: c_long) -> c_long;
        fn sum4(v: In<[c_int; 4]>) -> c_int;
        fn iota4(start: c_int, out: Out<[c_int; 4]>);
        fn sum(xs: In<[c_int], len = n>, n: size_t) -> c_long;
        fn add_vec(
            a: In<[c_int], len = n>,
            b: In<[c_int], len = n>,
            out: Out<[c_int], len = n>,
            n: size_t,
        );
        fn fill(buf: Out<[u8], cap = cap>, cap: size_t, fill: u8) -> size_t;
        fn reverse(buf: InOut<[u8], len = len>, len: size_t);
        fn copy(
            dest: Out<[u8], cap = len>,
            len: InOut<size_t>,
            src: In<[u8], len = src_len>,
            src_len: size_t,
        ) -> c_int;
        fn copy_liar(dest: Out<[u8], cap = len>, len: InOut<size_t>) -> c_int;

        fn strlen(s: CStr) -> size_t;
        fn version() -> Borrowed<CStr>;
        fn greet(name: CStr) -> Owned<CStr, free = string_free>;
        fn string_free(s: CStr);
        fn live_strings() -> c_int;
        fn maybe_null(fail: c_int) -> Borrowed<CStr>;

        fn point_add(a: Point, b: Point) -> Point;
        fn rect_area(r: In<Rect>) -> i64;
        fn point_make(x: i32, y: i32, out: Out<Point>);
        fn rect_scale(r: InOut<Rect>, k: i32);
        fn record_make(tag: u8, weight: f64, name: CStr, color: Color, out: Out<Record>);
        fn record_sum(r: Record) -> c_int;
        fn value_get(v: Value, as_int: c_int) -> i64;
        fn value_of_double(d: f64) -> Value;
        fn color_next(c: Color) -> Color;
        fn color_from_raw(raw: c_int) -> Color;

        fn counter_new(start: c_int) -> Owned<Counter>;
        fn counter_add(c: &Counter, by: c_int) -> c_int;
        fn counter_get(#[c_type = "const sv_counter *"] c: &Counter) -> c_int;
        fn counter_free(c: Owned<Counter>);
        fn counters_live() -> c_int;
        fn label_new(text: CStr) -> Owned<Label>;
        fn label_len(l: &Label) -> size_t;
        fn label_text(l: &Label) -> Borrowed<CStr>;
        fn label_free(l: Owned<Label>);
        fn labels_live() -> c_int;

        fn each(xs: In<[c_int], len = n>, n: size_t, f: Callback<Visit>, user: UserData) -> c_int;
        /// C keeps one logger: a new one replaces it (`stored = logger`).
        fn set_logger(f: Callback<Log, stored = logger>, user: UserData);
        fn log(level: c_int, msg: CStr) -> c_int;
        /// C forgets the logger: the Isolated linkage refuses its id from then on.
        #[clears(logger)]
        fn clear_logger();

        #[errno]
        fn checked_div(a: c_int, b: c_int) -> c_int;

        #[c_name = "sv_sum_ints"]
        #[variadic(fixed = 1)]
        fn sum_ints3(count: c_int, a: c_int, b: c_int, c: c_int) -> c_int;
        #[c_name = "sv_sum_doubles"]
        #[variadic(fixed = 1)]
        fn sum_doubles2(count: c_int, a: f64, b: f64) -> f64;

        // ---- NULL, out-handles, out-strings, tails, bytes, sentinels ----
        fn opt_strlen(s: Option<CStr>) -> size_t;
        fn opt_sum(xs: Option<In<[c_int], len = n>>, n: size_t) -> c_long;
        fn opt_fill(buf: Option<Out<[u8], cap = cap>>, cap: size_t, fill: u8) -> size_t;
        fn counter_peek(#[c_type = "const sv_counter *"] c: Option<&Counter>) -> c_int;
        fn opt_name(i: c_int) -> Option<Borrowed<CStr>>;
        fn opt_greet(name: Option<CStr>) -> Option<Owned<CStr, free = string_free>>;
        fn counter_maybe(start: c_int) -> Option<Owned<Counter>>;
        fn counter_open(start: c_int, out: Out<Owned<Counter>>) -> c_int;
        fn counter_try_open(start: c_int, out: Out<Option<Owned<Counter>>>) -> c_int;
        fn describe(v: c_int, msg: Out<Option<Owned<CStr, free = string_free>>>) -> c_int;
        fn lookup(i: c_int, name: Out<Option<Borrowed<CStr>>>) -> c_int;
        fn first_word(s: CStr, rest: Out<Tail<s>>) -> c_int;
        fn first_word_n(
            #[c_type = "const char *"] s: In<[u8], len = n>,
            n: size_t,
            rest: Out<Tail<s>>,
        ) -> c_int;
        fn tail_liar(s: CStr, rest: Out<Option<Tail<s>>>) -> c_int;
        #[c_type = "const void *"]
        fn blob(i: c_int) -> Option<Borrowed<[u8], len = blob_len>>;
        fn blob_len(i: c_int) -> c_int;
        fn destructor_kind(
            s: CStr,
            #[c_type = "sv_destructor"]
            #[c_value = "SV_TRANSIENT"]
            d: Sentinel<-1>,
        ) -> c_int;

        // ---- arrays of strings, buffers in callbacks, callbacks kept on handles ----
        fn strings_len(strs: In<[Option<CStr>], len = n>, n: size_t) -> size_t;
        fn strings_nt(strs: In<[CStr], nul_terminated>) -> size_t;
        fn rows(rows: c_int, f: Callback<Row>, user: UserData) -> c_int;
        fn rows_negative(f: Callback<Row>, user: UserData) -> c_int;
        fn start(
            name: CStr,
            atts: In<[CStr], nul_terminated>,
            f: Callback<Start>,
            user: UserData,
        ) -> c_int;
        fn chunks(text: CStr, size: c_int, f: Callback<Text>, user: UserData) -> c_int;
        fn call_with_null(f: Callback<Name>, user: UserData) -> c_int;
        fn each_maybe(
            xs: In<[c_int], len = n>,
            n: size_t,
            f: Option<Callback<Visit>>,
            user: UserData,
        ) -> c_int;
        /// C keeps one hook; `None` forgets it.
        fn set_hook(f: Option<Callback<Log, stored = hook>>, user: UserData);
        fn hook(level: c_int, msg: CStr) -> c_int;
        fn emitter_new() -> Owned<Emitter>;
        /// The emitter's user data, for every handler: the linkage's to call.
        fn emitter_set_user(e: &Emitter, user: UserData);
        /// Both handlers are kept on the emitter and share its user data.
        fn emitter_set_handlers(
            e: &Emitter,
            begin: Option<Callback<Start, stored = begin, on = e>>,
            end: Option<Callback<End, stored = end, on = e>>,
        );
        fn emitter_run(e: &Emitter, names: In<[CStr], len = n>, n: size_t) -> c_int;
        fn emitter_stop(e: &Emitter);
        fn emitter_forget_user(e: &Emitter);
        fn emitter_free(e: Owned<Emitter>);
        fn emitters_live() -> c_int;
    }

    // ---- arrays of strings, buffers in callbacks, callbacks kept on handles ----

    /// sqlite3_exec's row callback: the values (NULL for SQL NULL) and the
    /// column names, counted by `argc`.
    #[callback(c_name = "sv_row_fn")]
    pub type Row = fn(
        user: UserData,
        argc: c_int,
        #[c_type = "char **"] argv: In<[Option<CStr>], len = argc>,
        #[c_type = "char **"] names: In<[CStr], len = argc>,
    ) -> c_int;

    /// expat's start handler: a name and NULL-terminated name/value pairs.
    #[callback(c_name = "sv_start_fn")]
    pub type Start = fn(user: UserData, name: CStr, atts: In<[CStr], nul_terminated>);

    /// expat's character data handler: bytes with their length.
    #[callback(c_name = "sv_text_fn")]
    pub type Text =
        fn(user: UserData, #[c_type = "const char *"] s: In<[u8], len = len>, len: c_int);

    /// An emitter of elements, which keeps its handlers on itself and
    /// registers their user data apart, as expat's parser does.
    #[opaque(c_type = "sv_emitter", free = emitter_free, context = emitter_set_user)]
    pub struct Emitter;

    /// expat's end handler.
    #[callback(c_name = "sv_end_fn")]
    pub type End = fn(user: UserData, name: CStr);

    /// Gets a name, which C passes as NULL.
    #[callback(c_name = "sv_name_fn")]
    pub type Name = fn(name: CStr, user: UserData) -> c_int;
}

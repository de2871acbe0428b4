/* ffi-stubgen-flags: --library values */
/* Everything here has a meaning the importer can infer: values, strings,
 * read-only buffers with their lengths, structs read through const pointers,
 * callbacks with user data. Its draft has no marker, so its check unit is
 * generated and compiled against this header. */
#ifndef GOLDEN_VALUES_H
#define GOLDEN_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define VAL_VERSION "1.0"
#define VAL_MAX 100
#define VAL_MIN (-3)

typedef unsigned int val_flags;

typedef struct val_point {
    int32_t x;
    int32_t y;
} val_point;

/* a tagged struct without typedef, nesting another by value */
struct val_box {
    val_point corner;
    double size[2];
    char label[8];
    bool visible;
};

typedef union val_num {
    int64_t i;
    double d;
} val_num;

typedef enum val_mode { VAL_MODE_OFF = 0, VAL_MODE_ON = 1, VAL_MODE_AUTO = 7 } val_mode;

/* an enum known only by its tag, with a negative value */
enum val_level { VAL_LEVEL_LOW = -1, VAL_LEVEL_MID, VAL_LEVEL_HIGH };

/* anonymous enums are constants */
enum { VAL_A = 10, VAL_B = 20 };

typedef int (*val_visit)(int value, void *user);
typedef void (*val_log)(const char *msg, void *ctx);

int val_add(int a, int b);
long val_scale(long x, val_flags flags);
double val_mean(const double *xs, size_t n);
uint32_t val_checksum(const void *data, size_t len);
size_t val_len(const char *s);
const char *val_name(val_mode m);
val_point val_mid(val_point a, val_point b);
double val_area(const struct val_box *b);
val_num val_num_of(int64_t i);
enum val_level val_level_of(int x);
bool val_is_on(val_mode m);
void val_reset(void);

#endif

/* ffi-stubgen-flags: --library allow --allow 'al_keep.*' --allow AL_LIMIT */
/* --allow restricts the draft to the named functions, types and constants
 * (and what they need). */
#ifndef GOLDEN_ALLOW_H
#define GOLDEN_ALLOW_H

#define AL_LIMIT 8
#define AL_OTHER 9

typedef struct al_keep_pair { int a; int b; } al_keep_pair;
typedef struct al_drop_pair { int a; } al_drop_pair;

int al_keep_sum(al_keep_pair p);
int al_keep_twice(int x);
int al_drop_me(al_drop_pair p);

#endif

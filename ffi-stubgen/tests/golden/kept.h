/* ffi-stubgen-flags: --library kept */
/* Handlers a parser keeps (expat's XML_SetElementHandler): they have no
 * `void *` of their own, and no signature proves which user data C hands
 * them, so the handle keeps them by call (`kept_by_call`): they are found
 * through the call running when C calls them, whatever user data it
 * passes. Each gets a slot of its own; none is `Option`, as no signature
 * says C accepts NULL. */
#ifndef GOLDEN_KEPT_H
#define GOLDEN_KEPT_H

typedef struct kp_parser kp_parser;
typedef void (*kp_start_fn)(void *user, int depth);
typedef void (*kp_end_fn)(void *user);

kp_parser *kp_parser_create(void);
void kp_parser_free(kp_parser *p);
void kp_set_handlers(kp_parser *p, kp_start_fn start, kp_end_fn end);
void kp_set_start_handler(kp_parser *p, kp_start_fn handler);
int kp_parse(kp_parser *p, int n);

#endif

#define UMB_EMIT_TWICE(d, \
                       out) umb_emit((d), (out))
int umb_emit(const umb_doc *d, char *out, size_t outCapacity);
static inline int umb_version(void) { return 2; }

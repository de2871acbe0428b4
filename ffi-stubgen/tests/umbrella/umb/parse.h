#include <stddef.h>
typedef struct umb_doc umb_doc;
umb_doc *umb_doc_new(void);
void umb_doc_free(umb_doc *d);
int umb_parse(umb_doc *d, const char *text, size_t len);

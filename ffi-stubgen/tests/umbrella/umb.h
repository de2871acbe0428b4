/* An umbrella header: it declares nothing itself, only includes the
 * library's own sub-headers (and a system header, whose declarations are
 * not the library's). */
#include <stdio.h>
#include "umb/parse.h"
#include "umb/emit.h"

/* xs-write PATH VALUE: writes one XenStore node from dom0 (the harness has
 * no xenstore-utils). Used to tell the unikernel which domain serves its
 * vchan: its key is written while it is still paused. */
#include <stdio.h>
#include <string.h>
#include <xenstore.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xs-write PATH VALUE\n");
        return 2;
    }
    struct xs_handle *h = xs_open(0);
    if (!h) {
        perror("xs_open");
        return 1;
    }
    int ok = xs_write(h, XBT_NULL, argv[1], argv[2], strlen(argv[2]));
    if (!ok)
        perror("xs_write");
    xs_close(h);
    return ok ? 0 : 1;
}

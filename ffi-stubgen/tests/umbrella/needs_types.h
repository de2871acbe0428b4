/* Uses FILE and size_t without including what declares them. */
int nt_dump(FILE *fp, size_t n);

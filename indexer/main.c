/* fouille-index: placeholder until its issue lands. */
#include <stdio.h>

int main(void) {
  fprintf(stderr, "fouille-index: not built yet\n");
  return 3;
}

/* fouille-query: placeholder until its issue lands. */
#include <stdio.h>

int main(void) {
  fprintf(stderr, "fouille-query: not built yet\n");
  return 3;
}

/* dump_corpus.c - loading a prepared corpus; see dump_corpus.h. */
#include "dump_corpus.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SPEAKERS 4096
#define LINE_MAX_LEN 4096

static int host_is_little_endian(void) {
  const uint32_t one = 1;
  unsigned char b;
  memcpy(&b, &one, 1);
  return b == 1;
}

/* Index of name in names[0..*n), appended when new; -1 when full. */
static int speaker_index(char **names, int *n, const char *name) {
  for (int i = 0; i < *n; i++)
    if (strcmp(names[i], name) == 0) return i;
  if (*n >= MAX_SPEAKERS) return -1;
  names[*n] = strdup(name);
  if (!names[*n]) return -1;
  return (*n)++;
}

static int read_tsv(Corpus *c, const char *tsv) {
  FILE *f = fopen(tsv, "r");
  if (!f) {
    fprintf(stderr, "percepnet-dump: %s: %s\n", tsv, strerror(errno));
    return -1;
  }
  char line[LINE_MAX_LEN];
  char **names = calloc(MAX_SPEAKERS, sizeof *names);
  int cap = 1024, n = 0, ns = 0, rc = 0, lineno = 0;
  c->pieces = malloc(sizeof *c->pieces * (size_t)cap);
  if (!names || !c->pieces) {
    rc = -1;
    goto done;
  }
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (lineno == 1 && strncmp(line, "offset", 6) == 0) continue;
    char *save = NULL;
    char *fo = strtok_r(line, "\t\n", &save);
    char *fl = strtok_r(NULL, "\t\n", &save);
    /* The speaker column may be empty (noise): parse it by hand. */
    char *spk = save ? save : (char *)"";
    char *tab = strchr(spk, '\t');
    if (!fo || !fl || !tab) {
      fprintf(stderr, "percepnet-dump: %s:%d: malformed line\n", tsv, lineno);
      rc = -1;
      goto done;
    }
    *tab = '\0';
    char *rest = tab + 1;
    char *src_end = strchr(rest, '\t');
    if (!src_end) {
      fprintf(stderr, "percepnet-dump: %s:%d: malformed line\n", tsv, lineno);
      rc = -1;
      goto done;
    }
    double bw = strtod(src_end + 1, NULL);
    /* "Speaker" groups are (speaker, source) pairs: the same person in a
     * full-band and a band-limited collection counts twice, so a sequence
     * chaining one group's pieces keeps one bandwidth class. */
    char key[LINE_MAX_LEN];
    *src_end = '\0';
    snprintf(key, sizeof key, "%s\t%s", spk, rest);
    if (n == cap) {
      cap *= 2;
      CorpusPiece *p = realloc(c->pieces, sizeof *p * (size_t)cap);
      if (!p) {
        rc = -1;
        goto done;
      }
      c->pieces = p;
    }
    CorpusPiece *p = &c->pieces[n];
    p->offset = strtoll(fo, NULL, 10);
    p->length = strtoll(fl, NULL, 10);
    p->bandwidth_hz = (float)(bw > 0 ? bw : 24000.0);
    p->speaker = spk[0] ? speaker_index(names, &ns, key) : -1;
    if (p->offset < 0 || p->length <= 0 || p->offset + p->length > c->n_samples) {
      fprintf(stderr, "percepnet-dump: %s:%d: piece outside the .f32 data\n", tsv, lineno);
      rc = -1;
      goto done;
    }
    n++;
  }
  if (n == 0) {
    fprintf(stderr, "percepnet-dump: %s: no pieces\n", tsv);
    rc = -1;
  }
done:
  fclose(f);
  if (names)
    for (int i = 0; i < ns; i++) free(names[i]);
  free(names);
  c->n_pieces = n;
  c->n_speakers = ns;
  return rc;
}

int corpus_open(Corpus *c, const char *path) {
  memset(c, 0, sizeof *c);
  if (!host_is_little_endian()) {
    fprintf(stderr, "percepnet-dump: big-endian hosts are not supported\n");
    return -1;
  }
  size_t len = strlen(path) + 8;
  char *name = malloc(len);
  if (!name) return -1;
  snprintf(name, len, "%s.f32", path);
  int fd = open(name, O_RDONLY);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size < (off_t)sizeof(float)) {
    fprintf(stderr, "percepnet-dump: %s: %s\n", name, fd < 0 ? strerror(errno) : "empty");
    if (fd >= 0) close(fd);
    free(name);
    return -1;
  }
  c->map_bytes = (size_t)sb.st_size;
  void *m = mmap(NULL, c->map_bytes, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (m == MAP_FAILED) {
    fprintf(stderr, "percepnet-dump: %s: mmap: %s\n", name, strerror(errno));
    free(name);
    return -1;
  }
  c->samples = m;
  c->n_samples = (int64_t)(c->map_bytes / sizeof(float));
  snprintf(name, len, "%s.tsv", path);
  int rc = read_tsv(c, name);
  free(name);
  if (rc != 0) {
    corpus_close(c);
    return -1;
  }
  c->cum = malloc(sizeof *c->cum * (size_t)(c->n_pieces + 1));
  if (!c->cum) {
    corpus_close(c);
    return -1;
  }
  corpus_weight(c, 0.0, 1.0);
  for (int i = 0; i < c->n_pieces; i++) c->total += c->pieces[i].length;
  /* counting sort of the pieces by speaker */
  c->speaker_start = calloc((size_t)c->n_speakers + 2, sizeof *c->speaker_start);
  c->by_speaker = malloc(sizeof *c->by_speaker * (size_t)c->n_pieces);
  if (!c->speaker_start || !c->by_speaker) {
    corpus_close(c);
    return -1;
  }
  for (int i = 0; i < c->n_pieces; i++)
    if (c->pieces[i].speaker >= 0) c->speaker_start[c->pieces[i].speaker + 2]++;
  for (int k = 2; k <= c->n_speakers + 1; k++) c->speaker_start[k] += c->speaker_start[k - 1];
  for (int i = 0; i < c->n_pieces; i++)
    if (c->pieces[i].speaker >= 0) c->by_speaker[c->speaker_start[c->pieces[i].speaker + 1]++] = i;
  return 0;
}

void corpus_weight(Corpus *c, double min_hz, double boost) {
  assert(boost >= 1.0);
  c->cum[0] = 0;
  for (int i = 0; i < c->n_pieces; i++) {
    const CorpusPiece *p = &c->pieces[i];
    const double w = p->bandwidth_hz >= min_hz ? boost : 1.0;
    c->cum[i + 1] = c->cum[i] + (int64_t)(w * (double)p->length);
  }
}

int corpus_pick_speaker(const Corpus *c, DumpRng *r, int spk) {
  if (spk < 0 || spk >= c->n_speakers) return corpus_pick(c, r);
  const int a = c->speaker_start[spk], b = c->speaker_start[spk + 1];
  assert(b > a);
  return c->by_speaker[a + (int)rng_below(r, (uint64_t)(b - a))];
}

void corpus_close(Corpus *c) {
  if (c->samples) munmap((void *)c->samples, c->map_bytes);
  free(c->pieces);
  free(c->cum);
  free(c->by_speaker);
  free(c->speaker_start);
  memset(c, 0, sizeof *c);
}

int corpus_pick(const Corpus *c, DumpRng *r) {
  assert(c->n_pieces > 0);
  int64_t x = (int64_t)rng_below(r, (uint64_t)c->cum[c->n_pieces]);
  int lo = 0, hi = c->n_pieces - 1;
  while (lo < hi) { /* first i with cum[i + 1] > x */
    int mid = (lo + hi) / 2;
    if (c->cum[mid + 1] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

double corpus_hours(const Corpus *c) {
  return (double)c->total / 48000.0 / 3600.0;
}

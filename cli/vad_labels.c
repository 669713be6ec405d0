/*
 * vad_labels.c - see vad_labels.h.
 */
#include "vad_labels.h"

#include <string.h>
#include <unistd.h>

int vad_labels_open(VadLabels *v, int fd, char *err, unsigned long errlen) {
  int own = dup(fd);
  memset(v, 0, sizeof *v);
  v->fp = own >= 0 ? fdopen(own, "w") : NULL;
  if (!v->fp) {
    if (own >= 0) close(own);
    snprintf(err, errlen, "cannot open the label file for writing");
    return -1;
  }
  return 0;
}

static void emit(VadLabels *v, double end_s) {
  if (end_s > v->start_s) {
    fprintf(v->fp, "%.6f\t%.6f\tspeech\n", v->start_s < 0.0 ? 0.0 : v->start_s, end_s);
    v->regions++;
  }
  v->in_speech = 0;
}

void vad_labels_frame(VadLabels *v, double time_s, double frame_s, float vad) {
  if (vad >= VAD_OPEN_THRESHOLD) {
    if (!v->in_run) {
      v->in_run = 1;
      v->run_start_s = time_s;
    }
  } else {
    v->in_run = 0;
  }
  if (v->in_speech) {
    if (vad >= VAD_THRESHOLD)
      v->last_end_s = time_s + frame_s;
    else if (time_s >= v->last_end_s + VAD_HANGOVER_S)
      emit(v, v->last_end_s + VAD_HANGOVER_S);
  }
  /* 1e-9: frame times are sums of 10 ms steps, not exact */
  if (!v->in_speech && v->in_run && time_s + frame_s - v->run_start_s >= VAD_ONSET_S - 1e-9) {
    v->in_speech = 1;
    v->start_s = v->run_start_s;
    v->last_end_s = time_s + frame_s;
  }
}

int vad_labels_finish(VadLabels *v, double duration_s, char *err, unsigned long errlen) {
  int bad;
  if (v->in_speech) {
    double end = v->last_end_s + VAD_HANGOVER_S;
    emit(v, end < duration_s ? end : duration_s);
  }
  bad = ferror(v->fp) != 0;
  if (fclose(v->fp) != 0) bad = 1;
  v->fp = NULL;
  if (bad) {
    snprintf(err, errlen, "cannot write the label file");
    return -1;
  }
  return 0;
}

void vad_labels_abort(VadLabels *v) {
  if (v->fp) fclose(v->fp);
  v->fp = NULL;
}

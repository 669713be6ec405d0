/*
 * vad_labels.h - speech regions from the network's VAD as an Audacity label
 * track: "start<TAB>end<TAB>speech" per line, seconds on the input timeline.
 * Two thresholds (a Schmitt trigger, so a VAD hovering near one level
 * neither flickers nor holds a region open): a region opens once the VAD
 * (largest over channels) has stayed >= VAD_OPEN_THRESHOLD for VAD_ONSET_S
 * without a break (it then starts at the first of those frames: an isolated
 * frame in noise is no syllable); inside a region a frame with VAD >=
 * VAD_THRESHOLD is speech, and the region closes VAD_HANGOVER_S after its
 * last speech frame, so short pauses inside a phrase do not split it and
 * word ends are not clipped. The opening threshold is what keeps labels out
 * of the noise after a talker stops, where the network's VAD decays through
 * 0.5-0.8 for up to a second (weights/README.md).
 */
#ifndef CLI_VAD_LABELS_H
#define CLI_VAD_LABELS_H

#include <stdio.h>

#define VAD_OPEN_THRESHOLD 0.8f
#define VAD_THRESHOLD 0.6f
#define VAD_HANGOVER_S 0.2 /* seconds */
#define VAD_ONSET_S 0.03   /* seconds (3 frames) */

typedef struct {
  FILE *fp;            /* on a duplicate of the label file's descriptor */
  int in_speech;
  int in_run;          /* the last frame was >= VAD_OPEN_THRESHOLD */
  double run_start_s;  /* start of the current run of such frames */
  double start_s;      /* start of the open region */
  double last_end_s;   /* end of its last speech frame */
  long long regions;
} VadLabels;

/* fd: the label file, left open (its owner closes it). Returns 0 or -1 + err. */
int vad_labels_open(VadLabels *v, int fd, char *err, unsigned long errlen);
/* One frame: start time and duration in seconds, VAD in [0, 1]. */
void vad_labels_frame(VadLabels *v, double time_s, double frame_s, float vad);
/* Closes the open region at duration_s (the input's length in seconds). */
int vad_labels_finish(VadLabels *v, double duration_s, char *err, unsigned long errlen);
void vad_labels_abort(VadLabels *v);

#endif

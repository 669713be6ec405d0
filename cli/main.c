/*
 * main.c - percepnet: options, model and CPU set-up, the batch of files,
 * then reports, MD5 lines and the exit status (0 all done, 1 usage error,
 * 2 a file failed).
 */
#include "atomic_file.h"
#include "batch.h"
#include "interrupt.h"
#include "manifest.h"
#include "messages.h"
#include "options.h"
#include "percepnet.h"
#include "process_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_ALL_DONE = 0, EXIT_USAGE = 1, EXIT_FILE_FAILED = 2 };

/* PERCEPNET_CPU: forces a kernel path; -1 = the library's choice. */
static int cpu_from_env(int *level) {
  const char *name = getenv("PERCEPNET_CPU");
  int e;
  *level = -1;
  if (!name || !*name) return 0;
  e = percepnet_cpu_parse(name, level);
  if (e == PERCEPNET_ERR_CPU) {
    fprintf(stderr, "percepnet: PERCEPNET_CPU=%s: this machine does not support it (best here: %s)\n",
            name, percepnet_cpu_name(percepnet_cpu_detect()));
    return -1;
  }
  if (e) {
    fprintf(stderr, "percepnet: PERCEPNET_CPU=%s: unknown; expected c, sse4.1, avx2, avx512 or neon\n",
            name);
    return -1;
  }
  return 0;
}

static int write_reports(const CliOptions *o, const FileResult *res, int n) {
  FILE *fp = stderr;
  AtomicFile af;
  char err[512];
  int i;
  if (strcmp(o->report, "-") != 0) {
    if (atomic_create(&af, o->report, err, sizeof err)) {
      fprintf(stderr, "percepnet: %s: %s\n", o->report, err);
      return -1;
    }
    fp = fdopen(af.fd, "w");
    if (!fp) {
      atomic_abort(&af);
      fprintf(stderr, "percepnet: %s: cannot write\n", o->report);
      return -1;
    }
    af.fd = -1;
  }
  for (i = 0; i < n; i++)
    if (res[i].report) fprintf(fp, "%s\n", res[i].report);
  if (fp == stderr) return 0;
  if (fclose(fp) != 0 || atomic_commit(&af, 1, err, sizeof err)) {
    atomic_abort(&af);
    fprintf(stderr, "percepnet: %s: cannot write the report\n", o->report);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  CliOptions opt;
  RunContext run;
  PercepnetModel *loaded = NULL;
  FileJob *jobs = NULL;
  FileResult *results = NULL;
  Manifest manifest = {.fd = -1};
  int rc, i, n_jobs = 0, failed = 0, stdin_uses = 0, stdout_audio;
  int status = EXIT_USAGE; /* what every early exit below returns unless it sets another */
  rc = options_parse(argc, argv, &opt);
  if (rc != PARSE_RUN) {
    options_free(&opt);
    return rc == PARSE_EXIT_OK ? EXIT_ALL_DONE : EXIT_USAGE;
  }
  msg_init(opt.verbosity);
  atomic_init_mode();
  memset(&run, 0, sizeof run);
  run.opt = &opt;
  if (cpu_from_env(&run.cpu)) goto out;
  if (opt.model_path) {
    const char *why = NULL;
    int e = percepnet_model_load_file_detail(opt.model_path, &loaded, &why);
    if (e) {
      fprintf(stderr, "percepnet: %s: cannot load the model: %s\n", opt.model_path,
              why ? why : percepnet_strerror(e));
      goto out;
    }
    run.model = loaded;
  } else {
    run.model = percepnet_model_default();
  }
  if (opt.show_version) {
    printf("percepnet %s (model %s, cpu %s)\n", percepnet_version(), percepnet_model_id(run.model),
           percepnet_cpu_name(run.cpu >= 0 ? run.cpu : percepnet_cpu_detect()));
    status = EXIT_ALL_DONE;
    goto out;
  }
  for (i = 0; i < opt.n_inputs; i++) stdin_uses += !strcmp(opt.inputs[i], "-");
  stdout_audio = opt.output && !strcmp(opt.output, "-");
  if (stdout_audio && isatty(STDOUT_FILENO)) {
    fprintf(stderr, "percepnet: -o -: refusing to write audio to a terminal\n");
    goto out;
  }
  if (stdin_uses > 1) {
    fprintf(stderr, "percepnet: stdin ('-') can be read only once\n");
    goto out;
  }
  if (opt.out_dir) {
    struct stat sb;
    if (stat(opt.out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
      fprintf(stderr, "percepnet: %s: output directory does not exist\n", opt.out_dir);
      goto out;
    }
  }
  /* + 1: an empty --files-from list is an empty batch, not a failed allocation */
  run.input_dev = calloc((size_t)opt.n_inputs + 1, sizeof *run.input_dev);
  run.input_ino = calloc((size_t)opt.n_inputs + 1, sizeof *run.input_ino);
  n_jobs = opt.oracle ? 1 : opt.n_inputs;
  jobs = calloc((size_t)n_jobs + 1, sizeof *jobs);
  results = calloc((size_t)n_jobs + 1, sizeof *results);
  if (!run.input_dev || !run.input_ino || !jobs || !results) {
    fprintf(stderr, "percepnet: out of memory\n");
    status = EXIT_FILE_FAILED;
    goto out;
  }
  for (i = 0; i < opt.n_inputs; i++) {
    struct stat sb;
    if (strcmp(opt.inputs[i], "-") != 0 && stat(opt.inputs[i], &sb) == 0) {
      run.input_dev[run.n_input_ids] = sb.st_dev;
      run.input_ino[run.n_input_ids++] = sb.st_ino;
    }
  }
  if (opt.report && run_is_an_input(&run, opt.report)) {
    fprintf(stderr, "percepnet: %s: refusing to write the report onto an input\n", opt.report);
    goto out;
  }
  if (opt.manifest) {
    char err[512];
    if (run_is_an_input(&run, opt.manifest)) {
      fprintf(stderr, "percepnet: %s: refusing to write the manifest onto an input\n", opt.manifest);
      goto out;
    }
    if (manifest_open(&manifest, opt.manifest, err, sizeof err)) {
      fprintf(stderr, "percepnet: %s: %s\n", opt.manifest, err);
      goto out;
    }
    run.manifest = &manifest;
  }
  if (opt.oracle) {
    jobs[0].clean = opt.inputs[0];
    jobs[0].input = opt.inputs[1];
  } else {
    for (i = 0; i < n_jobs; i++) jobs[i].input = opt.inputs[i];
  }
  interrupt_install();
  if (batch_run(&run, jobs, results, n_jobs, opt.jobs)) failed = 1;
  for (i = 0; i < n_jobs; i++) {
    if (results[i].status == FILE_FAILED) failed = 1;
    if (opt.md5 && results[i].status == FILE_OK)
      fprintf(stdout_audio ? stderr : stdout, "%s  %s\n", results[i].md5, results[i].output);
  }
  if (opt.report && write_reports(&opt, results, n_jobs)) failed = 1;
  if (interrupt_signal()) {
    /* which outputs of an interrupted batch are complete (the others were
     * removed or never started) */
    int done = 0;
    for (i = 0; i < n_jobs; i++) done += results[i].status == FILE_OK;
    msg_error(NULL, "interrupted by signal %d: %d of %d file%s done", interrupt_signal(), done,
              n_jobs, n_jobs == 1 ? "" : "s");
    for (i = 0; i < n_jobs; i++)
      if (results[i].status == FILE_OK) msg_error(NULL, "done: %s", results[i].output);
  }
  status = failed ? EXIT_FILE_FAILED : EXIT_ALL_DONE;
out:
  for (i = 0; results && i < n_jobs; i++) free(results[i].report);
  free(results);
  free(jobs);
  free(run.input_dev);
  free(run.input_ino);
  manifest_close(&manifest);
  percepnet_model_free(loaded);
  options_free(&opt);
  fflush(stdout);
  interrupt_reraise();
  return status;
}

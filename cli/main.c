/*
 * main.c - percepnet: options, model and CPU set-up, the batch of files,
 * then reports, MD5 lines and the exit status (0 all done, 1 usage error,
 * 2 a file failed).
 */
#include "atomic_file.h"
#include "batch.h"
#include "fault.h"
#include "output_plan.h"
#include "output_set.h"
#include "interrupt.h"
#include "manifest.h"
#include "messages.h"
#include "options.h"
#include "percepnet.h"
#include "process_file.h"

#include <errno.h>
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

/* Writes the JSON lines of the files that have one, through the run's
 * OutputSet (with -n onto an existing report: its lines first). */
static int write_reports(const RunPlan *plan, const FileResult *res, int n) {
  const char *path = plan->run_files.path[OUT_REPORT];
  OutputSet set;
  Fault fault = {0};
  FILE *fp = stderr;
  int i, fd, bad = 0;
  if (path) {
    outset_init(&set, &plan->run_files, 1);
    if ((fd = outset_create(&set, OUT_REPORT, &fault)) < 0 || (fd = dup(fd)) < 0 ||
        !(fp = fdopen(fd, "w"))) {
      if (fd >= 0 && !fault.set) close(fd);
      fault_set(&fault, path, "cannot write the report");
      goto fail;
    }
    if (plan->report_append) {
      FILE *old = fopen(path, "r");
      char buf[1 << 14];
      size_t got;
      if (!old) {
        fault_set(&fault, path, "cannot read the report to add to it");
        goto fail;
      }
      while ((got = fread(buf, 1, sizeof buf, old)) > 0) fwrite(buf, 1, got, fp);
      bad = ferror(old) != 0;
      fclose(old);
    }
  }
  for (i = 0; i < n; i++)
    if (res[i].report && !(plan->report_append && res[i].status == FILE_SKIPPED))
      fprintf(fp, "%s\n", res[i].report);
  if (fp == stderr) return 0;
  if (fclose(fp) != 0 || bad) {
    fp = NULL;
    fault_set(&fault, path, "cannot write the report");
    goto fail;
  }
  fp = NULL;
  if (outset_commit(&set, &fault)) goto fail;
  return 0;
fail:
  if (fp && fp != stderr) fclose(fp);
  if (path) outset_abort(&set);
  msg_error(fault.file, "%s", fault.reason);
  return -1;
}

/* -O DIR: made, with its parents, when missing (as mkdir -p). */
static int make_dirs(const char *dir) {
  char *p = strdup(dir), *s;
  struct stat sb;
  int rc = 0;
  if (!p) return -1;
  for (s = p + 1; rc == 0; s++) {
    if (*s != '/' && *s != '\0') continue;
    {
      char c = *s;
      *s = '\0';
      if (stat(p, &sb) != 0 && mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
      *s = c;
    }
    if (!*s) break;
  }
  free(p);
  return rc;
}

int main(int argc, char **argv) {
  CliOptions opt;
  RunContext run;
  RunPlan plan;
  const char **job_inputs = NULL;
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
  memset(&plan, 0, sizeof plan);
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
  n_jobs = opt.oracle ? 1 : opt.n_inputs;
  /* + 1: an empty --files-from list is an empty batch, not a failed allocation */
  jobs = calloc((size_t)n_jobs + 1, sizeof *jobs);
  results = calloc((size_t)n_jobs + 1, sizeof *results);
  job_inputs = calloc((size_t)n_jobs + 1, sizeof *job_inputs);
  if (!jobs || !results || !job_inputs) {
    fprintf(stderr, "percepnet: out of memory\n");
    status = EXIT_FILE_FAILED;
    goto out;
  }
  if (opt.oracle) {
    jobs[0].clean = opt.inputs[0];
    jobs[0].input = opt.inputs[1];
  } else {
    for (i = 0; i < n_jobs; i++) jobs[i].input = opt.inputs[i];
  }
  for (i = 0; i < n_jobs; i++) job_inputs[i] = jobs[i].input;
  /* every file the run writes is named and checked before any work */
  if (plan_run(&opt, job_inputs, n_jobs, &plan)) goto out;
  for (i = 0; i < n_jobs; i++) jobs[i].plan = &plan.jobs[i];
  if (opt.verbosity >= 3) {
    /* -vv: the plan, every file each input will write */
    int k;
    for (i = 0; i < n_jobs; i++) {
      const OutputPlan *p = &plan.jobs[i];
      if (p->status != PLAN_WRITE) {
        msg_info(3, jobs[i].input, "plan: %s: %s", p->why.file, p->why.reason);
        continue;
      }
      for (k = 0; k < OUT_KINDS; k++)
        if (p->path[k]) msg_info(3, jobs[i].input, "plan: %s %s", plan_role(k), p->path[k]);
    }
    if (plan.run_files.path[OUT_REPORT])
      msg_info(3, NULL, "plan: report %s%s", plan.run_files.path[OUT_REPORT],
               plan.report_append ? " (adding to it)" : "");
  }
  if (opt.out_dir) {
    struct stat sb;
    if (stat(opt.out_dir, &sb) != 0 && make_dirs(opt.out_dir) != 0) {
      fprintf(stderr, "percepnet: %s: cannot create the output directory: %s\n", opt.out_dir,
              strerror(errno));
      goto out;
    }
    if (stat(opt.out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
      fprintf(stderr, "percepnet: %s: not a directory\n", opt.out_dir);
      goto out;
    }
  }
  if (opt.manifest) {
    char err[512];
    if (plan_is_an_input(&plan, opt.manifest)) {
      fprintf(stderr, "percepnet: %s: refusing to write the manifest onto an input\n", opt.manifest);
      goto out;
    }
    if (plan_is_an_output(&plan, opt.manifest)) {
      fprintf(stderr, "percepnet: %s: the manifest cannot share a path with another output\n",
              opt.manifest);
      goto out;
    }
    if (manifest_open(&manifest, opt.manifest, err, sizeof err)) {
      fprintf(stderr, "percepnet: %s: %s\n", opt.manifest, err);
      goto out;
    }
    run.manifest = &manifest;
  }
  interrupt_install();
  msg_mute_libraries();
  if (batch_run(&run, jobs, results, n_jobs, opt.jobs)) failed = 1;
  msg_unmute_libraries();
  for (i = 0; i < n_jobs; i++) {
    if (results[i].status == FILE_FAILED) failed = 1;
    if (opt.md5 && results[i].status == FILE_OK)
      fprintf(stdout_audio ? stderr : stdout, "%s  %s\n", results[i].md5, results[i].output);
  }
  if (opt.report && write_reports(&plan, results, n_jobs)) failed = 1;
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
  free(job_inputs);
  plan_free(&plan);
  manifest_close(&manifest);
  percepnet_model_free(loaded);
  options_free(&opt);
  fflush(stdout);
  interrupt_reraise();
  return status;
}

/*
 * A stand-in for computecore.dll, so @uvm/hcs-ffi's koffi binding can be tested on Linux.
 *
 * It exports the computecore functions with their C signatures (hcs-host.md §1.4): UTF-16
 * (char16_t) strings, handles as pointers, HRESULT as int32_t, PWSTR* out-params. Its behaviour is
 * deliberately simple and documented here; the tests rely on every rule below.
 *
 * Operations
 *   - HcsCreateOperation(context, callback) returns a new operation. A call that takes an operation
 *     starts it (a second start fails with HCS_E_OPERATION_ALREADY_STARTED). A started operation
 *     completes on the fake's scheduler thread (never on the caller's thread) after the delay set by
 *     FakeSetDelayMs (default 20 ms), or after N ms when any string input contains `delay-N`.
 *     On completion the result is stored and then the completion callback runs, on that thread.
 *   - An input containing `hang` never completes by itself; HcsCancelOperation completes it at once
 *     with HRESULT_FROM_WIN32(ERROR_CANCELLED) (0x800704C7).
 *   - HcsGetOperationResult before completion returns HCS_E_OPERATION_PENDING.
 *   - Closing a running operation is allowed: it completes silently (no callback) and is freed then.
 *
 * Failures chosen by the input (any string argument: id, document, options, path):
 *   - `fail-0xXXXXXXXX`   the call returns that HRESULT at once and starts nothing. When the call
 *                         took an operation, HcsGetOperationResult then returns the same HRESULT and
 *                         an error document (see below).
 *   - `opfail-0xXXXXXXXX` the call is accepted; the operation completes with that HRESULT and the
 *                         error document
 *                         {"Error":<hr>,"ErrorMessage":"fake failure 0x…","ErrorEvents":[
 *                          {"Message":"injected by the fake","Provider":"fake-provider","EventId":42,
 *                           "Source":"fakeComputeCore.c"}]}.
 *
 * Compute systems: ids live in one registry. Create registers the id (a second create of a live id
 * fails with HCS_E_SYSTEM_ALREADY_EXISTS, at once) and returns a handle even when its operation
 * later fails (as HCS does). Open finds the id (HCS_E_SYSTEM_NOT_FOUND otherwise) and returns a new
 * handle. States: Created → Running (start) ⇄ Paused (pause/resume); save needs Paused; a wrong
 * state completes the operation with HCS_E_INVALID_STATE. Shutdown/terminate: the operation
 * completes S_OK, and one delay later the system stops and every handle with a callback receives
 * SystemExited {"Status":0,"ExitType":"GracefulExit"|"ForcedExit"}; on a stopped system both return
 * HCS_E_SYSTEM_ALREADY_STOPPED at once. Crash sends SystemCrashInitiated, SystemCrashReport and
 * SystemExited {"Status":-2143878906,"ExitType":"UnexpectedExit"}. Properties answer
 * {"Id":<id>,"State":<state>,"Query":<query>,"Configuration":<create document>,"LastModify":<doc>}
 * with the documents inserted verbatim (null when empty). Enumerate answers an array of
 * {"Id","SystemType":"VirtualMachine","State","Owner":"fake"} for every registered system.
 * HcsCloseComputeSystem waits until no event callback for that handle is running (as HCS drains
 * callbacks), so calling it on the thread the callbacks need would deadlock.
 *
 * Processes: HcsCreateProcess needs a Running system. Parameters containing `"CreateStdInPipe":true`,
 * `"CreateStdOutPipe":true`, `"CreateStdErrPipe":true` get pipes; the HANDLE values are the file
 * descriptors of our ends. The process copies stdin to stdout; stderr receives `stderr of <pid>\n`
 * and is closed. At stdin EOF the process exits with code 0; with `exit-N` in the parameters and no
 * stdin pipe it exits with N one delay after creation. Terminate exits with 1, a signal document
 * {"Signal":N} exits with 128+N. Exit sends ProcessExited
 * {"ProcessId":p,"Exited":true,"ExitCode":c,"LastWaitResult":0}. A process of a stopped system
 * returns HCS_E_SYSTEM_ALREADY_STOPPED to signal/terminate.
 *
 * Service calls answer at once: HcsGetServiceProperties → {"Properties":[<query>]};
 * HcsModifyServiceSettings → the settings document itself; HcsCreateEmpty*StateFile creates an empty
 * file at the (UTF-8 converted) path; grant/revoke count calls.
 *
 * Out-strings are malloc'ed with a header and counted; FakeFree stands in for LocalFree and
 * CoTaskMemFree. Test-only exports (Fake*) read the counters, inject events, and make the next
 * HcsCreateOperation return NULL or the next Hcs*Callback registration fail.
 *
 * Built with -DFAKE_OLD_BUILD it omits the exports newer Windows builds added (the *InNamespace
 * functions, live migration, HcsCreateOperationWithNotifications, HcsGetOperationProperties), to
 * stand for an older computecore.dll.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef int32_t HRESULT;
typedef uint16_t WCHAR;
typedef const WCHAR *PCWSTR;
typedef WCHAR *PWSTR;
typedef void *HANDLE;
typedef void *HCS_SYSTEM;
typedef void *HCS_PROCESS;
typedef void *HCS_OPERATION;

typedef struct {
  uint32_t Type;
  PCWSTR EventData;
  HCS_OPERATION Operation;
} HCS_EVENT;

typedef struct {
  uint32_t ProcessId;
  uint32_t Reserved;
  HANDLE StdInput;
  HANDLE StdOutput;
  HANDLE StdError;
} HCS_PROCESS_INFORMATION;

typedef void (*HCS_OPERATION_COMPLETION)(HCS_OPERATION operation, void *context);
typedef void (*HCS_EVENT_CALLBACK)(HCS_EVENT *event, void *context);

#define S_OK ((HRESULT)0)
#define E_INVALIDARG ((HRESULT)0x80070057)
#define E_POINTER ((HRESULT)0x80004003)
#define E_HANDLE ((HRESULT)0x80070006)
#define E_CANCELLED ((HRESULT)0x800704C7)
#define E_TIMEOUT ((HRESULT)0x800705B4)
#define HCS_E_INVALID_STATE ((HRESULT)0x80370105)
#define HCS_E_SYSTEM_NOT_FOUND ((HRESULT)0x8037010E)
#define HCS_E_SYSTEM_ALREADY_EXISTS ((HRESULT)0x8037010F)
#define HCS_E_SYSTEM_ALREADY_STOPPED ((HRESULT)0x80370110)
#define HCS_E_OPERATION_NOT_STARTED ((HRESULT)0x80370115)
#define HCS_E_OPERATION_ALREADY_STARTED ((HRESULT)0x80370116)
#define HCS_E_OPERATION_PENDING ((HRESULT)0x80370117)
#define HCS_E_OPERATION_TIMEOUT ((HRESULT)0x80370118)
#define HCS_E_CALLBACK_ALREADY_SET ((HRESULT)0x80370119)
#define HCS_E_PROCESS_ALREADY_STOPPED ((HRESULT)0x8037011F)
#define ERROR_NOT_FOUND_HR ((HRESULT)0x80070490)

enum { EV_SYSTEM_EXITED = 1, EV_CRASH_INITIATED = 2, EV_CRASH_REPORT = 3, EV_PROCESS_EXITED = 0x10000, EV_OPERATION = 0x01000000 };
enum { ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED };
static const char *STATE_NAMES[] = {"Created", "Running", "Paused", "Stopped"};

/* ---------------------------------------------------------------- UTF-16 strings */

typedef struct {
  WCHAR *data;
  size_t len, cap;
} wbuf;

static void wb_reserve(wbuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = realloc(b->data, cap * sizeof(WCHAR));
  b->cap = cap;
}
static void wb_w(wbuf *b, PCWSTR s) {
  if (!s) return;
  size_t n = 0;
  while (s[n]) n++;
  wb_reserve(b, n);
  memcpy(b->data + b->len, s, n * sizeof(WCHAR));
  b->len += n;
  b->data[b->len] = 0;
}
static void wb_a(wbuf *b, const char *s) {
  size_t n = strlen(s);
  wb_reserve(b, n);
  for (size_t i = 0; i < n; i++) b->data[b->len + i] = (unsigned char)s[i];
  b->len += n;
  b->data[b->len] = 0;
}
static void wb_json_or_null(wbuf *b, PCWSTR s) {
  if (s && s[0]) wb_w(b, s); else wb_a(b, "null");
}
static WCHAR *wdup(PCWSTR s) {
  if (!s) return NULL;
  wbuf b = {0};
  wb_w(&b, s);
  if (!b.data) { b.data = calloc(1, sizeof(WCHAR)); }
  return b.data;
}
static int wequal(PCWSTR a, PCWSTR b) {
  if (!a || !b) return a == b;
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
/* UTF-16 → UTF-8, for token scanning and file paths. Caller frees. */
static char *to_utf8(PCWSTR s) {
  if (!s) return strdup("");
  size_t n = 0;
  while (s[n]) n++;
  char *out = malloc(n * 4 + 1), *o = out;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    }
    if (c < 0x80) *o++ = (char)c;
    else if (c < 0x800) { *o++ = (char)(0xC0 | (c >> 6)); *o++ = (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { *o++ = (char)(0xE0 | (c >> 12)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F)); }
    else { *o++ = (char)(0xF0 | (c >> 18)); *o++ = (char)(0x80 | ((c >> 12) & 0x3F)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F)); }
  }
  *o = 0;
  return out;
}

/* ---------------------------------------------------------------- counted out-strings */

#define OUT_MAGIC 0x0f5eed0f5eedULL
typedef struct { uint64_t magic; uint64_t pad; } out_header;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_changed = PTHREAD_COND_INITIALIZER;
static int64_t g_unfreed_strings, g_bad_frees, g_open_handles, g_live_callbacks, g_grant_calls, g_cancel_calls;
static uint32_t g_delay_ms = 20;
static int32_t g_fail_create_operations;
static HRESULT g_fail_set_callback;

/* Copies a string into memory the caller must give back to FakeFree. */
static PWSTR out_string(PCWSTR s) {
  size_t n = 0;
  while (s[n]) n++;
  out_header *h = malloc(sizeof(out_header) + (n + 1) * sizeof(WCHAR));
  h->magic = OUT_MAGIC;
  PWSTR p = (PWSTR)(h + 1);
  memcpy(p, s, (n + 1) * sizeof(WCHAR));
  pthread_mutex_lock(&g_lock);
  g_unfreed_strings++;
  pthread_mutex_unlock(&g_lock);
  return p;
}
static void set_out(PWSTR *out, PCWSTR s) {
  if (out) *out = s ? out_string(s) : NULL;
}

/** Stands in for LocalFree / CoTaskMemFree for the strings this library returns. */
EXPORT void FakeFree(void *p) {
  if (!p) return;
  out_header *h = (out_header *)p - 1;
  pthread_mutex_lock(&g_lock);
  if (h->magic != OUT_MAGIC) {
    g_bad_frees++;
    pthread_mutex_unlock(&g_lock);
    return;
  }
  h->magic = 0;
  g_unfreed_strings--;
  pthread_mutex_unlock(&g_lock);
  free(h);
}

/* ---------------------------------------------------------------- input tokens */

typedef struct {
  HRESULT sync_fail, op_fail;
  int has_sync_fail, has_op_fail, hang, has_delay, has_exit;
  uint32_t delay_ms;
  int exit_code;
} tokens;

static void scan(tokens *t, PCWSTR input) {
  if (!input) return;
  char *s = to_utf8(input);
  for (char *p = strstr(s, "fail-0x"); p; p = strstr(p + 1, "fail-0x")) {
    unsigned v = (unsigned)strtoul(p + 7, NULL, 16);
    if (p - s >= 2 && p[-2] == 'o' && p[-1] == 'p') { t->op_fail = (HRESULT)v; t->has_op_fail = 1; }
    else if (!t->has_sync_fail) { t->sync_fail = (HRESULT)v; t->has_sync_fail = 1; }
  }
  if (strstr(s, "hang")) t->hang = 1;
  char *d = strstr(s, "delay-");
  if (d) { t->delay_ms = (uint32_t)strtoul(d + 6, NULL, 10); t->has_delay = 1; }
  char *e = strstr(s, "exit-");
  if (e) { t->exit_code = (int)strtol(e + 5, NULL, 10); t->has_exit = 1; }
  free(s);
}
static tokens scan2(PCWSTR a, PCWSTR b) {
  tokens t = {0};
  scan(&t, a);
  scan(&t, b);
  return t;
}
static int contains(PCWSTR input, const char *needle) {
  char *s = to_utf8(input);
  int r = strstr(s, needle) != NULL;
  free(s);
  return r;
}
static WCHAR *error_document(HRESULT hr) {
  char text[512];
  snprintf(text, sizeof text,
           "{\"Error\":%d,\"ErrorMessage\":\"fake failure 0x%08X\",\"ErrorEvents\":[{\"Message\":\"injected by the fake\","
           "\"Provider\":\"fake-provider\",\"EventId\":42,\"Source\":\"fakeComputeCore.c\"}]}",
           (int)hr, (unsigned)hr);
  wbuf b = {0};
  wb_a(&b, text);
  return b.data;
}

/* ---------------------------------------------------------------- objects */

#define SYS_MAGIC 0x53595348u
#define PROC_MAGIC 0x50524f43u
#define OP_MAGIC 0x4f504552u

typedef struct fsystem {
  WCHAR *id, *config, *last_modify;
  int state;
  struct fsystem *next;
} fsystem;

typedef struct fprocess {
  uint32_t pid;
  fsystem *sys;
  int exited, exit_code, terminate;
  int in_r, out_w, err_w; /* the fake's ends */
  struct fprocess *next;
} fprocess;

typedef struct fhandle {
  uint32_t magic;
  fsystem *sys;
  fprocess *proc;
  HCS_EVENT_CALLBACK cb;
  void *ctx;
  int running_callbacks;
  struct fhandle *next;
} fhandle;

enum { OP_NEW, OP_RUNNING, OP_DONE };
typedef struct fop {
  uint32_t magic;
  void *ctx;
  HCS_OPERATION_COMPLETION cb;
  HCS_EVENT_CALLBACK event_cb;
  int state, closed, running_callback, type, resources;
  uint64_t id;
  HRESULT result;
  WCHAR *doc;
  HCS_PROCESS_INFORMATION info;
  fhandle *handle;
  struct fop *next;
} fop;

static fsystem *g_systems;
static fprocess *g_processes;
static fhandle *g_handles;
static fop *g_ops;
static uint64_t g_next_op_id = 1;
static uint32_t g_next_pid = 100;

static fhandle *find_handle(void *p, int want_process) {
  for (fhandle *h = g_handles; h; h = h->next)
    if ((void *)h == p && h->magic == (want_process ? PROC_MAGIC : SYS_MAGIC)) return h;
  return NULL;
}
static fop *find_op(void *p) {
  for (fop *o = g_ops; o; o = o->next)
    if ((void *)o == p && o->magic == OP_MAGIC && !o->closed) return o;
  return NULL;
}
static fsystem *find_system(PCWSTR id) {
  for (fsystem *s = g_systems; s; s = s->next)
    if (wequal(s->id, id)) return s;
  return NULL;
}
static fhandle *new_handle(fsystem *sys, fprocess *proc) {
  fhandle *h = calloc(1, sizeof *h);
  h->magic = proc ? PROC_MAGIC : SYS_MAGIC;
  h->sys = sys;
  h->proc = proc;
  h->next = g_handles;
  g_handles = h;
  g_open_handles++;
  return h;
}
static void unlink_handle(fhandle *h) {
  for (fhandle **pp = &g_handles; *pp; pp = &(*pp)->next)
    if (*pp == h) { *pp = h->next; break; }
}
static void free_op_if_done(fop *o) {
  if (!o->closed || o->state == OP_RUNNING || o->running_callback) return;
  for (fop **pp = &g_ops; *pp; pp = &(*pp)->next)
    if (*pp == o) { *pp = o->next; break; }
  o->magic = 0;
  free(o->doc);
  free(o);
}

/* ---------------------------------------------------------------- the scheduler thread */

enum { T_COMPLETE, T_SYSTEM_EVENT, T_SYSTEM_STOP, T_PROCESS_EXIT };
typedef struct task {
  uint64_t due_ns;
  int kind;
  fop *op;
  fsystem *sys;
  fprocess *proc;
  uint32_t event_type;
  WCHAR *data;
  int code;
  struct task *next;
} task;

static task *g_tasks;
static pthread_t g_thread;
static int g_thread_started;
static pthread_cond_t g_tasks_changed = PTHREAD_COND_INITIALIZER;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
static void *scheduler(void *arg);
static void schedule(task *t, uint32_t delay_ms) {
  t->due_ns = now_ns() + (uint64_t)delay_ms * 1000000u;
  task **pp = &g_tasks;
  while (*pp && (*pp)->due_ns <= t->due_ns) pp = &(*pp)->next;
  t->next = *pp;
  *pp = t;
  if (!g_thread_started) {
    g_thread_started = 1;
    pthread_create(&g_thread, NULL, scheduler, NULL);
    pthread_detach(g_thread);
  }
  pthread_cond_signal(&g_tasks_changed);
}
static task *new_task(int kind) {
  task *t = calloc(1, sizeof *t);
  t->kind = kind;
  return t;
}

/* Delivers one event to every handle of the system (or process) that registered a callback.
   Called with the lock held; drops it around the callbacks. */
static void deliver_event(fsystem *sys, fprocess *proc, uint32_t type, PCWSTR data) {
  fhandle *targets[256];
  int n = 0;
  for (fhandle *h = g_handles; h && n < 256; h = h->next) {
    if (!h->cb) continue;
    if (proc ? h->proc != proc : (h->proc != NULL || h->sys != sys)) continue;
    h->running_callbacks++;
    targets[n++] = h;
  }
  pthread_mutex_unlock(&g_lock);
  for (int i = 0; i < n; i++) {
    HCS_EVENT ev = {type, data, NULL};
    targets[i]->cb(&ev, targets[i]->ctx);
  }
  pthread_mutex_lock(&g_lock);
  for (int i = 0; i < n; i++) targets[i]->running_callbacks--;
  pthread_cond_broadcast(&g_changed);
}

static void process_exit_locked(fprocess *p, int code) {
  if (p->exited) return;
  p->exited = 1;
  p->exit_code = code;
  char text[160];
  snprintf(text, sizeof text, "{\"ProcessId\":%u,\"Exited\":true,\"ExitCode\":%d,\"LastWaitResult\":0}", p->pid, code);
  wbuf b = {0};
  wb_a(&b, text);
  pthread_cond_broadcast(&g_changed);
  deliver_event(NULL, p, EV_PROCESS_EXITED, b.data);
  free(b.data);
}

static void *scheduler(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_lock);
  for (;;) {
    if (!g_tasks) {
      pthread_cond_wait(&g_tasks_changed, &g_lock);
      continue;
    }
    uint64_t now = now_ns();
    if (g_tasks->due_ns > now) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      uint64_t wait = g_tasks->due_ns - now;
      ts.tv_sec += (time_t)(wait / 1000000000u);
      ts.tv_nsec += (long)(wait % 1000000000u);
      if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
      pthread_cond_timedwait(&g_tasks_changed, &g_lock, &ts);
      continue;
    }
    task *t = g_tasks;
    g_tasks = t->next;
    switch (t->kind) {
      case T_COMPLETE: {
        fop *o = t->op;
        if (o->state != OP_RUNNING) break; /* cancelled earlier */
        o->state = OP_DONE;
        pthread_cond_broadcast(&g_changed);
        if (!o->closed && (o->cb || o->event_cb)) {
          o->running_callback = 1;
          pthread_mutex_unlock(&g_lock);
          if (o->cb) o->cb((HCS_OPERATION)o, o->ctx);
          else {
            HCS_EVENT ev = {EV_OPERATION, NULL, (HCS_OPERATION)o};
            o->event_cb(&ev, o->ctx);
          }
          pthread_mutex_lock(&g_lock);
          o->running_callback = 0;
        }
        free_op_if_done(o);
        break;
      }
      case T_SYSTEM_EVENT:
        deliver_event(t->sys, NULL, t->event_type, t->data);
        break;
      case T_SYSTEM_STOP:
        if (t->sys->state != ST_STOPPED) {
          t->sys->state = ST_STOPPED;
          for (fprocess *p = g_processes; p; p = p->next)
            if (p->sys == t->sys && !p->exited) p->terminate = 1;
          pthread_cond_broadcast(&g_changed);
          deliver_event(t->sys, NULL, EV_SYSTEM_EXITED, t->data);
        }
        break;
      case T_PROCESS_EXIT:
        process_exit_locked(t->proc, t->code);
        break;
    }
    free(t->data);
    free(t);
  }
  return NULL;
}

/* Starts `op`: it completes with (hr, doc) after the delay, unless `hang`. Lock held. */
static HRESULT start_op(fop *o, fhandle *h, int type, const tokens *t, HRESULT hr, PCWSTR doc) {
  if (o->state != OP_NEW) return HCS_E_OPERATION_ALREADY_STARTED;
  o->state = OP_RUNNING;
  o->type = type;
  o->handle = h;
  if (t->has_op_fail) {
    o->result = t->op_fail;
    o->doc = error_document(t->op_fail);
  } else {
    o->result = hr;
    o->doc = (hr < 0 && !doc) ? error_document(hr) : wdup(doc);
  }
  if (t->hang) return S_OK;
  task *k = new_task(T_COMPLETE);
  k->op = o;
  schedule(k, t->has_delay ? t->delay_ms : g_delay_ms);
  return S_OK;
}
/* A call refused at once: the operation stays unstarted but answers with the failure. Lock held. */
static HRESULT refuse(fop *o, HRESULT hr) {
  if (o && o->state == OP_NEW) {
    o->state = OP_DONE;
    o->result = hr;
    o->doc = error_document(hr);
  }
  return hr;
}

/* ---------------------------------------------------------------- operations */

EXPORT HCS_OPERATION HcsCreateOperation(const void *context, HCS_OPERATION_COMPLETION callback) {
  pthread_mutex_lock(&g_lock);
  int refuse_now = g_fail_create_operations > 0;
  if (refuse_now) g_fail_create_operations--;
  pthread_mutex_unlock(&g_lock);
  if (refuse_now) return NULL;
  fop *o = calloc(1, sizeof *o);
  o->magic = OP_MAGIC;
  o->ctx = (void *)context;
  o->cb = callback;
  pthread_mutex_lock(&g_lock);
  o->id = g_next_op_id++;
  o->next = g_ops;
  g_ops = o;
  g_open_handles++;
  pthread_mutex_unlock(&g_lock);
  return o;
}

#ifndef FAKE_OLD_BUILD
EXPORT HCS_OPERATION HcsCreateOperationWithNotifications(uint32_t eventTypes, const void *context, HCS_EVENT_CALLBACK callback) {
  (void)eventTypes;
  fop *o = HcsCreateOperation(context, NULL);
  o->event_cb = callback;
  return o;
}
#endif

EXPORT void HcsCloseOperation(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  if (o) {
    o->closed = 1;
    g_open_handles--;
    free_op_if_done(o);
  }
  pthread_mutex_unlock(&g_lock);
}

EXPORT void *HcsGetOperationContext(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  void *ctx = o ? o->ctx : NULL;
  pthread_mutex_unlock(&g_lock);
  return ctx;
}

EXPORT HRESULT HcsSetOperationContext(HCS_OPERATION operation, void *context) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  if (o) o->ctx = context;
  pthread_mutex_unlock(&g_lock);
  return o ? S_OK : E_HANDLE;
}

EXPORT HCS_SYSTEM HcsGetComputeSystemFromOperation(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  void *r = (o && o->handle && o->handle->magic == SYS_MAGIC) ? o->handle : NULL;
  pthread_mutex_unlock(&g_lock);
  return r;
}

EXPORT HCS_PROCESS HcsGetProcessFromOperation(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  void *r = (o && o->handle && o->handle->magic == PROC_MAGIC) ? o->handle : NULL;
  pthread_mutex_unlock(&g_lock);
  return r;
}

EXPORT int32_t HcsGetOperationType(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  int32_t r = (o && o->state != OP_NEW) ? o->type : -1;
  pthread_mutex_unlock(&g_lock);
  return r;
}

EXPORT uint64_t HcsGetOperationId(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  uint64_t r = o ? o->id : 0;
  pthread_mutex_unlock(&g_lock);
  return r;
}

static HRESULT get_result(HCS_OPERATION operation, HCS_PROCESS_INFORMATION *info, PWSTR *doc) {
  if (doc) *doc = NULL;
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  HRESULT hr;
  if (!o) hr = E_HANDLE;
  else if (o->state == OP_NEW) hr = HCS_E_OPERATION_NOT_STARTED;
  else if (o->state == OP_RUNNING) hr = HCS_E_OPERATION_PENDING;
  else {
    hr = o->result;
    if (info) *info = o->info;
    WCHAR *copy = wdup(o->doc);
    pthread_mutex_unlock(&g_lock);
    set_out(doc, copy);
    free(copy);
    return hr;
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsGetOperationResult(HCS_OPERATION operation, PWSTR *resultDocument) {
  return get_result(operation, NULL, resultDocument);
}

EXPORT HRESULT HcsGetOperationResultAndProcessInfo(HCS_OPERATION operation, HCS_PROCESS_INFORMATION *processInformation, PWSTR *resultDocument) {
  return get_result(operation, processInformation, resultDocument);
}

EXPORT HRESULT HcsAddResourceToOperation(HCS_OPERATION operation, uint32_t type, PCWSTR uri, HANDLE handle) {
  (void)type;
  (void)handle;
  if (!uri) return E_INVALIDARG;
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  HRESULT hr = !o ? E_HANDLE : o->state != OP_NEW ? HCS_E_OPERATION_ALREADY_STARTED : S_OK;
  if (hr == S_OK) o->resources++;
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsGetProcessorCompatibilityFromSavedState(PCWSTR runtimeFileName, PCWSTR *processorFeaturesString) {
  tokens t = scan2(runtimeFileName, NULL);
  if (t.has_sync_fail) return t.sync_fail;
  wbuf b = {0};
  wb_a(&b, "{\"RuntimeFile\":\"");
  wb_w(&b, runtimeFileName);
  wb_a(&b, "\"}");
  set_out((PWSTR *)processorFeaturesString, b.data);
  free(b.data);
  return S_OK;
}

static HRESULT wait_result(HCS_OPERATION operation, uint32_t timeoutMs, HCS_PROCESS_INFORMATION *info, PWSTR *doc) {
  if (doc) *doc = NULL;
  uint64_t deadline = timeoutMs == 0xFFFFFFFFu ? UINT64_MAX : now_ns() + (uint64_t)timeoutMs * 1000000u;
  pthread_mutex_lock(&g_lock);
  for (;;) {
    fop *o = find_op(operation);
    if (!o) { pthread_mutex_unlock(&g_lock); return E_HANDLE; }
    if (o->state == OP_NEW) { pthread_mutex_unlock(&g_lock); return HCS_E_OPERATION_NOT_STARTED; }
    if (o->state == OP_DONE) break;
    if (now_ns() >= deadline) { pthread_mutex_unlock(&g_lock); return HCS_E_OPERATION_TIMEOUT; }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 5000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&g_changed, &g_lock, &ts);
  }
  pthread_mutex_unlock(&g_lock);
  return get_result(operation, info, doc);
}

EXPORT HRESULT HcsWaitForOperationResult(HCS_OPERATION operation, uint32_t timeoutMs, PWSTR *resultDocument) {
  return wait_result(operation, timeoutMs, NULL, resultDocument);
}

EXPORT HRESULT HcsWaitForOperationResultAndProcessInfo(HCS_OPERATION operation, uint32_t timeoutMs, HCS_PROCESS_INFORMATION *processInformation, PWSTR *resultDocument) {
  return wait_result(operation, timeoutMs, processInformation, resultDocument);
}

EXPORT HRESULT HcsSetOperationCallback(HCS_OPERATION operation, const void *context, HCS_OPERATION_COMPLETION callback) {
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  HRESULT hr = !o ? E_HANDLE : o->state != OP_NEW ? HCS_E_OPERATION_ALREADY_STARTED : S_OK;
  if (hr == S_OK) { o->ctx = (void *)context; o->cb = callback; }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsCancelOperation(HCS_OPERATION operation) {
  pthread_mutex_lock(&g_lock);
  g_cancel_calls++;
  fop *o = find_op(operation);
  HRESULT hr = !o ? E_HANDLE : o->state != OP_RUNNING ? HCS_E_INVALID_STATE : S_OK;
  if (hr == S_OK) {
    free(o->doc);
    o->doc = NULL;
    o->result = E_CANCELLED;
    /* Complete through the scheduler so the callback still comes from its thread; the pending
       completion task goes, so no task outlives the operation. */
    for (task **pp = &g_tasks; *pp;) {
      if ((*pp)->kind == T_COMPLETE && (*pp)->op == o) {
        task *dead = *pp;
        *pp = dead->next;
        free(dead);
      } else {
        pp = &(*pp)->next;
      }
    }
    task *k = new_task(T_COMPLETE);
    k->op = o;
    schedule(k, 0);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

#ifndef FAKE_OLD_BUILD
EXPORT HRESULT HcsGetOperationProperties(HCS_OPERATION operation, PCWSTR options, PWSTR *resultDocument) {
  (void)options;
  if (resultDocument) *resultDocument = NULL;
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  uint64_t id = o ? o->id : 0;
  pthread_mutex_unlock(&g_lock);
  if (!o) return E_HANDLE;
  char text[64];
  snprintf(text, sizeof text, "{\"OperationId\":%" PRIu64 "}", id);
  wbuf b = {0};
  wb_a(&b, text);
  set_out(resultDocument, b.data);
  free(b.data);
  return S_OK;
}
#endif

/* ---------------------------------------------------------------- compute systems */

EXPORT HRESULT HcsEnumerateComputeSystems(PCWSTR query, HCS_OPERATION operation) {
  tokens t = scan2(query, NULL);
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  HRESULT hr;
  if (!o) hr = E_HANDLE;
  else if (t.has_sync_fail) hr = refuse(o, t.sync_fail);
  else {
    wbuf b = {0};
    wb_a(&b, "[");
    for (fsystem *s = g_systems; s; s = s->next) {
      if (b.len > 1) wb_a(&b, ",");
      wb_a(&b, "{\"Id\":\"");
      wb_w(&b, s->id);
      wb_a(&b, "\",\"SystemType\":\"VirtualMachine\",\"State\":\"");
      wb_a(&b, STATE_NAMES[s->state]);
      wb_a(&b, "\",\"Owner\":\"fake\"}");
    }
    wb_a(&b, "]");
    hr = start_op(o, NULL, 0, &t, S_OK, b.data);
    free(b.data);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsCreateComputeSystem(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation, const void *securityDescriptor, HCS_SYSTEM *computeSystem) {
  (void)securityDescriptor;
  if (!id || !computeSystem) return E_POINTER;
  *computeSystem = NULL;
  tokens t = scan2(id, configuration);
  pthread_mutex_lock(&g_lock);
  fop *o = find_op(operation);
  HRESULT hr;
  if (!o) hr = E_HANDLE;
  else if (t.has_sync_fail) hr = refuse(o, t.sync_fail);
  else if (find_system(id)) hr = refuse(o, HCS_E_SYSTEM_ALREADY_EXISTS);
  else {
    fsystem *s = calloc(1, sizeof *s);
    s->id = wdup(id);
    s->config = wdup(configuration);
    s->state = ST_CREATED;
    s->next = g_systems;
    g_systems = s;
    fhandle *h = new_handle(s, NULL);
    hr = start_op(o, h, 1, &t, S_OK, NULL);
    *computeSystem = h;
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsOpenComputeSystem(PCWSTR id, uint32_t requestedAccess, HCS_SYSTEM *computeSystem) {
  (void)requestedAccess;
  if (!id || !computeSystem) return E_POINTER;
  *computeSystem = NULL;
  tokens t = scan2(id, NULL);
  if (t.has_sync_fail) return t.sync_fail;
  pthread_mutex_lock(&g_lock);
  fsystem *s = find_system(id);
  if (s) *computeSystem = new_handle(s, NULL);
  pthread_mutex_unlock(&g_lock);
  return s ? S_OK : HCS_E_SYSTEM_NOT_FOUND;
}

static void close_handle(void *p, int want_process) {
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(p, want_process);
  if (h) {
    unlink_handle(h);
    /* No event callback for this handle may still be running when we return. */
    while (h->running_callbacks > 0) pthread_cond_wait(&g_changed, &g_lock);
    if (h->cb) g_live_callbacks--;
    g_open_handles--;
    h->magic = 0;
    free(h);
  }
  pthread_mutex_unlock(&g_lock);
}

EXPORT void HcsCloseComputeSystem(HCS_SYSTEM computeSystem) { close_handle(computeSystem, 0); }

/* Checks the handle and operation of a system call and applies the fake's input tokens. Lock held. */
static HRESULT system_call(HCS_SYSTEM system, HCS_OPERATION operation, PCWSTR input, tokens *t, fhandle **h, fop **o) {
  *t = scan2(input, NULL);
  *h = find_handle(system, 0);
  *o = find_op(operation);
  if (!*h || !*o) return E_HANDLE;
  if (t->has_sync_fail) return refuse(*o, t->sync_fail);
  return S_OK;
}

static HRESULT transition(HCS_SYSTEM system, HCS_OPERATION operation, PCWSTR options, int type, int from, int to) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(system, operation, options, &t, &h, &o);
  if (hr == S_OK) {
    int ok = h->sys->state == from;
    if (ok && !t.has_op_fail) h->sys->state = to;
    hr = start_op(o, h, type, &t, ok ? S_OK : HCS_E_INVALID_STATE, NULL);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsStartComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return transition(computeSystem, operation, options, 2, ST_CREATED, ST_RUNNING);
}
EXPORT HRESULT HcsPauseComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return transition(computeSystem, operation, options, 4, ST_RUNNING, ST_PAUSED);
}
EXPORT HRESULT HcsResumeComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return transition(computeSystem, operation, options, 5, ST_PAUSED, ST_RUNNING);
}
EXPORT HRESULT HcsSaveComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return transition(computeSystem, operation, options, 6, ST_PAUSED, ST_PAUSED);
}

static HRESULT stop(HCS_SYSTEM system, HCS_OPERATION operation, PCWSTR options, int type, const char *exitType) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(system, operation, options, &t, &h, &o);
  if (hr == S_OK && h->sys->state == ST_STOPPED) hr = refuse(o, HCS_E_SYSTEM_ALREADY_STOPPED);
  if (hr == S_OK) {
    hr = start_op(o, h, type, &t, S_OK, NULL);
    if (!t.has_op_fail) {
      char text[96];
      snprintf(text, sizeof text, "{\"Status\":0,\"ExitType\":\"%s\"}", exitType);
      task *k = new_task(T_SYSTEM_STOP);
      k->sys = h->sys;
      wbuf b = {0};
      wb_a(&b, text);
      k->data = b.data;
      schedule(k, (t.has_delay ? t.delay_ms : g_delay_ms) * 2);
    }
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsShutDownComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return stop(computeSystem, operation, options, 3, "GracefulExit");
}
EXPORT HRESULT HcsTerminateComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  return stop(computeSystem, operation, options, 7, "ForcedExit");
}

static void schedule_event(fsystem *sys, uint32_t type, const char *json, uint32_t delay) {
  task *k = new_task(T_SYSTEM_EVENT);
  k->sys = sys;
  k->event_type = type;
  if (json) {
    wbuf b = {0};
    wb_a(&b, json);
    k->data = b.data;
  }
  schedule(k, delay);
}

EXPORT HRESULT HcsCrashComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(computeSystem, operation, options, &t, &h, &o);
  if (hr == S_OK) {
    int ok = h->sys->state == ST_RUNNING;
    hr = start_op(o, h, 15, &t, ok ? S_OK : HCS_E_INVALID_STATE, NULL);
    if (ok && !t.has_op_fail) {
      uint32_t d = t.has_delay ? t.delay_ms : g_delay_ms;
      schedule_event(h->sys, EV_CRASH_INITIATED, NULL, d);
      schedule_event(h->sys, EV_CRASH_REPORT, "{\"CrashParameters\":[1,2,3,4,5]}", d + 1);
      task *k = new_task(T_SYSTEM_STOP);
      k->sys = h->sys;
      wbuf b = {0};
      wb_a(&b, "{\"Status\":-2143878906,\"ExitType\":\"UnexpectedExit\"}");
      k->data = b.data;
      schedule(k, d + 2);
    }
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsGetComputeSystemProperties(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR propertyQuery) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(computeSystem, operation, propertyQuery, &t, &h, &o);
  if (hr == S_OK) {
    wbuf b = {0};
    wb_a(&b, "{\"Id\":\"");
    wb_w(&b, h->sys->id);
    wb_a(&b, "\",\"State\":\"");
    wb_a(&b, STATE_NAMES[h->sys->state]);
    wb_a(&b, "\",\"Query\":");
    wb_json_or_null(&b, propertyQuery);
    wb_a(&b, ",\"Configuration\":");
    wb_json_or_null(&b, h->sys->config);
    wb_a(&b, ",\"LastModify\":");
    wb_json_or_null(&b, h->sys->last_modify);
    wb_a(&b, "}");
    hr = start_op(o, h, 9, &t, S_OK, b.data);
    free(b.data);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsModifyComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR configuration, HANDLE identity) {
  (void)identity;
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(computeSystem, operation, configuration, &t, &h, &o);
  if (hr == S_OK) {
    if (!t.has_op_fail) {
      free(h->sys->last_modify);
      h->sys->last_modify = wdup(configuration);
    }
    hr = start_op(o, h, 8, &t, S_OK, NULL);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

static int wait_until(int *flag, uint32_t timeoutMs) {
  uint64_t deadline = timeoutMs == 0xFFFFFFFFu ? UINT64_MAX : now_ns() + (uint64_t)timeoutMs * 1000000u;
  while (!*flag) {
    if (now_ns() >= deadline) return 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 5000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&g_changed, &g_lock, &ts);
  }
  return 1;
}

EXPORT HRESULT HcsWaitForComputeSystemExit(HCS_SYSTEM computeSystem, uint32_t timeoutMs, PWSTR *result) {
  if (result) *result = NULL;
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(computeSystem, 0);
  if (!h) { pthread_mutex_unlock(&g_lock); return E_HANDLE; }
  fsystem *s = h->sys;
  int stopped = s->state == ST_STOPPED;
  uint64_t deadline = timeoutMs == 0xFFFFFFFFu ? UINT64_MAX : now_ns() + (uint64_t)timeoutMs * 1000000u;
  while (!stopped && now_ns() < deadline) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 5000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&g_changed, &g_lock, &ts);
    stopped = s->state == ST_STOPPED;
  }
  pthread_mutex_unlock(&g_lock);
  return stopped ? S_OK : E_TIMEOUT;
}

EXPORT HRESULT HcsSetComputeSystemCallback(HCS_SYSTEM computeSystem, uint32_t callbackOptions, const void *context, HCS_EVENT_CALLBACK callback) {
  (void)callbackOptions;
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(computeSystem, 0);
  HRESULT hr = !h ? E_HANDLE : h->cb ? HCS_E_CALLBACK_ALREADY_SET : S_OK;
  if (hr == S_OK && g_fail_set_callback != 0) {
    hr = g_fail_set_callback;
    g_fail_set_callback = 0;
  }
  if (hr == S_OK && callback) {
    h->cb = callback;
    h->ctx = (void *)context;
    g_live_callbacks++;
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

#ifndef FAKE_OLD_BUILD
EXPORT HRESULT HcsEnumerateComputeSystemsInNamespace(PCWSTR idNamespace, PCWSTR query, HCS_OPERATION operation) {
  (void)idNamespace;
  return HcsEnumerateComputeSystems(query, operation);
}
EXPORT HRESULT HcsCreateComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, PCWSTR configuration, HCS_OPERATION operation, const void *options, HCS_SYSTEM *computeSystem) {
  (void)idNamespace;
  (void)options;
  return HcsCreateComputeSystem(id, configuration, operation, NULL, computeSystem);
}
EXPORT HRESULT HcsOpenComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, uint32_t requestedAccess, HCS_SYSTEM *computeSystem) {
  (void)idNamespace;
  return HcsOpenComputeSystem(id, requestedAccess, computeSystem);
}

static HRESULT migration_call(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(computeSystem, operation, options, &t, &h, &o);
  if (hr == S_OK) hr = start_op(o, h, -1, &t, S_OK, NULL);
  pthread_mutex_unlock(&g_lock);
  return hr;
}
EXPORT HRESULT HcsInitializeLiveMigrationOnSource(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) { return migration_call(computeSystem, operation, options); }
EXPORT HRESULT HcsStartLiveMigrationOnSource(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) { return migration_call(computeSystem, operation, options); }
EXPORT HRESULT HcsStartLiveMigrationTransfer(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) { return migration_call(computeSystem, operation, options); }
EXPORT HRESULT HcsFinalizeLiveMigration(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) { return migration_call(computeSystem, operation, options); }
EXPORT HRESULT HcsCancelLiveMigration(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options) { return migration_call(computeSystem, operation, options); }
#endif

/* ---------------------------------------------------------------- processes */

static void *process_io(void *arg) {
  fprocess *p = arg;
  char buf[65536];
  int in = p->in_r, out = p->out_w, err = p->err_w;
  if (err >= 0) {
    char line[64];
    int n = snprintf(line, sizeof line, "stderr of %u\n", p->pid);
    if (write(err, line, (size_t)n) < 0) { /* the reader went away */ }
    close(err);
  }
  for (;;) {
    struct pollfd pfd = {in, POLLIN, 0};
    int r = poll(&pfd, 1, 20);
    pthread_mutex_lock(&g_lock);
    int stop_now = p->terminate || p->exited;
    pthread_mutex_unlock(&g_lock);
    if (stop_now) break;
    if (r <= 0) continue;
    ssize_t n = read(in, buf, sizeof buf);
    if (n <= 0) {
      pthread_mutex_lock(&g_lock);
      process_exit_locked(p, 0);
      pthread_mutex_unlock(&g_lock);
      break;
    }
    for (ssize_t off = 0; off < n && out >= 0;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w <= 0) { close(out); out = -1; break; }
      off += w;
    }
  }
  close(in);
  if (out >= 0) close(out);
  return NULL;
}

static int make_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

EXPORT HRESULT HcsCreateProcess(HCS_SYSTEM computeSystem, PCWSTR processParameters, HCS_OPERATION operation, const void *securityDescriptor, HCS_PROCESS *process) {
  (void)securityDescriptor;
  if (!process) return E_POINTER;
  *process = NULL;
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = system_call(computeSystem, operation, processParameters, &t, &h, &o);
  if (hr == S_OK && h->sys->state != ST_RUNNING) {
    hr = start_op(o, h, 10, &t, HCS_E_INVALID_STATE, NULL);
    pthread_mutex_unlock(&g_lock);
    return hr;
  }
  if (hr != S_OK) { pthread_mutex_unlock(&g_lock); return hr; }
  fprocess *p = calloc(1, sizeof *p);
  p->pid = g_next_pid++;
  p->sys = h->sys;
  p->in_r = p->out_w = p->err_w = -1;
  p->next = g_processes;
  g_processes = p;
  HCS_PROCESS_INFORMATION info = {p->pid, 0, NULL, NULL, NULL};
  int fds[2];
  int want_in = contains(processParameters, "\"CreateStdInPipe\":true");
  if (want_in && make_pipe(fds) == 0) { p->in_r = fds[0]; info.StdInput = (HANDLE)(intptr_t)fds[1]; }
  if (contains(processParameters, "\"CreateStdOutPipe\":true") && make_pipe(fds) == 0) { p->out_w = fds[1]; info.StdOutput = (HANDLE)(intptr_t)fds[0]; }
  if (contains(processParameters, "\"CreateStdErrPipe\":true") && make_pipe(fds) == 0) { p->err_w = fds[1]; info.StdError = (HANDLE)(intptr_t)fds[0]; }
  fhandle *ph = new_handle(h->sys, p);
  char text[64];
  snprintf(text, sizeof text, "{\"ProcessId\":%u}", p->pid);
  wbuf b = {0};
  wb_a(&b, text);
  hr = start_op(o, ph, 10, &t, S_OK, b.data);
  free(b.data);
  o->info = info;
  *process = ph;
  if (p->in_r >= 0) {
    pthread_t th;
    pthread_create(&th, NULL, process_io, p);
    pthread_detach(th);
  } else {
    if (p->out_w >= 0) { close(p->out_w); p->out_w = -1; }
    if (p->err_w >= 0) {
      char line[64];
      int n = snprintf(line, sizeof line, "stderr of %u\n", p->pid);
      if (write(p->err_w, line, (size_t)n) < 0) { /* ignored */ }
      close(p->err_w);
      p->err_w = -1;
    }
    if (t.has_exit) {
      task *k = new_task(T_PROCESS_EXIT);
      k->proc = p;
      k->code = t.exit_code;
      schedule(k, t.has_delay ? t.delay_ms : g_delay_ms);
    }
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsOpenProcess(HCS_SYSTEM computeSystem, uint32_t processId, uint32_t requestedAccess, HCS_PROCESS *process) {
  (void)requestedAccess;
  if (!process) return E_POINTER;
  *process = NULL;
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(computeSystem, 0);
  HRESULT hr = h ? ERROR_NOT_FOUND_HR : E_HANDLE;
  if (h)
    for (fprocess *p = g_processes; p; p = p->next)
      if (p->pid == processId && p->sys == h->sys) {
        *process = new_handle(h->sys, p);
        hr = S_OK;
        break;
      }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT void HcsCloseProcess(HCS_PROCESS process) { close_handle(process, 1); }

static HRESULT process_call(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR input, tokens *t, fhandle **h, fop **o) {
  *t = scan2(input, NULL);
  *h = find_handle(process, 1);
  *o = find_op(operation);
  if (!*h || !*o) return E_HANDLE;
  if (t->has_sync_fail) return refuse(*o, t->sync_fail);
  return S_OK;
}

static HRESULT end_process(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options, int type, int code) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = process_call(process, operation, options, &t, &h, &o);
  if (hr == S_OK) {
    HRESULT result = h->proc->exited ? HCS_E_PROCESS_ALREADY_STOPPED : h->sys->state == ST_STOPPED ? HCS_E_SYSTEM_ALREADY_STOPPED : S_OK;
    hr = start_op(o, h, type, &t, result, NULL);
    if (result == S_OK && !t.has_op_fail) {
      h->proc->terminate = 1;
      task *k = new_task(T_PROCESS_EXIT);
      k->proc = h->proc;
      k->code = code;
      schedule(k, t.has_delay ? t.delay_ms : g_delay_ms);
    }
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsTerminateProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options) {
  return end_process(process, operation, options, 7, 1);
}

EXPORT HRESULT HcsSignalProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options) {
  char *s = to_utf8(options);
  char *sig = strstr(s, "\"Signal\":");
  int n = sig ? (int)strtol(sig + 9, NULL, 10) : 15;
  free(s);
  return end_process(process, operation, options, 11, 128 + n);
}

EXPORT HRESULT HcsGetProcessInfo(HCS_PROCESS process, HCS_OPERATION operation) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = process_call(process, operation, NULL, &t, &h, &o);
  if (hr == S_OK) {
    hr = start_op(o, h, 12, &t, S_OK, NULL);
    HCS_PROCESS_INFORMATION info = {h->proc->pid, 0, NULL, NULL, NULL};
    o->info = info;
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsGetProcessProperties(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR propertyQuery) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = process_call(process, operation, propertyQuery, &t, &h, &o);
  if (hr == S_OK) {
    char text[160];
    snprintf(text, sizeof text, "{\"ProcessId\":%u,\"Exited\":%s,\"ExitCode\":%d,\"LastWaitResult\":0}", h->proc->pid,
             h->proc->exited ? "true" : "false", h->proc->exit_code);
    wbuf b = {0};
    wb_a(&b, text);
    hr = start_op(o, h, 13, &t, S_OK, b.data);
    free(b.data);
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsModifyProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR settings) {
  tokens t;
  fhandle *h;
  fop *o;
  pthread_mutex_lock(&g_lock);
  HRESULT hr = process_call(process, operation, settings, &t, &h, &o);
  if (hr == S_OK) hr = start_op(o, h, 14, &t, h->proc->exited ? HCS_E_PROCESS_ALREADY_STOPPED : S_OK, NULL);
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsSetProcessCallback(HCS_PROCESS process, uint32_t callbackOptions, void *context, HCS_EVENT_CALLBACK callback) {
  (void)callbackOptions;
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(process, 1);
  HRESULT hr = !h ? E_HANDLE : h->cb ? HCS_E_CALLBACK_ALREADY_SET : S_OK;
  if (hr == S_OK && g_fail_set_callback != 0) {
    hr = g_fail_set_callback;
    g_fail_set_callback = 0;
  }
  if (hr == S_OK && callback) {
    h->cb = callback;
    h->ctx = context;
    g_live_callbacks++;
  }
  pthread_mutex_unlock(&g_lock);
  return hr;
}

EXPORT HRESULT HcsWaitForProcessExit(HCS_PROCESS process, uint32_t timeoutMs, PWSTR *result) {
  if (result) *result = NULL;
  pthread_mutex_lock(&g_lock);
  fhandle *h = find_handle(process, 1);
  if (!h) { pthread_mutex_unlock(&g_lock); return E_HANDLE; }
  fprocess *p = h->proc;
  int exited = wait_until(&p->exited, timeoutMs);
  char text[160];
  snprintf(text, sizeof text, "{\"ProcessId\":%u,\"Exited\":true,\"ExitCode\":%d,\"LastWaitResult\":0}", p->pid, p->exit_code);
  pthread_mutex_unlock(&g_lock);
  if (!exited) return E_TIMEOUT;
  wbuf b = {0};
  wb_a(&b, text);
  set_out(result, b.data);
  free(b.data);
  return S_OK;
}

/* ---------------------------------------------------------------- service and files */

EXPORT HRESULT HcsGetServiceProperties(PCWSTR propertyQuery, PWSTR *result) {
  if (result) *result = NULL;
  tokens t = scan2(propertyQuery, NULL);
  if (t.has_sync_fail) {
    WCHAR *doc = error_document(t.sync_fail);
    set_out(result, doc);
    free(doc);
    return t.sync_fail;
  }
  wbuf b = {0};
  wb_a(&b, "{\"Properties\":[");
  wb_json_or_null(&b, propertyQuery);
  wb_a(&b, "]}");
  set_out(result, b.data);
  free(b.data);
  return S_OK;
}

EXPORT HRESULT HcsModifyServiceSettings(PCWSTR settings, PWSTR *result) {
  if (result) *result = NULL;
  tokens t = scan2(settings, NULL);
  if (t.has_sync_fail) {
    WCHAR *doc = error_document(t.sync_fail);
    set_out(result, doc);
    free(doc);
    return t.sync_fail;
  }
  if (settings && settings[0]) set_out(result, settings);
  return S_OK;
}

EXPORT HRESULT HcsSubmitWerReport(PCWSTR settings) {
  tokens t = scan2(settings, NULL);
  return t.has_sync_fail ? t.sync_fail : S_OK;
}

static HRESULT create_file(PCWSTR path) {
  if (!path || !path[0]) return E_INVALIDARG;
  tokens t = scan2(path, NULL);
  if (t.has_sync_fail) return t.sync_fail;
  char *p = to_utf8(path);
  int fd = open(p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  int err = errno;
  free(p);
  if (fd < 0) return err == EEXIST ? (HRESULT)0x800700B7 : err == ENOENT ? (HRESULT)0x80070003 : (HRESULT)0x80070005;
  close(fd);
  return S_OK;
}

EXPORT HRESULT HcsCreateEmptyGuestStateFile(PCWSTR guestStateFilePath) { return create_file(guestStateFilePath); }
EXPORT HRESULT HcsCreateEmptyRuntimeStateFile(PCWSTR runtimeStateFilePath) { return create_file(runtimeStateFilePath); }

static HRESULT access_call(PCWSTR a, PCWSTR b) {
  if (!b || !b[0]) return E_INVALIDARG;
  tokens t = scan2(a, b);
  if (t.has_sync_fail) return t.sync_fail;
  pthread_mutex_lock(&g_lock);
  g_grant_calls++;
  pthread_mutex_unlock(&g_lock);
  return S_OK;
}
EXPORT HRESULT HcsGrantVmAccess(PCWSTR vmId, PCWSTR filePath) { return access_call(vmId, filePath); }
EXPORT HRESULT HcsRevokeVmAccess(PCWSTR vmId, PCWSTR filePath) { return access_call(vmId, filePath); }
EXPORT HRESULT HcsGrantVmGroupAccess(PCWSTR filePath) { return access_call(NULL, filePath); }
EXPORT HRESULT HcsRevokeVmGroupAccess(PCWSTR filePath) { return access_call(NULL, filePath); }

/* ---------------------------------------------------------------- test-only exports */

static int64_t read_counter(int64_t *c) {
  pthread_mutex_lock(&g_lock);
  int64_t v = *c;
  pthread_mutex_unlock(&g_lock);
  return v;
}
/** Handles (systems, processes, operations) created and not yet closed. */
EXPORT int64_t FakeOpenHandles(void) { return read_counter(&g_open_handles); }
/** Event callbacks registered on handles that are not yet closed. */
EXPORT int64_t FakeLiveCallbacks(void) { return read_counter(&g_live_callbacks); }
/** Out-strings handed out and not yet given back to FakeFree. */
EXPORT int64_t FakeUnfreedStrings(void) { return read_counter(&g_unfreed_strings); }
/** FakeFree calls with a pointer this library did not hand out (or freed twice). */
EXPORT int64_t FakeBadFrees(void) { return read_counter(&g_bad_frees); }
/** HcsCancelOperation calls so far. */
EXPORT int64_t FakeCancelCalls(void) { return read_counter(&g_cancel_calls); }
/** Grant/revoke calls so far. */
EXPORT int64_t FakeAccessCalls(void) { return read_counter(&g_grant_calls); }
/** The default completion delay. */
EXPORT void FakeSetDelayMs(uint32_t ms) {
  pthread_mutex_lock(&g_lock);
  g_delay_ms = ms;
  pthread_mutex_unlock(&g_lock);
}
/** The next `count` HcsCreateOperation calls return NULL, as when HCS cannot allocate an operation. */
EXPORT void FakeFailNextCreateOperations(int32_t count) {
  pthread_mutex_lock(&g_lock);
  g_fail_create_operations = count;
  pthread_mutex_unlock(&g_lock);
}
/** The next HcsSetComputeSystemCallback or HcsSetProcessCallback fails with `hr`. */
EXPORT void FakeFailNextSetCallback(HRESULT hr) {
  pthread_mutex_lock(&g_lock);
  g_fail_set_callback = hr;
  pthread_mutex_unlock(&g_lock);
}
/** Queues an event for every handle of system `id` with a callback; it is delivered from the scheduler thread. */
EXPORT HRESULT FakeEmitSystemEvent(PCWSTR id, uint32_t type, PCWSTR data, uint32_t delayMs) {
  pthread_mutex_lock(&g_lock);
  fsystem *s = find_system(id);
  if (s) {
    task *k = new_task(T_SYSTEM_EVENT);
    k->sys = s;
    k->event_type = type;
    k->data = wdup(data);
    schedule(k, delayMs);
  }
  pthread_mutex_unlock(&g_lock);
  return s ? S_OK : HCS_E_SYSTEM_NOT_FOUND;
}
/** Copies `input` into a new out-string (UTF-16 echo). */
EXPORT HRESULT FakeEcho(PCWSTR input, PWSTR *output) {
  if (!input || !output) return E_POINTER;
  set_out(output, input);
  return S_OK;
}

// SPDX-License-Identifier: MIT
/* The status line of a long command (progress.h): a timer thread per command. */
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stop, shown;
static char what[160];

static void deadline(struct timespec *ts, const struct timespec *start, long ms)
{
	*ts = *start;
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

static void *tick(void *arg)
{
	struct timespec start, ts;
	long ms = 1000;	/* the first line after a second */

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &start);
	pthread_mutex_lock(&lock);
	for (;;) {
		deadline(&ts, &start, ms);
		while (!stop && pthread_cond_timedwait(&cond, &lock, &ts) != ETIMEDOUT)
			;
		if (stop)
			break;
		fprintf(stderr, "\rmemhp: %s ... %ld s\033[K", what, ms / 1000);
		fflush(stderr);
		shown = true;
		ms += 1000;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

void progress_begin(const char *text)
{
	if (running || !isatty(STDERR_FILENO))
		return;
	snprintf(what, sizeof(what), "%s", text);
	stop = false;
	shown = false;
	running = pthread_create(&thread, NULL, tick, NULL) == 0;
}

void progress_end(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stop = true;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = false;
	if (shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

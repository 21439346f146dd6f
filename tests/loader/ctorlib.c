/* A shared library whose constructor has a start-up side effect that a warm image
 * would hide (ld.so runs library constructors during warm-up; the program's own run in
 * each child). Built with one of -DCTOR_THREAD, -DCTOR_FD, -DCTOR_PRINT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#ifdef CTOR_THREAD
static void *sleeper(void *arg) { for (;;) pause(); return arg; }
#endif

__attribute__((constructor)) static void ctor(void)
{
#ifdef CTOR_THREAD
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
#endif
#ifdef CTOR_FD
    open("/dev/null", O_RDONLY);
#endif
#ifdef CTOR_PRINT
    printf("constructor output, ");
#endif
}

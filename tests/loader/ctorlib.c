/* A shared library whose constructor has a start-up side effect that a warm image
 * would hide (ld.so runs library constructors during warm-up; the program's own run in
 * each child). Built with one of -DCTOR_THREAD, -DCTOR_FD, -DCTOR_PRINT.
 *
 * With -DLAZY_UNDEFINED it is instead a library that calls a function nobody defines:
 * dlopen(RTLD_LAZY) loads it (the call is never made), dlopen(RTLD_NOW) refuses it.
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

#ifdef LAZY_UNDEFINED
extern void pywarmsh_test_nowhere(void);
void lazy_entry(void) { pywarmsh_test_nowhere(); }
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

/* Test program for tests/loader: prints what a freshly exec'd process sees, one
 * `key=value` per line, so a warm launch can be compared with a posix_spawn launch.
 *
 *   probe [report] [args...]   report everything
 *   probe exit N               exit with status N
 *   probe kill SIG             die of signal SIG
 *   probe stop                 stop itself with SIGSTOP, then exit 7 after SIGCONT
 *   probe canary               print the stack protector canary (differs per process)
 *   probe version              print the VERSION compiled in (-DVERSION=...)
 *   probe dlopen LIB           dlopen(LIB, RTLD_LAZY): does it load?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#ifndef VERSION
#define VERSION 1
#endif

extern char **environ;
extern char _start[];

static void put_escaped(const char *key, const char *buf, size_t n)
{
    printf("%s=", key);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == 0)
            fputs("\\0", stdout);
        else if (c < 32 || c > 126 || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
}

static void put_file(const char *key, const char *path)
{
    char buf[8192];
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
    }
    put_escaped(key, buf, n);
}

static volatile sig_atomic_t got_winch;
static void on_winch(int s) { (void)s; got_winch = 1; }
static void *thread_main(void *arg) { return arg; }

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "report";
    if (!strcmp(mode, "exit"))
        return atoi(argv[2]);
    if (!strcmp(mode, "kill")) {
        signal(atoi(argv[2]), SIG_DFL);
        kill(getpid(), atoi(argv[2]));
        return 99;
    }
    if (!strcmp(mode, "stop")) {
        raise(SIGSTOP);
        return 7;
    }
    if (!strcmp(mode, "canary")) {
        unsigned long c;
        __asm__ volatile("movq %%fs:0x28, %0" : "=r"(c));
        printf("canary=%lx\n", c);
        return 0;
    }
    if (!strcmp(mode, "dlopen")) {
        printf("dlopen=%s\n", dlopen(argv[2], RTLD_LAZY) ? "ok" : "failed");
        return 0;
    }
    if (!strcmp(mode, "locale")) {
        /* What a program sees of its locale: C at start, then what its environment
         * selects (or NULL), and what the selected data says. */
        const char *at_start = setlocale(LC_ALL, NULL);
        printf("at start: %s codeset=%s\n", at_start, nl_langinfo(CODESET));
        const char *chosen = setlocale(LC_ALL, "");
        printf("chosen: %s\n", chosen ? chosen : "(null)");
        printf("codeset=%s mblen=%d d_t_fmt=%s\n", nl_langinfo(CODESET),
               (int)mbstowcs(NULL, "\xc3\xa9", 0), nl_langinfo(D_T_FMT));
        printf("messages=%s collate=%s\n", setlocale(LC_MESSAGES, NULL),
               setlocale(LC_COLLATE, NULL));
        return 0;
    }
    if (!strcmp(mode, "version")) {
        printf("version=%d\n", VERSION);
        return 0;
    }

    char key[64];
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) {
        snprintf(key, sizeof key, "argv[%d]", i);
        put_escaped(key, argv[i], strlen(argv[i]));
    }
    for (char **e = environ; *e; e++)
        put_escaped("env", *e, strlen(*e));
    put_escaped("invocation_name", program_invocation_name, strlen(program_invocation_name));
    put_escaped("short_name", program_invocation_short_name,
                strlen(program_invocation_short_name));
    printf("auxv_entry_is_start=%d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    put_escaped("execfn", execfn ? execfn : "", execfn ? strlen(execfn) : 0);
    put_file("cmdline", "/proc/self/cmdline");
    put_file("proc_environ", "/proc/self/environ");
    put_file("comm", "/proc/self/comm");
    char cwd[4096];
    printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    mode_t um = umask(0);
    printf("umask=%03o\n", um);
    int lims[] = { RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_STACK, RLIMIT_CPU, RLIMIT_FSIZE };
    for (unsigned i = 0; i < sizeof lims / sizeof lims[0]; i++) {
        struct rlimit rl;
        getrlimit(lims[i], &rl);
        printf("rlimit[%d]=%llu/%llu\n", lims[i], (unsigned long long)rl.rlim_cur,
               (unsigned long long)rl.rlim_max);
    }
    sigset_t mask;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    printf("ignored=");
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
            printf("%d,", s);
    }
    printf("\nhandled=");
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN
            && sa.sa_handler != SIG_DFL)
            printf("%d,", s);
    }
    printf("\nblocked=");
    for (int s = 1; s < NSIG; s++)
        if (sigismember(&mask, s) == 1)
            printf("%d,", s);
    printf("\nfds=");
    DIR *d = opendir("/proc/self/fd");
    int fds[1024], nfd = 0;
    struct dirent *ent;
    while (d && (ent = readdir(d)) && nfd < 1024)
        if (ent->d_name[0] != '.' && atoi(ent->d_name) != dirfd(d))
            fds[nfd++] = atoi(ent->d_name);
    if (d)
        closedir(d);
    for (int i = 0; i < nfd; i++)
        for (int j = i + 1; j < nfd; j++)
            if (fds[j] < fds[i]) { int t = fds[i]; fds[i] = fds[j]; fds[j] = t; }
    for (int i = 0; i < nfd; i++) {
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fds[i]);
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = 0;
        /* Pipe and socket inode numbers differ per run: keep the kind only. */
        char *colon = strchr(target, ':');
        if (colon && target[0] != '/')
            *colon = 0;
        printf("%d:%s,", fds[i], target);
    }
    printf("\npgrp_is_pid=%d\n", getpgrp() == getpid());
    printf("pgrp_is_parents=%d\n", getpgrp() == getpgid(getppid()));
    printf("ppid=%d\n", (int)getppid());
    /* Signal delivery through glibc's cached thread id (CLONE_CHILD_SETTID). */
    signal(SIGWINCH, on_winch);
    int r = pthread_kill(pthread_self(), SIGWINCH);
    printf("pthread_kill_self=%d delivered=%d\n", r, (int)got_winch);
    signal(SIGWINCH, SIG_DFL);
    pthread_t th;
    void *ret = NULL;
    r = pthread_create(&th, NULL, thread_main, (void *)42);
    if (r == 0)
        pthread_join(th, &ret);
    printf("thread=%d,%ld\n", r, (long)ret);
    char *heap = malloc(1 << 20);
    memset(heap, 1, 1 << 20);
    free(heap);
    printf("done\n");
    return 3;
}

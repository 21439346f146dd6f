/* The freestanding warm-process stub (no libc; built -nostdlib -static-pie).
 *
 * Started by a real execve as `_stub TARGET SHELLPID [BINDNOW [LOCALE]]` (see
 * restore_lazy_wanted and preload_locale) with the request socket on fd 3,
 * /dev/null on fds 0-2 and the target's loader-relevant environment (LD_*, GLIBC_TUNABLES,
 * MALLOC_*) as its environment. It maps TARGET and its PT_INTERP like the kernel would,
 * builds an initial stack whose AT_ENTRY is stub_trap and jumps to ld.so. ld.so relocates
 * the program and runs its libraries' constructors, then "starts" it at stub_trap: the
 * process is now a warm image, stopped just before the program's _start (the program's
 * own constructors run later, in each child, from _start as usual).
 *
 * From there it serves requests from the shell (protocol: pyshell/_loader.pyx). Each
 * request is served by a clone(CLONE_PARENT) child - a direct child of the shell, like a
 * fork/exec child, usually cloned in advance (a spare, see "serving requests") - that
 * installs exactly the requested argv, env, fds, cwd, umask, rlimits, signal
 * dispositions and mask and process group, patches the glibc state that was read from the
 * warm-up stack, and jumps to the program's real entry point with a fresh stack.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned short u16;
typedef unsigned char u8;

#define SYS_read 0
#define SYS_getpid 39
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_brk 12
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigtimedwait 128
#define SYS_pread64 17
#define SYS_sendmsg 46
#define SYS_recvmsg 47
#define SYS_clone 56
#define SYS_clock_gettime 228
#define SYS_exit 60
#define SYS_fcntl 72
#define SYS_fchdir 81
#define SYS_umask 95
#define SYS_setpgid 109
#define SYS_getppid 110
#define SYS_prctl 157
#define SYS_getdents64 217
#define SYS_exit_group 231
#define SYS_set_robust_list 273
#define SYS_get_robust_list 274
#define SYS_dup3 292
#define SYS_prlimit64 302
#define SYS_getrandom 318
#define SYS_pipe2 293
#define SYS_memfd_create 319
#define SYS_lseek 8
#define SYS_close_range 436

#define O_RDONLY 0
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define F_DUPFD 0
#define F_DUPFD_CLOEXEC 1030
#define MSG_NOSIGNAL 0x4000
#define MSG_PEEK 0x2
#define CLOCK_BOOTTIME 7
#define MSG_CMSG_CLOEXEC 0x40000000
#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define SIGCHLD 17
#define SIGKILL 9
#define SIGSTOP 19
#define CLONE_PARENT 0x00008000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define PR_SET_PDEATHSIG 1
#define PR_SET_NAME 15
#define PR_SET_MM 35
#define PR_SET_MM_MAP 14
#define PR_GET_TID_ADDRESS 40
#define SIG_SETMASK 2

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_BASE 7
#define AT_ENTRY 9
#define AT_CLKTCK 17
#define AT_RANDOM 25
#define AT_EXECFN 31

#define PAGE 4096UL
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* Exit codes of a stub that cannot become a warm server; sent as -(WARM_ERR + code). */
#define WARM_ERR 1000
/* Every answer is (pid, error, sequence number of the request it answers, flags, count
 * of ended spares to reap, their pids); ANY_SEQ answers whatever request is pending. */
#define ANY_SEQ (-1)
#define REPLY_WORDS 9
#define MAX_REAP 4
#define FROM_SPARE 1
enum { E_ARGS = 1, E_OPEN, E_ELF, E_MAP, E_INTERP, E_THREADS, E_RESOURCES, E_FDS, E_OUTPUT,
       E_LAZY, E_LOCALE };

/* ---- raw system calls ---------------------------------------------------------------- */
static inline i64 sc6(i64 n, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f)
{
    i64 ret;
    register i64 r10 __asm__("r10") = d;
    register i64 r8 __asm__("r8") = e;
    register i64 r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
                     "r"(r8), "r"(r9) : "rcx", "r11", "memory");
    return ret;
}
#define sc0(n) sc6(n, 0, 0, 0, 0, 0, 0)
#define sc1(n, a) sc6(n, (i64)(a), 0, 0, 0, 0, 0)
#define sc2(n, a, b) sc6(n, (i64)(a), (i64)(b), 0, 0, 0, 0)
#define sc3(n, a, b, c) sc6(n, (i64)(a), (i64)(b), (i64)(c), 0, 0, 0)
#define sc4(n, a, b, c, d) sc6(n, (i64)(a), (i64)(b), (i64)(c), (i64)(d), 0, 0)
#define sc5(n, a, b, c, d, e) sc6(n, (i64)(a), (i64)(b), (i64)(c), (i64)(d), (i64)(e), 0)

extern void jump_to_entry(u64 entry, u64 sp, u64 rtld_fini)
    __attribute__((noreturn, visibility("hidden")));
extern void stub_trap(void) __attribute__((visibility("hidden")));

/* Filled in by stub_trap (entry.S). */
u64 trap_sp __attribute__((visibility("hidden")));
u64 trap_fini __attribute__((visibility("hidden")));

/* ---- small freestanding helpers ------------------------------------------------------ */
/* The compiler may emit calls to these for struct copies and zeroing. */
void *memcpy(void *d, const void *s, u64 n)
{
    u8 *dp = d;
    const u8 *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, u64 n)
{
    u8 *dp = d;
    while (n--)
        *dp++ = (u8)c;
    return d;
}

static u64 slen(const char *s)
{
    u64 n = 0;
    while (s[n])
        n++;
    return n;
}

static int seq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static __attribute__((noreturn)) void die(int code)
{
    /* The shell sends its first request right after starting this process: wait for it
     * (or for the shell's end), else a warm-up that fails quickly leaves before it and the
     * shell's send fails instead of showing this reason. Then read what the shell sent:
     * closing a socket with unread data makes the shell's next receive fail with
     * ECONNRESET. */
    {
        u8 first[1];
        struct { void *base; u64 len; } fv = { first, sizeof first };
        struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
                 i32 flags; } fh = { 0, 0, &fv, 1, 0, 0, 0 };
        while (sc3(SYS_recvmsg, 3, &fh, MSG_PEEK) == -4 /* EINTR */)
            ;
    }
    for (;;) {
        u8 junk[16];
        struct { void *base; u64 len; } jv = { junk, sizeof junk };
        struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
                 i32 flags; } jh = { 0, 0, &jv, 1, 0, 0, 0 };
        if (sc3(SYS_recvmsg, 3, &jh, 0x40 /* MSG_DONTWAIT */) < 0)
            break;
    }
    /* Tell the shell why this binary cannot be warmed (it falls back to posix_spawn). */
    i64 msg[REPLY_WORDS] = { 0, WARM_ERR + code, (i64)(u32)ANY_SEQ };
    struct { void *base; u64 len; } iov = { msg, sizeof msg };
    struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
             i32 flags; } mh = { 0, 0, &iov, 1, 0, 0, 0 };
    sc3(SYS_sendmsg, 3, &mh, MSG_NOSIGNAL);
    for (;;)
        sc1(SYS_exit_group, 120 + code);
}

/* In a child: the write end of the pipe its server waits on. Every note on it is two
 * words, (what, request seq). A child that is set up answers the shell itself (see
 * child_run) and then writes READY_SENT; writing an errno instead says "failed like
 * posix_spawn would have" (the server tells the shell, which reaps the child and reports
 * the error); EOF alone means the child died before it could answer, and the server
 * answers for it. A spare (see server_main) first writes TAKEN when it has received a
 * request, or STALE when it is too old to serve one and ends. */
static int ready_fd = -1;
#define READY_SENT (-1)
#define TAKEN (-2)
#define STALE (-3)
static u32 child_seq = (u32)ANY_SEQ;
/* What a child's answer carries besides its pid: FROM_SPARE, and the ended spares (the
 * shell's zombies) its server had not yet reported when it was cloned. */
static i64 child_flags;
static i64 reap_list[MAX_REAP];
static int reap_count;

static void note_server(i32 what, u32 seq)
{
    i32 m[2] = { what, (i32)seq };
    if (sc3(SYS_write, ready_fd, m, sizeof m) == -32 /* EPIPE */) {
        /* The server died meanwhile: the write raised a SIGPIPE, pending while every
         * signal is blocked, that would kill the program the moment its own mask is
         * set. Nothing else can have raised one here: take it back. */
        u64 pipe_set = 1UL << (13 - 1);
        struct { i64 sec, nsec; } now = { 0, 0 };
        sc4(SYS_rt_sigtimedwait, &pipe_set, 0, &now, 8);
    }
}

static __attribute__((noreturn)) void child_die(i64 err)
{
    i32 e = (i32)(err < 0 ? -err : err);
    if (e == 0)
        e = 22;
    note_server(e, child_seq);
    for (;;)
        sc1(SYS_exit_group, 127);
}

/* ---- ELF loading --------------------------------------------------------------------- */
typedef struct {
    u8 ident[16]; u16 type, machine; u32 version; u64 entry, phoff, shoff; u32 flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} Ehdr;
typedef struct { u32 type, flags; u64 offset, vaddr, paddr, filesz, memsz, align; } Phdr;
typedef struct { i64 tag; u64 val; } Dyn;
typedef struct { u32 name; u8 info, other; u16 shndx; u64 value, size; } Sym;

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_PHDR 6
#define MAX_PH 64

typedef struct {
    u64 base;       /* load bias */
    u64 entry;
    u64 phdr;       /* address of the program headers in memory */
    u64 phnum;
    u64 dynamic;    /* address of the dynamic section, 0 if none */
    char interp[256];
} Image;

static i64 load_elf(int fd, Image *im, int want_interp)
{
    Ehdr eh;
    Phdr ph[MAX_PH];
    if (sc4(SYS_pread64, fd, &eh, sizeof eh, 0) != (i64)sizeof eh)
        return -E_ELF;
    if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' || eh.ident[3] != 'F'
        || eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != 62
        || (eh.type != 2 && eh.type != 3) || eh.phentsize != sizeof(Phdr)
        || eh.phnum == 0 || eh.phnum > MAX_PH)
        return -E_ELF;
    u64 phsize = (u64)eh.phnum * sizeof(Phdr);
    if (sc4(SYS_pread64, fd, ph, phsize, eh.phoff) != (i64)phsize)
        return -E_ELF;

    u64 lo = ~0UL, hi = 0, align = PAGE;
    im->interp[0] = 0;
    for (int i = 0; i < eh.phnum; i++) {
        if (ph[i].type == PT_LOAD) {
            /* Honour large segment alignment as the kernel does (up to 2 MiB). */
            if (ph[i].align > align && ph[i].align <= (2UL << 20)
                && !(ph[i].align & (ph[i].align - 1)))
                align = ph[i].align;
            if (ph[i].filesz > ph[i].memsz)
                return -E_ELF;
            if (PAGE_DOWN(ph[i].vaddr) < lo)
                lo = PAGE_DOWN(ph[i].vaddr);
            if (PAGE_UP(ph[i].vaddr + ph[i].memsz) > hi)
                hi = PAGE_UP(ph[i].vaddr + ph[i].memsz);
        } else if (ph[i].type == PT_INTERP && want_interp) {
            if (ph[i].filesz < 2 || ph[i].filesz >= sizeof im->interp)
                return -E_ELF;
            if (sc4(SYS_pread64, fd, im->interp, ph[i].filesz, ph[i].offset)
                != (i64)ph[i].filesz)
                return -E_ELF;
            im->interp[ph[i].filesz - 1] = 0;
        }
    }
    if (hi <= lo)
        return -E_ELF;

    /* Reserve the whole span first so segments land relative to one another. */
    u64 span = hi - lo;
    i64 res;
    if (eh.type == 3) {
        res = sc6(SYS_mmap, 0, span + align - PAGE, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (res < 0 && res > -4096)
            return -E_MAP;
        u64 start = ((u64)res + align - 1) & ~(align - 1);
        if (start > (u64)res)
            sc2(SYS_munmap, res, start - (u64)res);
        u64 end = (u64)res + span + align - PAGE;
        if (end > start + span)
            sc2(SYS_munmap, start + span, end - (start + span));
        res = (i64)start;
    } else
        res = sc6(SYS_mmap, lo, span, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (res < 0 && res > -4096)
        return -E_MAP;
    if (eh.type == 2 && (u64)res != lo)
        return -E_MAP;
    u64 base = (u64)res - lo;

    for (int i = 0; i < eh.phnum; i++) {
        Phdr *p = &ph[i];
        if (p->type != PT_LOAD || p->memsz == 0)
            continue;
        int prot = ((p->flags & 4) ? PROT_READ : 0) | ((p->flags & 2) ? PROT_WRITE : 0)
                   | ((p->flags & 1) ? PROT_EXEC : 0);
        u64 seg = base + p->vaddr;
        u64 start = PAGE_DOWN(seg);
        u64 file_end = seg + p->filesz;
        u64 mem_end = seg + p->memsz;
        if ((p->vaddr & (PAGE - 1)) != (p->offset & (PAGE - 1)))
            return -E_ELF;
        if (p->filesz) {
            /* The rest of the last file page is bss: zero it as the kernel does (ld.so's
             * minimal malloc relies on it), writable just for that if need be. */
            int zero_tail = mem_end > file_end && (file_end & (PAGE - 1));
            int map_prot = prot | (zero_tail ? PROT_WRITE : 0);
            res = sc6(SYS_mmap, start, PAGE_UP(file_end) - start, map_prot,
                      MAP_PRIVATE | MAP_FIXED, fd, PAGE_DOWN(p->offset));
            if (res < 0 && res > -4096)
                return -E_MAP;
            if (zero_tail)
                memset((void *)file_end, 0, PAGE_UP(file_end) - file_end);
            if (map_prot != prot)
                sc3(SYS_mprotect, start, PAGE_UP(file_end) - start, prot);
        }
        u64 anon = p->filesz ? PAGE_UP(file_end) : start;
        if (PAGE_UP(mem_end) > anon) {
            res = sc6(SYS_mmap, anon, PAGE_UP(mem_end) - anon, prot,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (res < 0 && res > -4096)
                return -E_MAP;
        }
    }

    im->base = base;
    im->entry = base + eh.entry;
    im->phnum = eh.phnum;
    im->phdr = 0;
    im->dynamic = 0;
    for (int i = 0; i < eh.phnum; i++) {
        if (ph[i].type == PT_PHDR)
            im->phdr = base + ph[i].vaddr;
        else if (ph[i].type == PT_DYNAMIC)
            im->dynamic = base + ph[i].vaddr;
    }
    if (!im->phdr) {
        for (int i = 0; i < eh.phnum; i++) {
            if (ph[i].type == PT_LOAD && eh.phoff >= ph[i].offset
                && eh.phoff + phsize <= ph[i].offset + ph[i].filesz) {
                im->phdr = base + ph[i].vaddr + (eh.phoff - ph[i].offset);
                break;
            }
        }
    }
    if (!im->phdr)
        return -E_ELF;
    return 0;
}

/* ---- state kept from warm-up for every child ----------------------------------------- */
static Image prog, interp;
static u64 *warm_auxv;          /* the auxv glibc keeps pointing at (GLRO(dl_auxv)) */
static u64 warm_auxv_words;     /* number of u64 words incl. AT_NULL pair */
static u8 *warm_random;         /* AT_RANDOM bytes */

#define MAX_PATCH 16
static u64 *environ_slots[MAX_PATCH];
static int n_environ_slots;
static u64 *progname_slots[MAX_PATCH];     /* program_invocation_name, __progname_full */
static int n_progname_slots;
static u64 *shortname_slots[MAX_PATCH];    /* program_invocation_short_name, __progname */
static int n_shortname_slots;
static u64 *dl_argv_slot;

static u64 tid_address;
static u64 robust_head, robust_len;
static u64 server_rlim[16][2];  /* the server's own limits, which every child inherits */
static u32 server_umask;        /* likewise its umask */
static u8 server_sig[65];       /* the server's dispositions: 0 default, 1 ignored, 2 handled */
static u64 mm_fields[11];       /* prctl_mm_map's address fields as the kernel reports them */
static int mm_ok;

/* ---- symbol lookup in the loaded objects (GNU hash, then SysV hash) ------------------- */
struct link_map { u64 l_addr; char *l_name; Dyn *l_ld; struct link_map *l_next; };
struct r_debug { i32 r_version; struct link_map *r_map; };

#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_DEBUG 21
#define DT_GNU_HASH 0x6ffffef5

/* ld.so relocates most objects' dynamic sections in place, but not read-only ones (the
 * vDSO): an address below the load bias is still an offset. */
static u64 dyn_addr(u64 l_addr, u64 v)
{
    return v < l_addr ? v + l_addr : v;
}

static u32 gnu_hash(const char *s)
{
    u32 h = 5381;
    for (; *s; s++)
        h = h * 33 + (u8)*s;
    return h;
}

static u32 sysv_hash(const char *s)
{
    u32 h = 0, g;
    for (; *s; s++) {
        h = (h << 4) + (u8)*s;
        g = h & 0xf0000000;
        if (g)
            h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

static u64 lookup_sized(u64 l_addr, Dyn *dyn, const char *name, u64 *size);

static u64 lookup_in(u64 l_addr, Dyn *dyn, const char *name)
{
    return lookup_sized(l_addr, dyn, name, 0);
}

/* The address of `name` defined in one object (0 if it has none), and its size. */
static u64 lookup_sized(u64 l_addr, Dyn *dyn, const char *name, u64 *size)
{
    u64 strtab = 0, symtab = 0, gnuhash = 0, hash = 0;
    if (!dyn)
        return 0;
    for (Dyn *d = dyn; d->tag != DT_NULL; d++) {
        if (d->tag == DT_STRTAB) strtab = dyn_addr(l_addr, d->val);
        else if (d->tag == DT_SYMTAB) symtab = dyn_addr(l_addr, d->val);
        else if (d->tag == DT_GNU_HASH) gnuhash = dyn_addr(l_addr, d->val);
        else if (d->tag == DT_HASH) hash = dyn_addr(l_addr, d->val);
    }
    if (!strtab || !symtab)
        return 0;
    Sym *syms = (Sym *)symtab;
    const char *strs = (const char *)strtab;
    if (gnuhash) {
        u32 *h = (u32 *)gnuhash;
        u32 nbuckets = h[0], symoffset = h[1], bloom_size = h[2];
        if (!nbuckets)
            return 0;
        u32 *buckets = (u32 *)((u64 *)(h + 4) + bloom_size);
        u32 *chain = buckets + nbuckets;
        u32 hv = gnu_hash(name);
        u32 idx = buckets[hv % nbuckets];
        if (idx < symoffset)
            return 0;
        for (;; idx++) {
            u32 ch = chain[idx - symoffset];
            if ((ch | 1) == (hv | 1)) {
                Sym *s = &syms[idx];
                if (s->shndx != 0 && s->value && seq(strs + s->name, name)) {
                    if (size)
                        *size = s->size;
                    return l_addr + s->value;
                }
            }
            if (ch & 1)
                return 0;
        }
    }
    if (hash) {
        u32 *h = (u32 *)hash;
        u32 nbucket = h[0];
        u32 *bucket = h + 2, *chain = bucket + nbucket;
        if (!nbucket)
            return 0;
        for (u32 i = bucket[sysv_hash(name) % nbucket]; i; i = chain[i]) {
            Sym *s = &syms[i];
            if (s->shndx != 0 && s->value && seq(strs + s->name, name)) {
                if (size)
                    *size = s->size;
                return l_addr + s->value;
            }
        }
    }
    return 0;
}

static struct link_map *link_maps(void)
{
    if (!prog.dynamic)
        return 0;
    for (Dyn *d = (Dyn *)prog.dynamic; d->tag != DT_NULL; d++)
        if (d->tag == DT_DEBUG && d->val)
            return ((struct r_debug *)d->val)->r_map;
    u64 r = lookup_in(interp.base, (Dyn *)interp.dynamic, "_r_debug");
    return r ? ((struct r_debug *)r)->r_map : 0;
}

/* Every definition of `name`, in global scope order (main program first). */
static void lookup_all(struct link_map *lm, const char *name, u64 **slots, int *n)
{
    for (; lm; lm = lm->l_next) {
        u64 a = lookup_in(lm->l_addr, lm->l_ld, name);
        if (!a)
            continue;
        int dup = 0;
        for (int i = 0; i < *n; i++)
            if (slots[i] == (u64 *)a)
                dup = 1;
        if (!dup && *n < MAX_PATCH)
            slots[(*n)++] = (u64 *)a;
    }
}

static u64 lookup_first(struct link_map *lm, const char *name)
{
    for (; lm; lm = lm->l_next) {
        u64 a = lookup_in(lm->l_addr, lm->l_ld, name);
        if (a)
            return a;
    }
    return 0;
}

/* ---- /proc helpers ------------------------------------------------------------------- */
/* Entries of a /proc directory other than . and .. (threads, or open fds: the listing's
 * own fd is one of them). */
static int count_entries(const char *dir)
{
    u8 buf[2048];
    int n = 0;
    i64 fd = sc3(SYS_open, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    for (;;) {
        i64 got = sc3(SYS_getdents64, fd, buf, sizeof buf);
        if (got <= 0)
            break;
        for (i64 off = 0; off < got;) {
            u16 reclen = *(u16 *)(buf + off + 16);
            const char *nm = (const char *)(buf + off + 19);
            if (nm[0] != '.')
                n++;
            off += reclen;
        }
    }
    sc1(SYS_close, fd);
    return n;
}

/* /proc/self/stat fields 26-28 and 45-51 (start_code, end_code, start_stack, start_data,
 * end_data, start_brk, arg_start, arg_end, env_start, env_end) for PR_SET_MM_MAP. */
static int read_mm_fields(void)
{
    char buf[1024];
    i64 fd = sc3(SYS_open, "/proc/self/stat", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    i64 n = sc3(SYS_read, fd, buf, sizeof buf - 1);
    sc1(SYS_close, fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    i64 p = n - 1;
    while (p > 0 && buf[p] != ')')
        p--;
    p += 2;                      /* at field 3 */
    u64 vals[52];
    int field = 3;
    while (p < n && field <= 51) {
        u64 v = 0;
        while (p < n && buf[p] >= '0' && buf[p] <= '9')
            v = v * 10 + (u64)(buf[p++] - '0');
        vals[field++] = v;
        while (p < n && buf[p] != ' ')
            p++;
        p++;
    }
    if (field <= 51)
        return 0;
    /* prctl_mm_map order: start_code end_code start_data end_data start_brk brk
     * start_stack arg_start arg_end env_start env_end */
    mm_fields[0] = vals[26]; mm_fields[1] = vals[27];
    mm_fields[2] = vals[45]; mm_fields[3] = vals[46];
    mm_fields[4] = vals[47]; mm_fields[5] = 0;
    mm_fields[6] = vals[28];
    return 1;
}

/* ---- the request ----------------------------------------------------------------------- */
#define REQ_MAGIC 0x51525750u   /* "PWRQ" */
#define NRLIM 16
struct req {
    u32 magic, len;
    u32 argc, envc;
    u32 strings_len;
    u32 nmap;         /* (target fd, index of received fd) pairs */
    i32 cwd_index;    /* index of a received directory fd, or -1 */
    i32 pgid;         /* setpgid(0, pgid) */
    u32 umask;
    u32 seq;          /* echoed in the answer (tells a late duplicate from it) */
    u64 sigign;       /* bit s-1: signal s starts ignored */
    u64 sigmask;      /* bit s-1: signal s starts blocked */
    u64 rlim[NRLIM][2];
};

#define REQ_MAX (256 * 1024)
#define MAX_FDS 253
static u8 reqbuf[REQ_MAX] __attribute__((aligned(16)));
static u8 cmsgbuf[16 + MAX_FDS * 4] __attribute__((aligned(8)));

struct prctl_mm_map {
    u64 f[11];
    u64 auxv;
    u32 auxv_size;
    u32 exe_fd;
};

/* Answer the shell on the request socket `fd` (the server's fd 3, moved in a child). */
static void reply(int fd, i64 pid, i64 err, u32 seq)
{
    i64 v[REPLY_WORDS] = { pid, err, (i64)seq, child_flags, reap_count };
    for (int i = 0; i < reap_count; i++)
        v[5 + i] = reap_list[i];
    struct { void *base; u64 len; } iov = { v, sizeof v };
    struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
             i32 flags; } mh = { 0, 0, &iov, 1, 0, 0, 0 };
    sc3(SYS_sendmsg, fd, &mh, MSG_NOSIGNAL);
}

/* Let every child inherit this server's page table entries for its code.
 *
 * fork/clone copies page table entries only for mappings that have anonymous pages; for
 * the others (program and library text, read-only data) a child starts with none and
 * takes a page fault for every 64 kB it touches, although the pages are resident and
 * already mapped here. Dirtying one page of such a mapping (with its own content) gives
 * it that anonymous part: from then on each child starts with the server's entries and
 * runs without those faults. Only executable mappings: for read-only data (symbol
 * tables read once at warm-up) copying the entries at every clone cost more than the
 * faults it saved, measured on the shell's side. Costs one private page per mapping;
 * the content is unchanged, and a changed file makes the server stale anyway. Best
 * effort. */
static void share_page_tables(void)
{
    char *buf = (char *)reqbuf;          /* idle until the first request */
    u64 len = 0;
    i64 fd = sc3(SYS_open, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return;
    for (;;) {
        i64 n = sc3(SYS_read, fd, buf + len, REQ_MAX - 1 - len);
        if (n <= 0)
            break;
        len += (u64)n;
    }
    sc1(SYS_close, fd);
    buf[len] = 0;
    for (char *line = buf; *line;) {
        /* start-end perms offset dev inode path */
        u64 start = 0, end = 0, inode = 0;
        char *p = line;
        for (; *p && *p != '-'; p++)
            start = start * 16 + (u64)(*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
        if (*p)
            p++;
        for (; *p && *p != ' '; p++)
            end = end * 16 + (u64)(*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
        char *perms = *p ? p + 1 : p;
        int field = 0;
        for (; *p && *p != '\n'; p++) {
            if (*p == ' ') {
                field++;
                continue;
            }
            if (field == 4 && *p >= '0' && *p <= '9')
                inode = inode * 10 + (u64)(*p - '0');
        }
        char *next = *p ? p + 1 : p;
        if (inode && end > start && perms[0] == 'r' && perms[1] != 'w' && perms[2] == 'x'
            && perms[3] == 'p') {
            int prot = PROT_READ | (perms[2] == 'x' ? PROT_EXEC : 0);
            /* The whole mapping at once: a part would split it off. */
            if (sc3(SYS_mprotect, start, end - start, prot | PROT_WRITE) == 0) {
                volatile u8 *b = (volatile u8 *)start;
                *b = *b;
                sc3(SYS_mprotect, start, end - start, prot);
            }
        }
        line = next;
    }
}

/* The stub's own command line (`_stub TARGET SHELLPID [BINDNOW [LOCALE]]`), as /proc/PID/cmdline shows
 * it. Once warm, the server and its spares show a neutral one instead: `pgrep -f sed` or
 * `ps | grep sed` must not find the warm process of sed. Nothing reads these strings
 * after the warm-up (every child gets its own argv, AT_EXECFN and program name). */
static char *arg_area, *arg_area_end;

static void neutral_cmdline(void)
{
    static const char name[] = "pywarmsh-warm-process";
    if (!arg_area || arg_area_end <= arg_area)
        return;
    u64 n = (u64)(arg_area_end - arg_area);
    for (u64 i = 0; i < n; i++)
        arg_area[i] = i < sizeof name ? name[i] : 0;
    if (n < sizeof name)
        arg_area[n - 1] = 0;
}

static __attribute__((noreturn)) void child_run(struct req *rq, i32 *fds, int nfds)
{
    u32 *map = (u32 *)(rq + 1);
    char *strs = (char *)(map + 2 * rq->nmap);
    child_seq = rq->seq;

    if (robust_head)
        sc2(SYS_set_robust_list, robust_head, robust_len);

    /* Process group first: the shell hears of this child only once it has finished
     * its set-up, so a pipeline's next stage can join this group at once. */
    i64 r = sc2(SYS_setpgid, 0, rq->pgid);
    if (r < 0)
        child_die(r);

    for (int r = 0; r < NRLIM; r++)
        if (server_rlim[r][0] != rq->rlim[r][0] || server_rlim[r][1] != rq->rlim[r][1])
            sc4(SYS_prlimit64, 0, r, rq->rlim[r], 0);
    if (rq->umask != server_umask)
        sc1(SYS_umask, rq->umask);
    if (rq->cwd_index >= 0) {
        r = rq->cwd_index >= nfds ? -9 : sc1(SYS_fchdir, fds[rq->cwd_index]);
        if (r < 0)
            child_die(r);
    }

    /* fds: move received ones that a target could overwrite above every target, dup
     * into place, close the rest (the ones above the targets go with the close below). */
    u32 maxt = 2;
    for (u32 i = 0; i < rq->nmap; i++)
        if (map[2 * i] > maxt)
            maxt = map[2 * i];
    i32 moved[MAX_FDS];
    if ((u32)ready_fd <= maxt) {
        r = sc3(SYS_fcntl, ready_fd, F_DUPFD_CLOEXEC, maxt + 1);
        if (r < 0)
            child_die(r);
        ready_fd = (int)r;
    }
    int sock = 3;
    if (maxt >= 3) {
        r = sc3(SYS_fcntl, sock, F_DUPFD_CLOEXEC, maxt + 1);
        if (r < 0)
            child_die(r);
        sock = (int)r;
    }
    for (int i = 0; i < nfds; i++) {
        if ((u32)fds[i] > maxt) {
            moved[i] = fds[i];
            continue;
        }
        r = sc3(SYS_fcntl, fds[i], F_DUPFD_CLOEXEC, maxt + 1);
        if (r < 0)
            child_die(r);
        moved[i] = (i32)r;
    }
    for (u32 i = 0; i < rq->nmap; i++) {
        u32 t = map[2 * i], s = map[2 * i + 1];
        r = (int)s >= nfds ? -9 : sc3(SYS_dup3, moved[s], t, 0);
        if (r < 0)
            child_die(r);
    }
    /* Set up: answer the shell directly (one wake-up less than going through the
     * server), then tell the server so. From here on nothing the shell could observe
     * before the program starts depends on timing: the rest runs with every signal
     * blocked, and the fds still to be closed are copies the shell's own closes do not
     * depend on (a reader sees EOF only once this child has closed them, as it would
     * once a posix_spawn child had exec'd). */
    reply(sock, sc0(SYS_getpid), 0, rq->seq);
    note_server(READY_SENT, rq->seq);
    /* Close every gap between the (sorted) targets, and everything above them. */
    u32 next = 0;
    for (;;) {
        u32 t = ~0U;
        for (u32 i = 0; i < rq->nmap; i++)
            if (map[2 * i] >= next && map[2 * i] < t)
                t = map[2 * i];
        if (t > next)
            sc3(SYS_close_range, next, t == ~0U ? ~0U : t - 1, 0);
        if (t == ~0U)
            break;
        next = t + 1;
    }

    /* Signal dispositions as exec leaves them: ignored ones stay ignored. A handler
     * the warm-up installed (glibc's SIGCANCEL and SIGSETXID handlers, set during its
     * start-up) stays: an exec'd program would have installed it in the same start-up,
     * and without it a threaded program's setuid() or pthread_cancel() would kill it. */
    for (int s = 1; s <= 64; s++) {
        u8 want = (rq->sigign >> (s - 1)) & 1;
        if (s == SIGKILL || s == SIGSTOP || server_sig[s] == want || server_sig[s] == 2)
            continue;
        u64 act[4] = { want, 0, 0, 0 };
        sc4(SYS_rt_sigaction, s, act, 0, 8);
    }

    /* The new initial stack: strings at the top, then auxv, envp, argv, argc. */
    char *execfn = strs;
    {
        char *p = strs;
        for (u32 i = 0; i < rq->argc + rq->envc; i++)
            p += slen(p) + 1;
        execfn = p;
    }
    u64 top = PAGE_DOWN((u64)__builtin_frame_address(0)) - 2 * PAGE;
    u64 slen_total = rq->strings_len;
    char *sdst = (char *)((top - slen_total) & ~15UL);
    memcpy(sdst, strs, slen_total);
    u64 words = 1 + rq->argc + 1 + rq->envc + 1 + warm_auxv_words;
    u64 *sp = (u64 *)(((u64)sdst - words * 8) & ~15UL);
    u64 *w = sp;
    *w++ = rq->argc;
    char *p = sdst;
    char **argv = (char **)w;
    for (u32 i = 0; i < rq->argc; i++) {
        *w++ = (u64)p;
        p += slen(p) + 1;
    }
    *w++ = 0;
    char *arg_end = p;
    char **envp = (char **)w;
    for (u32 i = 0; i < rq->envc; i++) {
        *w++ = (u64)p;
        p += slen(p) + 1;
    }
    *w++ = 0;
    char *env_end = p;
    char *new_execfn = p;
    for (u64 i = 0; i < warm_auxv_words; i += 2) {
        w[i] = warm_auxv[i];
        w[i + 1] = warm_auxv[i + 1];
        if (w[i] == AT_EXECFN) {
            w[i + 1] = (u64)new_execfn;
            warm_auxv[i + 1] = (u64)new_execfn;
        }
    }

    /* /proc/self/comm is the basename of the executed path. */
    {
        const char *b = execfn;
        for (const char *q = execfn; *q; q++)
            if (*q == '/')
                b = q + 1;
        char comm[16];
        int i = 0;
        for (; i < 15 && b[i]; i++)
            comm[i] = b[i];
        comm[i] = 0;
        sc2(SYS_prctl, PR_SET_NAME, comm);
    }

    /* glibc read these from the warm-up stack and does not look again. */
    for (int i = 0; i < n_environ_slots; i++)
        *environ_slots[i] = (u64)envp;
    char *a0 = rq->argc ? argv[0] : (char *)"";
    char *short0 = a0;
    for (char *q = a0; *q; q++)
        if (*q == '/')
            short0 = q + 1;
    for (int i = 0; i < n_progname_slots; i++)
        *progname_slots[i] = (u64)a0;
    for (int i = 0; i < n_shortname_slots; i++)
        *shortname_slots[i] = (u64)short0;
    if (dl_argv_slot) {
        u64 pg = PAGE_DOWN((u64)dl_argv_slot);
        /* _dl_argv lives in RELRO: make it writable for one store. */
        if (sc3(SYS_mprotect, pg, PAGE, PROT_READ | PROT_WRITE) == 0) {
            *dl_argv_slot = (u64)argv;
            sc3(SYS_mprotect, pg, PAGE, PROT_READ);
        }
    }

    /* Best effort: make /proc/self/cmdline and environ show this run's values. */
    if (mm_ok && rq->argc) {
        struct prctl_mm_map mm;
        for (int i = 0; i < 11; i++)
            mm.f[i] = mm_fields[i];
        mm.f[5] = (u64)sc1(SYS_brk, 0);
        mm.f[7] = (u64)sdst;
        mm.f[8] = (u64)arg_end;
        mm.f[9] = (u64)arg_end;
        mm.f[10] = (u64)env_end;
        mm.auxv = 0;
        mm.auxv_size = 0;
        mm.exe_fd = ~0U;
        sc5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, &mm, sizeof mm, 0);
    }

    /* A fresh stack canary and AT_RANDOM per child (all runs share one ASLR layout and
     * pointer guard: that is inherent to a warm image). */
    u64 fresh[3] = { 0, 0, 0 };      /* AT_RANDOM's 16 bytes and the canary, one call */
    sc3(SYS_getrandom, fresh, sizeof fresh, 0);
    if (warm_random)
        memcpy(warm_random, fresh, 16);
    u64 canary = fresh[2] & ~0xffUL;
    __asm__ volatile("movq %0, %%fs:0x28" : : "r"(canary) : "memory");

    sc4(SYS_rt_sigprocmask, SIG_SETMASK, &rq->sigmask, 0, 8);
    jump_to_entry(prog.entry, (u64)sp, trap_fini);
}


/* Set when the shell started this warm-up with LD_BIND_NOW=1 of its own (argv[3] "1"):
 * ld.so then bound every function of the program and its libraries up front, so no
 * child repeats that lazy binding (a symbol lookup and a page fault or two for every
 * function it calls). What the program can see of it is ld.so's "bind lazily" flag,
 * which a later dlopen(RTLD_LAZY) follows: restore_lazy() puts it back. */
static int restore_lazy_wanted;

/* GLRO(dl_lazy) is an int in ld.so's read-only _rtld_global_ro, after _dl_clktck,
 * _dl_verbose and _dl_debug_fd and before _dl_bind_not and _dl_dynamic_weak in every
 * glibc since 2.3. Its offset varies, so it is found by those neighbours' values as
 * this warm-up set them: AT_CLKTCK, 0 (no LD_WARN), 2 (no LD_DEBUG_OUTPUT), 0 (bind
 * now), 0, 0. Exactly one match or nothing is touched (the shell then warms this
 * program lazily). */
static int restore_lazy(void)
{
    u64 clktck = 0, size = 0;
    for (u64 i = 0; i < warm_auxv_words; i += 2)
        if (warm_auxv[i] == AT_CLKTCK)
            clktck = warm_auxv[i + 1];
    u64 ro = lookup_sized(interp.base, (Dyn *)interp.dynamic, "_rtld_global_ro", &size);
    if (!clktck || !ro || size < 24 || size > 65536)
        return -1;
    i32 *v = (i32 *)ro, *found = 0;
    for (u64 i = 0; i + 6 <= size / 4; i++)
        if ((u64)v[i] == clktck && v[i + 1] == 0 && v[i + 2] == 2 && v[i + 3] == 0
            && v[i + 4] == 0 && v[i + 5] == 0) {
            if (found)
                return -1;
            found = &v[i + 3];
        }
    if (!found)
        return -1;
    u64 pg = PAGE_DOWN((u64)found);
    if (sc3(SYS_mprotect, pg, PAGE, PROT_READ | PROT_WRITE) != 0)
        return -1;
    *found = 1;
    sc3(SYS_mprotect, pg, PAGE, PROT_READ);
    return 0;
}

/* The locale the shell's environment selects (argv[4], "" for none): its data is loaded
 * at warm-up. glibc keeps every locale it has loaded, and every answer of its search
 * (the locale archive, locale.alias, the directories it tried), for the life of the
 * process, so a child's setlocale(LC_ALL, "") under that environment reads no file:
 * about a tenth of a millisecond per run of a typical coreutils program. Switching back
 * to "C" leaves the program in the C locale it starts in, as after an exec. The shell
 * checks the files and directories that search read before every use, like libraries. */
static const char *preload_locale;
#define LC_ALL_CATEGORY 6

static struct link_map *libc_map(struct link_map *lm)
{
    for (; lm; lm = lm->l_next) {
        const char *n = lm->l_name, *base = n;
        for (; n && *n; n++)
            if (*n == '/')
                base = n + 1;
        if (base && seq(base, "libc.so.6"))
            return lm;
    }
    return 0;
}

/* The C library's `name` if that is the definition everyone uses, else 0. (No table of
 * names: this stub applies no relocations of its own, so it holds no pointers in data.) */
static u64 libc_own(struct link_map *lm, struct link_map *libc, const char *name)
{
    u64 mine = lookup_in(libc->l_addr, libc->l_ld, name);
    return mine && lookup_first(lm, name) == mine ? mine : 0;
}

/* 0: loaded (or nothing to do: no locale named, or the program brings its own
 * setlocale or allocator, which are not called before its main); -1: the C library could not load it
 * (the shell then warms this binary without). */
static int load_locale_data(struct link_map *lm)
{
    if (!preload_locale || !preload_locale[0])
        return 0;
    struct link_map *libc = libc_map(lm);
    if (!libc)
        return 0;
    /* Only the C library's own functions: a program or library that replaces setlocale
     * or the allocator (whose set-up may be the program's, run only in each child) is
     * warmed without locale data. */
    u64 own = libc_own(lm, libc, "setlocale");
    if (!own || !libc_own(lm, libc, "malloc") || !libc_own(lm, libc, "free")
        || !libc_own(lm, libc, "calloc") || !libc_own(lm, libc, "realloc"))
        return 0;
    char *(*set_locale)(int, const char *) = (char *(*)(int, const char *))own;
    if (!set_locale(LC_ALL_CATEGORY, preload_locale))
        return -1;
    return set_locale(LC_ALL_CATEGORY, "C") ? 0 : -1;
}

static int valid_request(struct req *rq, u64 len)
{
    if (len < sizeof *rq || rq->magic != REQ_MAGIC || rq->len != len)
        return 0;
    if (rq->nmap > MAX_FDS + 3 || rq->argc > len || rq->envc > len)
        return 0;
    u64 fixed = sizeof *rq + (u64)rq->nmap * 8;
    if (fixed + rq->strings_len != len || rq->strings_len == 0)
        return 0;
    /* argc + envc + 1 NUL-terminated strings exactly fill the string block. */
    char *s = (char *)reqbuf + fixed;
    u64 nul = 0;
    for (u64 i = 0; i < rq->strings_len; i++)
        nul += s[i] == 0;
    return s[rq->strings_len - 1] == 0 && nul == (u64)rq->argc + rq->envc + 1;
}

/* ---- serving requests ------------------------------------------------------------------
 *
 * The spare: the server keeps one child cloned in advance, waiting on the request socket
 * itself, so that a request finds its process already made: the clone (tens of
 * microseconds of copying page tables) is paid while the previous program runs, not
 * while the shell waits. A spare is a child of the shell like any other (CLONE_PARENT),
 * stays in the server's process group until it becomes a program, and dies with the
 * shell (parent-death signal, socket EOF). It serves a request only if it is younger
 * than SPARE_MAX_AGE_NS (a program's start time in /proc/PID/stat then stays within one
 * clock tick of its launch); an older one says STALE and ends, the server serves that
 * request by cloning a fresh child, and the next answer names the ended spare for the
 * shell to reap. An idle server thus keeps one sleeping spare and leaves no zombie. */
#define SPARE_MAX_AGE_NS 10000000L

static i64 shell_pid;
static i64 spare_pid;            /* 0: no spare */
static int spare_rd = -1;        /* the server's end of the spare's note pipe */
static i64 spare_born;
/* In the server: ended spares (zombies of the shell) not yet named in an answer. */
static i64 ended[64];
static int n_ended;

static i64 now_ns(void)
{
    struct { i64 sec, nsec; } t = { 0, 0 };
    sc2(SYS_clock_gettime, CLOCK_BOOTTIME, &t);   /* the clock of /proc start times */
    return t.sec * 1000000000L + t.nsec;
}

/* Receive one request from fd 3 into reqbuf and fds. Returns its length, or <= 0 when
 * the shell is gone; a message whose fds did not fit comes back as length 1 (invalid). */
static i64 receive_request(i32 *fds, int *nfds)
{
    struct { void *base; u64 len; } iov = { reqbuf, sizeof reqbuf };
    struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
             i32 flags; } mh = { 0, 0, &iov, 1, cmsgbuf, sizeof cmsgbuf, 0 };
    i64 n;
    while ((n = sc3(SYS_recvmsg, 3, &mh, MSG_CMSG_CLOEXEC)) == -4)
        ;
    *nfds = 0;
    /* One SCM_RIGHTS header: len (u64), level, type, then the fds. */
    if (n > 0 && mh.ctllen >= 16) {
        u64 clen = *(u64 *)cmsgbuf;
        i32 level = *(i32 *)(cmsgbuf + 8), type = *(i32 *)(cmsgbuf + 12);
        if (level == SOL_SOCKET && type == SCM_RIGHTS && clen >= 16 && clen <= mh.ctllen) {
            *nfds = (int)((clen - 16) / 4);
            for (int i = 0; i < *nfds; i++)
                fds[i] = ((i32 *)(cmsgbuf + 16))[i];
        }
    }
    if (n > 0 && (mh.flags & 0x8 /* MSG_CTRUNC */))
        n = 1;
    return n;
}

/* A child about to be cloned names the ended spares the server knows of; `handed`
 * of them are forgotten once its answer is known to have gone out. */
static int hand_over_ended(void)
{
    reap_count = n_ended < MAX_REAP ? n_ended : MAX_REAP;
    for (int i = 0; i < reap_count; i++)
        reap_list[i] = ended[i];
    return reap_count;
}

static void forget_ended(int handed)
{
    for (int i = handed; i < n_ended; i++)
        ended[i - handed] = ended[i];
    n_ended -= handed;
}

static void note_ended(i64 pid)
{
    if (n_ended < (int)(sizeof ended / sizeof ended[0]))
        ended[n_ended++] = pid;
}

/* The server answers for a child (set-up failure or death before its answer). */
static void answer_for(i64 pid, i64 err, u32 seq)
{
    i64 saved = child_flags;
    child_flags = 0;
    int handed = hand_over_ended();
    reply(3, pid, err, seq);
    forget_ended(handed);
    child_flags = saved;
}

/* The seq of the request waiting on fd 3, without taking it; -1 when none is there. */
static i64 waiting_seq(int flags)
{
    u32 head[10];
    struct { void *base; u64 len; } iov = { head, sizeof head };
    struct { void *name; u32 namelen; void *iov; u64 iovlen; void *ctl; u64 ctllen;
             i32 flags; } mh = { 0, 0, &iov, 1, 0, 0, 0 };
    i64 n;
    while ((n = sc3(SYS_recvmsg, 3, &mh, MSG_PEEK | flags)) == -4)
        ;
    if (n <= 0)
        return n == 0 ? -2 : -1;     /* -2: the shell is gone */
    return n == (i64)sizeof head ? (i64)head[9] : (i64)(u32)ANY_SEQ;
}

/* Wait for a child's outcome note on `rd` after its request `seq` and answer for it when
 * it did not answer itself. `handed`: the ended spares its answer named. A spare that
 * died after saying TAKEN may not have received the request yet (`spare`): then the
 * request is still waiting, for the next spare. */
static void settle_child(int rd, i64 pid, u32 seq, int handed, int spare)
{
    i32 m[2] = { 0, 0 };
    i64 n;
    while ((n = sc3(SYS_read, rd, m, sizeof m)) == -4)
        ;
    if (n == sizeof m && m[0] == READY_SENT) {
        forget_ended(handed);
        return;
    }
    /* An errno: its set-up failed. EOF alone: it died before answering (the shell's
     * waitpid shows how). */
    if (n != sizeof m && spare && waiting_seq(0x40 /* MSG_DONTWAIT */) == (i64)seq) {
        note_ended(pid);
        return;
    }
    answer_for(pid, n == sizeof m ? m[0] : 0, seq);
}

/* The old way, when there is no spare: receive a request and clone its child. */
static void serve_one(void)
{
    i32 fds[MAX_FDS];
    int nfds = 0;
    i64 n = receive_request(fds, &nfds);
    if (n <= 0)                  /* the shell is gone */
        sc1(SYS_exit_group, 0);
    struct req *rq = (struct req *)reqbuf;
    i64 pid = 0, err = 0;
    i32 ready[2];
    u32 seq = (u32)ANY_SEQ;
    if (!valid_request(rq, (u64)n)) {
        err = 22;  /* EINVAL */
    } else if ((seq = rq->seq, err = -sc2(SYS_pipe2, ready, O_CLOEXEC)) == 0) {
        int handed = hand_over_ended();
        pid = sc5(SYS_clone, CLONE_PARENT | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
                  | SIGCHLD, 0, 0, tid_address, 0);
        if (pid == 0) {
            sc1(SYS_close, ready[0]);
            ready_fd = ready[1];
            child_run(rq, fds, nfds);
        }
        reap_count = 0;
        /* The child has its own copies: ours go while it sets up. Beyond fds 0-3
         * the server holds only the received fds (the lowest free when they
         * arrived) and then the pipe: two ranges around ready[0]. */
        if (ready[0] > 4)
            sc3(SYS_close_range, 4, ready[0] - 1, 0);
        sc3(SYS_close_range, ready[0] + 1, ~0U, 0);
        nfds = 0;
        if (pid < 0)
            err = -pid, pid = 0;
        else
            settle_child(ready[0], pid, seq, handed, 0);
        sc1(SYS_close, ready[0]);
        if (pid > 0)
            return;
    }
    for (int i = 0; i < nfds; i++)
        sc1(SYS_close, fds[i]);
    answer_for(pid, err, seq);
}

/* The spare's side: sleep until a request is there, then take it (fresh) or leave it to
 * the server (stale). */
static __attribute__((noreturn)) void spare_run(void)
{
    /* Its parent is the shell: die with it, as the server does. */
    sc2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    if (sc0(SYS_getppid) != shell_pid)
        sc1(SYS_exit_group, 0);
    i64 seq = waiting_seq(0);
    if (seq < 0)                 /* the shell is gone */
        sc1(SYS_exit_group, 0);
    if (now_ns() - spare_born > SPARE_MAX_AGE_NS) {
        note_server(STALE, (u32)ANY_SEQ);
        sc1(SYS_exit_group, 0);
    }
    /* Said before receiving: whatever happens to this process from here on, the server
     * can tell whether the request was taken (see settle_child). */
    child_seq = (u32)seq;
    note_server(TAKEN, child_seq);
    i32 fds[MAX_FDS];
    int nfds = 0;
    i64 n = receive_request(fds, &nfds);
    if (n <= 0)
        sc1(SYS_exit_group, 0);
    struct req *rq = (struct req *)reqbuf;
    /* A program started by exec has no parent-death signal. */
    sc2(SYS_prctl, PR_SET_PDEATHSIG, 0);
    if (!valid_request(rq, (u64)n))
        child_die(22);           /* EINVAL, as the server answers an invalid request */
    child_run(rq, fds, nfds);
}

static int spare_handed;         /* ended spares the current spare's answer names */

static int make_spare(void)
{
    i32 p[2];
    if (sc2(SYS_pipe2, p, O_CLOEXEC) < 0)
        return 0;
    spare_born = now_ns();
    child_flags = FROM_SPARE;
    int handed = hand_over_ended();
    i64 pid = sc5(SYS_clone, CLONE_PARENT | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
                  | SIGCHLD, 0, 0, tid_address, 0);
    if (pid == 0) {
        sc1(SYS_close, p[0]);
        ready_fd = p[1];
        spare_run();
    }
    child_flags = 0;
    reap_count = 0;
    sc1(SYS_close, p[1]);
    if (pid < 0) {
        sc1(SYS_close, p[0]);
        return 0;
    }
    spare_pid = pid;
    spare_rd = p[0];
    spare_handed = handed;
    return 1;
}

/* Wait for the spare's first note and act on it. */
static void follow_spare(void)
{
    i64 pid = spare_pid;
    int rd = spare_rd, handed = spare_handed;
    spare_pid = 0;
    spare_rd = -1;
    i32 m[2] = { 0, 0 };
    i64 n;
    while ((n = sc3(SYS_read, rd, m, sizeof m)) == -4)
        ;
    if (n == sizeof m && m[0] == TAKEN) {
        /* The next spare is made once this one has answered (while its program runs). */
        settle_child(rd, pid, (u32)m[1], handed, 1);
        sc1(SYS_close, rd);
        return;
    }
    sc1(SYS_close, rd);
    /* STALE, or killed before it took anything: it is (about to be) a zombie of the
     * shell, named in the next answer. A spare that ended because the shell is gone
     * (socket EOF) ends the server too, even if the parent-death signal was missed. */
    if (n != sizeof m && (waiting_seq(0x40 /* MSG_DONTWAIT */) == -2
                          || sc0(SYS_getppid) != shell_pid))
        sc1(SYS_exit_group, 0);
    note_ended(pid);
    if (n == sizeof m && m[0] == STALE)
        serve_one();             /* a request is waiting: serve it fresh */
}

void __attribute__((noreturn, visibility("hidden"))) server_main(void)
{
    if (count_entries("/proc/self/task") != 1)
        die(E_THREADS);
    struct link_map *lm = link_maps();
    /* Before the fd count below: loading locale data must leave no file open either. */
    if (lm && load_locale_data(lm) != 0)
        die(E_LOCALE);
    /* fds 0-3 and the listing's own: a constructor that kept a file open would lose it
     * in every child (children get exactly the requested fds). */
    if (count_entries("/proc/self/fd") != 5)
        die(E_FDS);

    /* Nothing but the real entry must be visible through getauxval(AT_ENTRY). */
    for (u64 i = 0; i < warm_auxv_words; i += 2)
        if (warm_auxv[i] == AT_ENTRY)
            warm_auxv[i + 1] = prog.entry;

    if (lm) {
        lookup_all(lm, "environ", environ_slots, &n_environ_slots);
        lookup_all(lm, "__environ", environ_slots, &n_environ_slots);
        lookup_all(lm, "_environ", environ_slots, &n_environ_slots);
        lookup_all(lm, "program_invocation_name", progname_slots, &n_progname_slots);
        lookup_all(lm, "__progname_full", progname_slots, &n_progname_slots);
        lookup_all(lm, "program_invocation_short_name", shortname_slots,
                   &n_shortname_slots);
        lookup_all(lm, "__progname", shortname_slots, &n_shortname_slots);
        dl_argv_slot = (u64 *)lookup_first(lm, "_dl_argv");
        /* Output a constructor left in a stdio buffer would be repeated by every child. */
        u64 fflush_fn = lookup_first(lm, "fflush");
        if (fflush_fn)
            ((int (*)(void *))fflush_fn)(0);
    }
    if (!n_environ_slots)
        die(E_ELF);
    if (restore_lazy_wanted && restore_lazy() != 0)
        die(E_LAZY);
    /* Output written while warming up would be missing from every run: a program whose
     * start-up writes is not warmed. Then stdout and stderr become /dev/null (fd 0). */
    if (sc3(SYS_lseek, 1, 0, 1) != 0 || sc3(SYS_lseek, 2, 0, 1) != 0)
        die(E_OUTPUT);
    sc3(SYS_dup3, 0, 1, 0);
    sc3(SYS_dup3, 0, 2, 0);

    /* Children are born with every signal blocked, as posix_spawn's are while they set
     * up; each unblocks exactly its requested mask as its last step. */
    u64 all = ~0UL;
    sc4(SYS_rt_sigprocmask, SIG_SETMASK, &all, 0, 8);

    sc2(SYS_prctl, PR_GET_TID_ADDRESS, &tid_address);
    sc3(SYS_get_robust_list, 0, &robust_head, &robust_len);
    mm_ok = read_mm_fields();
    share_page_tables();
    neutral_cmdline();
    server_umask = (u32)sc1(SYS_umask, 0);
    sc1(SYS_umask, server_umask);
    for (int r = 0; r < NRLIM; r++)
        if (sc4(SYS_prlimit64, 0, r, 0, server_rlim[r]) < 0)
            server_rlim[r][0] = server_rlim[r][1] = ~0UL - 1;   /* never equal: set it */
    for (int s = 1; s <= 64; s++) {
        u64 old[4] = { 0, 0, 0, 0 };
        server_sig[s] = 2;
        if (sc4(SYS_rt_sigaction, s, 0, old, 8) == 0)
            server_sig[s] = old[0] <= 1 ? (u8)old[0] : 2;
    }

    for (;;) {
        if (!make_spare()) {
            serve_one();                 /* no spare possible now: the old way */
            continue;
        }
        follow_spare();
    }
}

/* ---- start-up: load the target and run ld.so with AT_ENTRY = stub_trap ------------------ */
void __attribute__((noreturn, visibility("hidden"))) stub_main(u64 *sp)
{
    i64 argc = (i64)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **e = envp;
    while (*e)
        e++;
    u64 *auxv = (u64 *)(e + 1);
    u64 nenv = (u64)(e - envp);

    if (argc < 3)
        die(E_ARGS);
    restore_lazy_wanted = argc > 3 && seq(argv[3], "1");
    preload_locale = argc > 4 ? argv[4] : 0;
    arg_area = argv[0];
    arg_area_end = argv[argc - 1] + slen(argv[argc - 1]) + 1;
    i64 shell = 0;
    for (char *c = argv[2]; *c; c++)
        shell = shell * 10 + (*c - '0');
    /* Die with the shell; if it is already gone, do not start at all. */
    sc2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    if (sc0(SYS_getppid) != shell)
        sc1(SYS_exit_group, 0);
    shell_pid = shell;
    /* glibc's posix_spawn leaves its internal signals (32, 33) ignored in the new
     * program; an exec'd program starts with them at default, and so does every child
     * (so none has to reset them per run). */
    for (int s = 32; s <= 33; s++) {
        u64 act[4] = { 0, 0, 0, 0 };
        sc4(SYS_rt_sigaction, s, act, 0, 8);
    }
    /* Hold nothing of the shell's but the request socket. */
    sc3(SYS_close_range, 4, ~0U, 0);
    /* Catch whatever the program's start-up writes to stdout or stderr (see server_main). */
    i64 mfd = sc2(SYS_memfd_create, "warm-up-output", 0);
    if (mfd < 0)
        die(E_RESOURCES);
    sc3(SYS_dup3, mfd, 1, 0);
    sc3(SYS_dup3, mfd, 2, 0);
    sc1(SYS_close, mfd);

    const char *path = argv[1];
    i64 fd = sc3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        die(E_OPEN);
    i64 r = load_elf((int)fd, &prog, 1);
    sc1(SYS_close, fd);
    if (r < 0)
        die((int)-r);
    if (!prog.interp[0] || !prog.dynamic)
        die(E_ELF);
    fd = sc3(SYS_open, prog.interp, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        die(E_INTERP);
    r = load_elf((int)fd, &interp, 0);
    sc1(SYS_close, fd);
    if (r < 0)
        die(E_INTERP);

    /* Build the warm-up stack well below this frame: argc, argv = {TARGET}, envp = ours,
     * the kernel's auxv with this image's values. It stays untouched for the server's
     * life because glibc keeps pointers into it (auxv, AT_RANDOM). */
    u64 naux = 0;
    while (auxv[naux] != AT_NULL)
        naux += 2;
    naux += 2;
    u64 region = PAGE_DOWN((u64)__builtin_frame_address(0)) - 4 * PAGE;
    u8 *rnd = (u8 *)(region - 16);
    sc3(SYS_getrandom, rnd, 16, 0);
    u64 words = 1 + 2 + nenv + 1 + naux;
    u64 *nsp = (u64 *)(((u64)rnd - words * 8) & ~15UL);
    u64 *w = nsp;
    *w++ = 1;
    *w++ = (u64)path;
    *w++ = 0;
    for (u64 i = 0; i < nenv; i++)
        *w++ = (u64)envp[i];
    *w++ = 0;
    warm_auxv = w;
    warm_auxv_words = naux;
    for (u64 i = 0; i < naux; i += 2) {
        u64 k = auxv[i], v = auxv[i + 1];
        switch (k) {
        case AT_PHDR: v = prog.phdr; break;
        case AT_PHENT: v = sizeof(Phdr); break;
        case AT_PHNUM: v = prog.phnum; break;
        case AT_BASE: v = interp.base; break;
        case AT_ENTRY: v = (u64)stub_trap; break;
        case AT_RANDOM: v = (u64)rnd; warm_random = rnd; break;
        case AT_EXECFN: v = (u64)path; break;
        default: break;
        }
        w[i] = k;
        w[i + 1] = v;
    }
    jump_to_entry(interp.entry, (u64)nsp, 0);
}
